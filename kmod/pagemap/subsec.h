/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sub-section map of hotmem_pagemap: who owns each 2 MiB sub-section
 * of a region, the single source of truth for what is allocated and
 * mapped.  Allocation (first fit, discontiguous), explicit placement and
 * the readable per-section map are pure functions over it, so the same
 * file builds in a user-space table test.
 */
#ifndef HPM_SUBSEC_H
#define HPM_SUBSEC_H

#include <linux/types.h>

/* the unit memremap_pages() maps: a sub-section */
#define HPM_SUBSECTION_SHIFT	21
#define HPM_SUBSECTION_SIZE	(2ULL * 1024 * 1024)
/* a memory section on x86-64: one line of the readable map */
#define HPM_SECTION_SHIFT	27
#define HPM_SECTION_SIZE	(128ULL * 1024 * 1024)
#define HPM_SUBS_PER_SECTION	(HPM_SECTION_SIZE / HPM_SUBSECTION_SIZE)

/* owner value of a free sub-section */
#define HPM_FREE		0

/**
 * struct hpm_map - owners of the sub-sections of one region
 * @base: first byte of the region, sub-section aligned
 * @nr: number of sub-sections
 * @owner: @nr entries: HPM_FREE, or the owning instance's id + 1
 */
struct hpm_map {
	u64 base;
	u64 nr;
	u16 *owner;
};

/**
 * struct hpm_range - a physical range [start, start + len)
 * @start: first byte
 * @len: length in bytes
 */
struct hpm_range {
	u64 start;
	u64 len;
};

/**
 * typedef hpm_classify_fn - what lies at a sub-section outside a region
 * @addr: the sub-section's first byte
 * @arg: the caller's context
 *
 * Return: the character to print for it in the readable map.
 */
typedef char (*hpm_classify_fn)(u64 addr, void *arg);

int hpm_map_init(struct hpm_map *map, u64 base, u64 size, u16 *owner);
u64 hpm_map_free_bytes(const struct hpm_map *map, u64 align);
int hpm_map_alloc(struct hpm_map *map, u16 owner, u64 size, u64 align,
		  struct hpm_range *out, int max, int *nr_out);
int hpm_map_claim(struct hpm_map *map, u16 owner, u64 start, u64 len);
int hpm_map_release(struct hpm_map *map, u16 owner, u64 start, u64 len);
char hpm_owner_symbol(u16 owner);
size_t hpm_map_render(const struct hpm_map *map, char *buf, size_t len,
		      hpm_classify_fn classify, void *arg);

#endif /* HPM_SUBSEC_H */
