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
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <hotmem/pagemap.h>

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

/* pages the migration operations move: each is a call site or more */
#define MIG_PAGES	4

static int hm_open_dev(const char *name)
{
	char dev[64];

	snprintf(dev, sizeof(dev), "/dev/%s", name);
	return open(dev, O_RDWR);
}

/*
 * The migration operations need a process: this binary, run again with
 * SWEEP_MIGRATE=pmR.I (in and out with the ioctls) or pmR.I:evict (in,
 * then "evict").  It exits 0 only if every step succeeded and the data came
 * back intact; its memory goes with it, so a failed step leaves nothing
 * allocated.
 */
static int migrate_helper(const char *arg)
{
	struct hotmem_pm_migrate m = { .npages = MIG_PAGES };
	size_t len = MIG_PAGES * 4096, i;
	char name[32], *evict, *p;
	int fd, rc;

	snprintf(name, sizeof(name), "%s", arg);
	evict = strchr(name, ':');
	if (evict)
		*evict = 0;
	fd = hm_open_dev(name);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fd < 0 || p == MAP_FAILED)
		return 2;
	for (i = 0; i < len; i++)
		p[i] = i * 7 + 1;
	m.addr = (unsigned long)p;
	if (ioctl(fd, HOTMEM_PM_MIGRATE_TO_DEV, &m) || m.done != MIG_PAGES)
		return 3;
	if (evict) {
		rc = hm_write("1", CLS "%s/evict", name);
	} else {
		m.done = 0;
		rc = ioctl(fd, HOTMEM_PM_MIGRATE_TO_RAM, &m) || m.done != MIG_PAGES;
	}
	if (rc)
		return 4;
	for (i = 0; i < len; i++)
		if (p[i] != (char)(i * 7 + 1))
			return 5;
	return 0;
}

static void __attribute__((constructor)) migrate_helper_run(void)
{
	const char *arg = getenv("SWEEP_MIGRATE");

	if (arg)
		_exit(migrate_helper(arg));
}

/* does this kernel have device-private memory (an export only it has)? */
static bool have_device_private(void)
{
	return hm_sh(NULL, 0, "grep -qw make_device_exclusive_range /proc/kallsyms") == 0;
}

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
	char self_exe[128] = "";

	ASSERT_LT(0, readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1));
	snprintf(env.vars, sizeof(env.vars), "R=%llu; C=" CLS "; S=%s;", sr_start,
		 self_exe);
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
	{ "enable coherent, dev",
	  LOAD " || exit 1; echo 134217728 > ${C}pm0.0/size || exit 1; "
	  "echo coherent > ${C}pm0.0/type && echo dev > ${C}pm0.0/memmap",
	  "echo 1 > ${C}pm0.0/enabled", NULL, false },
	{ "migrate in and out",
	  LOAD " || exit 1; echo 4194304 > ${C}pm0.0/size || exit 1; "
	  "echo coherent > ${C}pm0.0/type && echo 1 > ${C}pm0.0/enabled",
	  "SWEEP_MIGRATE=pm0.0 $S", NULL, false },
	{ "migrate in, evict",
	  LOAD " || exit 1; echo 4194304 > ${C}pm0.0/size || exit 1; "
	  "echo coherent > ${C}pm0.0/type && echo 1 > ${C}pm0.0/enabled",
	  "SWEEP_MIGRATE=pm0.0:evict $S", NULL, false },
	/* last: only on a kernel with CONFIG_DEVICE_PRIVATE */
	{ "enable private",
	  LOAD " && echo 4194304 > ${C}pm0.0/size && echo private > ${C}pm0.0/type",
	  "echo 1 > ${C}pm0.0/enabled", NULL, false },
};

/* the operations a kernel without device-private memory cannot do */
static int ops_unsupported(void)
{
	return have_device_private() ? 0 : 1;
}

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

TEST_F_TIMEOUT(sw, pagemap_enable_coherent_dev, 300)
{
	EXPECT_EQ(0, sweep_op(&env, &ops[10]));
}

TEST_F_TIMEOUT(sw, pagemap_migrate, 300)
{
	EXPECT_EQ(0, sweep_op(&env, &ops[11]));
}

TEST_F_TIMEOUT(sw, pagemap_evict, 300)
{
	EXPECT_EQ(0, sweep_op(&env, &ops[12]));
}

TEST_F_TIMEOUT(sw, pagemap_enable_private, 300)
{
	if (ops_unsupported())
		SKIP(return, "kernel without CONFIG_DEVICE_PRIVATE");
	EXPECT_EQ(0, sweep_op(&env, &ops[13]));
}

/*
 * The call log: an instance of K ranges with memmap "dev" made K
 * memremap_pages() calls, one per range, each with an altmap; disabling
 * made K memunmap_pages() calls, one per range, from workers at once (in
 * any order: sorted here).
 */
TEST_F(sw, log_dev_ranges_altmap)
{
	char log[1 << 14], want[512];

	ASSERT_EQ(0, sh_r(ops[7].pre));
	hm_write("1", HTI "reset");
	ASSERT_EQ(0, sh_r(ops[7].run));
	ASSERT_EQ(0, sh_r("echo 0 > ${C}pm0.0/enabled"));
	/* start, end and altmap of each memremap_pages() and memunmap_pages() */
	ASSERT_EQ(0, hm_sh(log, sizeof(log), "L=" HTI "log; %s; %s | sort",
			   "grep -E ' memremap_pages#' $L | awk '{ print $2, $3, $4, $6 }'",
			   "grep -E ' memunmap_pages#' $L | awk '{ print $3, $4, $6 }'"));
	snprintf(want, sizeof(want),
		 "memremap_pages#1 %#llx %#llx 0x1\n"
		 "memremap_pages#2 %#llx %#llx 0x1\n"
		 "%#llx %#llx 0x0\n"
		 "%#llx %#llx 0x0\n",
		 sr_start, sr_start + 128 * M - 1,
		 sr_start + 256 * M, sr_start + 384 * M - 1,
		 sr_start, sr_start + 128 * M - 1,
		 sr_start + 256 * M, sr_start + 384 * M - 1);
	EXPECT_STREQ(want, log);
}

/* the pgmap calls and the RCU expedite calls of the log: "NAME[ A0]" */
static const char log_rcu_cmd[] =
	"awk '$2 ~ /^(rcu_(un)?expedite_gp|mem(re|un)map_pages)#/ { "
	"n = $2; sub(/#.*/, \"\", n); "
	"if (n ~ /^rcu/) print n, $3; else print n }' " HTI "log";

#define EXP_PARAM	"/sys/module/hotmem_pagemap/parameters/expedite_rcu"

/*
 * expedite_rcu: enabling and disabling an instance of 2 ranges each
 * expedite RCU grace periods once around all their memremap_pages() or
 * memunmap_pages() calls (the shim logs whether grace periods are
 * expedited after each call), and put them back; with expedite_rcu=0
 * neither does.  A bad value is refused and changes nothing.
 */
TEST_F(sw, log_rcu_expedited)
{
	static const char on[] =
		"rcu_expedite_gp 0x1\nmemremap_pages\nmemremap_pages\n"
		"rcu_unexpedite_gp 0x0\n"
		"rcu_expedite_gp 0x1\nmemunmap_pages\nmemunmap_pages\n"
		"rcu_unexpedite_gp 0x0\n";
	static const char off[] =
		"memremap_pages\nmemremap_pages\nmemunmap_pages\nmemunmap_pages\n";
	char log[4096], val[16];
	int x;

	ASSERT_EQ(0, sh_r(ops[7].pre));
	for (x = 1; x >= 0; x--) {
		ASSERT_LT(0, hm_read_str(val, sizeof(val), EXP_PARAM));
		EXPECT_STREQ(x ? "Y" : "N", val);
		hm_write("1", HTI "reset");
		ASSERT_EQ(0, sh_r(ops[7].run));
		ASSERT_EQ(0, sh_r("echo 0 > ${C}pm0.0/enabled"));
		ASSERT_EQ(0, hm_sh(log, sizeof(log), "%s", log_rcu_cmd));
		EXPECT_STREQ(x ? on : off, log);
		EXPECT_EQ(0, hm_write("0", EXP_PARAM));
		EXPECT_EQ(-EINVAL, hm_write("yes", EXP_PARAM));
		EXPECT_EQ(-EINVAL, hm_write("2", EXP_PARAM));
		EXPECT_EQ(-EINVAL, hm_write("on", EXP_PARAM));
	}
	EXPECT_EQ(0, hm_write("Y", EXP_PARAM));
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
	EXPECT_EQ(0, sweep_coverage_report(ARRAY_SIZE(ops) - ops_unsupported()));
}

TEST_HARNESS_MAIN
