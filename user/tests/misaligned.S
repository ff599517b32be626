/* misaligned.S - misaligned loads trap (no emulation in the kernel yet). */
	.section .text.init.enter, "ax", @progbits
	.globl _start
_start:
	li	a0, 0x80000001
	lw	a1, 0(a0)
