// SPDX-License-Identifier: GPL-2.0
/*
 * The sub-section map of hotmem_pagemap; see subsec.h.  Every function
 * validates before it changes anything, so an error leaves the map as it
 * was.
 */
#include <linux/errno.h>

#include "subsec.h"

static bool hpm_is_pow2(u64 v)
{
	return v && !(v & (v - 1));
}

static bool hpm_aligned(u64 v, u64 a)
{
	return !(v & (a - 1));
}

static u64 hpm_index(const struct hpm_map *map, u64 addr)
{
	return (addr - map->base) >> HPM_SUBSECTION_SHIFT;
}

/* Every sub-section of [first, first + n) is @owner's. */
static bool hpm_span_is(const struct hpm_map *map, u64 first, u64 n, u16 owner)
{
	u64 i;

	for (i = first; i < first + n; i++)
		if (map->owner[i] != owner)
			return false;
	return true;
}

static void hpm_span_set(struct hpm_map *map, u64 first, u64 n, u16 owner)
{
	u64 i;

	for (i = first; i < first + n; i++)
		map->owner[i] = owner;
}

/* [start, start + len) lies in the region, on sub-section boundaries */
static bool hpm_in_map(const struct hpm_map *map, u64 start, u64 len)
{
	u64 end = map->base + (map->nr << HPM_SUBSECTION_SHIFT);

	return len && hpm_aligned(start, HPM_SUBSECTION_SIZE) &&
	       hpm_aligned(len, HPM_SUBSECTION_SIZE) && start >= map->base &&
	       start + len > start && start + len <= end;
}

/**
 * hpm_map_init() - describe a region, all of it free
 * @map: the map to fill in
 * @base: first byte of the region, 2 MiB aligned
 * @size: its length, a non-zero multiple of 2 MiB
 * @owner: storage for size / 2 MiB owners, zeroed by the caller
 *
 * Only 2 MiB alignment is required: a region may share its first and last
 * 128 MiB section with System RAM or another region.
 *
 * Return: 0, or -EINVAL for a misaligned, empty or wrapping range.
 */
int hpm_map_init(struct hpm_map *map, u64 base, u64 size, u16 *owner)
{
	if (!size || !hpm_aligned(base, HPM_SUBSECTION_SIZE) ||
	    !hpm_aligned(size, HPM_SUBSECTION_SIZE) || base + size < base)
		return -EINVAL;
	map->base = base;
	map->nr = size >> HPM_SUBSECTION_SHIFT;
	map->owner = owner;
	return 0;
}

/* Length of the free run at index @i, cut to whole @align units. */
static u64 hpm_free_run(const struct hpm_map *map, u64 i, u64 align,
			u64 *first)
{
	u64 subs = align >> HPM_SUBSECTION_SHIFT, j, start, end;

	for (end = i; end < map->nr && map->owner[end] == HPM_FREE; end++)
		;
	/*
	 * The first aligned sub-section of this run; when it lies past the
	 * run's end, the run holds no aligned unit (and the next run is not
	 * this one's to count).
	 */
	start = map->base + (i << HPM_SUBSECTION_SHIFT);
	start = (start + align - 1) & ~(align - 1);
	j = hpm_index(map, start);
	*first = j;
	if (j >= end)
		return 0;
	return (end - j) / subs * subs;
}

/**
 * hpm_map_free_bytes() - free space usable at an alignment
 * @map: the region
 * @align: allocation alignment, a power of two >= 2 MiB
 *
 * Return: bytes in free runs, each trimmed to whole @align units.
 */
u64 hpm_map_free_bytes(const struct hpm_map *map, u64 align)
{
	u64 i = 0, first, run, bytes = 0;

	while (i < map->nr) {
		if (map->owner[i] != HPM_FREE) {
			i++;
			continue;
		}
		run = hpm_free_run(map, i, align, &first);
		bytes += run << HPM_SUBSECTION_SHIFT;
		/* skip to the end of this free run */
		while (i < map->nr && map->owner[i] == HPM_FREE)
			i++;
	}
	return bytes;
}

/**
 * hpm_map_alloc() - take @size bytes for @owner, first fit
 * @map: the region
 * @owner: instance id + 1, not HPM_FREE
 * @size: bytes, a multiple of @align
 * @align: a power of two >= 2 MiB; every range starts and ends on it
 * @out: the ranges taken, in address order, adjacent ones merged
 * @max: room in @out
 * @nr_out: set to the number of ranges taken
 *
 * Free space is taken from the lowest address up, filling holes, so the
 * result may be several discontiguous ranges.
 *
 * Return: 0; -EINVAL for bad arguments; -ENOSPC if the free space (or
 * @max ranges of it) cannot hold @size.  On error nothing is taken.
 */
int hpm_map_alloc(struct hpm_map *map, u16 owner, u64 size, u64 align,
		  struct hpm_range *out, int max, int *nr_out)
{
	u64 left, i, first, run, take;
	int n = 0, pass;

	if (owner == HPM_FREE || !size || !hpm_is_pow2(align) ||
	    align < HPM_SUBSECTION_SIZE || !hpm_aligned(size, align) || max < 1)
		return -EINVAL;

	/* pass 0 plans and checks; pass 1 takes */
	for (pass = 0; pass < 2; pass++) {
		left = size >> HPM_SUBSECTION_SHIFT;
		n = 0;
		for (i = 0; left && i < map->nr; ) {
			if (map->owner[i] != HPM_FREE) {
				i++;
				continue;
			}
			run = hpm_free_run(map, i, align, &first);
			take = run < left ? run : left;
			if (take) {
				if (n == max)
					return -ENOSPC;
				out[n].start = map->base + (first << HPM_SUBSECTION_SHIFT);
				out[n].len = take << HPM_SUBSECTION_SHIFT;
				n++;
				left -= take;
				if (pass)
					hpm_span_set(map, first, take, owner);
			}
			while (i < map->nr && map->owner[i] == HPM_FREE)
				i++;
		}
		if (left)
			return -ENOSPC;
	}
	*nr_out = n;
	return 0;
}

/**
 * hpm_map_claim() - take an explicit range for @owner
 * @map: the region
 * @owner: instance id + 1
 * @start: first byte, 2 MiB aligned
 * @len: length, a multiple of 2 MiB
 *
 * Return: 0; -EINVAL if misaligned or not inside the region; -EEXIST if
 * any sub-section of it is taken (by anyone, @owner included): a range
 * that overlaps, or contains, another is refused whole.
 */
int hpm_map_claim(struct hpm_map *map, u16 owner, u64 start, u64 len)
{
	u64 first = hpm_index(map, start), n = len >> HPM_SUBSECTION_SHIFT;

	if (owner == HPM_FREE || !hpm_in_map(map, start, len))
		return -EINVAL;
	if (!hpm_span_is(map, first, n, HPM_FREE))
		return -EEXIST;
	hpm_span_set(map, first, n, owner);
	return 0;
}

/**
 * hpm_map_release() - give back a range @owner holds
 * @map: the region
 * @owner: instance id + 1
 * @start: first byte
 * @len: length
 *
 * Return: 0; -EINVAL if misaligned or outside the region; -ENXIO if any
 * sub-section of it is not @owner's.
 */
int hpm_map_release(struct hpm_map *map, u16 owner, u64 start, u64 len)
{
	u64 first = hpm_index(map, start), n = len >> HPM_SUBSECTION_SHIFT;

	if (owner == HPM_FREE || !hpm_in_map(map, start, len))
		return -EINVAL;
	if (!hpm_span_is(map, first, n, owner))
		return -ENXIO;
	hpm_span_set(map, first, n, HPM_FREE);
	return 0;
}

/**
 * hpm_owner_symbol() - the map character of an owner
 * @owner: HPM_FREE or instance id + 1
 *
 * Return: '.' for free; instances 0-61 as A-Z, a-z, 0-9; '#' beyond.
 */
char hpm_owner_symbol(u16 owner)
{
	static const char sym[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	if (owner == HPM_FREE)
		return '.';
	return owner - 1 < sizeof(sym) - 1 ? sym[owner - 1] : '#';
}

/**
 * hpm_map_render() - the readable map of a region
 * @map: the region
 * @buf: output
 * @len: room in @buf
 * @classify: says what lies at sub-sections of a touched section that are
 *	outside the region (e.g. 'R' System RAM, 'o' another owner)
 * @arg: passed to @classify
 *
 * One line per 128 MiB section the region touches: the section's first
 * byte, then one character per 2 MiB sub-section.  Lines that do not fit
 * are left out whole.
 *
 * Return: bytes written, not counting the terminating NUL.
 */
size_t hpm_map_render(const struct hpm_map *map, char *buf, size_t len,
		      hpm_classify_fn classify, void *arg)
{
	static const char hex[] = "0123456789abcdef";
	u64 end = map->base + (map->nr << HPM_SUBSECTION_SHIFT);
	u64 sec, a;
	size_t pos = 0, need;
	int d;

	/* "0x" + 16 digits + ": " + one char per sub-section + "\n" */
	need = 2 + 16 + 2 + HPM_SUBS_PER_SECTION + 1;
	for (sec = map->base & ~(HPM_SECTION_SIZE - 1); sec < end;
	     sec += HPM_SECTION_SIZE) {
		if (pos + need + 1 > len)
			break;
		buf[pos++] = '0';
		buf[pos++] = 'x';
		for (d = 60; d >= 0; d -= 4)
			buf[pos++] = hex[(sec >> d) & 0xf];
		buf[pos++] = ':';
		buf[pos++] = ' ';
		for (a = sec; a < sec + HPM_SECTION_SIZE; a += HPM_SUBSECTION_SIZE)
			buf[pos++] = a >= map->base && a < end ?
				hpm_owner_symbol(map->owner[hpm_index(map, a)]) :
				classify(a, arg);
		buf[pos++] = '\n';
	}
	if (len)
		buf[pos < len ? pos : len - 1] = '\0';
	return pos;
}
