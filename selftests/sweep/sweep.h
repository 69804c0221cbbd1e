/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rollback sweep engine shared by the sweep suites: run an operation
 * once with hotmem_test_iomap's call log on, then once per fallible call
 * it made with that call failed, and compare what a user sees.
 */
#ifndef HOTMEM_SWEEP_H
#define HOTMEM_SWEEP_H

#include <stdbool.h>

#define SWEEP_HTI	"/sys/kernel/debug/hotmem_test_iomap/"

/**
 * struct sweep_env - how a suite drives and observes its modules
 * @vars: shell assignments put before every command (R=...; D=...)
 * @clean: commands back to a clean system, the shim loaded
 * @snapshot: commands printing everything a user would compare
 */
struct sweep_env {
	char vars[256];
	const char *clean;
	const char *snapshot;
};

/**
 * struct sweep_op - one user-visible operation
 * @name: its name in the coverage lines
 * @pre: commands bringing a clean system to where it starts
 * @run: the operation; exit status 0 is success
 * @resume: NULL if a failed run must leave everything as before and the
 *	same run then succeed; else the documented way to finish a run
 *	that stopped half way (an unplug that stays "partial", an unbind
 *	that leaves memory stuck), after which everything must be as after
 *	a run that never failed
 * @unreported: the operation has no way to report a failure (an unbind):
 *	it may succeed with a call failed, and @resume must finish it
 */
struct sweep_op {
	const char *name;
	const char *pre;
	const char *run;
	const char *resume;
	bool unreported;
};

int sweep_sh(const struct sweep_env *env, const char *cmd);
int sweep_op(const struct sweep_env *env, const struct sweep_op *op);
int sweep_coverage_report(int nr_ops);

#endif /* HOTMEM_SWEEP_H */
