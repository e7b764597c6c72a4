/* eventfd2 flags. */
#ifndef UAPI_EVENTFD_H
#define UAPI_EVENTFD_H
#include "uapi/fcntl.h"

#define EFD_SEMAPHORE 1
#define EFD_CLOEXEC   O_CLOEXEC
#define EFD_NONBLOCK  O_NONBLOCK

#endif
