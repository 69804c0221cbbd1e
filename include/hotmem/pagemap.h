/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hotmem_pagemap: the interface other modules use to hand it device
 * memory.  A region added here behaves like one named in the "regions"
 * parameter: a device regionN of the "hotmem" class with its seed
 * instance, carved into instances through sysfs.  The caller owns the
 * region until it removes it, and must remove it before it unloads.
 */
#ifndef HOTMEM_PAGEMAP_H
#define HOTMEM_PAGEMAP_H

#include <linux/types.h>

struct hotmem_region;

struct hotmem_region *hotmem_region_add(u64 start, u64 size, int target_node);
struct hotmem_region *hotmem_region_add_owned(u64 start, u64 size,
					      int target_node);
void hotmem_region_remove(struct hotmem_region *region);
int hotmem_region_id(const struct hotmem_region *region);

#endif /* HOTMEM_PAGEMAP_H */
