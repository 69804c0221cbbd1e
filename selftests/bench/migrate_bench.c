// SPDX-License-Identifier: GPL-2.0
/*
 * Migration throughput: a process's anonymous memory moved into device
 * memory and back, per call size (4 KiB to 64 MiB), through
 * hotmem_pagemap's ioctls (coherent, and private where the kernel has
 * CONFIG_DEVICE_PRIVATE) and, where the kernel has lib/test_hmm, through
 * test_hmm's (its coherent devices on the lower half of the soft-reserved
 * range, hotmem on the upper half) in the same boot.  Every call is
 * checked to have moved every page.  Each cell is the median of RUNS runs
 * (min and max alongside) of moving 16 MiB (a single call of 64 MiB),
 * the configurations in rotating order.  Prints a table and a JSON block
 * (BENCH-JSON-BEGIN/END) that scripts/bench.sh --migrate keeps.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <hotmem/pagemap.h>

#include "hotmem_util.h"

#define MIB	(1024ULL * 1024)
#define PG	4096ULL
#define TOTAL	(16 * MIB)
#define MAX_RUNS 15

/* lib/test_hmm's ABI (lib/test_hmm_uapi.h of the kernel source) */
struct hmm_cmd {
	__u64 addr;
	__u64 ptr;
	__u64 npages;
	__u64 cpages;
	__u64 faults;
};

#define HMM_TO_DEV	_IOWR('H', 0x02, struct hmm_cmd)
#define HMM_TO_SYS	_IOWR('H', 0x03, struct hmm_cmd)

enum cfg { HOTMEM_COHERENT, HOTMEM_PRIVATE, HMM_COHERENT, HMM_PRIVATE, NCFG };

static const char *const cfg_name[NCFG] = {
	"hotmem-coherent", "hotmem-private", "test_hmm-coherent", "test_hmm-private",
};

/* the device of each configuration, or -1 where this kernel has none */
static int cfg_fd[NCFG] = { -1, -1, -1, -1 };

static const unsigned long long sizes[] = { PG, 64 * 1024, 2 * MIB, 64 * MIB };
#define NSIZE	((int)ARRAY_SIZE(sizes))

/* seconds[cfg][size][run][0 to the device, 1 back] */
static double secs[NCFG][NSIZE][MAX_RUNS][2];
static int runs = 5;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/*
 * move [p, p + len) one way: 0 if every page moved.  test_hmm's move to
 * the device also copies the data it moved to @mirror, "for verification"
 * (its ABI wants the buffer): part of its cost, as it is of its tests.
 */
static int move(enum cfg c, char *p, char *mirror, unsigned long long len,
		int to_dev)
{
	if (c == HOTMEM_COHERENT || c == HOTMEM_PRIVATE) {
		struct hotmem_pm_migrate m = {
			.addr = (unsigned long)p, .npages = len / PG,
		};

		if (ioctl(cfg_fd[c], to_dev ? HOTMEM_PM_MIGRATE_TO_DEV :
			  HOTMEM_PM_MIGRATE_TO_RAM, &m))
			return -errno;
		return m.done == len / PG ? 0 : -EIO;
	}
	struct hmm_cmd h = {
		.addr = (unsigned long)p, .ptr = (unsigned long)mirror, .npages = len / PG,
	};

	if (ioctl(cfg_fd[c], to_dev ? HMM_TO_DEV : HMM_TO_SYS, &h))
		return -errno;
	return h.cpages == len / PG ? 0 : -EIO;
}

/* one cell: TOTAL bytes in calls of @size, to the device and back */
static int measure(enum cfg c, unsigned long long size, double *out)
{
	unsigned long long total = size > TOTAL ? size : TOTAL, off;
	char *p = mmap(NULL, total, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *mirror = malloc(size);
	double t;
	int rc = 0;

	if (p == MAP_FAILED || !mirror)
		return -ENOMEM;
	memset(mirror, 0, size);
	memset(p, 0x5a, total);
	t = now();
	for (off = 0; off < total && !rc; off += size)
		rc = move(c, p + off, mirror, size, 1);
	out[0] = now() - t;
	t = now();
	for (off = 0; off < total && !rc; off += size)
		rc = move(c, p + off, mirror, size, 0);
	out[1] = now() - t;
	if (!rc && (p[0] != 0x5a || p[total - 1] != 0x5a))
		rc = -EIO;
	munmap(p, total);
	free(mirror);
	if (rc)
		fprintf(stderr, "# %s, %llu bytes a call: %s\n", cfg_name[c], size,
			strerror(-rc));
	return rc;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* MiB/s of the median, min and max time of a cell, one way */
static void rates(enum cfg c, int k, int way, double *med, double *lo, double *hi)
{
	double t[MAX_RUNS];
	unsigned long long total = sizes[k] > TOTAL ? sizes[k] : TOTAL;
	int r;

	for (r = 0; r < runs; r++)
		t[r] = secs[c][k][r][way];
	qsort(t, runs, sizeof(t[0]), cmp);
	*med = total / MIB / t[runs / 2];
	*lo = total / MIB / t[runs - 1];
	*hi = total / MIB / t[0];
}

static bool have_private(void)
{
	return !hm_sh(NULL, 0, "grep -qw make_device_exclusive_range /proc/kallsyms");
}

static int setup(void)
{
	__u64 start, size, lo;
	bool hmm;

	if (hm_sr_range(&start, &size) || size < 1024 * MIB) {
		fprintf(stderr, "# needs 1 GiB or more of soft-reserved memory\n");
		return -1;
	}
	hm_sh(NULL, 0, "rmmod hotmem_pagemap 2>/dev/null; rmmod test_hmm 2>/dev/null");
	hmm = !hm_test_hmm_load(start);
	if (hmm) {
		cfg_fd[HMM_PRIVATE] = open("/dev/hmm_dmirror0", O_RDWR);
		cfg_fd[HMM_COHERENT] = open("/dev/hmm_dmirror2", O_RDWR);
		if (cfg_fd[HMM_PRIVATE] < 0 || cfg_fd[HMM_COHERENT] < 0)
			return -1;
	}
	/* hotmem: the upper half when test_hmm has the lower */
	lo = hmm ? start + size / 2 : start;
	if (hm_sh(NULL, 0, "/sbin/modprobe hotmem_pagemap regions=%llu:%llu", lo,
		  start + size - lo))
		return -1;
	if (hm_sh(NULL, 0, "C=" HM_PM_CLS "; echo coherent > $C/pm0.0/type || exit 1; "
		  "echo 134217728 > $C/pm0.0/size || exit 1; echo 1 > $C/pm0.0/enabled"))
		return -1;
	cfg_fd[HOTMEM_COHERENT] = open("/dev/pm0.0", O_RDWR);
	if (have_private()) {
		if (hm_sh(NULL, 0, "C=" HM_PM_CLS "; echo 1 > $C/region0/create || exit 1; "
			  "echo private > $C/pm0.1/type || exit 1; "
			  "echo 134217728 > $C/pm0.1/size || exit 1; echo 1 > $C/pm0.1/enabled"))
			return -1;
		cfg_fd[HOTMEM_PRIVATE] = open("/dev/pm0.1", O_RDWR);
	}
	return cfg_fd[HOTMEM_COHERENT] < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	double med, lo, hi;
	int run, k, i, c, way, first = 1;

	if (argc > 1)
		runs = atoi(argv[1]);
	if (runs < 1 || runs > MAX_RUNS)
		return fprintf(stderr, "usage: %s [RUNS (1-%d, default 5)]\n", argv[0],
			       MAX_RUNS), 2;
	if (setup())
		return 1;
	for (run = 0; run < runs; run++)
		for (k = 0; k < NSIZE; k++)
			for (i = 0; i < NCFG; i++) {
				c = (run + i) % NCFG;
				if (cfg_fd[c] < 0)
					continue;
				if (measure(c, sizes[k], secs[c][k][run]))
					return 1;
				fprintf(stderr, "# run %d %-17s %8llu B: to %.3fs back %.3fs\n",
					run, cfg_name[c], sizes[k], secs[c][k][run][0],
					secs[c][k][run][1]);
			}
	printf("== migration throughput, MiB/s: median (min-max) of %d runs of %llu MiB\n", runs,
	       TOTAL / MIB);
	printf("%-18s %10s %-24s %-24s\n", "driver", "call", "to the device", "back to RAM");
	for (c = 0; c < NCFG; c++)
		for (k = 0; k < NSIZE && cfg_fd[c] >= 0; k++) {
			printf("%-18s %9lluK", cfg_name[c], sizes[k] / 1024);
			for (way = 0; way < 2; way++) {
				rates(c, k, way, &med, &lo, &hi);
				printf(" %7.1f (%6.1f-%7.1f)  ", med, lo, hi);
			}
			printf("\n");
		}
	printf("BENCH-JSON-BEGIN\n{\"runs\": %d, \"bytes\": %llu, \"cells\": [", runs, TOTAL);
	for (c = 0; c < NCFG; c++)
		for (k = 0; k < NSIZE && cfg_fd[c] >= 0; k++)
			for (way = 0; way < 2; way++) {
				rates(c, k, way, &med, &lo, &hi);
				printf("%s\n {\"driver\": \"%s\", ", first ? "" : ",",
				       cfg_name[c]);
				printf("\"call_bytes\": %llu, \"way\": \"%s\", ", sizes[k],
				       way ? "to_ram" : "to_dev");
				printf("\"mib_s\": %.2f, \"min\": %.2f, \"max\": %.2f}", med,
				       lo, hi);
				first = 0;
			}
	printf("\n]}\nBENCH-JSON-END\n");
	return 0;
}
