/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels hotmem_kmem supports (6.1 to 6.12),
 * kept here so the rest of the module reads as code for one kernel.  The
 * HKM_HAVE_* switches are probed by Kbuild from the kernel's headers.
 */
#ifndef HKM_COMPAT_H
#define HKM_COMPAT_H

#include <linux/memory_hotplug.h>

#include "bus.h"

/*
 * 6.2 gave dax drivers a type; a "kmem" type driver is what RAM regions
 * bind to by default.  Before, drivers matched by id only (new_id).
 */
static inline void hkm_compat_driver_type(struct dax_device_driver *drv)
{
#ifdef HKM_HAVE_DAX_DRIVER_TYPE
	drv->type = DAXDRV_KMEM_TYPE;
#endif
}

/*
 * Will add_memory_driver_managed(MHP_MEMMAP_ON_MEMORY) honour the flag?
 * Since 6.8 the kernel exports its predicate (and falls back silently when
 * it says no).  Before, the predicate is private and the add fails with
 * -EINVAL when memory_hotplug.memmap_on_memory is off; the caller learns
 * that from the first add (see hkm_add_block()).
 */
static inline bool hkm_compat_kernel_memmap_on_memory(void)
{
#ifdef HKM_HAVE_MHP_SUPPORTS_MEMMAP_ON_MEMORY
	return mhp_supports_memmap_on_memory();
#else
	return true;
#endif
}

/* Without the exported predicate, an unsupported flag fails the add. */
static inline bool hkm_compat_memmap_on_memory_fails_add(void)
{
#ifdef HKM_HAVE_MHP_SUPPORTS_MEMMAP_ON_MEMORY
	return false;
#else
	return true;
#endif
}

#endif /* HKM_COMPAT_H */
