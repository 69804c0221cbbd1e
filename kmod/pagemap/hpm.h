/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hotmem_pagemap: a sub-section aware ZONE_DEVICE pagemap allocator.
 * Regions own a physical range of device memory and the sub-section map
 * of it (subsec.h); instances are carved from a region at 2 MiB
 * granularity, in one or more discontiguous ranges.
 *
 * Locking: hpm_lock protects the region and instance fields grouped
 * under it below, and the sub-section maps.  main.c's hpm_param_lock, held by a "regions" write
 * and by init and exit, comes before every other lock of the module; the
 * write holds the kernel's kernel_param_lock(THIS_MODULE) around it, so
 * nothing holding hpm_param_lock may read or set a parameter.  Two per-instance
 * locks nest outside and inside hpm_lock: mapping_lock (taken before
 * hpm_lock) keeps a range change and its mappingN devices together;
 * fault_lock (taken inside hpm_lock, and by faults alone) keeps
 * "enabled" stable for a fault.  Sysfs handlers take
 * hpm_lock interruptibly.  A device is never unregistered with hpm_lock
 * held: it is detached (->dead) under the lock and unregistered after, so
 * its own handlers, which recheck ->dead under the lock, cannot deadlock
 * the removal.  A teardown waits with hpm_lock held for workers of the
 * unbound workqueue that unmap its pgmaps (hpm_pgmaps_unmap()): they take
 * no lock of ours, only the kernel's memory hotplug locks, which nothing
 * of ours holds while it takes hpm_lock.  Enabling takes mapping_lock (no
 * enable between a range change and its undo); disabling needs hpm_lock
 * alone, as no range changes while an instance is enabled.
 *
 * Instance states: created (size 0, the region's seed) -> sized (size > 0)
 * <-> enabled (its ranges are ZONE_DEVICE pages) -> deleted (size 0 again).
 * Size, memmap placement, type and deletion change only while disabled.
 * The pages of a "coherent" or "private" instance are in use from the
 * moment devmem.c hands one out until its page_free(); such an instance
 * cannot be disabled while any is in use.
 */
#ifndef HPM_H
#define HPM_H

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/list.h>
#include <linux/memremap.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <hotmem/pagemap.h>

#include "subsec.h"

/* most ranges an instance may have */
#define HPM_MAX_RANGES	64

extern struct mutex hpm_lock;
/* pgmap.c: expedite its RCU grace periods (the expedite_rcu parameter) */
extern bool hpm_expedite_rcu;

/**
 * struct hotmem_region - a physical range of device memory owned by hotmem
 * @dev: the region device, regionN of the "hotmem" class
 * @id: region id
 * @res: the iomem resource claimed for it
 * @target_node: the NUMA node the memory belongs to (may be offline), or
 *	NUMA_NO_NODE
 * @ida: instance ids (locks itself)
 * @map: owner of each sub-section; its base and nr are set before the
 *	region is published and read without the lock, its owners change
 *	under hpm_lock
 * @instances: its instances, by creation
 * @by_id: the same instances, indexed by id (for a write that names many)
 * @seed: the first instance of size 0, or NULL
 * @youngest: the most recently created instance, or NULL
 * @node: entry in hpm_regions
 * @dead: removed; handlers return -ENXIO
 * @poison: the pages memory_failure() reported, by pfn, for the life of
 *	the region: whichever coherent or private instance holds them later
 *	never hands them out (locks itself; read in any context)
 * @nr_poisoned: entries of @poison; written under the kernel's mf_mutex
 */
struct hotmem_region {
	/* set before it is published, then constant */
	struct device dev;
	int id;
	struct resource *res;
	int target_node;
	struct ida ida;

	/* protected by hpm_lock */
	struct hpm_map map;
	struct list_head instances;
	struct xarray by_id;
	struct device *seed;
	struct device *youngest;
	struct list_head node;
	bool dead;

	struct xarray poison;
	unsigned long nr_poisoned;
};

/**
 * struct hpm_mapping - mappingN of an instance: one of its ranges in sysfs
 * @dev: the device, a child of the instance, named "mappingN"
 * @inst: its instance
 * @index: N, the index of the range it shows
 *
 * Both are set before the device is added, then constant.
 */
struct hpm_mapping {
	struct device dev;
	struct hpm_instance *inst;
	int index;
};

/**
 * enum hpm_type - what the pages of an instance are (its "type")
 * @HPM_GENERIC: MEMORY_DEVICE_GENERIC, reached by mmap of the instance
 * @HPM_COHERENT: MEMORY_DEVICE_COHERENT, reached by migration; the CPU
 *	maps the pages like RAM
 * @HPM_PRIVATE: MEMORY_DEVICE_PRIVATE, reached by migration; the CPU
 *	cannot map them, a fault moves the page back to RAM
 */
enum hpm_type {
	HPM_GENERIC,
	HPM_COHERENT,
	HPM_PRIVATE,
};

/**
 * struct hpm_pgmap - the pgmap of one range of an enabled instance
 * @pgmap: what memremap_pages() maps; its owner is the instance for the
 *	coherent and private types
 * @kaddr: the kernel's mapping of a private range (memremap()), through
 *	which its data is copied; NULL for the other types, whose pages are
 *	in the kernel's linear map
 * @pfn_first: its first page that is not memmap (with memmap "dev" the
 *	struct pages of the range take its first pages)
 * @unmap: its teardown on the unbound workqueue (hpm_pgmaps_unmap())
 */
struct hpm_pgmap {
	struct dev_pagemap pgmap;
	void *kaddr;
	unsigned long pfn_first;
	struct work_struct unmap;
};

/**
 * struct hpm_instance - a piece of a region
 * @dev: the instance device, "pmR.I", a child of its region
 * @region: its region
 * @id: id within the region; owner value id + 1 in the map
 * @cdev: the character device /dev/pmR.I
 * @inode: the S_DAX inode whose mapping every open file of @cdev uses:
 *	huge faults are allowed on DAX vmas, and it finds every mapping of
 *	the instance for a revoke
 * @align: fault granularity (4 KiB, 2 MiB or 1 GiB); ranges are aligned
 *	to it and to 2 MiB, the unit memremap_pages() maps; written under
 *	@mapping_lock too, only while disabled; read with READ_ONCE() by its
 *	show and by the file operations (stable while a file is open)
 * @nr_range: number of @ranges
 * @ranges: the physical ranges, in allocation order
 * @memmap_dev: struct pages on the device (a vmem_altmap per range), not RAM
 * @type: what its pages are; read without the lock by the file
 *	operations, stable while a file is open
 * @pgmaps: one ZONE_DEVICE pgmap per range while enabled; also unmapped
 *	without the lock by the owner of a dead instance (its revoke)
 * @users: open files of @cdev (a mapping holds its file open)
 * @opened: opened since it was enabled (only then can a page be pinned)
 * @node: entry in the region's instances
 * @dead: deleted; handlers return -ENXIO
 * @revoking: was enabled when it was killed: to be revoked
 * @fault_lock: held for reading by faults, for writing to change @enabled
 * @enabled: @pgmaps are mapped; written under both hpm_lock and
 *	@fault_lock, so a fault (which holds @fault_lock) sees it stable;
 *	read with READ_ONCE() and no lock by its show and by mmap
 * @mapping_lock: held by the stores that change the ranges or enable
 *	(size, mapping, enabled) from before the change until @mappings
 *	match it, so a change can be undone if they cannot be made; taken
 *	before hpm_lock, never inside it
 * @mappings: the mappingN devices, for ranges 0 to @nr_mapping - 1
 * @nr_mapping: number of @mappings registered
 * @free_lock: protects the free list of a coherent or private instance;
 *	taken with interrupts off (page_free() may run in any context)
 * @free: the free pages, linked through their zone_device_data
 * @nr_free: pages on @free
 * @allocated: pages handed out and not yet given back by page_free()
 */
struct hpm_instance {
	/* set before it is published, then constant */
	struct device dev;
	struct hotmem_region *region;
	int id;
	struct cdev cdev;
	struct inode *inode;

	/*
	 * Protected by hpm_lock.  @nr_range, @ranges and @memmap_dev change
	 * only while disabled: while enabled, or dead and being revoked, the
	 * faults and the revoke read them without it.
	 */
	u64 align;
	int nr_range;
	struct hpm_range ranges[HPM_MAX_RANGES];
	bool memmap_dev;
	enum hpm_type type;
	struct hpm_pgmap *pgmaps[HPM_MAX_RANGES];
	int users;
	bool opened;
	struct list_head node;
	bool dead;
	bool revoking;

	/* protected by hpm_lock and fault_lock: writers hold both */
	struct rw_semaphore fault_lock;
	bool enabled;

	/* protected by mapping_lock (before hpm_lock) */
	struct mutex mapping_lock;
	struct hpm_mapping *mappings[HPM_MAX_RANGES];
	int nr_mapping;

	/* protected by free_lock (coherent and private instances) */
	spinlock_t free_lock;
	struct page *free;
	unsigned long nr_free;
	unsigned long allocated;
};

/* the coherent and private types: pages handed out by devmem.c */
static inline bool hpm_type_devmem(enum hpm_type type)
{
	return type != HPM_GENERIC;
}

/**
 * hpm_lock_live() - take hpm_lock for a handler of a region or instance
 * @dead: the object's "dead" flag, read under the lock
 *
 * Return: 0 with hpm_lock held; -EINTR; -ENXIO (not held) if the object
 * was removed meanwhile.
 */
static inline int hpm_lock_live(const bool *dead)
{
	if (mutex_lock_interruptible(&hpm_lock))
		return -EINTR;
	if (*dead) {
		mutex_unlock(&hpm_lock);
		return -ENXIO;
	}
	return 0;
}

/* hpm_lock_live() for an instance */
static inline int hpm_instance_lock(struct hpm_instance *inst)
{
	return hpm_lock_live(&inst->dead);
}

/*
 * Each file calls only the files listed after it (main.c, the top, has
 * init, exit and the "regions" parameter and no interface of its own).
 */

/* region.c */
int hpm_regions_init(void);
void hpm_regions_exit(void);
int hpm_region_add(u64 start, u64 size, int target_node, bool owned,
		   struct hotmem_region **out);
void hpm_region_remove(struct hotmem_region *region);
int hpm_region_validate(u64 start, u64 size);
int hpm_regions_show(char *buf);

/* instance.c */
struct hpm_instance *hpm_instance_new(struct hotmem_region *region);
struct hpm_instance *hpm_instance_create(struct hotmem_region *region);
int hpm_instance_delete(struct hotmem_region *region, const char *name,
			size_t len);
int hpm_region_disable(struct hotmem_region *region, const char *buf,
		       size_t count);
void hpm_instance_kill(struct hpm_instance *inst);
void hpm_instance_destroy(struct hpm_instance *inst);

/* mapping.c */
int hpm_mappings_sync(struct hpm_instance *inst, int want);

/* cdev.c */
int hpm_cdev_init(void);
void hpm_cdev_exit(void);
int hpm_cdev_add(struct hpm_instance *inst);
void hpm_cdev_del(struct hpm_instance *inst);
void hpm_cdev_release(struct hpm_instance *inst);

/* pgmap.c */
int hpm_instance_enable(struct hpm_instance *inst);
int hpm_instance_disable(struct hpm_instance *inst);
int hpm_instances_disable(struct hpm_instance **v, int n);
void hpm_instance_stop(struct hpm_instance *inst);
void hpm_instance_revoke(struct hpm_instance *inst);
unsigned long hpm_instance_pinned(struct hpm_instance *inst);
u64 hpm_range_reserved(const struct hpm_instance *inst, int i);
void hpm_instance_memmap_bytes(struct hpm_instance *inst, u64 *device,
			       u64 *dram);

/* devmem.c */
extern const struct dev_pagemap_ops hpm_devmem_ops;
void hpm_devmem_fill(struct hpm_instance *inst, unsigned long pfn,
		     unsigned long end);
void hpm_devmem_drain(struct hpm_instance *inst);
unsigned long hpm_devmem_allocated(struct hpm_instance *inst);
unsigned long hpm_devmem_poisoned(struct hpm_instance *inst);
long hpm_devmem_migrate(struct hpm_instance *inst, unsigned int cmd,
			void __user *uarg);
int hpm_devmem_evict(struct hpm_instance *inst);

#endif /* HPM_H */
