// SPDX-License-Identifier: GPL-2.0
/*
 * The input grammar of hotmem's sysfs attributes and module parameters;
 * see hm_parse.h.  Stricter than kstrto*(), which take a sign, leading
 * zeros (octal with base 0) and stop at an embedded NUL.
 */
#include <linux/errno.h>

#include "hm_parse.h"

/**
 * hm_parse_input() - the value of a write, without its trailing newline
 * @buf: what was written (a sysfs store's buffer)
 * @count: its length, as the store was given it
 * @len: set to the length of the value
 *
 * Return: 0; -EINVAL if the value is empty or holds a NUL.
 */
int hm_parse_input(const char *buf, size_t count, size_t *len)
{
	size_t i;

	if (count && buf[count - 1] == '\n')
		count--;
	if (!count)
		return -EINVAL;
	for (i = 0; i < count; i++)
		if (!buf[i])
			return -EINVAL;
	*len = count;
	return 0;
}

static int hm_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/**
 * hm_parse_num() - read exactly @len characters as a number
 * @s: the characters, not NUL terminated
 * @len: how many
 * @base: decimal, decimal or 0x hex, or hex
 * @val: set to the number on success
 *
 * Every character must be part of the number: the syntax is checked
 * whole before the value, so "99999999999999999999x" is -EINVAL.
 *
 * Return: 0; -EINVAL if malformed; -ERANGE if it does not fit 64 bits.
 */
int hm_parse_num(const char *s, size_t len, enum hm_base base, u64 *val)
{
	int radix = 10;
	u64 v = 0;
	size_t i;
	int d;

	if (base != HM_DEC && len > 2 && s[0] == '0' &&
	    (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		len -= 2;
		radix = 16;
	} else if (base == HM_HEX) {
		radix = 16;
	} else if (len > 1 && s[0] == '0') {
		return -EINVAL;	/* a leading zero: octal to kstrto*(), never here */
	}
	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		d = hm_digit(s[i]);
		if (d < 0 || d >= radix)
			return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		d = hm_digit(s[i]);
		if (v > (~0ULL - d) / radix)
			return -ERANGE;
		v = v * radix + d;
	}
	*val = v;
	return 0;
}

/**
 * hm_parse_u64() - a write that is one number, decimal or 0x hex
 * @buf: what was written
 * @count: its length
 * @val: set to the number on success
 *
 * Return: 0, -EINVAL or -ERANGE.
 */
int hm_parse_u64(const char *buf, size_t count, u64 *val)
{
	size_t len;
	int rc;

	rc = hm_parse_input(buf, count, &len);
	return rc ? rc : hm_parse_num(buf, len, HM_DEC_OR_HEX, val);
}

/**
 * hm_parse_switch() - a write that is the decimal number 0 or 1
 * @buf: what was written
 * @count: its length
 * @val: set on success
 *
 * Return: 0; -EINVAL for anything but "0" or "1" ("01", "0x1", "+1"
 * among them); -ERANGE for a decimal number beyond 64 bits.
 */
int hm_parse_switch(const char *buf, size_t count, bool *val)
{
	size_t len;
	u64 v;
	int rc;

	rc = hm_parse_input(buf, count, &len);
	if (!rc)
		rc = hm_parse_num(buf, len, HM_DEC, &v);
	if (!rc && v > 1)
		rc = -EINVAL;
	if (!rc)
		*val = v;
	return rc;
}

/**
 * hm_parse_bool() - a switch, or "Y"/"N" in either case as bool module
 *	parameters are written
 * @buf: what was written
 * @count: its length
 * @val: set on success
 *
 * Return: 0; -EINVAL for anything else ("yes", "on", "Y " among them);
 * -ERANGE for a decimal number beyond 64 bits.
 */
int hm_parse_bool(const char *buf, size_t count, bool *val)
{
	if (hm_parse_is(buf, count, "Y") || hm_parse_is(buf, count, "y")) {
		*val = true;
		return 0;
	}
	if (hm_parse_is(buf, count, "N") || hm_parse_is(buf, count, "n")) {
		*val = false;
		return 0;
	}
	return hm_parse_switch(buf, count, val);
}

/**
 * hm_parse_is() - is a write exactly @word
 * @buf: what was written
 * @count: its length
 * @word: the word, NUL terminated
 *
 * Return: true if @buf is @word with at most a trailing newline.
 */
bool hm_parse_is(const char *buf, size_t count, const char *word)
{
	size_t len, i;

	if (hm_parse_input(buf, count, &len))
		return false;
	for (i = 0; i < len; i++)
		if (!word[i] || buf[i] != word[i])
			return false;
	return !word[len];
}
