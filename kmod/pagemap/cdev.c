// SPDX-License-Identifier: GPL-2.0
/*
 * The character device of an enabled hotmem_pagemap instance.  A coherent
 * or private instance is not mapped: its ioctls migrate the caller's
 * memory in and out (devmem.c).  A generic one is: mmap it
 * MAP_SHARED (private mappings are refused) and its pages fault in at the
 * largest of 1 GiB, 2 MiB and 4 KiB that the instance align allows and
 * that the mapping and the memory are aligned to.  Offset 0 is the first
 * byte after the memmap a "dev" instance keeps in its first pages; the
 * ranges follow each other.  An instance cannot be disabled through sysfs
 * while its device is open or mapped; a region's owner can revoke it.
 *
 * This file also owns what every instance's character device is made of,
 * as drivers/dax/super.c does for device-dax: the device numbers, and the
 * private pseudo filesystem whose S_DAX inodes the files map through.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cdev.h>
#include <linux/fs.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/mman.h>
#include <linux/mount.h>
#include <linux/pfn_t.h>
#include <linux/pseudo_fs.h>

#include <uapi/hotmem/pagemap.h>

#include "compat.h"
#include "hpm.h"

/* instance character devices: major and minors */
#define HPM_MINORS	BIT(16)
static dev_t hpm_devt;
/* minors of the instances (the ida locks itself) */
static DEFINE_IDA(hpm_minor_ida);

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

/* The inode for @devt: a character-device inode with S_DAX set. */
static struct inode *hpm_inode_alloc(dev_t devt)
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

/* bytes of an enabled instance that can be mapped: its size less the
 * memmap kept on the device; its ranges do not change while enabled
 */
static u64 hpm_instance_usable(const struct hpm_instance *inst)
{
	u64 bytes = 0;
	int i;

	for (i = 0; i < inst->nr_range; i++)
		bytes += inst->ranges[i].len - hpm_range_reserved(inst, i);
	return bytes;
}

/* Physical address of instance offset @off for a fault of @size; -1 if
 * out of range, crossing a range end, or misaligned for @size.
 */
static phys_addr_t hpm_off_to_phys(const struct hpm_instance *inst, u64 off,
				   u64 size)
{
	u64 usable, phys;
	int i;

	for (i = 0; i < inst->nr_range; i++) {
		usable = inst->ranges[i].len - hpm_range_reserved(inst, i);
		if (off < usable) {
			phys = inst->ranges[i].start + hpm_range_reserved(inst, i) + off;
			if (off + size > usable || !IS_ALIGNED(phys, size))
				return -1;
			return phys;
		}
		off -= usable;
	}
	return -1;
}

/*
 * The largest page a mapping of @inst faults in: its align, but never
 * 1 GiB where the kernel's mprotect() cannot handle a PUD mapping of
 * device memory (before change_huge_pud(), 6.1 clears it as a "bad pud"
 * without flushing the TLB), and only 4 KiB on a kernel without
 * transparent huge pages (PREEMPT_RT), which maps nothing larger.
 */
static u64 hpm_fault_max(const struct hpm_instance *inst)
{
#if !IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE)
	return PAGE_SIZE;
#elif defined(HPM_HAVE_CHANGE_HUGE_PUD)
	return READ_ONCE(inst->align);
#else
	return min_t(u64, READ_ONCE(inst->align), PMD_SIZE);
#endif
}

static vm_fault_t hpm_insert(struct vm_fault *vmf, u64 size)
{
	struct vm_area_struct *vma = vmf->vma;
	struct hpm_instance *inst = vma->vm_file->private_data;
	unsigned long addr = ALIGN_DOWN(vmf->address, size);
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	phys_addr_t phys;
	pfn_t pfn;

	if (addr < vma->vm_start || addr + size > vma->vm_end)
		return size == PAGE_SIZE ? VM_FAULT_SIGBUS : VM_FAULT_FALLBACK;
	phys = hpm_off_to_phys(inst, (u64)linear_page_index(vma, addr) << PAGE_SHIFT,
			       size);
	if (phys == (phys_addr_t)-1)
		return size == PAGE_SIZE ? VM_FAULT_SIGBUS : VM_FAULT_FALLBACK;
	pfn = phys_to_pfn_t(phys, PFN_DEV | PFN_MAP);
	if (size == PAGE_SIZE)
		return vmf_insert_mixed(vma, vmf->address, pfn);
	/* unreachable without THP (hpm_fault_max()), and not linked there */
	if (!IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE))
		return VM_FAULT_FALLBACK;
	if (size == PMD_SIZE)
		return vmf_insert_pfn_pmd(vmf, pfn, write);
	if (WARN_ON_ONCE(size != PUD_SIZE))
		return VM_FAULT_SIGBUS;
	return vmf_insert_pfn_pud(vmf, pfn, write);
}

/*
 * Fault in @size bytes, if the instance align allows pages that large
 * and the instance has not been revoked meanwhile.
 */
static vm_fault_t hpm_fault_size(struct vm_fault *vmf, u64 size)
{
	struct hpm_instance *inst = vmf->vma->vm_file->private_data;
	vm_fault_t ret;

	if (size > hpm_fault_max(inst))
		return VM_FAULT_FALLBACK;
	down_read(&inst->fault_lock);
	ret = inst->enabled ? hpm_insert(vmf, size) : VM_FAULT_SIGBUS;
	up_read(&inst->fault_lock);
	return ret;
}

static vm_fault_t hpm_fault(struct vm_fault *vmf)
{
	return hpm_fault_size(vmf, PAGE_SIZE);
}

#ifdef HPM_HAVE_HUGE_FAULT_ORDER
static vm_fault_t hpm_huge_fault(struct vm_fault *vmf, unsigned int order)
{
	if (order == PMD_ORDER)
		return hpm_fault_size(vmf, PMD_SIZE);
	if (order == PUD_ORDER)
		return hpm_fault_size(vmf, PUD_SIZE);
	return VM_FAULT_FALLBACK;
}
#else
static vm_fault_t hpm_huge_fault(struct vm_fault *vmf,
				 enum page_entry_size pe_size)
{
	if (pe_size == PE_SIZE_PMD)
		return hpm_fault_size(vmf, PMD_SIZE);
	if (pe_size == PE_SIZE_PUD)
		return hpm_fault_size(vmf, PUD_SIZE);
	return VM_FAULT_FALLBACK;
}
#endif

/*
 * A vma is only split where no 1 GiB page can straddle the cut: the core
 * splits PMD mappings itself, but not PUD ones.
 */
static int hpm_may_split(struct vm_area_struct *vma, unsigned long addr)
{
	struct hpm_instance *inst = vma->vm_file->private_data;

	if (hpm_fault_max(inst) >= PUD_SIZE && !IS_ALIGNED(addr, PUD_SIZE))
		return -EINVAL;
	return 0;
}

static const struct vm_operations_struct hpm_vm_ops = {
	.fault = hpm_fault,
	.huge_fault = hpm_huge_fault,
	.may_split = hpm_may_split,
};

static int hpm_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct hpm_instance *inst = filp->private_data;

	/* coherent and private memory reach a process by migration */
	if (hpm_type_devmem(inst->type))
		return -ENODEV;
	/* device memory has no page cache to copy a private mapping from */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	/* revoked since it was opened */
	if (!READ_ONCE(inst->enabled))
		return -ENXIO;
	if (((u64)vma->vm_pgoff << PAGE_SHIFT) + (vma->vm_end - vma->vm_start) >
	    hpm_instance_usable(inst))
		return -EINVAL;
	vma->vm_ops = &hpm_vm_ops;
	/*
	 * Mixed map: the pages are device memory, not page cache, so unmap
	 * must neither count them as file pages nor touch their rmap (a
	 * device-dax vma gets the same from its S_DAX inode).
	 */
	hpm_compat_vma_flags_set(vma, VM_MIXEDMAP | VM_HUGEPAGE);
	return 0;
}

/*
 * Place a mapping so that file offsets and addresses agree modulo the
 * largest page the instance faults in, as thp_get_unmapped_area() does
 * for 2 MiB: ask for @len plus that much and move up within it.
 */
static unsigned long hpm_get_unmapped_area(struct file *filp,
					   unsigned long addr,
					   unsigned long len,
					   unsigned long pgoff,
					   unsigned long flags)
{
	struct hpm_instance *inst = filp->private_data;
	unsigned long max = min_t(u64, hpm_fault_max(inst), len);
	unsigned long off = pgoff << PAGE_SHIFT, align, got;

	/* the largest page size that fits both the align and the length */
	align = max >= PUD_SIZE ? PUD_SIZE : max >= PMD_SIZE ? PMD_SIZE : 0;
	if (addr || (flags & MAP_FIXED) || !align || len + align < len)
		return hpm_compat_get_unmapped_area(filp, addr, len, pgoff, flags);
	got = hpm_compat_get_unmapped_area(filp, 0, len + align, pgoff, flags);
	if (IS_ERR_VALUE(got))
		return hpm_compat_get_unmapped_area(filp, addr, len, pgoff, flags);
	return got + ((off - got) & (align - 1));
}

static int hpm_open(struct inode *inode, struct file *filp)
{
	struct hpm_instance *inst = container_of(inode->i_cdev,
						 struct hpm_instance, cdev);
	int rc;

	if (mutex_lock_interruptible(&hpm_lock))
		return -EINTR;
	rc = (inst->dead || !inst->enabled) ? -ENXIO : 0;
	if (!rc) {
		inst->users++;
		inst->opened = true;
		get_device(&inst->dev);
		filp->private_data = inst;
		/* every file of the instance maps through its S_DAX inode */
		filp->f_mapping = inst->inode->i_mapping;
	}
	mutex_unlock(&hpm_lock);
	return rc;
}

/* the last reference to the file: every fd closed and every vma gone */
static int hpm_release(struct inode *inode, struct file *filp)
{
	struct hpm_instance *inst = filp->private_data;

	mutex_lock(&hpm_lock);
	if (!WARN_ON_ONCE(inst->users <= 0))
		inst->users--;
	mutex_unlock(&hpm_lock);
	put_device(&inst->dev);
	return 0;
}

/* the migration ioctls of include/uapi/hotmem/pagemap.h */
static long hpm_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct hpm_instance *inst = filp->private_data;

	if (!hpm_type_devmem(inst->type))
		return -ENOTTY;
	if (cmd != HOTMEM_PM_MIGRATE_TO_DEV && cmd != HOTMEM_PM_MIGRATE_TO_RAM)
		return -ENOTTY;
	return hpm_devmem_migrate(inst, cmd, (void __user *)arg);
}

static const struct file_operations hpm_fops = {
	.owner = THIS_MODULE,
	.open = hpm_open,
	.release = hpm_release,
	.unlocked_ioctl = hpm_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = hpm_mmap,
	.get_unmapped_area = hpm_get_unmapped_area,
	.llseek = noop_llseek,
};

/**
 * hpm_cdev_add() - give an instance its character device and register it
 * @inst: a new instance whose device is initialised and named, not added
 *
 * Takes a minor and an inode, and adds the instance device together with
 * its character device (cdev_device_add()).  What was taken before a
 * failure stays recorded in @inst for hpm_cdev_release().
 *
 * Return: 0; -ENOSPC if no minor is left; -ENOMEM; or the error of
 * cdev_device_add().
 */
int hpm_cdev_add(struct hpm_instance *inst)
{
	int minor;

	minor = ida_alloc_max(&hpm_minor_ida, HPM_MINORS - 1, GFP_KERNEL);
	if (minor < 0)
		return minor;
	inst->dev.devt = MKDEV(MAJOR(hpm_devt), minor);
	inst->inode = hpm_inode_alloc(inst->dev.devt);
	if (IS_ERR(inst->inode)) {
		int rc = PTR_ERR(inst->inode);

		inst->inode = NULL;
		return rc;
	}
	cdev_init(&inst->cdev, &hpm_fops);
	inst->cdev.owner = THIS_MODULE;
	return cdev_device_add(&inst->cdev, &inst->dev);
}

/**
 * hpm_cdev_del() - unregister an instance device and its character device
 * @inst: an instance hpm_cdev_add() registered; hpm_lock not held (this
 *	waits for the device's own handlers)
 */
void hpm_cdev_del(struct hpm_instance *inst)
{
	lockdep_assert_not_held(&hpm_lock);
	cdev_device_del(&inst->cdev, &inst->dev);
}

/**
 * hpm_cdev_release() - give back the inode and minor of an instance
 * @inst: the instance, from its device's release: no file is open
 */
void hpm_cdev_release(struct hpm_instance *inst)
{
	if (inst->inode)
		iput(inst->inode);
	if (inst->dev.devt)
		ida_free(&hpm_minor_ida, MINOR(inst->dev.devt));
}

/**
 * hpm_cdev_init() - module load: the device numbers and the pseudo-fs
 *
 * Return: 0, or -errno with nothing left behind.
 */
int hpm_cdev_init(void)
{
	int rc;

	hpm_mnt = kern_mount(&hpm_fs_type);
	rc = PTR_ERR_OR_ZERO(hpm_mnt);
	if (rc)
		return rc;
	rc = alloc_chrdev_region(&hpm_devt, 0, HPM_MINORS, "hotmem");
	if (rc)
		kern_unmount(hpm_mnt);
	return rc;
}

/** hpm_cdev_exit() - module unload, after every instance is gone */
void hpm_cdev_exit(void)
{
	unregister_chrdev_region(hpm_devt, HPM_MINORS);
	kern_unmount(hpm_mnt);
}
