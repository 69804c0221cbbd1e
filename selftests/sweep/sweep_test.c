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
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "hotmem_util.h"

#define HTI	"/sys/kernel/debug/hotmem_test_iomap/"
#define CLS	"/sys/class/hotmem/"
#define M	(1024ULL * 1024)
#define MAX_SITES	256

/* the errno every injected failure returns */
#define SWEEP_ERRNO	5	/* EIO */

/* what a user sees of hotmem_pagemap */
static const char snapshot_cmd[] =
	"cat /proc/iomem; grep -E '^hotmem' /proc/modules | cut -d' ' -f1-3; "
	"grep -w hotmem /proc/devices; ls /dev | grep '^pm'; "
	"cat /sys/module/hotmem_pagemap/parameters/regions 2>/dev/null; "
	"for f in " CLS "*/* " CLS "*/mapping*/*; do "
	"[ -f \"$f\" ] && printf '%s: %s\\n' \"$f\" \"$(cat \"$f\" 2>&1)\"; done";

/**
 * struct op - one user-visible operation
 * @name: what the coverage line calls it
 * @pre: shell commands bringing a clean system to the state it starts in
 * @run: the operation, one shell command; exit status 0 means success
 */
struct op {
	const char *name;
	const char *pre;
	const char *run;
};

/* one fallible call the operation made: the N-th call of SYM */
struct site {
	char sym[64];
	unsigned long long nth;
	char caller[128];
};

static __u64 sr_start;

/* back to nothing loaded but the shim */
static void clean(void)
{
	hm_sh(NULL, 0, "rmmod hotmem_pagemap_example 2>/dev/null; "
		       "rmmod hotmem_pagemap hotmem_kmem 2>/dev/null; "
		       "/sbin/modprobe hotmem_test_iomap");
}

/* run @cmd with R set to the soft-reserved start (decimal) */
static int sh_r(const char *cmd)
{
	return hm_sh(NULL, 0, "R=%llu; C=" CLS "; %s", sr_start, cmd);
}

static int snapshot(char *buf, size_t len)
{
	return hm_sh(buf, len, "%s", snapshot_cmd) < 0 ? -EIO : 0;
}

/* the can_fail calls of the last run, in call order */
static int sites_from_log(struct site *s, int max)
{
	char sym[64], line[512], caller[128];
	unsigned long long seq, nth;
	char *log, *p, *nl;
	int n = 0;

	log = malloc(1 << 22);
	if (!log || hm_read_str(log, 1 << 22, HTI "log") < 0) {
		free(log);
		return -EIO;
	}
	for (p = log; *p && n < max; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p) - 1;
		snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
		if (sscanf(line, "%llu %63[^#]#%llu %127s", &seq, sym, &nth, caller) != 4)
			continue;
		if (!hm_sh(NULL, 0, "grep -q '^%s can_fail' " HTI "symbols", sym)) {
			snprintf(s[n].sym, sizeof(s[n].sym), "%s", sym);
			s[n].nth = nth;
			snprintf(s[n].caller, sizeof(s[n].caller), "%s", caller);
			n++;
		}
		if (!nl[1])
			break;
	}
	free(log);
	return n;
}

/* record the coverage of one operation for the summary test */
static void coverage(const char *op, int sites, int passed)
{
	FILE *f = fopen("/run/hotmem-sweep-coverage", "a");

	if (f) {
		fprintf(f, "%s %d %d\n", op, sites, passed);
		fclose(f);
	}
}

/*
 * Sweep @op: a clean run for the call sites, then one run per site with
 * that call failed.  Returns the number of sites that did not roll back.
 */
static int sweep(struct __test_metadata *_metadata, const struct op *op)
{
	static char before[1 << 16], after[1 << 16];
	struct site *s = calloc(MAX_SITES, sizeof(*s));
	int n, i, bad = 0;

	clean();
	if (!s || sh_r(op->pre)) {
		TH_LOG("%s: set-up failed", op->name);
		free(s);
		return -1;
	}
	hm_write("1", HTI "reset");
	if (sh_r(op->run)) {
		TH_LOG("%s: fails without injection", op->name);
		free(s);
		return -1;
	}
	n = sites_from_log(s, MAX_SITES);
	for (i = 0; i < n; i++) {
		char rule[128];
		int rc;

		clean();
		sh_r(op->pre);
		snapshot(before, sizeof(before));
		hm_write("1", HTI "reset");
		snprintf(rule, sizeof(rule), "%s %llu %d", s[i].sym, s[i].nth, SWEEP_ERRNO);
		if (hm_write(rule, HTI "fail")) {
			TH_LOG("%s: cannot set rule %s", op->name, rule);
			bad++;
			continue;
		}
		rc = sh_r(op->run);
		hm_write("1", HTI "reset");
		snapshot(after, sizeof(after));
		if (!rc) {
			TH_LOG("%s: %s#%llu (%s) failed, the operation succeeded",
			       op->name, s[i].sym, s[i].nth, s[i].caller);
			bad++;
		} else if (strcmp(before, after)) {
			TH_LOG("%s: %s#%llu (%s) failed: state not rolled back",
			       op->name, s[i].sym, s[i].nth, s[i].caller);
			TH_LOG("before:\n%s\nafter:\n%s", before, after);
			bad++;
		} else if (sh_r(op->run)) {
			TH_LOG("%s: fails on retry after %s#%llu", op->name, s[i].sym,
			       s[i].nth);
			bad++;
		}
	}
	TH_LOG("%s: %d call sites swept, %d rolled back and retried", op->name, n,
	       n - bad);
	coverage(op->name, n, n - bad);
	clean();
	free(s);
	return bad;
}

FIXTURE(sw) {
	char buf[256];
};

FIXTURE_SETUP(sw)
{
	__u64 size;

	ASSERT_EQ(0, hm_sr_range(&sr_start, &size));
	ASSERT_LE(512 * M, size);
	clean();
	/* the test build, never the stock modules */
	ASSERT_EQ(0, hm_sh(NULL, 0, "/sbin/modprobe hotmem_pagemap && "
			   "grep -qw hotmem_pagemap_test_watermark /proc/kallsyms"))
		TH_LOG("not the test build: run with vm.sh --test-build");
	clean();
}

FIXTURE_TEARDOWN(sw)
{
	clean();
}

#define LOAD	"/sbin/modprobe hotmem_pagemap regions=$R:268435456"

static const struct op ops[] = {
	{ "module load", "true", LOAD },
	{ "regions write", "/sbin/modprobe hotmem_pagemap",
	  "echo $R:134217728,$((R + 134217728)):134217728 > "
	  "/sys/module/hotmem_pagemap/parameters/regions" },
	{ "instance create", LOAD, "echo 1 > ${C}region0/create" },
	{ "instance grow", LOAD, "echo 268435456 > ${C}pm0.0/size" },
	{ "instance grow into holes", LOAD
	  " && echo 4194304 > ${C}pm0.0/size && echo 1 > ${C}region0/create"
	  " && echo 4194304 > ${C}pm0.1/size && echo 0 > ${C}pm0.0/size",
	  "echo 16777216 > ${C}pm0.0/size" },
	{ "instance mapping", LOAD,
	  "printf '%x-%x' $((R + 33554432)) $((R + 67108863)) > ${C}pm0.0/mapping" },
	{ "enable ram", LOAD " && echo 268435456 > ${C}pm0.0/size",
	  "echo 1 > ${C}pm0.0/enabled" },
	{ "enable dev, 2 ranges", LOAD
	  " && printf '%x-%x' $R $((R + 134217727)) > ${C}pm0.0/mapping"
	  " && printf '%x-%x' $((R + 150994944)) $((R + 268435455)) > ${C}pm0.0/mapping"
	  " && echo dev > ${C}pm0.0/memmap",
	  "echo 1 > ${C}pm0.0/enabled" },
	{ "instance delete", LOAD " && echo 1 > ${C}region0/create",
	  "echo pm0.1 > ${C}region0/delete" },
	{ "api region add", "/sbin/modprobe hotmem_pagemap",
	  "/sbin/modprobe hotmem_pagemap_example range=$R:134217728" },
};

#define SWEEP_TEST(id, i)				\
	TEST_F(sw, id)					\
	{						\
		EXPECT_EQ(0, sweep(_metadata, &ops[i]));	\
	}

SWEEP_TEST(pagemap_load, 0)
SWEEP_TEST(pagemap_regions_write, 1)
SWEEP_TEST(pagemap_create, 2)
SWEEP_TEST(pagemap_grow, 3)
SWEEP_TEST(pagemap_grow_holes, 4)
SWEEP_TEST(pagemap_mapping, 5)
SWEEP_TEST(pagemap_enable_ram, 6)
SWEEP_TEST(pagemap_enable_dev_multi, 7)
SWEEP_TEST(pagemap_delete, 8)
SWEEP_TEST(pagemap_api_add, 9)

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
	ASSERT_EQ(0, hm_sh(log, sizeof(log), "grep -E ' memu?n?map_pages#' " HTI "log | "
			   "awk '{ print $2, $4, $5, $7 }'"));
	snprintf(want, sizeof(want),
		 "memremap_pages#1 %#llx %#llx 0x1\n"
		 "memremap_pages#2 %#llx %#llx 0x1\n"
		 "memunmap_pages#1 %#llx %#llx 0\n"
		 "memunmap_pages#2 %#llx %#llx 0\n",
		 sr_start, sr_start + 128 * M - 1,
		 sr_start + 144 * M, sr_start + 256 * M - 1,
		 sr_start + 144 * M, sr_start + 256 * M - 1,
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
	char buf[4096];
	int ops_n = 0, sites = 0, passed = 0, s, p;
	char *line, *save;

	ASSERT_LT(0, hm_read_str(buf, sizeof(buf), "/run/hotmem-sweep-coverage"))
		TH_LOG("no sweep ran before this test");
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *sp = strrchr(line, ' ');

		*sp = '\0';
		p = atoi(sp + 1);
		sp = strrchr(line, ' ');
		*sp = '\0';
		s = atoi(sp + 1);
		ksft_print_msg("coverage: %-28s %3d call sites, %3d rolled back\n", line, s, p);
		ops_n++;
		sites += s;
		passed += p;
	}
	ksft_print_msg("coverage: %d operations x %d call sites swept, %d passing\n",
		       ops_n, sites, passed);
	EXPECT_EQ(sites, passed);
	EXPECT_EQ(ARRAY_SIZE(ops), ops_n);
}

TEST_HARNESS_MAIN
