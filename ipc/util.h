/* What the System V IPC objects share: ids, keys, permissions. */
#ifndef IPC_UTIL_H
#define IPC_UTIL_H
#include "kernel.h"
#include "uapi/ipc.h"

#define IPCMNI 32768 /* ids are seq * IPCMNI + index */

struct kern_ipc_perm {
	int id;
	int32_t key;
	uid_t_ uid, cuid;
	gid_t_ gid, cgid;
	mode_t_ mode; /* permission bits, and SHM_DEST/SHM_LOCKED for segments */
	uint16_t seq;
	bool deleted; /* removed: waiters get EIDRM */
};

/* One kind of object (segments, semaphore sets, queues). */
struct ipc_ids {
	int in_use;
	int max; /* indexes below this: SHMMNI, SEMMNI, MSGMNI */
	uint16_t seq;
	int last_idx;
	int cap;
	struct kern_ipc_perm **entries;
};

struct ipc_ops {
	/* Makes a new object for key: its id, or -errno. */
	long (*getnew)(int32_t key, int flg, long arg);
	/* Can the existing object serve this get (size, count)? */
	int (*more_checks)(struct kern_ipc_perm *p, long arg);
};

long ipcget(struct ipc_ids *ids, int32_t key, int flg, long arg, const struct ipc_ops *ops);
/* Enters a new object, owned by the caller: its id, or -ENOSPC. */
int ipc_addid(struct ipc_ids *ids, struct kern_ipc_perm *p, int32_t key, int flg);
void ipc_rmid(struct ipc_ids *ids, struct kern_ipc_perm *p);
/* The object with this id, or ERR_PTR(-EINVAL). */
struct kern_ipc_perm *ipc_obtain(struct ipc_ids *ids, int id);
/* The object at an index (the *_STAT commands), or ERR_PTR(-EINVAL). */
struct kern_ipc_perm *ipc_at_index(struct ipc_ids *ids, int idx);
int ipc_get_maxidx(struct ipc_ids *ids);
/* 0, or -EACCES: flag is 0444 (read), 0222 (write) or their sum. */
int ipcperms(struct kern_ipc_perm *p, int flag);
/* IPC_SET and IPC_RMID: the owner, the creator or CAP_SYS_ADMIN; -EPERM. */
int ipc_check_owner(struct kern_ipc_perm *p);
void ipc_fill_perm(const struct kern_ipc_perm *p, struct linux_ipc64_perm *out);
void ipc_update_perm(const struct linux_ipc64_perm *in, struct kern_ipc_perm *p);
/* The wall clock in seconds, for the *_time fields. */
int64_t ipc_now(void);

#endif
