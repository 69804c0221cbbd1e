// SPDX-License-Identifier: GPL-2.0
/*
 * The character device of an enabled hotmem_pagemap instance: mmap it
 * MAP_SHARED (private mappings are refused) and its pages fault in at the
 * largest of 1 GiB, 2 MiB and 4 KiB that the instance align allows and
 * that the mapping and the memory are aligned to.  Offset 0 is the first
 * byte after the memmap a "dev" instance keeps in its first pages; the
 * ranges follow each other.  An instance cannot be disabled through sysfs
 * while its device is open or mapped; a region's owner can revoke it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cdev.h>
#include <linux/fs.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/mman.h>
#include <linux/pfn_t.h>

#include "compat.h"
#include "hpm.h"

/**
 * hpm_instance_usable() - bytes of an enabled instance that can be mapped
 * @inst: the instance; its ranges do not change while it is enabled
 *
 * Return: its size less the memmap kept on the device.
 */
u64 hpm_instance_usable(const struct hpm_instance *inst)
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
	return inst->align;
#else
	return min_t(u64, inst->align, PMD_SIZE);
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
	inst->users--;
	mutex_unlock(&hpm_lock);
	put_device(&inst->dev);
	return 0;
}

const struct file_operations hpm_fops = {
	.owner = THIS_MODULE,
	.open = hpm_open,
	.release = hpm_release,
	.mmap = hpm_mmap,
	.get_unmapped_area = hpm_get_unmapped_area,
	.llseek = noop_llseek,
};
