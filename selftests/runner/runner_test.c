// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of the VM test runner, not of the kernel: each test ends in a
 * known way (pass, skip, failed assertion, unexpected or declared kernel
 * WARN, hang) and scripts/check.sh asserts the runner reports exactly that.
 * Not part of the normal suites.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "hotmem_util.h"

#define FAKE_WARN "WARNING: CPU: 0 PID: 1 at hotmem-runner-selftest\n"

static int log_kmsg(const char *line)
{
	int fd = open("/dev/kmsg", O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, line, strlen(line));
	close(fd);
	return n == (ssize_t)strlen(line) ? 0 : -1;
}

/* passes: the runner must say ok */
TEST(pass)
{
	ASSERT_GT(hm_meminfo_kb("MemTotal"), 0);
}

/* skips: the runner must say ok # SKIP, and count it as skipped */
TEST(skip)
{
	SKIP(return, "runner self-test skip");
}

/* a failed assertion: the runner must say not ok */
TEST(fail)
{
	ASSERT_EQ(1, 2);
}

/* passes but leaves a WARN in dmesg: the runner must fail it */
TEST(warn)
{
	ASSERT_EQ(0, log_kmsg(FAKE_WARN));
}

/* leaves a WARN it declared: the runner must pass it */
TEST(warn_declared)
{
	hm_dmesg_allow("hotmem-runner-selftest");
	ASSERT_EQ(0, log_kmsg(FAKE_WARN));
}

/*
 * The kernel log scan (dmesg-scan) flags the first line of every
 * detector's report, and not the lines the detectors print at boot.  A
 * plain pass: check.sh expects ok.
 */
TEST(detector_lines)
{
	static const char *const bad[] = {
		"WARNING: CPU: 1 PID: 77 at mm/memremap.c:1 memremap_pages+0x1/0x2",
		"BUG: KASAN: slab-use-after-free in hpm_instance_delete+0x1/0x2",
		"BUG: KFENCE: out-of-bounds read in hpm_x+0x1/0x2",
		"WARNING: possible circular locking dependency detected",
		"WARNING: possible recursive locking detected",
		"WARNING: inconsistent lock state",
		"[ BUG: Invalid wait context ]",
		"BUG: sleeping function called from invalid context at mm/slub.c:1",
		"page dumped because: VM_BUG_ON_PAGE(PageTail(page))",
		"list_del corruption. prev->next should be ffff8881",
		"kernel BUG at lib/list_debug.c:62!",
		"Oops: general protection fault, probably for non-canonical address",
		"BUG kmalloc-64 (Tainted: G O): Poison overwritten",
		"kmemleak: 3 new suspected memory leaks (see /sys/kernel/debug/kmemleak)",
		"INFO: task modprobe:123 blocked for more than 120 seconds.",
		"UBSAN: shift-out-of-bounds in mm/x.c:1:2",
		"Disabling lock debugging due to kernel taint",
	};
	static const char *const fine[] = {
		"rcu: \tRCU lockdep checking is enabled.",
		"kasan: KernelAddressSanitizer initialized (generic)",
		"kfence: initialized - using 2097152 bytes for 255 objects",
		"kmemleak: Kernel memory leak detector initialized (mem pool available: 14795)",
		"kmemleak: Automatic memory scanning thread ended",
		"Lock dependency validator: Copyright (c) 2006 Red Hat, Inc., Ingo Molnar",
		"page dumped because: migration failure",
		"WARNING: workqueue cpumask: online intersect > possible intersect",
	};
	int i, rc;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		rc = hm_sh(NULL, 0, "printf '%%s\\n' '%s' | dmesg-scan >/dev/null", bad[i]);
		if (rc != 0)
			printf("# not flagged: %s\n", bad[i]);
		EXPECT_EQ(0, rc);
	}
	for (i = 0; i < ARRAY_SIZE(fine); i++) {
		rc = hm_sh(NULL, 0, "printf '%%s\\n' '%s' | dmesg-scan >/dev/null", fine[i]);
		if (rc != 1)
			printf("# flagged: %s\n", fine[i]);
		EXPECT_EQ(1, rc);
	}
}

/*
 * A report a test allowed whole (hm_dmesg_allow_block()) is dropped
 * through the end of its stack, and no further: a WARN after it is
 * still flagged.
 */
TEST(allowed_block)
{
	static const char log[] =
		"sh: page allocation failure: order:0, mode:0xcc0(GFP_KERNEL)\\n"
		"Call Trace:\\n <TASK>\\n dump_stack_lvl+0x1/0x2\\n </TASK>\\n";
	static const char warn[] = "WARNING: CPU: 0 PID: 1 at mm/x.c:1 y+0x1/0x2\\n";
	const char *allow = "/tmp/runner-allow";
	FILE *f = fopen(allow, "w");

	ASSERT_NE(NULL, f);
	fputs("block:page allocation failure: order:\n", f);
	ASSERT_EQ(0, fclose(f));
	EXPECT_EQ(0, hm_sh(NULL, 0, "printf '%s' | dmesg-scan >/dev/null", log));
	EXPECT_EQ(1, hm_sh(NULL, 0, "printf '%s' | dmesg-scan %s >/dev/null", log, allow));
	EXPECT_EQ(0, hm_sh(NULL, 0, "printf '%s%s' | dmesg-scan %s >/dev/null",
			   log, warn, allow));
	unlink(allow);
}

/* a command too long for hm_sh(): the test must stop, not run it cut short */
TEST(overlong_command)
{
	static char arg[8192];

	memset(arg, 'x', sizeof(arg) - 1);
	hm_sh(NULL, 0, "echo %s", arg);
	/* not reached */
}

/*
 * Names longer than the columns of the harness's "-l" table (fixture 20,
 * variant 25): the runner must still find and run both tests.
 */
FIXTURE(a_fixture_over_twenty_columns) {
	int unused;
};

FIXTURE_VARIANT(a_fixture_over_twenty_columns) {
	int v;
};

FIXTURE_VARIANT_ADD(a_fixture_over_twenty_columns, a_variant_over_twenty_five_columns) {
	.v = 1,
};

FIXTURE_VARIANT_ADD(a_fixture_over_twenty_columns, short) {
	.v = 2,
};

FIXTURE_SETUP(a_fixture_over_twenty_columns)
{
}

FIXTURE_TEARDOWN(a_fixture_over_twenty_columns)
{
}

TEST_F(a_fixture_over_twenty_columns, long_names)
{
	ASSERT_NE(0, variant->v);
}

/* never ends: the runner must kill it at the settings timeout */
TEST(hang)
{
	sleep(3600);
}

TEST_HARNESS_MAIN
