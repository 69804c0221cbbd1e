// SPDX-License-Identifier: GPL-2.0
/*
 * The device memory of "coherent" and "private" instances: hotmem hands
 * it out one page at a time from a free list filled at enable, and the
 * kernel gives each page back through page_free() when its last
 * reference goes.  Processes reach it only by migration: the ioctls of
 * the character device move their anonymous pages in and out, "evict"
 * moves every page out, and for private memory, which the CPU cannot
 * map, a CPU fault on a migrated page moves it back (migrate_to_ram).
 * Data is copied by the CPU through the kernel's mapping of the device
 * memory: the linear map for coherent memory, a memremap() of each range
 * for private memory.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/highmem.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <uapi/hotmem/pagemap.h>

#include "hpm.h"

/* pages per migrate_vma_setup(): 2 MiB, the arrays one page each */
#define HPM_MIGRATE_CHUNK	(PAGE_SIZE / sizeof(unsigned long))
/*
 * A call of at most this many pages uses arrays on the stack: a small
 * call costs no allocation (under KASAN and kmemleak, a kmalloc() and
 * kfree() pair costs more than moving a page).
 */
#define HPM_MIGRATE_SMALL	32UL

static struct hpm_instance *hpm_page_instance(const struct page *page)
{
	return page->pgmap->owner;
}

/* where the CPU reads and writes the data of device page @page */
static void *hpm_devmem_addr(struct page *page)
{
	struct hpm_pgmap *pm = container_of(page->pgmap, struct hpm_pgmap, pgmap);

	if (!pm->kaddr)
		return page_address(page);
	return pm->kaddr + (PFN_PHYS(page_to_pfn(page)) - pm->pgmap.range.start);
}

/* was @page reported by memory_failure()?  Any context. */
static bool hpm_devmem_is_poisoned(struct hpm_instance *inst, struct page *page)
{
	struct hotmem_region *region = inst->region;

	return READ_ONCE(region->nr_poisoned) &&
	       xa_load(&region->poison, page_to_pfn(page));
}

/**
 * hpm_devmem_fill() - put pages [@pfn, @end) of @inst on its free list
 * @inst: a coherent or private instance being enabled; caller holds
 *	hpm_lock
 * @pfn: first page, of a range just mapped
 * @end: one past the last
 */
void hpm_devmem_fill(struct hpm_instance *inst, unsigned long pfn,
		     unsigned long end)
{
	unsigned long flags;
	struct page *page;

	lockdep_assert_held(&hpm_lock);
	for (; pfn < end; pfn++) {
		page = pfn_to_page(pfn);
		if (hpm_devmem_is_poisoned(inst, page))
			continue;
		spin_lock_irqsave(&inst->free_lock, flags);
		page->zone_device_data = inst->free;
		inst->free = page;
		inst->nr_free++;
		spin_unlock_irqrestore(&inst->free_lock, flags);
		if (!(pfn % 4096))
			cond_resched();
	}
}

/**
 * hpm_devmem_drain() - empty the free list of @inst before its ranges go
 * @inst: an instance with no page in use; caller holds hpm_lock, or owns
 *	it dead (a revoke)
 */
void hpm_devmem_drain(struct hpm_instance *inst)
{
	unsigned long flags;

	lockdep_assert(lockdep_is_held(&hpm_lock) || READ_ONCE(inst->dead));
	spin_lock_irqsave(&inst->free_lock, flags);
	WARN_ON_ONCE(inst->allocated);
	inst->free = NULL;
	inst->nr_free = 0;
	spin_unlock_irqrestore(&inst->free_lock, flags);
}

/**
 * hpm_devmem_allocated() - pages of @inst handed out and not given back
 * @inst: the instance
 *
 * Return: the number of pages, 0 for a generic instance.
 */
unsigned long hpm_devmem_allocated(struct hpm_instance *inst)
{
	unsigned long flags, n;

	spin_lock_irqsave(&inst->free_lock, flags);
	n = inst->allocated;
	spin_unlock_irqrestore(&inst->free_lock, flags);
	return n;
}

/*
 * A free page, initialised for its new user: one reference (which holds
 * the pgmap), locked, as migration wants its destination.  NULL if the
 * instance is full.
 */
static struct page *hpm_devmem_alloc(struct hpm_instance *inst)
{
	struct page *page;
	unsigned long flags;

again:
	spin_lock_irqsave(&inst->free_lock, flags);
	/* a page poisoned while free leaves the list here, for good */
	while ((page = inst->free)) {
		inst->free = page->zone_device_data;
		inst->nr_free--;
		if (!hpm_devmem_is_poisoned(inst, page))
			break;
	}
	if (page)
		inst->allocated++;
	spin_unlock_irqrestore(&inst->free_lock, flags);
	if (!page)
		return NULL;
	page->zone_device_data = NULL;
	zone_device_page_init(page);
	/*
	 * Poisoned since the check above?  memory_failure() records the
	 * poison before it reads the reference count, this sets the count
	 * before it reads the record: one of the two sees the other.  If
	 * this does, the page goes back, and page_free() quarantines it.
	 */
	smp_mb();
	if (unlikely(hpm_devmem_is_poisoned(inst, page))) {
		unlock_page(page);
		put_page(page);
		goto again;
	}
	return page;
}

/* the last reference to a page of ours went: it is free again */
static void hpm_devmem_page_free(struct page *page)
{
	struct hpm_instance *inst = hpm_page_instance(page);
	unsigned long flags;

	spin_lock_irqsave(&inst->free_lock, flags);
	/* a poisoned page is quarantined: it never goes back on the list */
	if (!hpm_devmem_is_poisoned(inst, page)) {
		page->zone_device_data = inst->free;
		inst->free = page;
		inst->nr_free++;
	}
	if (!WARN_ON_ONCE(!inst->allocated))
		inst->allocated--;
	spin_unlock_irqrestore(&inst->free_lock, flags);
}

/*
 * Copy each page that @src (from a migrate_vma_setup() or
 * migrate_device_range() of @n pages) hands over into a new system page
 * and set @dst.  @vma and @start place the new pages (NULL: any node).
 * The copy is machine-check safe: a page whose device memory cannot be
 * read stays where it is.
 * Return: 0, or the first error: -ENOMEM if a system page could not be
 * had (@dst is 0 from there on), -EIO if a page could not be read (its
 * @dst is 0).
 */
static int hpm_devmem_copy_to_ram(struct vm_area_struct *vma,
				  unsigned long start, const unsigned long *src,
				  unsigned long *dst, unsigned long n)
{
	struct page *spage, *dpage;
	unsigned long i, left;
	bool oom = false;
	int rc = 0;
	void *to;

	for (i = 0; i < n; i++) {
		dst[i] = 0;
		spage = migrate_pfn_to_page(src[i]);
		if (oom || !spage || !(src[i] & MIGRATE_PFN_MIGRATE))
			continue;
		if (vma)
			dpage = alloc_page_vma(GFP_HIGHUSER_MOVABLE, vma,
					       start + i * PAGE_SIZE);
		else
			dpage = alloc_page(GFP_HIGHUSER_MOVABLE);
		if (!dpage) {
			oom = true;
			rc = rc ?: -ENOMEM;
			continue;
		}
		to = kmap_local_page(dpage);
		left = copy_mc_to_kernel(to, hpm_devmem_addr(spage), PAGE_SIZE);
		kunmap_local(to);
		if (left) {
			__free_page(dpage);
			rc = rc ?: -EIO;
			continue;
		}
		lock_page(dpage);
		dst[i] = migrate_pfn(page_to_pfn(dpage)) |
			 (src[i] & MIGRATE_PFN_WRITE);
	}
	return rc;
}

/*
 * Move the pages of [pfn, end) that are in use back to RAM, in chunks of
 * at most HPM_MIGRATE_CHUNK (@src and @dst).  Return: 0, or the first
 * error of hpm_devmem_copy_to_ram() or migrate_device_range().
 */
static int hpm_devmem_evict_pfns(unsigned long pfn, unsigned long end,
				 unsigned long *src, unsigned long *dst)
{
	unsigned long n;
	int rc, err = 0;

	for (; pfn < end; pfn += n) {
		n = min(end - pfn, HPM_MIGRATE_CHUNK);
		rc = migrate_device_range(src, pfn, n);
		if (rc)
			return rc;
		rc = hpm_devmem_copy_to_ram(NULL, 0, src, dst, n);
		migrate_device_pages(src, dst, n);
		migrate_device_finalize(src, dst, n);
		if (rc == -ENOMEM)
			return rc;	/* the rest would fail too */
		err = err ?: rc;
		cond_resched();
	}
	return err;
}

/* the migrate_vma selection of the pages of an instance of @type */
static unsigned long hpm_devmem_select(enum hpm_type type)
{
	return type == HPM_PRIVATE ? MIGRATE_VMA_SELECT_DEVICE_PRIVATE :
				     MIGRATE_VMA_SELECT_DEVICE_COHERENT;
}

/*
 * A CPU fault on a page of a private instance: move that page back to a
 * system page.  The caller holds the mmap lock and a reference to the
 * page, so the instance is still enabled or being evicted.  A page whose
 * device memory cannot be read is reported as poison (SIGBUS with
 * BUS_MCEERR_AR, as for poisoned RAM), not retried.
 */
static vm_fault_t hpm_devmem_migrate_to_ram(struct vm_fault *vmf)
{
	struct hpm_instance *inst = hpm_page_instance(vmf->page);
	unsigned long src = 0, dst = 0;
	struct migrate_vma args = {
		.vma = vmf->vma,
		.start = ALIGN_DOWN(vmf->address, PAGE_SIZE),
		.end = ALIGN_DOWN(vmf->address, PAGE_SIZE) + PAGE_SIZE,
		.src = &src,
		.dst = &dst,
		.pgmap_owner = inst,
		.flags = MIGRATE_VMA_SELECT_DEVICE_PRIVATE,
		.fault_page = vmf->page,
	};
	int rc;

	if (migrate_vma_setup(&args))
		return VM_FAULT_SIGBUS;
	/* nothing handed over: another thread moved it meanwhile */
	if (!args.cpages)
		return 0;
	rc = hpm_devmem_copy_to_ram(args.vma, args.start, &src, &dst, 1);
	migrate_vma_pages(&args);
	migrate_vma_finalize(&args);
	if (rc == -EIO)
		return VM_FAULT_HWPOISON;
	return rc ? VM_FAULT_OOM : 0;
}

/**
 * hpm_devmem_poisoned() - pages of @inst that memory_failure() reported
 * @inst: the instance; caller holds hpm_lock
 *
 * Return: the number of pages of its ranges that are quarantined, whether
 * reported while it held them or before.
 */
unsigned long hpm_devmem_poisoned(struct hpm_instance *inst)
{
	struct hotmem_region *region = inst->region;
	unsigned long pfn, n = 0;
	void *entry;
	int i;

	lockdep_assert_held(&hpm_lock);
	if (!READ_ONCE(region->nr_poisoned))
		return 0;
	for (i = 0; i < inst->nr_range; i++)
		xa_for_each_range(&region->poison, pfn, entry,
				  PHYS_PFN(inst->ranges[i].start),
				  PHYS_PFN(inst->ranges[i].start + inst->ranges[i].len) - 1)
			n++;
	return n;
}

/*
 * memory_failure() on pages of ours (a machine check, or a write of
 * hard_offline_page): quarantine them, so they are never handed out
 * again, and move those in use to RAM with a machine-check safe copy, so
 * their processes keep their data if it can still be read.  The kernel's
 * generic handler is not let in: it takes every ZONE_DEVICE page for a
 * DAX page, and dereferences an anonymous page's anon_vma as a file
 * mapping (an oops on 6.1 and 6.12).  The record is the region's, so it
 * outlives the instance.  Runs under the kernel's mf_mutex, which
 * serialises the writers of the region's @nr_poisoned; the caller's pgmap
 * reference keeps the range mapped (a revoke may stop the instance
 * meanwhile: moving its pages out needs no more).
 * Return: 0, or -EBUSY if a page in use could not move (pinned: it is
 * quarantined when freed), -EIO if it could not be read, -ENOMEM.
 */
static int hpm_devmem_memory_failure(struct dev_pagemap *pgmap,
				     unsigned long pfn, unsigned long nr_pages,
				     int mf_flags)
{
	struct hpm_instance *inst = pgmap->owner;
	struct hotmem_region *region = inst->region;
	unsigned long i, src, dst;
	void *old;
	int rc = 0, err;

	for (i = pfn; i < pfn + nr_pages; i++) {
		old = xa_store(&region->poison, i, xa_mk_value(1), GFP_KERNEL);
		if (xa_is_err(old))
			return xa_err(old);
		if (!old) {
			WRITE_ONCE(region->nr_poisoned, region->nr_poisoned + 1);
			dev_warn(&inst->dev, "memory failure at pfn %#lx: quarantined\n",
				 i);
		}
		/* pairs with hpm_devmem_alloc(): it sees the record, or this its page */
		smp_mb();
		if (!page_ref_count(pfn_to_page(i)))
			continue;	/* free: it leaves the free list */
		err = hpm_devmem_evict_pfns(i, i + 1, &src, &dst);
		if (!err && page_ref_count(pfn_to_page(i)))
			err = -EBUSY;
		rc = rc ?: err;
	}
	return rc;
}

/*
 * memunmap_pages() ends its pgmap: the instance has no page in use by
 * then (disable and revoke wait for that), so there is nothing to do.
 */
const struct dev_pagemap_ops hpm_devmem_ops = {
	.page_free = hpm_devmem_page_free,
	.migrate_to_ram = hpm_devmem_migrate_to_ram,
	.memory_failure = hpm_devmem_memory_failure,
};

/*
 * Move the pages of [start, end) of @vma, at most HPM_MIGRATE_CHUNK, into
 * @inst (@to_dev) or out of it.  @done: set to the pages finished in
 * order.  Return: 0 if all were, else the errno of the first that was not.
 */
static int hpm_devmem_migrate_chunk(struct hpm_instance *inst,
				    struct vm_area_struct *vma,
				    unsigned long start, unsigned long end,
				    bool to_dev, unsigned long *src,
				    unsigned long *dst, unsigned long *done)
{
	unsigned long i, n = (end - start) >> PAGE_SHIFT;
	struct migrate_vma args = {
		.vma = vma,
		.start = start,
		.end = end,
		.src = src,
		.dst = dst,
		.pgmap_owner = inst,
		.flags = hpm_devmem_select(inst->type),
	};
	unsigned long full = n;	/* the first page that found no room */
	struct page *spage, *dpage;
	int rc, stop = 0;

	if (to_dev)
		args.flags |= MIGRATE_VMA_SELECT_SYSTEM;
	rc = migrate_vma_setup(&args);
	if (rc)
		return rc;
	if (!to_dev)
		rc = hpm_devmem_copy_to_ram(vma, start, src, dst, n);
	for (i = 0; to_dev && i < n; i++) {
		dst[i] = 0;
		spage = migrate_pfn_to_page(src[i]);
		/* not handed over, or already here: decided below */
		if (!(src[i] & MIGRATE_PFN_MIGRATE) ||
		    (spage && is_zone_device_page(spage)))
			continue;
		dpage = full < n ? NULL : hpm_devmem_alloc(inst);
		if (!dpage) {
			full = min(full, i);
			continue;
		}
		if (spage)
			memcpy_from_page(hpm_devmem_addr(dpage), spage, 0,
					 PAGE_SIZE);
		else
			memset(hpm_devmem_addr(dpage), 0, PAGE_SIZE);
		dst[i] = migrate_pfn(page_to_pfn(dpage)) |
			 (src[i] & MIGRATE_PFN_WRITE);
	}
	migrate_vma_pages(&args);
	/*
	 * The first page not where it was asked to go ends the count: one
	 * the kernel did not hand over or could not move is busy, one that
	 * found no room ends a move to the device with -ENOSPC, one that
	 * found no system page a move to RAM with -ENOMEM.
	 */
	for (i = 0; i < n && !stop; i++) {
		spage = migrate_pfn_to_page(src[i]);
		if (to_dev && spage && is_zone_device_page(spage) &&
		    hpm_page_instance(spage) == inst)
			(*done)++;	/* was here already */
		else if (to_dev && !dst[i] && i >= full)
			stop = -ENOSPC;
		else if (to_dev && !(src[i] & MIGRATE_PFN_MIGRATE))
			stop = -EBUSY;
		else if (!to_dev && spage && !(src[i] & MIGRATE_PFN_MIGRATE))
			stop = dst[i] || !rc ? -EBUSY : rc;
		else
			(*done)++;
	}
	migrate_vma_finalize(&args);
	return stop;
}

/* every page of [start, end) is anonymous private memory of @mm */
static int hpm_devmem_check_range(struct mm_struct *mm, unsigned long start,
				  unsigned long end)
{
	struct vm_area_struct *vma;
	unsigned long addr;

	for (addr = start; addr < end; addr = vma->vm_end) {
		vma = vma_lookup(mm, addr);
		if (!vma || !vma_is_anonymous(vma) ||
		    (vma->vm_flags & (VM_SHARED | VM_SPECIAL)))
			return -EINVAL;
	}
	return 0;
}

/*
 * Move [start, end) of the caller's memory, checked to be anonymous
 * private memory, in chunks.  Caller holds the mmap lock for reading.
 * Each chunk holds @inst->fault_lock and finds it enabled, so a disable
 * or revoke waits for one chunk at most and stops the rest (-ENXIO).
 */
static int hpm_devmem_migrate_range(struct hpm_instance *inst,
				    struct mm_struct *mm, unsigned long start,
				    unsigned long end, bool to_dev,
				    unsigned long *done)
{
	unsigned long small_src[HPM_MIGRATE_SMALL], small_dst[HPM_MIGRATE_SMALL];
	unsigned long *src = small_src, *dst = small_dst, addr, next, got;
	unsigned long chunk = HPM_MIGRATE_SMALL;
	struct vm_area_struct *vma;
	int rc = 0;

	if ((end - start) >> PAGE_SHIFT > HPM_MIGRATE_SMALL) {
		chunk = HPM_MIGRATE_CHUNK;
		src = kmalloc_array(chunk, sizeof(*src), GFP_KERNEL);
		dst = kmalloc_array(chunk, sizeof(*dst), GFP_KERNEL);
		if (!src || !dst) {
			rc = -ENOMEM;
			goto out;
		}
	}
	for (addr = start; addr < end && !rc; addr = next) {
		vma = vma_lookup(mm, addr);
		next = min3(end, vma->vm_end, addr + chunk * PAGE_SIZE);
		got = 0;
		/* the mmap lock first, as a fault takes it before fault_lock */
		down_read(&inst->fault_lock);
		rc = READ_ONCE(inst->enabled) ? 0 : -ENXIO;
		if (!rc)
			rc = hpm_devmem_migrate_chunk(inst, vma, addr, next,
						      to_dev, src, dst, &got);
		up_read(&inst->fault_lock);
		*done += got;
		if (!rc && fatal_signal_pending(current))
			rc = -EINTR;
		cond_resched();
	}
out:
	if (src != small_src) {
		kfree(dst);
		kfree(src);
	}
	return rc;
}

/**
 * hpm_devmem_migrate() - the migration ioctls of a coherent or private
 *	instance
 * @inst: the instance of the file; it stays enabled while the file is
 *	open, unless its region's owner revokes it
 * @cmd: HOTMEM_PM_MIGRATE_TO_DEV or HOTMEM_PM_MIGRATE_TO_RAM
 * @uarg: the struct hotmem_pm_migrate
 *
 * Return: 0, or the errno of include/uapi/hotmem/pagemap.h; "done" is
 * written back in both cases once the range was checked.
 */
long hpm_devmem_migrate(struct hpm_instance *inst, unsigned int cmd,
			void __user *uarg)
{
	struct mm_struct *mm = current->mm;
	struct hotmem_pm_migrate m;
	unsigned long start, end, done = 0;
	int rc;

	if (copy_from_user(&m, uarg, sizeof(m)))
		return -EFAULT;
	if (m.flags || !m.npages || !PAGE_ALIGNED(m.addr) ||
	    m.npages > (TASK_SIZE >> PAGE_SHIFT) ||
	    m.addr > TASK_SIZE - (m.npages << PAGE_SHIFT))
		return -EINVAL;
	if (!mm)
		return -EINVAL;
	start = m.addr;
	end = start + (m.npages << PAGE_SHIFT);
	if (!READ_ONCE(inst->enabled))
		return -ENXIO;
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	rc = hpm_devmem_check_range(mm, start, end);
	if (rc) {
		mmap_read_unlock(mm);
		return rc;
	}
	rc = hpm_devmem_migrate_range(inst, mm, start, end,
				      cmd == HOTMEM_PM_MIGRATE_TO_DEV, &done);
	mmap_read_unlock(mm);
	m.done = done;
	if (copy_to_user(uarg, &m, sizeof(m)))
		return -EFAULT;
	return rc;
}

/**
 * hpm_devmem_evict() - move every page of @inst in use back to RAM
 * @inst: an enabled coherent or private instance, or a dead one being
 *	revoked; caller holds hpm_lock, or owns the dead instance
 *
 * Return: 0 when no page is in use any more; -EBUSY if some are (pinned,
 * or locked by a migration at that moment: a later call resumes);
 * -ENOMEM if system pages ran out; -EIO if a page could not be read.
 */
int hpm_devmem_evict(struct hpm_instance *inst)
{
	unsigned long *src, *dst;
	int i, rc = 0;

	lockdep_assert(lockdep_is_held(&hpm_lock) || READ_ONCE(inst->dead));
	src = kmalloc_array(HPM_MIGRATE_CHUNK, sizeof(*src), GFP_KERNEL);
	dst = kmalloc_array(HPM_MIGRATE_CHUNK, sizeof(*dst), GFP_KERNEL);
	if (!src || !dst) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; i < inst->nr_range && !rc; i++)
		rc = hpm_devmem_evict_pfns(inst->pgmaps[i]->pfn_first,
					   PHYS_PFN(inst->pgmaps[i]->pgmap.range.end + 1),
					   src, dst);
	if (!rc && hpm_devmem_allocated(inst))
		rc = -EBUSY;
out:
	kfree(dst);
	kfree(src);
	return rc;
}
