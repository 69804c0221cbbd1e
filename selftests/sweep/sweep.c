// SPDX-License-Identifier: GPL-2.0
/*
 * The rollback sweep engine (sweep.h).  Prints its findings as TAP
 * diagnostics ("# ..."); the caller asserts on the counts it returns.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hotmem_util.h"
#include "sweep.h"

#define MAX_SITES	256
/* the errno every injected failure returns: EIO, which no path treats
 * specially (an -EINVAL from a hot-add, say, means something to hotmem_kmem)
 */
#define SWEEP_ERRNO	5
#define SNAP		65536
#define COVERAGE	"/run/hotmem-sweep-coverage"

/* one fallible call an operation made: the @nth call of @sym */
struct site {
	char sym[64];
	unsigned long long nth;
	char caller[128];
};

/**
 * sweep_sh() - run @cmd after the suite's shell variables
 * @env: the suite
 * @cmd: shell commands
 *
 * Return: their exit status.
 */
int sweep_sh(const struct sweep_env *env, const char *cmd)
{
	return hm_sh(NULL, 0, "%s %s", env->vars, cmd);
}

static int snapshot(const struct sweep_env *env, char *buf)
{
	return hm_sh(buf, SNAP, "%s %s", env->vars, env->snapshot) < 0 ? -EIO : 0;
}

/* the calls of the last run that a rule can fail, in call order */
static int sites_from_log(struct site *s, int max)
{
	char sym[64], caller[128], *log, *line, *save, *at;
	unsigned long long seq, nth;
	int n = 0;

	log = malloc(1 << 22);
	if (!log || hm_read_str(log, 1 << 22, SWEEP_HTI "log") < 0) {
		free(log);
		return -EIO;
	}
	for (line = strtok_r(log, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		/* a site missed is a site not swept: say so, never skip it */
		if (!strncmp(line, "# ", 2) || n == max) {
			printf("# the call log %s: sites would go unswept\n",
			       n == max ? "has too many calls" : "dropped calls");
			n = -E2BIG;
			break;
		}
		at = strstr(line, " at ");
		if (sscanf(line, "%llu %63[^#]#%llu", &seq, sym, &nth) != 3 || !at)
			continue;
		snprintf(caller, sizeof(caller), "%s", at + 4);
		if (hm_sh(NULL, 0, "grep -q '^%s can_fail' " SWEEP_HTI "symbols", sym))
			continue;
		snprintf(s[n].sym, sizeof(s[n].sym), "%s", sym);
		s[n].nth = nth;
		snprintf(s[n].caller, sizeof(s[n].caller), "%s", caller);
		n++;
	}
	free(log);
	return n;
}

static void show_diff(const char *a, const char *b)
{
	FILE *f;

	f = fopen("/tmp/sweep.before", "w");
	if (f) {
		fputs(a, f);
		fclose(f);
	}
	f = fopen("/tmp/sweep.after", "w");
	if (f) {
		fputs(b, f);
		fclose(f);
	}
	hm_sh(NULL, 0, "diff /tmp/sweep.before /tmp/sweep.after | head -20 | sed 's/^/#   /'");
}

/* one site: fail it, check, finish; 0 if everything held */
static int sweep_site(const struct sweep_env *env, const struct sweep_op *op,
		      const struct site *s, const char *ok, char *before,
		      char *after)
{
	char rule[128];
	int rc;

	sweep_sh(env, env->clean);
	if (sweep_sh(env, op->pre)) {
		printf("# %s: set-up failed before %s#%llu\n", op->name, s->sym, s->nth);
		return 1;
	}
	snapshot(env, before);
	hm_write("1", SWEEP_HTI "reset");
	snprintf(rule, sizeof(rule), "%s %llu %d", s->sym, s->nth, SWEEP_ERRNO);
	if (hm_write(rule, SWEEP_HTI "fail")) {
		printf("# %s: cannot set rule \"%s\"\n", op->name, rule);
		return 1;
	}
	rc = sweep_sh(env, op->run);
	hm_write("1", SWEEP_HTI "reset");
	if (!rc && !op->unreported) {
		printf("# %s: %s#%llu at %s failed, yet the operation succeeded\n",
		       op->name, s->sym, s->nth, s->caller);
		return 1;
	}
	snapshot(env, after);
	if (!op->resume && strcmp(before, after)) {
		printf("# %s: %s#%llu at %s failed: not rolled back\n", op->name,
		       s->sym, s->nth, s->caller);
		show_diff(before, after);
		return 1;
	}
	if (sweep_sh(env, op->resume ? op->resume : op->run)) {
		printf("# %s: after %s#%llu failed, %s fails\n", op->name, s->sym,
		       s->nth, op->resume ? "resuming" : "a retry");
		return 1;
	}
	snapshot(env, after);
	if (strcmp(ok, after)) {
		printf("# %s: after %s#%llu failed and %s: not as after a clean run\n",
		       op->name, s->sym, s->nth, op->resume ? "resuming" : "a retry");
		show_diff(ok, after);
		return 1;
	}
	return 0;
}

/**
 * sweep_op() - sweep every fallible call of @op
 * @env: the suite
 * @op: the operation
 *
 * Appends "NAME SITES PASSED" to the coverage file.
 *
 * Return: the number of call sites that did not hold, or -1 if the
 * operation does not even work without failures.
 */
int sweep_op(const struct sweep_env *env, const struct sweep_op *op)
{
	char *before = malloc(SNAP), *after = malloc(SNAP), *ok = malloc(SNAP);
	struct site *s = calloc(MAX_SITES, sizeof(*s));
	int n = -1, i, bad = -1;
	FILE *f;

	if (!before || !after || !ok || !s)
		goto out;
	sweep_sh(env, env->clean);
	if (sweep_sh(env, op->pre)) {
		printf("# %s: set-up fails\n", op->name);
		goto out;
	}
	hm_write("1", SWEEP_HTI "reset");
	if (sweep_sh(env, op->run)) {
		printf("# %s: fails without any failure injected\n", op->name);
		goto out;
	}
	snapshot(env, ok);
	n = sites_from_log(s, MAX_SITES);
	if (n < 0)
		goto out;
	bad = 0;
	for (i = 0; i < n; i++)
		bad += sweep_site(env, op, &s[i], ok, before, after);
	printf("# %s: %d call sites swept, %d held\n", op->name, n, n - bad);
	f = fopen(COVERAGE, "a");
	if (f) {
		fprintf(f, "%s|%d|%d\n", op->name, n, n - bad);
		fclose(f);
	}
out:
	sweep_sh(env, env->clean);
	free(before);
	free(after);
	free(ok);
	free(s);
	return bad;
}

/**
 * sweep_coverage_report() - print what the suite's sweeps covered
 * @nr_ops: the operations the suite has
 *
 * Return: 0 if every one was swept and every site held, else -1.
 */
int sweep_coverage_report(int nr_ops)
{
	char buf[8192], *line, *save, name[128];
	int ops = 0, sites = 0, held = 0, s, h;

	if (hm_read_str(buf, sizeof(buf), COVERAGE) <= 0) {
		printf("# coverage: no sweep ran\n");
		return -1;
	}
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%127[^|]|%d|%d", name, &s, &h) != 3)
			continue;
		printf("# coverage: %-32s %3d call sites, %3d held\n", name, s, h);
		ops++;
		sites += s;
		held += h;
	}
	printf("# coverage: %d of %d operations x %d call sites swept, %d held\n",
	       ops, nr_ops, sites, held);
	return ops == nr_ops && sites == held ? 0 : -1;
}
