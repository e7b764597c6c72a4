/* Shared between the files of host/, never seen by the kernel proper. */
#ifndef HOST_INTERNAL_H
#define HOST_INTERNAL_H

/* Gives raw terminals back their mode: at exit, restart or a crash. */
void host_channels_restore(void);

#endif
