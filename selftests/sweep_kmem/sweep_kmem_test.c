// SPDX-License-Identifier: GPL-2.0
/*
 * Rollback sweeps of hotmem_kmem over the test build (vm.sh --test-build
 * --kmem hotmem): bind (the hot-add of every block), plug, unplug, unbind
 * and module load, each once per fallible kernel call it makes, with that
 * call failed.  A bind, a plug or a load must leave /proc/iomem, the memory
 * block devices, MemTotal, the hotmem sysfs files and the module reference
 * counts as they were and then succeed.  An unplug stops "partial" and an
 * unbind leaves memory stuck, as documented: writing unplug again, or
 * retry_unplug, must then end exactly where a run without failures ends.
 * Also the call log of a hot-add and an unplug.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "hotmem_util.h"
#include "sweep.h"

#define HTI	SWEEP_HTI
#define M	(1024ULL * 1024)
/* the device: 512 MiB, 4 blocks of 128 MiB */
#define DEV_SIZE	(512 * M)

static struct sweep_env env = {
	.clean = SWEEP_KMEM_CLEAN,
	.snapshot = SWEEP_SNAPSHOT_KMEM,
};

#define ADD	SWEEP_KMEM_ADD
#define UNBOUND	SWEEP_KMEM_UNBOUND
#define STATE(s)	"echo " s " > $X/hotmem/state"
/* 576 MiB: 4 blocks and a 64 MiB tail; hotmem_pagemap loaded beforehand */
#define TAIL	"echo 603979776 > $X/size && /sbin/modprobe hotmem_pagemap"
#define EXPOSE	"echo 1 > $X/hotmem/expose_stranded"

static const struct sweep_op ops[] = {
	{ "bind: hot-add 4 blocks", UNBOUND, ADD, NULL, false },
	{ "plug after an unplug", UNBOUND " && " ADD " && echo 1 > $X/hotmem/unplug",
	  "echo 1 > $X/hotmem/plug", NULL, false },
	/* an unplug that stops keeps what it removed: "partial", resumable */
	{ "unplug", UNBOUND " && " ADD, "echo 1 > $X/hotmem/unplug",
	  "echo 1 > $X/hotmem/unplug", false },
	/* an unbind cannot fail: what it could not remove is listed stuck */
	{ "unbind", UNBOUND " && " ADD, "echo $D > $K/unbind",
	  "echo 1 > $K/retry_unplug", true },
	{ "module load", "rmmod hotmem_kmem", "/sbin/modprobe kmem", NULL, false },
	/* state writes are all or nothing, from any state to any other */
	{ "state: unplugged to online_movable", UNBOUND " && " ADD " && " STATE("unplugged"),
	  STATE("online_movable"), NULL, false },
	{ "state: online_movable to unplugged", UNBOUND " && " ADD " && " STATE("online_movable"),
	  STATE("unplugged"), NULL, false },
	{ "state: online_movable to offline", UNBOUND " && " ADD " && " STATE("online_movable"),
	  STATE("offline"), NULL, false },
	/* the stranded 64 MiB tail of a 576 MiB device, exposed with the write */
	{ "state: unplugged to online, tail exposed", UNBOUND " && " TAIL " && " ADD
	  " && " EXPOSE " && " STATE("unplugged"), STATE("online"), NULL, false },
	{ "expose_stranded", UNBOUND " && " TAIL " && " ADD, EXPOSE, NULL, false },
	/* the tail goes with the last block: a stopped unplug keeps it */
	{ "unplug, tail exposed", UNBOUND " && " TAIL " && " ADD " && " EXPOSE,
	  "echo 1 > $X/hotmem/unplug", "echo 1 > $X/hotmem/unplug", false },
};

FIXTURE(swk) {
	char dev[64];
};

FIXTURE_SETUP(swk)
{
	if (hm_dax_find(self->dev, sizeof(self->dev), "/hmem"))
		SKIP(return, "no soft-reserved dax device (vm.sh -p soft-reserved)");
	ASSERT_EQ(0, hm_sr_reset(self->dev, sizeof(self->dev)));
	ASSERT_EQ(0, hm_use_hotmem_kmem());
	ASSERT_EQ(0, hm_sh(NULL, 0, "grep -qw hotmem_kmem_test_watermark /proc/kallsyms"))
		TH_LOG("not the test build: run with vm.sh --test-build");
	ASSERT_EQ(128 * M, hm_block_size());
	snprintf(env.vars, sizeof(env.vars),
		 "D=%s; X=" HM_SYS_DAX "/%s; K=/sys/bus/dax/drivers/kmem;",
		 self->dev, self->dev);
	ASSERT_EQ(0, sweep_sh(&env, env.clean));
}

FIXTURE_TEARDOWN(swk)
{
	char dev[64];

	hm_write("Y", "/sys/module/hotmem_kmem/parameters/expedite_rcu");
	sweep_sh(&env, env.clean);
	hm_sr_reset(dev, sizeof(dev));
}

TEST_F_TIMEOUT(swk, kmem_bind, 300)
{
	EXPECT_EQ(0, sweep_op(&env, &ops[0]));
}

TEST_F_TIMEOUT(swk, kmem_plug, 300)
{
	EXPECT_EQ(0, sweep_op(&env, &ops[1]));
}

TEST_F_TIMEOUT(swk, kmem_unplug, 300)
{
	EXPECT_EQ(0, sweep_op(&env, &ops[2]));
}

TEST_F_TIMEOUT(swk, kmem_unbind, 300)
{
	EXPECT_EQ(0, sweep_op(&env, &ops[3]));
}

TEST_F_TIMEOUT(swk, kmem_load, 300)
{
	EXPECT_EQ(0, sweep_op(&env, &ops[4]));
}

/* start, size and flags of each add; start and size of each remove */
static const char log_cmd[] =
	"L=" HTI "log; "
	"awk '$2 ~ /^add_memory_driver_managed#/ { print $2, $4, $5, $6 }; "
	"$2 ~ /^offline_and_remove_memory#/ { print $2, $3, $4 }' $L";

/*
 * The call log of a hot-add of 4 blocks and its unplug: one
 * add_memory_driver_managed() per block, in address order, each of one
 * block with MHP_MEMMAP_ON_MEMORY where the kernel supports it; then
 * one offline_and_remove_memory() per block, last block first.
 */
TEST_F(swk, log_add_and_unplug)
{
	char log[4096], want[2048];
	__u64 start, size;
	int n = 0, i;

	ASSERT_EQ(0, hm_sr_range(&start, &size));
	ASSERT_EQ(0, sweep_sh(&env, UNBOUND));
	hm_write("1", HTI "reset");
	ASSERT_EQ(0, sweep_sh(&env, ADD));
	ASSERT_EQ(0, sweep_sh(&env, "echo 1 > $X/hotmem/unplug"));
	/* NAME START SIZE: the size is the second argument of a remove */
	ASSERT_EQ(0, hm_sh(log, sizeof(log), "%s", log_cmd));
	/* MHP_MEMMAP_ON_MEMORY is bit 1; 6.1 learns it from the first add */
	for (i = 0; i < 4; i++)
		n += snprintf(want + n, sizeof(want) - n,
			      "add_memory_driver_managed#%d %#llx 0x8000000 0x%x\n",
			      i + 1, start + i * 128 * M, 2 | 4);
	for (i = 0; i < 4; i++)
		n += snprintf(want + n, sizeof(want) - n,
			      "offline_and_remove_memory#%d %#llx 0x8000000\n",
			      i + 1, start + (3 - i) * 128 * M);
	TH_LOG("log:\n%s", log);
	EXPECT_STREQ(want, log);
}

TEST_F_TIMEOUT(swk, kmem_state_online, 300)
{
	EXPECT_EQ(0, sweep_op(&env, &ops[5]));
}

TEST_F_TIMEOUT(swk, kmem_state_unplugged, 300)
{
	EXPECT_EQ(0, sweep_op(&env, &ops[6]));
}

TEST_F_TIMEOUT(swk, kmem_state_offline, 300)
{
	EXPECT_EQ(0, sweep_op(&env, &ops[7]));
}

TEST_F_TIMEOUT(swk, kmem_state_exposed, 300)
{
	EXPECT_EQ(0, sweep_op(&env, &ops[8]));
}

TEST_F_TIMEOUT(swk, kmem_expose_stranded, 300)
{
	EXPECT_EQ(0, sweep_op(&env, &ops[9]));
}

TEST_F_TIMEOUT(swk, kmem_unplug_exposed, 300)
{
	EXPECT_EQ(0, sweep_op(&env, &ops[10]));
}

/*
 * the hotplug calls and the RCU expedite calls of the log, "NAME[ A0]",
 * runs of one line as "COUNT LINE"
 */
static const char log_rcu_cmd[] =
	"awk '$2 ~ /^(rcu_|add_mem|offline_and|kernel_write)/ { n = $2; "
	"sub(/#.*/, \"\", n); if (n ~ /^rcu/) print n, $3; else print n }' "
	HTI "log | uniq -c | awk '{ $1 = $1; print }'";

#define EXP_PARAM	"/sys/module/hotmem_kmem/parameters/expedite_rcu"

/*
 * expedite_rcu: a bind expedites RCU grace periods around its adds, a
 * state write around its adds and around its onlining, and each puts them
 * back (the shim logs whether grace periods are expedited after each
 * call); an unplug's offlining and removal never (an offlining may retry
 * until a signal).  With expedite_rcu=0 nothing is.  A bad value is
 * refused and changes nothing.
 */
TEST_F(swk, log_rcu_expedited)
{
	static const char on[] =
		"1 rcu_expedite_gp 0x1\n4 add_memory_driver_managed\n"
		"1 rcu_unexpedite_gp 0x0\n4 offline_and_remove_memory\n"
		"1 rcu_expedite_gp 0x1\n4 add_memory_driver_managed\n"
		"1 rcu_unexpedite_gp 0x0\n1 rcu_expedite_gp 0x1\n4 kernel_write\n"
		"1 rcu_unexpedite_gp 0x0\n";
	static const char off[] =
		"4 add_memory_driver_managed\n4 offline_and_remove_memory\n"
		"4 add_memory_driver_managed\n4 kernel_write\n";
	char log[4096], val[16];
	int x;

	for (x = 1; x >= 0; x--) {
		ASSERT_EQ(0, sweep_sh(&env, UNBOUND));
		ASSERT_LT(0, hm_read_str(val, sizeof(val), EXP_PARAM));
		EXPECT_STREQ(x ? "Y" : "N", val);
		hm_write("1", HTI "reset");
		ASSERT_EQ(0, sweep_sh(&env, ADD));
		ASSERT_EQ(0, sweep_sh(&env, "echo 1 > $X/hotmem/unplug"));
		ASSERT_EQ(0, sweep_sh(&env, STATE("online_movable")));
		ASSERT_EQ(0, hm_sh(log, sizeof(log), "%s", log_rcu_cmd));
		EXPECT_STREQ(x ? on : off, log);
		ASSERT_EQ(0, sweep_sh(&env, env.clean));
		EXPECT_EQ(0, hm_write("0", EXP_PARAM));
		EXPECT_EQ(-EINVAL, hm_write("yes", EXP_PARAM));
		EXPECT_EQ(-EINVAL, hm_write("2", EXP_PARAM));
	}
	EXPECT_EQ(0, hm_write("Y", EXP_PARAM));
}

/*
 * The call log of a state write to online_movable from unplugged: the 4
 * blocks added in address order, then each onlined through its memory
 * block's state file (14 bytes, "online_movable"), the first block first
 * and the others backwards (hkm_order()).
 */
TEST_F(swk, log_state_online_order)
{
	char log[4096], want[2048];
	__u64 start, size, b0;
	int n = 0, i;
	static const int order[] = { 0, 3, 2, 1 };

	ASSERT_EQ(0, hm_sr_range(&start, &size));
	b0 = start / (128 * M);
	ASSERT_EQ(0, sweep_sh(&env, UNBOUND " && " ADD " && " STATE("unplugged")));
	hm_write("1", HTI "reset");
	ASSERT_EQ(0, sweep_sh(&env, STATE("online_movable")));
	ASSERT_EQ(0, hm_sh(log, sizeof(log), "L=" HTI "log; "
			   "awk '$2 ~ /^add_memory_driver_managed#/ { print $2, $4 }; "
			   "$2 ~ /^kernel_write#/ { print $2, $3, $4 }' $L"));
	for (i = 0; i < 4; i++)
		n += snprintf(want + n, sizeof(want) - n,
			      "add_memory_driver_managed#%d %#llx\n", i + 1,
			      start + i * 128 * M);
	for (i = 0; i < 4; i++)
		n += snprintf(want + n, sizeof(want) - n, "kernel_write#%d %#llx 0xe\n",
			      i + 1, b0 + order[i]);
	TH_LOG("log:\n%s", log);
	EXPECT_STREQ(want, log);
}

TEST_F(swk, zz_coverage)
{
	EXPECT_EQ(0, sweep_coverage_report(ARRAY_SIZE(ops)));
}

TEST_HARNESS_MAIN
