// SPDX-License-Identifier: GPL-2.0
/*
 * Table test of the hotmem_kmem hot-add planner (kmod/kmem/plan.c, built
 * here unchanged as user-space code): whole blocks, stranded head and
 * tail, and when a block can carry its own memmap.
 */
#include <errno.h>

#include "kselftest_harness.h"
#include "../../kmod/kmem/plan.h"

#define M (1024ULL * 1024)
#define G (1024 * M)

/*
 * x86-64: 128 MiB blocks, 4 KiB pages, 64-byte struct page, 2 MiB PMDs,
 * 2 MiB pageblocks, hotmem_pagemap regions in 2 MiB sub-sections
 */
#define X86 { 128 * M, 4096, 64, 2 * M, 2 * M, 2 * M }

static const struct {
	const char *what;
	struct hkm_plan_rules rules;
	u64 start, size;
	int rc;
	u64 first, nr, head, tail;
	bool mom;
} cases[] = {
	{ "aligned 2G", X86, 4 * G, 2 * G, 0, 4 * G, 16, 0, 0, true },
	{ "one block", X86, 4 * G, 128 * M, 0, 4 * G, 1, 0, 0, true },
	{ "head and tail", X86, 4 * G + 64 * M, 256 * M, 0, 4 * G + 128 * M, 1,
	  64 * M, 64 * M, true },
	{ "2M unaligned head", X86, 4 * G + 2 * M, 254 * M, 0, 4 * G + 128 * M,
	  1, 126 * M, 0, true },
	{ "smaller than a block", X86, 4 * G, 64 * M, 0, 4 * G, 0, 64 * M, 0,
	  true },
	{ "straddles a boundary", X86, 4 * G + 100 * M, 100 * M, 0,
	  4 * G + 100 * M, 0, 100 * M, 0, true },
	/* bare metal with 64 GiB or more: 2 GiB blocks, 32 MiB memmap each */
	{ "2G blocks, 256M aligned", { 2 * G, 4096, 64, 2 * M, 2 * M, 2 * M },
	  64 * G + 256 * M, 4 * G, 0, 66 * G, 1, 2 * G - 256 * M, 256 * M, true },
	{ "1G blocks", { 1 * G, 4096, 64, 2 * M, 2 * M, 2 * M }, 4 * G, 3 * G, 0,
	  4 * G, 3, 0, 0, true },
	/* 64 MiB blocks: 1 MiB memmap, not a whole PMD */
	{ "64M blocks", { 64 * M, 4096, 64, 2 * M, 2 * M, 2 * M }, 4 * G, 128 * M, 0,
	  4 * G, 2, 0, 0, false },
	/* 80-byte struct page: 2.5 MiB memmap, not a whole PMD */
	{ "odd struct page", { 128 * M, 4096, 80, 2 * M, 2 * M, 2 * M }, 4 * G,
	  128 * M, 0, 4 * G, 1, 0, 0, false },
	{ "zero size", X86, 4 * G, 0, -EINVAL, 0, 0, 0, 0, false },
	{ "wraps", X86, ~0ULL - M, 2 * M, -EINVAL, 0, 0, 0, 0, false },
	{ "block not pow2", { 96 * M, 4096, 64, 2 * M, 2 * M, 2 * M }, 0, G,
	  -EINVAL, 0, 0, 0, 0, false },
	/* the exclusive end 2^64 is not representable */
	{ "ends at 2^64", X86, ~0ULL - 256 * M + 1, 256 * M, -EINVAL, 0, 0, 0,
	  0, false },
	{ "high address", X86, 1ULL << 52, 256 * M, 0, 1ULL << 52, 2, 0, 0,
	  true },
};

TEST(table)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct hkm_plan p = { 0 };
		int rc = hkm_plan_range(cases[i].start, cases[i].size,
					&cases[i].rules, &p);

		TH_LOG("case %u: %s", i, cases[i].what);
		ASSERT_EQ(cases[i].rc, rc);
		if (rc)
			continue;
		EXPECT_EQ(cases[i].first, p.start);
		EXPECT_EQ(cases[i].nr, p.nr_blocks);
		EXPECT_EQ(cases[i].head, p.head);
		EXPECT_EQ(cases[i].tail, p.tail);
		EXPECT_EQ(cases[i].mom, p.memmap_on_memory);
		/* every byte is either in a block or stranded */
		EXPECT_EQ(cases[i].size,
			  p.head + p.nr_blocks * cases[i].rules.block_size + p.tail);
		/* what can be exposed lies in the head and the tail */
		EXPECT_LE(p.expose[0].size, p.head);
		EXPECT_LE(p.expose[1].size, p.tail);
	}
	/* the expose unit must be a power of two too */
	{
		struct hkm_plan_rules r = X86;
		struct hkm_plan p = { 0 };

		r.expose_align = 3 * M;
		EXPECT_EQ(-EINVAL, hkm_plan_range(4 * G, G, &r, &p));
	}
}

/*
 * The parts of the head and tail that hotmem_pagemap can take: whole
 * 2 MiB sub-sections, the bytes around them unusable.
 */
static const struct {
	const char *what;
	u64 start, size;
	u64 e0, n0, e1, n1;
} exposes[] = {
	{ "aligned: nothing stranded", 4 * G, 2 * G, 4 * G, 0, 6 * G, 0 },
	{ "head and tail", 4 * G + 64 * M, 256 * M, 4 * G + 64 * M, 64 * M,
	  4 * G + 256 * M, 64 * M },
	{ "4K head: 2M less 4K unusable", 4 * G + 4096, 256 * M - 4096,
	  4 * G + 2 * M, 126 * M, 4 * G + 256 * M, 0 },
	{ "4K tail", 4 * G, 128 * M + 6 * M + 4096, 4 * G, 0, 4 * G + 128 * M,
	  6 * M },
	{ "no block, both ends unaligned", 4 * G + M, 100 * M, 4 * G + 2 * M,
	  98 * M, 4 * G + 101 * M, 0 },
	{ "1M head and tail: all unusable", 4 * G + 127 * M, 130 * M,
	  4 * G + 127 * M, 0, 4 * G + 256 * M, 0 },
	{ "less than 2M in all", 4 * G + M, M, 4 * G + M, 0, 4 * G + 2 * M, 0 },
};

TEST(expose)
{
	const struct hkm_plan_rules rules = X86;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(exposes); i++) {
		struct hkm_plan p = { 0 };

		TH_LOG("case %u: %s", i, exposes[i].what);
		ASSERT_EQ(0, hkm_plan_range(exposes[i].start, exposes[i].size,
					    &rules, &p));
		EXPECT_EQ(exposes[i].n0, p.expose[0].size);
		EXPECT_EQ(exposes[i].n1, p.expose[1].size);
		if (p.expose[0].size)
			EXPECT_EQ(exposes[i].e0, p.expose[0].start);
		if (p.expose[1].size)
			EXPECT_EQ(exposes[i].e1, p.expose[1].start);
	}
}

TEST_HARNESS_MAIN
