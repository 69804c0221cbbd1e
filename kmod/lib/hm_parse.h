/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one input grammar of every hotmem sysfs attribute and module
 * parameter.  A write is its value and at most one trailing newline:
 * no spaces, no sign, no embedded NUL.  A number is decimal without
 * leading zeros ("0" itself aside) or, where a value may be hex, "0x"
 * and hex digits; never octal.  A switch is the decimal number 0 or 1.
 * Malformed input is -EINVAL, a number too large for 64 bits -ERANGE.
 * Pure code: it builds unchanged in the user-space table test
 * (selftests/parse).
 */
#ifndef HM_PARSE_H
#define HM_PARSE_H

#include <linux/types.h>

/**
 * enum hm_base - how the digits of a number are read
 * @HM_DEC: decimal without leading zeros
 * @HM_DEC_OR_HEX: decimal without leading zeros, or "0x" and hex digits
 * @HM_HEX: hex digits, with or without "0x" (the dax "mapping" format)
 */
enum hm_base {
	HM_DEC,
	HM_DEC_OR_HEX,
	HM_HEX,
};

int hm_parse_input(const char *buf, size_t count, size_t *len);
int hm_parse_num(const char *s, size_t len, enum hm_base base, u64 *val);
int hm_parse_u64(const char *buf, size_t count, u64 *val);
int hm_parse_switch(const char *buf, size_t count, bool *val);
int hm_parse_bool(const char *buf, size_t count, bool *val);
bool hm_parse_is(const char *buf, size_t count, const char *word);

#endif /* HM_PARSE_H */
