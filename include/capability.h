/* Capability checks against the current task's effective set. */
#ifndef CAPABILITY_H
#define CAPABILITY_H
#include "task.h"
#include "uapi/capability.h"

static inline bool capable(int cap)
{
	return current->cred.cap_effective & (1ULL << cap);
}

#endif
