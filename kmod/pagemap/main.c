// SPDX-License-Identifier: GPL-2.0
/*
 * hotmem_pagemap: a sub-section aware ZONE_DEVICE pagemap allocator.
 * Module glue: the "hotmem" class that regions and instances live in, and
 * the "regions" parameter that names regions at load and adds more when
 * written.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mount.h>
#include <linux/pseudo_fs.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "hpm.h"

/* protects every region and instance; see hpm.h */
DEFINE_MUTEX(hpm_lock);

struct class hpm_class = {
	.name = "hotmem",
};

static bool hpm_class_ready;

/* instance character devices: major and minors */
#define HPM_MINORS	BIT(16)
dev_t hpm_devt;
/* minors of the instances (the ida locks itself) */
static DEFINE_IDA(hpm_minor_ida);

/**
 * hpm_minor_get() - a free minor for an instance's character device
 *
 * Return: the minor, or -errno.
 */
int hpm_minor_get(void)
{
	return ida_alloc_max(&hpm_minor_ida, HPM_MINORS - 1, GFP_KERNEL);
}

/**
 * hpm_minor_put() - give a minor back
 * @minor: from hpm_minor_get()
 */
void hpm_minor_put(int minor)
{
	ida_free(&hpm_minor_ida, minor);
}

/*
 * The inodes behind the instances' character devices live on a private
 * pseudo filesystem, as device-dax's do: an S_DAX inode is what lets the
 * core mm fault a mapping at 2 MiB and 1 GiB (on 6.1 only DAX vmas get
 * huge faults), and its single address space reaches every mapping of an
 * instance however many device nodes and files were opened.
 */
#define HPM_FS_MAGIC	0x686f746d	/* "hotm" */

static int hpm_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, HPM_FS_MAGIC) ? 0 : -ENOMEM;
}

static struct file_system_type hpm_fs_type = {
	.name = "hotmem_pagemap",
	.init_fs_context = hpm_init_fs_context,
	.kill_sb = kill_anon_super,
};

static struct vfsmount *hpm_mnt;

/**
 * hpm_inode_alloc() - the inode for an instance's character device
 * @devt: the device number
 *
 * Return: a character-device inode with S_DAX set, or an ERR_PTR.
 */
struct inode *hpm_inode_alloc(dev_t devt)
{
	struct inode *inode = alloc_anon_inode(hpm_mnt->mnt_sb);

	if (IS_ERR(inode))
		return inode;
	/* a char device, so mm does not take it for a filesystem DAX file */
	inode->i_mode = S_IFCHR;
	inode->i_rdev = devt;
	inode->i_flags |= S_DAX;
	return inode;
}

/* most regions one "regions" write may name */
#define HPM_MAX_SPECS	16

/* "START:SIZE": parse strictly (decimal or 0x hex, no sign) */
static int hpm_region_parse(char *spec, u64 *start, u64 *size)
{
	char *colon = strchr(spec, ':');
	int rc;

	if (!colon)
		return -EINVAL;
	*colon++ = '\0';
	rc = kstrtou64(spec, 0, start);
	return rc ? rc : kstrtou64(colon, 0, size);
}

/* Parse and check every spec of @val: nothing is claimed on error. */
static int hpm_regions_parse(const char *val, u64 *start, u64 *size, int *nr)
{
	char *buf, *cur, *spec;
	int rc = 0, n = 0;

	buf = kstrdup(val, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	cur = strim(buf);
	if (!*cur)
		rc = -EINVAL;
	while (!rc && (spec = strsep(&cur, ","))) {
		if (n == HPM_MAX_SPECS)
			rc = -EINVAL;
		else
			rc = hpm_region_parse(spec, &start[n], &size[n]);
		if (!rc)
			rc = hpm_region_validate(start[n], size[n]);
		n++;
	}
	kfree(buf);
	*nr = n;
	return rc;
}

/*
 * regions=START:SIZE[,START:SIZE...] at load; a write at run time adds
 * the regions it names, all or none: every spec is parsed and checked
 * first, and if a claim still fails (the ranges overlap each other, or
 * another driver took the memory meanwhile) the regions this write added
 * are removed again.  A read lists every region.
 */
static int hpm_regions_set(const char *val, const struct kernel_param *kp)
{
	struct hotmem_region *added[HPM_MAX_SPECS] = {};
	u64 start[HPM_MAX_SPECS], size[HPM_MAX_SPECS];
	int i, n, rc;

	/* at load, the class is registered after the parameters are parsed */
	if (!hpm_class_ready)
		return param_set_charp(val, kp);
	rc = hpm_regions_parse(val, start, size, &n);
	for (i = 0; !rc && i < n; i++)
		rc = hpm_region_add(start[i], size[i], NUMA_NO_NODE, &added[i]);
	/* undo: added[] holds exactly the regions this write claimed */
	for (i = 0; rc && i < n; i++)
		if (added[i])
			hpm_region_remove(added[i]);
	return rc;
}

static int hpm_regions_get(char *buf, const struct kernel_param *kp)
{
	return hpm_regions_show(buf);
}

static const struct kernel_param_ops hpm_regions_ops = {
	.set = hpm_regions_set,
	.get = hpm_regions_get,
	/* frees the string param_set_charp() kept from the load */
	.free = param_free_charp,
};

static char *hpm_regions_at_load;
module_param_cb(regions, &hpm_regions_ops, &hpm_regions_at_load, 0644);
MODULE_PARM_DESC(regions,
		 "Device memory to manage, START:SIZE[,START:SIZE...] in bytes (decimal or 0x hex, 2 MiB aligned); write to add (default: none)");

static int __init hpm_init(void)
{
	int rc;

	hpm_mnt = kern_mount(&hpm_fs_type);
	if (IS_ERR(hpm_mnt))
		return PTR_ERR(hpm_mnt);
	rc = alloc_chrdev_region(&hpm_devt, 0, HPM_MINORS, "hotmem");
	if (rc)
		goto out_unmount;
	rc = class_register(&hpm_class);
	if (rc)
		goto out_chrdev;
	hpm_class_ready = true;
	if (hpm_regions_at_load) {
		rc = hpm_regions_set(hpm_regions_at_load, NULL);
		if (rc) {
			pr_err("regions=%s: %d\n", hpm_regions_at_load, rc);
			goto out_class;
		}
	}
	return 0;

out_class:
	hpm_regions_remove_all();
	class_unregister(&hpm_class);
out_chrdev:
	unregister_chrdev_region(hpm_devt, HPM_MINORS);
out_unmount:
	kern_unmount(hpm_mnt);
	return rc;
}

static void __exit hpm_exit(void)
{
	hpm_regions_remove_all();
	class_unregister(&hpm_class);
	unregister_chrdev_region(hpm_devt, HPM_MINORS);
	kern_unmount(hpm_mnt);
}

module_init(hpm_init);
module_exit(hpm_exit);
MODULE_DESCRIPTION("hotmem: sub-section aware ZONE_DEVICE pagemap allocator");
MODULE_LICENSE("GPL");
