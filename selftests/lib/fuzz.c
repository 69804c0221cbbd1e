// SPDX-License-Identifier: GPL-2.0
/*
 * The hotmem fuzzer's engine, input generators and grammar oracle; see
 * fuzz.h.  The oracle is written from the README's rules, not from the
 * kernel's parser (kmod/lib/hm_parse.c): the two must agree.
 */
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest.h"	/* ARRAY_SIZE */
#include "fuzz.h"
#include "hotmem_util.h"

/* what the runner (scripts/guest/run-tests) fails a test for */
#define FZ_BAD	"WARNING:|BUG:|Oops|Call Trace|KASAN|UBSAN|general protection fault|" \
		"kernel BUG|possible (recursive|circular) locking|inconsistent lock state|" \
		"lockdep|INFO: task .* blocked|rcu: INFO|soft lockup|hard LOCKUP|kmemleak"

/* what leaves the kernel broken: no replay can follow */
#define FZ_FATAL	"BUG:|Oops|general protection fault|kernel BUG|Kernel panic"

/* what a sysfs write hands the store at most: one page */
#define FZ_PAGE	4096

/* time left for shrinking a failing sequence */
#define FZ_SHRINK_SECONDS	240

void fz_seed(struct fz_rng *r, __u64 seed)
{
	r->s = fz_mix(seed, 0x2545f4914f6cdd1dULL) | 1;
}

__u64 fz_next(struct fz_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

__u64 fz_below(struct fz_rng *r, __u64 n)
{
	return n ? fz_next(r) % n : 0;
}

bool fz_chance(struct fz_rng *r, unsigned int percent)
{
	return fz_below(r, 100) < percent;
}

/* splitmix64 of @a and @b: the seed of case @b of a run seeded @a */
__u64 fz_mix(__u64 a, __u64 b)
{
	__u64 z = a + 0x9e3779b97f4a7c15ULL * (b + 1);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double fz_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- files ---- */

int fz_write(const char *path, const void *buf, size_t len)
{
	return hm_write_n(buf, len, "%s", path);
}

/* run @prog with up to two arguments, quietly; its exit status, or -1 */
int fz_exec(const char *prog, const char *a1, const char *a2)
{
	char *argv[4];
	int st, fd;
	pid_t pid;

	argv[0] = (char *)prog;
	argv[1] = (char *)a1;
	argv[2] = (char *)a2;
	argv[3] = NULL;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		fd = open("/dev/null", O_WRONLY);
		dup2(fd, 1);
		dup2(fd, 2);
		execv(prog, argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

int fz_read(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return n;
	buf[n] = '\0';
	return n;
}

/* ---- the kernel log ---- */

static int fz_kmsg = -1;
static regex_t fz_bad, fz_fatal;
/* set in the parent of a forked run that saw the kernel break */
static bool fz_broken;

/**
 * fz_kernel_broken() - did a forked run see an oops or a BUG
 *
 * Return: true if so: clean-up that needs the module's locks would hang.
 */
bool fz_kernel_broken(void)
{
	return fz_broken;
}

/* the first record of @fd matching @re, into @why; 0 if none is new */
static int fz_kmsg_scan(int fd, const regex_t *re, char *why, size_t len)
{
	char rec[2048], *msg;
	ssize_t n;
	int rc = 0;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overrun: records were lost, go on */
		if (n <= 0)
			break;
		rec[n] = '\0';
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		msg[strcspn(msg, "\n")] = '\0';
		if (!rc && !regexec(re, msg, 0, NULL, 0)) {
			snprintf(why, len, "kernel log: %s", msg);
			rc = -1;
		}
	}
	return rc;
}

static int fz_regex_init(void)
{
	static bool done;

	if (done)
		return 0;
	if (regcomp(&fz_bad, FZ_BAD, REG_EXTENDED | REG_NOSUB) ||
	    regcomp(&fz_fatal, FZ_FATAL, REG_EXTENDED | REG_NOSUB))
		return -EINVAL;
	done = true;
	return 0;
}

int fz_kmsg_open(void)
{
	if (fz_kmsg >= 0)
		return 0;
	if (fz_regex_init())
		return -EINVAL;
	fz_kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (fz_kmsg < 0)
		return -errno;
	lseek(fz_kmsg, 0, SEEK_END);
	return 0;
}

/* 0, or -1 with the first bad kernel log line since the last call */
int fz_kmsg_check(char *why, size_t len)
{
	return fz_kmsg < 0 ? 0 : fz_kmsg_scan(fz_kmsg, &fz_bad, why, len);
}

/* ---- the engine ---- */

/* a step, or a whole replay, failed: the model is the judge */
static int fz_do(const struct fz_model *m, const struct fz_op *op, char *why,
		 size_t len)
{
	if (m->step(op, why, len))
		return -1;
	if (fz_kmsg_check(why, len))
		return -1;
	return m->check(why, len);
}

/* 1: still fails; 0: passes; -2: the start state cannot be made */
static int fz_replay(const struct fz_model *m, const struct fz_op *ops, int n,
		     char *why, size_t len)
{
	int i;

	if (m->reset())
		return -2;
	fz_kmsg_check(why, len);
	for (i = 0; i < n; i++)
		if (fz_do(m, &ops[i], why, len))
			return 1;
	return 0;
}

/*
 * Shrink a failing sequence: drop chunks of steps, halving the chunk
 * when none can go, while the rest still fails (any failure counts).
 * Return: the length kept in @ops.
 */
static int fz_shrink(const struct fz_model *m, struct fz_op *ops, int n,
		     char *why, size_t len, int *replays)
{
	double deadline = fz_now() + FZ_SHRINK_SECONDS;
	struct fz_op *tmp = malloc(sizeof(*tmp) * n);
	int chunk = n / 2, start, k;
	char w[512];

	if (!tmp)
		return n;
	while (chunk >= 1 && fz_now() < deadline) {
		bool cut = false;

		for (start = 0; start < n && fz_now() < deadline; ) {
			k = chunk < n - start ? chunk : n - start;
			memcpy(tmp, ops, sizeof(*tmp) * start);
			memcpy(tmp + start, ops + start + k,
			       sizeof(*tmp) * (n - start - k));
			(*replays)++;
			if (fz_replay(m, tmp, n - k, w, sizeof(w)) == 1) {
				memcpy(ops, tmp, sizeof(*tmp) * (n - k));
				n -= k;
				snprintf(why, len, "%s", w);
				cut = true;
			} else {
				start += k;
			}
		}
		if (!cut)
			chunk /= 2;
	}
	free(tmp);
	return n;
}

static void fz_print_ops(const struct fz_model *m, const struct fz_op *ops, int n)
{
	char line[512];
	int i;

	for (i = 0; i < n; i++) {
		m->describe(&ops[i], line, sizeof(line));
		printf("# step %3d: %s\n", i + 1, line);
	}
}

/* run one case: reset, then steps from @cseed, each logged before it runs */
static int fz_case(const struct fz_model *m, const struct fz_config *cfg,
		   __u64 cseed, struct fz_op *ops, int *nops, char *why,
		   size_t len)
{
	char line[512];
	struct fz_rng r;
	FILE *log;
	int i;

	fz_seed(&r, cseed);
	if (m->reset()) {
		snprintf(why, len, "reset failed");
		return -2;
	}
	fz_kmsg_check(why, len);
	log = fopen(cfg->log, "w");
	if (log)
		fprintf(log, "# %s case %#llx (run seed %#llx)\n", m->name,
			(unsigned long long)cseed, (unsigned long long)cfg->seed);
	for (i = 0; i < cfg->steps; i++) {
		m->gen(&r, cfg->inputs, &ops[i]);
		if (log) {
			m->describe(&ops[i], line, sizeof(line));
			fprintf(log, "# step %3d: %s\n", i + 1, line);
			fflush(log);
		}
		m->count[ops[i].code]++;
		if (fz_do(m, &ops[i], why, len)) {
			*nops = i + 1;
			if (log)
				fclose(log);
			return -1;
		}
	}
	*nops = i;
	if (log)
		fclose(log);
	return 0;
}

static void fz_report(const struct fz_model *m, const struct fz_config *cfg,
		      __u64 cseed, struct fz_op *ops, int n, const char *why)
{
	char w[512];
	int kept, replays = 0, again;

	printf("# FINDING in %s: %s\n", m->name, why);
	printf("# reproduce: make fuzz MODULE=%s SEED=%#llx CASE=%#llx%s\n",
	       m->name, (unsigned long long)cfg->seed,
	       (unsigned long long)cseed, cfg->inputs ? " INPUTS=1" : "");
	printf("# the sequence (%d steps):\n", n);
	fz_print_ops(m, ops, n);
	fflush(stdout);
	if (!regexec(&fz_fatal, why, 0, NULL, 0)) {
		printf("# the kernel is broken: no replay, not shrunk\n");
		return;
	}
	snprintf(w, sizeof(w), "%s", why);
	again = fz_replay(m, ops, n, w, sizeof(w));
	if (again != 1) {
		printf("# a replay from the start state %s: not shrunk\n",
		       again ? "could not start" : "did not fail (a race?)");
		return;
	}
	kept = fz_shrink(m, ops, n, w, sizeof(w), &replays);
	printf("# shortest sequence that still fails (%d of %d steps, %d replays):\n",
	       kept, n, replays);
	fz_print_ops(m, ops, kept);
	/* last, so that the runner's tail of a failure shows it */
	printf("# FINDING in %s, shortest sequence above (%d steps): %s\n", m->name,
	       kept, w);
}

/**
 * fz_run() - walk cases until the time is up or one fails
 * @m: the module's model
 * @cfg: the run
 *
 * Return: 0 nothing found; 1 a finding (printed, shrunk); -1 the test
 * itself could not run.
 */
int fz_run(const struct fz_model *m, const struct fz_config *cfg)
{
	struct fz_op *ops = malloc(sizeof(*ops) * FZ_MAX_STEPS);
	double deadline = fz_now() + cfg->seconds, t0 = fz_now();
	unsigned long steps = 0, cases = 0;
	char why[512] = "";
	__u64 cseed, c;
	int rc = 0, n = 0, i;

	if (!ops || cfg->steps > FZ_MAX_STEPS)
		return -1;
	if (fz_kmsg_open())
		return -1;
	printf("# fuzz %s%s: seed %#llx, %u s, %d steps per case\n", m->name,
	       cfg->inputs ? " (inputs)" : "", (unsigned long long)cfg->seed,
	       cfg->seconds, cfg->steps);
	for (c = 0; ; c++) {
		cseed = cfg->one_case ? cfg->one_case : fz_mix(cfg->seed, c);
		rc = fz_case(m, cfg, cseed, ops, &n, why, sizeof(why));
		steps += n;
		cases++;
		if (rc == -2) {
			printf("# case %#llx: %s\n", (unsigned long long)cseed, why);
			rc = -1;
			break;
		}
		if (rc) {
			fz_report(m, cfg, cseed, ops, n, why);
			rc = 1;
			break;
		}
		if (cfg->one_case || fz_now() >= deadline)
			break;
	}
	printf("# %s: %lu cases, %lu steps in %.0f s:", m->name, cases, steps,
	       fz_now() - t0);
	for (i = 0; i < m->nr_codes; i++)
		if (m->count[i])
			printf(" %s=%lu", m->names[i], m->count[i]);
	printf("\n");
	if (rc != 1)
		m->cleanup();
	free(ops);
	fflush(stdout);
	return rc;
}

/*
 * The case log of a fuzzer that died: its first line (the seeds) and its
 * last @n steps, the last being the one that did not return.
 */
static void fz_print_log_tail(const char *path, int n)
{
	char line[1024], (*ring)[sizeof(line)];
	int i, total = 0;
	FILE *f = fopen(path, "r");

	ring = calloc(n, sizeof(*ring));
	if (!f || !ring) {
		if (f)
			fclose(f);
		free(ring);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (!total++) {
			fputs(line, stdout);
			continue;
		}
		memcpy(ring[total % n], line, sizeof(line));
	}
	fclose(f);
	if (total - 1 > n)
		printf("# ... %d steps before these\n", total - 1 - n);
	/* the steps are lines 2 to total: print the last n of them */
	for (i = total - n + 1 > 2 ? total - n + 1 : 2; i <= total; i++)
		fputs(ring[i % n], stdout);
	if (total > 1 && !strchr(ring[total % n], '\n'))
		putchar('\n');
	free(ring);
}

/**
 * fz_run_forked() - fz_run() in a child, so that a step the kernel kills
 *	(an oops in a write) or wedges still reports its seed and steps
 * @m: the module's model
 * @cfg: the run
 *
 * Return: as fz_run(); a child killed or stuck is a finding.
 */
int fz_run_forked(const struct fz_model *m, const struct fz_config *cfg)
{
	double deadline = fz_now() + cfg->seconds + FZ_SHRINK_SECONDS + 120;
	double broke = 0;
	char why[512];
	int st = 0, n, kfd;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		n = fz_run(m, cfg);
		fflush(stdout);
		_exit(n < 0 ? 2 : n);
	}
	/* the parent's own view of the log: a step stuck behind an oops */
	kfd = fz_regex_init() ? -1 : open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (kfd >= 0)
		lseek(kfd, 0, SEEK_END);
	while (waitpid(pid, &st, WNOHANG) == 0) {
		if (!broke && kfd >= 0 && fz_kmsg_scan(kfd, &fz_fatal, why, sizeof(why)))
			broke = fz_now();
		if (fz_now() > deadline || (broke && fz_now() > broke + 20)) {
			kill(pid, SIGKILL);
			st = -1;
			break;
		}
		usleep(200 * 1000);
	}
	if (!broke && kfd >= 0 && fz_kmsg_scan(kfd, &fz_fatal, why, sizeof(why)))
		broke = fz_now();
	if (kfd >= 0)
		close(kfd);
	fz_broken = broke != 0;
	if (st != -1 && WIFEXITED(st))
		return WEXITSTATUS(st) == 2 ? -1 : WEXITSTATUS(st);
	fz_print_log_tail(cfg->log, 40);
	if (st != -1)
		printf("# FINDING in %s: killed by signal %d in the last step (an oops?); %s\n",
		       m->name, WTERMSIG(st), "replay with the seeds above, not shrunk");
	else
		printf("# FINDING in %s: the last step above never returned (a hang?); %s\n",
		       m->name, "replay with the seeds above, not shrunk");
	fflush(stdout);
	return 1;
}

void fz_config_from_env(struct fz_config *cfg, unsigned int seconds, int steps,
			bool inputs)
{
	const char *s;

	cfg->seconds = seconds;
	cfg->steps = steps;
	cfg->inputs = inputs;
	cfg->one_case = 0;
	cfg->seed = fz_mix(time(NULL), getpid());
	cfg->log = inputs ? "/tmp/fuzz-inputs.log" : "/tmp/fuzz-walk.log";
	s = getenv("HOTMEM_FUZZ_SECONDS");
	if (s && *s)
		cfg->seconds = strtoul(s, NULL, 0);
	s = getenv("HOTMEM_FUZZ_SEED");
	if (s && *s)
		cfg->seed = strtoull(s, NULL, 0);
	s = getenv("HOTMEM_FUZZ_CASE");
	if (s && *s)
		cfg->one_case = strtoull(s, NULL, 0);
	s = getenv("HOTMEM_FUZZ_STEPS");
	if (s && *s)
		cfg->steps = strtol(s, NULL, 0);
}

/* ---- the grammar's oracle, from the README ---- */

/* the value the store is given: at most a page, less one trailing newline;
 * -EINVAL empty or holding a NUL
 */
int fz_oracle_value(const char *buf, size_t len, size_t *vlen)
{
	if (len > FZ_PAGE)
		len = FZ_PAGE;
	if (len && buf[len - 1] == '\n')
		len--;
	if (!len || memchr(buf, '\0', len))
		return -EINVAL;
	*vlen = len;
	return 0;
}

static bool fz_all(const char *s, size_t len, const char *set)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!strchr(set, s[i]) || !s[i])
			return false;
	return len > 0;
}

int fz_oracle_num(const char *s, size_t len, enum fz_base base, __u64 *val)
{
	static const char hex[] = "0123456789abcdefABCDEF";
	static const char dec[] = "0123456789";
	bool is_hex = false;
	__u64 v = 0;
	size_t i;

	if (base != FZ_DEC && len > 2 && s[0] == '0' && (s[1] | 0x20) == 'x') {
		s += 2;
		len -= 2;
		is_hex = true;
	} else if (base == FZ_HEX) {
		is_hex = true;
	}
	if (!fz_all(s, len, is_hex ? hex : dec))
		return -EINVAL;
	if (!is_hex && len > 1 && s[0] == '0')
		return -EINVAL;
	for (i = 0; i < len; i++) {
		int d = s[i] <= '9' ? s[i] - '0' : (s[i] | 0x20) - 'a' + 10;

		if (__builtin_mul_overflow(v, is_hex ? 16 : 10, &v) ||
		    __builtin_add_overflow(v, d, &v))
			return -ERANGE;
	}
	*val = v;
	return 0;
}

int fz_oracle_u64(const char *buf, size_t len, __u64 *val)
{
	size_t n;
	int rc = fz_oracle_value(buf, len, &n);

	return rc ? rc : fz_oracle_num(buf, n, FZ_DEC_OR_HEX, val);
}

int fz_oracle_switch(const char *buf, size_t len, bool *val)
{
	__u64 v;
	size_t n;
	int rc = fz_oracle_value(buf, len, &n);

	if (!rc)
		rc = fz_oracle_num(buf, n, FZ_DEC, &v);
	if (!rc && v > 1)
		rc = -EINVAL;
	if (!rc)
		*val = v;
	return rc;
}

/* a bool module parameter of hotmem (hm_parse_bool()): a switch, Y/y/N/n */
int fz_oracle_bool(const char *buf, size_t len, bool *val)
{
	if (fz_oracle_word(buf, len, "Y") || fz_oracle_word(buf, len, "y")) {
		*val = true;
		return 0;
	}
	if (fz_oracle_word(buf, len, "N") || fz_oracle_word(buf, len, "n")) {
		*val = false;
		return 0;
	}
	return fz_oracle_switch(buf, len, val);
}

/* what a module parameter's set hook sees of a write: up to its first NUL */
size_t fz_param_len(const char *buf, size_t len)
{
	const char *nul = memchr(buf, '\0', len);

	return nul ? (size_t)(nul - buf) : len;
}

/*
 * A write to a bool parameter of hotmem (hm_param_set_bool()): an empty
 * write never reaches the hook (0, @val unchanged); else fz_oracle_bool()
 * of what the hook sees.
 */
int fz_oracle_param_bool(const char *buf, size_t len, bool *val)
{
	return len ? fz_oracle_bool(buf, fz_param_len(buf, len), val) : 0;
}

bool fz_oracle_word(const char *buf, size_t len, const char *word)
{
	size_t n;

	return !fz_oracle_value(buf, len, &n) && n == strlen(word) &&
	       !memcmp(buf, word, n);
}

/* "START-END" in hex, inclusive, START <= END */
int fz_oracle_range(const char *buf, size_t len, __u64 *start, __u64 *end)
{
	const char *dash;
	size_t n;
	int rc = fz_oracle_value(buf, len, &n);

	if (rc)
		return rc;
	dash = memchr(buf, '-', n);
	if (!dash)
		return -EINVAL;
	rc = fz_oracle_num(buf, dash - buf, FZ_HEX, start);
	if (!rc)
		rc = fz_oracle_num(dash + 1, buf + n - dash - 1, FZ_HEX, end);
	if (!rc && *end < *start)
		rc = -EINVAL;
	return rc;
}

/* ---- input generators ---- */

/*
 * Spoil an input the way users and scripts do: a sign, a space, a
 * leading zero, garbage after a NUL, two newlines, a 4 KiB string,
 * nothing at all.  Return: the new length.
 */
size_t fz_mutate(struct fz_rng *r, char *buf, size_t len)
{
	static const char *const pre[] = { "+", "-", " ", "0", "\t", "00", "0x", "x" };
	static const char *const post[] = { " ", "x", "\n\n", "\n ", "\t", ",", ":", "-" };
	const char *s;

	switch (fz_below(r, 9)) {
	case 0:
		s = pre[fz_below(r, ARRAY_SIZE(pre))];
		memmove(buf + strlen(s), buf, len);
		memcpy(buf, s, strlen(s));
		return len + strlen(s);
	case 1:
		s = post[fz_below(r, ARRAY_SIZE(post))];
		memcpy(buf + len, s, strlen(s));
		return len + strlen(s);
	case 2:	/* a NUL and garbage */
		memcpy(buf + len, "\0junk\n", 6);
		return len + 6;
	case 3:	/* a long string: leading zeros up to 4 KiB (or past) */
	{
		size_t to = fz_chance(r, 80) ? FZ_PAGE : FZ_PAGE + 50;

		if (len >= to)
			return len;
		memmove(buf + (to - len), buf, len);
		memset(buf, '0', to - len);
		return to;
	}
	case 4:
		return 0;
	case 5:
		buf[0] = '\n';
		return 1;
	case 6:	/* a random byte replaced */
		if (len)
			buf[fz_below(r, len)] = "\n \0x-+:,0g"[fz_below(r, 10)];
		return len;
	case 7:	/* cut short */
		return len ? fz_below(r, len) : 0;
	default:	/* doubled */
		if (len * 2 < FZ_BUF - 16) {
			memcpy(buf + len, buf, len);
			return len * 2;
		}
		return len;
	}
}

/* a size for an instance or a region: around the unit, its multiples and
 * the limits
 */
__u64 fz_pick_size(struct fz_rng *r, __u64 unit, __u64 max)
{
	static const __u64 odd[] = { 0, 1, 4096, 1ULL << 20, 3ULL << 20,
				     1ULL << 30, ~0ULL, 1ULL << 63, ~0ULL - (2ULL << 20) + 1 };

	switch (fz_below(r, 10)) {
	case 0:
		return odd[fz_below(r, ARRAY_SIZE(odd))];
	case 1:
		return max + unit * fz_below(r, 3);
	case 2:
		return unit * (1 + fz_below(r, 4)) + (fz_chance(r, 50) ? 4096 : -4096ULL);
	default:
		return unit * fz_below(r, max / unit + 1);
	}
}

/* @v written as the grammar allows (decimal, or hex), then maybe spoiled */
size_t fz_gen_number(struct fz_rng *r, __u64 v, enum fz_base base,
		     bool mutate, char *buf)
{
	size_t len;

	if (base == FZ_HEX)
		len = sprintf(buf, fz_chance(r, 30) ? "0x%llx" : "%llx",
			      (unsigned long long)v);
	else if (base == FZ_DEC_OR_HEX && fz_chance(r, 40))
		len = sprintf(buf, fz_chance(r, 80) ? "0x%llx" : "0X%llX",
			      (unsigned long long)v);
	else
		len = sprintf(buf, "%llu", (unsigned long long)v);
	if (fz_chance(r, 10))	/* past 64 bits */
		len += sprintf(buf + len, "%u", (unsigned int)fz_below(r, 1000));
	if (fz_chance(r, 50))
		buf[len++] = '\n';
	if (mutate)
		len = fz_mutate(r, buf, len);
	return len;
}

size_t fz_gen_switch(struct fz_rng *r, bool mutate, char *buf)
{
	size_t len = sprintf(buf, "%d", (int)fz_below(r, 2));

	if (fz_chance(r, 5))
		len = sprintf(buf, "%d", (int)fz_below(r, 5));
	if (fz_chance(r, 50))
		buf[len++] = '\n';
	if (mutate)
		len = fz_mutate(r, buf, len);
	return len;
}

/* what a bool parameter is written: Y, N, y, n, 0, 1, now and then a word */
size_t fz_gen_bool(struct fz_rng *r, bool mutate, char *buf)
{
	static const char *const words[] = {
		"Y", "N", "y", "n", "0", "1", "yes", "on", "2", "YN",
	};
	size_t len = sprintf(buf, "%s", words[fz_below(r, fz_chance(r, 90) ? 6 : 10)]);

	if (fz_chance(r, 50))
		buf[len++] = '\n';
	if (mutate)
		len = fz_mutate(r, buf, len);
	return len;
}

size_t fz_gen_word(struct fz_rng *r, const char *word, bool mutate, char *buf)
{
	size_t len = sprintf(buf, "%s", word);

	if (fz_chance(r, 50))
		buf[len++] = '\n';
	if (mutate)
		len = fz_mutate(r, buf, len);
	return len;
}

const char *fz_errname(int err)
{
	static char other[32];

	switch (-err) {
	case 0: return "0";
	case EINVAL: return "EINVAL";
	case ERANGE: return "ERANGE";
	case EBUSY: return "EBUSY";
	case ENOSPC: return "ENOSPC";
	case EEXIST: return "EEXIST";
	case ENXIO: return "ENXIO";
	case ENOENT: return "ENOENT";
	case ENODEV: return "ENODEV";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case E2BIG: return "E2BIG";
	case EACCES: return "EACCES";
	case ENOMEM: return "ENOMEM";
	case EINTR: return "EINTR";
	}
	snprintf(other, sizeof(other), "%d", err);
	return other;
}

/* @buf as a C string literal, long runs of one byte folded */
void fz_quote(const char *buf, size_t len, char *out, size_t outlen)
{
	size_t i, o = 0, run;

	if (outlen < 8)
		return;
	out[o++] = '"';
	for (i = 0; i < len && o + 16 < outlen; i += run) {
		for (run = 1; i + run < len && buf[i + run] == buf[i]; run++)
			;
		if (run < 8)
			run = 1;
		if (buf[i] == '\n')
			o += snprintf(out + o, outlen - o, "\\n");
		else if (buf[i] == '\t')
			o += snprintf(out + o, outlen - o, "\\t");
		else if (!buf[i])
			o += snprintf(out + o, outlen - o, "\\0");
		else if (buf[i] == '"' || buf[i] == '\\')
			o += snprintf(out + o, outlen - o, "\\%c", buf[i]);
		else if (buf[i] < 32 || buf[i] > 126)
			o += snprintf(out + o, outlen - o, "\\x%02x",
				      (unsigned char)buf[i]);
		else
			out[o++] = buf[i];
		if (run >= 8)
			o += snprintf(out + o, outlen - o, "{x%zu}", run);
	}
	if (i < len)
		o += snprintf(out + o, outlen - o, "...");
	out[o++] = '"';
	out[o] = '\0';
	if (len > 60)
		snprintf(out + o, outlen - o, " (%zu bytes)", len);
}
