// SPDX-License-Identifier: GPL-2.0
/*
 * The hot-add planner of hotmem_kmem; see plan.h.  No kernel state is
 * read here: everything comes in through struct hkm_plan_rules.
 */
#include <linux/errno.h>

#include "plan.h"

static bool hkm_is_pow2(u64 v)
{
	return v && !(v & (v - 1));
}

static bool hkm_aligned(u64 v, u64 a)
{
	return !(v & (a - 1));
}

/* the whole @align units of [@start, @end) */
static void hkm_plan_piece(u64 start, u64 end, u64 align,
			   struct hkm_plan_piece *piece)
{
	u64 first = (start + align - 1) & ~(align - 1);
	u64 last = end & ~(align - 1);

	/* a first unit past the end of the address space wraps to 0 */
	if (first < start || first >= last) {
		piece->start = start;
		piece->size = 0;
		return;
	}
	piece->start = first;
	piece->size = last - first;
}

/**
 * hkm_plan_range() - plan the hot-add of one dax range
 * @start: first byte of the range
 * @size: its length in bytes
 * @rules: the kernel's geometry
 * @plan: filled in; on error left untouched
 *
 * Memory is hot-added in whole memory blocks only, so the range is
 * trimmed to block boundaries; what is trimmed is reported as stranded,
 * and the whole @rules->expose_align units of it as what hotmem_pagemap
 * could use instead.
 * A range holding no whole block gives @plan->nr_blocks == 0 with all of
 * it stranded, which is not an error here: the caller decides.
 *
 * A block can carry its own memmap when the memmap of one block fills
 * whole PMDs (the vmemmap is mapped with PMDs; a partial one would take
 * pages for neighbouring blocks from this block) and the rest of the
 * block is whole pageblocks (online/offline works on pageblocks).
 *
 * Return: 0, or -EINVAL for a zero size, a range that wraps, or rules
 * that are not powers of two.
 */
int hkm_plan_range(u64 start, u64 size, const struct hkm_plan_rules *rules,
		   struct hkm_plan *plan)
{
	u64 bs = rules->block_size, end, first, last, memmap;

	if (!hkm_is_pow2(bs) || !hkm_is_pow2(rules->page_size) ||
	    !hkm_is_pow2(rules->pmd_size) ||
	    !hkm_is_pow2(rules->pageblock_size) ||
	    !hkm_is_pow2(rules->expose_align) || !rules->struct_page_size)
		return -EINVAL;
	if (!size || start + size < start)
		return -EINVAL;

	end = start + size;
	first = (start + bs - 1) & ~(bs - 1);
	last = end & ~(bs - 1);
	if (first < start || first >= last) {
		/* no whole block: everything is stranded */
		first = start;
		last = start;
	}
	memmap = bs / rules->page_size * rules->struct_page_size;

	plan->start = first;
	plan->nr_blocks = (last - first) / bs;
	plan->head = first - start;
	plan->tail = end - last;
	if (!plan->nr_blocks) {
		plan->head = size;
		plan->tail = 0;
	}
	hkm_plan_piece(start, start + plan->head, rules->expose_align,
		       &plan->expose[0]);
	hkm_plan_piece(end - plan->tail, end, rules->expose_align,
		       &plan->expose[1]);
	plan->memmap_bytes = memmap;
	plan->memmap_on_memory = memmap < bs &&
		hkm_aligned(memmap, rules->pmd_size) &&
		hkm_aligned(bs - memmap, rules->pageblock_size);
	return 0;
}
