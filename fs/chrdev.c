/* Character devices by number: drivers register ranges of minors. */
#include "kernel.h"
#include "fs.h"

static struct chrdev devs[64];
static int ndevs;

void register_chrdev(unsigned major, unsigned minor_lo, unsigned minor_hi,
		     const struct file_operations *fops)
{
	if (ndevs < (int)ARRAY_SIZE(devs))
		devs[ndevs++] = (struct chrdev){major, minor_lo, minor_hi, fops};
}

const struct file_operations *chrdev_fops(uint64_t rdev)
{
	unsigned ma = MAJOR(rdev), mi = MINOR(rdev);
	for (int i = 0; i < ndevs; i++)
		if (devs[i].major == ma && mi >= devs[i].minor_lo && mi <= devs[i].minor_hi)
			return devs[i].fops;
	return NULL;
}
