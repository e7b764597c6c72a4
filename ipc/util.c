/*
 * The parts System V shared memory, semaphores and message queues share:
 * ids handed out cyclically with a sequence number (seq * IPCMNI + index,
 * as Linux does, so a stale id does not name a new object), key lookup,
 * the get protocol (IPC_CREAT, IPC_EXCL) and permission checks.
 */
#include "kernel.h"
#include "task.h"
#include "capability.h"
#include "ktime.h"
#include "util.h"

#define IPCID_SEQ_MAX (INT32_MAX / IPCMNI)

int64_t ipc_now(void)
{
	return clock_read_ns(CLOCK_REALTIME) / NSEC_PER_SEC;
}

static struct kern_ipc_perm *ipc_findkey(struct ipc_ids *ids, int32_t key)
{
	for (int i = 0; i < ids->cap; i++)
		if (ids->entries[i] && ids->entries[i]->key == key)
			return ids->entries[i];
	return NULL;
}

static bool in_group(gid_t_ gid)
{
	const struct cred *c = &current->cred;
	if (gid == c->egid)
		return true;
	for (int i = 0; i < c->ngroups; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}

int ipcperms(struct kern_ipc_perm *p, int flag)
{
	uid_t_ euid = current->cred.euid;
	int requested = (flag >> 6) | (flag >> 3) | flag;
	int granted = (int)p->mode;
	if (euid == p->cuid || euid == p->uid)
		granted >>= 6;
	else if (in_group(p->cgid) || in_group(p->gid))
		granted >>= 3;
	if ((requested & ~granted & 07) && !capable(CAP_IPC_OWNER))
		return -EACCES;
	return 0;
}

int ipc_check_owner(struct kern_ipc_perm *p)
{
	uid_t_ euid = current->cred.euid;
	if (euid == p->cuid || euid == p->uid || capable(CAP_SYS_ADMIN))
		return 0;
	return -EPERM;
}

long ipcget(struct ipc_ids *ids, int32_t key, int flg, long arg, const struct ipc_ops *ops)
{
	if (key == IPC_PRIVATE)
		return ops->getnew(key, flg, arg);
	struct kern_ipc_perm *p = ipc_findkey(ids, key);
	if (!p)
		return (flg & IPC_CREAT) ? ops->getnew(key, flg, arg) : -ENOENT;
	if ((flg & IPC_CREAT) && (flg & IPC_EXCL))
		return -EEXIST;
	int err = ops->more_checks ? ops->more_checks(p, arg) : 0;
	if (!err)
		err = ipcperms(p, flg);
	return err ? err : p->id;
}

/* A free index, taken cyclically; wrapping around starts a new sequence. */
static int ipc_alloc_idx(struct ipc_ids *ids)
{
	for (int n = 0; n < ids->max; n++) {
		int idx = (ids->last_idx + 1 + n) % ids->max;
		if (idx >= ids->cap || !ids->entries[idx])
			return idx;
	}
	return -ENOSPC;
}

int ipc_addid(struct ipc_ids *ids, struct kern_ipc_perm *p, int32_t key, int flg)
{
	int idx = ipc_alloc_idx(ids);
	if (idx < 0)
		return idx;
	if (idx >= ids->cap) {
		int cap = max(ids->cap * 2, max(idx + 1, 16));
		struct kern_ipc_perm **e = realloc(ids->entries, sizeof *e * (size_t)cap);
		if (!e)
			return -ENOMEM;
		memset(e + ids->cap, 0, sizeof *e * (size_t)(cap - ids->cap));
		ids->entries = e;
		ids->cap = cap;
	}
	if (idx <= ids->last_idx && ++ids->seq >= IPCID_SEQ_MAX)
		ids->seq = 0;
	ids->last_idx = idx;
	ids->entries[idx] = p;
	ids->in_use++;
	const struct cred *c = &current->cred;
	p->key = key;
	p->uid = p->cuid = c->euid;
	p->gid = p->cgid = c->egid;
	p->mode = (mode_t_)flg & 0777;
	p->seq = ids->seq;
	p->id = p->seq * IPCMNI + idx;
	p->deleted = false;
	return p->id;
}

void ipc_rmid(struct ipc_ids *ids, struct kern_ipc_perm *p)
{
	ids->entries[p->id % IPCMNI] = NULL;
	ids->in_use--;
	p->deleted = true;
}

struct kern_ipc_perm *ipc_obtain(struct ipc_ids *ids, int id)
{
	if (id < 0)
		return ERR_PTR(-EINVAL);
	struct kern_ipc_perm *p = ipc_at_index(ids, id % IPCMNI);
	if (!IS_ERR(p) && p->id != id)
		return ERR_PTR(-EINVAL);
	return p;
}

struct kern_ipc_perm *ipc_at_index(struct ipc_ids *ids, int idx)
{
	if (idx < 0 || idx >= ids->cap || !ids->entries[idx])
		return ERR_PTR(-EINVAL);
	return ids->entries[idx];
}

int ipc_get_maxidx(struct ipc_ids *ids)
{
	for (int i = ids->cap - 1; i >= 0; i--)
		if (ids->entries[i])
			return i;
	return -1;
}

void ipc_fill_perm(const struct kern_ipc_perm *p, struct linux_ipc64_perm *out)
{
	memset(out, 0, sizeof *out);
	out->key = p->key;
	out->uid = p->uid;
	out->gid = p->gid;
	out->cuid = p->cuid;
	out->cgid = p->cgid;
	out->mode = p->mode;
	out->seq = p->seq;
}

void ipc_update_perm(const struct linux_ipc64_perm *in, struct kern_ipc_perm *p)
{
	p->uid = in->uid;
	p->gid = in->gid;
	p->mode = (p->mode & ~0777u) | (in->mode & 0777);
}
