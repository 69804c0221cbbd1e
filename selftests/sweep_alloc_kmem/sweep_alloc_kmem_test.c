// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation-failure sweeps of hotmem_kmem, below the --wrap line: on a
 * kernel with failslab and fail_page_alloc (the debug kernel), a bind
 * (the hot-add of 2 blocks), a plug of 2 blocks and an unplug are run with
 * the 1st, 2nd, ... slab or page allocation of the writing task failed,
 * inside hotmem_kmem or inside the kernel's memory hotplug, until a write
 * makes no such allocation.  Two blocks, not four: every allocation of a
 * block is failed once in the first block (nothing added before it) and
 * once in the second (the first to take back); a third and fourth block
 * only repeat the second's, and doubled the allocations and the time
 * (4 blocks: 296 allocations for the bind, 14 minutes on the debug
 * kernel).  A failed bind or plug must leave what a user
 * sees (the snapshot of the "sweep_kmem" suite) as it was and then
 * succeed; an unplug that stops must resume to where a clean one ends.
 * The stock module is swept, not the test build.
 */
#include <stdio.h>

#include "kselftest_harness.h"
#include "hotmem_util.h"
#include "sweep.h"

#define M	(1024ULL * 1024)

static struct sweep_env env = {
	.clean = SWEEP_KMEM_CLEAN,
	.snapshot = SWEEP_SNAPSHOT_KMEM,
};

#define ADD	SWEEP_KMEM_ADD
#define UNBOUND	SWEEP_KMEM_UNBOUND

static const struct sweep_write ops[] = {
	/* new_id says nothing of a failed probe: the device must be bound */
	{ "bind: hot-add 2 blocks", UNBOUND, "$K/new_id", "$D", NULL,
	  "[ -e $X/hotmem ]" },
	{ "plug of 2 blocks", UNBOUND " && " ADD " && echo 1 > $X/hotmem/unplug",
	  "$X/hotmem/plug", "1", NULL, NULL },
	/* an unplug that stops keeps what it removed: "partial", resumable */
	{ "unplug", UNBOUND " && " ADD, "$X/hotmem/unplug", "1",
	  "echo 1 > $X/hotmem/unplug", NULL },
	/* state writes: all or nothing, the kernel's onlining included */
	{ "state: unplugged to online_movable",
	  UNBOUND " && " ADD " && echo unplugged > $X/hotmem/state",
	  "$X/hotmem/state", "online_movable", NULL, NULL },
	{ "state: online_movable to unplugged",
	  UNBOUND " && " ADD " && echo online_movable > $X/hotmem/state",
	  "$X/hotmem/state", "unplugged", NULL, NULL },
	/* 320 MiB: 2 blocks and a 64 MiB tail exposed with the write */
	{ "state: unplugged to online, tail exposed",
	  UNBOUND " && echo 335544320 > $X/size && /sbin/modprobe hotmem_pagemap && "
	  ADD " && echo 1 > $X/hotmem/expose_stranded && echo unplugged > $X/hotmem/state",
	  "$X/hotmem/state", "online", NULL, NULL },
};

FIXTURE(swak) {
	char dev[64];
};

FIXTURE_SETUP(swak)
{
	if (!hm_exists("/proc/self/fail-nth"))
		SKIP(return,
		     "no fault injection (CONFIG_FAULT_INJECTION): the debug kernel has it");
	if (hm_dax_find(self->dev, sizeof(self->dev), "/hmem"))
		SKIP(return, "no soft-reserved dax device (vm.sh -p soft-reserved)");
	ASSERT_EQ(0, sweep_alloc_setup());
	ASSERT_EQ(0, hm_sr_reset(self->dev, sizeof(self->dev)));
	ASSERT_EQ(0, hm_use_hotmem_kmem());
	ASSERT_EQ(128 * M, hm_block_size());
	snprintf(env.vars, sizeof(env.vars),
		 "D=%s; X=" HM_SYS_DAX "/%s; K=/sys/bus/dax/drivers/kmem; SZ=%llu;",
		 self->dev, self->dev, 256 * M);
	ASSERT_EQ(0, sweep_sh(&env, env.clean));
	/* failed allocations are what this suite is about */
	hm_dmesg_allow("kmem dax[0-9.]+: .*(-12|ENOMEM)");
	/* the kernel's warning, with its stack, for an allocation it failed */
	hm_dmesg_allow_block(HM_ALLOC_FAILURE_REPORT);
}

FIXTURE_TEARDOWN(swak)
{
	char dev[64];

	sweep_sh(&env, env.clean);
	hm_sr_reset(dev, sizeof(dev));
}

TEST_F_TIMEOUT(swak, bind, 900)
{
	EXPECT_EQ(0, sweep_alloc_op(&env, &ops[0]));
}

TEST_F_TIMEOUT(swak, plug, 900)
{
	EXPECT_EQ(0, sweep_alloc_op(&env, &ops[1]));
}

TEST_F_TIMEOUT(swak, unplug, 900)
{
	EXPECT_EQ(0, sweep_alloc_op(&env, &ops[2]));
}

TEST_F_TIMEOUT(swak, state_online, 900)
{
	EXPECT_EQ(0, sweep_alloc_op(&env, &ops[3]));
}

TEST_F_TIMEOUT(swak, state_unplugged, 900)
{
	EXPECT_EQ(0, sweep_alloc_op(&env, &ops[4]));
}

TEST_F_TIMEOUT(swak, state_exposed, 900)
{
	EXPECT_EQ(0, sweep_alloc_op(&env, &ops[5]));
}

TEST_F(swak, zz_coverage)
{
	EXPECT_EQ(0, sweep_coverage_report(ARRAY_SIZE(ops)));
}

TEST_HARNESS_MAIN
