/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rollback sweep engine shared by the sweep suites: run an operation
 * once with hotmem_test_iomap's call log on, then once per fallible call
 * it made with that call failed, and compare what a user sees.
 */
#ifndef HOTMEM_SWEEP_H
#define HOTMEM_SWEEP_H

#include <stdbool.h>

#include "hotmem_paths.h"

#define SWEEP_HTI	"/sys/kernel/debug/hotmem_test_iomap/"

/*
 * Every readable file of the files or directories FILES, one line per line
 * of content, "PATH:LINE", and each file's path (an empty file has no
 * lines): in one grep rather than a cat per file, which under TCG is most
 * of a sweep's time.
 */
#define SWEEP_FILES(files)						\
	"fs=\"" files "\"; "							\
	"for f in $fs; do [ -f \"$f\" ] && echo \"$f\"; done; "		\
	"grep -H '' $fs 2>&1 | grep -v 'Is a directory$'; "

/* what a user sees of hotmem_pagemap */
#define SWEEP_SNAPSHOT_PAGEMAP						\
	"cat /proc/iomem; grep -E '^hotmem' /proc/modules | cut -d' ' -f1-3; "	\
	"grep -w hotmem /proc/devices; ls /dev | grep '^pm'; "		\
	"cat /sys/module/hotmem_pagemap/parameters/regions 2>/dev/null; "	\
	SWEEP_FILES(HM_PM_CLS "/*/* " HM_PM_CLS "/*/mapping*/*")

/*
 * hotmem_kmem's sweeps, on the device D (sysfs X, the kmem driver K).
 * Back to: the device SZ bytes (default 512 MiB), bound to device_dax,
 * nothing added or stuck, hotmem_kmem loaded.  Binding goes through sysfs, as daxctl's
 * does: "bind", or "new_id" where the bus does not match the driver by
 * default (kmem on 6.1, device_dax for soft-reserved memory on 6.12).
 */
#define SWEEP_KMEM_CLEAN						\
	"/sbin/modprobe kmem; "						\
	"[ -e $X/hotmem ] && echo 1 > $X/hotmem/unplug; "		\
	"echo 1 > $K/retry_unplug 2>/dev/null; "			\
	"[ -e $X/driver ] && echo $D > $X/driver/unbind; "		\
	"echo $D > $K/remove_id 2>/dev/null; "				\
	"echo ${SZ:-536870912} > $X/size || exit 1; "			\
	"B=/sys/bus/dax/drivers/device_dax; "				\
	"{ echo $D > $B/bind || echo $D > $B/new_id; } 2>/dev/null; "	\
	"[ -e $X/driver ]"

/*
 * The hot-add: bind the unbound device to hotmem_kmem through new_id, as
 * daxctl does (a failed probe is not retried, unlike "bind || new_id")
 */
#define SWEEP_KMEM_ADD		"echo $D > $K/new_id 2>/dev/null; [ -e $X/hotmem ]"
#define SWEEP_KMEM_UNBOUND	"echo $D > $X/driver/unbind"

/* what a user sees of hotmem_kmem and the device */
#define SWEEP_SNAPSHOT_KMEM						\
	"cat /proc/iomem; grep MemTotal /proc/meminfo; "		\
	"grep -E '^hotmem' /proc/modules | cut -d' ' -f1-3; "		\
	"grep -H '' /sys/devices/system/memory/memory*/state; "		\
	"cat $K/stuck; " SWEEP_FILES("$X/hotmem/*")

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

/**
 * struct sweep_write - an operation that is one write(2) to one file, for
 * the allocation sweep: the kernel fails the N-th allocation of the
 * writing task (/proc/thread-self/fail-nth), N = 1, 2, ... until a write
 * makes no N-th allocation
 * @name: its name in the coverage lines
 * @pre: commands bringing a clean system to where it starts
 * @path: the file, a shell word (the suite's variables are set)
 * @val: what is written, a shell word too
 * @resume: as for struct sweep_op
 * @done: NULL if the write's status is the operation's; else commands
 *	that succeed if it took effect, for a write that cannot report a
 *	failure (a dax bus "new_id" write does not report a failed probe)
 */
struct sweep_write {
	const char *name;
	const char *pre;
	const char *path;
	const char *val;
	const char *resume;
	const char *done;
};

int sweep_sh(const struct sweep_env *env, const char *cmd);
int sweep_op(const struct sweep_env *env, const struct sweep_op *op);
int sweep_alloc_setup(void);
int sweep_write_nth(const char *path, const char *val, int nth, int *err);
int sweep_alloc_op(const struct sweep_env *env, const struct sweep_write *op);
int sweep_coverage_report(int nr_ops);

#endif /* HOTMEM_SWEEP_H */
