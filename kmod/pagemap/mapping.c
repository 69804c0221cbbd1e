// SPDX-License-Identifier: GPL-2.0
/*
 * mappingN of a hotmem_pagemap instance: one directory per range, as a
 * dax device has, with the range's start and end (inclusive) and its page
 * offset in the character device.  They are devices of their own,
 * registered and unregistered after the range change they reflect,
 * outside hpm_lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/sysfs.h>

#include "hpm.h"

static struct hpm_mapping *to_hpm_mapping(struct device *dev)
{
	return container_of(dev, struct hpm_mapping, dev);
}

static void hpm_mapping_release(struct device *dev)
{
	kfree(to_hpm_mapping(dev));
}

enum hpm_mapping_field { HPM_START, HPM_END, HPM_PGOFF };

static ssize_t hpm_mapping_show(struct device *dev, char *buf,
				enum hpm_mapping_field field)
{
	struct hpm_mapping *m = to_hpm_mapping(dev);
	struct hpm_instance *inst = m->inst;
	const struct hpm_range *r;
	u64 pgoff = 0;
	ssize_t rc;
	int i;

	rc = hpm_instance_lock(inst);
	if (rc)
		return rc;
	/* the device outlived its range until the next sync */
	if (m->index >= inst->nr_range) {
		mutex_unlock(&hpm_lock);
		return -ENXIO;
	}
	r = &inst->ranges[m->index];
	for (i = 0; i < m->index; i++)
		pgoff += (inst->ranges[i].len - hpm_range_reserved(inst, i)) >>
			 PAGE_SHIFT;
	if (field == HPM_START)
		rc = sysfs_emit(buf, "%#llx\n", r->start);
	else if (field == HPM_END)
		rc = sysfs_emit(buf, "%#llx\n", r->start + r->len - 1);
	else
		rc = sysfs_emit(buf, "%#llx\n", pgoff);
	mutex_unlock(&hpm_lock);
	return rc;
}

static ssize_t start_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return hpm_mapping_show(dev, buf, HPM_START);
}
static DEVICE_ATTR_ADMIN_RO(start);

static ssize_t end_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	return hpm_mapping_show(dev, buf, HPM_END);
}
static DEVICE_ATTR_ADMIN_RO(end);

static ssize_t page_offset_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return hpm_mapping_show(dev, buf, HPM_PGOFF);
}
static DEVICE_ATTR_ADMIN_RO(page_offset);

static struct attribute *hpm_mapping_attrs[] = {
	&dev_attr_start.attr,
	&dev_attr_end.attr,
	&dev_attr_page_offset.attr,
	NULL,
};
ATTRIBUTE_GROUPS(hpm_mapping);

static const struct device_type hpm_mapping_type = {
	.name = "hotmem_mapping",
	.groups = hpm_mapping_groups,
	.release = hpm_mapping_release,
};

static int hpm_mapping_add(struct hpm_instance *inst, int index)
{
	struct hpm_mapping *m;
	int rc;

	lockdep_assert_held(&inst->mapping_lock);
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->inst = inst;
	m->index = index;
	device_initialize(&m->dev);
	m->dev.parent = &inst->dev;
	m->dev.type = &hpm_mapping_type;
	rc = dev_set_name(&m->dev, "mapping%d", index);
	if (!rc)
		rc = device_add(&m->dev);
	if (rc) {
		put_device(&m->dev);
		return rc;
	}
	inst->mappings[index] = m;
	return 0;
}

/**
 * hpm_mappings_sync() - one mappingN device for each of the first @want
 *	ranges of an instance, and none beyond
 * @inst: the instance; caller holds its mapping_lock, not hpm_lock
 *	(unregistering waits for the devices' handlers, which take it)
 * @want: its number of ranges, read under hpm_lock since mapping_lock
 *	was taken (they do not change while it is held), 0 once dead
 *
 * A failure to register leaves the devices that were made, each for a
 * range that exists.
 *
 * Return: 0, or the error of registering a device.
 */
int hpm_mappings_sync(struct hpm_instance *inst, int want)
{
	int rc;

	lockdep_assert_held(&inst->mapping_lock);
	lockdep_assert_not_held(&hpm_lock);
	while (inst->nr_mapping > want)
		device_unregister(&inst->mappings[--inst->nr_mapping]->dev);
	while (inst->nr_mapping < want) {
		rc = hpm_mapping_add(inst, inst->nr_mapping);
		if (rc)
			return rc;
		inst->nr_mapping++;
	}
	return 0;
}
