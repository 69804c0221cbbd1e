/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hotmem concurrency suites' harness: several processes hammer the
 * same objects for a bounded time, each step checking that the errno it
 * got is one the README allows; then nobody may be stuck (every worker
 * exits, no task is left in D state).
 */
#ifndef HM_RACE_H
#define HM_RACE_H

#include <stdbool.h>
#include <stddef.h>

#include "kselftest.h"	/* __printf */

#define RC_MAX_WORKERS	8

/**
 * struct rc_worker - one process of a race
 * @name: what it does, for the report
 * @step: one step; 0, or -1 with the reason written by rc_fail()
 * @arg: the step's own argument
 */
struct rc_worker {
	const char *name;
	int (*step)(int arg);
	int arg;
};

int rc_run(const struct rc_worker *w, int n, unsigned int seconds,
	   char *why, size_t len);
__printf(1, 2) int rc_fail(const char *fmt, ...);
bool rc_allowed(int err, const int *ok);
int rc_expect(const char *what, int err, const int *ok);
int rc_d_state(char *why, size_t len);
int rc_exec(const char *cmd);
unsigned int rc_rand(void);

/* the errno lists rc_expect() takes end with this */
#define RC_END	1

#endif /* HM_RACE_H */
