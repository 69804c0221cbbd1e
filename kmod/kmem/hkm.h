/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hotmem_kmem: hot-add the ranges of a dax device as System RAM one memory
 * block at a time, with the memmap of each block on the block itself where
 * the kernel can, and remove them block by block without ever losing track
 * of one.
 *
 * Lock order: hkm_retry_lock, hkm_stuck_lock, then hkm_dev.lock, except
 * for the device hkm_retrying names, whose lock the "stuck" file does
 * not take (main.c).
 * add_memory_driver_managed() and offline_and_remove_memory() take
 * device_hotplug_lock and mem_hotplug_lock themselves; they are called
 * with hkm_dev.lock held and never with device_hotplug_lock held (a lock
 * private to the kernel, so lockdep_assert_not_held() cannot say it).
 * A state write holds hkm_dev.lock while a kernel thread of its own
 * writes a memory block's state file (the file's kernfs reference, then
 * device_hotplug_lock by trylock; lockdep does not see across the wait).
 * Exposing and revoking stranded parts take hotmem_pagemap's lock (and
 * may run modprobe) under hkm_dev.lock; hotmem_pagemap never calls back.
 *
 * Block states, per range; the added blocks are always a prefix
 * [0, nr_added) of the planned ones:
 *   planned -> added (online or offline: the memory block device says)
 *           -> removed, which is planned again.
 * Plug adds forwards; a failure removes what that plug added.  Unplug
 * removes backwards; a block that cannot be offlined stops it with -EBUSY
 * and it and every block before it stay added, so a retry resumes there.
 *
 * Device states (hkm_dev_state()): "unplugged" (no block added), "partial"
 * (some), "offline", "online" or "mixed" (all added; none, all or some of
 * them online).  A state write (hkm_set_state()) moves every block to one
 * of unplugged, offline or online, or leaves each where it was.  Stranded
 * parts are exposed (stranded.c) only while blocks are added, if the
 * device asks for it, and go with the last block or at unbind.  A device
 * unbound while blocks remain added is "stuck": it moves to hkm_stuck
 * with its resources and its module reference, and leaves it when a retry
 * (retry_unplug) or a rebind of the same ranges removes the rest.  Any
 * added memory pins the module, so hotmem_kmem cannot be unloaded with
 * memory it would lose track of.
 */
#ifndef HKM_H
#define HKM_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include "plan.h"

struct dev_dax;
struct device;
struct hotmem_region;
struct memory_dev_type;
struct page;
struct resource;

/**
 * struct hkm_stranded - the 2 MiB aligned part of a range's head or tail,
 *	which hotmem_pagemap can take as a region (stranded.c); protected by
 *	the lock of its hkm_dev, @start and @size set at allocation
 * @start: its first byte
 * @size: its length, 0 if the head or tail holds no whole 2 MiB
 * @region: the hotmem_pagemap region it is exposed as, or NULL
 * @remove: hotmem_region_remove(), looked up with @region
 * @region_id: the N of that regionN, -1 without one
 */
struct hkm_stranded {
	u64 start;
	u64 size;
	struct hotmem_region *region;
	void (*remove)(struct hotmem_region *region);
	int region_id;
};

/**
 * struct hkm_range - one range of a dax device and its blocks; @start,
 *	@size and @plan are set at allocation, the rest is protected by the
 *	lock of its hkm_dev (hkm_show_stuck() reads the block count of the
 *	device being retried without it: a stale count, harmless)
 * @start: first byte of the dax range
 * @size: its length
 * @plan: the whole blocks it holds and what is stranded around them
 * @res: the parent resource of its System RAM, while a block is added
 * @nr_added: blocks [0, @nr_added) are added
 * @on_dev: bit i set: block i carries its own memmap
 * @stranded: the exposable parts of its head (0) and tail (1)
 */
struct hkm_range {
	u64 start;
	u64 size;
	struct hkm_plan plan;
	struct resource *res;
	u64 nr_added;
	unsigned long *on_dev;
	struct hkm_stranded stranded[2];
};

/**
 * struct hkm_dev - the hot-add state of one dax device
 * @stuck: entry in hkm_stuck while unbound with memory added; protected
 *	by hkm_stuck_lock, as is @retry_round
 * @retry_round: the last retry_unplug pass that visited the device
 * @name: resource name (the device name at probe); outlives the binding
 * @nid: target node of the memory
 * @nr_range: number of @ranges
 * @lock: protects the fields grouped under it
 * @mgid: memory group id while a block is added, else -1
 * @mtype: memory tier type given to @nid while a block is added
 * @memmap_on_memory: wanted memmap placement for the next plug; also set
 *	before the device is published, and read with READ_ONCE() by its show
 * @expose_stranded: hand the stranded parts to hotmem_pagemap while
 *	blocks are added; set before the device is published, then under
 *	@lock, read with READ_ONCE() by its show
 * @holds_module: a module reference is held for the added memory
 * @ranges: the device's ranges, in the order of its mappings
 */
struct hkm_dev {
	/* protected by hkm_stuck_lock (main.c) */
	struct list_head stuck;
	unsigned long retry_round;

	/* set at allocation, then constant (@ranges' bounds included) */
	const char *name;
	int nid;
	int nr_range;

	/* protected by @lock: these and what @ranges record of the blocks */
	struct mutex lock;
	int mgid;
	struct memory_dev_type *mtype;
	bool memmap_on_memory;
	bool expose_stranded;
	bool holds_module;
	struct hkm_range ranges[];
};

/**
 * enum hkm_state - what a write of the "state" attribute asks for
 * @HKM_STATE_UNPLUGGED: no block added
 * @HKM_STATE_OFFLINE: every block added, none online
 * @HKM_STATE_ONLINE: every block added and online, in any zone
 * @HKM_STATE_ONLINE_MOVABLE: every block added and online in ZONE_MOVABLE
 */
enum hkm_state {
	HKM_STATE_UNPLUGGED,
	HKM_STATE_OFFLINE,
	HKM_STATE_ONLINE,
	HKM_STATE_ONLINE_MOVABLE,
};

/* hotplug.c */
int hkm_plug(struct hkm_dev *hd);
int hkm_set_state(struct hkm_dev *hd, enum hkm_state to);
int hkm_unplug(struct hkm_dev *hd);
bool hkm_memmap_on_memory_possible(const struct hkm_dev *hd);
bool hkm_block_has_memmap_on_memory(const struct hkm_dev *hd);
u64 hkm_nr_added(const struct hkm_dev *hd);
bool hkm_holds_anything(const struct hkm_dev *hd);
u64 hkm_nr_planned(const struct hkm_dev *hd);
u64 hkm_block_size(void);
struct page *hkm_block_page(u64 start);

/* stranded.c */
void hkm_stranded_init(struct hkm_range *r);
bool hkm_stranded_exposed(const struct hkm_dev *hd);
int hkm_stranded_expose(struct hkm_dev *hd);
void hkm_stranded_revoke(struct hkm_dev *hd);
ssize_t hkm_stranded_show(struct hkm_dev *hd, char *buf);
u64 hkm_stranded_bytes(struct hkm_dev *hd, bool exposed);

/* tier.c */
struct memory_dev_type *hkm_tier_get(int nid);
void hkm_tier_put(int nid, struct memory_dev_type *mtype);
int hkm_tier_init(void);
void hkm_tier_exit(void);

/* main.c */
extern bool hkm_default_memmap_on_memory;
extern bool hkm_default_expose_stranded;
extern bool hkm_expedite_rcu;
extern const char *hkm_ram_name;
int hkm_retry_stuck(void);
ssize_t hkm_show_stuck(char *buf);

/* sysfs.c */
extern const struct attribute_group hkm_dev_group;
extern const struct attribute_group *hkm_drv_groups[];
const char *hkm_dev_state(struct hkm_dev *hd);

#endif /* HKM_H */
