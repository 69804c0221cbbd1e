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

/* every byte of a literal, NULs included */
#define IN(s) s, sizeof(s) - 1

static const struct {
	const char *in;
	size_t len;
	int rc;
	u64 val;
} nums[] = {
	{ IN("0"), 0, 0 }, { IN("1\n"), 0, 1 }, { IN("2097152"), 0, 2097152 },
	{ IN("0x200000"), 0, 0x200000 }, { IN("0X200000\n"), 0, 0x200000 },
	{ IN("0xFFFFffff"), 0, 0xffffffff },
	{ IN("18446744073709551615"), 0, ~0ULL },
	{ IN("0xffffffffffffffff"), 0, ~0ULL },
	{ IN("0x0000000000000000001"), 0, 1 },	/* hex may have leading zeros */
	{ IN("18446744073709551616"), -ERANGE, 0 },
	{ IN("0x10000000000000000"), -ERANGE, 0 },
	{ IN("99999999999999999999x"), -EINVAL, 0 },	/* syntax before range */
	{ IN(""), -EINVAL, 0 }, { IN("\n"), -EINVAL, 0 }, { IN("\n\n"), -EINVAL, 0 },
	{ IN("01"), -EINVAL, 0 }, { IN("00"), -EINVAL, 0 }, { IN("0777"), -EINVAL, 0 },
	{ IN("+1"), -EINVAL, 0 }, { IN("-1"), -EINVAL, 0 }, { IN(" 1"), -EINVAL, 0 },
	{ IN("1 "), -EINVAL, 0 }, { IN("1\t"), -EINVAL, 0 }, { IN("1\0junk"), -EINVAL, 0 },
	{ IN("0x"), -EINVAL, 0 }, { IN("0x\n"), -EINVAL, 0 }, { IN("0xg"), -EINVAL, 0 },
	{ IN("0b1"), -EINVAL, 0 }, { IN("1e6"), -EINVAL, 0 }, { IN("1,2"), -EINVAL, 0 },
	{ IN("abc"), -EINVAL, 0 }, { IN("0x-1"), -EINVAL, 0 }, { IN("x1"), -EINVAL, 0 },
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
		if (!rc) {
			EXPECT_EQ(nums[i].val, v) TH_LOG("case %u", i);
		} else {
			EXPECT_EQ(12345, v) TH_LOG("case %u: changed on error", i);
		}
	}
}

TEST(switches)
{
	static const struct { const char *in; size_t len; int rc; bool val; } t[] = {
		{ IN("0"), 0, false }, { IN("1"), 0, true }, { IN("1\n"), 0, true },
		{ IN("2"), -EINVAL, 0 }, { IN("01"), -EINVAL, 0 }, { IN("0x1"), -EINVAL, 0 },
		{ IN("+1"), -EINVAL, 0 }, { IN("1\0"), -EINVAL, 0 }, { IN("y"), -EINVAL, 0 },
		{ IN("99999999999999999999"), -ERANGE, 0 }, { IN(""), -EINVAL, 0 },
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

TEST(words_and_hex)
{
	u64 v;

	EXPECT_TRUE(hm_parse_is(IN("dev"), "dev"));
	EXPECT_TRUE(hm_parse_is(IN("dev\n"), "dev"));
	EXPECT_FALSE(hm_parse_is(IN("dev\n\n"), "dev"));
	EXPECT_FALSE(hm_parse_is(IN("dev\0x"), "dev"));
	EXPECT_FALSE(hm_parse_is(IN("de"), "dev"));
	EXPECT_FALSE(hm_parse_is(IN("devs"), "dev"));
	EXPECT_FALSE(hm_parse_is(IN(""), ""));
	EXPECT_EQ(0, hm_parse_num(IN("140000000"), HM_HEX, &v));
	EXPECT_EQ(0x140000000ULL, v);
	EXPECT_EQ(0, hm_parse_num(IN("0x140000000"), HM_HEX, &v));
	EXPECT_EQ(0x140000000ULL, v);
	EXPECT_EQ(-EINVAL, hm_parse_num(IN("+1"), HM_HEX, &v));
	EXPECT_EQ(-EINVAL, hm_parse_num(IN(""), HM_HEX, &v));
	EXPECT_EQ(-EINVAL, hm_parse_num(IN("0x1"), HM_DEC, &v));
}

/* generated inputs: the kernel's parser and the oracle agree on each */
TEST(agrees_with_the_oracle)
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
