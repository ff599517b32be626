/* ebreak.S - a breakpoint with no debugger attached ends the guest. */
	.section .text.init.enter, "ax", @progbits
	.globl _start
_start:
	nop
	ebreak
