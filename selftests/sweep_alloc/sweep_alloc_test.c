// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation-failure sweeps of hotmem_pagemap, below the --wrap line: on
 * a kernel with failslab and fail_page_alloc (the debug kernel), a region
 * add (a "regions" write) and enables with the memmap in RAM and on the
 * device are run with the 1st, 2nd, ... slab or page allocation of the
 * writing task failed, inside hotmem or inside the kernel functions it
 * calls, until a write makes no such allocation (sweep_alloc_op()).  A
 * failed write must leave what a user sees as it was (the snapshot of the
 * "sweep" suite), from where the next write retries; one that succeeds
 * anyway is fine.  The stock modules are swept, not the test build.
 */
#include <stdio.h>

#include "kselftest_harness.h"
#include "hotmem_util.h"
#include "sweep.h"

#define CLS	HM_PM_CLS "/"

static struct sweep_env env = {
	.clean = "rmmod hotmem_pagemap 2>/dev/null; true",
	.snapshot = SWEEP_SNAPSHOT_PAGEMAP,
};

/* the region every enable starts from: 512 MiB */
#define LOAD	"/sbin/modprobe hotmem_pagemap regions=$R:536870912"

static const struct sweep_write ops[] = {
	{ "region add (regions write)", "/sbin/modprobe hotmem_pagemap",
	  "/sys/module/hotmem_pagemap/parameters/regions", "$R:134217728", NULL, NULL },
	{ "enable ram", LOAD " && echo 268435456 > ${C}pm0.0/size",
	  "${C}pm0.0/enabled", "1", NULL, NULL },
	/* two ranges with a whole section each, a section apart */
	{ "enable dev, 2 ranges",
	  LOAD " || exit 1; "
	  "printf '%x-%x' $R $((R + 134217727)) > ${C}pm0.0/mapping || exit 1; "
	  "printf '%x-%x' $((R + 268435456)) $((R + 402653183)) > ${C}pm0.0/mapping || exit 1; "
	  "echo dev > ${C}pm0.0/memmap",
	  "${C}pm0.0/enabled", "1", NULL, NULL },
};

FIXTURE(swa) {
};

FIXTURE_SETUP(swa)
{
	__u64 start, size;

	if (!hm_exists("/proc/self/fail-nth"))
		SKIP(return,
		     "no fault injection (CONFIG_FAULT_INJECTION): the debug kernel has it");
	ASSERT_EQ(0, sweep_alloc_setup());
	ASSERT_EQ(0, hm_sr_range(&start, &size));
	ASSERT_LE(512ULL << 20, size);
	snprintf(env.vars, sizeof(env.vars), "R=%llu; C=" CLS ";", start);
	sweep_sh(&env, env.clean);
	/* failed allocations are what this suite is about */
	hm_dmesg_allow("hotmem_pagemap.*(-12|ENOMEM)");
	/* the kernel's warning, with its stack, for an allocation it failed */
	hm_dmesg_allow_block(HM_ALLOC_FAILURE_REPORT);
}

FIXTURE_TEARDOWN(swa)
{
	sweep_sh(&env, env.clean);
}

TEST_F_TIMEOUT(swa, regions_write, 600)
{
	EXPECT_EQ(0, sweep_alloc_op(&env, &ops[0]));
}

TEST_F_TIMEOUT(swa, enable_ram, 600)
{
	EXPECT_EQ(0, sweep_alloc_op(&env, &ops[1]));
}

TEST_F_TIMEOUT(swa, enable_dev_2_ranges, 600)
{
	EXPECT_EQ(0, sweep_alloc_op(&env, &ops[2]));
}

TEST_F(swa, zz_coverage)
{
	EXPECT_EQ(0, sweep_coverage_report(ARRAY_SIZE(ops)));
}

TEST_HARNESS_MAIN
