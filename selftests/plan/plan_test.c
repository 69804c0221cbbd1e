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

/* x86-64: 128 MiB blocks, 4 KiB pages, 64-byte struct page, 2 MiB PMDs */
#define X86 { 128 * M, 4096, 64, 2 * M, 2 * M }

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
	{ "1G blocks", { 1 * G, 4096, 64, 2 * M, 2 * M }, 4 * G, 3 * G, 0,
	  4 * G, 3, 0, 0, true },
	/* 64 MiB blocks: 1 MiB memmap, not a whole PMD */
	{ "64M blocks", { 64 * M, 4096, 64, 2 * M, 2 * M }, 4 * G, 128 * M, 0,
	  4 * G, 2, 0, 0, false },
	/* 80-byte struct page: 2.5 MiB memmap, not a whole PMD */
	{ "odd struct page", { 128 * M, 4096, 80, 2 * M, 2 * M }, 4 * G,
	  128 * M, 0, 4 * G, 1, 0, 0, false },
	{ "zero size", X86, 4 * G, 0, -EINVAL, 0, 0, 0, 0, false },
	{ "wraps", X86, ~0ULL - M, 2 * M, -EINVAL, 0, 0, 0, 0, false },
	{ "block not pow2", { 96 * M, 4096, 64, 2 * M, 2 * M }, 0, G, -EINVAL, 0, 0, 0, 0, false },
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
	}
}

TEST_HARNESS_MAIN
