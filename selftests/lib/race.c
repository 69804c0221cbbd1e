// SPDX-License-Identifier: GPL-2.0
/*
 * The concurrency suites' harness; see race.h.  Workers are processes
 * sharing one page with the parent: a stop flag, their step counts and
 * the first failure.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "race.h"

/* how long a worker may take to notice the stop and leave */
#define RC_GRACE_SECONDS	60

/* stop and failed are read and written with __atomic_*() */
struct rc_shared {
	int stop;
	int failed;
	unsigned long steps[RC_MAX_WORKERS];
	char why[512];
};

static struct rc_shared *rc_sh;
static int rc_self;

unsigned int rc_rand(void)
{
	static unsigned int s;

	if (!s)
		s = getpid() * 2654435761u ^ time(NULL);
	s ^= s << 13;
	s ^= s >> 17;
	s ^= s << 5;
	return s;
}

int rc_fail(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = snprintf(buf, sizeof(buf), "worker %d: ", rc_self);
	vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (!__sync_lock_test_and_set(&rc_sh->failed, 1))
		memcpy(rc_sh->why, buf, sizeof(buf));
	return -1;
}

bool rc_allowed(int err, const int *ok)
{
	for (; *ok != RC_END; ok++)
		if (err == *ok)
			return true;
	return false;
}

/* @err must be one of @ok (0 and negative errnos, ended by RC_END) */
int rc_expect(const char *what, int err, const int *ok)
{
	if (rc_allowed(err, ok))
		return 0;
	return rc_fail("%s: errno %d (%s), not one the README allows", what, -err,
		       strerror(-err));
}

int rc_exec(const char *cmd)
{
	char buf[1024];
	int st;

	snprintf(buf, sizeof(buf), "%s >/dev/null 2>&1", cmd);
	st = system(buf);
	return st == -1 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

/* the pids of tasks in uninterruptible sleep (D), at most @max */
static int rc_d_tasks(int *pids, int max, char *first, size_t len)
{
	char path[300], stat[512], *p;
	struct dirent *d;
	int n = 0;
	DIR *dir;

	dir = opendir("/proc");
	while (dir && (d = readdir(dir)) && n < max) {
		FILE *f;

		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(stat, sizeof(stat), f)) {
			p = strrchr(stat, ')');
			if (p && p[1] == ' ' && p[2] == 'D') {
				if (!n)
					snprintf(first, len, "%.200s", stat);
				pids[n++] = atoi(d->d_name);
			}
		}
		fclose(f);
	}
	if (dir)
		closedir(dir);
	return n;
}

/*
 * Is a task left in D state: one seen there twice, a second apart (a
 * task passing through a short uninterruptible sleep is not stuck).
 */
int rc_d_state(char *why, size_t len)
{
	int a[64], b[64], na, nb, i, j;
	char first[256];

	na = rc_d_tasks(a, 64, first, sizeof(first));
	if (!na)
		return 0;
	sleep(1);
	nb = rc_d_tasks(b, 64, first, sizeof(first));
	for (i = 0; i < nb; i++)
		for (j = 0; j < na; j++)
			if (b[i] == a[j]) {
				snprintf(why, len, "a task stays in D state: %s", first);
				return -1;
			}
	return 0;
}

static void rc_worker_main(const struct rc_worker *w, int i)
{
	rc_self = i;
	while (!__atomic_load_n(&rc_sh->stop, __ATOMIC_RELAXED) &&
	       !__atomic_load_n(&rc_sh->failed, __ATOMIC_RELAXED)) {
		if (w->step(w->arg))
			break;
		rc_sh->steps[i]++;
	}
	_exit(0);
}

/**
 * rc_run() - run @n workers for @seconds
 * @w: the workers
 * @n: how many
 * @seconds: how long
 * @why: the first failure, or the worker that would not stop
 * @len: room in @why
 *
 * Return: 0, or -1 with @why filled in.
 */
int rc_run(const struct rc_worker *w, int n, unsigned int seconds,
	   char *why, size_t len)
{
	pid_t pid[RC_MAX_WORKERS];
	int i, st, left, rc = 0;
	time_t end;

	rc_sh = mmap(NULL, sizeof(*rc_sh), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (rc_sh == MAP_FAILED || n > RC_MAX_WORKERS)
		return -1;
	memset(rc_sh, 0, sizeof(*rc_sh));
	fflush(stdout);
	fflush(stderr);
	for (i = 0; i < n; i++) {
		pid[i] = fork();
		if (!pid[i])
			rc_worker_main(&w[i], i);
	}
	end = time(NULL) + seconds;
	while (time(NULL) < end && !__atomic_load_n(&rc_sh->failed, __ATOMIC_RELAXED))
		usleep(100 * 1000);
	__atomic_store_n(&rc_sh->stop, 1, __ATOMIC_RELAXED);
	end = time(NULL) + RC_GRACE_SECONDS;
	for (left = n; left && time(NULL) < end; ) {
		for (i = 0; i < n; i++)
			if (pid[i] > 0 && waitpid(pid[i], &st, WNOHANG) == pid[i]) {
				pid[i] = 0;
				left--;
			}
		usleep(100 * 1000);
	}
	for (i = 0; i < n; i++) {
		printf("# %-28s %lu steps\n", w[i].name, rc_sh->steps[i]);
		if (pid[i] > 0) {
			char wchan[128] = "?", path[64];
			FILE *f;

			snprintf(path, sizeof(path), "/proc/%d/wchan", pid[i]);
			f = fopen(path, "r");
			if (f) {
				if (!fgets(wchan, sizeof(wchan), f))
					wchan[0] = '\0';
				fclose(f);
			}
			snprintf(why, len, "%s (pid %d) did not stop within %d s, waiting in %s",
				 w[i].name, pid[i], RC_GRACE_SECONDS, wchan);
			kill(pid[i], SIGKILL);
			rc = -1;
		}
	}
	if (!rc && rc_sh->failed) {
		snprintf(why, len, "%s", rc_sh->why);
		rc = -1;
	}
	if (!rc)
		rc = rc_d_state(why, len);
	munmap(rc_sh, sizeof(*rc_sh));
	fflush(stdout);
	return rc;
}
