/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a phase of a benchmark spends its time, from the call log of the
 * test build's shim (hotmem_test_iomap): each logged kernel call has its
 * start and duration (t= d=, CLOCK_MONOTONIC), so a phase's wall time
 * splits into before the first call, the calls (per function), the gaps
 * between them (the module's own code and the hand-offs) and after the
 * last.  Benchmarks link it through EXTRA_SRCS.
 */
#ifndef HOTMEM_BREAKDOWN_H
#define HOTMEM_BREAKDOWN_H

#include <stdbool.h>

#define BD_HTI	"/sys/kernel/debug/hotmem_test_iomap/"

double bd_now_ns(void);
bool bd_available(void);
void bd_begin(void);
int bd_end(const char *label, const char *module);

#endif /* HOTMEM_BREAKDOWN_H */
