/* Basic guest ABI types (x86-64 Linux). */
#ifndef UAPI_TYPES_H
#define UAPI_TYPES_H
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

typedef int64_t loff_t;
typedef int32_t pid_t_;
typedef uint32_t uid_t_;
typedef uint32_t gid_t_;
typedef uint32_t mode_t_;
typedef uint64_t dev_t_;
typedef uint64_t ino_t_;

/* A guest virtual address: never dereferenced by the kernel. */
typedef uint64_t uaddr_t;

#endif
