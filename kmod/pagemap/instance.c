// SPDX-License-Identifier: GPL-2.0
/*
 * Instances of hotmem_pagemap: pieces of a region, created empty (the
 * region's seed), sized first fit at their alignment into one or more
 * discontiguous ranges, grown and shrunk in place, deleted once empty.
 * Every store validates before it changes anything.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/sysfs.h>

#include "hm_parse.h"
#include "hpm.h"

static struct hpm_instance *to_hpm_instance(struct device *dev)
{
	return container_of(dev, struct hpm_instance, dev);
}

static void hpm_instance_release(struct device *dev)
{
	struct hpm_instance *inst = to_hpm_instance(dev);

	hpm_cdev_release(inst);
	/* only now: the name pmR.I stays taken until the device is gone */
	ida_free(&inst->region->ida, inst->id);
	put_device(&inst->region->dev);
	kfree(inst);
}

/**
 * hpm_instance_size() - bytes an instance holds
 * @inst: the instance; caller holds hpm_lock
 *
 * Return: the sum of its ranges.
 */
static u64 hpm_instance_size(const struct hpm_instance *inst)
{
	u64 size = 0;
	int i;

	lockdep_assert_held(&hpm_lock);
	for (i = 0; i < inst->nr_range; i++)
		size += inst->ranges[i].len;
	return size;
}

static u16 hpm_owner(const struct hpm_instance *inst)
{
	return inst->id + 1;
}

/* ranges start and end on the instance align and on a sub-section */
static u64 hpm_alloc_align(const struct hpm_instance *inst)
{
	return max_t(u64, inst->align, HPM_SUBSECTION_SIZE);
}

/*
 * Append [start, start + len), merged with the last range if adjacent.
 * Its callers leave room for it: -EIO (and a warning) if there is none.
 */
static int hpm_instance_append(struct hpm_instance *inst, u64 start, u64 len)
{
	struct hpm_range *last = inst->nr_range ?
		&inst->ranges[inst->nr_range - 1] : NULL;

	lockdep_assert_held(&hpm_lock);
	if (last && last->start + last->len == start) {
		last->len += len;
		return 0;
	}
	if (WARN_ON_ONCE(inst->nr_range == HPM_MAX_RANGES))
		return -EIO;
	inst->ranges[inst->nr_range].start = start;
	inst->ranges[inst->nr_range].len = len;
	inst->nr_range++;
	return 0;
}

static int hpm_instance_shrink(struct hpm_instance *inst, u64 by);

static int hpm_instance_grow(struct hpm_instance *inst, u64 by)
{
	struct hpm_range got[HPM_MAX_RANGES];
	u64 added = 0;
	int n, i, rc;

	lockdep_assert_held(&hpm_lock);
	/* no room for another range: -ENOSPC, as a 65th "mapping" gets */
	if (inst->nr_range == HPM_MAX_RANGES)
		return -ENOSPC;
	rc = hpm_map_alloc(&inst->region->map, hpm_owner(inst), by,
			   hpm_alloc_align(inst),
			   got, HPM_MAX_RANGES - inst->nr_range, &n);
	if (rc)
		return rc;
	for (i = 0; i < n; i++) {
		rc = hpm_instance_append(inst, got[i].start, got[i].len);
		if (rc)
			break;
		added += got[i].len;
	}
	if (!rc)
		return 0;
	/* undo: what was not appended goes back to the map, the rest too */
	for (; i < n; i++)
		WARN_ON_ONCE(hpm_map_release(&inst->region->map, hpm_owner(inst),
					     got[i].start, got[i].len));
	WARN_ON_ONCE(hpm_instance_shrink(inst, added));
	return rc;
}

/*
 * Give back @by bytes from the end of the last ranges: 0, or -EIO (and a
 * warning) if the instance does not hold them or the sub-section map
 * disagrees with its ranges, which cannot happen; what was given back
 * before stays given back.
 */
static int hpm_instance_shrink(struct hpm_instance *inst, u64 by)
{
	struct hpm_range *last;
	u64 cut;
	int rc;

	lockdep_assert_held(&hpm_lock);
	if (WARN_ON_ONCE(by > hpm_instance_size(inst)))
		return -EIO;
	while (by) {
		last = &inst->ranges[inst->nr_range - 1];
		cut = min(by, last->len);
		rc = hpm_map_release(&inst->region->map, hpm_owner(inst),
				     last->start + last->len - cut, cut);
		if (WARN_ON_ONCE(rc))
			return -EIO;
		last->len -= cut;
		by -= cut;
		if (!last->len)
			inst->nr_range--;
	}
	return 0;
}

/* The region's seed is its first instance of size 0. */
static void hpm_region_update_seed(struct hotmem_region *region)
{
	struct hpm_instance *i;

	lockdep_assert_held(&hpm_lock);
	region->seed = NULL;
	list_for_each_entry(i, &region->instances, node) {
		if (!i->nr_range) {
			region->seed = &i->dev;
			break;
		}
	}
}

static ssize_t size_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct hpm_instance *inst = to_hpm_instance(dev);
	ssize_t rc;

	rc = hpm_instance_lock(inst);
	if (rc)
		return rc;
	rc = sysfs_emit(buf, "%llu\n", hpm_instance_size(inst));
	mutex_unlock(&hpm_lock);
	return rc;
}

/*
 * Take both locks of a store that changes the ranges: the instance's
 * mapping_lock (held until its mappingN devices match) and hpm_lock.
 */
static int hpm_instance_lock_ranges(struct hpm_instance *inst)
{
	int rc;

	if (mutex_lock_interruptible(&inst->mapping_lock))
		return -EINTR;
	rc = hpm_instance_lock(inst);
	if (rc)
		mutex_unlock(&inst->mapping_lock);
	return rc;
}

/*
 * End a range change, with hpm_lock dropped and mapping_lock held: if the
 * change failed (@rc), just drop mapping_lock.  Else register the mappingN
 * devices; if that fails, give back the @grew bytes the change added at
 * the end, so the store fails with nothing changed.
 */
static int hpm_instance_publish(struct hpm_instance *inst, int rc,
				u64 grew, int want)
{
	lockdep_assert_held(&inst->mapping_lock);
	lockdep_assert_not_held(&hpm_lock);
	/* killed since by a region removal: its destroy waits for us */
	if (READ_ONCE(inst->dead))
		want = 0;
	if (!rc)
		rc = hpm_mappings_sync(inst, want);
	if (rc && grew) {
		int undo = 0;

		/* the undo must not fail: not interruptible */
		mutex_lock(&hpm_lock);
		if (!inst->dead) {
			undo = hpm_instance_shrink(inst, grew);
			hpm_region_update_seed(inst->region);
		}
		want = inst->dead ? 0 : inst->nr_range;
		mutex_unlock(&hpm_lock);
		if (undo)
			dev_err(&inst->dev, "undo of a failed change: %d\n", undo);
		/* fewer ranges now: this only unregisters, it cannot fail */
		WARN_ON_ONCE(hpm_mappings_sync(inst, want));
	}
	mutex_unlock(&inst->mapping_lock);
	return rc;
}

/*
 * Grow first fit or shrink from the end.  -EINVAL unless a multiple of
 * the instance alignment (and of 2 MiB); -ENOSPC if the region has no
 * room (or the growth needs more than HPM_MAX_RANGES ranges); -ENOMEM if
 * its mappingN directories cannot be made; nothing changes on error.
 */
static ssize_t size_store(struct device *dev, struct device_attribute *attr,
			  const char *buf, size_t len)
{
	struct hpm_instance *inst = to_hpm_instance(dev);
	u64 val, cur, grew = 0;
	int rc, want;

	rc = hm_parse_u64(buf, len, &val);
	if (rc)
		return rc;
	rc = hpm_instance_lock_ranges(inst);
	if (rc)
		return rc;
	cur = hpm_instance_size(inst);
	if (!IS_ALIGNED(val, hpm_alloc_align(inst)))
		rc = -EINVAL;
	else if (inst->enabled && val != cur)
		rc = -EBUSY;
	else if (val > cur)
		rc = hpm_instance_grow(inst, val - cur);
	else if (val < cur)
		rc = hpm_instance_shrink(inst, cur - val);
	if (!rc && val > cur)
		grew = val - cur;
	if (!rc)
		hpm_region_update_seed(inst->region);
	want = inst->nr_range;
	mutex_unlock(&hpm_lock);
	rc = hpm_instance_publish(inst, rc, grew, want);
	return rc ? rc : len;
}
static DEVICE_ATTR_RW(size);

static ssize_t align_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%llu\n", READ_ONCE(to_hpm_instance(dev)->align));
}

/*
 * 4096, 2097152 or 1073741824, as for a dax device: the largest page a
 * mapping faults in, and the granularity of sizes and ranges (never
 * below 2 MiB, the unit memremap_pages() maps).  -EINVAL for any other
 * value or if a range of the instance is not aligned to it, -EBUSY while
 * enabled.
 */
static ssize_t align_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t len)
{
	struct hpm_instance *inst = to_hpm_instance(dev);
	u64 val, unit;
	int i, rc;

	rc = hm_parse_u64(buf, len, &val);
	if (rc)
		return rc;
	if (val != PAGE_SIZE && val != PMD_SIZE && val != PUD_SIZE)
		return -EINVAL;
	unit = max_t(u64, val, HPM_SUBSECTION_SIZE);
	/* mapping_lock too: not between a range change and its undo */
	rc = hpm_instance_lock_ranges(inst);
	if (rc)
		return rc;
	if (inst->enabled && val != inst->align)
		rc = -EBUSY;
	for (i = 0; !rc && i < inst->nr_range; i++)
		if (!IS_ALIGNED(inst->ranges[i].start | inst->ranges[i].len, unit))
			rc = -EINVAL;
	if (!rc)
		WRITE_ONCE(inst->align, val);
	mutex_unlock(&hpm_lock);
	mutex_unlock(&inst->mapping_lock);
	return rc ? rc : len;
}
static DEVICE_ATTR_RW(align);

/* first byte of the first range (of the region while empty), as for dax */
static ssize_t resource_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct hpm_instance *inst = to_hpm_instance(dev);
	ssize_t rc;

	rc = hpm_instance_lock(inst);
	if (rc)
		return rc;
	rc = sysfs_emit(buf, "%#llx\n", inst->nr_range ? inst->ranges[0].start :
			inst->region->map.base);
	mutex_unlock(&hpm_lock);
	return rc;
}
static DEVICE_ATTR_ADMIN_RO(resource);

static ssize_t target_node_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", to_hpm_instance(dev)->region->target_node);
}
static DEVICE_ATTR_RO(target_node);

static ssize_t numa_node_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "%d\n", dev_to_node(dev));
}
static DEVICE_ATTR_RO(numa_node);

/* "START-END" of each range, one per line, like a dax device's mappings */
static ssize_t mapping_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct hpm_instance *inst = to_hpm_instance(dev);
	ssize_t len = 0;
	int i, rc;

	rc = hpm_instance_lock(inst);
	if (rc)
		return rc;
	for (i = 0; i < inst->nr_range; i++)
		len += sysfs_emit_at(buf, len, "%#llx-%#llx\n",
				     inst->ranges[i].start,
				     inst->ranges[i].start + inst->ranges[i].len - 1);
	mutex_unlock(&hpm_lock);
	return len;
}

/* "START-END" (hex, "0x" optional, inclusive): parse strictly */
static int hpm_parse_range(const char *buf, size_t count, u64 *start, u64 *end)
{
	const char *dash;
	size_t len;
	int rc;

	rc = hm_parse_input(buf, count, &len);
	if (rc)
		return rc;
	dash = memchr(buf, '-', len);
	if (!dash)
		return -EINVAL;
	rc = hm_parse_num(buf, dash - buf, HM_HEX, start);
	if (!rc)
		rc = hm_parse_num(dash + 1, buf + len - dash - 1, HM_HEX, end);
	if (rc)
		return rc;
	return *end < *start ? -EINVAL : 0;
}

/*
 * Add an explicit range to a disabled instance: -EINVAL malformed, not
 * aligned to the instance align (and 2 MiB) or outside the region;
 * -EEXIST if any of it is taken (overlapping or containing another
 * range); -ENOSPC past HPM_MAX_RANGES ranges; -EBUSY while enabled;
 * -ENOMEM if its mappingN directory cannot be made.
 */
static ssize_t mapping_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t len)
{
	struct hpm_instance *inst = to_hpm_instance(dev);
	u64 start, end;
	int rc, want;

	rc = hpm_parse_range(buf, len, &start, &end);
	if (rc)
		return rc;
	rc = hpm_instance_lock_ranges(inst);
	if (rc)
		return rc;
	if (inst->enabled)
		rc = -EBUSY;
	else if (!IS_ALIGNED(start, hpm_alloc_align(inst)) ||
		 !IS_ALIGNED(end - start + 1, hpm_alloc_align(inst)) ||
		 end + 1 == 0)
		rc = -EINVAL;
	else if (inst->nr_range == HPM_MAX_RANGES)
		rc = -ENOSPC;
	else
		rc = hpm_map_claim(&inst->region->map, hpm_owner(inst), start,
				   end - start + 1);
	if (!rc) {
		rc = hpm_instance_append(inst, start, end - start + 1);
		if (rc)
			WARN_ON_ONCE(hpm_map_release(&inst->region->map,
						     hpm_owner(inst), start,
						     end - start + 1));
		else
			hpm_region_update_seed(inst->region);
	}
	want = inst->nr_range;
	mutex_unlock(&hpm_lock);
	rc = hpm_instance_publish(inst, rc, rc ? 0 : end - start + 1, want);
	return rc ? rc : len;
}

/* physical addresses: root only */
static DEVICE_ATTR_ADMIN_RW(mapping);

/* "ram" or "dev": where the struct pages go when enabled */
static ssize_t memmap_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  READ_ONCE(to_hpm_instance(dev)->memmap_dev) ? "dev" : "ram");
}

static ssize_t memmap_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t len)
{
	struct hpm_instance *inst = to_hpm_instance(dev);
	int val, rc;

	val = hm_parse_is(buf, len, "dev") ? 1 : hm_parse_is(buf, len, "ram") ? 0 : -1;
	if (val < 0)
		return -EINVAL;
	rc = hpm_instance_lock(inst);
	if (rc)
		return rc;
	if (inst->enabled && inst->memmap_dev != val)
		rc = -EBUSY;
	else if (val && inst->type == HPM_PRIVATE)
		rc = -EINVAL;	/* the kernel gives private memory no altmap */
	else
		WRITE_ONCE(inst->memmap_dev, val);
	mutex_unlock(&hpm_lock);
	return rc ? rc : len;
}
static DEVICE_ATTR_RW(memmap);

static ssize_t enabled_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_hpm_instance(dev)->enabled));
}

/*
 * "1": map the instance's ranges (-EINVAL while it has size 0); "0":
 * unmap them, -EBUSY while the device is open or mapped or a page is
 * still pinned (nothing changes then).  The current state: no-op.
 */
static ssize_t enabled_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t len)
{
	struct hpm_instance *inst = to_hpm_instance(dev);
	bool val;
	int rc;

	rc = hm_parse_switch(buf, len, &val);
	if (rc)
		return rc;
	/* mapping_lock too: no enable between a range change and its undo */
	rc = hpm_instance_lock_ranges(inst);
	if (rc)
		return rc;
	if (val == inst->enabled)
		rc = 0;
	else if (!val && inst->users)
		rc = -EBUSY;	/* open or mapped: close and unmap it first */
	else if (!val && hpm_instance_pinned(inst))
		rc = -EBUSY;	/* pinned (I/O in flight, a pipe): let go first */
	else if (!val)
		rc = hpm_instance_disable(inst);
	else if (!inst->nr_range)
		rc = -EINVAL;
	else
		rc = hpm_instance_enable(inst);
	mutex_unlock(&hpm_lock);
	mutex_unlock(&inst->mapping_lock);
	return rc ? rc : len;
}
static DEVICE_ATTR_RW(enabled);

static ssize_t hpm_memmap_show(struct device *dev, char *buf, bool device)
{
	struct hpm_instance *inst = to_hpm_instance(dev);
	u64 on_dev, in_dram;
	ssize_t rc;

	rc = hpm_instance_lock(inst);
	if (rc)
		return rc;
	hpm_instance_memmap_bytes(inst, &on_dev, &in_dram);
	mutex_unlock(&hpm_lock);
	return sysfs_emit(buf, "%llu\n", device ? on_dev : in_dram);
}

static ssize_t memmap_device_bytes_show(struct device *dev,
					struct device_attribute *attr, char *buf)
{
	return hpm_memmap_show(dev, buf, true);
}
static DEVICE_ATTR_RO(memmap_device_bytes);

static ssize_t memmap_dram_bytes_show(struct device *dev,
				      struct device_attribute *attr, char *buf)
{
	return hpm_memmap_show(dev, buf, false);
}
static DEVICE_ATTR_RO(memmap_dram_bytes);

static const char * const hpm_type_names[] = {
	[HPM_GENERIC] = "generic",
	[HPM_COHERENT] = "coherent",
	[HPM_PRIVATE] = "private",
};

static ssize_t type_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  hpm_type_names[READ_ONCE(to_hpm_instance(dev)->type)]);
}

/*
 * "generic", "coherent" or "private": -EINVAL for any other word, and for
 * "private" with memmap "dev"; -EOPNOTSUPP for "private" on a kernel
 * without CONFIG_DEVICE_PRIVATE; -EBUSY while enabled (unless unchanged).
 */
static ssize_t type_store(struct device *dev, struct device_attribute *attr,
			  const char *buf, size_t len)
{
	struct hpm_instance *inst = to_hpm_instance(dev);
	int val = -1, i, rc;

	for (i = 0; i < ARRAY_SIZE(hpm_type_names); i++)
		if (hm_parse_is(buf, len, hpm_type_names[i]))
			val = i;
	if (val < 0)
		return -EINVAL;
	if (val == HPM_PRIVATE && !IS_ENABLED(CONFIG_DEVICE_PRIVATE))
		return -EOPNOTSUPP;
	rc = hpm_instance_lock(inst);
	if (rc)
		return rc;
	if (val == inst->type)
		rc = 0;
	else if (inst->enabled)
		rc = -EBUSY;
	else if (val == HPM_PRIVATE && inst->memmap_dev)
		rc = -EINVAL;
	else
		WRITE_ONCE(inst->type, val);
	mutex_unlock(&hpm_lock);
	return rc ? rc : len;
}
static DEVICE_ATTR_RW(type);

/* bytes of a coherent or private instance handed out and in use */
static ssize_t allocated_bytes_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  (u64)hpm_devmem_allocated(to_hpm_instance(dev)) << PAGE_SHIFT);
}
static DEVICE_ATTR_RO(allocated_bytes);

/*
 * pages of its ranges that memory_failure() reported, now or while
 * another instance held them: quarantined, never handed out again
 */
static ssize_t poisoned_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct hpm_instance *inst = to_hpm_instance(dev);
	unsigned long n;
	int rc;

	rc = hpm_instance_lock(inst);
	if (rc)
		return rc;
	n = hpm_devmem_poisoned(inst);
	mutex_unlock(&hpm_lock);
	return sysfs_emit(buf, "%lu\n", n);
}
static DEVICE_ATTR_RO(poisoned);

/*
 * "1": move every page of an enabled coherent or private instance that is
 * in use back to system RAM.  -EINVAL for other input, -ENXIO if not
 * enabled, -EOPNOTSUPP for a generic instance, -EBUSY while a page is
 * pinned (what could move has moved; write again), -ENOMEM.
 */
static ssize_t evict_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t len)
{
	struct hpm_instance *inst = to_hpm_instance(dev);
	bool val;
	int rc;

	rc = hm_parse_switch(buf, len, &val);
	if (!rc && !val)
		rc = -EINVAL;
	if (rc)
		return rc;
	rc = hpm_instance_lock(inst);
	if (rc)
		return rc;
	if (!hpm_type_devmem(inst->type))
		rc = -EOPNOTSUPP;
	else if (!inst->enabled)
		rc = -ENXIO;
	else
		rc = hpm_devmem_evict(inst);
	mutex_unlock(&hpm_lock);
	return rc ? rc : len;
}
static DEVICE_ATTR_WO(evict);

static struct attribute *hpm_instance_attrs[] = {
	&dev_attr_size.attr,
	&dev_attr_align.attr,
	&dev_attr_mapping.attr,
	&dev_attr_memmap.attr,
	&dev_attr_enabled.attr,
	&dev_attr_memmap_device_bytes.attr,
	&dev_attr_memmap_dram_bytes.attr,
	&dev_attr_resource.attr,
	&dev_attr_target_node.attr,
	&dev_attr_numa_node.attr,
	&dev_attr_type.attr,
	&dev_attr_allocated_bytes.attr,
	&dev_attr_poisoned.attr,
	&dev_attr_evict.attr,
	NULL,
};

/* as for dax: no target_node when the platform names none */
static umode_t hpm_instance_visible(struct kobject *kobj, struct attribute *a,
				    int n)
{
	struct hpm_instance *inst = to_hpm_instance(kobj_to_dev(kobj));

	if (a == &dev_attr_target_node.attr && inst->region->target_node < 0)
		return 0;
	if (a == &dev_attr_numa_node.attr && !IS_ENABLED(CONFIG_NUMA))
		return 0;
	return a->mode;
}

static const struct attribute_group hpm_instance_group = {
	.attrs = hpm_instance_attrs,
	.is_visible = hpm_instance_visible,
};

static const struct attribute_group *hpm_instance_groups[] = {
	&hpm_instance_group,
	NULL,
};

static const struct device_type hpm_instance_type = {
	.name = "hotmem_instance",
	.groups = hpm_instance_groups,
	.release = hpm_instance_release,
};

/**
 * hpm_instance_new() - a new empty instance in @region
 * @region: the region, not dead; caller holds hpm_lock
 *
 * Return: the instance, listed in the region, or an ERR_PTR: -ENOSPC if
 * the region has no free space or no instance id or minor is left,
 * -ENOMEM, or the error of registering its device.
 */
struct hpm_instance *hpm_instance_new(struct hotmem_region *region)
{
	struct hpm_instance *inst;
	int rc;

	lockdep_assert_held(&hpm_lock);
	if (!hpm_map_free_bytes(&region->map, HPM_SUBSECTION_SIZE))
		return ERR_PTR(-ENOSPC);
	inst = kzalloc(sizeof(*inst), GFP_KERNEL);
	if (!inst)
		return ERR_PTR(-ENOMEM);
	/* the owner value id + 1 must fit the map */
	rc = ida_alloc_max(&region->ida, U16_MAX - 1, GFP_KERNEL);
	if (rc < 0) {
		kfree(inst);
		return ERR_PTR(rc);
	}
	inst->id = rc;
	inst->region = region;
	inst->align = HPM_SUBSECTION_SIZE;
	init_rwsem(&inst->fault_lock);
	mutex_init(&inst->mapping_lock);
	spin_lock_init(&inst->free_lock);
	get_device(&region->dev);

	device_initialize(&inst->dev);
	inst->dev.parent = &region->dev;
	/* the class of its region: "hotmem" */
	inst->dev.class = region->dev.class;
	inst->dev.type = &hpm_instance_type;
	rc = dev_set_name(&inst->dev, "pm%d.%d", region->id, inst->id);
	if (!rc)
		rc = xa_err(xa_store(&region->by_id, inst->id, inst, GFP_KERNEL));
	if (!rc) {
		rc = hpm_cdev_add(inst);
		if (rc)
			xa_erase(&region->by_id, inst->id);
	}
	if (rc) {
		/*
		 * The release callback gives back the minor and inode, frees
		 * the id, drops the region and frees inst.
		 */
		put_device(&inst->dev);
		return ERR_PTR(rc);
	}
	list_add_tail(&inst->node, &region->instances);
	region->youngest = &inst->dev;
	hpm_region_update_seed(region);
	return inst;
}

/**
 * hpm_instance_create() - a new empty instance in @region, from sysfs
 * @region: the region
 *
 * Return: the instance, or an ERR_PTR: -ENXIO if the region is being
 * removed, -EINTR, or an error of hpm_instance_new().
 */
struct hpm_instance *hpm_instance_create(struct hotmem_region *region)
{
	struct hpm_instance *inst;

	if (mutex_lock_interruptible(&hpm_lock))
		return ERR_PTR(-EINTR);
	inst = region->dead ? ERR_PTR(-ENXIO) : hpm_instance_new(region);
	mutex_unlock(&hpm_lock);
	return inst;
}

/**
 * hpm_instance_kill() - first half of every removal of an instance
 * @inst: a live instance; caller holds hpm_lock and takes it off its
 *	region's list in the same hold
 *
 * Marks it dead, so each of its handlers fails with -ENXIO from now on,
 * and stops new faults of an enabled one, which hpm_instance_destroy()
 * then revokes.
 */
void hpm_instance_kill(struct hpm_instance *inst)
{
	lockdep_assert_held(&hpm_lock);
	if (WARN_ON_ONCE(inst->dead))
		return;
	inst->dead = true;
	inst->revoking = inst->enabled;
	if (inst->enabled)
		hpm_instance_stop(inst);
}

/**
 * hpm_instance_destroy() - second half: unregister and drop an instance
 * @inst: an instance hpm_instance_kill() marked dead, off every list;
 *	hpm_lock not held
 *
 * Revokes it if it was enabled: that waits for pinned pages, whose
 * owners may need hpm_lock to close their files.  Then its mappingN
 * devices and its own device are unregistered, which waits for their
 * handlers, and the last reference is dropped.
 */
void hpm_instance_destroy(struct hpm_instance *inst)
{
	lockdep_assert_not_held(&hpm_lock);
	if (WARN_ON_ONCE(!inst->dead))
		return;
	if (inst->revoking)
		hpm_instance_revoke(inst);
	mutex_lock(&inst->mapping_lock);
	/* dead: this only unregisters, it cannot fail */
	WARN_ON_ONCE(hpm_mappings_sync(inst, 0));
	mutex_unlock(&inst->mapping_lock);
	hpm_cdev_del(inst);
	put_device(&inst->dev);
}

/*
 * The instance of @region named by @len bytes at @name, or NULL: a name is
 * exactly what dev_set_name() made of it, "pm<region id>.<instance id>".
 */
static struct hpm_instance *hpm_instance_find(struct hotmem_region *region,
					      const char *name, size_t len)
{
	const char *dot = memchr(name, '.', len);
	u64 rid, id;

	lockdep_assert_held(&hpm_lock);
	if (len < 2 || memcmp(name, "pm", 2) || !dot ||
	    hm_parse_num(name + 2, dot - name - 2, HM_DEC, &rid) ||
	    rid != region->id ||
	    hm_parse_num(dot + 1, name + len - dot - 1, HM_DEC, &id) ||
	    id > U16_MAX)
		return NULL;
	return xa_load(&region->by_id, id);
}

/**
 * hpm_region_disable() - disable instances of @region at once
 * @region: the region
 * @buf: a write: instance names separated by ',' ("pm0.1,pm0.2"), each
 *	once or more
 * @count: its bytes
 *
 * All or nothing: every named instance must exist, and none that is
 * enabled may be open, mapped or pinned; then the enabled ones are
 * disabled, their ranges torn down together (hpm_instances_disable()),
 * which costs about what one instance's teardown does.  Only hpm_lock is
 * taken, not the instances' mapping_lock: see the locking rules in hpm.h.
 *
 * Return: 0; -EINVAL malformed (an empty name, the grammar of
 * hm_parse_input()); -E2BIG a write of a page or more (sysfs cuts such a
 * write, and the cut could make another instance's name of part of one);
 * -ENXIO a name no instance of @region has, or @region is going away;
 * -EBUSY an instance in use; -ENOMEM; -EINTR.  Nothing changes on error.
 */
int hpm_region_disable(struct hotmem_region *region, const char *buf,
		       size_t count)
{
	struct hpm_instance **v, *inst;
	size_t len, at, end, names = 1;
	int n = 0, k, rc;

	if (count >= PAGE_SIZE)
		return -E2BIG;
	rc = hm_parse_input(buf, count, &len);
	if (rc)
		return rc;
	for (at = 0; at < len; at++)
		names += buf[at] == ',';
	v = kcalloc(names, sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	rc = hpm_lock_live(&region->dead);
	if (rc)
		goto out_free;
	for (at = 0; !rc && at <= len; at = end + 1) {
		end = at;
		while (end < len && buf[end] != ',')
			end++;
		inst = end > at ? hpm_instance_find(region, buf + at, end - at) : NULL;
		if (end == at)
			rc = -EINVAL;
		else if (!inst)
			rc = -ENXIO;
		if (rc || !inst->enabled)
			continue;
		for (k = 0; k < n && v[k] != inst; k++)
			;
		if (k < n)
			continue;	/* named before */
		if (inst->users || hpm_instance_pinned(inst))
			rc = -EBUSY;
		else
			v[n++] = inst;
	}
	if (!rc)
		rc = hpm_instances_disable(v, n);
	mutex_unlock(&hpm_lock);
out_free:
	kfree(v);
	return rc;
}

/**
 * hpm_instance_delete() - delete the instance of @region named by @len
 *	bytes at @name
 * @region: the region
 * @name: e.g. "pm0.3", not NUL terminated
 * @len: its bytes
 *
 * Return: 0; -ENXIO if there is no such instance; -EBUSY if it still has
 * memory (write 0 to its size first); -EINTR.
 */
int hpm_instance_delete(struct hotmem_region *region, const char *name,
			size_t len)
{
	struct hpm_instance *found;

	if (mutex_lock_interruptible(&hpm_lock))
		return -EINTR;
	found = hpm_instance_find(region, name, len);
	if (!found || region->dead) {
		mutex_unlock(&hpm_lock);
		return -ENXIO;
	}
	if (found->nr_range || found->enabled) {
		mutex_unlock(&hpm_lock);
		return -EBUSY;
	}
	hpm_instance_kill(found);
	list_del(&found->node);
	xa_erase(&region->by_id, found->id);
	if (region->youngest == &found->dev)
		region->youngest = NULL;
	hpm_region_update_seed(region);
	mutex_unlock(&hpm_lock);
	hpm_instance_destroy(found);
	return 0;
}
