/* The stub program, linked into ./linux as data (see host/template.c). */
	.section .rodata
	.balign 16
	.globl stub_image, stub_image_end
stub_image:
	.incbin STUB_ELF
stub_image_end:
	.section .note.GNU-stack, "", @progbits
