// SPDX-License-Identifier: GPL-2.0
/*
 * Rollback sweeps over the test build (vm.sh --test-build): every
 * user-visible operation of hotmem_pagemap is run once with the shim's
 * call log on, and then once per fallible kernel call it made, with that
 * call failed.  Each failed run must leave what a user sees exactly as it
 * was (/proc/iomem, /proc/modules reference counts, the char device
 * numbers, every hotmem sysfs file, the region parameter) and the same
 * operation must then succeed.  Call sites come from the log, so a new
 * call is swept without touching this file.  Coverage is printed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "hotmem_util.h"

#include "sweep.h"

#define HTI	SWEEP_HTI
#define CLS	HM_PM_CLS "/"
#define M	(1024ULL * 1024)

static struct sweep_env env = {
	.clean = "rmmod hotmem_pagemap_example 2>/dev/null; "
		 "rmmod hotmem_pagemap 2>/dev/null; /sbin/modprobe hotmem_test_iomap",
	.snapshot = SWEEP_SNAPSHOT_PAGEMAP,
};

static __u64 sr_start;

/* the test build, never the stock modules */
static const char watermark_cmd[] =
	"/sbin/modprobe hotmem_pagemap || exit 1; "
	"grep -qw hotmem_pagemap_test_watermark /proc/kallsyms";

static int sh_r(const char *cmd)
{
	return sweep_sh(&env, cmd);
}

FIXTURE(sw) {
	char buf[256];
};

FIXTURE_SETUP(sw)
{
	__u64 size;

	ASSERT_EQ(0, hm_sr_range(&sr_start, &size));
	ASSERT_LE(512 * M, size);
	snprintf(env.vars, sizeof(env.vars), "R=%llu; C=" CLS ";", sr_start);
	sh_r(env.clean);
	/* the test build, never the stock modules */
	ASSERT_EQ(0, hm_sh(NULL, 0, "%s", watermark_cmd))
		TH_LOG("not the test build: run with vm.sh --test-build");
	sh_r(env.clean);
}

FIXTURE_TEARDOWN(sw)
{
	sh_r(env.clean);
}

/* the region every operation but the first two starts from: 512 MiB */
#define LOAD	"/sbin/modprobe hotmem_pagemap regions=$R:536870912"

static const struct sweep_op ops[] = {
	{ "module load", "true", LOAD, NULL, false },
	{ "regions write", "/sbin/modprobe hotmem_pagemap",
	  "P=/sys/module/hotmem_pagemap/parameters/regions; "
	  "echo $R:134217728,$((R + 134217728)):134217728 > $P",
	  NULL, false },
	{ "instance create", LOAD, "echo 1 > ${C}region0/create", NULL, false },
	{ "instance grow", LOAD, "echo 268435456 > ${C}pm0.0/size", NULL, false },
	{ "instance grow into holes",
	  LOAD " || exit 1; "
	  "echo 4194304 > ${C}pm0.0/size || exit 1; "
	  "echo 1 > ${C}region0/create || exit 1; "
	  "echo 4194304 > ${C}pm0.1/size || exit 1; "
	  "echo 0 > ${C}pm0.0/size",
	  "echo 16777216 > ${C}pm0.0/size", NULL, false },
	{ "instance mapping", LOAD,
	  "printf '%x-%x' $((R + 33554432)) $((R + 67108863)) > ${C}pm0.0/mapping",
	  NULL, false },
	{ "enable ram", LOAD " && echo 268435456 > ${C}pm0.0/size",
	  "echo 1 > ${C}pm0.0/enabled", NULL, false },
	/* two ranges with a whole section each, a section apart */
	{ "enable dev, 2 ranges",
	  LOAD " || exit 1; "
	  "printf '%x-%x' $R $((R + 134217727)) > ${C}pm0.0/mapping || exit 1; "
	  "printf '%x-%x' $((R + 268435456)) $((R + 402653183)) > ${C}pm0.0/mapping || exit 1; "
	  "echo dev > ${C}pm0.0/memmap",
	  "echo 1 > ${C}pm0.0/enabled", NULL, false },
	{ "instance delete", LOAD " && echo 1 > ${C}region0/create",
	  "echo pm0.1 > ${C}region0/delete", NULL, false },
	{ "api region add", "/sbin/modprobe hotmem_pagemap",
	  "/sbin/modprobe hotmem_pagemap_example range=$R:134217728", NULL, false },
};

TEST_F_TIMEOUT(sw, pagemap_load, 300)
{
	EXPECT_EQ(0, sweep_op(&env, &ops[0]));
}

TEST_F_TIMEOUT(sw, pagemap_regions_write, 300)
{
	EXPECT_EQ(0, sweep_op(&env, &ops[1]));
}

TEST_F_TIMEOUT(sw, pagemap_create, 300)
{
	EXPECT_EQ(0, sweep_op(&env, &ops[2]));
}

TEST_F_TIMEOUT(sw, pagemap_grow, 300)
{
	EXPECT_EQ(0, sweep_op(&env, &ops[3]));
}

TEST_F_TIMEOUT(sw, pagemap_grow_holes, 300)
{
	EXPECT_EQ(0, sweep_op(&env, &ops[4]));
}

TEST_F_TIMEOUT(sw, pagemap_mapping, 300)
{
	EXPECT_EQ(0, sweep_op(&env, &ops[5]));
}

TEST_F_TIMEOUT(sw, pagemap_enable_ram, 300)
{
	EXPECT_EQ(0, sweep_op(&env, &ops[6]));
}

TEST_F_TIMEOUT(sw, pagemap_enable_dev_multi, 300)
{
	EXPECT_EQ(0, sweep_op(&env, &ops[7]));
}

TEST_F_TIMEOUT(sw, pagemap_delete, 300)
{
	EXPECT_EQ(0, sweep_op(&env, &ops[8]));
}

TEST_F_TIMEOUT(sw, pagemap_api_add, 300)
{
	EXPECT_EQ(0, sweep_op(&env, &ops[9]));
}

/* start, end and altmap of each memremap_pages() and memunmap_pages() */
static const char log_cmd[] =
	"L=" HTI "log; "
	"grep -E ' mem(re|un)map_pages#' $L | awk '{ print $2, $3, $4, $6 }'";

/*
 * The call log: an instance of K ranges with memmap "dev" made K
 * memremap_pages() calls, one per range, each with an altmap; disabling
 * made K memunmap_pages() calls, last range first.
 */
TEST_F(sw, log_dev_ranges_altmap)
{
	char log[1 << 14], want[512];

	ASSERT_EQ(0, sh_r(ops[7].pre));
	hm_write("1", HTI "reset");
	ASSERT_EQ(0, sh_r(ops[7].run));
	ASSERT_EQ(0, sh_r("echo 0 > ${C}pm0.0/enabled"));
	ASSERT_EQ(0, hm_sh(log, sizeof(log), "%s", log_cmd));
	snprintf(want, sizeof(want),
		 "memremap_pages#1 %#llx %#llx 0x1\n"
		 "memremap_pages#2 %#llx %#llx 0x1\n"
		 "memunmap_pages#1 %#llx %#llx 0x0\n"
		 "memunmap_pages#2 %#llx %#llx 0x0\n",
		 sr_start, sr_start + 128 * M - 1,
		 sr_start + 256 * M, sr_start + 384 * M - 1,
		 sr_start + 256 * M, sr_start + 384 * M - 1,
		 sr_start, sr_start + 128 * M - 1);
	EXPECT_STREQ(want, log);
}

/* a rule on a call that cannot fail, or for no such call, is refused */
TEST_F(sw, debugfs_rules)
{
	EXPECT_EQ(-EOPNOTSUPP, hm_write("memunmap_pages 1 5", HTI "fail"));
	EXPECT_EQ(-ENOENT, hm_write("no_such_function 1 5", HTI "fail"));
	EXPECT_EQ(-EINVAL, hm_write("memremap_pages 0 5", HTI "fail"));
	EXPECT_EQ(-EINVAL, hm_write("memremap_pages 3-2 5", HTI "fail"));
	EXPECT_EQ(-EINVAL, hm_write("memremap_pages 1 0", HTI "fail"));
	EXPECT_EQ(-EINVAL, hm_write("memremap_pages 1", HTI "fail"));
	EXPECT_EQ(0, hm_write("memremap_pages 2- 12", HTI "fail"));
	ASSERT_LT(0, hm_read_str(self->buf, sizeof(self->buf), HTI "fail"));
	EXPECT_STREQ("memremap_pages 2-18446744073709551615 12", self->buf);
	EXPECT_EQ(0, hm_write("memremap_pages off", HTI "fail"));
	ASSERT_LE(0, hm_read_str(self->buf, sizeof(self->buf), HTI "fail"));
	EXPECT_STREQ("", self->buf);
}

/* every operation swept above, with the call sites it had */
TEST_F(sw, zz_coverage)
{
	EXPECT_EQ(0, sweep_coverage_report(ARRAY_SIZE(ops)));
}

TEST_HARNESS_MAIN
