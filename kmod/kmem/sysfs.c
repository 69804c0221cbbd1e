// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs of hotmem_kmem: the "hotmem" group of every bound dax device and
 * the driver's "stuck" / "retry_unplug" files.  Every store parses
 * strictly (hm_parse.h) and checks the state before it acts; the ABI is
 * documented in README.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/memory.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/sysfs.h>

#include "dax-private.h"
#include "hm_parse.h"
#include "hkm.h"

static struct hkm_dev *hkm_from_dev(struct device *dev)
{
	return dev_get_drvdata(dev);
}

/* Online zone of an added block, or NULL if it is offline. */
static const char *hkm_block_zone(u64 start)
{
	struct page *page = hkm_block_page(start);

	return page ? page_zone(page)->name : NULL;
}

/**
 * hkm_dev_state() - one word for the hot-add state of a device
 * @hd: the device; caller holds hd->lock
 *
 * Return: "unplugged", "partial", "offline", "online" or "mixed".
 */
const char *hkm_dev_state(struct hkm_dev *hd)
{
	u64 added = hkm_nr_added(hd), online = 0, b;
	int i;

	lockdep_assert_held(&hd->lock);
	if (!added)
		return "unplugged";
	if (added != hkm_nr_planned(hd))
		return "partial";
	for (i = 0; i < hd->nr_range; i++) {
		struct hkm_range *r = &hd->ranges[i];

		for (b = 0; b < r->nr_added; b++)
			online += !!hkm_block_zone(r->plan.start +
						   b * hkm_block_size());
	}
	if (!online)
		return "offline";
	return online == added ? "online" : "mixed";
}

static ssize_t state_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct hkm_dev *hd = hkm_from_dev(dev);
	ssize_t rc;

	rc = mutex_lock_interruptible(&hd->lock);
	if (rc)
		return rc;
	rc = sysfs_emit(buf, "%s\n", hkm_dev_state(hd));
	mutex_unlock(&hd->lock);
	return rc;
}

/*
 * "unplugged", "offline", "online" or "online_movable": the whole device
 * moves there, or stays where it was (hkm_set_state()).
 */
static ssize_t state_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t len)
{
	static const char * const words[] = {
		[HKM_STATE_UNPLUGGED] = "unplugged",
		[HKM_STATE_OFFLINE] = "offline",
		[HKM_STATE_ONLINE] = "online",
		[HKM_STATE_ONLINE_MOVABLE] = "online_movable",
	};
	struct hkm_dev *hd = hkm_from_dev(dev);
	int to, rc;

	for (to = 0; to < ARRAY_SIZE(words); to++)
		if (hm_parse_is(buf, len, words[to]))
			break;
	if (to == ARRAY_SIZE(words))
		return -EINVAL;
	rc = mutex_lock_interruptible(&hd->lock);
	if (rc)
		return rc;
	rc = hkm_set_state(hd, to);
	mutex_unlock(&hd->lock);
	return rc ? rc : len;
}
static DEVICE_ATTR_RW(state);

/* One line per run of blocks in the same state: first-last, state, zone, memmap. */
static ssize_t blocks_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct hkm_dev *hd = hkm_from_dev(dev);
	u64 bs = hkm_block_size(), b, run;
	ssize_t len = 0;
	int i, rc;

	rc = mutex_lock_interruptible(&hd->lock);
	if (rc)
		return rc;
	for (i = 0; i < hd->nr_range; i++) {
		struct hkm_range *r = &hd->ranges[i];

		for (b = 0; b < r->plan.nr_blocks; b = run) {
			bool added = b < r->nr_added;
			bool on_dev = added && test_bit(b, r->on_dev);
			const char *zone = added ?
				hkm_block_zone(r->plan.start + b * bs) : NULL;

			/* room for one more line and the marker, else stop */
			if (len > PAGE_SIZE - 160) {
				len += sysfs_emit_at(buf, len, "(truncated)\n");
				goto out_unlock;
			}
			for (run = b + 1; run < r->plan.nr_blocks; run++) {
				bool a = run < r->nr_added;
				u64 s = r->plan.start + run * bs;

				if (a != added || (a && (test_bit(run, r->on_dev) != on_dev ||
							 hkm_block_zone(s) != zone)))
					break;
			}
			len += sysfs_emit_at(buf, len,
					     "memory%llu-memory%llu %#llx-%#llx %s %s %s\n",
					     div64_u64(r->plan.start + b * bs, bs),
					     div64_u64(r->plan.start + (run - 1) * bs, bs),
					     r->plan.start + b * bs,
					     r->plan.start + run * bs - 1,
					     !added ? "removed" : zone ? "online" : "offline",
					     zone ? zone : "-",
					     !added ? "-" : on_dev ? "device" : "dram");
		}
	}
out_unlock:
	mutex_unlock(&hd->lock);
	return len;
}
static DEVICE_ATTR_ADMIN_RO(blocks);

/* Bytes of memmap of the added blocks that live on the device / in DRAM. */
static ssize_t hkm_memmap_bytes(struct device *dev, char *buf, bool on_dev)
{
	struct hkm_dev *hd = hkm_from_dev(dev);
	u64 bytes = 0, b;
	int i, rc;

	rc = mutex_lock_interruptible(&hd->lock);
	if (rc)
		return rc;
	for (i = 0; i < hd->nr_range; i++) {
		struct hkm_range *r = &hd->ranges[i];

		for (b = 0; b < r->nr_added; b++)
			if (test_bit(b, r->on_dev) == on_dev)
				bytes += r->plan.memmap_bytes;
	}
	mutex_unlock(&hd->lock);
	return sysfs_emit(buf, "%llu\n", bytes);
}

static ssize_t memmap_device_bytes_show(struct device *dev,
					struct device_attribute *attr, char *buf)
{
	return hkm_memmap_bytes(dev, buf, true);
}
static DEVICE_ATTR_RO(memmap_device_bytes);

static ssize_t memmap_dram_bytes_show(struct device *dev,
				      struct device_attribute *attr, char *buf)
{
	return hkm_memmap_bytes(dev, buf, false);
}
static DEVICE_ATTR_RO(memmap_dram_bytes);

static ssize_t stranded_bytes_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	struct hkm_dev *hd = hkm_from_dev(dev);
	u64 bytes = 0;
	int i;

	/* plans are fixed at probe: no lock needed */
	for (i = 0; i < hd->nr_range; i++)
		bytes += hd->ranges[i].plan.head + hd->ranges[i].plan.tail;
	return sysfs_emit(buf, "%llu\n", bytes);
}
static DEVICE_ATTR_RO(stranded_bytes);

/* One line per stranded piece: "FIRST-LAST regionN|available|unusable". */
static ssize_t stranded_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct hkm_dev *hd = hkm_from_dev(dev);
	ssize_t rc;

	rc = mutex_lock_interruptible(&hd->lock);
	if (rc)
		return rc;
	rc = hkm_stranded_show(hd, buf);
	mutex_unlock(&hd->lock);
	return rc;
}
static DEVICE_ATTR_ADMIN_RO(stranded);

/* One figure of the stranded bytes, under the device's lock. */
static ssize_t hkm_show_stranded_bytes(struct device *dev, char *buf,
				       bool exposed)
{
	struct hkm_dev *hd = hkm_from_dev(dev);
	ssize_t rc;

	rc = mutex_lock_interruptible(&hd->lock);
	if (rc)
		return rc;
	rc = sysfs_emit(buf, "%llu\n", hkm_stranded_bytes(hd, exposed));
	mutex_unlock(&hd->lock);
	return rc;
}

static ssize_t stranded_exposed_bytes_show(struct device *dev,
					   struct device_attribute *attr,
					   char *buf)
{
	return hkm_show_stranded_bytes(dev, buf, true);
}
static DEVICE_ATTR_RO(stranded_exposed_bytes);

static ssize_t stranded_unusable_bytes_show(struct device *dev,
					    struct device_attribute *attr,
					    char *buf)
{
	return hkm_show_stranded_bytes(dev, buf, false);
}
static DEVICE_ATTR_RO(stranded_unusable_bytes);

static ssize_t expose_stranded_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	struct hkm_dev *hd = hkm_from_dev(dev);

	return sysfs_emit(buf, "%d\n", READ_ONCE(hd->expose_stranded));
}

/*
 * 1: expose the stranded parts, now if blocks are added (the error of
 * that, if any, is returned and the switch stays 0), else at the next
 * plug.  0: take them back now (mappings revoked) or keep them stranded.
 */
static ssize_t expose_stranded_store(struct device *dev,
				     struct device_attribute *attr,
				     const char *buf, size_t len)
{
	struct hkm_dev *hd = hkm_from_dev(dev);
	bool val;
	int rc;

	rc = hm_parse_switch(buf, len, &val);
	if (rc)
		return rc;
	rc = mutex_lock_interruptible(&hd->lock);
	if (rc)
		return rc;
	if (!val)
		hkm_stranded_revoke(hd);
	else if (hkm_nr_added(hd))
		rc = hkm_stranded_expose(hd);
	if (!rc)
		WRITE_ONCE(hd->expose_stranded, val);
	mutex_unlock(&hd->lock);
	return rc ? rc : len;
}
static DEVICE_ATTR_RW(expose_stranded);

static ssize_t memmap_on_memory_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	struct hkm_dev *hd = hkm_from_dev(dev);

	return sysfs_emit(buf, "%d\n", READ_ONCE(hd->memmap_on_memory));
}

static ssize_t memmap_on_memory_store(struct device *dev,
				      struct device_attribute *attr,
				      const char *buf, size_t len)
{
	struct hkm_dev *hd = hkm_from_dev(dev);
	bool val;
	int rc;

	rc = hm_parse_switch(buf, len, &val);
	if (rc)
		return rc;
	rc = mutex_lock_interruptible(&hd->lock);
	if (rc)
		return rc;
	if (val && !hkm_memmap_on_memory_possible(hd))
		rc = -EOPNOTSUPP;
	else if (val == hd->memmap_on_memory)
		rc = 0;
	else if (hkm_nr_added(hd))
		rc = -EBUSY;
	else
		WRITE_ONCE(hd->memmap_on_memory, val);
	mutex_unlock(&hd->lock);
	return rc ? rc : len;
}
static DEVICE_ATTR_RW(memmap_on_memory);

/* A store that takes exactly "1" and runs @op on the device, locked. */
static ssize_t hkm_store_op(struct device *dev, const char *buf, size_t len,
			    int (*op)(struct hkm_dev *hd))
{
	struct hkm_dev *hd = hkm_from_dev(dev);
	bool val;
	int rc;

	rc = hm_parse_switch(buf, len, &val);
	if (rc || !val)
		return rc ? rc : -EINVAL;
	rc = mutex_lock_interruptible(&hd->lock);
	if (rc)
		return rc;
	rc = op(hd);
	mutex_unlock(&hd->lock);
	return rc ? rc : len;
}

/* "1": add every block not added (after an unplug). */
static ssize_t plug_store(struct device *dev, struct device_attribute *attr,
			  const char *buf, size_t len)
{
	return hkm_store_op(dev, buf, len, hkm_plug);
}
static DEVICE_ATTR_WO(plug);

/* "1": offline and remove every block, backwards; -EBUSY if one cannot. */
static ssize_t unplug_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t len)
{
	return hkm_store_op(dev, buf, len, hkm_unplug);
}
static DEVICE_ATTR_WO(unplug);

static struct attribute *hkm_dev_attrs[] = {
	&dev_attr_state.attr,
	&dev_attr_blocks.attr,
	&dev_attr_memmap_on_memory.attr,
	&dev_attr_memmap_device_bytes.attr,
	&dev_attr_memmap_dram_bytes.attr,
	&dev_attr_stranded_bytes.attr,
	&dev_attr_stranded.attr,
	&dev_attr_stranded_exposed_bytes.attr,
	&dev_attr_stranded_unusable_bytes.attr,
	&dev_attr_expose_stranded.attr,
	&dev_attr_plug.attr,
	&dev_attr_unplug.attr,
	NULL,
};

const struct attribute_group hkm_dev_group = {
	.name = "hotmem",
	.attrs = hkm_dev_attrs,
};

static ssize_t stuck_show(struct device_driver *drv, char *buf)
{
	return hkm_show_stuck(buf);
}
static DRIVER_ATTR_RO(stuck);

static ssize_t retry_unplug_store(struct device_driver *drv, const char *buf,
				  size_t len)
{
	bool val;
	int rc;

	rc = hm_parse_switch(buf, len, &val);
	if (rc || !val)
		return rc ? rc : -EINVAL;
	rc = hkm_retry_stuck();
	return rc ? rc : len;
}
static DRIVER_ATTR_WO(retry_unplug);

static struct attribute *hkm_drv_attrs[] = {
	&driver_attr_stuck.attr,
	&driver_attr_retry_unplug.attr,
	NULL,
};

static const struct attribute_group hkm_drv_group = {
	.attrs = hkm_drv_attrs,
};

const struct attribute_group *hkm_drv_groups[] = {
	&hkm_drv_group,
	NULL,
};
