#ifndef UAPI_SYSCALL_NAMES_H
#define UAPI_SYSCALL_NAMES_H
#include "uapi/unistd.h"
extern const char *const syscall_names[NR_SYSCALLS];
#endif
