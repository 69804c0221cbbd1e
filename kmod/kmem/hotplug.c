// SPDX-License-Identifier: GPL-2.0
/*
 * The hot-add path of hotmem_kmem, readable top to bottom: plan each range
 * of a dax device into memory blocks, add them one block per call with the
 * memmap on the block where the kernel can, and remove them backwards one
 * block per call.  See hkm.h for the states and the lock order.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/completion.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/ioport.h>
#include <linux/kthread.h>
#include <linux/memory.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mmzone.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include "compat.h"
#include "dax-private.h"
#include "hkm.h"
#include "hm_rcu.h"

/*
 * Set once an add with MHP_MEMMAP_ON_MEMORY failed with -EINVAL and the
 * same add without it succeeded: the kernel's memmap_on_memory switch is
 * off (before 6.8 only; the switch is read-only after boot).  A one-way
 * latch, written and read with WRITE_ONCE()/READ_ONCE() under any
 * device's lock or none.
 */
static bool hkm_kernel_refuses_memmap_on_memory;

/**
 * hkm_block_size() - the memory block size, the unit of every add/remove
 *
 * Return: memory_block_size_bytes().
 */
u64 hkm_block_size(void)
{
	return memory_block_size_bytes();
}

static u64 hkm_block_start(const struct hkm_range *r, u64 i)
{
	return r->plan.start + i * hkm_block_size();
}

/**
 * hkm_memmap_on_memory_possible() - could the next plug put the memmap of
 *	the device's blocks on the blocks themselves
 * @hd: the device
 *
 * Return: true if the block geometry allows it and the kernel is not
 * known to refuse it.
 */
bool hkm_memmap_on_memory_possible(const struct hkm_dev *hd)
{
	return hd->nr_range && hd->ranges[0].plan.memmap_on_memory &&
	       hkm_compat_kernel_memmap_on_memory() &&
	       !READ_ONCE(hkm_kernel_refuses_memmap_on_memory);
}

/**
 * hkm_block_has_memmap_on_memory() - will the next block added to @hd
 *	carry its own memmap
 * @hd: the device
 *
 * Return: true if wanted and possible.
 */
bool hkm_block_has_memmap_on_memory(const struct hkm_dev *hd)
{
	return hd->memmap_on_memory && hkm_memmap_on_memory_possible(hd);
}

/**
 * hkm_nr_added() - blocks of @hd currently added
 * @hd: the device
 *
 * Return: the number of added blocks over all ranges.
 */
u64 hkm_nr_added(const struct hkm_dev *hd)
{
	u64 n = 0;
	int i;

	for (i = 0; i < hd->nr_range; i++)
		n += hd->ranges[i].nr_added;
	return n;
}

/**
 * hkm_holds_anything() - does @hd still hold kernel state of a hot-add
 * @hd: the device; caller holds hd->lock
 *
 * Blocks, a range's parent resource, the memory group, the module
 * reference or stranded parts exposed to hotmem_pagemap: what an unplug
 * that stopped half way can leave.
 *
 * Return: true if something is left to release.
 */
bool hkm_holds_anything(const struct hkm_dev *hd)
{
	int i;

	lockdep_assert_held(&hd->lock);
	for (i = 0; i < hd->nr_range; i++)
		if (hd->ranges[i].nr_added || hd->ranges[i].res)
			return true;
	return hd->mgid >= 0 || hd->holds_module || hkm_stranded_exposed(hd);
}

/**
 * hkm_nr_planned() - whole blocks in the ranges of @hd
 * @hd: the device
 *
 * Return: the number of blocks a full plug adds.
 */
u64 hkm_nr_planned(const struct hkm_dev *hd)
{
	u64 n = 0;
	int i;

	for (i = 0; i < hd->nr_range; i++)
		n += hd->ranges[i].plan.nr_blocks;
	return n;
}

/*
 * The first block of the device to be added: pin the module (the memory
 * and its resource names must not outlive it), register the memory group
 * all blocks join (so they are onlined and accounted together), and give
 * the node a memory tier before the memory can come online.
 */
static int hkm_first_block(struct hkm_dev *hd)
{
	struct memory_dev_type *mtype;
	unsigned long max_pages;
	bool took = false;
	int rc;

	lockdep_assert_held(&hd->lock);
	if (!hd->holds_module) {
		/* fails while the module is being unloaded */
		if (!try_module_get(THIS_MODULE))
			return -ENODEV;
		hd->holds_module = true;
		took = true;
	}
	max_pages = PHYS_PFN(hkm_nr_planned(hd) * hkm_block_size());
	rc = memory_group_register_static(hd->nid, max_pages);
	if (rc < 0)
		goto out_put_module;
	hd->mgid = rc;
	mtype = hkm_tier_get(hd->nid);
	if (IS_ERR(mtype)) {
		rc = PTR_ERR(mtype);
		goto out_unregister_group;
	}
	hd->mtype = mtype;
	return 0;

out_unregister_group:
	/* an empty group just made: a failure is a bug, and keeps it tracked */
	if (WARN_ON_ONCE(memory_group_unregister(hd->mgid)))
		return rc;
	hd->mgid = -1;
out_put_module:
	if (took) {
		hd->holds_module = false;
		module_put(THIS_MODULE);
	}
	return rc;
}

/*
 * The last block of the device is gone: undo hkm_first_block().  If the
 * memory group cannot be unregistered it stays, with the module
 * reference, for the next unplug to finish.
 */
static int hkm_last_block(struct hkm_dev *hd)
{
	int rc;

	lockdep_assert_held(&hd->lock);
	if (hd->mgid >= 0) {
		rc = memory_group_unregister(hd->mgid);
		if (rc) {
			pr_warn("%s: memory group %d not unregistered (%d)\n",
				hd->name, hd->mgid, rc);
			return rc;
		}
		hd->mgid = -1;
	}
	/* after the group: a plug over a group still registered keeps it */
	if (hd->mtype) {
		hkm_tier_put(hd->nid, hd->mtype);
		hd->mtype = NULL;
	}
	if (hd->holds_module) {
		hd->holds_module = false;
		module_put(THIS_MODULE);
	}
	return 0;
}

/*
 * The parent resource of a range's System RAM, named after the device as
 * kmem's is, taken with the first block of the range.  Not busy, so the
 * hot-add can nest "System RAM (hotmem)" below it.
 */
static int hkm_range_get_res(struct hkm_dev *hd, struct hkm_range *r)
{
	struct resource *res;

	lockdep_assert_held(&hd->lock);
	if (r->res)
		return 0;
	res = request_mem_region(r->plan.start,
				 r->plan.nr_blocks * hkm_block_size(), hd->name);
	if (!res)
		return -EBUSY;
	res->flags = IORESOURCE_SYSTEM_RAM;
	r->res = res;
	return 0;
}

/*
 * A range's last block is gone: its parent resource goes too.  One that
 * cannot be removed stays tracked (never freed while in the tree) for the
 * next unplug to remove.
 */
static int hkm_range_put_res(struct hkm_dev *hd, struct hkm_range *r)
{
	int rc;

	lockdep_assert_held(&hd->lock);
	if (!r->res || r->nr_added)
		return 0;
	rc = remove_resource(r->res);
	if (rc) {
		pr_warn("%s: resource %pR not removed (%d)\n", hd->name, r->res, rc);
		return rc;
	}
	kfree(r->res);
	r->res = NULL;
	return 0;
}

/*
 * Add block r->nr_added.  Before 6.8 an MHP_MEMMAP_ON_MEMORY the kernel
 * cannot honour fails with -EINVAL, and the only way to know is to try:
 * if the same add without the flag then works, the switch is off, and
 * every later block goes without it.
 */
static int hkm_add_block(struct hkm_dev *hd, struct hkm_range *r)
{
	u64 start = hkm_block_start(r, r->nr_added), bs = hkm_block_size();
	bool on_dev = hkm_block_has_memmap_on_memory(hd);
	mhp_t flags = MHP_NID_IS_MGID;
	int rc;

	lockdep_assert_held(&hd->lock);
	/* blocks are added in order, never past the plan (hkm.h) */
	if (WARN_ON_ONCE(r->nr_added >= r->plan.nr_blocks))
		return -EINVAL;
	rc = add_memory_driver_managed(hd->mgid, start, bs, hkm_ram_name,
				       flags | (on_dev ? MHP_MEMMAP_ON_MEMORY : 0));
	if (rc == -EINVAL && on_dev && hkm_compat_memmap_on_memory_fails_add()) {
		rc = add_memory_driver_managed(hd->mgid, start, bs,
					       hkm_ram_name, flags);
		if (!rc) {
			WRITE_ONCE(hkm_kernel_refuses_memmap_on_memory, true);
			pr_info_once("memmap_on_memory refused by the kernel (boot with memory_hotplug.memmap_on_memory=1): memmap in DRAM\n");
			on_dev = false;
			/* the attribute shows what happens, not what was asked */
			WRITE_ONCE(hd->memmap_on_memory, false);
		}
	}
	if (rc)
		return rc;
	if (on_dev)
		__set_bit(r->nr_added, r->on_dev);
	else
		__clear_bit(r->nr_added, r->on_dev);
	r->nr_added++;
	return 0;
}

/**
 * hkm_block_page() - the last page of the block at @start, if online
 * @start: the block's first byte
 *
 * The last page is probed: the first ones may be the block's own memmap,
 * never online.
 *
 * Return: the page, or NULL if the block is offline.
 */
struct page *hkm_block_page(u64 start)
{
	return pfn_to_online_page(PHYS_PFN(start + hkm_block_size()) - 1);
}

static bool hkm_block_online(u64 start)
{
	return hkm_block_page(start);
}

/*
 * Offline (if online) and remove the last added block of @r.  With
 * @offline_only an online block is left alone (-EBUSY): offlining retries
 * until a signal arrives, and a kernel thread never gets one.
 */
static int hkm_remove_block(struct hkm_dev *hd, struct hkm_range *r,
			    bool offline_only)
{
	u64 start = hkm_block_start(r, r->nr_added - 1);
	int rc;

	lockdep_assert_held(&hd->lock);
	if (offline_only && hkm_block_online(start))
		return -EBUSY;
	rc = offline_and_remove_memory(start, hkm_block_size());
	if (rc)
		return rc;
	r->nr_added--;
	return 0;
}

/*
 * Remove blocks backwards until each range has at most @keep[i] blocks;
 * the first block that cannot be removed stops the walk.  Not under
 * expedite_rcu: offlining a block retries until its pages move or a
 * signal comes, and the stranded parts' revoke waits for their pins.
 */
static int hkm_remove_to(struct hkm_dev *hd, const u64 *keep, bool offline_only)
{
	struct hkm_range *r;
	int i, rc, err = 0;

	lockdep_assert_held(&hd->lock);
	for (i = hd->nr_range - 1; i >= 0; i--) {
		r = &hd->ranges[i];
		while (r->nr_added > (keep ? keep[i] : 0)) {
			rc = hkm_remove_block(hd, r, offline_only);
			if (rc) {
				u64 s = hkm_block_start(r, r->nr_added - 1);

				pr_warn("%s: block %#llx-%#llx not removed (%d): %llu blocks stay added\n",
					hd->name, s, s + hkm_block_size() - 1,
					rc, hkm_nr_added(hd));
				/* a signal or no memory: say so; else busy */
				return rc == -EINTR || rc == -ENOMEM ? rc : -EBUSY;
			}
		}
		/* a parent that stays is tracked; the other ranges go on */
		rc = hkm_range_put_res(hd, r);
		if (rc && !err)
			err = rc;
	}
	if (err || hkm_nr_added(hd))
		return err;
	/* the stranded parts go with the last block, before the module ref */
	hkm_stranded_revoke(hd);
	return hkm_last_block(hd);
}

/* Blocks added per range, to come back to: kfree() it. */
static u64 *hkm_count_added(struct hkm_dev *hd)
{
	u64 *added;
	int i;

	lockdep_assert_held(&hd->lock);
	added = kcalloc(hd->nr_range, sizeof(*added), GFP_KERNEL);
	if (!added)
		return NULL;
	for (i = 0; i < hd->nr_range; i++)
		added[i] = hd->ranges[i].nr_added;
	return added;
}

/*
 * Add blocks forwards until each range has @want[i] (NULL: every planned
 * one), all or nothing (see hkm_plug()).
 */
static int hkm_add_to(struct hkm_dev *hd, const u64 *want)
{
	bool missing = false, expedited;
	u64 *before;
	int i, rc = 0;

	lockdep_assert_held(&hd->lock);
	for (i = 0; i < hd->nr_range; i++)
		missing |= hd->ranges[i].nr_added <
			   (want ? want[i] : hd->ranges[i].plan.nr_blocks);
	if (!missing)
		return 0;
	before = hkm_count_added(hd);
	if (!before)
		return -ENOMEM;

	/* adding ends (no retries): its grace periods may be expedited */
	expedited = hm_rcu_expedite(READ_ONCE(hkm_expedite_rcu));
	if (hd->mgid < 0)
		rc = hkm_first_block(hd);
	for (i = 0; !rc && i < hd->nr_range; i++) {
		struct hkm_range *r = &hd->ranges[i];
		u64 n = want ? want[i] : r->plan.nr_blocks;

		if (r->nr_added >= n)
			continue;
		rc = hkm_range_get_res(hd, r);
		while (!rc && r->nr_added < n)
			rc = hkm_add_block(hd, r);
	}
	hm_rcu_unexpedite(expedited);
	/*
	 * Undo: the blocks, the parents this call took and, when nothing is
	 * left, the group.  What cannot be undone stays tracked; the add's
	 * error stands.
	 */
	if (rc && hkm_remove_to(hd, before, false))
		pr_warn("%s: a failed plug (%d) could not be undone: what stays is tracked\n",
			hd->name, rc);
	kfree(before);
	return rc;
}

/**
 * hkm_plug() - add every planned block of @hd that is not added yet
 * @hd: the device; caller holds hd->lock
 *
 * Blocks are added in address order, one add_memory_driver_managed() call
 * each.  On failure every block this call added is removed again, so the
 * device is as it was.  (Should such a block have been onlined and become
 * busy in between, it stays added and tracked, and the error stands.)
 * Then, if the device wants it, its stranded parts are exposed; that is
 * not the plug's to fail: a failure is logged and the parts stay stranded
 * (the expose_stranded attribute retries and returns the error).
 *
 * Context: must not be called with device_hotplug_lock held.
 * Return: 0, or the errno of the failed step.
 */
int hkm_plug(struct hkm_dev *hd)
{
	int rc;

	lockdep_assert_held(&hd->lock);
	rc = hkm_add_to(hd, NULL);
	if (!rc && hd->expose_stranded)
		hkm_stranded_expose(hd);
	return rc;
}

/**
 * hkm_unplug() - offline and remove every added block of @hd
 * @hd: the device; caller holds hd->lock
 *
 * Backwards, one block per offline_and_remove_memory() call; a range's
 * parent resource goes with its last block, the memory group and the
 * module reference with the device's last block.
 *
 * Context: must not be called with device_hotplug_lock held; may sleep
 * for as long as offlining a block takes.
 * From a kernel thread (an unbind by a driver core worker) online blocks
 * are not offlined: that could retry forever; they stay added, stuck.
 *
 * Return: 0 when nothing is added any more; -EBUSY if a block could not
 * be offlined or removed (it and the blocks before it stay added), -EINTR
 * if a signal interrupted the offlining, -ENOMEM; the errno of a parent
 * resource or the memory group that could not be released (every block
 * is removed then; writing unplug again releases them).
 */
int hkm_unplug(struct hkm_dev *hd)
{
	lockdep_assert_held(&hd->lock);
	return hkm_remove_to(hd, NULL, current->flags & PF_KTHREAD);
}

/*
 * Online or offline one block through its memory block device's "state"
 * file, with @word as daxctl writes it.  The kernel exports no call for
 * this (device_online() and the device hotplug lock are its own), and the
 * file is the interface daxctl and udev rules use: the same lock, checks
 * and events.  Its store backs off with a syscall restart while another
 * hotplug holds the lock; that is retried here, and only a real signal
 * ends it (-EINTR).
 */
static int hkm_block_write_here(u64 start, const char *word)
{
	char path[64];
	struct file *f;
	loff_t pos;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%llu/state",
		 div64_u64(start, hkm_block_size()));
	f = filp_open(path, O_WRONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	for (;;) {
		pos = 0;
		n = kernel_write(f, word, strlen(word), &pos);
		if (n != -ERESTARTNOINTR)
			break;
		/* the restart flagged a signal that is not there */
		recalc_sigpending();
		if (signal_pending(current)) {
			n = -EINTR;
			break;
		}
	}
	filp_close(f, NULL);
	return n < 0 ? n : 0;
}

/**
 * struct hkm_writer - a kernel thread that writes memory blocks' state
 *	files for one state write (or for putting blocks back after one)
 * @task: the thread
 * @start: the block of the current request
 * @word: what is written to it
 * @rc: its result
 * @quit: no more requests: the thread ends
 * @restoring: see hkm_writer_restoring()
 * @ready: completed once the thread takes SIGKILL (a kernel thread starts
 *	with every signal ignored: one sent before would be lost)
 * @go: completed for each request, and to quit
 * @done: completed when @rc is set
 * @gone: completed as the thread ends
 */
struct hkm_writer {
	struct task_struct *task;
	u64 start;
	const char *word;
	int rc;
	bool quit;
	bool restoring;
	struct completion ready;
	struct completion go;
	struct completion done;
	struct completion gone;
};

static int hkm_writer_fn(void *arg)
{
	struct hkm_writer *w = arg;

	/* the writer's signal, passed on, ends an offlining that cannot end */
	allow_signal(SIGKILL);
	complete(&w->ready);
	for (;;) {
		/* idle, not blocked, while the state write adds or removes */
		wait_for_completion_state(&w->go, TASK_IDLE);
		if (w->quit)
			break;
		if (w->word) {
			w->rc = hkm_block_write_here(w->start, w->word);
		} else {
			/* hkm_writer_restoring(): a SIGKILL passed on goes */
			flush_signals(current);
			w->rc = 0;
		}
		complete(&w->done);
	}
	/* not a plain return: the module may go once @gone is completed */
	kthread_complete_and_exit(&w->gone, 0);
}

/*
 * Start the thread that makes a state write's block writes.  The state
 * write is itself a sysfs write: opening and writing another sysfs file in
 * the same task would take the sysfs superblock's write protection a
 * second time, which lockdep reports.  The thread is a task of its own,
 * with no signals but the one passed on: a signal to the waiting writer
 * is sent on to it as SIGKILL, which ends an offlining that retries
 * forever (pinned pages); that block write fails with -EINTR, as does
 * every offlining after it until hkm_writer_restoring().
 */
static int hkm_writer_start(struct hkm_writer *w)
{
	memset(w, 0, sizeof(*w));
	init_completion(&w->ready);
	init_completion(&w->go);
	init_completion(&w->done);
	init_completion(&w->gone);
	w->task = kthread_create(hkm_writer_fn, w, "hotmem_kmem");
	if (IS_ERR(w->task))
		return PTR_ERR(w->task);
	get_task_struct(w->task);
	wake_up_process(w->task);
	/* at once: from here a signal sent to the thread reaches it */
	wait_for_completion(&w->ready);
	return 0;
}

/*
 * The same thread puts blocks back after a failed write (a new one could
 * not be had once a fatal signal is pending: kthread_create() gives up).
 * A SIGKILL passed on is dropped, and from now on only a fatal signal to
 * the writer is passed on: a first signal stopped the write, and putting
 * blocks back must not stop at it.
 */
static void hkm_writer_restoring(struct hkm_writer *w)
{
	w->word = NULL;
	complete(&w->go);
	wait_for_completion(&w->done);
	w->restoring = true;
}

static void hkm_writer_stop(struct hkm_writer *w)
{
	w->quit = true;
	complete(&w->go);
	wait_for_completion(&w->gone);
	put_task_struct(w->task);
}

/* Write @word to the state file of the block at @start, through @w. */
static int hkm_block_write(struct hkm_writer *w, u64 start, const char *word)
{
	int rc;

	w->start = start;
	w->word = word;
	complete(&w->go);
	if (w->restoring)
		rc = wait_for_completion_killable(&w->done);
	else
		rc = wait_for_completion_interruptible(&w->done);
	if (rc) {
		send_sig(SIGKILL, w->task, 1);
		wait_for_completion(&w->done);
	}
	return w->rc;
}

/* Where a block is, for a state write to change it and to put it back. */
enum hkm_where {
	HKM_REMOVED,
	HKM_OFFLINE,
	HKM_KERNEL,	/* online in a zone other than ZONE_MOVABLE */
	HKM_MOVABLE,
};

static enum hkm_where hkm_block_where(const struct hkm_range *r, u64 b)
{
	struct page *page;

	if (b >= r->nr_added)
		return HKM_REMOVED;
	page = hkm_block_page(hkm_block_start(r, b));
	if (!page)
		return HKM_OFFLINE;
	return zone_idx(page_zone(page)) == ZONE_MOVABLE ? HKM_MOVABLE :
							   HKM_KERNEL;
}

/* Move block @b of @r from where it is to @to (not HKM_REMOVED), through @w. */
static int hkm_block_move(struct hkm_writer *w, struct hkm_range *r, u64 b,
			  enum hkm_where to)
{
	enum hkm_where now = hkm_block_where(r, b);
	u64 start = hkm_block_start(r, b);
	int rc;

	if (now == to)
		return 0;
	if (now != HKM_OFFLINE) {
		rc = hkm_block_write(w, start, "offline");
		if (rc || to == HKM_OFFLINE)
			return rc;
	}
	return hkm_block_write(w, start, to == HKM_MOVABLE ? "online_movable" :
			       "online_kernel");
}

/* Block @i of the device, counting over its ranges in order. */
static struct hkm_range *hkm_nth_block(struct hkm_dev *hd, u64 i, u64 *b)
{
	int k;

	for (k = 0; k < hd->nr_range; k++) {
		if (i < hd->ranges[k].plan.nr_blocks) {
			*b = i;
			return &hd->ranges[k];
		}
		i -= hd->ranges[k].plan.nr_blocks;
	}
	return NULL;
}

/*
 * The order a state write visits the device's @n blocks in, step @k.
 * Onlining or offlining a block makes the kernel check that its zone has
 * no hole, walking the zone from its first page until one is found
 * (set_zone_contiguous()); a block being onlined is such a hole, one just
 * offlined too (unless the zone shrinks past it).  Onlining: the first
 * block, then the others backwards, so the second block is the hole the
 * walk stops at until the last step.  Offlining: the second block first,
 * the hole from then on, then the others backwards, the first last.  In
 * address order each walk would cross every block done before it: O(n^2).
 */
static u64 hkm_order(u64 k, u64 n, bool online)
{
	if (online || n < 2)
		return k ? n - k : 0;
	if (!k)
		return 1;
	return k == n - 1 ? 0 : n - k;
}

/* onlining does not look at signals: a state write does, between blocks */
static int hkm_signalled(void)
{
	return signal_pending(current) ? -EINTR : 0;
}

/*
 * Put every block back where @was says, through @w, the thread of the
 * failed state write: the blocks it added removed, the ones it removed
 * added again, each in its zone, the stranded parts exposed again if they
 * were (@exposed).  What cannot be put back is logged and stays tracked;
 * the write's error stands.  Under a fatal signal, offlining cannot work:
 * blocks the write added or onlined may stay added and online.
 */
static void hkm_state_restore(struct hkm_dev *hd, struct hkm_writer *w,
			      const u8 *was, const u64 *before, bool exposed,
			      int err)
{
	u64 n = hkm_nr_planned(hd), k, b, i;
	struct hkm_range *r;
	int rc;

	hkm_writer_restoring(w);
	/*
	 * The blocks this write added go.  Offlined by the thread, which
	 * only a fatal signal stops: the signal that may have ended the write
	 * would stop an offlining in this task; then removed here, which
	 * leaves an online block alone and does not look at signals.
	 */
	for (k = 0; k < n; k++) {
		i = hkm_order(k, n, false);
		r = hkm_nth_block(hd, i, &b);
		if (was[i] != HKM_REMOVED || b >= r->nr_added)
			continue;
		rc = hkm_block_move(w, r, b, HKM_OFFLINE);
		if (rc)
			pr_warn("%s: state write failed (%d), block %#llx not offlined (%d)\n",
				hd->name, err, hkm_block_start(r, b), rc);
	}
	rc = hkm_remove_to(hd, before, true);
	if (rc)
		pr_warn("%s: state write failed (%d), added blocks not removed (%d)\n",
			hd->name, err, rc);
	rc = hkm_add_to(hd, before);
	if (rc)
		pr_warn("%s: state write failed (%d), removed blocks not added (%d)\n",
			hd->name, err, rc);
	for (k = 0; k < n; k++) {
		i = hkm_order(k, n, true);
		r = hkm_nth_block(hd, i, &b);
		if (was[i] == HKM_REMOVED || b >= r->nr_added)
			continue;
		rc = hkm_block_move(w, r, b, was[i]);
		if (rc)
			pr_warn("%s: state write failed (%d), block %#llx not restored (%d)\n",
				hd->name, err, hkm_block_start(r, b), rc);
	}
	if (exposed && hkm_stranded_expose(hd))
		pr_warn("%s: state write failed (%d), stranded parts not exposed again\n",
			hd->name, err);
}

/*
 * The kernel may online blocks as they are added (auto_online_blocks, or
 * memhp_default_state=).  A write that wants them elsewhere does not undo
 * the kernel's policy: it fails with -EPERM and says so.
 */
static int hkm_check_auto_online(struct hkm_dev *hd, const u8 *was,
				 enum hkm_state to)
{
	u64 n = hkm_nr_planned(hd), i, b;
	struct hkm_range *r;
	enum hkm_where now;

	for (i = 0; i < n; i++) {
		r = hkm_nth_block(hd, i, &b);
		if (was[i] != HKM_REMOVED)
			continue;
		now = hkm_block_where(r, b);
		if ((to == HKM_STATE_OFFLINE && now != HKM_OFFLINE) ||
		    (to == HKM_STATE_ONLINE_MOVABLE && now == HKM_KERNEL)) {
			pr_warn("%s: the kernel onlined block %#llx as it was added (auto_online_blocks): not offlining it\n",
				hd->name, hkm_block_start(r, b));
			return -EPERM;
		}
	}
	return 0;
}

/**
 * hkm_set_state() - move every block of @hd to one state in one step
 * @hd: the device; caller holds hd->lock
 * @to: HKM_STATE_UNPLUGGED: offline and remove every block;
 *	HKM_STATE_OFFLINE: add what is missing, offline what is online;
 *	HKM_STATE_ONLINE: add what is missing, online what is offline (in
 *	the zone the kernel picks; online blocks stay where they are);
 *	HKM_STATE_ONLINE_MOVABLE: the same, every block in ZONE_MOVABLE
 *	(an online block elsewhere is offlined and onlined there)
 *
 * All or nothing: on failure every block is put back where it was, added
 * or removed, offline or online in its zone, and the error is returned.
 * Every block that is to leave where it is goes offline first, then the
 * offline ones are onlined, each pass in its order of hkm_order(), by a
 * kernel thread (hkm_writer_start()): the pages of every block that
 * moves must fit in the rest of memory meanwhile.  An unplug offlines
 * them all, then removes them backwards.  The
 * stranded parts go with the last block, as with hkm_unplug(); if the
 * device exposes them, they are exposed once every block is where @to
 * wants it, and a failure to expose them fails the write too.
 *
 * Context: must not be called with device_hotplug_lock held; may sleep
 * for as long as offlining takes.
 * Return: 0; -EPERM if the kernel onlined added blocks where @to does not
 * want them; -EINTR if a signal came; else the errno of the step that
 * failed (-EBUSY: a block could not be offlined; -ENODEV: the stranded
 * parts are to be exposed and hotmem_pagemap is not available).
 */
int hkm_set_state(struct hkm_dev *hd, enum hkm_state to)
{
	bool online = to == HKM_STATE_ONLINE || to == HKM_STATE_ONLINE_MOVABLE;
	u64 n = hkm_nr_planned(hd), k, b, *before;
	bool exposed = hkm_stranded_exposed(hd), expedited;
	struct hkm_writer w;
	enum hkm_where want, where;
	struct hkm_range *r;
	int rc = -ENOMEM;
	u8 *was;

	lockdep_assert_held(&hd->lock);
	was = kvcalloc(n, sizeof(*was), GFP_KERNEL);
	before = hkm_count_added(hd);
	if (!was || !before)
		goto out_free;
	for (k = 0; k < n; k++) {
		r = hkm_nth_block(hd, k, &b);
		was[k] = hkm_block_where(r, b);
	}
	rc = hkm_writer_start(&w);
	if (rc)
		goto out_free;

	if (to != HKM_STATE_UNPLUGGED) {
		rc = hkm_add_to(hd, NULL);
		if (!rc)
			rc = hkm_check_auto_online(hd, was, to);
	}
	want = to == HKM_STATE_ONLINE_MOVABLE ? HKM_MOVABLE :
	       to == HKM_STATE_ONLINE ? HKM_KERNEL : HKM_OFFLINE;
	/*
	 * Every block that is to leave where it is goes offline first, then
	 * the offline ones are onlined: should an offlining fail (the step
	 * that can), putting the blocks back takes onlining only, which the
	 * cause of that failure does not stop.  "online" takes any zone (and
	 * the kernel's choice for new blocks): it offlines nothing.
	 */
	for (k = 0; !rc && to != HKM_STATE_ONLINE && k < n; k++) {
		r = hkm_nth_block(hd, hkm_order(k, n, false), &b);
		if (b >= r->nr_added)
			continue;	/* removed: to be unplugged anyway */
		where = hkm_block_where(r, b);
		if (where == HKM_OFFLINE || where == want)
			continue;
		rc = hkm_signalled();
		if (!rc)
			rc = hkm_block_write(&w, hkm_block_start(r, b), "offline");
	}
	/* onlining ends (no retries): its grace periods may be expedited */
	expedited = hm_rcu_expedite(online && READ_ONCE(hkm_expedite_rcu));
	for (k = 0; !rc && online && k < n; k++) {
		r = hkm_nth_block(hd, hkm_order(k, n, true), &b);
		if (b >= r->nr_added || hkm_block_where(r, b) != HKM_OFFLINE)
			continue;
		rc = hkm_signalled();
		if (!rc)
			rc = hkm_block_write(&w, hkm_block_start(r, b),
					     to == HKM_STATE_ONLINE ? "online" :
					     "online_movable");
	}
	hm_rcu_unexpedite(expedited);
	/* every block offline: removed backwards, no signal stops that */
	if (!rc && to == HKM_STATE_UNPLUGGED)
		rc = hkm_remove_to(hd, NULL, false);
	/* part of the write, unlike in a plug: its failure undoes the write */
	if (!rc && to != HKM_STATE_UNPLUGGED && hd->expose_stranded)
		rc = hkm_stranded_expose(hd);
	if (rc)
		hkm_state_restore(hd, &w, was, before, exposed, rc);
	hkm_writer_stop(&w);
out_free:
	kfree(before);
	kvfree(was);
	return rc;
}
