// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of the VM test runner, not of the kernel: each test ends in a
 * known way (pass, skip, failed assertion, unexpected or declared kernel
 * WARN, hang) and scripts/check.sh asserts the runner reports exactly that.
 * Not part of the normal suites.
 */
#include <fcntl.h>
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

/* never ends: the runner must kill it at the settings timeout */
TEST(hang)
{
	sleep(3600);
}

TEST_HARNESS_MAIN
