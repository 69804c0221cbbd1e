// SPDX-License-Identifier: GPL-2.0
/*
 * hotmem_pagemap benchmark, run in the VM: instances of hotmem_pagemap
 * (memmap in RAM and on the device) against in-kernel device-dax devices,
 * both carved from one soft-reserved range in one boot (device-dax from the
 * first half, hotmem_pagemap's region0 from the second), RUNS runs each in
 * rotating order.  Times create+enable and disable+delete as the number of
 * 2 MiB instances grows and as one instance grows, at the sysfs interface
 * daxctl uses, without daxctl's own start-up; and the DRAM an enable
 * spends.  "hotmem-batch" is hotmem-ram disabling every instance through
 * region0/disable (as many names as a write holds at a time) before the
 * deletes.  "64 ranges": one instance (device) of 64 ranges of 2 MiB,
 * 2 MiB apart, through the "mapping" files: one pgmap of 64 ranges for
 * device-dax, 64 pgmaps for hotmem_pagemap.  Prints tables of medians with
 * min/max and the samples as JSON between BENCH-JSON-BEGIN/END lines.
 * With --breakdown (the test build): where hotmem_pagemap's time goes in
 * each phase of 64 instances, one of 64 ranges and one of 4 GiB, from
 * the shim's call log (breakdown.h), with expedite_rcu on and off, and
 * device-dax's wall time for the same phases.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hotmem_util.h"
#include "hotmem_pagemap.h"
#include "breakdown.h"

#define PMB_MAX_RUNS	15
#define PMB_MAX_INST	1024
#define PMB_NCOUNT	3
#define PMB_NSIZE	4
#define PMB_NRANGE	64
#define PMB_MIB		(1024ULL * 1024)
#define PMB_GIB		(1024 * PMB_MIB)
#define PMB_DRV		"/sys/bus/dax/drivers/device_dax"
#define PMB_EXPEDITE	"/sys/module/hotmem_pagemap/parameters/expedite_rcu"
#define PMB_CLS_R0	HM_PM_CLS "/region0"

enum pmb_cfg { PMB_DAX, PMB_RAM, PMB_DEV, PMB_BATCH, PMB_NCFG };

static const char *const pmb_cfg_name[PMB_NCFG] = {
	"device-dax", "hotmem-ram", "hotmem-dev", "hotmem-batch",
};

static const unsigned int pmb_counts[PMB_NCOUNT] = { 1, 64, 1024 };
static const unsigned long long pmb_sizes[PMB_NSIZE] = {
	2 * PMB_MIB, 128 * PMB_MIB, PMB_GIB, 4 * PMB_GIB,
};

/**
 * struct pmb_sample - one measurement of one configuration
 * @up: seconds to create and enable every instance
 * @down: seconds to disable and delete them
 * @dram: bytes of free memory (per-cpu lists included) the enables took
 * @memmap_dram: hotmem: memmap_dram_bytes summed over the instances
 * @memmap_dev: hotmem: memmap_device_bytes summed over the instances
 */
struct pmb_sample {
	double up;
	double down;
	long long dram;
	long long memmap_dram;
	long long memmap_dev;
};

static struct pmb_sample pmb_count[PMB_NCFG][PMB_NCOUNT][PMB_MAX_RUNS];
static struct pmb_sample pmb_size[PMB_NCFG][PMB_NSIZE][PMB_MAX_RUNS];
static struct pmb_sample pmb_ranges[PMB_NCFG][PMB_MAX_RUNS];
/* whole daxctl commands (sh -c included), seconds: create, destroy -f */
static double pmb_daxctl[2][PMB_MAX_RUNS];
static char pmb_names[PMB_MAX_INST][32];
static char pmb_dax_region[256];	/* the dax region's sysfs directory */
/* where each driver's half starts: the ranges of the 64-range instance */
static unsigned long long pmb_start[2];
static int pmb_runs = 5;

static double pmb_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * What daxctl create-device does: "create" on the region, size the new
 * device, then new_id + bind to device_dax (bind then fails with -EBUSY,
 * new_id has bound it already; daxctl checks the device is enabled).
 */
static int pmb_dax_up(char *name, size_t len, const char *size)
{
	if (hm_pm_create(pmb_dax_region, name, len) ||
	    hm_write(size, HM_SYS_DAX "/%s/size", name))
		return -EIO;
	hm_write(name, PMB_DRV "/new_id");
	hm_write(name, PMB_DRV "/bind");
	return hm_exists(HM_SYS_DAX "/%s/driver", name) ? 0 : -ENXIO;
}

/* daxctl disable-device + destroy-device: remove_id, unbind, size 0, delete */
static int pmb_dax_down(const char *name)
{
	if (hm_write(name, HM_SYS_DAX "/%s/driver/remove_id", name) ||
	    hm_write(name, HM_SYS_DAX "/%s/driver/unbind", name) ||
	    hm_write("0", HM_SYS_DAX "/%s/size", name) ||
	    hm_write(name, "%s/delete", pmb_dax_region))
		return -EIO;
	return 0;
}

static int pmb_hm_up(char *name, size_t len, const char *size, bool dev)
{
	if (hm_pm_create(HM_PM_CLS "/region0", name, len) ||
	    hm_write(size, HM_PM_CLS "/%s/size", name) ||
	    (dev && hm_write("dev", HM_PM_CLS "/%s/memmap", name)) ||
	    hm_write("1", HM_PM_CLS "/%s/enabled", name))
		return -EIO;
	return 0;
}

/*
 * Give the new instance or device @name (in @dir) PMB_NRANGE ranges of
 * 2 MiB from @start, 2 MiB apart, by its "mapping" file
 */
static int pmb_add_ranges(const char *dir, const char *name,
			  unsigned long long start)
{
	char r[64];
	int i;

	for (i = 0; i < PMB_NRANGE; i++) {
		unsigned long long s = start + 4 * PMB_MIB * i;

		snprintf(r, sizeof(r), "%#llx-%#llx", s, s + 2 * PMB_MIB - 1);
		if (hm_write(r, "%s/%s/mapping", dir, name))
			return -EIO;
	}
	return 0;
}

static int pmb_ranges_up(enum pmb_cfg c, char *name, size_t len)
{
	if (c == PMB_DAX) {
		if (hm_pm_create(pmb_dax_region, name, len) ||
		    pmb_add_ranges(HM_SYS_DAX, name, pmb_start[0]))
			return -EIO;
		hm_write(name, PMB_DRV "/new_id");
		hm_write(name, PMB_DRV "/bind");
		return hm_exists(HM_SYS_DAX "/%s/driver", name) ? 0 : -ENXIO;
	}
	if (hm_pm_create(HM_PM_CLS "/region0", name, len) ||
	    pmb_add_ranges(HM_PM_CLS, name, pmb_start[1]) ||
	    (c == PMB_DEV && hm_write("dev", HM_PM_CLS "/%s/memmap", name)) ||
	    hm_write("1", HM_PM_CLS "/%s/enabled", name))
		return -EIO;
	return 0;
}

static int pmb_hm_down(const char *name)
{
	if (hm_write("0", HM_PM_CLS "/%s/enabled", name) ||
	    hm_write("0", HM_PM_CLS "/%s/size", name) ||
	    hm_write(name, HM_PM_CLS "/region0/delete"))
		return -EIO;
	return 0;
}

/* region0/disable for the @n instances, a write of at most 4 KiB at a time */
static int pmb_hm_batch_disable(unsigned int n)
{
	char list[4096];
	unsigned int i;
	size_t at = 0;

	for (i = 0; i < n; i++) {
		size_t k = strlen(pmb_names[i]);

		if (at && at + 1 + k >= sizeof(list)) {
			if (hm_write(list, HM_PM_CLS "/region0/disable"))
				return -EIO;
			at = 0;
		}
		at += snprintf(list + at, sizeof(list) - at, "%s%s", at ? "," : "",
			       pmb_names[i]);
	}
	return at && hm_write(list, HM_PM_CLS "/region0/disable") ? -EIO : 0;
}

/*
 * hm_memfree_settled_kb() drops the dentry cache: look up again the files
 * every create will use, so the clock does not time that for the first one
 */
static void pmb_warm(enum pmb_cfg c)
{
	if (c == PMB_DAX) {
		hm_read_ll("%s/available_size", pmb_dax_region);
		hm_exists("%s/create", pmb_dax_region);
		hm_exists("%s/delete", pmb_dax_region);
		hm_exists(PMB_DRV "/new_id");
		hm_exists(PMB_DRV "/bind");
	} else {
		hm_read_ll(HM_PM_CLS "/region0/available_size");
		hm_exists(HM_PM_CLS "/region0/create");
		hm_exists(HM_PM_CLS "/region0/delete");
		hm_exists(HM_PM_CLS "/region0/disable");
	}
}

/*
 * @n instances of @bytes each with configuration @c: time all creates +
 * enables, note the DRAM they took, then time all disables + deletes,
 * last created first.
 */
static int pmb_measure(enum pmb_cfg c, unsigned int n, unsigned long long bytes,
		       struct pmb_sample *s)
{
	char size[32];
	long long f0;
	unsigned int i;
	double t;
	int rc = 0;

	snprintf(size, sizeof(size), "%llu", bytes);
	memset(s, 0, sizeof(*s));
	f0 = hm_memfree_settled_kb();
	pmb_warm(c);
	t = pmb_now();
	for (i = 0; i < n && !rc; i++)
		rc = c == PMB_DAX ?
			pmb_dax_up(pmb_names[i], sizeof(pmb_names[i]), size) :
			pmb_hm_up(pmb_names[i], sizeof(pmb_names[i]), size,
				  c == PMB_DEV);
	s->up = pmb_now() - t;
	if (rc) {
		fprintf(stderr, "# %s: instance %u of %llu bytes: %d\n",
			pmb_cfg_name[c], i, bytes, rc);
		return rc;
	}
	s->dram = (f0 - hm_memfree_settled_kb()) * 1024;
	pmb_warm(c);
	for (i = 0; c != PMB_DAX && i < n; i++) {
		s->memmap_dram += hm_read_ll(HM_PM_CLS "/%s/memmap_dram_bytes",
					     pmb_names[i]);
		s->memmap_dev += hm_read_ll(HM_PM_CLS "/%s/memmap_device_bytes",
					    pmb_names[i]);
	}
	t = pmb_now();
	if (c == PMB_BATCH)
		rc = pmb_hm_batch_disable(n);
	for (i = n; i-- > 0 && !rc;)
		rc = c == PMB_DAX ? pmb_dax_down(pmb_names[i]) :
			pmb_hm_down(pmb_names[i]);
	s->down = pmb_now() - t;
	if (rc)
		fprintf(stderr, "# %s: removing %s: %d\n", pmb_cfg_name[c],
			pmb_names[i + 1], rc);
	return rc;
}

/*
 * One instance of PMB_NRANGE ranges with configuration @c: time the
 * create, the mapping writes and the enable; then the disable and delete
 * (hotmem-batch: the disable through region0/disable).
 */
static int pmb_measure_ranges(enum pmb_cfg c, struct pmb_sample *s)
{
	char *name = pmb_names[0];
	long long f0;
	double t;
	int rc;

	memset(s, 0, sizeof(*s));
	f0 = hm_memfree_settled_kb();
	pmb_warm(c);
	t = pmb_now();
	rc = pmb_ranges_up(c, name, sizeof(pmb_names[0]));
	s->up = pmb_now() - t;
	if (rc) {
		fprintf(stderr, "# %s: an instance of %d ranges: %d\n",
			pmb_cfg_name[c], PMB_NRANGE, rc);
		return rc;
	}
	s->dram = (f0 - hm_memfree_settled_kb()) * 1024;
	pmb_warm(c);
	if (c != PMB_DAX) {
		s->memmap_dram = hm_read_ll(HM_PM_CLS "/%s/memmap_dram_bytes", name);
		s->memmap_dev = hm_read_ll(HM_PM_CLS "/%s/memmap_device_bytes", name);
	}
	t = pmb_now();
	if (c == PMB_BATCH)
		rc = pmb_hm_batch_disable(1);
	if (!rc)
		rc = c == PMB_DAX ? pmb_dax_down(name) : pmb_hm_down(name);
	s->down = pmb_now() - t;
	if (rc)
		fprintf(stderr, "# %s: removing %s: %d\n", pmb_cfg_name[c], name, rc);
	return rc;
}

/* the whole daxctl commands once, for reference (includes sh and exec) */
static int pmb_measure_daxctl(int run)
{
	char out[4096], dev[64];
	double t;

	t = pmb_now();
	if (hm_sh(out, sizeof(out), "daxctl create-device -r 0 -s 2M") ||
	    hm_created_dev(out, dev, sizeof(dev)))
		return -EIO;
	pmb_daxctl[0][run] = pmb_now() - t;
	t = pmb_now();
	if (hm_sh(NULL, 0, "daxctl destroy-device -f %s", dev))
		return -EIO;
	pmb_daxctl[1][run] = pmb_now() - t;
	return 0;
}

/*
 * dax_hmem's seed dax0.0 spans the soft-reserved range: back to devdax
 * (6.12 binds it to kmem at boot), then disabled and of size 0, so that
 * new devices take the first half; hotmem_pagemap claims the second.
 */
static int pmb_setup(void)
{
	unsigned long long start, size, half;
	char dev[64];

	if (hm_sr_reset(dev, sizeof(dev)) ||
	    hm_dax_region_dir(pmb_dax_region, sizeof(pmb_dax_region), dev))
		return fprintf(stderr, "no soft-reserved dax device\n"), -ENOENT;
	if (hm_sr_range(&start, &size))
		return -ENOENT;
	half = size / 2 & ~(PMB_GIB - 1);
	if (half < pmb_sizes[PMB_NSIZE - 1] + 128 * PMB_MIB)
		return fprintf(stderr, "need 2 x %llu MiB soft reserved\n",
			       pmb_sizes[PMB_NSIZE - 1] / PMB_MIB + 128), -ENOSPC;
	pmb_start[0] = start;
	pmb_start[1] = start + half;
	if (hm_sh(NULL, 0, "daxctl disable-device %s", dev) ||
	    hm_write("0", HM_SYS_DAX "/%s/size", dev))
		return -EIO;
	if (hm_exists("/sys/module/hotmem_pagemap"))
		hm_sh(NULL, 0, "rmmod hotmem_pagemap");
	if (hm_sh(NULL, 0, "/sbin/modprobe hotmem_pagemap regions=%llu:%llu",
		  start + half, size - half))
		return -EIO;
	hm_sh(NULL, 0, "grep -A3 'Soft Reserved' /proc/iomem; cat %s/available_size",
	      pmb_dax_region);
	return 0;
}

static int pmb_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* median, min and max of @v[0..pmb_runs), sorting @v */
static void pmb_stats(double *v, double *out)
{
	qsort(v, pmb_runs, sizeof(v[0]), pmb_cmp);
	out[0] = v[pmb_runs / 2];
	out[1] = v[0];
	out[2] = v[pmb_runs - 1];
}

enum pmb_field { PMB_UP, PMB_DOWN, PMB_DRAM, PMB_MM_DRAM, PMB_MM_DEV };

/* median/min/max of one field over the runs of @s, times @scale */
static void pmb_field_stats(const struct pmb_sample *s, enum pmb_field f,
			    double scale, double *out)
{
	double v[PMB_MAX_RUNS];
	int r;

	for (r = 0; r < pmb_runs; r++) {
		switch (f) {
		case PMB_UP:
			v[r] = s[r].up;
			break;
		case PMB_DOWN:
			v[r] = s[r].down;
			break;
		case PMB_DRAM:
			v[r] = s[r].dram;
			break;
		case PMB_MM_DRAM:
			v[r] = s[r].memmap_dram;
			break;
		case PMB_MM_DEV:
			v[r] = s[r].memmap_dev;
			break;
		}
		v[r] *= scale;
	}
	pmb_stats(v, out);
}

static void pmb_cell(const struct pmb_sample *s, enum pmb_field f,
		     double scale, const char *fmt)
{
	double st[3];

	pmb_field_stats(s, f, scale, st);
	printf(" ");
	printf(fmt, st[0], st[1], st[2]);
	printf(" |");
}

static double pmb_median(const struct pmb_sample *s, enum pmb_field f)
{
	double st[3];

	pmb_field_stats(s, f, 1, st);
	return st[0];
}

static void pmb_report_count(void)
{
	const char *t = "%9.1f [%.1f-%.1f]";
	int c, k;

	printf("\n== count scaling: N instances of 2 MiB, per instance; ");
	printf("median [min-max] of %d runs\n", pmb_runs);
	printf("%-10s %5s | %-27s | %-27s | %s\n", "driver", "N",
	       "create+enable us/instance", "disable+delete us/instance",
	       "DRAM KiB/instance");
	for (k = 0; k < PMB_NCOUNT; k++) {
		for (c = 0; c < PMB_NCFG; c++) {
			const struct pmb_sample *s = pmb_count[c][k];
			double n = pmb_counts[k];

			printf("%-10s %5u |", pmb_cfg_name[c], pmb_counts[k]);
			pmb_cell(s, PMB_UP, 1e6 / n, t);
			pmb_cell(s, PMB_DOWN, 1e6 / n, t);
			pmb_cell(s, PMB_DRAM, 1 / 1024.0 / n, "%7.1f [%.1f-%.1f]");
			printf("\n");
		}
	}
}

static void pmb_report_size(void)
{
	const char *t = "%9.2f [%.2f-%.2f]";
	const char *m = "%6.2f [%.2f-%.2f]";
	int c, z;

	printf("\n== size scaling: one instance; median [min-max] of %d runs; ", pmb_runs);
	printf("DRAM and memmap in MiB per GiB\n");
	printf("%-10s %5s | %-26s | %-26s | %-21s | %-21s | %s\n", "driver",
	       "MiB", "create+enable ms", "disable+delete ms", "DRAM MiB/GiB",
	       "memmap_dram MiB/GiB", "memmap_device MiB/GiB");
	for (z = 0; z < PMB_NSIZE; z++) {
		for (c = 0; c < PMB_NCFG; c++) {
			const struct pmb_sample *s = pmb_size[c][z];
			double per_gib = (double)PMB_GIB / pmb_sizes[z] / PMB_MIB;

			printf("%-10s %5llu |", pmb_cfg_name[c],
			       pmb_sizes[z] / PMB_MIB);
			pmb_cell(s, PMB_UP, 1e3, t);
			pmb_cell(s, PMB_DOWN, 1e3, t);
			pmb_cell(s, PMB_DRAM, per_gib, m);
			if (c == PMB_DAX) {
				printf(" %-21s | %s\n", "-", "-");
				continue;
			}
			pmb_cell(s, PMB_MM_DRAM, per_gib, m);
			pmb_cell(s, PMB_MM_DEV, per_gib, m);
			printf("\n");
		}
	}
}

static void pmb_report_ranges(void)
{
	const char *t = "%9.2f [%.2f-%.2f]";
	int c;

	printf("\n== %d ranges: one instance of %d x 2 MiB, 2 MiB apart; ",
	       PMB_NRANGE, PMB_NRANGE);
	printf("median [min-max] of %d runs\n", pmb_runs);
	printf("%-12s | %-26s | %-26s | %s\n", "driver", "create+map+enable ms",
	       "disable+delete ms", "DRAM KiB");
	for (c = 0; c < PMB_NCFG; c++) {
		printf("%-12s |", pmb_cfg_name[c]);
		pmb_cell(pmb_ranges[c], PMB_UP, 1e3, t);
		pmb_cell(pmb_ranges[c], PMB_DOWN, 1e3, t);
		pmb_cell(pmb_ranges[c], PMB_DRAM, 1 / 1024.0, "%7.1f [%.1f-%.1f]");
		printf("\n");
	}
}

/* hotmem / device-dax, medians of the same experiment */
static void pmb_report_ratios(void)
{
	int c, k;

	printf("\n== hotmem / device-dax (medians; < 1 is faster)\n");
	for (c = PMB_RAM; c < PMB_NCFG; c++) {
		for (k = 0; k < PMB_NCOUNT; k++)
			printf("%s N=%-4u        create+enable %.3f  disable+delete %.3f\n",
			       pmb_cfg_name[c], pmb_counts[k],
			       pmb_median(pmb_count[c][k], PMB_UP) /
			       pmb_median(pmb_count[PMB_DAX][k], PMB_UP),
			       pmb_median(pmb_count[c][k], PMB_DOWN) /
			       pmb_median(pmb_count[PMB_DAX][k], PMB_DOWN));
		for (k = 0; k < PMB_NSIZE; k++)
			printf("%s size=%-5llu MiB create+enable %.3f  disable+delete %.3f\n",
			       pmb_cfg_name[c], pmb_sizes[k] / PMB_MIB,
			       pmb_median(pmb_size[c][k], PMB_UP) /
			       pmb_median(pmb_size[PMB_DAX][k], PMB_UP),
			       pmb_median(pmb_size[c][k], PMB_DOWN) /
			       pmb_median(pmb_size[PMB_DAX][k], PMB_DOWN));
		printf("%s ranges=%-3d     create+enable %.3f  disable+delete %.3f\n",
		       pmb_cfg_name[c], PMB_NRANGE,
		       pmb_median(pmb_ranges[c], PMB_UP) /
		       pmb_median(pmb_ranges[PMB_DAX], PMB_UP),
		       pmb_median(pmb_ranges[c], PMB_DOWN) /
		       pmb_median(pmb_ranges[PMB_DAX], PMB_DOWN));
	}
}

static void pmb_report_daxctl(void)
{
	double st[3], v[PMB_MAX_RUNS];
	int i, r;

	printf("\n== whole commands for reference (via sh; includes daxctl start-up), ms\n");
	for (i = 0; i < 2; i++) {
		for (r = 0; r < pmb_runs; r++)
			v[r] = pmb_daxctl[i][r] * 1e3;
		pmb_stats(v, st);
		printf("%-42s %7.1f [%.1f-%.1f]\n",
		       i ? "daxctl destroy-device -f (2 MiB)" :
		       "daxctl create-device -r 0 -s 2M", st[0], st[1], st[2]);
	}
}

static void pmb_json_sample(int *k, const char *kind, int c,
			    unsigned long long n, unsigned long long bytes,
			    int r, const struct pmb_sample *s)
{
	printf("%s\n {\"test\": \"%s\", \"driver\": \"%s\", \"instances\": %llu, ",
	       (*k)++ ? "," : "", kind, pmb_cfg_name[c], n);
	printf("\"bytes\": %llu, \"run\": %d, \"up_s\": %.6f, \"down_s\": %.6f, ",
	       bytes, r, s->up, s->down);
	printf("\"dram_bytes\": %lld", s->dram);
	if (c != PMB_DAX)
		printf(", \"memmap_dram_bytes\": %lld, \"memmap_device_bytes\": %lld",
		       s->memmap_dram, s->memmap_dev);
	printf("}");
}

static void pmb_report_json(void)
{
	int c, z, r, k = 0;
	char cmdline[1024] = "";

	hm_read_str(cmdline, sizeof(cmdline), "/proc/cmdline");
	printf("BENCH-JSON-BEGIN\n{\"kernel\": \"%s\", \"runs\": %d, ",
	       getenv("HOTMEM_KVER") ? getenv("HOTMEM_KVER") : "?", pmb_runs);
	/* Debian's default is init_on_alloc=1: memmap in DRAM is zeroed twice */
	printf("\"init_on_alloc\": %d, \"samples\": [",
	       !strstr(cmdline, "init_on_alloc=0"));
	for (c = 0; c < PMB_NCFG; c++)
		for (z = 0; z < PMB_NCOUNT; z++)
			for (r = 0; r < pmb_runs; r++)
				pmb_json_sample(&k, "count", c, pmb_counts[z],
						2 * PMB_MIB, r, &pmb_count[c][z][r]);
	for (c = 0; c < PMB_NCFG; c++)
		for (z = 0; z < PMB_NSIZE; z++)
			for (r = 0; r < pmb_runs; r++)
				pmb_json_sample(&k, "size", c, 1, pmb_sizes[z], r,
						&pmb_size[c][z][r]);
	for (c = 0; c < PMB_NCFG; c++)
		for (r = 0; r < pmb_runs; r++)
			pmb_json_sample(&k, "ranges", c, 1, PMB_NRANGE * 2 * PMB_MIB,
					r, &pmb_ranges[c][r]);
	printf("\n], \"daxctl\": [");
	for (r = 0; r < pmb_runs; r++)
		printf("%s\n {\"run\": %d, \"create_device_s\": %.6f, \"destroy_device_s\": %.6f}",
		       r ? "," : "", r, pmb_daxctl[0][r], pmb_daxctl[1][r]);
	printf("\n]}\nBENCH-JSON-END\n");
}

static void pmb_progress(int run, enum pmb_cfg c, unsigned int n,
			 unsigned long long bytes, const struct pmb_sample *s)
{
	fprintf(stderr, "# run %d %-10s %4u x %5llu MiB: up %.4fs down %.4fs dram %lld\n",
		run, pmb_cfg_name[c], n, bytes / PMB_MIB, s->up, s->down, s->dram);
}

/* a phase of the breakdown: @what written to @fmt of each of @n instances */
static int pmb_bd_each(const char *label, unsigned int n, const char *what,
		       const char *fmt)
{
	unsigned int i;
	int rc = 0;

	bd_begin();
	for (i = 0; i < n && !rc; i++)
		rc = hm_write(what ? what : pmb_names[i], fmt, pmb_names[i]);
	return rc ?: bd_end(label, "hotmem_pagemap");
}

/* device-dax's wall time for the same phases (no call log: not ours) */
static int pmb_bd_dax(unsigned int n, unsigned long long bytes)
{
	char size[32];
	unsigned int i;
	double t;
	int rc = 0;

	snprintf(size, sizeof(size), "%llu", bytes);
	t = pmb_now();
	for (i = 0; i < n && !rc; i++)
		rc = pmb_dax_up(pmb_names[i], sizeof(pmb_names[i]), size);
	printf("  %-22s %9.1f ms (create, size, new_id: %u x %llu MiB)\n",
	       "device-dax up", (pmb_now() - t) * 1e3, n, bytes / PMB_MIB);
	t = pmb_now();
	for (i = n; i-- > 0 && !rc;)
		rc = pmb_dax_down(pmb_names[i]);
	printf("  %-22s %9.1f ms (unbind, size 0, delete)\n", "device-dax down",
	       (pmb_now() - t) * 1e3);
	return rc;
}

/* @n instances of @bytes, memmap @memmap: each phase of a life, split */
static int pmb_bd_insts(unsigned int n, unsigned long long bytes,
			const char *memmap)
{
	char size[32];
	unsigned int i;
	int rc = 0;

	snprintf(size, sizeof(size), "%llu", bytes);
	bd_begin();
	for (i = 0; i < n && !rc; i++)
		rc = hm_pm_create(PMB_CLS_R0, pmb_names[i], sizeof(pmb_names[i]));
	rc = rc ?: bd_end("create", "hotmem_pagemap");
	rc = rc ?: pmb_bd_each("size", n, size, HM_PM_CLS "/%s/size");
	rc = rc ?: pmb_bd_each("memmap", n, memmap, HM_PM_CLS "/%s/memmap");
	rc = rc ?: pmb_bd_each("enable", n, "1", HM_PM_CLS "/%s/enabled");
	if (!rc && n > 1) {
		bd_begin();
		rc = pmb_hm_batch_disable(n);
		rc = rc ?: bd_end("disable (region0)", "hotmem_pagemap");
		rc = rc ?: pmb_bd_each("enable again", n, "1", HM_PM_CLS "/%s/enabled");
	}
	rc = rc ?: pmb_bd_each("disable", n, "0", HM_PM_CLS "/%s/enabled");
	rc = rc ?: pmb_bd_each("size 0", n, "0", HM_PM_CLS "/%s/size");
	rc = rc ?: pmb_bd_each("delete", n, NULL, PMB_CLS_R0 "/delete");
	return rc;
}

/* the 64-range instance: mapping writes, enable, disable, delete */
static int pmb_bd_ranges(void)
{
	int rc;

	bd_begin();
	rc = hm_pm_create(PMB_CLS_R0, pmb_names[0], sizeof(pmb_names[0]));
	rc = rc ?: pmb_add_ranges(HM_PM_CLS, pmb_names[0], pmb_start[1]);
	rc = rc ?: bd_end("create + 64 mappings", "hotmem_pagemap");
	rc = rc ?: pmb_bd_each("enable", 1, "1", HM_PM_CLS "/%s/enabled");
	rc = rc ?: pmb_bd_each("disable", 1, "0", HM_PM_CLS "/%s/enabled");
	rc = rc ?: pmb_bd_each("size 0", 1, "0", HM_PM_CLS "/%s/size");
	return rc ?: pmb_bd_each("delete", 1, NULL, PMB_CLS_R0 "/delete");
}

static int pmb_breakdown(void)
{
	int x, rc = 0;

	if (!bd_available())
		return fprintf(stderr, "the test build is needed (vm.sh --test-build)\n"),
			-ENOENT;
	printf("== where hotmem_pagemap's time goes (ms; gaps: between its kernel calls)\n");
	for (x = 1; x >= 0 && !rc; x--) {
		rc = hm_write(x ? "1" : "0", PMB_EXPEDITE);
		printf("64 x 2 MiB, memmap ram, expedite_rcu=%d\n", x);
		rc = rc ?: pmb_bd_insts(64, 2 * PMB_MIB, "ram");
		printf("1 x 4 GiB, memmap ram, expedite_rcu=%d\n", x);
		rc = rc ?: pmb_bd_insts(1, 4 * PMB_GIB, "ram");
		printf("1 x 4 GiB, memmap dev, expedite_rcu=%d\n", x);
		rc = rc ?: pmb_bd_insts(1, 4 * PMB_GIB, "dev");
		printf("1 x 64 ranges of 2 MiB, memmap ram, expedite_rcu=%d\n", x);
		rc = rc ?: pmb_bd_ranges();
	}
	printf("device-dax (wall time only), 64 x 2 MiB and 1 x 4 GiB\n");
	rc = rc ?: pmb_bd_dax(64, 2 * PMB_MIB);
	rc = rc ?: pmb_bd_dax(1, 4 * PMB_GIB);
	hm_write("1", PMB_EXPEDITE);
	return rc;
}

int main(int argc, char **argv)
{
	struct pmb_sample *s;
	enum pmb_cfg c;
	int run, k, i;

	if (argc > 1 && !strcmp(argv[1], "--breakdown"))
		return pmb_setup() || pmb_breakdown() ? 1 : 0;
	if (argc > 1)
		pmb_runs = atoi(argv[1]);
	if (pmb_runs < 1 || pmb_runs > PMB_MAX_RUNS)
		return fprintf(stderr, "usage: %s [RUNS (1-%d, default 5)]\n",
			       argv[0], PMB_MAX_RUNS), 2;
	if (pmb_setup())
		return 1;
	/* run r puts the configurations in order r, r+1, ...: A B C, B C A, ... */
	for (run = 0; run < pmb_runs; run++) {
		for (k = 0; k < PMB_NCOUNT; k++) {
			for (i = 0; i < PMB_NCFG; i++) {
				c = (run + i) % PMB_NCFG;
				s = &pmb_count[c][k][run];
				if (pmb_measure(c, pmb_counts[k], 2 * PMB_MIB, s))
					return 1;
				pmb_progress(run, c, pmb_counts[k], 2 * PMB_MIB, s);
			}
		}
		for (k = 0; k < PMB_NSIZE; k++) {
			for (i = 0; i < PMB_NCFG; i++) {
				c = (run + i) % PMB_NCFG;
				s = &pmb_size[c][k][run];
				if (pmb_measure(c, 1, pmb_sizes[k], s))
					return 1;
				pmb_progress(run, c, 1, pmb_sizes[k], s);
			}
		}
		for (i = 0; i < PMB_NCFG; i++) {
			c = (run + i) % PMB_NCFG;
			s = &pmb_ranges[c][run];
			if (pmb_measure_ranges(c, s))
				return 1;
			pmb_progress(run, c, PMB_NRANGE, 2 * PMB_MIB, s);
		}
		if (pmb_measure_daxctl(run))
			return fprintf(stderr, "daxctl create/destroy failed\n"), 1;
	}
	pmb_report_count();
	pmb_report_size();
	pmb_report_ranges();
	pmb_report_ratios();
	pmb_report_daxctl();
	pmb_report_json();
	return 0;
}
