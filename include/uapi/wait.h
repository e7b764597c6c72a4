/* wait options; spelled as glibc spells them, so both may be seen at once. */
#ifndef UAPI_WAIT_H
#define UAPI_WAIT_H

#define WNOHANG	    1
#define WUNTRACED   2
#define WSTOPPED    2
#define WEXITED	    4
#define WCONTINUED  8
#define WNOWAIT	    0x01000000
#define __WNOTHREAD 0x20000000
#define __WALL	    0x40000000
#define __WCLONE    0x80000000

#define P_ALL	0
#define P_PID	1
#define P_PGID	2
#define P_PIDFD 3

#endif
