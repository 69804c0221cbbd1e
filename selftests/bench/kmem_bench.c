// SPDX-License-Identifier: GPL-2.0
/*
 * Hot-add benchmark, run in the VM: the in-kernel kmem (and on 6.8+ kmem
 * with its memmap_on_memory attribute set) against hotmem_kmem, on devices
 * of 1, 4 and 16 GiB carved from one soft-reserved region, in one boot,
 * RUNS runs each in alternating order.  Times what daxctl does, at the
 * sysfs interface it uses, without its ~0.2 s of start-up per command:
 * detach = unbind from device_dax (its pgmap teardown, the same for every
 * driver, timed on its own); add = bind to kmem; online = "online_movable"
 * to each block, in address order as daxctl does; remove = "offline" to
 * each block + unbind from kmem.  "hotmem-state" is hotmem_kmem driven
 * through its state file instead: online = one write of "online_movable"
 * (hotmem onlines the blocks in its own order), remove = one write of
 * "offline" + unbind.  "hotmem-daxctl" runs the whole "daxctl
 * online-memory" / "offline-memory" commands (their start-up included;
 * daxctl onlines in sysfs directory order, not by address).
 * Also the DRAM an add spends.  Prints a table of medians with min/max
 * and the samples as JSON between BENCH-JSON-BEGIN/END lines.
 *
 * --breakdown (the test build, scripts/bench.sh --breakdown): where
 * hotmem_kmem's time goes.  Each phase once per size, with expedite_rcu
 * on and off; the shim's call log has every kernel call hotmem_kmem makes
 * with its start and duration on the clock this program reads, so a
 * phase's wall time splits into: before the first call (the syscall,
 * driver core, hotmem_kmem up to it), each kernel function's total,
 * the gaps between calls (hotmem_kmem's own work between them, and for
 * a state write the hand-offs to its writer thread), and after the last.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hotmem_util.h"
#include "breakdown.h"

#define RUNS	5	/* at most; the first argument may ask for fewer */
#define NSIZE	3
#define NCFG	5
#define GIB	(1024ULL * 1024 * 1024)

struct cfg {
	const char *name;	/* table label */
	bool hotmem;		/* hotmem_kmem, else the in-kernel kmem */
	int dax_mom;		/* the dax device's memmap_on_memory, -1: leave */
	int how;		/* online/offline: per block, ascending (0); */
				/* through hotmem/state (1); by daxctl (2) */
};

static const struct cfg cfgs[NCFG] = {
	{ "kmem", false, 0, 0 },
	{ "kmem+mom", false, 1, 0 },
	{ "hotmem", true, -1, 0 },
	{ "hotmem-state", true, -1, 1 },
	{ "hotmem-daxctl", true, -1, 2 },
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int use_driver(bool hotmem)
{
	if (hotmem) {
		if (hm_exists("/sys/module/kmem") && hm_sh(NULL, 0, "rmmod kmem"))
			return -EBUSY;
		hm_sh(NULL, 0, "mkdir -p /etc/modprobe.d && cp %s /etc/modprobe.d/",
		      "/hotmem/etc/hotmem-kmem.conf");
		hm_sh(NULL, 0, "/sbin/modprobe hotmem_kmem");
		return hm_exists("/sys/module/hotmem_kmem") ? 0 : -ENOENT;
	}
	if (hm_exists("/sys/module/hotmem_kmem") && hm_sh(NULL, 0, "rmmod hotmem_kmem"))
		return -EBUSY;
	hm_sh(NULL, 0, "rm -f /etc/modprobe.d/hotmem-kmem.conf");
	hm_sh(NULL, 0, "/sbin/modprobe kmem");
	return hm_exists("/sys/module/kmem") ? 0 : -ENOENT;
}

/* make @dev a devdax device of @gib GiB */
static int resize(const char *dev, unsigned int gib)
{
	char sz[32];

	hm_sh(NULL, 0, "daxctl disable-device %s", dev);
	snprintf(sz, sizeof(sz), "%llu", gib * GIB);
	if (hm_write("0", HM_SYS_DAX "/%s/size", dev) ||
	    hm_write(sz, HM_SYS_DAX "/%s/size", dev))
		return -EINVAL;
	return hm_sh(NULL, 0, "daxctl enable-device %s", dev) ? -EIO : 0;
}

/* unbind @dev from its driver, if any */
static int detach(const char *dev)
{
	char mode[32];

	if (hm_dax_mode(dev, mode, sizeof(mode)))
		return -EIO;
	if (strcmp(mode, "unbound") &&
	    hm_write(dev, HM_SYS_DAX "/%s/driver/unbind", dev))
		return -EIO;
	return 0;
}

/* bind @dev to @drv ("kmem" or "device_dax"), unbinding it first */
static int bind_to(const char *dev, const char *drv)
{
	if (detach(dev))
		return -EIO;
	/* 6.1 binds kmem by id only: new_id adds the id and binds */
	if (hm_write(dev, "/sys/bus/dax/drivers/%s/bind", drv) &&
	    hm_write(dev, "/sys/bus/dax/drivers/%s/new_id", drv))
		return -EIO;
	return 0;
}

/* write @state to the state file of every memory block of @dev */
static int blocks_set(const char *dev, const char *state)
{
	__u64 bs = hm_block_size(), b;
	long long s, e;
	int i;

	for (i = 0; hm_exists(HM_SYS_DAX "/%s/mapping%d", dev, i); i++) {
		s = hm_read_ll(HM_SYS_DAX "/%s/mapping%d/start", dev, i);
		e = hm_read_ll(HM_SYS_DAX "/%s/mapping%d/end", dev, i);
		for (b = (s + bs - 1) / bs; (b + 1) * bs <= (__u64)e + 1; b++)
			if (hm_write(state, "/sys/devices/system/memory/memory%llu/state", b))
				return -EIO;
	}
	return 0;
}

/* online_movable or offline every block of @dev, as @c says */
static int set_all(const char *dev, const struct cfg *c, bool online)
{
	switch (c->how) {
	case 1:
		return hm_write(online ? "online_movable" : "offline",
				HM_SYS_DAX "/%s/hotmem/state", dev);
	case 2:
		/* daxctl onlines movable by default */
		return hm_sh(NULL, 0, "daxctl %s-memory %s",
			     online ? "online" : "offline", dev) ? -EIO : 0;
	default:
		return blocks_set(dev, online ? "online_movable" : "offline");
	}
}

static const unsigned int sizes[NSIZE] = { 1, 4, 16 };

/*
 * one sample: seconds for detach/add/online/remove, bytes of DRAM spent
 * by add
 */
struct sample {
	double detach, add, online, remove;
	long long dram;
};

static struct sample samples[NCFG][NSIZE][RUNS];
static int runs = RUNS;
static bool have_cfg[NCFG];

static int measure(const char *dev, const struct cfg *c, unsigned int gib,
		   struct sample *s)
{
	long long f0, f1;
	double t;

	if (use_driver(c->hotmem) || resize(dev, gib))
		return -EIO;
	/* the dax attribute exists from 6.8 on */
	if (c->dax_mom >= 0 && hm_exists(HM_SYS_DAX "/%s/memmap_on_memory", dev) &&
	    hm_write(c->dax_mom ? "1" : "0", HM_SYS_DAX "/%s/memmap_on_memory", dev))
		return -EIO;
	t = now();
	if (detach(dev))
		return -EIO;
	s->detach = now() - t;
	f0 = hm_memfree_settled_kb();
	t = now();
	if (bind_to(dev, "kmem"))
		return -EIO;
	s->add = now() - t;
	f1 = hm_memfree_settled_kb();
	s->dram = (f0 - f1) * 1024;
	t = now();
	if (set_all(dev, c, true))
		return -EIO;
	s->online = now() - t;
	t = now();
	if (set_all(dev, c, false) || bind_to(dev, "device_dax"))
		return -EIO;
	s->remove = now() - t;
	if (c->dax_mom > 0)
		hm_write("0", HM_SYS_DAX "/%s/memmap_on_memory", dev);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* median, min, max of field @off of the runs of one cell, per GiB */
static void stats(struct sample *s, size_t off, unsigned int gib, double *out)
{
	double v[RUNS];
	int i;

	for (i = 0; i < runs; i++) {
		char *p = (char *)&s[i] + off;

		v[i] = off == offsetof(struct sample, dram) ?
			*(long long *)p : *(double *)p;
		v[i] /= gib;
	}
	qsort(v, runs, sizeof(v[0]), cmp);
	out[0] = v[runs / 2];
	out[1] = v[0];
	out[2] = v[runs - 1];
}

static void report(void)
{
	static const struct { const char *name; size_t off; const char *fmt; } f[] = {
		{ "detach s/GiB", offsetof(struct sample, detach), "%7.3f [%.3f-%.3f]" },
		{ "add s/GiB", offsetof(struct sample, add), "%7.3f [%.3f-%.3f]" },
		{ "online s/GiB", offsetof(struct sample, online), "%7.3f [%.3f-%.3f]" },
		{ "remove s/GiB", offsetof(struct sample, remove), "%7.3f [%.3f-%.3f]" },
	};
	double st[3], add[3], onl[3], per[NSIZE];
	int c, z, k, r;

	printf("\n%-13s %5s | %-26s | %-26s | %-26s | %-26s | %s\n", "driver", "GiB",
	       f[0].name, f[1].name, f[2].name, f[3].name,
	       "DRAM MiB/GiB (median [min-max])");
	for (c = 0; c < NCFG; c++) {
		if (!have_cfg[c])
			continue;
		for (z = 0; z < NSIZE; z++) {
			printf("%-13s %5u |", cfgs[c].name, sizes[z]);
			for (k = 0; k < 4; k++) {
				stats(samples[c][z], f[k].off, sizes[z], st);
				printf(" ");
				printf(f[k].fmt, st[0], st[1], st[2]);
				printf(" |");
			}
			stats(samples[c][z], offsetof(struct sample, dram), sizes[z], st);
			printf(" %6.1f [%.1f-%.1f]\n", st[0] / (1 << 20),
			       st[1] / (1 << 20), st[2] / (1 << 20));
		}
	}
	/* add+online per GiB, hotmem against kmem+mom (6.8+) or kmem */
	for (z = 0; z < NSIZE; z++) {
		int base = have_cfg[1] ? 1 : 0;

		stats(samples[2][z], offsetof(struct sample, add), sizes[z], add);
		stats(samples[2][z], offsetof(struct sample, online), sizes[z], onl);
		st[0] = add[0] + onl[0];
		per[z] = st[0];
		stats(samples[base][z], offsetof(struct sample, add), sizes[z], add);
		stats(samples[base][z], offsetof(struct sample, online), sizes[z], onl);
		printf("add+online %2u GiB: hotmem / %s = %.3f\n", sizes[z],
		       cfgs[base].name, st[0] / (add[0] + onl[0]));
	}
	/* flat per GiB: the largest size against the one before it */
	printf("add+online s/GiB: hotmem %u GiB / %u GiB = %.3f\n", sizes[NSIZE - 1],
	       sizes[NSIZE - 2], per[NSIZE - 1] / per[NSIZE - 2]);
	/* the onlining order: hotmem's state write against daxctl's order */
	for (z = 0; z < NSIZE; z++) {
		stats(samples[3][z], offsetof(struct sample, online), sizes[z], onl);
		stats(samples[2][z], offsetof(struct sample, online), sizes[z], add);
		st[0] = onl[0];
		st[1] = add[0];
		stats(samples[3][z], offsetof(struct sample, remove), sizes[z], onl);
		stats(samples[2][z], offsetof(struct sample, remove), sizes[z], add);
		printf("online %2u GiB: hotmem-state / hotmem (ascending) = %.3f; ",
		       sizes[z], st[0] / st[1]);
		printf("offline+unbind: %.3f\n", onl[0] / add[0]);
		stats(samples[4][z], offsetof(struct sample, online), sizes[z], add);
		printf("online %2u GiB: hotmem-state / daxctl online-memory = %.3f\n",
		       sizes[z], st[0] / add[0]);
	}

	printf("BENCH-JSON-BEGIN\n{\"kernel\": \"%s\", \"runs\": %d, \"samples\": [",
	       getenv("HOTMEM_KVER") ? getenv("HOTMEM_KVER") : "?", runs);
	k = 0;
	for (c = 0; c < NCFG; c++)
		for (z = 0; c < NCFG && have_cfg[c] && z < NSIZE; z++)
			for (r = 0; r < runs; r++) {
				struct sample *s = &samples[c][z][r];

				printf("%s\n {\"driver\": \"%s\", \"gib\": %u, \"run\": %d, ",
				       k++ ? "," : "", cfgs[c].name, sizes[z], r);
				printf("\"detach_s\": %.4f, \"add_s\": %.4f, ",
				       s->detach, s->add);
				printf("\"online_s\": %.4f, ", s->online);
				printf("\"remove_s\": %.4f, \"dram_bytes\": %lld}",
				       s->remove, s->dram);
			}
	printf("\n]}\nBENCH-JSON-END\n");
}

#define BD_EXPEDITE	"/sys/module/hotmem_kmem/parameters/expedite_rcu"

/* Write @val to @path as one phase of the breakdown. */
static int bd_phase(const char *label, const char *val, const char *path)
{
	int rc;

	bd_begin();
	rc = hm_write(val, "%s", path);
	return rc ?: bd_end(label, "hotmem_kmem");
}

/* per-block writes from user space, as daxctl and the benchmark do */
static int bd_blocks(const char *label, const char *dev, const char *state)
{
	double t0 = bd_now_ns();
	int rc = blocks_set(dev, state);

	printf("  %-22s %9.1f ms (user space, per block; no call of hotmem_kmem)\n",
	       label, (bd_now_ns() - t0) / 1e6);
	return rc;
}

static int bd_run(const char *dev)
{
	char path[256];
	int z, x;

	if (use_driver(true) || !bd_available())
		return fprintf(stderr, "the test build is needed (vm.sh --test-build)\n"),
			-ENOENT;
	printf("== where hotmem_kmem's time goes (ms; gaps: between its kernel calls)\n");
	for (z = 0; z < NSIZE; z++) {
		for (x = 1; x >= 0; x--) {
			if (hm_write(x ? "1" : "0", BD_EXPEDITE) ||
			    resize(dev, sizes[z]) || detach(dev))
				goto fail;
			printf("%u GiB, expedite_rcu=%d\n", sizes[z], x);
			snprintf(path, sizeof(path), HM_SYS_DAX "/%s/hotmem/state", dev);
			/* new_id binds, as daxctl's bind does where "bind" cannot */
			if (bd_phase("add (new_id)", dev, "/sys/bus/dax/drivers/kmem/new_id") ||
			    bd_blocks("online per block", dev, "online_movable") ||
			    bd_blocks("offline per block", dev, "offline") ||
			    bd_phase("state online_movable", "online_movable", path) ||
			    bd_phase("state offline", "offline", path) ||
			    bd_phase("state unplugged", "unplugged", path) ||
			    bd_phase("unbind", dev, "/sys/bus/dax/drivers/kmem/unbind") ||
			    hm_write(dev, "/sys/bus/dax/drivers/kmem/remove_id") ||
			    bind_to(dev, "device_dax"))
				goto fail;
		}
	}
	hm_write("1", BD_EXPEDITE);
	return 0;
fail:
	hm_write("1", BD_EXPEDITE);
	return -EIO;
}

int main(int argc, char **argv)
{
	struct sample *s;
	char dev[64];
	int run, z, i, c;

	if (argc > 1 && !strcmp(argv[1], "--breakdown")) {
		if (hm_sr_reset(dev, sizeof(dev)))
			return fprintf(stderr, "no soft-reserved dax device\n"), 1;
		return bd_run(dev) ? 1 : 0;
	}
	if (argc > 1)
		runs = atoi(argv[1]);
	if (runs < 1 || runs > RUNS)
		return fprintf(stderr, "usage: %s [RUNS (1-%d, default %d)]\n", argv[0],
			       RUNS, RUNS), 1;
	if (hm_sr_reset(dev, sizeof(dev)))
		return fprintf(stderr, "no soft-reserved dax device\n"), 1;
	if (hm_read_ll(HM_SYS_DAX "/%s/size", dev) < (long long)(sizes[NSIZE - 1] * GIB))
		return fprintf(stderr, "need %u GiB of soft-reserved memory\n",
			       sizes[NSIZE - 1]), 1;
	have_cfg[0] = true;
	have_cfg[2] = true;
	have_cfg[3] = true;
	have_cfg[4] = true;
	have_cfg[1] = hm_exists(HM_SYS_DAX "/%s/memmap_on_memory", dev);

	for (run = 0; run < runs; run++) {
		for (z = 0; z < NSIZE; z++) {
			for (i = 0; i < NCFG; i++) {
				c = run % 2 ? NCFG - 1 - i : i;
				if (!have_cfg[c])
					continue;
				if (measure(dev, &cfgs[c], sizes[z], &samples[c][z][run]))
					return fprintf(stderr, "%s %u GiB failed\n",
						       cfgs[c].name, sizes[z]), 1;
				s = &samples[c][z][run];
				fprintf(stderr, "# run %d %-8s %2u GiB: ", run,
					cfgs[c].name, sizes[z]);
				fprintf(stderr, "detach %.3fs add %.3fs online %.3fs ",
					s->detach, s->add, s->online);
				fprintf(stderr, "remove %.3fs dram %lld\n", s->remove, s->dram);
			}
		}
	}
	report();
	return 0;
}
