/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hotmem_test_iomap: the shim the test build of the hotmem modules is
 * linked against (ld --wrap, kmod/test/wrap.list).  Each __wrap_ function
 * counts its call, may fail it on a rule set through debugfs, calls the
 * real function otherwise, and logs the call with its arguments, its
 * caller and its result.
 */
#ifndef HTI_H
#define HTI_H

#include <linux/types.h>

/**
 * struct hti_sym - one wrapped kernel function
 * @name: its name
 * @can_fail: a rule may fail it (functions returning nothing cannot)
 * @calls: calls since the last reset
 * @first: first call number (1-based) a rule fails; 0: no rule
 * @last: last call number the rule fails (U64_MAX: every call from @first)
 * @err: the errno the rule returns, negative
 *
 * @calls and the rule are protected by hti_lock.
 */
struct hti_sym {
	const char *name;
	bool can_fail;
	u64 calls;
	u64 first;
	u64 last;
	int err;
};

/**
 * struct hti_call - one call in progress
 * @sym: the function
 * @nth: its call number since the last reset (1-based)
 * @err: the errno to return instead of calling it, or 0
 * @t0: ktime_get_ns() when it was entered
 */
struct hti_call {
	struct hti_sym *sym;
	u64 nth;
	int err;
	u64 t0;
};

void hti_enter(struct hti_sym *sym, struct hti_call *c);
void hti_exit(const struct hti_call *c, unsigned long caller, u64 a0, u64 a1,
	      u64 a2, u64 a3, long ret);

struct dentry;
int hti_platform_init(struct dentry *dir);
void hti_platform_exit(void);

/* wrap.c: every wrapped function this kernel has */
extern struct hti_sym *const hti_syms[];
extern const int hti_nr_syms;

#endif /* HTI_H */
