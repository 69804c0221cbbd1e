// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzzer of hotmem_kmem: a seeded random walk of binds and unbinds
 * through the dax bus, plug, unplug, memmap_on_memory, state writes,
 * expose_stranded, the expedite_rcu parameter, onlining and offlining of memory blocks, offline
 * failures injected by the kernel's memory notifier error injection, and
 * retry_unplug, with inputs drawn from the README's grammar and spoiled
 * on purpose.  After every step the test's model says what the kernel
 * must show: the errno, each device's driver and hotmem/{state,blocks,
 * memmap_on_memory,expose_stranded,stranded_exposed_bytes}, every memory
 * block and its state, the "System RAM (hotmem)" resources and their
 * parents, the driver's "stuck" file, the reference counts of both
 * modules, and a clean kernel log.  Offlining a block in ZONE_NORMAL may
 * fail: the model allows both outcomes there and follows what happened;
 * a state write that fails must leave every block as it was.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "hotmem_util.h"
#include "fuzz.h"

#define DRV		"/sys/bus/dax/drivers/kmem/"
#define DEVDAX		"/sys/bus/dax/drivers/device_dax/"
#define MEMBLK		"/sys/devices/system/memory/memory%llu"
#define INJECT		"/sys/kernel/debug/notifier-error-inject/memory/actions/MEM_GOING_OFFLINE/error"
#define EXPEDITE	"/sys/module/hotmem_kmem/parameters/expedite_rcu"
#define RAM_NAME	"System RAM (hotmem)"
#define M		(1024ULL * 1024)

#define HK_DEVS		4
#define HK_BLOCKS	8

enum hk_code {
	HK_BIND, HK_UNBIND, HK_PLUG, HK_UNPLUG, HK_MOM, HK_ONLINE, HK_INJECT,
	HK_RETRY, HK_RELOAD, HK_STATE, HK_EXPOSE, HK_EXPEDITE, HK_NR
};

static const char *const hk_names[HK_NR] = {
	"bind", "unbind", "plug", "unplug", "memmap_on_memory", "online",
	"inject", "retry_unplug", "reload", "state", "expose_stranded",
	"expedite_rcu",
};

/* the words hotmem/state takes, in the order of enum hk_to */
enum hk_to { HK_TO_UNPLUGGED, HK_TO_OFFLINE, HK_TO_ONLINE, HK_TO_MOVABLE, HK_TO_NR };

static const char *const hk_words[HK_TO_NR] = {
	"unplugged", "offline", "online", "online_movable",
};

/* what a memory block of a device is */
enum hk_blk { HK_REMOVED, HK_OFFLINE, HK_MOVABLE, HK_NORMAL };

enum hk_drv { HK_DEVDAX, HK_KMEM, HK_NONE };

struct hk_dev {
	char name[64];
	__u64 start;
	__u64 size;
	__u64 first;		/* first whole block */
	int nblocks;
	enum hk_drv drv;
	bool kmem_id;		/* named in kmem's new_id list */
	bool stuck;
	unsigned long stuck_order;
	bool mom;
	bool expose;		/* expose_stranded */
	__u64 exposable;	/* whole 2 MiB of its head and tail */
	int pieces;		/* of them */
	enum hk_blk blk[HK_BLOCKS];
	bool on_dev[HK_BLOCKS];
};

static struct {
	bool ready;		/* the devices exist */
	bool loaded;		/* hotmem_kmem is */
	bool default_mom;	/* its memmap_on_memory parameter */
	bool normal_rcu;	/* its expedite_rcu is N (a load makes it Y) */
	bool by_type;		/* kmem takes soft-reserved devices by type (6.3+) */
	int region;
	__u64 bs;
	bool inject;
	unsigned long stuck_seq;
	struct hk_dev dev[HK_DEVS];
} hk;

static unsigned long hk_count[HK_NR];

/* the devices: sizes from the region's start, block aligned or not */
static const char *const hk_sizes[HK_DEVS] = { "512M", "320M", "96M", "384M" };

/* ---- the model ---- */

static int hk_added(const struct hk_dev *d)
{
	int b, n = 0;

	for (b = 0; b < d->nblocks; b++)
		n += d->blk[b] != HK_REMOVED;
	return n;
}

static bool hk_holds(const struct hk_dev *d)
{
	return hk_added(d) > 0;
}

/*
 * The stranded parts are exposed while a bound device that wants them
 * has blocks added: every plug and successful state write exposes them,
 * the last block's removal and an unbind take them back.
 */
static bool hk_exposed(const struct hk_dev *d)
{
	return d->drv == HK_KMEM && d->expose && hk_holds(d) && d->pieces;
}

static const char *hk_state(const struct hk_dev *d)
{
	int added = hk_added(d), online = 0, b;

	if (!added)
		return "unplugged";
	if (added != d->nblocks)
		return "partial";
	for (b = 0; b < d->nblocks; b++)
		online += d->blk[b] == HK_MOVABLE || d->blk[b] == HK_NORMAL;
	if (!online)
		return "offline";
	return online == added ? "online" : "mixed";
}

static __u64 hk_block_addr(const struct hk_dev *d, int b)
{
	return d->first + b * hk.bs;
}

/* add the missing blocks, offline, memmap where the device says */
static void hk_plug_all(struct hk_dev *d)
{
	int b;

	for (b = 0; b < d->nblocks; b++) {
		if (d->blk[b] != HK_REMOVED)
			continue;
		d->blk[b] = HK_OFFLINE;
		d->on_dev[b] = d->mom;
	}
}

/*
 * The blocks an unplug (backwards from the last) removed, read back from
 * the memory block devices: every removed one must have been removable,
 * and a failure must stop at one that could fail.  @rc is the errno.
 */
static int hk_follow_unplug(struct hk_dev *d, int rc, char *why, size_t len)
{
	int b, keep = 0;

	for (b = 0; b < d->nblocks; b++)
		if (hm_exists(MEMBLK, (unsigned long long)(hk_block_addr(d, b) / hk.bs)))
			keep = b + 1;
	for (b = d->nblocks - 1; b >= keep; b--) {
		if (d->blk[b] == HK_REMOVED || d->blk[b] == HK_OFFLINE)
			continue;
		if (hk.inject) {
			snprintf(why, len,
				 "%s: block %d was online and offlined with the offline notifier failing",
				 d->name, b);
			return -1;
		}
	}
	if (rc && keep) {
		enum hk_blk last = d->blk[keep - 1];

		if (last == HK_REMOVED || last == HK_OFFLINE ||
		    (last == HK_MOVABLE && !hk.inject)) {
			snprintf(why, len, "%s: unplug failed (%s) at block %d, which should go",
				 d->name, fz_errname(rc), keep - 1);
			return -1;
		}
	}
	if (!rc && keep) {
		snprintf(why, len, "%s: unplug succeeded, %d blocks left", d->name, keep);
		return -1;
	}
	if (rc && !keep) {
		snprintf(why, len, "%s: unplug failed (%s) with nothing left", d->name,
			 fz_errname(rc));
		return -1;
	}
	for (b = keep; b < d->nblocks; b++)
		d->blk[b] = HK_REMOVED;
	return 0;
}

/* can the model say an unplug of @d works: no online block can fail */
static int hk_unplug_errno(const struct hk_dev *d)
{
	int b;

	for (b = d->nblocks - 1; b >= 0; b--) {
		if (d->blk[b] == HK_NORMAL)
			return 1;	/* may or may not: follow */
		if (d->blk[b] == HK_MOVABLE && hk.inject)
			return -EBUSY;
	}
	return 0;
}

/* ---- the kernel side ---- */

static enum hk_drv hk_driver(const struct hk_dev *d)
{
	char link[256], path[128];
	ssize_t n;

	snprintf(path, sizeof(path), HM_SYS_DAX "/%s/driver", d->name);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return HK_NONE;
	link[n] = '\0';
	if (strstr(link, "/kmem"))
		return HK_KMEM;
	return strstr(link, "/device_dax") ? HK_DEVDAX : HK_NONE;
}

static int hk_expect(int want, int got, const struct fz_op *op, char *why,
		     size_t len)
{
	char in[160];

	if (want == got)
		return 0;
	fz_quote(op->buf, op->len, in, sizeof(in));
	snprintf(why, len, "%s %s <- %s: %s, the model says %s", hk_names[op->code],
		 op->path, in, fz_errname(got), fz_errname(want));
	return -1;
}

static struct hk_dev *hk_dev_of(const struct fz_op *op)
{
	return op->i1 >= 0 && op->i1 < HK_DEVS ? &hk.dev[op->i1] : NULL;
}

/*
 * driver_attach() of kmem, as a new_id write makes it: every device
 * without a driver that kmem matches is probed, in bus order.  A probe
 * takes back a stuck device, refuses one without a whole block, and
 * plugs the others.
 */
static void hk_attach_all(void)
{
	int i;

	for (i = 0; i < HK_DEVS; i++) {
		struct hk_dev *d = &hk.dev[i];

		if (d->drv != HK_NONE || !(d->kmem_id || hk.by_type) || !d->nblocks)
			continue;
		d->drv = HK_KMEM;
		/* a device taking back stuck memory keeps its settings */
		if (!d->stuck) {
			d->mom = hk.default_mom;
			d->expose = false;
		}
		d->stuck = false;
		hk_plug_all(d);
	}
}

static int hk_step_bind(const struct fz_op *op, char *why, size_t len)
{
	struct hk_dev *d = hk_dev_of(op);

	if (d->drv == HK_DEVDAX) {
		fz_write(DEVDAX "unbind", d->name, strlen(d->name));
		d->drv = HK_NONE;
	}
	if (hk_expect(hk.loaded ? 0 : -ENOENT,
		      fz_write(DRV "new_id", d->name, strlen(d->name)), op, why, len))
		return -1;
	if (!hk.loaded)
		return 0;
	d->kmem_id = true;
	hk_attach_all();
	return 0;
}

/* does the first block of @d (and so any: they are a prefix) remain */
static bool hk_left(const struct hk_dev *d)
{
	return d->nblocks &&
	       hm_exists(MEMBLK, (unsigned long long)(d->first / hk.bs));
}

static int hk_step_unbind(const struct fz_op *op, char *why, size_t len)
{
	struct hk_dev *d = hk_dev_of(op);
	int got;

	got = fz_write(DRV "unbind", d->name, strlen(d->name));
	if (!hk.loaded)
		return hk_expect(-ENOENT, got, op, why, len);
	if (d->drv != HK_KMEM)
		return hk_expect(-ENODEV, got, op, why, len);
	if (hk_expect(0, got, op, why, len))
		return -1;
	d->drv = HK_NONE;
	/* the unbind unplugs, from a user task: online blocks are offlined */
	if (hk_follow_unplug(d, hk_left(d) ? -EBUSY : 0, why, len))
		return -1;
	if (hk_holds(d)) {
		d->stuck = true;
		d->stuck_order = hk.stuck_seq++;
	}
	return 0;
}

static int hk_step_attr(const struct fz_op *op, char *why, size_t len)
{
	struct hk_dev *d = hk_dev_of(op);
	int want = 0, got;
	bool v;

	got = fz_write(op->path, op->buf, op->len);
	if (d->drv != HK_KMEM)
		return hk_expect(-ENOENT, got, op, why, len);
	if (!op->len)
		return hk_expect(0, got, op, why, len);
	want = fz_oracle_switch(op->buf, op->len, &v);
	if (op->code == HK_MOM) {
		if (!want && v != d->mom && hk_added(d))
			want = -EBUSY;
		if (hk_expect(want, got, op, why, len))
			return -1;
		if (!got)
			d->mom = v;
		return 0;
	}
	if (!want && !v)
		want = -EINVAL;
	if (want || op->code == HK_PLUG) {
		if (hk_expect(want, got, op, why, len))
			return -1;
		if (!want)
			hk_plug_all(d);
		return 0;
	}
	want = hk_unplug_errno(d);
	if (want <= 0 && hk_expect(want, got, op, why, len))
		return -1;
	if (want == 1 && got && got != -EBUSY)
		return hk_expect(-EBUSY, got, op, why, len);
	return hk_follow_unplug(d, got, why, len);
}

/* block @b of @d was onlined: which zone did the kernel put it in */
static int hk_follow_zone(struct hk_dev *d, int b, char *why, size_t len)
{
	char zone[64], path[128];

	snprintf(path, sizeof(path), MEMBLK "/valid_zones",
		 (unsigned long long)(hk_block_addr(d, b) / hk.bs));
	if (fz_read(path, zone, sizeof(zone)) < 0) {
		snprintf(why, len, "%s unreadable", path);
		return -1;
	}
	d->blk[b] = strstr(zone, "Movable") ? HK_MOVABLE : HK_NORMAL;
	return 0;
}

static int hk_step_online(const struct fz_op *op, char *why, size_t len)
{
	struct hk_dev *d = hk_dev_of(op);
	enum hk_blk *b = &d->blk[op->n1];
	bool on = *b == HK_MOVABLE || *b == HK_NORMAL;
	int want, got;

	got = fz_write(op->path, op->buf, op->len);
	if (*b == HK_REMOVED)
		return hk_expect(-ENOENT, got, op, why, len);
	if (!strncmp(op->buf, "offline", 7)) {
		if (!on)
			return hk_expect(-EINVAL, got, op, why, len);
		want = hk.inject ? -EBUSY : *b == HK_MOVABLE ? 0 : got ? -EBUSY : 0;
		if (hk_expect(want, got, op, why, len))
			return -1;
		if (!got)
			*b = HK_OFFLINE;
		return 0;
	}
	if (hk_expect(on ? -EINVAL : 0, got, op, why, len))
		return -1;
	if (on)
		return 0;
	if (hk_follow_zone(d, op->n1, why, len))
		return -1;
	if (!strncmp(op->buf, "online_movable", 14) && *b != HK_MOVABLE) {
		snprintf(why, len, "%s: online_movable went to ZONE_NORMAL", op->path);
		return -1;
	}
	return 0;
}

/*
 * A write of hotmem/state: all or nothing.  It fails only where a block
 * is to be offlined (for "unplugged" and "offline" every online one, for
 * "online_movable" those online elsewhere): with offline failures
 * injected it must fail (-EBUSY), in ZONE_NORMAL it may; and when it
 * fails every block must be as before, which the check after the step
 * sees because the model keeps them so.
 */
static int hk_step_state(const struct fz_op *op, char *why, size_t len)
{
	struct hk_dev *d = hk_dev_of(op);
	int to, b, got, want = 0;
	bool may = false;

	got = fz_write(op->path, op->buf, op->len);
	if (d->drv != HK_KMEM)
		return hk_expect(-ENOENT, got, op, why, len);
	if (!op->len)
		return hk_expect(0, got, op, why, len);
	for (to = 0; to < HK_TO_NR; to++)
		if (fz_oracle_word(op->buf, op->len, hk_words[to]))
			break;
	if (to == HK_TO_NR)
		return hk_expect(-EINVAL, got, op, why, len);
	for (b = 0; b < d->nblocks; b++) {
		bool off = d->blk[b] == HK_NORMAL ? to != HK_TO_ONLINE :
			   d->blk[b] == HK_MOVABLE && to <= HK_TO_OFFLINE;

		if (off && hk.inject)
			want = -EBUSY;
		else if (off && d->blk[b] == HK_NORMAL)
			may = true;
	}
	if (!may || want) {
		if (hk_expect(want, got, op, why, len))
			return -1;
	} else if (got && got != -EBUSY) {
		return hk_expect(-EBUSY, got, op, why, len);
	}
	if (got)
		return 0;
	if (to != HK_TO_UNPLUGGED)
		hk_plug_all(d);
	for (b = 0; b < d->nblocks; b++) {
		switch (to) {
		case HK_TO_UNPLUGGED:
			d->blk[b] = HK_REMOVED;
			break;
		case HK_TO_OFFLINE:
			d->blk[b] = HK_OFFLINE;
			break;
		case HK_TO_MOVABLE:
			d->blk[b] = HK_MOVABLE;
			break;
		default:
			/* offline ones go where the kernel puts them */
			if (d->blk[b] == HK_OFFLINE && hk_follow_zone(d, b, why, len))
				return -1;
		}
	}
	return 0;
}

/* expose_stranded: a switch; exposing cannot fail with hotmem_pagemap there */
static int hk_step_expose(const struct fz_op *op, char *why, size_t len)
{
	struct hk_dev *d = hk_dev_of(op);
	int want, got;
	bool v;

	got = fz_write(op->path, op->buf, op->len);
	if (d->drv != HK_KMEM)
		return hk_expect(-ENOENT, got, op, why, len);
	if (!op->len)
		return hk_expect(0, got, op, why, len);
	want = fz_oracle_switch(op->buf, op->len, &v);
	if (hk_expect(want, got, op, why, len))
		return -1;
	if (!got)
		d->expose = v;
	return 0;
}

static int hk_step_retry(const struct fz_op *op, char *why, size_t len)
{
	int want, got, i, may = 0;
	bool v;

	got = fz_write(op->path, op->buf, op->len);
	if (!hk.loaded)
		return hk_expect(-ENOENT, got, op, why, len);
	if (!op->len)
		return hk_expect(0, got, op, why, len);
	want = fz_oracle_switch(op->buf, op->len, &v);
	if (!want && !v)
		want = -EINVAL;
	if (want)
		return hk_expect(want, got, op, why, len);
	for (i = 0; i < HK_DEVS; i++) {
		int e;

		if (!hk.dev[i].stuck)
			continue;
		e = hk_unplug_errno(&hk.dev[i]);
		if (e == 1)
			may = 1;
		else if (e)
			want = e;
	}
	if (!(may && got == -EBUSY) && hk_expect(want, got, op, why, len))
		return -1;
	for (i = 0; i < HK_DEVS; i++) {
		struct hk_dev *d = &hk.dev[i];
		int rc = hk_unplug_errno(d) ? -EBUSY : 0;

		if (!d->stuck)
			continue;
		/* each stuck device alone: did it go */
		if (hk_unplug_errno(d) == 1)
			rc = hk_left(d) ? -EBUSY : 0;
		if (hk_follow_unplug(d, rc, why, len))
			return -1;
		if (!hk_holds(d))
			d->stuck = false;
	}
	return 0;
}

/* the README's memmap_on_memory=: 1/0, Y/N, y/n, or no "=" (set) */
static int hk_oracle_param(const struct fz_op *op, bool *v)
{
	if (op->i1) {
		*v = true;
		return 0;
	}
	return fz_oracle_bool(op->buf, op->len, v);
}

/*
 * expedite_rcu: as memmap_on_memory's grammar, the set hook seeing the
 * write up to its first NUL; anything else -EINVAL and the value stays.
 * An empty write never reaches the hook.
 */
static int hk_step_expedite(const struct fz_op *op, char *why, size_t len)
{
	bool v = !hk.normal_rcu;
	int got;

	got = fz_write(EXPEDITE, op->buf, op->len);
	if (!hk.loaded)
		return hk_expect(-ENOENT, got, op, why, len);
	if (hk_expect(fz_oracle_param_bool(op->buf, op->len, &v), got, op, why, len))
		return -1;
	hk.normal_rcu = !v;
	return 0;
}

/*
 * Unload hotmem_kmem (refused while any memory is added: it pins the
 * module) and load it again with the parameter of @op: the devices it
 * had are unbound, kmem's new_id list is gone, and on a kernel whose
 * kmem takes soft-reserved devices by type they are probed at once.
 */
static int hk_step_reload(const struct fz_op *op, char *why, size_t len)
{
	char arg[FZ_BUF + 32];
	int i, st, want;
	bool busy = false, v;

	for (i = 0; i < HK_DEVS; i++)
		busy |= hk_holds(&hk.dev[i]);
	if (hk.loaded) {
		st = fz_exec("/sbin/rmmod", "hotmem_kmem", NULL);
		if (busy != !!st) {
			snprintf(why, len, "rmmod hotmem_kmem %s, the model says it is %sin use",
				 st ? "failed" : "worked", busy ? "" : "not ");
			return -1;
		}
		if (busy)
			return 0;
		hk.loaded = false;
		for (i = 0; i < HK_DEVS; i++) {
			if (hk.dev[i].drv == HK_KMEM)
				hk.dev[i].drv = HK_NONE;
			hk.dev[i].kmem_id = false;
		}
	}
	if (op->i1)
		snprintf(arg, sizeof(arg), "memmap_on_memory");
	else
		snprintf(arg, sizeof(arg), "memmap_on_memory=%.*s", (int)op->len, op->buf);
	want = hk_oracle_param(op, &v);
	st = fz_exec("/sbin/modprobe", "hotmem_kmem", arg);
	hk.loaded = hm_exists("/sys/module/hotmem_kmem");
	if (!st != hk.loaded) {
		snprintf(why, len, "modprobe hotmem_kmem %s exited %d, yet it is %sloaded",
			 arg, st, hk.loaded ? "" : "not ");
		return -1;
	}
	if (!want != hk.loaded) {
		snprintf(why, len, "modprobe hotmem_kmem %s: %s, the model says %s", arg,
			 hk.loaded ? "loaded" : "failed", fz_errname(want));
		return -1;
	}
	if (!hk.loaded)
		return 0;
	hk.default_mom = v;
	hk.normal_rcu = false;
	hk_attach_all();
	return 0;
}

static int hk_step(const struct fz_op *op, char *why, size_t len)
{
	switch (op->code) {
	case HK_RELOAD:
		return hk_step_reload(op, why, len);
	case HK_BIND:
		return hk_step_bind(op, why, len);
	case HK_UNBIND:
		return hk_step_unbind(op, why, len);
	case HK_ONLINE:
		return hk_step_online(op, why, len);
	case HK_INJECT:
		if (hk_expect(0, fz_write(INJECT, op->buf, op->len), op, why, len))
			return -1;
		hk.inject = op->i1;
		return 0;
	case HK_RETRY:
		return hk_step_retry(op, why, len);
	case HK_STATE:
		return hk_step_state(op, why, len);
	case HK_EXPOSE:
		return hk_step_expose(op, why, len);
	case HK_EXPEDITE:
		return hk_step_expedite(op, why, len);
	default:
		return hk_step_attr(op, why, len);
	}
}

/* ---- the check after every step ---- */

static int hk_cmp(const char *path, const char *want, char *why, size_t len)
{
	char got[4096];
	int n = fz_read(path, got, sizeof(got));

	if (n < 0) {
		snprintf(why, len, "%s: %s", path, fz_errname(n));
		return -1;
	}
	if (strcmp(got, want)) {
		snprintf(why, len, "%s is \"%.300s\", the model says \"%.300s\"", path,
			 got, want);
		return -1;
	}
	return 0;
}

/* the hotmem/blocks text of the model: runs of blocks alike */
static void hk_render_blocks(const struct hk_dev *d, char *buf, size_t len)
{
	static const char *const zone[] = { "-", "-", "Movable", "Normal" };
	size_t n = 0;
	int b, run;

	buf[0] = '\0';
	for (b = 0; b < d->nblocks; b = run) {
		bool added = d->blk[b] != HK_REMOVED;
		bool online = d->blk[b] >= HK_MOVABLE;

		for (run = b + 1; run < d->nblocks; run++)
			if (d->blk[run] != d->blk[b] ||
			    (added && d->on_dev[run] != d->on_dev[b]))
				break;
		n += snprintf(buf + n, len - n, "memory%llu-memory%llu %#llx-%#llx %s %s %s\n",
			      (unsigned long long)(hk_block_addr(d, b) / hk.bs),
			      (unsigned long long)(hk_block_addr(d, run - 1) / hk.bs),
			      (unsigned long long)hk_block_addr(d, b),
			      (unsigned long long)(hk_block_addr(d, run) - 1),
			      !added ? "removed" : online ? "online" : "offline",
			      zone[d->blk[b]],
			      !added ? "-" : d->on_dev[b] ? "device" : "dram");
	}
}

static int hk_check_dev(const struct hk_dev *d, char *why, size_t len)
{
	char want[4096], path[160];
	enum hk_drv drv = hk_driver(d);
	int b;

	if (drv != d->drv) {
		snprintf(why, len, "%s is bound to %s, the model says %s", d->name,
			 drv == HK_KMEM ? "kmem" : drv == HK_DEVDAX ? "device_dax" : "nothing",
			 d->drv == HK_KMEM ? "kmem" : d->drv == HK_DEVDAX ? "device_dax" :
			 "nothing");
		return -1;
	}
	for (b = 0; b < d->nblocks; b++) {
		__u64 nr = hk_block_addr(d, b) / hk.bs;
		bool on = d->blk[b] >= HK_MOVABLE;
		bool added = d->blk[b] != HK_REMOVED;

		if (hm_exists(MEMBLK, (unsigned long long)nr) != added) {
			snprintf(why, len, "memory%llu of %s %s, the model says %s",
				 (unsigned long long)nr, d->name,
				 d->blk[b] == HK_REMOVED ? "exists" : "is missing",
				 d->blk[b] == HK_REMOVED ? "removed" : "added");
			return -1;
		}
		if (d->blk[b] == HK_REMOVED)
			continue;
		snprintf(path, sizeof(path), MEMBLK "/state", (unsigned long long)nr);
		if (hk_cmp(path, on ? "online\n" : "offline\n", why, len))
			return -1;
	}
	if (d->drv != HK_KMEM)
		return 0;
	snprintf(path, sizeof(path), HM_SYS_DAX "/%s/hotmem/state", d->name);
	snprintf(want, sizeof(want), "%s\n", hk_state(d));
	if (hk_cmp(path, want, why, len))
		return -1;
	snprintf(path, sizeof(path), HM_SYS_DAX "/%s/hotmem/blocks", d->name);
	hk_render_blocks(d, want, sizeof(want));
	if (hk_cmp(path, want, why, len))
		return -1;
	snprintf(path, sizeof(path), HM_SYS_DAX "/%s/hotmem/memmap_on_memory", d->name);
	if (hk_cmp(path, d->mom ? "1\n" : "0\n", why, len))
		return -1;
	snprintf(path, sizeof(path), HM_SYS_DAX "/%s/hotmem/expose_stranded", d->name);
	if (hk_cmp(path, d->expose ? "1\n" : "0\n", why, len))
		return -1;
	snprintf(path, sizeof(path), HM_SYS_DAX "/%s/hotmem/stranded_exposed_bytes",
		 d->name);
	snprintf(want, sizeof(want), "%llu\n",
		 hk_exposed(d) ? (unsigned long long)d->exposable : 0ULL);
	return hk_cmp(path, want, why, len);
}

static int hk_check(char *why, size_t len)
{
	struct hm_res res[HM_MAX_RES];
	char want[2048], got[2048];
	int i, n, k, added = 0, holders = 0, s = 0, pieces = 0;
	unsigned long order;

	if (hk.loaded && hk_cmp(EXPEDITE, hk.normal_rcu ? "N\n" : "Y\n", why, len))
		return -1;
	for (i = 0; i < HK_DEVS; i++) {
		if (hk_check_dev(&hk.dev[i], why, len))
			return -1;
		added += hk_added(&hk.dev[i]);
		holders += hk_holds(&hk.dev[i]);
		pieces += hk_exposed(&hk.dev[i]) ? hk.dev[i].pieces : 0;
	}
	/* each exposed piece holds two of hotmem_pagemap's symbols */
	if (fz_read("/sys/module/hotmem_pagemap/refcnt", got, sizeof(got)) < 0)
		snprintf(got, sizeof(got), "0");
	if (atoi(got) != 2 * pieces) {
		snprintf(why, len, "hotmem_pagemap refcnt %d, the model says %d (%d pieces)",
			 atoi(got), 2 * pieces, pieces);
		return -1;
	}
	/* every added block is a "System RAM (hotmem)" under its device's name */
	n = hm_iomem(res, HM_MAX_RES);
	for (i = 0, k = 0; i < n; i++) {
		int p = res[i].parent, j;

		if (strcmp(res[i].name, RAM_NAME))
			continue;
		k++;
		for (j = 0; j < HK_DEVS; j++)
			if (p >= 0 && !strcmp(res[p].name, hk.dev[j].name))
				break;
		if (j == HK_DEVS || res[i].end + 1 - res[i].start != hk.bs) {
			snprintf(why, len, "/proc/iomem: %s at %#llx is not a block of a device",
				 RAM_NAME, res[i].start);
			return -1;
		}
	}
	if (k != added) {
		snprintf(why, len, "/proc/iomem has %d %s, the model %d", k, RAM_NAME, added);
		return -1;
	}
	/* the stuck file: the stuck devices, oldest first */
	want[0] = '\0';
	for (order = 0; order < hk.stuck_seq; order++)
		for (i = 0; i < HK_DEVS; i++) {
			struct hk_dev *d = &hk.dev[i];

			if (!d->stuck || d->stuck_order != order)
				continue;
			s += snprintf(want + s, sizeof(want) - s, "%s %#llx-%#llx blocks=%d\n",
				      d->name, (unsigned long long)d->start,
				      (unsigned long long)(d->start + d->size - 1),
				      hk_added(d));
		}
	if (!hk.loaded) {
		if (!hm_exists(DRV))
			return 0;
		snprintf(why, len, DRV " exists without hotmem_kmem");
		return -1;
	}
	if (hk_cmp(DRV "stuck", want, why, len))
		return -1;
	/* a module reference per device holding memory, no more */
	if (fz_read("/sys/module/hotmem_kmem/refcnt", got, sizeof(got)) < 0 ||
	    atoi(got) != holders) {
		snprintf(why, len, "hotmem_kmem refcnt %d, the model says %d", atoi(got),
			 holders);
		return -1;
	}
	return 0;
}

/* ---- the walk ---- */

static void hk_gen(struct fz_rng *r, bool inputs, struct fz_op *op)
{
	static const int w[HK_NR] = { 14, 10, 8, 10, 6, 22, 6, 6, 2, 14, 5, 2 };
	static const char *const words[] = { "unplugged", "offline", "online",
					     "online_movable", "partial", "mixed" };
	static const char *const params[] = { "Y", "N", "1", "0", "y", "n", "yes",
					      "on", "true", "2", "01", "YY", "-1" };
	bool mutate = fz_chance(r, inputs ? 60 : 5);
	struct hk_dev *d;
	int k, i, total = 0;

	memset(op, 0, offsetof(struct fz_op, buf));
	for (i = 0; i < HK_NR; i++)
		total += w[i];
	k = fz_below(r, total);
	for (i = 0; k >= w[i]; i++)
		k -= w[i];
	op->code = hk.loaded ? i : HK_RELOAD;
	op->i1 = fz_below(r, HK_DEVS);
	d = &hk.dev[op->i1];
	switch (op->code) {
	case HK_BIND:
	case HK_UNBIND:
		snprintf(op->path, sizeof(op->path), "%s", d->name);
		break;
	case HK_PLUG:
	case HK_UNPLUG:
	case HK_MOM:
	case HK_EXPOSE:
		snprintf(op->path, sizeof(op->path), HM_SYS_DAX "/%s/hotmem/%s", d->name,
			 op->code == HK_PLUG ? "plug" : op->code == HK_UNPLUG ? "unplug" :
			 op->code == HK_MOM ? "memmap_on_memory" : "expose_stranded");
		op->len = fz_gen_switch(r, mutate, op->buf);
		if (!mutate && op->code <= HK_UNPLUG && op->len && fz_chance(r, 90))
			op->buf[0] = '1';
		break;
	case HK_STATE:
		snprintf(op->path, sizeof(op->path), HM_SYS_DAX "/%s/hotmem/state", d->name);
		op->len = fz_gen_word(r, words[fz_below(r, fz_chance(r, 90) ? 4 : 6)],
				      mutate, op->buf);
		break;
	case HK_ONLINE:
		if (!d->nblocks) {
			op->i1 = 0;
			d = &hk.dev[0];
		}
		op->n1 = fz_below(r, d->nblocks);
		snprintf(op->path, sizeof(op->path), MEMBLK "/state",
			 (unsigned long long)(hk_block_addr(d, op->n1) / hk.bs));
		k = fz_below(r, 10);
		op->len = sprintf(op->buf, "%s", k < 4 ? "online_movable" : k < 5 ?
				  "online" : "offline");
		break;
	case HK_RELOAD:
		snprintf(op->path, sizeof(op->path), "hotmem_kmem");
		op->i1 = fz_chance(r, 10);
		op->len = sprintf(op->buf, "%s", params[fz_below(r, hk.loaded ?
							ARRAY_SIZE(params) : 6)]);
		if (mutate && hk.loaded)
			op->len = fz_mutate(r, op->buf, op->len);
		/* modprobe splits arguments at blanks: keep to one */
		for (k = 0; k < (int)op->len; k++)
			if (strchr(" \t\n\"'", op->buf[k]) || !op->buf[k])
				op->buf[k] = 'x';
		break;
	case HK_EXPEDITE:
		snprintf(op->path, sizeof(op->path), "%s", EXPEDITE);
		op->len = fz_gen_bool(r, mutate, op->buf);
		break;
	case HK_INJECT:
		op->i1 = fz_chance(r, 40);
		snprintf(op->path, sizeof(op->path), "%s", INJECT);
		op->len = sprintf(op->buf, "%s", op->i1 ? "-16" : "0");
		break;
	default:
		snprintf(op->path, sizeof(op->path), DRV "retry_unplug");
		op->len = fz_gen_switch(r, mutate, op->buf);
		if (!mutate && op->len && fz_chance(r, 90))
			op->buf[0] = '1';
		break;
	}
}

static void hk_describe(const struct fz_op *op, char *buf, size_t len)
{
	char q[200];

	fz_quote(op->buf, op->len, q, sizeof(q));
	if (op->code == HK_RELOAD)
		snprintf(buf, len, "rmmod hotmem_kmem; modprobe hotmem_kmem memmap_on_memory%s%s",
			 op->i1 ? "" : "=", op->i1 ? "" : q);
	else if (op->code == HK_BIND)
		snprintf(buf, len, "bind %s to kmem (new_id)", op->path);
	else if (op->code == HK_UNBIND)
		snprintf(buf, len, "unbind %s from kmem", op->path);
	else
		snprintf(buf, len, "write %s %s", op->path, q);
}

/* ---- start state ---- */

/* the whole 2 MiB parts of the head and tail around the whole blocks */
static void hk_plan_exposable(struct hk_dev *d)
{
	const __u64 sub = 2 * M;
	__u64 head_s = (d->start + sub - 1) / sub * sub, head_e = d->first;
	__u64 tail_s = d->first + d->nblocks * hk.bs;
	__u64 tail_e = (d->start + d->size) / sub * sub;

	d->exposable = 0;
	d->pieces = 0;
	if (!d->nblocks)
		return;
	if (head_e > head_s) {
		d->exposable += head_e - head_s;
		d->pieces++;
	}
	if (tail_e > tail_s) {
		d->exposable += tail_e - tail_s;
		d->pieces++;
	}
}

static int hk_make_devices(void)
{
	char dev[64], out[4096];
	__u64 at, sz;
	int i;

	if (hm_sr_reset(dev, sizeof(dev)) || hm_use_hotmem_kmem())
		return -EIO;
	hk.region = hm_dax_region_id(dev);
	if (hm_sh(NULL, 0, "daxctl disable-device %s", dev) ||
	    hm_write("0", HM_SYS_DAX "/%s/size", dev))
		return -EIO;
	if (hm_sr_range(&at, &sz))
		return -ENOENT;
	hk.bs = hm_block_size();
	for (i = 0; i < HK_DEVS; i++) {
		struct hk_dev *d = &hk.dev[i];

		if (i == 0) {
			snprintf(d->name, sizeof(d->name), "%s", dev);
			if (hm_write("536870912", HM_SYS_DAX "/%s/size", dev) ||
			    hm_sh(NULL, 0, "daxctl enable-device %s", dev))
				return -EIO;
		} else if (hm_sh(out, sizeof(out), "daxctl create-device -r %d -s %s",
				 hk.region, hk_sizes[i]) ||
			   hm_created_dev(out, d->name, sizeof(d->name))) {
			return -EIO;
		}
		d->start = at;
		d->size = strtoull(hk_sizes[i], NULL, 0) * M;
		d->first = (d->start + hk.bs - 1) / hk.bs * hk.bs;
		d->nblocks = d->first + hk.bs <= d->start + d->size ?
			(d->start + d->size - d->first) / hk.bs : 0;
		at += d->size;
		hk_plan_exposable(d);
		if (hm_read_ll(HM_SYS_DAX "/%s/resource", d->name) != (long long)d->start)
			return -EIO;
	}
	hk.ready = true;
	return 0;
}

/* every device back to device_dax, nothing added, nothing stuck */
static int hk_reset(void)
{
	char mom[8];
	int i;

	if (!hm_exists(INJECT))
		hm_sh(NULL, 0, "/sbin/modprobe memory-notifier-error-inject");
	if (hm_write("0", INJECT))
		return -EIO;
	if (!hm_exists("/sys/module/hotmem_kmem") && hm_use_hotmem_kmem())
		return -EIO;
	if (!hk.ready && hk_make_devices())
		return -EIO;
	/* "online" blocks in ZONE_NORMAL may take more than one go */
	for (i = 0; i < 5 && hm_exists(DRV "retry_unplug") &&
	     hm_write("1", DRV "retry_unplug"); i++)
		usleep(100 * 1000);
	for (i = 0; i < HK_DEVS; i++) {
		struct hk_dev *d = &hk.dev[i];

		for (int k = 0; k < 5 && hk_driver(d) == HK_KMEM &&
		     hm_write("1", HM_SYS_DAX "/%s/hotmem/unplug", d->name); k++)
			usleep(100 * 1000);
		if (hk_driver(d) == HK_KMEM)
			fz_write(DRV "unbind", d->name, strlen(d->name));
		fz_write(DRV "remove_id", d->name, strlen(d->name));
		if (hk_driver(d) != HK_DEVDAX)
			fz_write(DEVDAX "new_id", d->name, strlen(d->name));
		if (hk_driver(d) != HK_DEVDAX)
			return -EIO;
		d->drv = HK_DEVDAX;
		d->kmem_id = false;
		d->stuck = false;
		d->mom = true;
		d->expose = false;
		memset(d->blk, 0, sizeof(d->blk));
	}
	hk.inject = false;
	hk.stuck_seq = 0;
	hk.by_type = hm_kernel_version() >= 603;
	/* the module as a case starts: loaded with its default parameter */
	if (fz_read("/sys/module/hotmem_kmem/parameters/memmap_on_memory", mom,
		    sizeof(mom)) < 0 || mom[0] != 'Y') {
		fz_exec("/sbin/rmmod", "hotmem_kmem", NULL);
		if (hm_use_hotmem_kmem())
			return -EIO;
	}
	hk.loaded = true;
	hk.default_mom = true;
	/* and expedite_rcu at its default, whatever the last case wrote */
	hk.normal_rcu = false;
	if (fz_write(EXPEDITE, "Y", 1))
		return -EIO;
	return 0;
}

static void hk_cleanup(void)
{
	char dev[64];

	hk_reset();
	hm_sr_reset(dev, sizeof(dev));
}

static const struct fz_model hk_model = {
	.name = "kmem",
	.reset = hk_reset,
	.gen = hk_gen,
	.step = hk_step,
	.check = hk_check,
	.describe = hk_describe,
	.cleanup = hk_cleanup,
	.count = hk_count,
	.names = hk_names,
	.nr_codes = HK_NR,
};

FIXTURE(fz) {
	struct fz_config cfg;
};

FIXTURE_SETUP(fz)
{
	char dev[64];

	if (hm_dax_find(dev, sizeof(dev), "/hmem"))
		SKIP(return, "no soft-reserved dax device (vm.sh -p soft-reserved)");
	ASSERT_EQ(0, hm_use_hotmem_kmem());
}

FIXTURE_TEARDOWN(fz)
{
}

/* A walk of binds, unbinds, plugs, unplugs, onlining and stuck memory. */
TEST_F_TIMEOUT(fz, walk, 3600)
{
	fz_config_from_env(&self->cfg, 30, 120, false);
	EXPECT_EQ(0, fz_run_forked(&hk_model, &self->cfg));
}

/*
 * The input grammar on plug, unplug, memmap_on_memory, state,
 * expose_stranded and retry_unplug.
 */
TEST_F_TIMEOUT(fz, inputs, 3600)
{
	fz_config_from_env(&self->cfg, 30, 120, true);
	EXPECT_EQ(0, fz_run_forked(&hk_model, &self->cfg));
}

TEST_HARNESS_MAIN
