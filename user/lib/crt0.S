/*
 * crt0.S - guest entry point.
 *
 * The kernel starts the main thread at _start with sp on the Linux-style
 * initial stack: argc, argv[], NULL, envp[], NULL, auxv. Sets gp and tp
 * (the main thread's TLS block is the image's own template) and calls
 * __nanvix_start(argc, argv, envp), which never returns.
 */
	.section .text.init.enter, "ax", @progbits
	.globl _start
	.type _start, @function
_start:
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	la	tp, __tls_base
	lw	a0, 0(sp)		/* argc */
	addi	a1, sp, 4		/* argv */
	slli	t0, a0, 2
	add	a2, a1, t0
	addi	a2, a2, 4		/* envp: past argv's NULL */
	andi	sp, sp, -16
	call	__nanvix_start
1:	j	1b
	.size _start, . - _start
