/* The embedded root filesystem, a cpio archive built from busybox-static. */
	.section .rodata
	.balign 16
	.globl initramfs_image, initramfs_image_end
initramfs_image:
	.incbin INITRAMFS
initramfs_image_end:
	.section .note.GNU-stack, "", @progbits
