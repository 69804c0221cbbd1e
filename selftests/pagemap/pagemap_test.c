// SPDX-License-Identifier: GPL-2.0
/*
 * hotmem_pagemap regions and instances, driven through sysfs as a user
 * would drive a dax region: a region claimed from soft-reserved memory,
 * instances created, sized first fit into discontiguous ranges, grown,
 * shrunk and deleted, the readable sub-section map after every step, and
 * strict errors that change nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdarg.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "hotmem_util.h"
#include "hotmem_pagemap.h"

/*
 * The harness's TEST_F() wrapper assigns "child" between its setjmp() and
 * the longjmp() of a failed ASSERT; whether gcc warns of it depends on how
 * the test body inlines into the wrapper, not on the test.
 */
#pragma GCC diagnostic ignored "-Wclobbered"

#define CLS	HM_PM_CLS "/"
#define PARAM	"/sys/module/hotmem_pagemap/parameters/regions"
#define REGION0	HM_PM_CLS "/region0"
#define M	(1024ULL * 1024)

FIXTURE(pm) {
	__u64 start;		/* the soft reserved range */
	__u64 size;
	char buf[8192];
};

/*
 * hotmem_pagemap loaded afresh with one region on the whole soft-reserved
 * range, which @start and @size name: 0, 1 if there is no such range,
 * -1 if the load failed.
 */
static int pm_load(__u64 *start, __u64 *size)
{
	if (hm_sr_range(start, size))
		return 1;
	if (hm_exists("/sys/module/hotmem_pagemap"))
		hm_sh(NULL, 0, "rmmod hotmem_pagemap");
	return hm_sh(NULL, 0, "/sbin/modprobe hotmem_pagemap regions=%llu:%llu",
		     *start, *size) ? -1 : 0;
}

static void pm_unload(void)
{
	hm_sh(NULL, 0, "rmmod hotmem_pagemap_example 2>/dev/null; rmmod hotmem_pagemap");
}

FIXTURE_SETUP(pm)
{
	int rc = pm_load(&self->start, &self->size);

	if (rc > 0)
		SKIP(return, "no soft-reserved memory (vm.sh -p soft-reserved)");
	ASSERT_EQ(0, rc);
}

FIXTURE_TEARDOWN(pm)
{
	pm_unload();
}

/* The region: dax-region attributes, iomem nesting, its seed. */
TEST_F(pm, region_from_parameter)
{
	struct hm_res res[HM_MAX_RES];
	char s[64];
	int n, i;

	EXPECT_EQ(0, hm_read_ll(CLS "region0/id"));
	EXPECT_EQ(self->size, hm_read_ll(CLS "region0/size"));
	EXPECT_EQ(self->size, hm_read_ll(CLS "region0/available_size"));
	EXPECT_EQ(2 * M, hm_read_ll(CLS "region0/align"));
	EXPECT_EQ(self->start, hm_read_ll(CLS "region0/start"));
	ASSERT_LT(0, hm_read_str(s, sizeof(s), CLS "region0/seed"));
	EXPECT_STREQ("pm0.0", s);
	EXPECT_EQ(0, hm_read_ll(CLS "pm0.0/size"));
	n = hm_iomem(res, HM_MAX_RES);
	i = hm_iomem_find(res, n, "region0", 0);
	ASSERT_GE(i, 0);
	EXPECT_STREQ("Soft Reserved", res[res[i].parent].name);
	EXPECT_EQ(self->start, res[i].start);
	hm_read_str(s, sizeof(s), PARAM);
	snprintf(self->buf, sizeof(self->buf), "%#llx:%#llx", self->start, self->size);
	EXPECT_STREQ(self->buf, s);
}

/* Regions named at run time: strict checks, nothing claimed on error. */
TEST_F(pm, region_write_errors)
{
	struct hm_res res[HM_MAX_RES];
	char before[8192], after[8192];
	char v[96];
	int n, i;

	hm_sh(before, sizeof(before), "cat /proc/iomem; ls " HM_PM_CLS);
	/* overlaps region0 */
	snprintf(v, sizeof(v), "%llu:%llu", self->start, 2 * M);
	EXPECT_EQ(-EEXIST, hm_write(v, PARAM));
	/* misaligned */
	snprintf(v, sizeof(v), "%llu:%llu", self->start + M, 2 * M);
	EXPECT_EQ(-EINVAL, hm_write(v, PARAM));
	/* System RAM */
	EXPECT_EQ(-EINVAL, hm_write("0x1000000:0x200000", PARAM));
	/* owned by someone else: the legacy pmem namespace */
	n = hm_iomem(res, HM_MAX_RES);
	i = hm_iomem_find(res, n, "Persistent Memory (legacy)", 0);
	ASSERT_GE(i, 0) TH_LOG("suite needs legacy pmem (vm.sh -p pmem)");
	ASSERT_LT(i + 1, n);
	ASSERT_EQ(i, res[i + 1].parent);
	snprintf(v, sizeof(v), "%llu:%llu", res[i].start, 2 * M);
	EXPECT_EQ(-EBUSY, hm_write(v, PARAM));
	EXPECT_EQ(-EINVAL, hm_write("abc", PARAM));
	EXPECT_EQ(-EINVAL, hm_write("-1:2097152", PARAM));
	EXPECT_EQ(-EINVAL, hm_write("4294967296", PARAM));
	EXPECT_EQ(-ERANGE, hm_write("99999999999999999999:2097152", PARAM));
	EXPECT_EQ(-EINVAL, hm_write("\n", PARAM));
	hm_sh(after, sizeof(after), "cat /proc/iomem; ls " HM_PM_CLS);
	EXPECT_STREQ(before, after);
}

/*
 * A write naming several regions adds all or none: a later spec that is
 * malformed, or that overlaps an earlier one of the same write, leaves
 * no region behind.
 */
TEST_F(pm, region_write_all_or_nothing)
{
	__u64 half = self->size / 2, q = self->size / 4;
	char before[8192], after[8192], v[160];

	ASSERT_EQ(0, hm_sh(NULL, 0, "rmmod hotmem_pagemap"));
	ASSERT_EQ(0, hm_sh(NULL, 0, "/sbin/modprobe hotmem_pagemap regions=%llu:%llu",
			   self->start, half));
	hm_sh(before, sizeof(before), "cat /proc/iomem; ls " HM_PM_CLS);
	snprintf(v, sizeof(v), "%llu:%llu,%llu:%llu", self->start + half, q,
		 self->start + half, 2 * M);
	EXPECT_EQ(-EEXIST, hm_write(v, PARAM));
	snprintf(v, sizeof(v), "%llu:%llu,junk", self->start + half, q);
	EXPECT_EQ(-EINVAL, hm_write(v, PARAM));
	hm_sh(after, sizeof(after), "cat /proc/iomem; ls " HM_PM_CLS);
	EXPECT_STREQ(before, after);
	/* and both at once, when they are fine */
	snprintf(v, sizeof(v), "%llu:%llu,%llu:%llu", self->start + half, q,
		 self->start + half + q, q);
	EXPECT_EQ(0, hm_write(v, PARAM));
	EXPECT_TRUE(hm_exists(CLS "region2"));
}

/*
 * A value naming more regions than one write may (16) is -EINVAL with
 * nothing claimed, at run time and at load; 16 names of the same range
 * overlap each other (-EEXIST).  17 once read past the undo list and
 * oopsed.  At load, overlapping ranges fail the load.
 */
TEST_F(pm, region_write_too_many)
{
	char before[8192], after[8192], v[1024];
	__u64 free_at = self->start + self->size / 2;
	int i, len = 0;

	ASSERT_EQ(0, hm_sh(NULL, 0, "rmmod hotmem_pagemap"));
	ASSERT_EQ(0, hm_sh(NULL, 0, "/sbin/modprobe hotmem_pagemap regions=%llu:%llu",
			   self->start, self->size / 2));
	hm_sh(before, sizeof(before), "cat /proc/iomem; ls " HM_PM_CLS);
	for (i = 0; i < 16; i++)
		len += snprintf(v + len, sizeof(v) - len, "%s%llu:%llu", i ? "," : "",
				free_at, 2 * M);
	EXPECT_EQ(-EEXIST, hm_write(v, PARAM));
	snprintf(v + len, sizeof(v) - len, ",%llu:%llu", free_at + 2 * M, 2 * M);
	EXPECT_EQ(-EINVAL, hm_write(v, PARAM));
	hm_sh(after, sizeof(after), "cat /proc/iomem; ls " HM_PM_CLS);
	EXPECT_STREQ(before, after);
	/* the same at load: the load fails and leaves nothing */
	ASSERT_EQ(0, hm_sh(NULL, 0, "rmmod hotmem_pagemap"));
	hm_sh(before, sizeof(before), "cat /proc/iomem");
	EXPECT_NE(0, hm_sh(NULL, 0, "/sbin/modprobe hotmem_pagemap regions=%s", v));
	EXPECT_FALSE(hm_exists("/sys/module/hotmem_pagemap"));
	hm_sh(after, sizeof(after), "cat /proc/iomem");
	EXPECT_STREQ(before, after);
	/*
	 * ranges that overlap each other at load: -EINVAL, and modprobe
	 * says so (an -EEXIST from init it takes for "already loaded")
	 */
	EXPECT_NE(0, hm_sh(NULL, 0, "/sbin/modprobe hotmem_pagemap regions=%llu:%llu,%llu:%llu",
			   free_at, 2 * M, free_at, 2 * M));
	EXPECT_FALSE(hm_exists("/sys/module/hotmem_pagemap"));
	/* 16 distinct ones are fine */
	for (i = 0, len = 0; i < 16; i++)
		len += snprintf(v + len, sizeof(v) - len, "%s%llu:%llu", i ? "," : "",
				free_at + i * 2 * M, 2 * M);
	EXPECT_EQ(0, hm_sh(NULL, 0, "/sbin/modprobe hotmem_pagemap regions=%s", v));
	EXPECT_TRUE(hm_exists(CLS "region15"));
}

/*
 * The one number grammar (README, ATTRIBUTES) on every writable file of
 * hotmem_pagemap: no sign, no leading zero (never octal), no spaces, no
 * NUL, at most one trailing newline; all -EINVAL with nothing changed.
 */
TEST_F(pm, strict_grammar)
{
/* a write of every byte of a literal, NULs included */
#define B(file, lit) { file, lit, sizeof(lit) - 1 }
	static const struct { const char *file; const char *in; size_t len; } bad[] = {
		B("region0/create", "+1"), B("region0/create", "01"),
		B("region0/create", "1\0junk"), B("region0/create", "1\n\n"),
		B("pm0.0/enabled", "+1"), B("pm0.0/enabled", "01"),
		B("pm0.0/enabled", "1 "), B("pm0.0/enabled", "1\0x"),
		B("pm0.0/size", "+6291456"), B("pm0.0/size", "030000000"),
		B("pm0.0/size", "6291456\0junk"), B("pm0.0/size", " 6291456"),
		B("pm0.0/size", "0x"), B("pm0.0/size", "0x-600000"),
		B("pm0.0/align", "+4096"), B("pm0.0/align", "04096"),
		B("pm0.0/memmap", "dev\0junk"), B("pm0.0/memmap", "dev "),
		B("pm0.0/memmap", "devx"), B("pm0.0/memmap", "de"),
		B("pm0.0/mapping", "+140000000-1401fffff"),
		B("pm0.0/mapping", "140000000-+1401fffff"),
		B("pm0.0/mapping", "140000000-1401fffffx"),
		B("pm0.0/mapping", "140000000-1401fffff\0x"),
		B("pm0.0/mapping", "140000000--1401fffff"),
		B("region0/delete", "pm0.0\0junk"), B("region0/delete", "\n"),
	};
	char before[8192], after[8192], long_name[64];
	unsigned int i;
	int rc;

	ASSERT_EQ(0, hm_write("4194304", CLS "pm0.0/size"));
	hm_pm_state(before, sizeof(before), 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		rc = hm_write_n(bad[i].in, bad[i].len, CLS "%s", bad[i].file);
		EXPECT_EQ(-EINVAL, rc) TH_LOG("%s <- \"%s\" (%zu bytes)",
					      bad[i].file, bad[i].in, bad[i].len);
	}
	/* a 4 KiB "0...01" is a leading zero, not 1 */
	memset(self->buf, '0', 4095);
	self->buf[4095] = '1';
	EXPECT_EQ(-EINVAL, hm_write_n(self->buf, 4096, CLS "pm0.0/enabled"));
	EXPECT_EQ(-EINVAL, hm_write_n(self->buf, 4096, CLS "region0/create"));
	/* octal and signs in the parameter too */
	snprintf(self->buf, sizeof(self->buf), "0%llo:2097152", self->start);
	EXPECT_EQ(-EINVAL, hm_write(self->buf, PARAM));
	snprintf(self->buf, sizeof(self->buf), "+%llu:2097152", self->start);
	EXPECT_EQ(-EINVAL, hm_write(self->buf, PARAM));
	EXPECT_EQ(-EINVAL, hm_write("4294967296:2097152,", PARAM));
	/* no instance has a name this long: -ENXIO, as for any unknown name */
	memset(long_name, 'p', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	EXPECT_EQ(-ENXIO, hm_write(long_name, CLS "region0/delete"));
	hm_pm_state(after, sizeof(after), 0);
	EXPECT_STREQ(before, after);
	EXPECT_EQ(0, hm_read_ll(CLS "pm0.0/enabled"));
	EXPECT_EQ(2 * M, hm_read_ll(CLS "pm0.0/align"));
	/* the same values, well spelled, work */
	EXPECT_EQ(0, hm_write("0x600000\n", CLS "pm0.0/size"));
	EXPECT_EQ(6 * M, hm_read_ll(CLS "pm0.0/size"));
	EXPECT_EQ(0, hm_write("dev\n", CLS "pm0.0/memmap"));
	EXPECT_EQ(0, hm_write("1\n", CLS "pm0.0/enabled"));
	EXPECT_EQ(0, hm_write("0", CLS "pm0.0/enabled"));
}

/*
 * An instance of 64 ranges cannot grow: -ENOSPC, as a 65th "mapping"
 * gets (it was -EINVAL), and nothing changes.
 */
TEST_F(pm, grow_at_64_ranges)
{
	char v[64], before[8192], after[8192];
	int i;

	/* every other sub-section of the first 256 MiB: 64 ranges */
	for (i = 0; i < 64; i++) {
		snprintf(v, sizeof(v), "%llx-%llx", self->start + i * 4 * M,
			 self->start + i * 4 * M + 2 * M - 1);
		ASSERT_EQ(0, hm_write(v, CLS "pm0.0/mapping")) TH_LOG("range %d", i);
	}
	snprintf(v, sizeof(v), "%llx-%llx", self->start + 256 * M,
		 self->start + 258 * M - 1);
	EXPECT_EQ(-ENOSPC, hm_write(v, CLS "pm0.0/mapping"));
	hm_pm_state(before, sizeof(before), 0);
	snprintf(v, sizeof(v), "%llu", 130 * M);
	EXPECT_EQ(-ENOSPC, hm_write(v, CLS "pm0.0/size"));
	hm_pm_state(after, sizeof(after), 0);
	EXPECT_STREQ(before, after);
	/* shrinking still works */
	snprintf(v, sizeof(v), "%llu", 126 * M);
	EXPECT_EQ(0, hm_write(v, CLS "pm0.0/size"));
}

/*
 * Grow, shrink, and holes: a freed hole is filled first, so a grown
 * instance gets several discontiguous ranges; shrinking gives back the
 * last bytes first.
 */
TEST_F(pm, grow_shrink_holes)
{
	char b[32], c[32];
	__u64 s, e;

	ASSERT_EQ(0, hm_write("4194304", CLS "pm0.0/size"));
	ASSERT_EQ(0, hm_pm_create(REGION0, b, sizeof(b)));
	ASSERT_EQ(0, hm_write("4194304", CLS "%s/size", b));
	ASSERT_EQ(0, hm_pm_create(REGION0, c, sizeof(c)));
	ASSERT_EQ(0, hm_write("4194304", CLS "%s/size", c));
	/* hole at [4M, 8M) */
	ASSERT_EQ(0, hm_write("0", CLS "%s/size", b));
	/* pm0.0 grows into the adjacent hole: still one range */
	ASSERT_EQ(0, hm_write("8388608", CLS "pm0.0/size"));
	ASSERT_EQ(0, hm_pm_mapping_line("pm0.0", 0, &s, &e));
	EXPECT_EQ(self->start, s);
	EXPECT_EQ(self->start + 8 * M - 1, e);
	/* and again: past c, a second range */
	ASSERT_EQ(0, hm_write("12582912", CLS "pm0.0/size"));
	ASSERT_EQ(0, hm_pm_mapping_line("pm0.0", 1, &s, &e));
	EXPECT_EQ(self->start + 12 * M, s);
	EXPECT_EQ(self->start + 16 * M - 1, e);
	/* shrink gives back the second range first */
	ASSERT_EQ(0, hm_write("6291456", CLS "pm0.0/size"));
	EXPECT_EQ(-ENOENT, hm_pm_mapping_line("pm0.0", 1, &s, &e));
	ASSERT_EQ(0, hm_pm_mapping_line("pm0.0", 0, &s, &e));
	EXPECT_EQ(self->start + 6 * M - 1, e);
	EXPECT_EQ(self->size - 10 * M, hm_read_ll(CLS "region0/available_size"));
	ASSERT_LT(0, hm_read_str(self->buf, sizeof(self->buf), CLS "region0/map"));
	EXPECT_EQ(0, strncmp(self->buf + 20, "AAA.CC......", 12));
}

/* the free memory an enable of @inst costs, in kB */
static long long enable_cost(const char *inst)
{
	long long f0 = hm_memfree_settled_kb();

	if (hm_write("1", CLS "%s/enabled", inst))
		return -1000000;
	return f0 - hm_memfree_settled_kb();
}

/* bytes of memmap pages the kernel counts (6.10+), -1 before */
static long long memmap_pages_bytes(void)
{
	long long n = hm_vmstat("nr_memmap_pages");

	return n < 0 ? -1 : n * 4096;
}

/*
 * memmap "ram" versus "dev" for a section-sized instance of 4 KiB pages:
 * the struct pages (2 MiB per 128 MiB) cost DRAM with "ram" and nothing
 * with "dev", where they live in the instance's own first pages; sysfs
 * says which, and the kernel's count of memmap pages (6.10 on) agrees
 * exactly; free memory where it has none.
 */
TEST_F(pm, memmap_ram_vs_dev)
{
	long long cost[2], m0 = -1, on_dev;
	int round, dev;

	/* an instance in a section of its own, away from the region start */
	ASSERT_EQ(0, hm_write("1073741824", CLS "pm0.0/size"));
	ASSERT_EQ(0, hm_write("1", CLS "region0/create"));
	ASSERT_EQ(0, hm_write("4096", CLS "pm0.1/align"));
	ASSERT_EQ(0, hm_write("134217728", CLS "pm0.1/size"));
	/* round 0 warms up (the kernel may still hold some vmemmap) */
	for (round = 0; round < 2; round++) {
		for (dev = 0; dev < 2; dev++) {
			ASSERT_EQ(0, hm_write(dev ? "dev" : "ram", CLS "pm0.1/memmap"));
			m0 = memmap_pages_bytes();
			cost[dev] = enable_cost("pm0.1");
			on_dev = hm_read_ll(CLS "pm0.1/memmap_device_bytes");
			EXPECT_EQ(dev ? 2 * M : 0, on_dev);
			EXPECT_EQ(dev ? 0 : 2 * M,
				  hm_read_ll(CLS "pm0.1/memmap_dram_bytes"));
			/* the kernel's count holds the altmap's pages too */
			if (m0 >= 0)
				EXPECT_EQ(dev ? 0 : 2 * M, memmap_pages_bytes() - m0 - on_dev);
			ASSERT_EQ(0, hm_write("0", CLS "pm0.1/enabled"));
			TH_LOG("round %d memmap=%s: %lld KiB of free memory",
			       round, dev ? "dev" : "ram", cost[dev]);
		}
	}
	/*
	 * Free memory where the kernel has no count: noisy (a PREEMPT_RT
	 * kernel's per-cpu lists move it by a few hundred KiB), so only
	 * the contrast
	 */
	if (m0 < 0) {
		EXPECT_GE(cost[0], 1024);
		EXPECT_LE(cost[1], 256);
	}
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/*
 * The memmap of 1 GiB for each align and memmap mode, exactly.  With
 * "ram" and an align of 2 MiB or 1 GiB the pages are compound and the
 * kernel keeps two pages of struct pages per compound page, the rest of
 * its memmap mapping the second (8 KiB per 2 MiB, 8 KiB per GiB); 4 KiB
 * pages cost 64 bytes each; "dev" keeps every whole section's memmap on
 * the device.  memmap_*_bytes say so; the kernel's own count of memmap
 * pages (nr_memmap_pages, 6.10 on) moves by exactly that; free memory by
 * that and the page tables of a vmemmap of base pages (4 KiB per 128 MiB
 * section), give or take the system's own noise.  Eighteen measured
 * enables of 1 GiB, each between two settled free-memory samples, take
 * 19-26 s on a release kernel and 191 s on the debug kernel in make
 * check (two VMs on two CPUs; 75 s alone there): too close to, or past,
 * the default 30 s (times HOTMEM_TIME_SCALE, 6 on the debug kernel).
 */
TEST_F_TIMEOUT(pm, memmap_bytes_per_align, 90)
{
	static const struct {
		const char *align, *memmap;
		long long dram, dev, tables;
	} c[] = {
		{ "4096", "ram", 16 * M, 0, 0 },
		{ "2097152", "ram", 4 * M, 0, 8 * 4096 },
		{ "1073741824", "ram", 8192, 0, 8 * 4096 },
		{ "4096", "dev", 0, 16 * M, 0 },
		{ "2097152", "dev", 0, 16 * M, 0 },
		{ "1073741824", "dev", 0, 16 * M, 0 },
	};
	const long long noise = 256 * 1024;
	long long f0, m0, cost, pages, costs[3];
	unsigned int i, r;

	if (self->start % (1024 * M) || self->size < 1024 * M)
		SKIP(return, "the region holds no 1 GiB-aligned GiB");
	ASSERT_EQ(0, hm_write("1073741824", CLS "pm0.0/align"));
	ASSERT_EQ(0, hm_write("1073741824", CLS "pm0.0/size"));
	/* warm-up: the kernel may keep some vmemmap of a first enable */
	ASSERT_EQ(0, hm_write("1", CLS "pm0.0/enabled"));
	ASSERT_EQ(0, hm_write("0", CLS "pm0.0/enabled"));
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		ASSERT_EQ(0, hm_write(c[i].align, CLS "pm0.0/align"));
		ASSERT_EQ(0, hm_write(c[i].memmap, CLS "pm0.0/memmap"));
		/*
		 * Free memory is the median of three enables: one sample may
		 * catch the system allocating or freeing a few hundred KiB
		 * of its own (seen once on 6.12-cloud: +400 KiB).
		 */
		for (r = 0; r < 3; r++) {
			m0 = memmap_pages_bytes();
			f0 = hm_memfree_settled_kb();
			ASSERT_EQ(0, hm_write("1", CLS "pm0.0/enabled"));
			costs[r] = (f0 - hm_memfree_settled_kb()) * 1024;
			pages = memmap_pages_bytes();
			EXPECT_EQ(c[i].dram, hm_read_ll(CLS "pm0.0/memmap_dram_bytes"))
				TH_LOG("align %s memmap %s", c[i].align, c[i].memmap);
			EXPECT_EQ(c[i].dev, hm_read_ll(CLS "pm0.0/memmap_device_bytes"))
				TH_LOG("align %s memmap %s", c[i].align, c[i].memmap);
			if (m0 >= 0)
				EXPECT_EQ(c[i].dram + c[i].dev, pages - m0)
					TH_LOG("align %s memmap %s: nr_memmap_pages",
					       c[i].align, c[i].memmap);
			ASSERT_EQ(0, hm_write("0", CLS "pm0.0/enabled"));
		}
		qsort(costs, 3, sizeof(costs[0]), cmp_ll);
		cost = costs[1];
		EXPECT_LE(c[i].dram + c[i].tables - noise, cost)
			TH_LOG("align %s memmap %s: free memory", c[i].align, c[i].memmap);
		EXPECT_GE(c[i].dram + c[i].tables + noise, cost)
			TH_LOG("align %s memmap %s: free memory", c[i].align, c[i].memmap);
		TH_LOG("align %s memmap %s: %lld KiB of free memory (of %lld, %lld, %lld)",
		       c[i].align, c[i].memmap, cost / 1024, costs[0] / 1024,
		       costs[1] / 1024, costs[2] / 1024);
		TH_LOG("  memmap pages %+lld KiB", m0 >= 0 ? (pages - m0) / 1024 : -1);
	}
}

/*
 * "dev" works for an instance of several ranges (one pgmap and altmap
 * per range); a range with no whole section keeps its memmap in RAM, as
 * x86 uses an altmap only for whole sections.
 */
TEST_F(pm, memmap_dev_multi_range)
{
	char b[32];
	__u64 s, e;

	ASSERT_EQ(0, hm_write("134217728", CLS "pm0.0/size"));
	ASSERT_EQ(0, hm_pm_create(REGION0, b, sizeof(b)));
	ASSERT_EQ(0, hm_write("134217728", CLS "%s/size", b));
	ASSERT_EQ(0, hm_write("0", CLS "pm0.0/size"));
	ASSERT_EQ(0, hm_pm_create(REGION0, self->buf, sizeof(self->buf)));
	ASSERT_EQ(0, hm_write("268435456", CLS "%s/size", self->buf));
	ASSERT_EQ(0, hm_pm_mapping_line(self->buf, 1, &s, &e));
	ASSERT_EQ(0, hm_write("dev", CLS "%s/memmap", self->buf));
	ASSERT_EQ(0, hm_write("1", CLS "%s/enabled", self->buf));
	EXPECT_EQ(4 * M, hm_read_ll(CLS "%s/memmap_device_bytes", self->buf));
	EXPECT_EQ(0, hm_read_ll(CLS "%s/memmap_dram_bytes", self->buf));
	ASSERT_EQ(0, hm_write("0", CLS "%s/enabled", self->buf));

	/*
	 * 2 MiB: no whole section, the memmap stays in RAM, one compound
	 * page of 2 MiB (align 2 MiB): 8 KiB of it, not 32
	 */
	ASSERT_EQ(0, hm_write("2097152", CLS "pm0.0/size"));
	ASSERT_EQ(0, hm_write("dev", CLS "pm0.0/memmap"));
	ASSERT_EQ(0, hm_write("1", CLS "pm0.0/enabled"));
	EXPECT_EQ(0, hm_read_ll(CLS "pm0.0/memmap_device_bytes"));
	EXPECT_EQ(8192, hm_read_ll(CLS "pm0.0/memmap_dram_bytes"));
	/* unloading disables what is enabled */
}

/*
 * region/disable: several instances at once, all or nothing.  Bad lists
 * (empty names, unknown names) and an instance in use (a pin in a pipe)
 * change nothing; a good list disables every enabled instance named
 * (duplicates and disabled ones are fine), and each keeps its data.
 */
TEST_F(pm, region_disable_batch)
{
	static const char *const bad[] = { "\n", ",", "pm0.0,", ",pm0.0", "pm0.0,,pm0.1" };
	/* a name is spelled exactly as the instance's: no other spelling */
	static const char *const unknown[] = {
		"pm0.00", "pm00.0", "pm0.0x0", "PM0.0", "pm0.", "pm.0", "pm0", "pm0.+0",
		"pm0.99999999999999999999", "pm0.65536", "pm0.4294967296", "pm-0.0",
	};
	char name[8][32], list[512], before[4096], after[4096], big[4096];
	size_t at = 0;
	int i, rfd, fd;

	for (i = 0; i < 8; i++) {
		snprintf(name[0], sizeof(name[0]), "pm0.0");
		ASSERT_EQ(0, i ? hm_pm_create(REGION0, name[i], sizeof(name[i])) : 0);
		ASSERT_EQ(0, hm_write("4194304", CLS "%s/size", name[i]));
		if (i == 7)
			continue;	/* one stays disabled */
		ASSERT_EQ(0, hm_pm_enable(name[i], true));
		ASSERT_EQ(0, hm_dax_fill(name[i], 4 * M, 40 + i));
	}
	for (i = 7; i >= 0; i--)
		at += snprintf(list + at, sizeof(list) - at, "%s,", name[i]);
	/* and the first again */
	snprintf(list + at, sizeof(list) - at, "%s", name[7]);
	ASSERT_EQ(0, hm_sh(before, sizeof(before), "cat " CLS "pm0.*/enabled"));

	for (i = 0; i < (int)ARRAY_SIZE(bad); i++)
		EXPECT_EQ(-EINVAL, hm_write(bad[i], REGION0 "/disable")) TH_LOG("bad list %d", i);
	EXPECT_EQ(-ENXIO, hm_write("pm0.0,pm0.99", REGION0 "/disable"));
	EXPECT_EQ(-ENXIO, hm_write("pm0.0,pm1.1", REGION0 "/disable"));
	for (i = 0; i < (int)ARRAY_SIZE(unknown); i++) {
		EXPECT_EQ(-ENXIO, hm_write(unknown[i], REGION0 "/disable"))
			TH_LOG("%s", unknown[i]);
		EXPECT_EQ(-ENXIO, hm_write(unknown[i], REGION0 "/delete"))
			TH_LOG("%s", unknown[i]);
	}
	/* the disabled one with a leading zero in its id: no such instance */
	at = strchr(name[7], '.') + 1 - name[7];
	snprintf(big, sizeof(big), "%.*s0%s", (int)at, name[7], name[7] + at);
	EXPECT_EQ(-ENXIO, hm_write(big, REGION0 "/delete")) TH_LOG("%s", big);
	/* as for delete: a name with a blank or a second newline is no name */
	EXPECT_EQ(-ENXIO, hm_write("pm0.0 pm0.1", REGION0 "/disable"));
	EXPECT_EQ(-ENXIO, hm_write("pm0.0\n\n", REGION0 "/disable"));
	/* a page or more: sysfs would cut it */
	memset(big, 'x', sizeof(big));
	memcpy(big, "pm0.0,", 6);
	EXPECT_EQ(-E2BIG, hm_write_n(big, sizeof(big), REGION0 "/disable"));
	/* open, not mapped */
	snprintf(big, sizeof(big), "/dev/%s", name[5]);
	fd = open(big, O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EBUSY, hm_write(list, REGION0 "/disable"));
	close(fd);
	rfd = hm_pm_pin_in_pipe_at(name[3], 4096, 4096);
	ASSERT_LE(0, rfd);
	EXPECT_EQ(-EBUSY, hm_write(list, REGION0 "/disable"));
	hm_sh(after, sizeof(after), "cat " CLS "pm0.*/enabled");
	EXPECT_STREQ(before, after);
	EXPECT_TRUE(hm_pm_drain(rfd, 4096));
	/* the pin wrote its page */
	ASSERT_EQ(0, hm_dax_fill(name[3], 4 * M, 43));

	EXPECT_EQ(0, hm_write(list, REGION0 "/disable"));
	for (i = 0; i < 8; i++) {
		EXPECT_EQ(0, hm_read_ll(CLS "%s/enabled", name[i])) TH_LOG("%s", name[i]);
		EXPECT_EQ(0, hm_read_ll(CLS "%s/memmap_dram_bytes", name[i]));
	}
	/* again: nothing to do */
	EXPECT_EQ(0, hm_write(list, REGION0 "/disable"));
	for (i = 0; i < 7; i++) {
		ASSERT_EQ(0, hm_pm_enable(name[i], true));
		EXPECT_EQ(0, hm_dax_verify(name[i], 4 * M, 40 + i)) TH_LOG("%s", name[i]);
	}
	EXPECT_EQ(0, hm_write(list, REGION0 "/disable"));
	/*
	 * A list near the page's end (4091 bytes), an enabled instance named
	 * 682 times: with an unknown name last, nothing changes; without,
	 * it is disabled.
	 */
	ASSERT_EQ(0, hm_pm_enable(name[0], true));
	for (at = 0; at + 6 < sizeof(big); at += 6)
		memcpy(big + at, "pm0.0,", 6);
	memcpy(big + at - 6, "pm0.9", 5);
	EXPECT_EQ(-ENXIO, hm_write_n(big, at - 1, REGION0 "/disable"));
	EXPECT_EQ(1, hm_read_ll(CLS "%s/enabled", name[0]));
	memcpy(big + at - 6, "pm0.0", 5);
	EXPECT_EQ(0, hm_write_n(big, at - 1, REGION0 "/disable")) TH_LOG("%zu bytes", at - 1);
	for (i = 0; i < 8; i++)
		EXPECT_EQ(0, hm_read_ll(CLS "%s/enabled", name[i])) TH_LOG("%s", name[i]);
}

/* While enabled, size, placement and deletion are refused; bad input too. */
TEST_F(pm, enabled_rules)
{
	char before[8192], after[8192];

	EXPECT_EQ(-EINVAL, hm_write("1", CLS "pm0.0/enabled"));
	ASSERT_EQ(0, hm_write("4194304", CLS "pm0.0/size"));
	ASSERT_EQ(0, hm_write("1", CLS "pm0.0/enabled"));
	hm_pm_state(before, sizeof(before), 0);
	EXPECT_EQ(-EBUSY, hm_write("2097152", CLS "pm0.0/size"));
	EXPECT_EQ(-EBUSY, hm_write("dev", CLS "pm0.0/memmap"));
	EXPECT_EQ(-EBUSY, hm_write("pm0.0", CLS "region0/delete"));
	EXPECT_EQ(-EINVAL, hm_write("2", CLS "pm0.0/enabled"));
	EXPECT_EQ(-EINVAL, hm_write("yes", CLS "pm0.0/enabled"));
	EXPECT_EQ(-EINVAL, hm_write("devx", CLS "pm0.0/memmap"));
	EXPECT_EQ(-EINVAL, hm_write("\n", CLS "pm0.0/memmap"));
	EXPECT_EQ(0, hm_write("1", CLS "pm0.0/enabled"));
	EXPECT_EQ(0, hm_write("ram", CLS "pm0.0/memmap"));
	EXPECT_EQ(0, hm_write("4194304", CLS "pm0.0/size"));
	hm_pm_state(after, sizeof(after), 0);
	EXPECT_STREQ(before, after);
	EXPECT_EQ(1, hm_read_ll(CLS "pm0.0/enabled"));
	ASSERT_EQ(0, hm_write("0", CLS "pm0.0/enabled"));
	EXPECT_EQ(0, hm_write("2097152", CLS "pm0.0/size"));
}

/* write "START-END" for [start + a, start + b) to @inst's mapping */
static int place(struct _test_data_pm *self, const char *inst, __u64 a,
		 __u64 b)
{
	return hm_pm_place(HM_PM_CLS, inst, self->start + a, b - a);
}

/*
 * Explicit placement by writing mapping ranges, with holes between them,
 * as the sub-section map shows it; a free hole takes a range.  (The
 * errors of a bad placement are in pagemap_dax's table, beside
 * device-dax's.)
 */
TEST_F(pm, explicit_mapping)
{
	char b[32];
	__u64 s, e;

	ASSERT_EQ(0, place(self, "pm0.0", 4 * M, 8 * M));
	ASSERT_EQ(0, place(self, "pm0.0", 16 * M, 18 * M));
	EXPECT_EQ(6 * M, hm_read_ll(CLS "pm0.0/size"));
	ASSERT_EQ(0, hm_pm_mapping_line("pm0.0", 1, &s, &e));
	EXPECT_EQ(self->start + 16 * M, s);
	EXPECT_EQ(self->start + 18 * M - 1, e);
	ASSERT_LT(0, hm_read_str(self->buf, sizeof(self->buf), CLS "region0/map"));
	EXPECT_EQ(0, strncmp(self->buf + 20, "..AA....A.......", 16));

	/* a free hole is fine, between the two */
	ASSERT_EQ(0, hm_pm_create(REGION0, b, sizeof(b)));
	EXPECT_EQ(0, place(self, b, 8 * M, 10 * M));
	ASSERT_LT(0, hm_read_str(self->buf, sizeof(self->buf), CLS "region0/map"));
	EXPECT_EQ(0, strncmp(self->buf + 20, "..AAB...A.......", 16));
}

/*
 * The instance align is the largest page a mapping faults in: 4096 makes
 * every fault 4 KiB even where 2 MiB would fit; 1 GiB (on a 1 GiB aligned
 * range) maps a whole gigabyte in one fault where the kernel allows it,
 * the device placing the mapping 1 GiB aligned.
 */
TEST_F(pm, align_faults)
{
	unsigned long addr;
	long faults;

	ASSERT_EQ(0, hm_write("4096", CLS "pm0.0/align"));
	EXPECT_EQ(4096, hm_read_ll(CLS "pm0.0/align"));
	/* sizes stay in 2 MiB units, the unit memremap_pages() maps */
	EXPECT_EQ(-EINVAL, hm_write("4096", CLS "pm0.0/size"));
	ASSERT_EQ(0, hm_write("8388608", CLS "pm0.0/size"));
	ASSERT_EQ(0, hm_write("1", CLS "pm0.0/enabled"));
	/* fixed while enabled */
	EXPECT_EQ(-EBUSY, hm_write("2097152", CLS "pm0.0/align"));
	EXPECT_EQ(0, hm_write("4096", CLS "pm0.0/align"));
	ASSERT_EQ(0, hm_write("0", CLS "pm0.0/enabled"));
	ASSERT_EQ(0, hm_write("0", CLS "pm0.0/size"));

	/* 1 GiB: the region starts 1 GiB aligned (vm.sh) */
	ASSERT_EQ(0, self->start % (1024 * M));
	ASSERT_EQ(0, hm_write("1073741824", CLS "pm0.0/align"));
	EXPECT_EQ(-EINVAL, hm_write("2097152", CLS "pm0.0/size"));
	ASSERT_EQ(0, hm_write("1073741824", CLS "pm0.0/size"));
	ASSERT_EQ(0, hm_write("1", CLS "pm0.0/enabled"));
	faults = hm_pm_map_faults("pm0.0", 1024 * M, 0, NULL, &addr);
	TH_LOG("align 1G, 1 GiB at %#lx: %ld faults", addr, faults);
	/* without transparent huge pages (PREEMPT_RT): 4 KiB, 262144 */
	if (!hm_thp()) {
		EXPECT_GE(faults, 262144);
		EXPECT_LE(faults, 262148);
		return;
	}
	EXPECT_EQ(0, addr % (hm_kernel_version() >= 612 ? 1024 * M : 2 * M));
	EXPECT_GT(faults, 0);
	/*
	 * 1 GiB pages need a kernel whose mprotect() handles a PUD mapping
	 * of device memory (change_huge_pud(): 6.12 here, not 6.1); on 6.1
	 * the instance faults 2 MiB pages, 512 of them.
	 */
	EXPECT_LE(faults, hm_kernel_version() >= 612 ? 4 : 516);
}

/* align: only 4K, 2M, 1G, only if every range fits it; nothing changes. */
TEST_F(pm, align_errors)
{
	static const char *const bad[] = {
		"0", "8192", "4194304", "abc", "\n", "-4096", "+4096", "04096",
		"0x", "4096 x", " 4096", "99999999999999999999",
	};
	char before[8192], after[8192];
	unsigned int i;

	ASSERT_EQ(0, hm_write("2097152", CLS "pm0.0/size"));
	hm_pm_state(before, sizeof(before), 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		int rc = hm_write(bad[i], CLS "pm0.0/align");

		if (rc != -EINVAL && rc != -ERANGE)
			TH_LOG("align <- \"%s\": %d", bad[i], rc);
		EXPECT_TRUE(rc == -EINVAL || rc == -ERANGE);
	}
	/* its 2 MiB range is not 1 GiB aligned */
	EXPECT_EQ(-EINVAL, hm_write("1073741824", CLS "pm0.0/align"));
	/* hex is a number too: the current value, no change */
	EXPECT_EQ(0, hm_write("0x200000", CLS "pm0.0/align"));
	hm_pm_state(after, sizeof(after), 0);
	EXPECT_STREQ(before, after);
	EXPECT_EQ(2 * M, hm_read_ll(CLS "pm0.0/align"));
}

/*
 * mappingN/{start,end,page_offset} of an instance, read as numbers: for
 * hotmem, mappingN shows range N
 */
static int mapping_dir(const char *inst, int n, __u64 *s, __u64 *e, __u64 *pg)
{
	if (!hm_exists(CLS "%s/mapping%d", inst, n))
		return -ENOENT;
	*s = hm_read_ll(CLS "%s/mapping%d/start", inst, n);
	*e = hm_read_ll(CLS "%s/mapping%d/end", inst, n);
	*pg = hm_read_ll(CLS "%s/mapping%d/page_offset", inst, n);
	return 0;
}

/*
 * One mappingN directory per range, as a dax device has: start and end
 * match the "mapping" lines, page_offset is where the range begins in
 * the device (past the memmap a "dev" instance keeps), and directories
 * come and go with the ranges.
 */
TEST_F(pm, mapping_dirs)
{
	__u64 s, e, pg, ls, le;
	char b[32];

	ASSERT_EQ(0, hm_write("134217728", CLS "pm0.0/size"));
	ASSERT_EQ(0, hm_pm_create(REGION0, b, sizeof(b)));
	ASSERT_EQ(0, hm_write("4194304", CLS "%s/size", b));
	/* pm0.0 grows past b: ranges [0, 128M) and [132M, 260M) */
	ASSERT_EQ(0, hm_write("268435456", CLS "pm0.0/size"));
	ASSERT_EQ(0, mapping_dir("pm0.0", 0, &s, &e, &pg));
	ASSERT_EQ(0, hm_pm_mapping_line("pm0.0", 0, &ls, &le));
	EXPECT_EQ(ls, s);
	EXPECT_EQ(le, e);
	EXPECT_EQ(self->start, s);
	EXPECT_EQ(0, pg);
	ASSERT_EQ(0, mapping_dir("pm0.0", 1, &s, &e, &pg));
	ASSERT_EQ(0, hm_pm_mapping_line("pm0.0", 1, &ls, &le));
	EXPECT_EQ(ls, s);
	EXPECT_EQ(le, e);
	EXPECT_EQ(self->start + 132 * M, s);
	EXPECT_EQ(128 * M / 4096, pg);
	EXPECT_EQ(-ENOENT, mapping_dir("pm0.0", 2, &s, &e, &pg));
	EXPECT_EQ(self->start, hm_read_ll(CLS "pm0.0/resource"));

	/* memmap "dev": range 0 keeps 2 MiB of struct pages, range 1 none
	 * (it holds no whole section)
	 */
	ASSERT_EQ(0, hm_write("dev", CLS "pm0.0/memmap"));
	ASSERT_EQ(0, mapping_dir("pm0.0", 1, &s, &e, &pg));
	EXPECT_EQ(126 * M / 4096, pg);

	/* shrinking drops the second directory */
	ASSERT_EQ(0, hm_write("134217728", CLS "pm0.0/size"));
	EXPECT_EQ(-ENOENT, mapping_dir("pm0.0", 1, &s, &e, &pg));
	ASSERT_EQ(0, hm_write("0", CLS "pm0.0/size"));
	EXPECT_EQ(-ENOENT, mapping_dir("pm0.0", 0, &s, &e, &pg));
	/* an empty instance names its region's start, as dax does */
	EXPECT_EQ(self->start, hm_read_ll(CLS "pm0.0/resource"));
}

/*
 * Two regions that share a 128 MiB section: each one's map shows the
 * other's sub-sections as another owner's ('o'), System RAM as 'R'.
 */
TEST_F(pm, map_other_owner)
{
	char want[256];

	hm_sh(NULL, 0, "rmmod hotmem_pagemap");
	ASSERT_EQ(0, hm_sh(NULL, 0, "/sbin/modprobe hotmem_pagemap regions=%llu:%llu,%llu:%llu",
			   self->start, 64 * M, self->start + 64 * M, 64 * M));
	ASSERT_LT(0, hm_read_str(self->buf, sizeof(self->buf), CLS "region0/map"));
	snprintf(want, sizeof(want), "0x%016llx: %.32s%.32s", self->start,
		 "................................",
		 "oooooooooooooooooooooooooooooooo");
	EXPECT_EQ(0, strncmp(self->buf, want, strlen(want)));
	ASSERT_LT(0, hm_read_str(self->buf, sizeof(self->buf), CLS "region1/map"));
	snprintf(want, sizeof(want), "0x%016llx: %.32s%.32s", self->start,
		 "oooooooooooooooooooooooooooooooo",
		 "................................");
	EXPECT_EQ(0, strncmp(self->buf, want, strlen(want)));
}

/*
 * Run "modprobe hotmem_pagemap_example ARGS": 0 if it loaded, else the
 * errno the example logged (modprobe itself reports an -EEXIST from a
 * module's init as success, "already loaded").
 */
__printf(1, 2) static int example_load(const char *fmt, ...)
{
	static const struct { const char *name; int err; } errs[] = {
		{ "-EINVAL", -EINVAL }, { "-EEXIST", -EEXIST }, { "-EBUSY", -EBUSY },
	};
	char args[256], out[1024];
	unsigned int i;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	hm_sh(NULL, 0, "/sbin/modprobe hotmem_pagemap_example %s 2>/dev/null", args);
	if (hm_exists("/sys/module/hotmem_pagemap_example"))
		return 0;
	hm_sh(out, sizeof(out), "dmesg | grep 'hotmem_pagemap_example: ' | tail -1");
	for (i = 0; i < ARRAY_SIZE(errs); i++)
		if (strstr(out, errs[i].name))
			return errs[i].err;
	return -EIO;
}

/*
 * The character device in both memmap modes: every test below runs with
 * the struct pages in RAM and on the device.  Its instance holds one
 * whole 128 MiB section, so with "dev" its first 2 MiB are the memmap
 * and the device maps the 126 MiB after them.
 */
FIXTURE(pmm) {
	__u64 start;		/* the soft reserved range */
	__u64 size;
};

FIXTURE_VARIANT(pmm) {
	const char *memmap;	/* "ram" or "dev" */
	__u64 memmap_dev;	/* bytes of memmap on the device per section */
};

FIXTURE_VARIANT_ADD(pmm, ram) { .memmap = "ram", .memmap_dev = 0 };
FIXTURE_VARIANT_ADD(pmm, dev) { .memmap = "dev", .memmap_dev = 2 * M };

FIXTURE_SETUP(pmm)
{
	int rc = pm_load(&self->start, &self->size);

	if (rc > 0)
		SKIP(return, "no soft-reserved memory (vm.sh -p soft-reserved)");
	ASSERT_EQ(0, rc);
}

FIXTURE_TEARDOWN(pmm)
{
	pm_unload();
}

/* a section-sized instance */
#define SECTION	(128 * M)
/* what the pin tests hold in a pipe */
#define PIN_LEN	(64 * 1024)

/*
 * Size @inst (at a section boundary) to one section, set its memmap to
 * @memmap and enable it: the bytes the device maps, or -1 (also if the
 * memmap on the device is not @on_dev bytes).
 */
static long long pmm_up(const char *memmap, __u64 on_dev, const char *inst)
{
	if (hm_pm_set_size(HM_PM_CLS, inst, SECTION) ||
	    hm_write(memmap, HM_PM_CLS "/%s/memmap", inst) ||
	    hm_pm_enable(inst, true))
		return -1;
	if (hm_read_ll(HM_PM_CLS "/%s/memmap_device_bytes", inst) != (long long)on_dev)
		return -1;
	return SECTION - on_dev;
}

/* pmm_up() for the variant of the test */
#define PMM_UP(inst)	pmm_up(variant->memmap, variant->memmap_dev, inst)

/*
 * An enabled instance is a character device: data written through one
 * MAP_SHARED mapping reads back through another, at an offset, and after
 * a disable and enable; private mappings and mappings past what the
 * device maps (the memmap of a "dev" instance is not part of it) are
 * refused; the instance cannot be disabled while mapped.
 */
TEST_F(pmm, mmap_read_back)
{
	long long usable;
	__u64 *p;
	int fd;

	ASSERT_EQ(0, hm_pm_set_size(HM_PM_CLS, "pm0.0", SECTION));
	fd = open("/dev/pm0.0", O_RDWR);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(ENXIO, errno);
	usable = PMM_UP("pm0.0");
	ASSERT_EQ(SECTION - variant->memmap_dev, usable);
	ASSERT_EQ(0, hm_dax_fill("pm0.0", usable, 7));
	EXPECT_EQ(0, hm_dax_verify("pm0.0", usable, 7));

	fd = open("/dev/pm0.0", O_RDWR);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, usable, PROT_READ, MAP_PRIVATE, fd, 0));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, usable + 2 * M, PROT_READ, MAP_SHARED, fd, 0));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 2 * M, PROT_READ, MAP_SHARED, fd, usable));
	/* 4 KiB faults at an offset that is not 2 MiB aligned */
	p = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 4096);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(hm_pattern(512, 7), p[0]);
	EXPECT_EQ(hm_pattern(1023, 7), p[511]);
	/* mapped: disable refused */
	EXPECT_EQ(-EBUSY, hm_pm_enable("pm0.0", false));
	munmap(p, 8192);
	close(fd);
	ASSERT_EQ(0, hm_pm_enable("pm0.0", false));
	ASSERT_EQ(0, hm_pm_enable("pm0.0", true));
	EXPECT_EQ(0, hm_dax_verify("pm0.0", usable, 7));
}

/* A mapping holding no whole aligned 2 MiB faults 4 KiB at a time. */
TEST_F(pmm, fault_4k)
{
	unsigned long addr;
	long faults;

	ASSERT_LT(0, PMM_UP("pm0.0"));
	faults = hm_pm_map_faults("pm0.0", 1 * M, 4096, NULL, &addr);
	/* 256 pages, give or take a fault of the test's own */
	EXPECT_GE(faults, 256);
	EXPECT_LE(faults, 260);
}

/*
 * Placement: a mapping of an align 2 MiB instance, the address left to
 * the device, lands 2 MiB aligned with the memory (past the memmap of a
 * "dev" instance, still aligned), so it faults 2 MiB pages: 64 MiB in
 * about 32 (on 6.1 that needs the device's S_DAX inode).  pagemap_dax's
 * mmap_faults counts faults at an address the test picks; this is
 * hotmem's own get_unmapped_area().  A kernel without transparent huge
 * pages (PREEMPT_RT) maps 4 KiB pages only, wherever the mapping is.
 */
TEST_F(pmm, placement_2m)
{
	unsigned long addr;
	long faults;

	ASSERT_LT(0, PMM_UP("pm0.0"));
	faults = hm_pm_map_faults("pm0.0", 64 * M, 0, NULL, &addr);
	TH_LOG("memmap %s, 64 MiB at %#lx: %ld faults", variant->memmap, addr,
	       faults);
	if (!hm_thp()) {
		EXPECT_GE(faults, 16384);
		EXPECT_LE(faults, 16388);
		return;
	}
	EXPECT_EQ(0, addr % (2 * M));
	EXPECT_GT(faults, 0);
	EXPECT_LE(faults, 64);
}

/*
 * Pages still pinned after the last munmap and close (a pipe holds them):
 * disabling fails with -EBUSY and changes nothing; once they are let go it
 * works.  memunmap_pages() alone would not have waited.
 */
TEST_F(pmm, disable_while_pinned)
{
	int rfd;

	ASSERT_LT(0, PMM_UP("pm0.0"));
	rfd = hm_pm_pin_in_pipe("pm0.0", PIN_LEN);
	ASSERT_LE(0, rfd);
	EXPECT_EQ(-EBUSY, hm_pm_enable("pm0.0", false));
	EXPECT_EQ(1, hm_read_ll(HM_PM_CLS "/pm0.0/enabled"));
	EXPECT_TRUE(hm_pm_drain(rfd, PIN_LEN));
	EXPECT_EQ(0, hm_pm_enable("pm0.0", false));
}

/*
 * With memmap "ram", a pin on tail pages of a compound page (align 2 MiB:
 * a page 5 pages into the second 2 MiB), mapped by 4 KiB faults, counts
 * on its head: disable fails with -EBUSY until the pipe lets go.  The
 * same after a pin on the last page of a 1 GiB compound page, mapped
 * 4 KiB too.  (With "dev" the pages are not compound: an altmap range
 * gets none; the same pins must block the same way.)
 */
TEST_F(pmm, disable_while_tail_pinned)
{
	const size_t off = 2 * M + 5 * 4096;
	int rfd;

	ASSERT_LT(0, PMM_UP("pm0.0"));
	/* compound pages: 8 KiB of struct pages per 2 MiB */
	if (!variant->memmap_dev)
		EXPECT_EQ(SECTION / (2 * M) * 8192,
			  hm_read_ll(HM_PM_CLS "/pm0.0/memmap_dram_bytes"));
	rfd = hm_pm_pin_in_pipe_at("pm0.0", off, 3 * 4096);
	ASSERT_LE(0, rfd);
	EXPECT_EQ(-EBUSY, hm_pm_enable("pm0.0", false));
	EXPECT_EQ(1, hm_read_ll(HM_PM_CLS "/pm0.0/enabled"));
	EXPECT_TRUE(hm_pm_drain(rfd, 3 * 4096));
	EXPECT_EQ(0, hm_pm_enable("pm0.0", false));

	if (self->start % (1024 * M) || self->size < 1024 * M)
		SKIP(return, "the region holds no 1 GiB-aligned GiB");
	ASSERT_EQ(0, hm_write("0", HM_PM_CLS "/pm0.0/size"));
	ASSERT_EQ(0, hm_write("1073741824", HM_PM_CLS "/pm0.0/align"));
	ASSERT_EQ(0, hm_write("1073741824", HM_PM_CLS "/pm0.0/size"));
	ASSERT_EQ(0, hm_write(variant->memmap, HM_PM_CLS "/pm0.0/memmap"));
	ASSERT_EQ(0, hm_pm_enable("pm0.0", true));
	if (!variant->memmap_dev)
		EXPECT_EQ(8192, hm_read_ll(HM_PM_CLS "/pm0.0/memmap_dram_bytes"));
	rfd = hm_pm_pin_in_pipe_at("pm0.0", 1024 * M - 16 * M * !!variant->memmap_dev -
				   4096, 4096);
	ASSERT_LE(0, rfd);
	EXPECT_EQ(-EBUSY, hm_pm_enable("pm0.0", false));
	EXPECT_TRUE(hm_pm_drain(rfd, 4096));
	EXPECT_EQ(0, hm_pm_enable("pm0.0", false));
}

/*
 * The exported interface, through the example client: its errors, a
 * region that behaves like any other, and its removal revoking a mapped
 * instance: the mapping gets SIGBUS, the memory and the sysfs go, the
 * process keeps running.
 */
TEST_F(pmm, api_region_and_revoke)
{
	const __u64 half = self->size / 2;
	struct hm_res res[HM_MAX_RES];
	int n, i, fd;
	__u64 *p;

	/* region0 takes the first half; the example is given the second */
	hm_sh(NULL, 0, "rmmod hotmem_pagemap");
	ASSERT_EQ(0, hm_sh(NULL, 0, "/sbin/modprobe hotmem_pagemap regions=%llu:%llu",
			   self->start, half));
	EXPECT_EQ(-EINVAL, example_load("range=%llu:%llu", self->start + half + M, 2 * M));
	EXPECT_EQ(-EEXIST, example_load("range=%llu:%llu", self->start, 2 * M));
	EXPECT_EQ(-EINVAL, example_load("range=%llu:%llu node=%d", self->start + half,
					half, 4096));
	/* System RAM below 3 GiB */
	EXPECT_EQ(-EINVAL, example_load("range=%llu:%llu", 1024 * M, 2 * M));
	EXPECT_FALSE(hm_exists(CLS "region1"));

	ASSERT_EQ(0, example_load("range=%llu:%llu", self->start + half, half));
	EXPECT_EQ(half, hm_read_ll(CLS "region1/size"));
	n = hm_iomem(res, HM_MAX_RES);
	i = hm_iomem_find(res, n, "region1", 0);
	ASSERT_GE(i, 0);
	EXPECT_EQ(self->start + half, res[i].start);
	/* its user holds hotmem_pagemap */
	EXPECT_NE(0, hm_sh(NULL, 0, "rmmod hotmem_pagemap 2>/dev/null"));

	/* the second half starts a section: the "dev" memmap is on it */
	ASSERT_LT(0, PMM_UP("pm1.0"));
	fd = open("/dev/pm1.0", O_RDWR);
	ASSERT_GE(fd, 0);
	p = mmap(NULL, 8 * M, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 0x1234;
	/* sysfs refuses to disable a mapped instance; its owner revokes it */
	EXPECT_EQ(-EBUSY, hm_write("0", CLS "pm1.0/enabled"));
	ASSERT_EQ(0, hm_sh(NULL, 0, "rmmod hotmem_pagemap_example"));
	EXPECT_FALSE(hm_exists(CLS "region1"));
	EXPECT_FALSE(hm_exists(CLS "pm1.0"));
	n = hm_iomem(res, HM_MAX_RES);
	EXPECT_GT(0, hm_iomem_find(res, n, "region1", 0));

	/* this process's own page was unmapped and cannot fault back in */
	EXPECT_TRUE(hm_read_sigbus(p));
	munmap(p, 8 * M);
	close(fd);
	/* and the range can be handed over again */
	ASSERT_EQ(0, example_load("range=%llu:%llu", self->start + half, half));
	EXPECT_EQ(half, hm_read_ll(CLS "region1/available_size"));
	EXPECT_EQ(0, hm_sh(NULL, 0, "rmmod hotmem_pagemap_example"));
}

/*
 * A region taken back through the API while a page is pinned: the
 * removal waits for the pin (here a child drains the pipe after 2 s)
 * and only then frees the range.
 */
TEST_F(pmm, api_revoke_waits_for_pins)
{
	const __u64 half = self->size / 2;
	struct timespec t0, t1;
	int rfd, status;
	pid_t pid;

	hm_sh(NULL, 0, "rmmod hotmem_pagemap");
	ASSERT_EQ(0, hm_sh(NULL, 0, "/sbin/modprobe hotmem_pagemap_example range=%llu:%llu",
			   self->start + half, half));
	ASSERT_LT(0, PMM_UP("pm0.0"));
	rfd = hm_pm_pin_in_pipe("pm0.0", PIN_LEN);
	ASSERT_LE(0, rfd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		sleep(2);
		_exit(hm_pm_drain(rfd, PIN_LEN) ? 0 : 1);
	}
	close(rfd);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_EQ(0, hm_sh(NULL, 0, "rmmod hotmem_pagemap_example"));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	TH_LOG("removal took %ld ms", (t1.tv_sec - t0.tv_sec) * 1000 +
	       (t1.tv_nsec - t0.tv_nsec) / 1000000);
	EXPECT_LE(1, t1.tv_sec - t0.tv_sec);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	EXPECT_FALSE(hm_exists(CLS "region0"));
}

TEST_HARNESS_MAIN
