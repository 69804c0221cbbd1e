/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels hotmem_pagemap supports (6.1 to 6.12),
 * kept here so the rest reads as code for one kernel.  The HPM_HAVE_*
 * switches are probed by Kbuild from the kernel's headers.
 */
#ifndef HPM_COMPAT_H
#define HPM_COMPAT_H

#include <linux/mm.h>
#include <linux/sched/mm.h>

/* 6.3 made vma->vm_flags read-only: set flags through vm_flags_set() */
static inline void hpm_compat_vma_flags_set(struct vm_area_struct *vma,
					    unsigned long flags)
{
#ifdef HPM_HAVE_VM_FLAGS_SET
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

/* 6.10 replaced mm->get_unmapped_area with mm_get_unmapped_area() */
static inline unsigned long
hpm_compat_get_unmapped_area(struct file *filp, unsigned long addr,
			     unsigned long len, unsigned long pgoff,
			     unsigned long flags)
{
#ifdef HPM_HAVE_MM_GET_UNMAPPED_AREA
	return mm_get_unmapped_area(current->mm, filp, addr, len, pgoff, flags);
#else
	return current->mm->get_unmapped_area(filp, addr, len, pgoff, flags);
#endif
}

#endif /* HPM_COMPAT_H */
