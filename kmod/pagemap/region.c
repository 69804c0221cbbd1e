// SPDX-License-Identifier: GPL-2.0
/*
 * Regions of hotmem_pagemap: claim a physical range of device memory that
 * no one owns, describe it with a sub-section map, and expose it with the
 * names and meanings of a dax region (id, size, align, available_size,
 * seed, create, delete) plus the readable sub-section map.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/numa.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "hm_parse.h"
#include "hpm.h"

/* the class regions and their instances are devices of */
static struct class hpm_class = {
	.name = "hotmem",
};

/* every region; protected by hpm_lock */
static LIST_HEAD(hpm_regions);
/* region ids (the ida locks itself) */
static DEFINE_IDA(hpm_region_ida);

static struct hotmem_region *to_hpm_region(struct device *dev)
{
	return container_of(dev, struct hotmem_region, dev);
}

static void hpm_region_release(struct device *dev)
{
	struct hotmem_region *region = to_hpm_region(dev);

	ida_destroy(&region->ida);
	xa_destroy(&region->by_id);
	xa_destroy(&region->poison);
	ida_free(&hpm_region_ida, region->id);
	kvfree(region->map.owner);
	kfree(region);
}

/* hpm_lock_live() for a region */
static int hpm_region_lock(struct hotmem_region *region)
{
	return hpm_lock_live(&region->dead);
}

static ssize_t id_show(struct device *dev, struct device_attribute *attr,
		       char *buf)
{
	return sysfs_emit(buf, "%d\n", to_hpm_region(dev)->id);
}
static DEVICE_ATTR_RO(id);

static ssize_t size_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  to_hpm_region(dev)->map.nr << HPM_SUBSECTION_SHIFT);
}
static DEVICE_ATTR_RO(size);

static ssize_t align_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%llu\n", HPM_SUBSECTION_SIZE);
}
static DEVICE_ATTR_RO(align);

/* physical addresses: root only, as for dax */
static ssize_t start_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%#llx\n", to_hpm_region(dev)->map.base);
}
static DEVICE_ATTR_ADMIN_RO(start);

static ssize_t available_size_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	struct hotmem_region *region = to_hpm_region(dev);
	ssize_t rc;

	rc = hpm_region_lock(region);
	if (rc)
		return rc;
	rc = sysfs_emit(buf, "%llu\n",
			hpm_map_free_bytes(&region->map, HPM_SUBSECTION_SIZE));
	mutex_unlock(&hpm_lock);
	return rc;
}
static DEVICE_ATTR_RO(available_size);

static ssize_t hpm_show_dev(struct device *dev, char *buf, bool youngest)
{
	struct hotmem_region *region = to_hpm_region(dev);
	struct device *d;
	ssize_t rc;

	rc = hpm_region_lock(region);
	if (rc)
		return rc;
	d = youngest ? region->youngest : region->seed;
	rc = sysfs_emit(buf, "%s\n", d ? dev_name(d) : "");
	mutex_unlock(&hpm_lock);
	return rc;
}

static ssize_t seed_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return hpm_show_dev(dev, buf, false);
}
static DEVICE_ATTR_RO(seed);

static ssize_t create_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return hpm_show_dev(dev, buf, true);
}

/* "1": a new instance of size 0; -ENOSPC if the region is full */
static ssize_t create_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t len)
{
	struct hotmem_region *region = to_hpm_region(dev);
	struct hpm_instance *inst;
	bool val;
	int rc;

	rc = hm_parse_switch(buf, len, &val);
	if (rc)
		return rc;
	if (!val)
		return -EINVAL;
	inst = hpm_instance_create(region);
	return IS_ERR(inst) ? PTR_ERR(inst) : len;
}
static DEVICE_ATTR_RW(create);

/*
 * An instance name: delete it; it must have size 0.  -EINVAL for an empty
 * write or one holding a NUL, -ENXIO for a name no instance has, however
 * long.
 */
static ssize_t delete_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t len)
{
	size_t n;
	int rc;

	rc = hm_parse_input(buf, len, &n);
	if (!rc)
		rc = hpm_instance_delete(to_hpm_region(dev), buf, n);
	return rc ? rc : len;
}
static DEVICE_ATTR_WO(delete);

/*
 * Instance names separated by ',': disable them at once, all or nothing
 * (hpm_region_disable()).
 */
static ssize_t disable_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t len)
{
	int rc = hpm_region_disable(to_hpm_region(dev), buf, len);

	return rc ? rc : len;
}
static DEVICE_ATTR_WO(disable);

static int hpm_found(struct resource *res, void *arg)
{
	return 1;
}

/* Does a resource with all of @flags intersect [@addr, @addr + @len)? */
static bool hpm_iomem_has(u64 addr, u64 len, unsigned long flags)
{
	/* walks nested resources too, unlike region_intersects() before 6.11 */
	return walk_iomem_res_desc(IORES_DESC_NONE, flags, addr, addr + len - 1,
				   NULL, hpm_found) == 1;
}

static int hpm_cover(struct resource *res, void *arg)
{
	*(u64 *)arg += resource_size(res);
	return 0;
}

/*
 * How many bytes of [@start, @start + @size) resources of type @desc cover,
 * nested ones included: "Soft Reserved" may sit inside a "CXL Window" or a
 * reservation, where region_intersects() does not look on kernels without
 * its 6.11 fix (stable 6.1 got it late).  Every byte must be covered.
 */
static u64 hpm_iomem_covered(u64 start, u64 size, unsigned long desc)
{
	u64 covered = 0;

	/* nonzero: no such resource at all */
	if (walk_iomem_res_desc(desc, IORESOURCE_MEM, start, start + size - 1,
				&covered, hpm_cover))
		return 0;
	return covered;
}

/* what lies at a sub-section outside the region */
static char hpm_classify(u64 addr, void *arg)
{
	if (hpm_iomem_has(addr, HPM_SUBSECTION_SIZE, IORESOURCE_SYSTEM_RAM))
		return 'R';
	if (hpm_iomem_has(addr, HPM_SUBSECTION_SIZE,
			  IORESOURCE_MEM | IORESOURCE_BUSY))
		return 'o';
	return '-';
}

/*
 * The readable map: one line per 128 MiB section the region touches, one
 * character per 2 MiB sub-section: '.' free, an instance's symbol, 'R'
 * System RAM, 'o' owned by someone else (another region, a driver, a
 * firmware reservation), '-' nothing.
 */
static ssize_t map_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	struct hotmem_region *region = to_hpm_region(dev);
	ssize_t rc;

	rc = hpm_region_lock(region);
	if (rc)
		return rc;
	rc = hpm_map_render(&region->map, buf, PAGE_SIZE, hpm_classify, NULL);
	mutex_unlock(&hpm_lock);
	return rc;
}
static DEVICE_ATTR_RO(map);

static struct attribute *hpm_region_attrs[] = {
	&dev_attr_id.attr,
	&dev_attr_size.attr,
	&dev_attr_align.attr,
	&dev_attr_start.attr,
	&dev_attr_available_size.attr,
	&dev_attr_seed.attr,
	&dev_attr_create.attr,
	&dev_attr_delete.attr,
	&dev_attr_disable.attr,
	&dev_attr_map.attr,
	NULL,
};

static const struct attribute_group hpm_region_group = {
	.attrs = hpm_region_attrs,
};

static const struct attribute_group *hpm_region_groups[] = {
	&hpm_region_group,
	NULL,
};

static const struct device_type hpm_region_type = {
	.name = "hotmem_region",
	.groups = hpm_region_groups,
	.release = hpm_region_release,
};

/*
 * Is [@start, @start + @size) device memory: wholly inside "Soft Reserved"
 * or legacy persistent memory, or with @owned (the caller drives the
 * device that holds it) also persistent memory or a CXL window?
 */
static bool hpm_is_device_memory(u64 start, u64 size, bool owned)
{
	static const unsigned long descs[] = {
		IORES_DESC_SOFT_RESERVED, IORES_DESC_PERSISTENT_MEMORY_LEGACY,
		/* owned only: */
		IORES_DESC_PERSISTENT_MEMORY, IORES_DESC_CXL,
	};
	int i;

	for (i = 0; i < (owned ? ARRAY_SIZE(descs) : 2); i++)
		if (hpm_iomem_covered(start, size, descs[i]) == size)
			return true;
	return false;
}

/*
 * Device memory only (hpm_is_device_memory()), touching no System RAM,
 * owned by no one.  Caller holds hpm_lock (the list of regions).
 */
static int hpm_region_check(u64 start, u64 size, bool owned)
{
	struct hotmem_region *r;

	lockdep_assert_held(&hpm_lock);
	if (!size || !IS_ALIGNED(start, HPM_SUBSECTION_SIZE) ||
	    !IS_ALIGNED(size, HPM_SUBSECTION_SIZE) || start + size < start)
		return -EINVAL;
	if (region_intersects(start, size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT)
		return -EINVAL;
	if (!hpm_is_device_memory(start, size, owned))
		return -EINVAL;
	list_for_each_entry(r, &hpm_regions, node)
		if (start < r->map.base + (r->map.nr << HPM_SUBSECTION_SHIFT) &&
		    r->map.base < start + size)
			return -EEXIST;
	return 0;
}

/**
 * hpm_region_add() - claim [@start, @start + @size) as a region
 * @start: first byte, 2 MiB aligned
 * @size: length, a multiple of 2 MiB
 * @target_node: its NUMA node, or NUMA_NO_NODE to ask the platform
 * @owned: the caller drives the device holding the range, so it need not
 *	be described as device memory in /proc/iomem
 * @out: set to the new region, may be NULL
 *
 * Return: 0; -EINVAL if misaligned, not device memory or touching System
 * RAM; -EEXIST if it overlaps another region; -EBUSY if someone else
 * owns part of it; -ENOMEM; -EINTR if a signal came while it waited for
 * hpm_lock; or the error of the seed instance (hpm_instance_new()).  On
 * error nothing is left claimed, the seed instance included.
 */
int hpm_region_add(u64 start, u64 size, int target_node, bool owned,
		   struct hotmem_region **out)
{
	struct hotmem_region *region;
	struct hpm_instance *seed;
	int rc;

	if (mutex_lock_interruptible(&hpm_lock))
		return -EINTR;
	rc = hpm_region_check(start, size, owned);
	if (rc)
		goto out_unlock;
	rc = -ENOMEM;
	region = kzalloc(sizeof(*region), GFP_KERNEL);
	if (!region)
		goto out_unlock;
	region->map.owner = kvcalloc(size >> HPM_SUBSECTION_SHIFT,
				     sizeof(*region->map.owner), GFP_KERNEL);
	if (!region->map.owner)
		goto out_free_region;
	rc = ida_alloc(&hpm_region_ida, GFP_KERNEL);
	if (rc < 0)
		goto out_free_owner;
	region->id = rc;
	/* hpm_region_check() took what it rejects: a failure is a bug */
	rc = hpm_map_init(&region->map, start, size, region->map.owner);
	if (WARN_ON_ONCE(rc)) {
		ida_free(&hpm_region_ida, region->id);
		goto out_free_owner;
	}
	if (target_node == NUMA_NO_NODE)
		target_node = phys_to_target_node(start);
	region->target_node = target_node;
	INIT_LIST_HEAD(&region->instances);
	ida_init(&region->ida);
	xa_init(&region->by_id);
	xa_init(&region->poison);

	device_initialize(&region->dev);
	region->dev.class = &hpm_class;
	region->dev.type = &hpm_region_type;
	/* instances inherit it: the node their struct pages are taken from */
	set_dev_node(&region->dev, numa_map_to_online_node(target_node));
	rc = dev_set_name(&region->dev, "region%d", region->id);
	if (rc)
		goto out_put_device;
	rc = -EBUSY;
	region->res = request_mem_region(start, size, dev_name(&region->dev));
	if (!region->res)
		goto out_put_device;
	rc = device_add(&region->dev);
	if (rc)
		goto out_release_res;
	/*
	 * Like a dax region, a region comes with a seed instance.  The region
	 * is published only with it, so no one (a removal of every region
	 * among them) ever meets one half made.
	 */
	seed = hpm_instance_new(region);
	if (IS_ERR(seed)) {
		rc = PTR_ERR(seed);
		goto out_del_device;
	}
	list_add_tail(&region->node, &hpm_regions);
	mutex_unlock(&hpm_lock);
	if (out)
		*out = region;
	return 0;

out_del_device:
	/* its handlers may be waiting for hpm_lock: they find it dead */
	region->dead = true;
	mutex_unlock(&hpm_lock);
	device_del(&region->dev);
	release_mem_region(start, size);
	put_device(&region->dev);
	return rc;
out_release_res:
	release_mem_region(start, size);
out_put_device:
	/* the release callback frees the owner map, the ida and the region */
	mutex_unlock(&hpm_lock);
	put_device(&region->dev);
	return rc;
out_free_owner:
	kvfree(region->map.owner);
out_free_region:
	kfree(region);
out_unlock:
	mutex_unlock(&hpm_lock);
	return rc;
}

/*
 * First half of a removal, under hpm_lock: unlist @region, mark it and its
 * instances dead so every handler fails with -ENXIO from now on, stop the
 * faults of enabled instances and move the instances to @gone.
 */
static void hpm_region_detach(struct hotmem_region *region,
			      struct list_head *gone)
{
	struct hpm_instance *inst;

	lockdep_assert_held(&hpm_lock);
	list_del(&region->node);
	region->dead = true;
	list_for_each_entry(inst, &region->instances, node) {
		hpm_instance_kill(inst);
		xa_erase(&region->by_id, inst->id);
	}
	list_splice_init(&region->instances, gone);
}

/*
 * Second half, without hpm_lock (see hpm_instance_destroy()).  The
 * instances are dead: nothing else touches them.
 */
static void hpm_region_finish(struct hotmem_region *region,
			      struct list_head *gone)
{
	struct hpm_instance *inst, *tmp;

	lockdep_assert_not_held(&hpm_lock);
	list_for_each_entry_safe(inst, tmp, gone, node) {
		list_del(&inst->node);
		hpm_instance_destroy(inst);
	}
	release_mem_region(region->map.base, region->map.nr << HPM_SUBSECTION_SHIFT);
	device_unregister(&region->dev);
}

/**
 * hpm_region_remove() - disable and delete every instance of @region and
 *	give its memory back
 * @region: a region of hpm_regions, which its caller added and has not
 *	removed: the owner of an API region, the undo of the "regions" write
 *	that added it
 *
 * Context: takes hpm_lock; must not be called with it held.  Instances
 * are revoked: their pages are unmapped from every process, pins still
 * held are waited for, then the ranges are unmapped; open files get
 * SIGBUS on access.
 * At module unload no instance can be open (an open file pins the
 * module).  The exported interface can meet open, mapped and pinned
 * instances, and so can the undo of a failed "regions" write: between
 * one region of the write and the next, a user may enable and map the
 * first one's seed.  The undo then waits for pins like any removal,
 * holding hpm_param_lock (exit and other "regions" writes wait too).
 */
void hpm_region_remove(struct hotmem_region *region)
{
	LIST_HEAD(gone);

	lockdep_assert_not_held(&hpm_lock);
	mutex_lock(&hpm_lock);
	if (WARN_ON_ONCE(region->dead)) {
		/* a removal already under way (a finished one freed it) */
		mutex_unlock(&hpm_lock);
		return;
	}
	hpm_region_detach(region, &gone);
	mutex_unlock(&hpm_lock);
	hpm_region_finish(region, &gone);
}

/**
 * hpm_regions_init() - module load: the class regions are devices of
 *
 * Return: 0, or the error of class_register().
 */
int hpm_regions_init(void)
{
	return class_register(&hpm_class);
}

/* module unload: remove every region */
static void hpm_regions_remove_all(void)
{
	struct hotmem_region *region;
	LIST_HEAD(gone);

	for (;;) {
		mutex_lock(&hpm_lock);
		region = list_first_entry_or_null(&hpm_regions, struct hotmem_region,
						  node);
		/* detached in the same hold of the lock it was found in */
		if (region)
			hpm_region_detach(region, &gone);
		mutex_unlock(&hpm_lock);
		if (!region)
			break;
		hpm_region_finish(region, &gone);
	}
}

/** hpm_regions_exit() - module unload: remove every region, then the class */
void hpm_regions_exit(void)
{
	hpm_regions_remove_all();
	class_unregister(&hpm_class);
}

/**
 * hpm_region_validate() - would hpm_region_add() accept this range now
 * @start: first byte
 * @size: length
 *
 * Return: 0, or the errno hpm_region_add() would give for it before
 * claiming anything (-EINVAL, -EEXIST); -EINTR.
 */
int hpm_region_validate(u64 start, u64 size)
{
	int rc;

	if (mutex_lock_interruptible(&hpm_lock))
		return -EINTR;
	rc = hpm_region_check(start, size, false);
	mutex_unlock(&hpm_lock);
	return rc;
}

/**
 * hpm_regions_show() - the regions, "START:SIZE" each, comma separated
 * @buf: a page
 *
 * Return: bytes written, or -EINTR.
 */
int hpm_regions_show(char *buf)
{
	struct hotmem_region *region;
	int len = 0;

	if (mutex_lock_interruptible(&hpm_lock))
		return -EINTR;
	list_for_each_entry(region, &hpm_regions, node)
		len += sysfs_emit_at(buf, len, "%s%#llx:%#llx", len ? "," : "",
				     region->map.base,
				     region->map.nr << HPM_SUBSECTION_SHIFT);
	mutex_unlock(&hpm_lock);
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}

static struct hotmem_region *hpm_region_add_node(u64 start, u64 size,
						 int target_node, bool owned)
{
	struct hotmem_region *region;
	int rc;

	if (target_node != NUMA_NO_NODE &&
	    (target_node < 0 || target_node >= MAX_NUMNODES))
		return ERR_PTR(-EINVAL);
	rc = hpm_region_add(start, size, target_node, owned, &region);
	return rc ? ERR_PTR(rc) : region;
}

/**
 * hotmem_region_add() - hand a range of device memory to hotmem_pagemap
 * @start: first byte, 2 MiB aligned
 * @size: length, a non-zero multiple of 2 MiB
 * @target_node: the NUMA node the memory belongs to (it may be offline),
 *	or NUMA_NO_NODE to take the platform's (phys_to_target_node())
 *
 * The range must lie in "Soft Reserved" or "Persistent Memory (legacy)",
 * touch no System RAM and be owned by no one: the caller gives up its own
 * claim first.  It becomes regionN of the "hotmem" class with a seed
 * instance, exactly like a region named in the "regions" parameter.
 *
 * Context: process context; may sleep.
 * Return: the region, or an ERR_PTR: -EINVAL if misaligned, not device
 * memory or touching System RAM; -EEXIST if it overlaps another region;
 * -EBUSY if someone owns part of it; -ENOMEM; -EINTR if a signal came
 * while it waited for the module's lock.
 */
struct hotmem_region *hotmem_region_add(u64 start, u64 size, int target_node)
{
	return hpm_region_add_node(start, size, target_node, false);
}
EXPORT_SYMBOL_GPL(hotmem_region_add);

/**
 * hotmem_region_add_owned() - hand over device memory the caller drives
 * @start: first byte, 2 MiB aligned
 * @size: length, a non-zero multiple of 2 MiB
 * @target_node: as for hotmem_region_add()
 *
 * For the driver bound to the device that holds the range (a dax device's
 * driver handing over what it does not use itself): the range may also lie
 * in "Persistent Memory" or a CXL window (a CXL pmem region's dax range
 * lies in both, in no "Soft Reserved").  Everything else is as for
 * hotmem_region_add(): no System RAM, no other region, no one else's
 * claim.
 *
 * Context: process context; may sleep.
 * Return: the region, or an ERR_PTR as hotmem_region_add() gives.
 */
struct hotmem_region *hotmem_region_add_owned(u64 start, u64 size,
					      int target_node)
{
	return hpm_region_add_node(start, size, target_node, true);
}
EXPORT_SYMBOL_GPL(hotmem_region_add_owned);

/**
 * hotmem_region_remove() - take a region back from hotmem_pagemap
 * @region: from hotmem_region_add()
 *
 * Every instance is deleted.  An instance still mapped is revoked: its
 * pages are unmapped from every process (later accesses get SIGBUS) and
 * this waits for pins still held (I/O in flight), so no page is freed
 * while in use.  The range is released before this returns.
 *
 * Context: process context; may sleep.
 */
void hotmem_region_remove(struct hotmem_region *region)
{
	hpm_region_remove(region);
}
EXPORT_SYMBOL_GPL(hotmem_region_remove);

/**
 * hotmem_region_id() - the N of the region device regionN
 * @region: from hotmem_region_add()
 *
 * Return: the region id.
 */
int hotmem_region_id(const struct hotmem_region *region)
{
	return region->id;
}
EXPORT_SYMBOL_GPL(hotmem_region_id);
