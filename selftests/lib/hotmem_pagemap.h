/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pagemap ABI as the selftests drive it: a region's instances (a dax
 * region's devices or hotmem_pagemap's pmR.I, which share the names and
 * meanings of their files), created, sized, placed, enabled, their ranges
 * read back, their character devices mapped and faulted, their pages
 * pinned.  Paths come from hotmem_paths.h; @sys is the directory holding
 * the instances (HM_SYS_DAX or HM_PM_CLS).
 */
#ifndef HOTMEM_PAGEMAP_H
#define HOTMEM_PAGEMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>

#include "hotmem_paths.h"

/* most ranges an instance has (hotmem_pagemap's HPM_MAX_RANGES) */
#define HM_PM_MAX_RANGES	64

/**
 * struct hm_pm_range - one range of an instance, as its mappingN shows it
 * @start: first byte
 * @end: last byte
 * @pgoff: page_offset: where the range begins in the character device
 */
struct hm_pm_range {
	__u64 start;
	__u64 end;
	__u64 pgoff;
};

int hm_pm_create(const char *region_dir, char *name, size_t len);
int hm_pm_set_size(const char *sys, const char *inst, __u64 size);
int hm_pm_place(const char *sys, const char *inst, __u64 start, __u64 len);
int hm_pm_ranges(const char *sys, const char *inst, struct hm_pm_range *r,
		 int max);
int hm_pm_mapping_line(const char *inst, int idx, __u64 *start, __u64 *end);
int hm_pm_mapping_matches(const char *inst);
int hm_pm_enable(const char *inst, bool on);
int hm_pm_state(char *buf, size_t len, int region);

long hm_pm_touch_faults(const char *p, size_t len);
long hm_pm_map_faults(const char *inst, size_t len, off_t off, void *hint,
		      unsigned long *addr);
int hm_pm_pin_in_pipe(const char *inst, size_t len);
int hm_pm_pin_in_pipe_at(const char *inst, size_t off, size_t len);
bool hm_pm_drain(int rfd, size_t len);
bool hm_read_sigbus(const __u64 *p);
int hm_pmem_dev(char *dev, size_t len);

#endif /* HOTMEM_PAGEMAP_H */
