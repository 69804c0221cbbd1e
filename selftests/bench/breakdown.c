// SPDX-License-Identifier: GPL-2.0
/* The split of a phase's time by the shim's call log: see breakdown.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hotmem_util.h"
#include "breakdown.h"

#define BD_LOG_MAX	(4 << 20)
#define BD_FN_MAX	32

/* one kernel function of a phase: calls and their total nanoseconds */
struct bd_fn {
	char name[64];
	int calls;
	double ns;
};

/* the kernel functions of the last phase */
static struct bd_fn bd_fns[BD_FN_MAX];
static int bd_nfn;
static double bd_t0;

static void bd_add(const char *name, double ns)
{
	int i;

	for (i = 0; i < bd_nfn && strcmp(bd_fns[i].name, name); i++)
		;
	if (i == bd_nfn) {
		if (bd_nfn == BD_FN_MAX)
			return;
		memset(&bd_fns[i], 0, sizeof(bd_fns[i]));
		snprintf(bd_fns[i].name, sizeof(bd_fns[i].name), "%s", name);
		bd_nfn++;
	}
	bd_fns[i].calls++;
	bd_fns[i].ns += ns;
}

double bd_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* the test build is loaded: its call log is there */
bool bd_available(void)
{
	return hm_exists(BD_HTI "log");
}

/* a phase starts: the call log emptied, the clock read */
void bd_begin(void)
{
	hm_write("1", BD_HTI "reset");
	bd_t0 = bd_now_ns();
}

/* a logged call's start and end, ns */
struct bd_span {
	double t, end;
};

static int bd_span_cmp(const void *a, const void *b)
{
	const struct bd_span *x = a, *y = b;

	return x->t < y->t ? -1 : x->t > y->t;
}

/*
 * The phase since bd_begin() ends: split its wall time with the call log
 * and print one line for the phase and one per kernel function.  The
 * calls may overlap (a batch's teardowns run on workers): "calls" is the
 * time at least one was running, and their plain sum is shown beside it
 * when larger.  @module names whose calls they are, for a phase that
 * made none the shim logs.  -E2BIG if the log dropped calls (the split
 * would be wrong).
 */
int bd_end(const char *label, const char *module)
{
	double t1 = bd_now_ns(), busy = 0, gaps = 0, sum = 0, end = 0;
	char *log, *line, *save, name[64];
	unsigned long long t, d;
	struct bd_span *sp;
	int i, n = 0, max;

	log = malloc(BD_LOG_MAX);
	if (!log)
		return -ENOMEM;
	if (hm_read_str(log, BD_LOG_MAX, BD_HTI "log") < 0) {
		free(log);
		return -EIO;
	}
	for (i = 0, max = 1; log[i]; i++)
		max += log[i] == '\n';
	sp = calloc(max, sizeof(*sp));
	if (!sp) {
		free(log);
		return -ENOMEM;
	}
	bd_nfn = 0;
	for (line = strtok_r(log, "\n", &save); line && n < max;
	     line = strtok_r(NULL, "\n", &save)) {
		char *pt = strstr(line, " t="), *pd = strstr(line, " d=");

		if (!strncmp(line, "# ", 2)) {
			free(sp);
			free(log);
			return -E2BIG;
		}
		if (!pt || !pd || sscanf(line, "%*u %63[^#]#", name) != 1 ||
		    sscanf(pt, " t=%llu", &t) != 1 ||
		    sscanf(pd, " d=%llu", &d) != 1)
			continue;
		sp[n].t = t;
		sp[n++].end = t + d;
		sum += d;
		bd_add(name, d);
	}
	free(log);
	if (!n) {
		free(sp);
		printf("  %-22s %9.1f ms (no call of %s the shim logs)\n", label,
		       (t1 - bd_t0) / 1e6, module);
		return 0;
	}
	/* the union of the calls' spans, and the gaps between its pieces */
	qsort(sp, n, sizeof(*sp), bd_span_cmp);
	for (i = 0, end = sp[0].t; i < n; i++) {
		if (sp[i].t > end)
			gaps += sp[i].t - end;
		if (sp[i].end > end) {
			busy += sp[i].end - (sp[i].t > end ? sp[i].t : end);
			end = sp[i].end;
		}
	}
	printf("  %-22s %9.1f ms = before %.1f + calls %.1f + gaps %.1f + after %.1f",
	       label, (t1 - bd_t0) / 1e6, (sp[0].t - bd_t0) / 1e6, busy / 1e6,
	       gaps / 1e6, (t1 - end) / 1e6);
	if (sum > busy + 1e5)
		printf(" (the calls overlap: %.1f ms in all)", sum / 1e6);
	printf("\n");
	free(sp);
	for (i = 0; i < bd_nfn; i++)
		printf("      %-30s %5d calls %9.2f ms\n", bd_fns[i].name,
		       bd_fns[i].calls, bd_fns[i].ns / 1e6);
	return 0;
}
