// SPDX-License-Identifier: GPL-2.0
/*
 * Table test of the input grammar of hotmem's sysfs files and module
 * parameters (kmod/lib/hm_parse.c, built here unchanged as user-space
 * code): the README's rules case by case, then 200,000 generated
 * inputs on which the kernel's parser and the fuzzer's oracle, written
 * apart from it, must agree.
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"
#include "../../kmod/lib/hm_parse.h"
#include "fuzz.h"

/* a case: every byte of a literal, NULs included, and what it reads as */
#define T(s, rc, v) { s, sizeof(s) - 1, rc, v }

static const struct {
	const char *in;
	size_t len;
	int rc;
	u64 val;
} nums[] = {
	T("0", 0, 0), T("1\n", 0, 1), T("2097152", 0, 2097152),
	T("0x200000", 0, 0x200000), T("0X200000\n", 0, 0x200000),
	T("0xFFFFffff", 0, 0xffffffff),
	T("18446744073709551615", 0, ~0ULL),
	T("0xffffffffffffffff", 0, ~0ULL),
	T("0x0000000000000000001", 0, 1),	/* hex may have leading zeros */
	T("18446744073709551616", -ERANGE, 0),
	T("0x10000000000000000", -ERANGE, 0),
	T("99999999999999999999x", -EINVAL, 0),	/* syntax before range */
	T("", -EINVAL, 0), T("\n", -EINVAL, 0), T("\n\n", -EINVAL, 0),
	T("01", -EINVAL, 0), T("00", -EINVAL, 0), T("0777", -EINVAL, 0),
	T("+1", -EINVAL, 0), T("-1", -EINVAL, 0), T(" 1", -EINVAL, 0),
	T("1 ", -EINVAL, 0), T("1\t", -EINVAL, 0), T("1\0junk", -EINVAL, 0),
	T("0x", -EINVAL, 0), T("0x\n", -EINVAL, 0), T("0xg", -EINVAL, 0),
	T("0b1", -EINVAL, 0), T("1e6", -EINVAL, 0), T("1,2", -EINVAL, 0),
	T("abc", -EINVAL, 0), T("0x-1", -EINVAL, 0), T("x1", -EINVAL, 0),
};

TEST(numbers)
{
	unsigned int i;
	u64 v;
	int rc;

	for (i = 0; i < ARRAY_SIZE(nums); i++) {
		v = 12345;
		rc = hm_parse_u64(nums[i].in, nums[i].len, &v);
		EXPECT_EQ(nums[i].rc, rc) TH_LOG("case %u", i);
		/* untouched on error */
		EXPECT_EQ(rc ? 12345 : nums[i].val, v) TH_LOG("case %u", i);
	}
}

TEST(switches)
{
	static const struct { const char *in; size_t len; int rc; bool val; } t[] = {
		T("0", 0, false), T("1", 0, true), T("1\n", 0, true),
		T("2", -EINVAL, 0), T("01", -EINVAL, 0), T("0x1", -EINVAL, 0),
		T("+1", -EINVAL, 0), T("1\0", -EINVAL, 0), T("y", -EINVAL, 0),
		T("99999999999999999999", -ERANGE, 0), T("", -EINVAL, 0),
	};
	unsigned int i;
	bool v;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		int rc = hm_parse_switch(t[i].in, t[i].len, &v);

		EXPECT_EQ(t[i].rc, rc) TH_LOG("case %u", i);
		if (!rc)
			EXPECT_EQ(t[i].val, v) TH_LOG("case %u", i);
	}
}

TEST(bools)
{
	static const struct { const char *in; size_t len; int rc; bool val; } t[] = {
		T("0", 0, false), T("1\n", 0, true), T("Y", 0, true),
		T("y\n", 0, true), T("N", 0, false), T("n", 0, false),
		T("yes", -EINVAL, 0), T("on", -EINVAL, 0), T("Y ", -EINVAL, 0),
		T("Y\n\n", -EINVAL, 0), T("2", -EINVAL, 0), T("", -EINVAL, 0),
		T("N\0", -EINVAL, 0), T("99999999999999999999", -ERANGE, 0),
	};
	unsigned int i;
	bool v;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		int rc = hm_parse_bool(t[i].in, t[i].len, &v);

		EXPECT_EQ(t[i].rc, rc) TH_LOG("case %u", i);
		if (!rc)
			EXPECT_EQ(t[i].val, v) TH_LOG("case %u", i);
	}
}

TEST(words_and_hex)
{
	u64 v;

	EXPECT_TRUE(hm_parse_is("dev", 3, "dev"));
	EXPECT_TRUE(hm_parse_is("dev\n", 4, "dev"));
	EXPECT_FALSE(hm_parse_is("dev\n\n", 5, "dev"));
	EXPECT_FALSE(hm_parse_is("dev\0x", 5, "dev"));
	EXPECT_FALSE(hm_parse_is("de", 2, "dev"));
	EXPECT_FALSE(hm_parse_is("devs", 4, "dev"));
	EXPECT_FALSE(hm_parse_is("", 0, ""));
	EXPECT_EQ(0, hm_parse_num("140000000", 9, HM_HEX, &v));
	EXPECT_EQ(0x140000000ULL, v);
	EXPECT_EQ(0, hm_parse_num("0x140000000", 11, HM_HEX, &v));
	EXPECT_EQ(0x140000000ULL, v);
	EXPECT_EQ(-EINVAL, hm_parse_num("+1", 2, HM_HEX, &v));
	EXPECT_EQ(-EINVAL, hm_parse_num("", 0, HM_HEX, &v));
	EXPECT_EQ(-EINVAL, hm_parse_num("0x1", 3, HM_DEC, &v));
}

/* a fixture only for TEST_F_TIMEOUT: under TCG this takes 15-30 s */
FIXTURE(oracle) {
};

FIXTURE_SETUP(oracle)
{
}

FIXTURE_TEARDOWN(oracle)
{
}

/* generated inputs: the kernel's parser and the oracle agree on each */
TEST_F_TIMEOUT(oracle, agrees_with_the_oracle, 120)
{
	static const u64 vals[] = { 0, 1, 2, 4096, 2097152, 1ULL << 30,
				    ~0ULL, 1ULL << 63, 1234567890123ULL };
	struct fz_rng r;
	char buf[FZ_BUF];
	unsigned long i, bad = 0;

	fz_seed(&r, 42);
	for (i = 0; i < 200000 && bad < 10; i++) {
		enum fz_base b = fz_below(&r, 3);
		size_t len = fz_gen_number(&r, vals[fz_below(&r, 9)] +
					   fz_below(&r, 3) - 1, b, fz_chance(&r, 70), buf);
		u64 kv = 1, ov = 2;
		bool ks = false, os = true;
		int krc, orc;

		krc = hm_parse_u64(buf, len, &kv);
		orc = fz_oracle_u64(buf, len, &ov);
		if (krc != orc || (!krc && kv != ov))
			bad++;
		EXPECT_EQ(orc, krc) TH_LOG("u64 input %lu", i);
		krc = hm_parse_switch(buf, len, &ks);
		orc = fz_oracle_switch(buf, len, &os);
		if (krc != orc || (!krc && ks != os))
			bad++;
		EXPECT_EQ(orc, krc) TH_LOG("switch input %lu", i);
	}
	EXPECT_EQ(0, bad);
}

TEST_HARNESS_MAIN
