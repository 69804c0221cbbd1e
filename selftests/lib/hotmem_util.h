/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the hotmem selftests: read what a user would look at
 * (/proc/iomem, /proc/meminfo, /proc/vmstat, memory block devices, sysfs)
 * and run the user tools (daxctl, ndctl) the way a user does.
 */
#ifndef HOTMEM_UTIL_H
#define HOTMEM_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "kselftest.h"	/* __printf */
#include "hotmem_paths.h"

#define HM_SZ_2M	(2ULL << 20)
#define HM_MAX_RES	256

/**
 * struct hm_res - one line of /proc/iomem
 * @start: first byte
 * @end: last byte
 * @depth: nesting level (0 = top level)
 * @parent: index of the enclosing resource, -1 at top level
 * @name: resource name
 */
struct hm_res {
	__u64 start;
	__u64 end;
	int depth;
	int parent;
	char name[64];
};

__printf(3, 4) int hm_sh(char *out, size_t len, const char *fmt, ...);
__printf(3, 4) int hm_read_str(char *buf, size_t len, const char *fmt, ...);
__printf(1, 2) long long hm_read_ll(const char *fmt, ...);
__printf(2, 3) int hm_write(const char *val, const char *fmt, ...);
__printf(3, 4) int hm_write_n(const void *buf, size_t len, const char *fmt, ...);
__printf(1, 2) bool hm_exists(const char *fmt, ...);

long long hm_meminfo_kb(const char *key);
long long hm_memfree_settled_kb(void);
long long hm_vmstat(const char *key);
int hm_iomem(struct hm_res *res, int max);
int hm_iomem_find(const struct hm_res *res, int n, const char *name, int from);

__u64 hm_block_size(void);
int hm_memblocks(int *online);
__u64 hm_pfn_of(const void *addr);
int hm_kernel_version(void);

int hm_dax_find(char *dev, size_t len, const char *path_part);
int hm_dax_region_dir(char *dir, size_t len, const char *dev);
int hm_dax_mode(const char *dev, char *mode, size_t len);
int hm_dax_region_id(const char *dev);
int hm_sr_reset(char *dev, size_t len);
int hm_created_dev(const char *out, char *dev, size_t len);
int hm_sr_range(__u64 *start, __u64 *size);
int hm_use_hotmem_kmem(void);
int hm_test_hmm_load(__u64 start);
__u64 hm_pattern(__u64 i, __u64 seed);
int hm_dax_fill(const char *dev, size_t len, __u64 seed);
long long hm_dax_verify(const char *dev, size_t len, __u64 seed);

void hm_dmesg_allow(const char *regex);
void hm_dmesg_allow_block(const char *regex);
/* the first line of the kernel's report of a failed allocation (warn_alloc()) */
#define HM_ALLOC_FAILURE_REPORT \
	"(page allocation|vmemmap alloc) failure: order:|vmalloc error: size"
int hm_time_scale(void);
bool hm_thp(void);

#ifdef __KSELFTEST_HARNESS_H
/*
 * A slower kernel (the debug kernel: KASAN, lockdep, kmemleak) gives every
 * test HOTMEM_TIME_SCALE times its harness timeout, as the runner does for
 * the whole binary: runs after the harness has registered the tests.
 */
static void __attribute__((constructor(KSELFTEST_PRIO_XFAIL + 1)))
hm_scale_timeouts(void)
{
	struct __fixture_metadata *f;
	struct __test_metadata *t;
	int scale = hm_time_scale();

	for (f = __fixture_list; f; f = f->next)
		for (t = f->tests; t; t = t->next)
			t->timeout *= scale;
}
#endif

#endif /* HOTMEM_UTIL_H */
