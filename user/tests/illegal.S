/* illegal.S - an illegal instruction kills the guest with SIGILL's status. */
	.section .text.init.enter, "ax", @progbits
	.globl _start
_start:
	.word 0x00000053	/* fadd.s: no F extension */
