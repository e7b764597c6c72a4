/* Guest terminal ABI: struct termios, window size, tty ioctl numbers. */
#ifndef UAPI_TERMIOS_H
#define UAPI_TERMIOS_H
#include "uapi/types.h"

#define NCCS 19
struct linux_termios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[NCCS];
};
struct linux_termios2 {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[NCCS];
	uint32_t c_ispeed, c_ospeed;
};
struct linux_winsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

/* c_cc */
#define VINTR	 0
#define VQUIT	 1
#define VERASE	 2
#define VKILL	 3
#define VEOF	 4
#define VTIME	 5
#define VMIN	 6
#define VSWTC	 7
#define VSTART	 8
#define VSTOP	 9
#define VSUSP	 10
#define VEOL	 11
#define VREPRINT 12
#define VDISCARD 13
#define VWERASE	 14
#define VLNEXT	 15
#define VEOL2	 16

/* c_iflag */
#define IGNBRK	0000001
#define BRKINT	0000002
#define IGNPAR	0000004
#define PARMRK	0000010
#define INPCK	0000020
#define ISTRIP	0000040
#define INLCR	0000100
#define IGNCR	0000200
#define ICRNL	0000400
#define IUCLC	0001000
#define IXON	0002000
#define IXANY	0004000
#define IXOFF	0010000
#define IMAXBEL 0020000
#define IUTF8	0040000

/* c_oflag */
#define OPOST  0000001
#define OLCUC  0000002
#define ONLCR  0000004
#define OCRNL  0000010
#define ONOCR  0000020
#define ONLRET 0000040
#define TABDLY 0014000
#define XTABS  0014000

/* c_cflag */
#define CBAUD	0010017
#define B38400	0000017
#define CSIZE	0000060
#define CS8	0000060
#define CSTOPB	0000100
#define CREAD	0000200
#define PARENB	0000400
#define HUPCL	0002000
#define CLOCAL	0004000
#define CBAUDEX 0010000
#define BOTHER	0010000

/* c_lflag */
#define ISIG	0000001
#define ICANON	0000002
#define ECHO	0000010
#define ECHOE	0000020
#define ECHOK	0000040
#define ECHONL	0000100
#define NOFLSH	0000200
#define TOSTOP	0000400
#define ECHOCTL 0001000
#define ECHOPRT 0002000
#define ECHOKE	0004000
#define FLUSHO	0010000
#define PENDIN	0040000
#define IEXTEN	0100000
#define EXTPROC 0200000

/* ioctls */
#define TCGETS	    0x5401
#define TCSETS	    0x5402
#define TCSETSW	    0x5403
#define TCSETSF	    0x5404
#define TCGETA	    0x5405
#define TCSETA	    0x5406
#define TCSETAW	    0x5407
#define TCSETAF	    0x5408
#define TCSBRK	    0x5409
#define TCXONC	    0x540A
#define TCFLSH	    0x540B
#define TIOCEXCL    0x540C
#define TIOCNXCL    0x540D
#define TIOCSCTTY   0x540E
#define TIOCGPGRP   0x540F
#define TIOCSPGRP   0x5410
#define TIOCOUTQ    0x5411
#define TIOCSTI	    0x5412
#define TIOCGWINSZ  0x5413
#define TIOCSWINSZ  0x5414
#define TIOCMGET    0x5415
#define TIOCMSET    0x5418
#define FIONREAD    0x541B
#define TIOCINQ	    FIONREAD
#define TIOCLINUX   0x541C
#define TIOCCONS    0x541D
#define FIONBIO	    0x5421
#define TIOCNOTTY   0x5422
#define TIOCSETD    0x5423
#define TIOCGETD    0x5424
#define TCSBRKP	    0x5425
#define TIOCGSID    0x5429
#define TCGETS2	    0x802c542a
#define TCSETS2	    0x402c542b
#define TCSETSW2    0x402c542c
#define TCSETSF2    0x402c542d
#define TIOCGPTN    0x80045430
#define TIOCSPTLCK  0x40045431
#define TIOCGDEV    0x80045432
#define TIOCGPTLCK  0x80045439
#define TIOCGPTPEER 0x5441
#define FIONCLEX    0x5450
#define FIOCLEX	    0x5451
#define FIOASYNC    0x5452
#define TIOCVHANGUP 0x5437
#define TIOCPKT	    0x5420
#define TIOCGPKT    0x80045438

/* Packet mode: the first byte of each read from a pty master. */
#define TIOCPKT_DATA	   0
#define TIOCPKT_FLUSHREAD  1
#define TIOCPKT_FLUSHWRITE 2
#define TIOCPKT_STOP	   4
#define TIOCPKT_START	   8
#define TIOCPKT_NOSTOP	   16
#define TIOCPKT_DOSTOP	   32

#define TCOOFF	  0
#define TCOON	  1
#define TCIOFF	  2
#define TCION	  3
#define TCIFLUSH  0
#define TCOFLUSH  1
#define TCIOFLUSH 2

#endif
