/* Guest struct stat (x86-64), statx, file type bits. */
#ifndef UAPI_STAT_H
#define UAPI_STAT_H
#include "uapi/types.h"

#define S_IFMT	    00170000
#define S_IFSOCK    0140000
#define S_IFLNK	    0120000
#define S_IFREG	    0100000
#define S_IFBLK	    0060000
#define S_IFDIR	    0040000
#define S_IFCHR	    0020000
#define S_IFIFO	    0010000
#define S_ISUID	    0004000
#define S_ISGID	    0002000
#define S_ISVTX	    0001000
#define S_ISLNK(m)  (((m)&S_IFMT) == S_IFLNK)
#define S_ISREG(m)  (((m)&S_IFMT) == S_IFREG)
#define S_ISDIR(m)  (((m)&S_IFMT) == S_IFDIR)
#define S_ISCHR(m)  (((m)&S_IFMT) == S_IFCHR)
#define S_ISBLK(m)  (((m)&S_IFMT) == S_IFBLK)
#define S_ISFIFO(m) (((m)&S_IFMT) == S_IFIFO)
#define S_ISSOCK(m) (((m)&S_IFMT) == S_IFSOCK)
#define S_IALLUGO   (S_ISUID | S_ISGID | S_ISVTX | 0777)

struct linux_stat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint64_t st_nlink;
	uint32_t st_mode;
	uint32_t st_uid;
	uint32_t st_gid;
	uint32_t pad0;
	uint64_t st_rdev;
	int64_t st_size;
	int64_t st_blksize;
	int64_t st_blocks;
	uint64_t st_atime_sec, st_atime_nsec;
	uint64_t st_mtime_sec, st_mtime_nsec;
	uint64_t st_ctime_sec, st_ctime_nsec;
	int64_t unused[3];
};
_Static_assert(sizeof(struct linux_stat) == 144, "stat size");

struct statx_timestamp {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t reserved;
};
struct linux_statx {
	uint32_t stx_mask;
	uint32_t stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink;
	uint32_t stx_uid;
	uint32_t stx_gid;
	uint16_t stx_mode;
	uint16_t spare0;
	uint64_t stx_ino;
	uint64_t stx_size;
	uint64_t stx_blocks;
	uint64_t stx_attributes_mask;
	struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor;
	uint32_t stx_dev_major, stx_dev_minor;
	uint64_t stx_mnt_id;
	uint32_t stx_dio_mem_align, stx_dio_offset_align;
	uint64_t spare3[12];
};
_Static_assert(sizeof(struct linux_statx) == 256, "statx size");
#define STATX_TYPE	  0x0001U
#define STATX_MODE	  0x0002U
#define STATX_NLINK	  0x0004U
#define STATX_UID	  0x0008U
#define STATX_GID	  0x0010U
#define STATX_ATIME	  0x0020U
#define STATX_MTIME	  0x0040U
#define STATX_CTIME	  0x0080U
#define STATX_INO	  0x0100U
#define STATX_SIZE	  0x0200U
#define STATX_BLOCKS	  0x0400U
#define STATX_BASIC_STATS 0x07ffU
#define STATX_BTIME	  0x0800U
#define STATX_MNT_ID	  0x1000U
#define STATX__RESERVED	  0x80000000U

struct linux_statfs {
	int64_t f_type;
	int64_t f_bsize;
	uint64_t f_blocks;
	uint64_t f_bfree;
	uint64_t f_bavail;
	uint64_t f_files;
	uint64_t f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen;
	int64_t f_frsize;
	int64_t f_flags;
	int64_t f_spare[4];
};

#define UTIME_NOW  ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)

/* Device numbers as glibc's makedev encodes them. */
#define MAJOR(dev) ((unsigned)((((dev) >> 32) & 0xfffff000) | (((dev) >> 8) & 0xfff)))
#define MINOR(dev) ((unsigned)((((dev) >> 12) & 0xffffff00) | ((dev)&0xff)))
#define MKDEV(ma, mi)                                                                              \
	((((uint64_t)(ma)&0xfffff000ULL) << 32) | (((uint64_t)(ma)&0xfffULL) << 8) |               \
	 (((uint64_t)(mi)&0xffffff00ULL) << 12) | ((uint64_t)(mi)&0xffULL))

#endif
