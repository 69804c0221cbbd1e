// SPDX-License-Identifier: GPL-2.0
/*
 * The rollback sweep engine (sweep.h).  Prints its findings as TAP
 * diagnostics ("# ..."); the caller asserts on the counts it returns.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static void coverage_add(const char *name, int sites, int held)
{
	FILE *f = fopen(COVERAGE, "a");

	if (f) {
		fprintf(f, "%s|%d|%d\n", name, sites, held);
		fclose(f);
	}
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
	coverage_add(op->name, n, n - bad);
out:
	sweep_sh(env, env->clean);
	free(before);
	free(after);
	free(ok);
	free(s);
	return bad;
}

#define FI	"/sys/kernel/debug/"

/*
 * Kernel code that does not handle a failed allocation: x86 maps
 * hot-added memory into the direct map with alloc_low_page() and uses the
 * page without checking it (phys_pud_init() -> phys_pmd_init() oopses on
 * NULL, with the in-kernel kmem as with hotmem_kmem).  Allocations made
 * under it are never failed: the whole function, from its address to the
 * next symbol's, is the fault attributes' reject range.
 */
#define SWEEP_UNCHECKED	"init_memory_mapping"

/* [*start, *end) of the text of the function @name, from /proc/kallsyms */
static int text_range(const char *name, unsigned long long *start,
		      unsigned long long *end)
{
	char line[512], sym[256], type;
	unsigned long long a;
	FILE *f = fopen("/proc/kallsyms", "r");

	if (!f)
		return -errno;
	*start = 0;
	*end = ~0ULL;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %255s", &a, &type, sym) == 3 &&
		    !strcmp(sym, name))
			*start = a;
	rewind(f);
	while (*start && fgets(line, sizeof(line), f)) {
		a = strtoull(line, NULL, 16);
		if (a > *start && a < *end)
			*end = a;
	}
	fclose(f);
	return *start && *end != ~0ULL ? 0 : -ENOENT;
}

/**
 * sweep_alloc_setup() - let the kernel's fault injection fail any slab
 * and page allocation of a task that asks for it (fail-nth), sleeping
 * ones too, but none under SWEEP_UNCHECKED, and silently: the stack dump
 * of an injected failure is not a finding
 *
 * Return: 0, or -errno if the kernel has no failslab, fail_page_alloc or
 * their stack filter.
 */
int sweep_alloc_setup(void)
{
	static const char *const attrs[] = { "failslab", "fail_page_alloc" };
	static const char *const set[][2] = {
		{ "N", "ignore-gfp-wait" },
		{ "0", "verbose" },
	};
	unsigned long long start, end;
	char v[32];
	int i, j, rc;

	rc = text_range(SWEEP_UNCHECKED, &start, &end);
	if (rc)
		return rc;
	for (i = 0; i < 2; i++) {
		for (j = 0; j < 2; j++) {
			rc = hm_write(set[j][0], FI "%s/%s", attrs[i], set[j][1]);
			if (rc)
				return rc;
		}
		snprintf(v, sizeof(v), "%#llx", start);
		rc = hm_write(v, FI "%s/reject-start", attrs[i]);
		snprintf(v, sizeof(v), "%#llx", end);
		rc = rc ?: hm_write(v, FI "%s/reject-end", attrs[i]);
		if (rc)
			return rc;
	}
	rc = hm_write("N", FI "fail_page_alloc/ignore-gfp-highmem");
	return rc ?: hm_write("0", FI "fail_page_alloc/min-order");
}

/**
 * sweep_write_nth() - write @val to @path with the @nth allocation of this
 * task from the write on failed (0: none)
 * @path: the file
 * @val: what to write
 * @nth: which allocation fails (fail-nth), 0 for none
 * @err: set to the write's -errno, or 0
 *
 * Return: 1 if a failure was injected, 0 if not, -errno if the set-up
 * failed.
 */
int sweep_write_nth(const char *path, const char *val, int nth, int *err)
{
	char left[32] = "";
	int fd, nfd, rc;
	ssize_t n;

	fd = open(path, O_WRONLY);
	nfd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (fd < 0 || nfd < 0) {
		rc = -errno;
		goto out;
	}
	snprintf(left, sizeof(left), "%d", nth);
	if (nth && write(nfd, left, strlen(left)) < 0) {
		rc = -errno;
		goto out;
	}
	n = write(fd, val, strlen(val));
	*err = n < 0 ? -errno : 0;
	/* what is left of the count: 0 once the failure was injected */
	n = pread(nfd, left, sizeof(left) - 1, 0);
	left[n > 0 ? n : 0] = '\0';
	rc = nth && n > 0 && atoi(left) == 0;
	if (write(nfd, "0", 1) < 0)
		rc = -errno;
out:
	if (fd >= 0)
		close(fd);
	if (nfd >= 0)
		close(nfd);
	return rc;
}

/* sweep_write_nth() for @op: a write that did not take effect fails with -EIO */
static int op_nth(const struct sweep_env *env, const struct sweep_write *op,
		  const char *path, const char *val, int nth, int *err)
{
	int inj = sweep_write_nth(path, val, nth, err);

	if (inj >= 0 && !*err && op->done && sweep_sh(env, op->done))
		*err = -EIO;
	return inj;
}

/* back to where @op starts, and what a user sees there; 0 if so */
static int alloc_reset(const struct sweep_env *env, const struct sweep_write *op,
		       char *before)
{
	sweep_sh(env, env->clean);
	if (sweep_sh(env, op->pre)) {
		printf("# %s: set-up fails\n", op->name);
		return -1;
	}
	return snapshot(env, before);
}

/**
 * sweep_alloc_op() - fail each allocation of @op's write in turn
 * @env: the suite
 * @op: the operation
 *
 * Fails the 1st, 2nd, ... allocation (slab or page) made by the writing
 * task from the write on, until a write makes no such allocation.  A
 * write that fails must leave what a user sees as it was, and the next
 * write (with the next allocation failed, or none) starts from there:
 * that is the retry.  With @op->resume, a failed write must instead be
 * resumable to where a clean run ends.  A write that succeeds despite the
 * failure is fine.  The last write, with nothing failed, must succeed and
 * end where a clean run ends.  Appends "NAME SITES HELD" to the coverage
 * file.
 *
 * Return: the number of allocations whose failure did not hold, or -1 if
 * the operation does not work without failures.
 */
int sweep_alloc_op(const struct sweep_env *env, const struct sweep_write *op)
{
	char *before = malloc(SNAP), *after = malloc(SNAP), *ok = malloc(SNAP);
	int nth, bad = -1, failed = 0, inj, err = 0;
	char path[512], val[512];

	if (!before || !after || !ok)
		goto out;
	if (hm_sh(path, sizeof(path), "%s printf %%s \"%s\"", env->vars, op->path) ||
	    hm_sh(val, sizeof(val), "%s printf %%s \"%s\"", env->vars, op->val) ||
	    alloc_reset(env, op, before) || op_nth(env, op, path, val, 0, &err) < 0 || err) {
		printf("# %s: fails without any failure injected (%s)\n", op->name,
		       strerror(-err));
		goto out;
	}
	snapshot(env, ok);
	if (alloc_reset(env, op, before))
		goto out;
	bad = 0;
	for (nth = 1; ; nth++) {
		inj = op_nth(env, op, path, val, nth, &err);
		if (inj < 0) {
			printf("# %s: cannot inject (%s)\n", op->name, strerror(-inj));
			bad = -1;
			break;
		}
		if (inj && !err) {
			/* done despite the failure: allowed; start over */
			if (alloc_reset(env, op, before)) {
				bad = -1;
				break;
			}
			continue;
		}
		snapshot(env, after);
		if (!inj) {
			if (err || strcmp(ok, after)) {
				printf("# %s: after %d failed allocations, the write %s\n",
				       op->name, nth - 1, err ? "fails" : "is not as a clean run");
				if (!err)
					show_diff(ok, after);
				bad++;
			}
			break;
		}
		if (op->resume) {
			failed++;
			if (sweep_sh(env, op->resume) ||
			    (snapshot(env, after), strcmp(ok, after))) {
				printf("# %s: after allocation %d failed (%s), %s\n",
				       op->name, nth, strerror(-err),
				       "resuming is not as a clean run");
				show_diff(ok, after);
				bad++;
			}
		} else {
			failed++;
			if (!strcmp(before, after))
				continue;	/* rolled back: the next write retries */
			printf("# %s: allocation %d failed (%s): not rolled back\n",
			       op->name, nth, strerror(-err));
			show_diff(before, after);
			bad++;
		}
		if (alloc_reset(env, op, before)) {
			bad = -1;
			break;
		}
	}
	if (bad >= 0) {
		printf("# %s: %d allocations failed one at a time: %s %d, held %d\n",
		       op->name, nth - 1, "failed the operation", failed, nth - 1 - bad);
		coverage_add(op->name, nth - 1, nth - 1 - bad);
	}
out:
	sweep_sh(env, env->clean);
	free(before);
	free(after);
	free(ok);
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
