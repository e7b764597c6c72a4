/* timerfd_create and timerfd_settime flags. */
#ifndef UAPI_TIMERFD_H
#define UAPI_TIMERFD_H
#include "uapi/fcntl.h"

#define TFD_TIMER_ABSTIME	1
#define TFD_TIMER_CANCEL_ON_SET 2
#define TFD_CLOEXEC		O_CLOEXEC
#define TFD_NONBLOCK		O_NONBLOCK
#define TFD_IOC_SET_TICKS	0x40085400 /* _IOW('T', 0, u64) */

#endif
