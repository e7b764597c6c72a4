/*
 * Socket control messages (SOL_SOCKET): SCM_RIGHTS passes open files,
 * SCM_CREDENTIALS a process's pid, uid and gid. Sending parses the guest's
 * control buffer into a scm_cookie; receiving writes control messages back,
 * truncating (MSG_CTRUNC) what does not fit, as Linux's put_cmsg and
 * scm_detach_fds do.
 */
#include "kernel.h"
#include "task.h"
#include "capability.h"
#include "fs.h"
#include "net.h"
#include "uaccess.h"

#define OPTMEM_MAX 131072 /* net.core.optmem_max */

struct linux_ucred scm_current_creds(void)
{
	return (struct linux_ucred){current->proc->pid, current->cred.uid, current->cred.gid};
}

void scm_destroy(struct scm_cookie *scm)
{
	struct scm_fp_list *fpl = scm->fp;
	scm->fp = NULL;
	if (!fpl)
		return;
	for (int i = 0; i < fpl->count; i++)
		fput(fpl->fp[i]);
	kfree(fpl);
}

struct scm_fp_list *scm_fp_dup(const struct scm_fp_list *fpl)
{
	struct scm_fp_list *n = kmalloc(sizeof *n);
	if (!n)
		return NULL;
	n->count = fpl->count;
	for (int i = 0; i < n->count; i++)
		n->fp[i] = get_file(fpl->fp[i]);
	return n;
}

static int scm_fp_copy(const struct linux_cmsghdr *cm, struct scm_cookie *scm)
{
	int num = (int)((cm->cmsg_len - sizeof *cm) / sizeof(int));
	if (num <= 0)
		return 0;
	if (num > SCM_MAX_FD)
		return -EINVAL;
	if (!scm->fp) {
		scm->fp = kzalloc(sizeof *scm->fp);
		if (!scm->fp)
			return -ENOMEM;
	}
	struct scm_fp_list *fpl = scm->fp;
	if (fpl->count + num > SCM_MAX_FD)
		return -EINVAL;
	const int *fds = (const int *)(cm + 1);
	for (int i = 0; i < num; i++) {
		int fd;
		memcpy(&fd, fds + i, sizeof fd);
		struct file *f = fget(fd);
		if (!f)
			return -EBADF;
		fpl->fp[fpl->count++] = f;
	}
	return 0;
}

static int scm_check_creds(const struct linux_ucred *c)
{
	const struct cred *cr = &current->cred;
	if (c->uid == (uint32_t)-1 || c->gid == (uint32_t)-1)
		return -EINVAL;
	bool pid_ok = c->pid == current->proc->pid || capable(CAP_SYS_ADMIN);
	bool uid_ok =
	    c->uid == cr->uid || c->uid == cr->euid || c->uid == cr->suid || capable(CAP_SETUID);
	bool gid_ok =
	    c->gid == cr->gid || c->gid == cr->egid || c->gid == cr->sgid || capable(CAP_SETGID);
	if (!pid_ok || !uid_ok || !gid_ok)
		return -EPERM;
	return find_process(c->pid) ? 0 : -ESRCH;
}

static int scm_parse(struct sock *sk, struct scm_cookie *scm, const char *buf, size_t len)
{
	size_t off = 0;
	while (len >= sizeof(struct linux_cmsghdr) && off <= len - sizeof(struct linux_cmsghdr)) {
		struct linux_cmsghdr cm;
		memcpy(&cm, buf + off, sizeof cm);
		if (cm.cmsg_len < sizeof cm || cm.cmsg_len > len - off)
			return -EINVAL;
		if (cm.cmsg_level == SOL_SOCKET) {
			int err;
			switch (cm.cmsg_type) {
			case SCM_RIGHTS:
				if (sk->family != AF_UNIX)
					return -EINVAL;
				err = scm_fp_copy((const struct linux_cmsghdr *)(buf + off), scm);
				break;
			case SCM_CREDENTIALS:
				if (cm.cmsg_len != CMSG_LEN(sizeof(struct linux_ucred)))
					return -EINVAL;
				memcpy(&scm->creds, buf + off + sizeof cm, sizeof scm->creds);
				err = scm_check_creds(&scm->creds);
				scm->has_creds = !err;
				break;
			default:
				return -EINVAL;
			}
			if (err)
				return err;
		}
		off += CMSG_ALIGN(cm.cmsg_len);
	}
	return 0;
}

int scm_send(struct sock *sk, struct msghdr_k *msg, uaddr_t control, size_t controllen)
{
	if (!controllen)
		return 0;
	if (controllen > OPTMEM_MAX)
		return -ENOBUFS;
	char *buf = kmalloc(controllen);
	if (!buf)
		return -ENOMEM;
	int err = copy_from_user(buf, control, controllen)
		      ? -EFAULT
		      : scm_parse(sk, &msg->scm, buf, controllen);
	kfree(buf);
	if (err)
		scm_destroy(&msg->scm);
	return err;
}

/* Linux's put_cmsg: what does not fit is cut, with MSG_CTRUNC. */
void put_cmsg(struct msghdr_k *msg, int level, int type, const void *data, size_t len)
{
	struct linux_cmsghdr cm = {CMSG_LEN(len), level, type};
	if (!msg->control || msg->controllen < sizeof cm) {
		msg->flags |= MSG_CTRUNC;
		return;
	}
	if (msg->controllen < cm.cmsg_len) {
		msg->flags |= MSG_CTRUNC;
		cm.cmsg_len = msg->controllen;
	}
	if (copy_to_user(msg->control, &cm, sizeof cm) ||
	    copy_to_user(msg->control + sizeof cm, data, cm.cmsg_len - sizeof cm))
		return;
	size_t used = min(CMSG_SPACE(len), msg->controllen);
	msg->control += used;
	msg->controllen -= used;
}

/* Installs as many passed files as the control buffer has room for. */
static void scm_detach_fds(struct msghdr_k *msg, struct scm_cookie *scm, int flags)
{
	struct scm_fp_list *fpl = scm->fp;
	int fdmax = msg->controllen <= sizeof(struct linux_cmsghdr)
			? 0
			: (int)((msg->controllen - sizeof(struct linux_cmsghdr)) / sizeof(int));
	fdmax = min(fdmax, fpl->count);
	uaddr_t data = msg->control + sizeof(struct linux_cmsghdr);
	int i;
	for (i = 0; i < fdmax; i++) {
		int fd =
		    fd_install(get_file(fpl->fp[i]), (flags & MSG_CMSG_CLOEXEC) ? O_CLOEXEC : 0);
		if (fd < 0) {
			fput(fpl->fp[i]);
			break;
		}
		if (put_user(fd, data + (uaddr_t)i * sizeof(int))) {
			fd_close(fd);
			break;
		}
	}
	if (i > 0) {
		struct linux_cmsghdr cm = {CMSG_LEN((size_t)i * sizeof(int)), SOL_SOCKET,
					   SCM_RIGHTS};
		if (!copy_to_user(msg->control, &cm, sizeof cm)) {
			size_t used = min(CMSG_SPACE((size_t)i * sizeof(int)), msg->controllen);
			msg->control += used;
			msg->controllen -= used;
		}
	}
	if (i < fpl->count)
		msg->flags |= MSG_CTRUNC;
}

void scm_recv(struct sock *sk, struct msghdr_k *msg, struct scm_cookie *scm, int flags)
{
	if (!msg->control) {
		if (sk->passcred || scm->fp)
			msg->flags |= MSG_CTRUNC;
	} else {
		if (sk->passcred) {
			/* No credentials attached: pid 0, the overflow ids. */
			struct linux_ucred c =
			    scm->has_creds ? scm->creds : (struct linux_ucred){0, 65534, 65534};
			put_cmsg(msg, SOL_SOCKET, SCM_CREDENTIALS, &c, sizeof c);
		}
		if (scm->fp)
			scm_detach_fds(msg, scm, flags);
	}
	scm_destroy(scm);
}
