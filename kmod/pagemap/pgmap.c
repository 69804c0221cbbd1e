// SPDX-License-Identifier: GPL-2.0
/*
 * Enabling an instance of hotmem_pagemap: each of its ranges becomes one
 * ZONE_DEVICE pgmap, of the instance's type (MEMORY_DEVICE_GENERIC,
 * _COHERENT or _PRIVATE; the pages of the last two go on the free list of
 * devmem.c, and a private range is also memremap()ed for the CPU's copies,
 * as the kernel does not map private memory).  With memmap "dev" a range
 * keeps its own struct pages in its first pages (a vmem_altmap); the
 * kernel accepts an altmap only on a single-range pgmap, hence one pgmap
 * per range.  Generic memory with its memmap in RAM comes in compound
 * pages of the instance align, as device-dax's does: the kernel then
 * keeps two pages of struct pages per compound page and maps the rest of
 * its vmemmap to the second (vmemmap_populate_compound_pages()), 4 MiB
 * per GiB at 2 MiB and 8 KiB per GiB at 1 GiB instead of 16 MiB.
 * Disabling is enabling in reverse.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/io.h>
#include <linux/memory_hotplug.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "hm_rcu.h"
#include "hpm.h"

/* bytes of memmap for one 128 MiB section */
static u64 hpm_section_memmap(void)
{
	return HPM_SECTION_SIZE / PAGE_SIZE * sizeof(struct page);
}

/*
 * Sections of [start, start + len) the range covers whole.  On x86 only
 * those take their memmap from an altmap; the vmemmap of a partial
 * section is made of base pages from RAM whatever the caller asks.
 */
static u64 hpm_whole_sections(u64 start, u64 len)
{
	u64 first = ALIGN(start, HPM_SECTION_SIZE);
	u64 last = ALIGN_DOWN(start + len, HPM_SECTION_SIZE);

	return last > first ? (last - first) / HPM_SECTION_SIZE : 0;
}

/**
 * hpm_range_reserved() - bytes at the start of range @i that hold its memmap
 * @inst: the instance; caller holds hpm_lock, or the instance is enabled,
 *	or dead and being revoked (its ranges no longer change)
 * @i: the range
 *
 * With memmap "dev", the struct pages of the range's whole sections; they
 * are not part of what the character device maps.
 *
 * Return: the bytes, 0 for memmap "ram".
 */
u64 hpm_range_reserved(const struct hpm_instance *inst, int i)
{
	const struct hpm_range *r = &inst->ranges[i];

	lockdep_assert(lockdep_is_held(&hpm_lock) || READ_ONCE(inst->enabled) ||
		       READ_ONCE(inst->dead));
	if (!inst->memmap_dev)
		return 0;
	return hpm_whole_sections(r->start, r->len) * hpm_section_memmap();
}

/*
 * The order of the compound pages of range @i: the instance align's, for
 * generic memory whose memmap is in RAM.  None with an altmap: the kernel
 * shares no struct pages there (every one is written), and a 1 GiB head
 * would sit past the memmap, off its alignment.  None for coherent and
 * private memory: migration takes order-0 pages only, and devmem.c keeps
 * per-page data in every struct page.
 */
static unsigned int hpm_range_shift(const struct hpm_instance *inst, int i)
{
	if (inst->type != HPM_GENERIC || inst->align <= PAGE_SIZE ||
	    hpm_range_reserved(inst, i))
		return 0;
	return ilog2(inst->align) - PAGE_SHIFT;
}

/* the expedite_rcu parameter (main.c): see hm_rcu.h */
bool hpm_expedite_rcu = true;

static void hpm_pgmap_unmap(struct hpm_pgmap *pm)
{
	memunmap_pages(&pm->pgmap);
	if (pm->kaddr)
		memunmap(pm->kaddr);
}

static void hpm_pgmap_unmap_work(struct work_struct *work)
{
	hpm_pgmap_unmap(container_of(work, struct hpm_pgmap, unmap));
}

/*
 * Unmap and free every pgmap the @n instances @v have.  memunmap_pages()
 * waits for about three RCU grace periods (the kill of the pgmap's
 * reference, mem_hotplug_begin(), the removal from the pgmap lookup);
 * from a worker each on the unbound workqueue the waits of all of them
 * overlap, so tearing down many costs about what one does, plus the work
 * the kernel does under mem_hotplug_lock, one at a time.  A lone pgmap
 * is unmapped right here.  Callers hold hpm_lock, or own the instances,
 * dead (a revoke); the workers take no lock of ours.
 */
static void hpm_pgmaps_unmap(struct hpm_instance **v, int n)
{
	int k, i, total = 0;
	bool expedited;

	for (k = 0; k < n; k++) {
		lockdep_assert(lockdep_is_held(&hpm_lock) || READ_ONCE(v[k]->dead));
		for (i = 0; i < HPM_MAX_RANGES; i++)
			total += !!v[k]->pgmaps[i];
	}
	if (!total)
		return;
	expedited = hm_rcu_expedite(READ_ONCE(hpm_expedite_rcu));
	for (k = 0; k < n; k++) {
		for (i = HPM_MAX_RANGES - 1; i >= 0; i--) {
			struct hpm_pgmap *pm = v[k]->pgmaps[i];

			if (!pm)
				continue;
			if (total == 1) {
				hpm_pgmap_unmap(pm);
				continue;
			}
			INIT_WORK(&pm->unmap, hpm_pgmap_unmap_work);
			queue_work(system_unbound_wq, &pm->unmap);
		}
	}
	for (k = 0; k < n; k++) {
		for (i = 0; i < HPM_MAX_RANGES; i++) {
			struct hpm_pgmap *pm = v[k]->pgmaps[i];

			if (!pm)
				continue;
			if (total > 1)
				flush_work(&pm->unmap);
			kfree(pm);
			v[k]->pgmaps[i] = NULL;
		}
	}
	hm_rcu_unexpedite(expedited);
}

/* the pgmap type of an instance type */
static enum memory_type hpm_pgmap_type(enum hpm_type type)
{
	if (type == HPM_COHERENT)
		return MEMORY_DEVICE_COHERENT;
	if (type == HPM_PRIVATE)
		return MEMORY_DEVICE_PRIVATE;
	return MEMORY_DEVICE_GENERIC;
}

/* caller holds hpm_lock */
static int hpm_range_map(struct hpm_instance *inst, int i)
{
	struct hpm_range *r = &inst->ranges[i];
	u64 reserved = hpm_range_reserved(inst, i);
	struct dev_pagemap *pgmap;
	struct hpm_pgmap *pm;
	void *addr;

	lockdep_assert_held(&hpm_lock);
	if (WARN_ON_ONCE(inst->pgmaps[i]))
		return -EIO;
	pm = kzalloc(sizeof(*pm), GFP_KERNEL);
	if (!pm)
		return -ENOMEM;
	pgmap = &pm->pgmap;
	pgmap->type = hpm_pgmap_type(inst->type);
	if (hpm_type_devmem(inst->type)) {
		pgmap->ops = &hpm_devmem_ops;
		pgmap->owner = inst;
	}
	if (inst->type == HPM_PRIVATE) {
		/* before memremap_pages() makes the pages valid */
		pm->kaddr = memremap(r->start, r->len, MEMREMAP_WB);
		if (!pm->kaddr) {
			kfree(pm);
			return -ENOMEM;
		}
	}
	pgmap->range.start = r->start;
	pgmap->range.end = r->start + r->len - 1;
	pgmap->nr_range = 1;
	/* ranges start and end on the align (hpm_alloc_align()) */
	pgmap->vmemmap_shift = hpm_range_shift(inst, i);
	if (WARN_ON_ONCE(!IS_ALIGNED(r->start | r->len,
				     PAGE_SIZE << pgmap->vmemmap_shift))) {
		kfree(pm);
		return -EINVAL;
	}
	if (reserved) {
		/* the memmap of the whole sections, first in the range */
		struct vmem_altmap altmap = {
			.base_pfn = PHYS_PFN(r->start),
			.end_pfn = PHYS_PFN(r->start + r->len - 1),
			.free = PHYS_PFN(reserved),
		};

		memcpy(&pgmap->altmap, &altmap, sizeof(altmap));
		pgmap->flags |= PGMAP_ALTMAP_VALID;
	}
	/* the instance's node: its target node, or the nearest online one */
	addr = memremap_pages(pgmap, dev_to_node(&inst->dev));
	if (IS_ERR(addr)) {
		if (pm->kaddr)
			memunmap(pm->kaddr);
		kfree(pm);
		return PTR_ERR(addr);
	}
	pm->pfn_first = PHYS_PFN(r->start + reserved);
	inst->pgmaps[i] = pm;
	if (hpm_type_devmem(inst->type))
		hpm_devmem_fill(inst, pm->pfn_first, PHYS_PFN(r->start + r->len));
	return 0;
}

/**
 * hpm_instance_enable() - map every range of @inst as ZONE_DEVICE pages
 * @inst: a sized, disabled instance; caller holds hpm_lock
 *
 * Every range was checked against the region's sub-section map when it
 * was allocated, so no range here overlaps or contains another pgmap of
 * ours; the region's resource keeps other drivers off it.
 *
 * Return: 0, or the errno of the range that failed; the ranges mapped
 * before it are unmapped again.  -EINVAL (and a warning) if @inst is
 * enabled or empty, which its caller rules out.
 */
int hpm_instance_enable(struct hpm_instance *inst)
{
	bool expedited;
	int i, rc = 0;

	lockdep_assert_held(&hpm_lock);
	if (WARN_ON_ONCE(inst->enabled || !inst->nr_range))
		return -EINVAL;
	expedited = hm_rcu_expedite(READ_ONCE(hpm_expedite_rcu));
	for (i = 0; i < inst->nr_range; i++) {
		rc = hpm_range_map(inst, i);
		if (rc)
			break;
	}
	hm_rcu_unexpedite(expedited);
	if (rc)
		goto out_unmap;
	down_write(&inst->fault_lock);
	inst->enabled = true;
	up_write(&inst->fault_lock);
	inst->opened = false;
	return 0;

out_unmap:
	if (hpm_type_devmem(inst->type))
		hpm_devmem_drain(inst);
	hpm_pgmaps_unmap(&inst, 1);
	return rc;
}

/**
 * hpm_instances_disable() - unmap every range of @n instances at once
 * @v: enabled instances with no page in use (hpm_instance_pinned() is
 *	0, no file open), each once; caller holds hpm_lock
 * @n: how many
 *
 * The ranges of all of them are torn down together (hpm_pgmaps_unmap()).
 *
 * Return: 0; -EINVAL (and a warning) if one is not enabled or is open,
 * which its caller rules out; then none is disabled.
 */
int hpm_instances_disable(struct hpm_instance **v, int n)
{
	int k;

	lockdep_assert_held(&hpm_lock);
	for (k = 0; k < n; k++)
		if (WARN_ON_ONCE(!v[k]->enabled || v[k]->users ||
				 hpm_devmem_allocated(v[k])))
			return -EINVAL;
	for (k = 0; k < n; k++) {
		down_write(&v[k]->fault_lock);
		v[k]->enabled = false;
		up_write(&v[k]->fault_lock);
		if (hpm_type_devmem(v[k]->type))
			hpm_devmem_drain(v[k]);
	}
	hpm_pgmaps_unmap(v, n);
	return 0;
}

/**
 * hpm_instance_disable() - unmap every range of @inst
 * @inst: an enabled instance with no page in use (hpm_instance_pinned()
 *	is 0, no file open); caller holds hpm_lock
 *
 * Return: 0; -EINVAL (and a warning) if @inst is not enabled or is open,
 * which its caller rules out.
 */
int hpm_instance_disable(struct hpm_instance *inst)
{
	return hpm_instances_disable(&inst, 1);
}

/**
 * hpm_instance_pinned() - pages of an enabled instance still in use
 * @inst: the instance, enabled (or dead and being revoked); caller holds
 *	hpm_lock, or owns @inst, dead
 *
 * An idle generic ZONE_DEVICE page of ours has a reference count of 1;
 * a pin (get_user_pages() for O_DIRECT, a pipe buffer of vmsplice(),
 * RDMA) holds more.  memunmap_pages() does not wait for those: it waits
 * for the pgmap's own references only, which a pin holds no longer than
 * the page-table walk that takes it.  So the pages are checked here: the
 * head of each compound page, where a pin of any of its pages lands (the
 * others' counts stay 0).  Nothing can be pinned without a mapping, so
 * an instance not opened since it was enabled is not walked at all.
 * A page of a coherent or private instance is in use from the moment it
 * is handed out until the kernel frees it.
 *
 * Return: the number of pages (compound pages counted once) with a
 * reference beyond their own, or in use.
 */
unsigned long hpm_instance_pinned(struct hpm_instance *inst)
{
	unsigned long pfn, end, step, n = 0, seen = 0;
	int i;

	lockdep_assert(lockdep_is_held(&hpm_lock) || READ_ONCE(inst->dead));
	if (hpm_type_devmem(inst->type))
		return hpm_devmem_allocated(inst);
	if (!inst->opened)
		return 0;

	for (i = 0; i < inst->nr_range; i++) {
		pfn = inst->pgmaps[i]->pfn_first;
		end = PHYS_PFN(inst->ranges[i].start + inst->ranges[i].len);
		step = pgmap_vmemmap_nr(&inst->pgmaps[i]->pgmap);
		for (; pfn < end; pfn += step) {
			if (page_ref_count(pfn_to_page(pfn)) > 1)
				n++;
			if (!(++seen % 4096))
				cond_resched();
		}
	}
	return n;
}

/**
 * hpm_instance_stop() - let no new fault map a page of @inst
 * @inst: an enabled instance; caller holds hpm_lock
 *
 * First half of a revoke; hpm_instance_revoke() does the rest without
 * hpm_lock.
 */
void hpm_instance_stop(struct hpm_instance *inst)
{
	lockdep_assert_held(&hpm_lock);
	down_write(&inst->fault_lock);
	inst->enabled = false;
	up_write(&inst->fault_lock);
}

/**
 * hpm_instance_revoke() - unmap a stopped instance even while it is open
 *	or mapped
 * @inst: a dead instance that hpm_instance_stop() stopped; its caller
 *	owns it, and hpm_lock is not held (release of its files takes it)
 *
 * For a region taken away by its owner: every page is unmapped from every
 * process through the instance's address space (later accesses get
 * SIGBUS), or for a coherent or private instance moved back to RAM, then
 * this waits until no page is pinned any more, and only then unmaps the
 * ranges, so no page is freed while in use.  The files stay open until
 * their owners close them.
 */
void hpm_instance_revoke(struct hpm_instance *inst)
{
	unsigned long pinned, waited = 0;
	int rc;

	lockdep_assert_not_held(&hpm_lock);
	if (WARN_ON_ONCE(!inst->dead))
		return;
	/* not stopped: stop it here rather than free pages still mapped */
	if (WARN_ON_ONCE(inst->enabled)) {
		down_write(&inst->fault_lock);
		inst->enabled = false;
		up_write(&inst->fault_lock);
	}
	unmap_mapping_range(inst->inode->i_mapping, 0, 0, 1);
	/*
	 * A page in use is never freed: -EBUSY (pinned), -ENOMEM and -EIO (a
	 * page that cannot be read stays with its process until it lets go)
	 * alike, wait and try again.
	 */
	while (hpm_type_devmem(inst->type) && (rc = hpm_devmem_evict(inst))) {
		if (!(waited % 10))
			dev_warn(&inst->dev, "revoke: waiting to evict %lu pages (%d)\n",
				 hpm_devmem_allocated(inst), rc);
		msleep(1000);
		waited++;
	}
	while ((pinned = hpm_instance_pinned(inst))) {
		if (!(waited % 10))
			dev_warn(&inst->dev, "revoke: waiting for %lu pinned pages\n",
				 pinned);
		msleep(1000);
		waited++;
	}
	if (hpm_type_devmem(inst->type))
		hpm_devmem_drain(inst);
	hpm_pgmaps_unmap(&inst, 1);
}

/*
 * Bytes of memmap the kernel allocated for [pfn, end) of @pgmap, section
 * by section: a struct page per page, but with compound pages it shares
 * (vmemmap_can_optimize()) two pages of them per compound page, or per
 * compound page larger than a section (the later sections map the first
 * one's).  A section the boot memmap covers in part keeps that memmap,
 * every struct page of it.  Page tables of the vmemmap are not counted.
 */
static u64 hpm_memmap_alloc(struct dev_pagemap *pgmap, unsigned long pfn,
			    unsigned long end)
{
	bool shared = vmemmap_can_optimize(pgmap_altmap(pgmap), pgmap);
	unsigned long nr = pgmap_vmemmap_nr(pgmap), next;
	u64 bytes = 0;

	for (; pfn < end; pfn = next) {
		next = min_t(unsigned long, end, SECTION_ALIGN_UP(pfn + 1));
		if (!shared || early_section(__pfn_to_section(pfn)))
			bytes += (u64)(next - pfn) * sizeof(struct page);
		else if (nr < PAGES_PER_SECTION)
			bytes += (u64)(next - pfn) / nr * VMEMMAP_RESERVE_NR * PAGE_SIZE;
		else if (IS_ALIGNED(pfn, nr))
			bytes += VMEMMAP_RESERVE_NR * PAGE_SIZE;
	}
	return bytes;
}

/**
 * hpm_instance_memmap_bytes() - where the struct pages of @inst live
 * @inst: the instance, 0 and 0 unless enabled; caller holds hpm_lock
 * @device: set to the bytes on the device (its own first pages)
 * @dram: set to the bytes in RAM (the vmemmap's page tables aside)
 */
void hpm_instance_memmap_bytes(struct hpm_instance *inst, u64 *device,
			       u64 *dram)
{
	u64 total, on_dev;
	int i;

	lockdep_assert_held(&hpm_lock);
	*device = 0;
	*dram = 0;
	for (i = 0; i < inst->nr_range && inst->enabled; i++) {
		struct dev_pagemap *pgmap = &inst->pgmaps[i]->pgmap;
		const struct hpm_range *r = &inst->ranges[i];

		total = hpm_memmap_alloc(pgmap, PHYS_PFN(r->start),
					 PHYS_PFN(r->start + r->len));
		if (pgmap->flags & PGMAP_ALTMAP_VALID) {
			on_dev = (u64)pgmap->altmap.alloc << PAGE_SHIFT;
			*device += on_dev;
			total -= min(total, on_dev);
		}
		*dram += total;
	}
}
