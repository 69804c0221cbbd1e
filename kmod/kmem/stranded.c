// SPDX-License-Identifier: GPL-2.0
/*
 * The stranded head and tail of each range of a dax device: the bytes
 * before its first whole memory block and after its last, which memory
 * hotplug cannot add.  Their 2 MiB aligned parts can be handed to
 * hotmem_pagemap as regions (include/hotmem/pagemap.h), to be carved into
 * instances and mapped, while the device is plugged; they are taken back
 * (every mapping revoked) with the device's last block, and at unbind.
 *
 * hotmem_pagemap is a soft dependency: it is looked up (and loaded) only
 * when a device exposes its stranded bytes, and each exposed region holds
 * a reference on it, so it cannot be unloaded under them.  Without it
 * hotmem_kmem works as before and the bytes stay stranded.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/kmod.h>
#include <linux/module.h>
#include <linux/sysfs.h>

#include <hotmem/pagemap.h>

#include "hkm.h"

/* The stranded piece @i of range @r: 0 its head, 1 its tail. */
static void hkm_stranded_piece(const struct hkm_range *r, int i, u64 *start,
			       u64 *end)
{
	/* a range without a whole block is all head (plan.h) */
	*start = i ? r->start + r->size - r->plan.tail : r->start;
	*end = i ? r->start + r->size : r->start + r->plan.head;
}

/**
 * hkm_stranded_init() - take the exposable parts of a range's head and
 *	tail from its plan
 * @r: the range, its plan made
 */
void hkm_stranded_init(struct hkm_range *r)
{
	int i;

	for (i = 0; i < 2; i++) {
		r->stranded[i].start = r->plan.expose[i].start;
		r->stranded[i].size = r->plan.expose[i].size;
		r->stranded[i].region = NULL;
		r->stranded[i].remove = NULL;
		r->stranded[i].region_id = -1;
	}
}

/*
 * Undo one hkm_stranded_expose_one(): the region goes, then the
 * references on hotmem_pagemap.
 */
static void hkm_stranded_revoke_one(struct hkm_stranded *s)
{
	s->remove(s->region);
	symbol_put(hotmem_region_remove);
	symbol_put(hotmem_region_add_owned);
	s->region = NULL;
	s->remove = NULL;
	s->region_id = -1;
}

static int hkm_stranded_expose_one(struct hkm_dev *hd, struct hkm_stranded *s)
{
	struct hotmem_region *(*add)(u64 start, u64 size, int target_node);
	int (*id)(const struct hotmem_region *region);
	void (*remove)(struct hotmem_region *region);
	struct hotmem_region *region;
	int rc = -ENODEV;

	/*
	 * Everything the region will need is looked up before it is made, so
	 * taking it back cannot fail.
	 */
	add = symbol_get(hotmem_region_add_owned);
	if (!add)
		return rc;
	remove = symbol_get(hotmem_region_remove);
	if (!remove)
		goto out_put_add;
	id = symbol_get(hotmem_region_id);
	if (!id)
		goto out_put_remove;
	region = add(s->start, s->size, hd->nid);
	if (IS_ERR(region)) {
		rc = PTR_ERR(region);
		goto out_put_id;
	}
	s->region_id = id(region);
	symbol_put(hotmem_region_id);
	s->region = region;
	s->remove = remove;
	return 0;

out_put_id:
	symbol_put(hotmem_region_id);
out_put_remove:
	symbol_put(hotmem_region_remove);
out_put_add:
	symbol_put(hotmem_region_add_owned);
	return rc;
}

/* The stranded part @i of @hd: head and tail of each range, in order. */
static struct hkm_stranded *hkm_stranded_part(struct hkm_dev *hd, int i)
{
	return &hd->ranges[i / 2].stranded[i % 2];
}

/**
 * hkm_stranded_exposed() - are the stranded parts of @hd exposed
 * @hd: the device; caller holds hd->lock
 *
 * Exposure is all or nothing (hkm_stranded_expose()), so one region says
 * it for the device.
 *
 * Return: true if they are hotmem_pagemap regions now.
 */
bool hkm_stranded_exposed(const struct hkm_dev *hd)
{
	int i;

	lockdep_assert_held(&hd->lock);
	for (i = 0; i < hd->nr_range; i++)
		if (hd->ranges[i].stranded[0].region ||
		    hd->ranges[i].stranded[1].region)
			return true;
	return false;
}

/* Bytes of @hd that could be exposed, whether they are or not. */
static u64 hkm_stranded_bytes_exposable(struct hkm_dev *hd)
{
	u64 bytes = 0;
	int i;

	for (i = 0; i < hd->nr_range * 2; i++)
		bytes += hkm_stranded_part(hd, i)->size;
	return bytes;
}

/**
 * hkm_stranded_expose() - hand every exposable stranded part of @hd to
 *	hotmem_pagemap
 * @hd: the device; caller holds hd->lock
 *
 * All or nothing: on failure the parts this call exposed are taken back.
 * Nothing to expose, or exposed already, is success.
 *
 * Return: 0; -ENODEV if hotmem_pagemap is not available; else the errno
 * of hotmem_region_add_owned(): -EBUSY (someone else claims part of it),
 * -EEXIST (another region overlaps), -EINVAL (not device memory), -ENOMEM,
 * -EINTR (a signal while it waited for hotmem_pagemap's lock).
 */
int hkm_stranded_expose(struct hkm_dev *hd)
{
	struct hkm_stranded *s;
	int i, rc = 0;

	lockdep_assert_held(&hd->lock);
	if (hkm_stranded_exposed(hd) || !hkm_stranded_bytes_exposable(hd))
		return 0;
	/*
	 * No link to hotmem_pagemap: it is loaded on first use, if installed.
	 * Once per call, not "look up, load if missing, look up again": a
	 * failed lookup is then the failure (modprobe returns at once when
	 * the module is loaded; its own failure shows as the lookup's).
	 */
	request_module("hotmem_pagemap");
	for (i = 0; i < hd->nr_range * 2; i++) {
		s = hkm_stranded_part(hd, i);
		if (!s->size)
			continue;
		rc = hkm_stranded_expose_one(hd, s);
		if (rc) {
			pr_warn("%s: stranded %#llx-%#llx not exposed (%d)\n",
				hd->name, s->start, s->start + s->size - 1, rc);
			break;
		}
	}
	if (rc)
		hkm_stranded_revoke(hd);
	return rc;
}

/**
 * hkm_stranded_revoke() - take every exposed stranded part of @hd back
 * @hd: the device; caller holds hd->lock
 *
 * Each region is removed as hotmem_region_remove() does: its mappings are
 * revoked (later accesses get SIGBUS) and pins in flight are waited for.
 */
void hkm_stranded_revoke(struct hkm_dev *hd)
{
	struct hkm_stranded *s;
	int i;

	lockdep_assert_held(&hd->lock);
	/* backwards, the reverse of hkm_stranded_expose() */
	for (i = hd->nr_range * 2 - 1; i >= 0; i--) {
		s = hkm_stranded_part(hd, i);
		if (s->region)
			hkm_stranded_revoke_one(s);
	}
}

/**
 * hkm_stranded_show() - one line per stranded piece of @hd, for sysfs
 * @hd: the device; caller holds hd->lock
 * @buf: sysfs page
 *
 * "FIRST-LAST regionN" for an exposed part, "FIRST-LAST available" for
 * one that could be, "FIRST-LAST unusable" for the bytes around them that
 * are no whole 2 MiB.
 *
 * Return: bytes written.
 */
ssize_t hkm_stranded_show(struct hkm_dev *hd, char *buf)
{
	ssize_t len = 0;
	int i;

	lockdep_assert_held(&hd->lock);
	for (i = 0; i < hd->nr_range * 2; i++) {
		struct hkm_range *r = &hd->ranges[i / 2];
		struct hkm_stranded *s = hkm_stranded_part(hd, i);
		u64 start, end;

		hkm_stranded_piece(r, i % 2, &start, &end);
		if (start == end)
			continue;
		if (len > PAGE_SIZE - 3 * 64) {
			len += sysfs_emit_at(buf, len, "(truncated)\n");
			break;
		}
		if (!s->size) {
			len += sysfs_emit_at(buf, len, "%#llx-%#llx unusable\n",
					     start, end - 1);
			continue;
		}
		if (start < s->start)
			len += sysfs_emit_at(buf, len, "%#llx-%#llx unusable\n",
					     start, s->start - 1);
		if (s->region)
			len += sysfs_emit_at(buf, len, "%#llx-%#llx region%d\n",
					     s->start, s->start + s->size - 1,
					     s->region_id);
		else
			len += sysfs_emit_at(buf, len, "%#llx-%#llx available\n",
					     s->start, s->start + s->size - 1);
		if (s->start + s->size < end)
			len += sysfs_emit_at(buf, len, "%#llx-%#llx unusable\n",
					     s->start + s->size, end - 1);
	}
	return len;
}

/**
 * hkm_stranded_bytes() - stranded bytes of @hd of one kind
 * @hd: the device; caller holds hd->lock
 * @exposed: count the exposed bytes; else the unusable ones (not whole
 *	2 MiB, never exposable)
 *
 * Return: the byte count.
 */
u64 hkm_stranded_bytes(struct hkm_dev *hd, bool exposed)
{
	u64 stranded = 0, exposable = 0, now = 0;
	int i;

	lockdep_assert_held(&hd->lock);
	for (i = 0; i < hd->nr_range * 2; i++) {
		struct hkm_stranded *s = hkm_stranded_part(hd, i);

		exposable += s->size;
		if (s->region)
			now += s->size;
	}
	if (exposed)
		return now;
	for (i = 0; i < hd->nr_range; i++)
		stranded += hd->ranges[i].plan.head + hd->ranges[i].plan.tail;
	return stranded - exposable;
}
