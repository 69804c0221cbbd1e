// SPDX-License-Identifier: GPL-2.0
/*
 * hotmem_kmem: a dax bus driver that hot-adds dax devices as System RAM,
 * like drivers/dax/kmem.c, but one memory block per hot-add with the
 * memmap on the memory where the kernel can, and with a removal that
 * never leaks: blocks that cannot be removed at unbind stay tracked.
 *
 * It registers as the dax driver "kmem", so daxctl's system-ram flows
 * drive it unchanged; the in-kernel kmem must not be loaded at the same
 * time.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/device.h>
#include <linux/memory.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/nodemask.h>
#include <linux/pageblock-flags.h>
#include <linux/range.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include "compat.h"
#include "dax-private.h"
#include "hkm.h"
#include "hm_param.h"

bool hkm_default_memmap_on_memory = true;

/* memmap_on_memory, expose_stranded, expedite_rcu: see hm_param.h */
static const struct kernel_param_ops hkm_bool_ops = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = hm_param_set_bool,
	.get = param_get_bool,
};

module_param_cb(memmap_on_memory, &hkm_bool_ops, &hkm_default_memmap_on_memory,
		0444);
MODULE_PARM_DESC(memmap_on_memory,
		 "Put the memmap of hot-added blocks on the blocks themselves where the kernel can: 1/Y or 0/N (default: Y)");

bool hkm_default_expose_stranded;
module_param_cb(expose_stranded, &hkm_bool_ops, &hkm_default_expose_stranded,
		0444);
MODULE_PARM_DESC(expose_stranded,
		 "Hand the stranded head and tail of each range (no whole memory block) to hotmem_pagemap while the device is plugged: 1/Y or 0/N (default: N)");

bool hkm_expedite_rcu = true;
module_param_cb(expedite_rcu, &hkm_bool_ops, &hkm_expedite_rcu, 0644);
MODULE_PARM_DESC(expedite_rcu,
		 "Expedite the RCU grace periods that adding and onlining blocks wait for, never offlining or removal (see README): 1/Y or 0/N (default: Y)");

/*
 * The name of every "System RAM (hotmem)" resource: the resources keep the
 * pointer, so it lives on the heap and is leaked, not freed, should memory
 * ever outlive the module.
 */
const char *hkm_ram_name;

/* Devices unbound with memory still added; protected by hkm_stuck_lock. */
static LIST_HEAD(hkm_stuck);
/* protects hkm_stuck and hkm_retrying; taken before any hkm_dev.lock */
static DEFINE_MUTEX(hkm_stuck_lock);
/*
 * The stuck device a retry_unplug is unplugging, still on hkm_stuck but
 * not the probe's to take back until the retry is done with it.
 */
static struct hkm_dev *hkm_retrying;
/* woken when hkm_retrying changes */
static DECLARE_WAIT_QUEUE_HEAD(hkm_retry_wq);
/* one retry_unplug at a time; protects hkm_retry_round */
static DEFINE_MUTEX(hkm_retry_lock);
/* each retry_unplug numbers its pass, to visit each stuck device once */
static unsigned long hkm_retry_round;

/*
 * Added memory pins the module, so at unload nothing is stuck, unless a
 * failed load unbound devices it could not unplug: then the name stays.
 */
static void hkm_free_ram_name(void)
{
	if (!list_empty(&hkm_stuck)) {
		pr_err("memory stays added after unload: reboot to reclaim it\n");
		return;
	}
	kfree(hkm_ram_name);
}

static void hkm_dev_free(struct hkm_dev *hd)
{
	int i;

	for (i = 0; i < hd->nr_range; i++)
		bitmap_free(hd->ranges[i].on_dev);
	kfree(hd->name);
	kfree(hd);
}

static struct hkm_dev *hkm_dev_alloc(struct dev_dax *dev_dax)
{
	const struct hkm_plan_rules rules = {
		.block_size = memory_block_size_bytes(),
		.page_size = PAGE_SIZE,
		.struct_page_size = sizeof(struct page),
		.pmd_size = PMD_SIZE,
		.pageblock_size = pageblock_nr_pages << PAGE_SHIFT,
		.expose_align = SZ_2M,
	};
	struct hkm_dev *hd;
	int i, rc;

	hd = kzalloc(struct_size(hd, ranges, dev_dax->nr_range), GFP_KERNEL);
	if (!hd)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&hd->stuck);
	mutex_init(&hd->lock);
	hd->nr_range = dev_dax->nr_range;
	hd->nid = dev_dax->target_node;
	hd->mgid = -1;
	hd->name = kstrdup(dev_name(&dev_dax->dev), GFP_KERNEL);
	rc = -ENOMEM;
	if (!hd->name)
		goto out_free;
	for (i = 0; i < hd->nr_range; i++) {
		struct hkm_range *r = &hd->ranges[i];
		struct range *range = &dev_dax->ranges[i].range;

		r->start = range->start;
		r->size = range_len(range);
		rc = hkm_plan_range(r->start, r->size, &rules, &r->plan);
		if (rc)
			goto out_free;
		rc = -ENOMEM;
		r->on_dev = bitmap_zalloc(max_t(u64, r->plan.nr_blocks, 1),
					  GFP_KERNEL);
		if (!r->on_dev)
			goto out_free;
		hkm_stranded_init(r);
	}
	hd->memmap_on_memory = hkm_default_memmap_on_memory;
	hd->expose_stranded = hkm_default_expose_stranded;
	return hd;

out_free:
	hkm_dev_free(hd);
	return ERR_PTR(rc);
}

static bool hkm_same_ranges(struct hkm_dev *hd, struct dev_dax *dev_dax)
{
	int i;

	if (hd->nr_range != dev_dax->nr_range)
		return false;
	for (i = 0; i < hd->nr_range; i++)
		if (hd->ranges[i].start != dev_dax->ranges[i].range.start ||
		    hd->ranges[i].size != range_len(&dev_dax->ranges[i].range))
			return false;
	return true;
}

static bool hkm_overlaps(struct hkm_dev *hd, struct dev_dax *dev_dax)
{
	int i, j;

	for (i = 0; i < hd->nr_range; i++) {
		u64 s = hd->ranges[i].start, e = s + hd->ranges[i].size - 1;

		for (j = 0; j < dev_dax->nr_range; j++) {
			struct range *r = &dev_dax->ranges[j].range;

			if (s <= r->end && r->start <= e)
				return true;
		}
	}
	return false;
}

/*
 * A device bound again over memory left stuck by an earlier unbind takes
 * that memory back, if its ranges are the same; any other overlap is
 * refused, the stuck memory being in the way.  Memory a retry_unplug is
 * removing right now is waited for: then it is either gone or still
 * stuck, and taken back.
 */
static struct hkm_dev *hkm_adopt(struct dev_dax *dev_dax)
{
	struct hkm_dev *hd, *found;

again:
	found = NULL;
	mutex_lock(&hkm_stuck_lock);
	list_for_each_entry(hd, &hkm_stuck, stuck) {
		if (!hkm_overlaps(hd, dev_dax))
			continue;
		if (hd == hkm_retrying) {
			mutex_unlock(&hkm_stuck_lock);
			/* only the pointer is compared: hd may be gone after */
			if (wait_event_interruptible(hkm_retry_wq,
						     READ_ONCE(hkm_retrying) != hd))
				return ERR_PTR(-EINTR);
			goto again;
		}
		if (!hkm_same_ranges(hd, dev_dax)) {
			found = ERR_PTR(-EBUSY);
			dev_err(&dev_dax->dev, "overlaps memory still added for %s: retry_unplug first\n",
				hd->name);
			break;
		}
		list_del_init(&hd->stuck);
		found = hd;
		break;
	}
	mutex_unlock(&hkm_stuck_lock);
	return found;
}

/*
 * Done with a device: free it if it holds nothing, else keep it, with its
 * module reference, on hkm_stuck until retry_unplug or a rebind.  Blocks
 * are what usually stays; a parent resource or the memory group that
 * could not be released stays the same way (their names are the device's).
 */
static void hkm_dev_retire(struct hkm_dev *hd)
{
	bool held;
	u64 left;

	mutex_lock(&hkm_stuck_lock);
	mutex_lock(&hd->lock);
	left = hkm_nr_added(hd);
	held = hkm_holds_anything(hd);
	mutex_unlock(&hd->lock);
	if (held) {
		list_add_tail(&hd->stuck, &hkm_stuck);
		pr_err("%s: %llu blocks stay added and tracked: echo 1 > /sys/bus/dax/drivers/kmem/retry_unplug once their pages are free\n",
		       hd->name, left);
	}
	mutex_unlock(&hkm_stuck_lock);
	if (!held)
		hkm_dev_free(hd);
}

/*
 * The next stuck device this retry has not visited, marked as the one
 * being retried; NULL when every one was visited; ERR_PTR(-EINTR).
 */
static struct hkm_dev *hkm_retry_next(unsigned long round)
{
	struct hkm_dev *hd, *next = NULL;

	if (mutex_lock_interruptible(&hkm_stuck_lock))
		return ERR_PTR(-EINTR);
	list_for_each_entry(hd, &hkm_stuck, stuck) {
		if (hd->retry_round != round) {
			hd->retry_round = round;
			next = hd;
			break;
		}
	}
	WRITE_ONCE(hkm_retrying, next);
	mutex_unlock(&hkm_stuck_lock);
	return next;
}

/**
 * hkm_retry_stuck() - unplug again every device left stuck at unbind
 *
 * One device at a time, each staying on the stuck list (and in the
 * "stuck" file) while it is retried; a probe of the same ranges waits
 * for its retry, then takes back what is left.
 *
 * Return: 0 if no stuck memory remains of the devices retried; else the
 * error of the last device that kept some: -EBUSY (a block could not be
 * offlined or removed), -ENOMEM, or the errno of a parent resource or
 * memory group that could not be released; -EINTR if a signal stopped
 * the retry (the devices not retried yet stay as they were).
 */
int hkm_retry_stuck(void)
{
	struct hkm_dev *hd;
	unsigned long round;
	int rc = 0, err;

	if (mutex_lock_interruptible(&hkm_retry_lock))
		return -EINTR;
	round = ++hkm_retry_round;
	while ((hd = hkm_retry_next(round))) {
		if (IS_ERR(hd)) {
			rc = PTR_ERR(hd);
			break;
		}
		/* offlining can take long: without hkm_stuck_lock, so probes go on */
		if (mutex_lock_interruptible(&hd->lock)) {
			err = -EINTR;
		} else {
			err = hkm_unplug(hd);
			mutex_unlock(&hd->lock);
		}

		mutex_lock(&hkm_stuck_lock);
		WRITE_ONCE(hkm_retrying, NULL);
		if (!err)
			list_del(&hd->stuck);
		mutex_unlock(&hkm_stuck_lock);
		wake_up_all(&hkm_retry_wq);
		if (err == -EINTR) {
			rc = err;
			break;
		}
		if (err) {
			rc = err;
			continue;
		}
		pr_info("%s: stuck memory removed\n", hd->name);
		hkm_dev_free(hd);
	}
	mutex_unlock(&hkm_retry_lock);
	return rc;
}

/**
 * hkm_show_stuck() - list the stuck devices for sysfs
 * @buf: sysfs page
 *
 * One line each: name, first and last byte of each range, blocks added.
 * Return: bytes written, or -EINTR.
 */
ssize_t hkm_show_stuck(char *buf)
{
	struct hkm_dev *hd;
	ssize_t len = 0;
	int i;

	if (mutex_lock_interruptible(&hkm_stuck_lock))
		return -EINTR;
	list_for_each_entry(hd, &hkm_stuck, stuck) {
		/*
		 * The device being retried: not its lock, which the retry
		 * holds for as long as offlining takes (and with it
		 * hkm_stuck_lock would be held, every probe waiting).  Its
		 * ranges are fixed, its block count only falls.
		 */
		bool retrying = hd == hkm_retrying;
		u64 blocks;

		if (!retrying && mutex_lock_interruptible(&hd->lock)) {
			mutex_unlock(&hkm_stuck_lock);
			return -EINTR;
		}
		/* racy for the retried device, and harmless: a stale count */
		blocks = data_race(hkm_nr_added(hd));
		len += sysfs_emit_at(buf, len, "%s", hd->name);
		for (i = 0; i < hd->nr_range; i++)
			len += sysfs_emit_at(buf, len, " %#llx-%#llx",
					     hd->ranges[i].start,
					     hd->ranges[i].start +
					     hd->ranges[i].size - 1);
		len += sysfs_emit_at(buf, len, " blocks=%llu\n", blocks);
		if (!retrying)
			mutex_unlock(&hd->lock);
	}
	mutex_unlock(&hkm_stuck_lock);
	return len;
}

static int hkm_check_node(struct dev_dax *dev_dax)
{
	int nid = dev_dax->target_node;

	/* add_memory() WARNs on an impossible node: refuse it here */
	if (nid < 0 || nid >= MAX_NUMNODES || !node_possible(nid)) {
		dev_err(&dev_dax->dev, "target node %d does not exist\n", nid);
		return -EINVAL;
	}
	return 0;
}

static int hkm_probe(struct dev_dax *dev_dax)
{
	struct device *dev = &dev_dax->dev;
	struct hkm_dev *hd;
	u64 adopted = 0;
	int rc;

	rc = hkm_check_node(dev_dax);
	if (rc)
		return rc;
	hd = hkm_adopt(dev_dax);
	if (IS_ERR(hd))
		return PTR_ERR(hd);
	if (hd)
		adopted = hkm_nr_added(hd);
	if (!hd) {
		hd = hkm_dev_alloc(dev_dax);
		if (IS_ERR(hd))
			return PTR_ERR(hd);
	}
	if (!hkm_nr_planned(hd)) {
		dev_err(dev, "no whole %llu MiB memory block in the device: nothing to add\n",
			hkm_block_size() >> 20);
		rc = -ENOSPC;
		goto out_retire;
	}
	if (hd->memmap_on_memory && !hkm_memmap_on_memory_possible(hd)) {
		dev_info(dev, "memmap_on_memory not possible here: memmap in DRAM\n");
		hd->memmap_on_memory = false;
	}

	dev_set_drvdata(dev, hd);
	rc = device_add_group(dev, &hkm_dev_group);
	if (rc)
		goto out_clear_drvdata;
	mutex_lock(&hd->lock);
	rc = hkm_plug(hd);
	mutex_unlock(&hd->lock);
	if (rc) {
		dev_err(dev, "hot-add failed (%d), rolled back\n", rc);
		goto out_remove_group;
	}
	if (adopted)
		dev_info(dev, "took back %llu blocks left added by %s\n",
			 adopted, hd->name);
	return 0;

out_remove_group:
	device_remove_group(dev, &hkm_dev_group);
out_clear_drvdata:
	dev_set_drvdata(dev, NULL);
out_retire:
	hkm_dev_retire(hd);
	return rc;
}

static void hkm_remove(struct dev_dax *dev_dax)
{
	struct device *dev = &dev_dax->dev;
	struct hkm_dev *hd = dev_get_drvdata(dev);
	int rc;

	/* waits for running sysfs handlers; none can start after it */
	device_remove_group(dev, &hkm_dev_group);
	mutex_lock(&hd->lock);
	/* unbound, the device can no longer list them: back first, always */
	hkm_stranded_revoke(hd);
	rc = hkm_unplug(hd);
	mutex_unlock(&hd->lock);
	/* what stays added is kept, stuck, and reported by hkm_dev_retire() */
	if (rc)
		dev_dbg(dev, "unplug at unbind: %d\n", rc);
	dev_set_drvdata(dev, NULL);
	hkm_dev_retire(hd);
}

static struct dax_device_driver hkm_driver = {
	.probe = hkm_probe,
	.remove = hkm_remove,
	.drv.groups = hkm_drv_groups,
};

static int __init hkm_init(void)
{
	int rc;

	hkm_ram_name = kstrdup("System RAM (hotmem)", GFP_KERNEL);
	if (!hkm_ram_name)
		return -ENOMEM;
	rc = hkm_tier_init();
	if (rc)
		goto out_free_name;
	hkm_compat_driver_type(&hkm_driver);
	/* the name daxctl binds system-ram devices to */
	rc = __dax_driver_register(&hkm_driver, THIS_MODULE, "kmem");
	if (rc) {
		pr_err("cannot register dax driver \"kmem\" (%d): is the in-kernel kmem loaded?\n",
		       rc);
		goto out_tier_exit;
	}
	return 0;

out_tier_exit:
	hkm_tier_exit();
out_free_name:
	hkm_free_ram_name();
	return rc;
}

static void __exit hkm_exit(void)
{
	dax_driver_unregister(&hkm_driver);
	hkm_tier_exit();
	hkm_free_ram_name();
}

module_init(hkm_init);
module_exit(hkm_exit);
MODULE_DESCRIPTION("hotmem: hot-add dax devices as System RAM, memmap on memory, leak-free removal");
MODULE_LICENSE("GPL");
