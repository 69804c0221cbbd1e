/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hot-add planner of hotmem_kmem: which whole memory blocks of a dax
 * range can be hot-added, what is left stranded at its head and tail, and
 * whether a block can carry its own memmap.  Pure arithmetic, so the same
 * file builds in a user-space table test.
 */
#ifndef HKM_PLAN_H
#define HKM_PLAN_H

#include <linux/types.h>

/**
 * struct hkm_plan_rules - the kernel's geometry, passed in to keep the
 *	planner pure
 * @block_size: memory_block_size_bytes(), a power of two
 * @page_size: PAGE_SIZE
 * @struct_page_size: sizeof(struct page)
 * @pmd_size: PMD_SIZE: a memmap on the memory must fill whole PMDs
 * @pageblock_size: pageblock_nr_pages << PAGE_SHIFT: what remains after
 *	the memmap must be whole pageblocks
 * @expose_align: the unit hotmem_pagemap takes regions in (a sub-section):
 *	the stranded bytes it can use are whole units of it
 */
struct hkm_plan_rules {
	u64 block_size;
	u64 page_size;
	u64 struct_page_size;
	u64 pmd_size;
	u64 pageblock_size;
	u64 expose_align;
};

/**
 * struct hkm_plan_piece - a part of a range outside its whole blocks that
 *	hotmem_pagemap could take
 * @start: first byte
 * @size: bytes, 0 if there is none
 */
struct hkm_plan_piece {
	u64 start;
	u64 size;
};

/**
 * struct hkm_plan - how one dax range is hot-added
 * @start: first byte of the first whole memory block in the range
 * @nr_blocks: number of whole memory blocks, hot-added one at a time
 * @head: bytes between the range start and @start (stranded)
 * @tail: bytes after the last whole block to the range end (stranded)
 * @memmap_bytes: size of the memmap of one block
 * @memmap_on_memory: the geometry lets a block carry its own memmap
 * @expose: the whole @rules->expose_align units of the head (0) and the
 *	tail (1); the rest of them is unusable
 */
struct hkm_plan {
	u64 start;
	u64 nr_blocks;
	u64 head;
	u64 tail;
	u64 memmap_bytes;
	bool memmap_on_memory;
	struct hkm_plan_piece expose[2];
};

int hkm_plan_range(u64 start, u64 size, const struct hkm_plan_rules *rules,
		   struct hkm_plan *plan);

#endif /* HKM_PLAN_H */
