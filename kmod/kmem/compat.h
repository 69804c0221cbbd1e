/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels hotmem_kmem supports (6.1 to 6.12):
 * kept here so the rest of the module reads as code for one kernel.
 */
#ifndef HKM_COMPAT_H
#define HKM_COMPAT_H

#include <linux/memory_hotplug.h>
#include <linux/version.h>

#include "bus.h"

/*
 * 6.2 gave dax drivers a type; a "kmem" type driver is what RAM regions
 * bind to by default.  Before, drivers matched by id only (new_id).
 */
static inline void hkm_compat_driver_type(struct dax_device_driver *drv)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	drv->type = DAXDRV_KMEM_TYPE;
#endif
}

/*
 * Will add_memory_driver_managed(MHP_MEMMAP_ON_MEMORY) honour the flag?
 * 6.8 exports the kernel's own predicate (and falls back silently when it
 * says no).  Before that the predicate is private and the add fails with
 * -EINVAL when memory_hotplug.memmap_on_memory is off; the caller learns
 * that from the first add (see hkm_add_block()).
 */
static inline bool hkm_compat_kernel_memmap_on_memory(void)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
	return mhp_supports_memmap_on_memory();
#else
	return true;
#endif
}

/* Before 6.8 an unsupported MHP_MEMMAP_ON_MEMORY fails the add. */
static inline bool hkm_compat_memmap_on_memory_fails_add(void)
{
	return LINUX_VERSION_CODE < KERNEL_VERSION(6, 8, 0);
}

#endif /* HKM_COMPAT_H */
