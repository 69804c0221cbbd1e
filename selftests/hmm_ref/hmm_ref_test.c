// SPDX-License-Identifier: GPL-2.0
/*
 * The upstream reference for hotmem_pagemap's coherent and private
 * instances: the kernel's own lib/test_hmm driven by the kernel's own
 * hmm-tests.c (built from Debian's 6.12 source into upstream/), its
 * device-memory group, on both of test_hmm's device types: private
 * (backed by RAM it takes with request_free_mem_region()) and coherent
 * (placed on the soft-reserved range with spm_addr_dev0/1, as on
 * hardware with EFI specific-purpose memory).  Each upstream flow has its
 * counterpart in pagemap_migrate, which runs in the same boot:
 *   migrate, migrate_multiple  -> round_trip, fill_up
 *   migrate_fault              -> round_trip (private: a read faults back)
 *   migrate_release            -> munmap_frees
 *   migrate_shared             -> bad_input (shared memory: EINVAL)
 *   migrate_mixed              -> bad_input (a hole), two_owners
 *   hmm_cow_in_device          -> fork_cow
 *   hmm_gup_test               -> odirect_read_into, longterm_pin_moves_to_ram
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "hotmem_util.h"

#define M	(1024ULL * 1024)

FIXTURE(ref) {
	char bin[PATH_MAX];
};

FIXTURE_VARIANT(ref) {
	const char *type;	/* hmm-tests' variant, after its fixture name */
};

FIXTURE_VARIANT_ADD(ref, private) { .type = "device_private" };
FIXTURE_VARIANT_ADD(ref, coherent) { .type = "device_coherent" };

FIXTURE_SETUP(ref)
{
	char *slash;
	__u64 start, size;

	ASSERT_LT(0, readlink("/proc/self/exe", self->bin, sizeof(self->bin) - 32));
	slash = strrchr(self->bin, '/');
	ASSERT_NE(NULL, slash);
	snprintf(slash + 1, sizeof(self->bin) - (slash + 1 - self->bin),
		 "upstream/hmm-tests");
	ASSERT_EQ(0, access(self->bin, X_OK)) TH_LOG("%s not built", self->bin);
	ASSERT_EQ(0, hm_sr_range(&start, &size))
		TH_LOG("suite needs soft-reserved memory (vm.sh -p soft-reserved)");
	ASSERT_LE(512 * M, size);
	/*
	 * Loaded once a boot and never unloaded: test_hmm's removal leaks
	 * each device's name and device_private (dmirror_device_remove()
	 * deletes the cdev device without the put_device() that frees them:
	 * kmemleak, 6.12.118).  pagemap_migrate runs next in the same boot,
	 * on the upper half of the range.
	 */
	if (!hm_exists("/sys/module/test_hmm"))
		hm_sh(NULL, 0, "rmmod hotmem_pagemap 2>/dev/null");
	/* two coherent devices of 256 MiB (DEVMEM_CHUNK_SIZE) on the range */
	ASSERT_EQ(0, hm_test_hmm_load(start));
}

FIXTURE_TEARDOWN(ref)
{
}

/* run FIXTURE.VARIANT.TEST of hmm-tests: 0 if it passed */
static int upstream(const char *bin, const char *fixture, const char *type,
		    const char *test)
{
	char out[8192];
	int rc;

	rc = hm_sh(out, sizeof(out), "%s -r %s.%s_%s.%s 2>&1", bin, fixture, fixture,
		   type, test);
	printf("%s", out);
	if (rc)
		return rc;
	/* it ran, and passed: not skipped, not zero tests */
	return strstr(out, "# PASSED: 1 / 1 tests passed") && !strstr(out, "SKIP") ? 0 : -1;
}

TEST_F(ref, migrate)
{
	EXPECT_EQ(0, upstream(self->bin, "hmm", variant->type, "migrate"));
}

TEST_F(ref, migrate_fault)
{
	EXPECT_EQ(0, upstream(self->bin, "hmm", variant->type, "migrate_fault"));
}

TEST_F(ref, migrate_release)
{
	EXPECT_EQ(0, upstream(self->bin, "hmm", variant->type, "migrate_release"));
}

TEST_F(ref, migrate_shared)
{
	EXPECT_EQ(0, upstream(self->bin, "hmm", variant->type, "migrate_shared"));
}

TEST_F(ref, migrate_mixed)
{
	EXPECT_EQ(0, upstream(self->bin, "hmm2", variant->type, "migrate_mixed"));
}

TEST_F(ref, migrate_multiple)
{
	EXPECT_EQ(0, upstream(self->bin, "hmm", variant->type, "migrate_multiple"));
}

TEST_F(ref, hmm_cow_in_device)
{
	EXPECT_EQ(0, upstream(self->bin, "hmm", variant->type, "hmm_cow_in_device"));
}

TEST_F(ref, hmm_gup_test)
{
	EXPECT_EQ(0, upstream(self->bin, "hmm", variant->type, "hmm_gup_test"));
}

TEST_HARNESS_MAIN
