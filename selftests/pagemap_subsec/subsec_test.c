// SPDX-License-Identifier: GPL-2.0
/*
 * Table tests of the hotmem_pagemap sub-section map (kmod/pagemap/subsec.c,
 * built here unchanged as user-space code): first-fit allocation into
 * holes, alignment, explicit placement and its conflicts, release, and
 * the readable map, with every error leaving the map unchanged.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "../../kmod/pagemap/subsec.h"

#define M (1024ULL * 1024)
#define G (1024 * M)

/* "0x<section>: " then the given runs: count, char, count, char, ..., 0 */
static void line(char *buf, u64 sec, ...)
{
	va_list ap;
	int n, c;

	buf += sprintf(buf, "0x%016llx: ", (unsigned long long)sec);
	va_start(ap, sec);
	while ((n = va_arg(ap, int))) {
		c = va_arg(ap, int);
		memset(buf, c, n);
		buf += n;
	}
	va_end(ap);
	*buf++ = '\n';
	*buf = '\0';
}

/* below the given address is System RAM, everything else no one's */
static char classify(u64 addr, void *arg)
{
	return addr < *(u64 *)arg ? 'R' : '-';
}

FIXTURE(map) {
	struct hpm_map map;
	u16 owner[1024];
	struct hpm_range r[8];
	int n;
	char buf[4096];
};

FIXTURE_SETUP(map)
{
	memset(self->owner, 0, sizeof(self->owner));
	ASSERT_EQ(0, hpm_map_init(&self->map, 4 * G, 1 * G, self->owner));
}

FIXTURE_TEARDOWN(map)
{
}

/* 64 instances of 2 MiB pack one 128 MiB section, one symbol each */
TEST_F(map, pack_64_in_a_section)
{
	char want[256];
	u64 ram = 0;
	int i;

	for (i = 1; i <= 64; i++) {
		ASSERT_EQ(0, hpm_map_alloc(&self->map, i, 2 * M, 2 * M, self->r, 8,
					   &self->n));
		ASSERT_EQ(1, self->n);
		EXPECT_EQ(4 * G + (i - 1) * 2 * M, self->r[0].start);
	}
	EXPECT_EQ(1 * G - 128 * M, hpm_map_free_bytes(&self->map, 2 * M));
	hpm_map_render(&self->map, self->buf, sizeof(self->buf), classify, &ram);
	/* instances 1-62 have a symbol each, the last two share '#' */
	sprintf(want, "0x%016llx: %s##\n", 4 * G,
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
	line(want + strlen(want), 4 * G + 128 * M, 64, '.', 0);
	EXPECT_EQ(0, strncmp(self->buf, want, strlen(want)));
}

/* a hole left by a release is filled first; the rest comes after */
TEST_F(map, first_fit_fills_holes)
{
	ASSERT_EQ(0, hpm_map_alloc(&self->map, 1, 4 * M, 2 * M, self->r, 8, &self->n));
	ASSERT_EQ(0, hpm_map_alloc(&self->map, 2, 4 * M, 2 * M, self->r, 8, &self->n));
	ASSERT_EQ(0, hpm_map_alloc(&self->map, 3, 4 * M, 2 * M, self->r, 8, &self->n));
	ASSERT_EQ(0, hpm_map_release(&self->map, 2, 4 * G + 4 * M, 4 * M));
	ASSERT_EQ(0, hpm_map_alloc(&self->map, 4, 6 * M, 2 * M, self->r, 8, &self->n));
	ASSERT_EQ(2, self->n);
	EXPECT_EQ(4 * G + 4 * M, self->r[0].start);
	EXPECT_EQ(4 * M, self->r[0].len);
	EXPECT_EQ(4 * G + 12 * M, self->r[1].start);
	EXPECT_EQ(2 * M, self->r[1].len);
}

/* 1 GiB alignment: only whole aligned gigabytes count */
TEST(align_1g)
{
	static u16 owner[2048];
	struct hpm_map map;
	struct hpm_range r[4];
	int n;

	/* [4G + 2M, 6G + 2M): one whole aligned gigabyte, [5G, 6G) */
	ASSERT_EQ(0, hpm_map_init(&map, 4 * G + 2 * M, 2 * G, owner));
	EXPECT_EQ(1 * G, hpm_map_free_bytes(&map, 1 * G));
	EXPECT_EQ(-ENOSPC, hpm_map_alloc(&map, 1, 2 * G, 1 * G, r, 4, &n));
	EXPECT_EQ(-EINVAL, hpm_map_alloc(&map, 1, 3 * M, 1 * G, r, 4, &n));
	ASSERT_EQ(0, hpm_map_alloc(&map, 1, 1 * G, 1 * G, r, 4, &n));
	EXPECT_EQ(5 * G, r[0].start);
	EXPECT_EQ(0, hpm_map_free_bytes(&map, 1 * G));
	EXPECT_EQ(2 * G - 1 * G, hpm_map_free_bytes(&map, 2 * M));
}

/*
 * A short free run whose aligned start falls in the next run: the next
 * run's gigabyte is counted once, and a 2 GiB request that does not fit
 * fails without taking anything.
 */
TEST(align_1g_short_run_first)
{
	static u16 owner[2048];
	struct hpm_map map;
	struct hpm_range r[4];
	int n;

	/* [4G + 2M, 6G + 2M) with [4G + 100M, 5G) taken: the free run
	 * [4G + 2M, 4G + 100M) is short, its aligned start is 5G
	 */
	ASSERT_EQ(0, hpm_map_init(&map, 4 * G + 2 * M, 2 * G, owner));
	ASSERT_EQ(0, hpm_map_claim(&map, 9, 4 * G + 100 * M, 1 * G - 100 * M));
	EXPECT_EQ(1 * G, hpm_map_free_bytes(&map, 1 * G));
	EXPECT_EQ(-ENOSPC, hpm_map_alloc(&map, 1, 2 * G, 1 * G, r, 4, &n));
	/* nothing was taken by the failed request */
	EXPECT_EQ(1 * G + 100 * M, hpm_map_free_bytes(&map, 2 * M));
	EXPECT_EQ(1 * G, hpm_map_free_bytes(&map, 1 * G));
	ASSERT_EQ(0, hpm_map_alloc(&map, 1, 1 * G, 1 * G, r, 4, &n));
	EXPECT_EQ(1, n);
	EXPECT_EQ(5 * G, r[0].start);
}

/* explicit placement: misaligned, outside, overlapping, containing */
TEST_F(map, claim_conflicts)
{
	u64 ram = 0;
	char before[4096];

	ASSERT_EQ(0, hpm_map_claim(&self->map, 1, 4 * G + 10 * M, 2 * M));
	hpm_map_render(&self->map, before, sizeof(before), classify, &ram);
	EXPECT_EQ(-EINVAL, hpm_map_claim(&self->map, 2, 4 * G + 1 * M, 2 * M));
	EXPECT_EQ(-EINVAL, hpm_map_claim(&self->map, 2, 4 * G, 3 * M));
	EXPECT_EQ(-EINVAL, hpm_map_claim(&self->map, 2, 4 * G, 0));
	EXPECT_EQ(-EINVAL, hpm_map_claim(&self->map, 2, 4 * G - 2 * M, 4 * M));
	EXPECT_EQ(-EINVAL, hpm_map_claim(&self->map, 2, 5 * G - 2 * M, 4 * M));
	EXPECT_EQ(-EINVAL, hpm_map_claim(&self->map, 2, ~0ULL - 2 * M + 1, 2 * M));
	EXPECT_EQ(-EEXIST, hpm_map_claim(&self->map, 2, 4 * G + 10 * M, 2 * M));
	EXPECT_EQ(-EEXIST, hpm_map_claim(&self->map, 2, 4 * G + 8 * M, 4 * M));
	/* strictly contains the other's range */
	EXPECT_EQ(-EEXIST, hpm_map_claim(&self->map, 2, 4 * G + 8 * M, 8 * M));
	EXPECT_EQ(-EINVAL, hpm_map_claim(&self->map, HPM_FREE, 4 * G, 2 * M));
	hpm_map_render(&self->map, self->buf, sizeof(self->buf), classify, &ram);
	EXPECT_STREQ(before, self->buf);
	ASSERT_EQ(0, hpm_map_claim(&self->map, 2, 4 * G + 12 * M, 2 * M));
}

/* release only what the owner holds; failures change nothing */
TEST_F(map, release_checks_owner)
{
	ASSERT_EQ(0, hpm_map_alloc(&self->map, 1, 4 * M, 2 * M, self->r, 8, &self->n));
	EXPECT_EQ(-ENXIO, hpm_map_release(&self->map, 2, 4 * G, 2 * M));
	EXPECT_EQ(-ENXIO, hpm_map_release(&self->map, 1, 4 * G, 6 * M));
	EXPECT_EQ(1 * G - 4 * M, hpm_map_free_bytes(&self->map, 2 * M));
	EXPECT_EQ(0, hpm_map_release(&self->map, 1, 4 * G + 2 * M, 2 * M));
	EXPECT_EQ(1 * G - 2 * M, hpm_map_free_bytes(&self->map, 2 * M));
}

/* no room, or no room within the range limit: nothing is taken */
TEST_F(map, enospc_changes_nothing)
{
	int i;

	EXPECT_EQ(-ENOSPC, hpm_map_alloc(&self->map, 1, 2 * G, 2 * M, self->r, 8, &self->n));
	/* 8 holes of 2 MiB, then ask for 9 x 2 MiB in at most 8 ranges */
	for (i = 0; i < 16; i++)
		ASSERT_EQ(0, hpm_map_claim(&self->map, 1 + i % 2, 4 * G + i * 2 * M, 2 * M));
	for (i = 1; i < 16; i += 2)
		ASSERT_EQ(0, hpm_map_release(&self->map, 2, 4 * G + i * 2 * M, 2 * M));
	ASSERT_EQ(0, hpm_map_claim(&self->map, 2, 4 * G + 32 * M, 1 * G - 32 * M));
	EXPECT_EQ(16 * M, hpm_map_free_bytes(&self->map, 2 * M));
	EXPECT_EQ(-ENOSPC, hpm_map_alloc(&self->map, 3, 18 * M, 2 * M, self->r, 8, &self->n));
	EXPECT_EQ(16 * M, hpm_map_free_bytes(&self->map, 2 * M));
	ASSERT_EQ(0, hpm_map_alloc(&self->map, 3, 16 * M, 2 * M, self->r, 8, &self->n));
	EXPECT_EQ(8, self->n);
}

/* a region sharing its first section with System RAM */
TEST(shares_section_with_ram)
{
	static u16 owner[64];
	struct hpm_map map;
	u64 ram = 4 * G + 64 * M;
	char buf[256], want[256];

	ASSERT_EQ(0, hpm_map_init(&map, 4 * G + 64 * M, 96 * M, owner));
	ASSERT_EQ(0, hpm_map_claim(&map, 1, 4 * G + 64 * M, 2 * M));
	hpm_map_render(&map, buf, sizeof(buf), classify, &ram);
	line(want, 4 * G, 32, 'R', 1, 'A', 31, '.', 0);
	line(want + strlen(want), 4 * G + 128 * M, 16, '.', 48, '-', 0);
	EXPECT_STREQ(want, buf);
	EXPECT_EQ(-EINVAL, hpm_map_init(&map, 4 * G + 1 * M, 96 * M, owner));
	EXPECT_EQ(-EINVAL, hpm_map_init(&map, 4 * G, 0, owner));
}

TEST_HARNESS_MAIN
