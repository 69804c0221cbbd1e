// SPDX-License-Identifier: GPL-2.0
/*
 * hotmem_pagemap under concurrency: processes race on the same objects for
 * a bounded time (HOTMEM_RACE_SECONDS, default 15): "regions" writes
 * against module load and unload; create, delete, size, mapping, memmap,
 * enabled, region disable and the readers against each other on one
 * region; mmap, touch and munmap against disable and against the removal
 * of the region through the exported API; the migration ioctls of
 * coherent and private instances against evict, disable and that
 * removal.  Every step's errno must be one the README allows; afterwards
 * no worker may be stuck and no task left in D state, the region's books
 * must balance, and after clean-up /proc/iomem and the module list are as
 * before.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <hotmem/pagemap.h>

#include "kselftest_harness.h"
#include "hotmem_util.h"
#include "race.h"

#define CLS		HM_PM_CLS "/"
#define PARAM		"/sys/module/hotmem_pagemap/parameters/regions"
#define M		(1024ULL * 1024)
#define NINST		6

static __u64 sr_start;

static unsigned int race_seconds(void)
{
	const char *s = getenv("HOTMEM_RACE_SECONDS");

	return s && *s ? strtoul(s, NULL, 0) : 15;
}

/* /proc/iomem and the loaded hotmem modules, for before and after */
static void snapshot(char *buf, size_t len)
{
	hm_sh(buf, len, "cat /proc/iomem; lsmod | grep -o '^hotmem[a-z_]*'");
}

/* ---- regions writes against load and unload ---- */

static int step_load_unload(int arg)
{
	static const int ok[] = { 0, RC_END };
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "/sbin/modprobe hotmem_pagemap regions=%llu:%llu",
		 sr_start, 256 * M);
	if (rc_exec(cmd) || !hm_exists("/sys/module/hotmem_pagemap"))
		return rc_fail("%s did not load the module", cmd);
	if (!hm_exists(CLS "region0") && !hm_exists(CLS "region1"))
		return rc_fail("loaded without the region it was given");
	if (rc_expect("rmmod hotmem_pagemap", rc_exec("/sbin/rmmod hotmem_pagemap") ?
		      -EBUSY : 0, ok))
		return -1;
	/* gone means gone: no region left in /proc/iomem, no class */
	if (hm_exists(CLS))
		return rc_fail(HM_PM_CLS " outlived the module");
	if (!rc_exec("grep -q ' : region[0-9]' /proc/iomem"))
		return rc_fail("a region stayed in /proc/iomem after rmmod");
	return 0;
}

/*
 * -EINVAL only between the module's sysfs files appearing and its init:
 * the write joins the load-time value, and a second one overlaps it.
 */
static int step_write_regions(int arg)
{
	static const int ok[] = { 0, -EEXIST, -ENOENT, -ENODEV, -EINVAL, RC_END };
	char v[64];

	snprintf(v, sizeof(v), "%llu:%llu", sr_start + 1024 * M + arg * 2 * M, 2 * M);
	return rc_expect("regions write", hm_write(v, PARAM), ok);
}

static int step_read_regions(int arg)
{
	static const int ok[] = { 0, -ENOENT, -ENODEV, RC_END };
	char buf[4096];
	int rc = hm_read_str(buf, sizeof(buf), PARAM);

	return rc_expect("regions read", rc < 0 ? rc : 0, ok);
}

/* ---- instance attributes against each other ---- */

static void inst_name(char *buf, size_t len)
{
	snprintf(buf, len, "pm0.%u", rc_rand() % NINST);
}

static int step_create_delete(int arg)
{
	static const int ok_c[] = { 0, -ENOSPC, RC_END };
	static const int ok_d[] = { 0, -EBUSY, -ENXIO, -ENODEV, RC_END };
	char name[32];

	if (rc_rand() % 2)
		return rc_expect("create", hm_write("1", CLS "region0/create"), ok_c);
	inst_name(name, sizeof(name));
	if (!strcmp(name, "pm0.0"))
		return 0;
	return rc_expect("delete", hm_write(name, CLS "region0/delete"), ok_d);
}

/*
 * A file of an instance or region deleted under a write fails with
 * ENXIO (hotmem's handler saw it dead) or ENODEV (sysfs removed it first).
 */
static int step_size(int arg)
{
	static const int ok[] = { 0, -EBUSY, -ENOSPC, -ENOENT, -ENXIO, -ENODEV, RC_END };
	char name[32], v[32];

	inst_name(name, sizeof(name));
	snprintf(v, sizeof(v), "%llu", 2 * M * (rc_rand() % 24));
	return rc_expect("size", hm_write(v, CLS "%s/size", name), ok);
}

static int step_mapping(int arg)
{
	static const int ok[] = { 0, -EBUSY, -EEXIST, -ENOSPC, -ENOENT, -ENXIO, -ENODEV, RC_END };
	char name[32], v[64];
	/* inside the 512 MiB region, 2 or 4 MiB long */
	__u64 a = sr_start + 2 * M * (rc_rand() % 254);

	inst_name(name, sizeof(name));
	snprintf(v, sizeof(v), "%llx-%llx", a, a + 2 * M * (1 + rc_rand() % 2) - 1);
	return rc_expect("mapping", hm_write(v, CLS "%s/mapping", name), ok);
}

static int step_memmap(int arg)
{
	static const int ok[] = { 0, -EBUSY, -ENOENT, -ENXIO, -ENODEV, RC_END };
	char name[32];

	inst_name(name, sizeof(name));
	return rc_expect("memmap", hm_write(rc_rand() % 2 ? "dev" : "ram",
					    CLS "%s/memmap", name), ok);
}

static int step_enabled(int arg)
{
	static const int ok[] = { 0, -EBUSY, -EINVAL, -ENOENT, -ENXIO, -ENODEV, RC_END };
	char name[32];

	inst_name(name, sizeof(name));
	return rc_expect("enabled", hm_write(rc_rand() % 2 ? "1" : "0",
					     CLS "%s/enabled", name), ok);
}

/* region0/disable of one to four instances, at once, all or nothing */
static int step_region_disable(int arg)
{
	static const int ok[] = { 0, -EBUSY, -ENXIO, RC_END };
	char list[160], name[32];
	int i, n = 1 + rc_rand() % 4;
	size_t at = 0;

	for (i = 0; i < n; i++) {
		inst_name(name, sizeof(name));
		at += snprintf(list + at, sizeof(list) - at, "%s%s", i ? "," : "", name);
	}
	return rc_expect("region disable", hm_write(list, CLS "region0/disable"), ok);
}

static sigjmp_buf bus_jmp;

static void on_sigbus(int sig)
{
	siglongjmp(bus_jmp, 1);
}

/*
 * Map an instance and touch it: @arg 0, it may not be revoked (a SIGBUS
 * is a failure); 1, its region may be taken away meanwhile (SIGBUS then
 * is the README's answer).
 */
static int map_touch(const char *dev, int arg)
{
	static const int ok_open[] = { 0, -ENXIO, -ENOENT, RC_END };
	static const int ok_mmap[] = { 0, -EINVAL, -ENXIO, RC_END };
	struct sigaction sa = { .sa_handler = on_sigbus };
	size_t len = 4 * M;
	char *p, got;
	__u64 o;
	int fd;

	fd = open(dev, O_RDWR);
	if (fd < 0)
		return rc_expect("open", -errno, ok_open);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return rc_expect("mmap", -errno, ok_mmap);
	sigaction(SIGBUS, &sa, NULL);
	if (sigsetjmp(bus_jmp, 1)) {
		munmap(p, len);
		return arg ? 0 : rc_fail("SIGBUS touching %s, never revoked", dev);
	}
	for (o = 0; o < len; o += 64 * 1024) {
		__atomic_store_n(&p[o], (char)(o >> 16), __ATOMIC_RELAXED);
		got = __atomic_load_n(&p[o], __ATOMIC_RELAXED);
		if (got != (char)(o >> 16))
			return rc_fail("%s: read back %d at %#llx", dev, got, o);
	}
	munmap(p, len);
	return 0;
}

static int step_map(int arg)
{
	char name[32], dev[64];

	inst_name(name, sizeof(name));
	snprintf(dev, sizeof(dev), "/dev/%s", name);
	return map_touch(dev, 0);
}

static int step_read(int arg)
{
	static const int ok[] = { 0, -ENOENT, -ENXIO, -ENODEV, RC_END };
	static const char *const files[] = { "map", "available_size", "seed", "create" };
	char name[32], buf[8192];
	int rc;

	inst_name(name, sizeof(name));
	rc = hm_read_str(buf, sizeof(buf), CLS "%s/mapping", name);
	if (rc_expect("mapping read", rc < 0 ? rc : 0, ok))
		return -1;
	rc = hm_read_str(buf, sizeof(buf), CLS "%s/mapping0/start", name);
	if (rc_expect("mapping0 read", rc < 0 ? rc : 0, ok))
		return -1;
	rc = hm_read_str(buf, sizeof(buf), CLS "region0/%s", files[rc_rand() % 4]);
	return rc_expect("region read", rc < 0 ? rc : 0, ok);
}

/*
 * The books of region0 balance: the sizes of its instances and its free
 * space add up to its size, the map shows each instance's ranges with its
 * symbol, and each instance has one mappingN per range.
 */
static void check_books(struct __test_metadata *_metadata)
{
	char buf[8192], map[8192], *line;
	__u64 total = 0, size, s, e, a;
	int id, n, k;

	ASSERT_LT(0, hm_read_str(map, sizeof(map), CLS "region0/map"));
	for (id = 0; id < 62; id++) {
		char sym = id < 26 ? 'A' + id : id < 52 ? 'a' + id - 26 : '0' + id - 52;

		if (!hm_exists(CLS "pm0.%d", id))
			continue;
		size = hm_read_ll(CLS "pm0.%d/size", id);
		total += size;
		ASSERT_LE(0, hm_read_str(buf, sizeof(buf), CLS "pm0.%d/mapping", id));
		n = 0;
		for (line = buf; *line; ) {
			k = sscanf(line, "%llx-%llx", &s, &e);
			ASSERT_EQ(2, k);
			n++;
			for (a = s; a < e; a += 2 * M) {
				__u64 sec = a & ~(128 * M - 1);
				char want[24], *l;

				snprintf(want, sizeof(want), "0x%016llx: ", sec);
				l = strstr(map, want);
				ASSERT_NE(NULL, l);
				EXPECT_EQ(sym, l[20 + (a - sec) / (2 * M)])
					TH_LOG("pm0.%d at %#llx", id, a);
			}
			line = strchr(line, '\n');
			if (!line)
				break;
			line++;
		}
		EXPECT_TRUE(hm_exists(CLS "pm0.%d/mapping%d", id, n - 1) || !n);
		EXPECT_FALSE(hm_exists(CLS "pm0.%d/mapping%d", id, n));
	}
	EXPECT_EQ(hm_read_ll(CLS "region0/size"),
		  total + hm_read_ll(CLS "region0/available_size"));
}

/* every instance of every region disabled, emptied and deleted but seeds */
static void empty_all(void)
{
	int r, i;

	for (r = 0; r < 4; r++)
		for (i = 0; i < 64; i++) {
			if (!hm_exists(CLS "pm%d.%d", r, i))
				continue;
			hm_write("0", CLS "pm%d.%d/enabled", r, i);
			hm_write("0", CLS "pm%d.%d/size", r, i);
		}
}

FIXTURE(race) {
	char before[16384];
	char why[512];
};

FIXTURE_SETUP(race)
{
	__u64 size;

	if (hm_sr_range(&sr_start, &size))
		SKIP(return, "no soft-reserved memory (vm.sh -p soft-reserved)");
	hm_sh(NULL, 0, "rmmod hotmem_pagemap_example; rmmod hotmem_pagemap");
	snapshot(self->before, sizeof(self->before));
}

FIXTURE_TEARDOWN(race)
{
	char after[16384];

	empty_all();
	hm_sh(NULL, 0, "rmmod hotmem_pagemap_example; rmmod hotmem_pagemap");
	snapshot(after, sizeof(after));
	EXPECT_STREQ(self->before, after);
}

/*
 * "regions" writes while the module loads and unloads: never an oops, a
 * write never lands in a module going away (nothing left in /proc/iomem),
 * a write during load adds to the load-time value.
 */
TEST_F_TIMEOUT(race, regions_vs_load_unload, 600)
{
	const struct rc_worker w[] = {
		{ "modprobe/rmmod", step_load_unload, 0 },
		{ "regions write A", step_write_regions, 0 },
		{ "regions write B", step_write_regions, 1 },
		{ "regions read", step_read_regions, 0 },
	};

	EXPECT_EQ(0, rc_run(w, 4, race_seconds(), self->why, sizeof(self->why)))
		TH_LOG("%s", self->why);
}

/*
 * create, delete, size, mapping, memmap, enabled, region disable, map and
 * reads at once
 */
TEST_F_TIMEOUT(race, instances, 600)
{
	const struct rc_worker w[] = {
		{ "create/delete", step_create_delete, 0 },
		{ "size", step_size, 0 },
		{ "mapping", step_mapping, 0 },
		{ "memmap", step_memmap, 0 },
		{ "enabled", step_enabled, 0 },
		{ "region disable", step_region_disable, 0 },
		{ "mmap/touch/munmap", step_map, 0 },
		{ "readers", step_read, 0 },
	};
	int i;

	ASSERT_EQ(0, hm_sh(NULL, 0, "/sbin/modprobe hotmem_pagemap regions=%llu:%llu",
			   sr_start, 512 * M));
	for (i = 1; i < NINST; i++)
		ASSERT_EQ(0, hm_write("1", CLS "region0/create"));
	EXPECT_EQ(0, rc_run(w, 8, race_seconds(), self->why, sizeof(self->why)))
		TH_LOG("%s", self->why);
	check_books(_metadata);
}

/*
 * The example client's region taken away and handed back: @start, @size;
 * its instance given @type (NULL: left generic) and @inst_size, enabled.
 */
static int api_cycle(__u64 start, __u64 size, const char *type,
		     const char *inst_size)
{
	static const int ok[] = { 0, -EBUSY, RC_END };
	char cmd[128];
	int r;

	if (rc_exec("/sbin/rmmod hotmem_pagemap_example"))
		return rc_fail("rmmod hotmem_pagemap_example failed");
	snprintf(cmd, sizeof(cmd), "/sbin/modprobe hotmem_pagemap_example range=%llu:%llu",
		 start, size);
	if (rc_exec(cmd) || !hm_exists("/sys/module/hotmem_pagemap_example"))
		return rc_fail("%s failed", cmd);
	/* the newest region: the one the example just added */
	for (r = 15; r > 0 && !hm_exists(CLS "pm%d.0", r); r--)
		;
	if (type && rc_expect("type", hm_write(type, CLS "pm%d.0/type", r), ok))
		return -1;
	if (rc_expect("size", hm_write(inst_size, CLS "pm%d.0/size", r), ok))
		return -1;
	return rc_expect("enable", hm_write("1", CLS "pm%d.0/enabled", r), ok);
}

/* the example client's region: taken away and handed back, over and over */
static int step_api_cycle(int arg)
{
	return api_cycle(sr_start + 1024 * M, 256 * M, NULL, "33554432");
}

static int example_inst(char *name, size_t len)
{
	int r;

	for (r = 15; r > 0 && !hm_exists(CLS "pm%d.0", r); r--)
		;
	snprintf(name, len, "pm%d.0", r);
	return r;
}

static int step_map_revocable(int arg)
{
	char name[32], dev[64];

	example_inst(name, sizeof(name));
	snprintf(dev, sizeof(dev), "/dev/%s", name);
	return map_touch(dev, 1);
}

static int step_toggle_example(int arg)
{
	static const int ok[] = { 0, -EBUSY, -EINVAL, -ENOENT, -ENXIO, -ENODEV, RC_END };
	char name[32];

	example_inst(name, sizeof(name));
	return rc_expect("enabled", hm_write(rc_rand() % 2 ? "1" : "0",
					     CLS "%s/enabled", name), ok);
}

/*
 * mmap, touch and munmap against disable and against the region being
 * taken back through the API (revoke: SIGBUS is allowed, nothing else).
 */
TEST_F_TIMEOUT(race, mmap_vs_revoke, 600)
{
	const struct rc_worker w[] = {
		{ "mmap/touch/munmap", step_map_revocable, 0 },
		{ "mmap/touch/munmap 2", step_map_revocable, 0 },
		{ "enabled", step_toggle_example, 0 },
		{ "API remove/add", step_api_cycle, 0 },
	};

	ASSERT_EQ(0, hm_sh(NULL, 0, "/sbin/modprobe hotmem_pagemap regions=%llu:%llu",
			   sr_start, 512 * M));
	ASSERT_EQ(0, hm_sh(NULL, 0, "/sbin/modprobe hotmem_pagemap_example range=%llu:%llu",
			   sr_start + 1024 * M, 256 * M));
	EXPECT_EQ(0, rc_run(w, 4, race_seconds(), self->why, sizeof(self->why)))
		TH_LOG("%s", self->why);
}

/* ---- migration against evict, disable and revoke ---- */

/*
 * More than one chunk of the kernel's (512 pages), so a call's later
 * chunks meet a revoke or disable that came after its first; and more
 * than pm0.1 holds (512 pages), so ENOSPC happens.
 */
#define MIG_PAGES	640

/* the word at page @i, word @w of a migration worker's buffer */
static __u64 mig_word(int i, int w)
{
	return 0x6dULL << 56 | (__u64)getpid() << 24 | (__u64)i << 12 | w;
}

/*
 * The words of a buffer @p of @dev's worker, every page or (@sample)
 * pages at random strides: 0, or -1 with the first that differs.
 */
static int mig_check(const char *dev, const __u64 *p, bool sample, const char *when)
{
	int i, w;

	for (i = 0; i < MIG_PAGES; i += sample ? 1 + rc_rand() % 16 : 1)
		for (w = 0; w < 512; w += 73)
			if (p[i * 512 + w] != mig_word(i, w))
				return rc_fail("%s: page %d word %d is %#llx after %s",
					       dev, i, w, p[i * 512 + w], when);
	return 0;
}

/*
 * Move a buffer of anonymous memory into an instance and back, checking
 * its words after each move: whatever the racing evict, disable or
 * revoke did, the data is where the process left it.  @dev: the
 * instance's character device, which may be disabled or gone meanwhile.
 */
static int migrate_once(const char *dev)
{
	static const int ok_open[] = { 0, -ENXIO, -ENOENT, RC_END };
	/* ENOSPC: the other worker filled it; EBUSY: a page locked by evict */
	static const int ok_dev[] = { 0, -ENXIO, -ENOSPC, -EBUSY, RC_END };
	static const int ok_ram[] = { 0, -ENXIO, -EBUSY, RC_END };
	struct hotmem_pm_migrate m = { 0 };
	size_t len = MIG_PAGES * 4096UL;
	int fd, i, w, rc;
	__u64 *p;

	fd = open(dev, O_RDWR);
	if (fd < 0)
		return rc_expect("open", -errno, ok_open);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		close(fd);
		return rc_fail("mmap of the buffer: %s", strerror(errno));
	}
	for (i = 0; i < MIG_PAGES; i++)
		for (w = 0; w < 512; w += 73)
			p[i * 512 + w] = mig_word(i, w);
	m.addr = (unsigned long)p;
	m.npages = MIG_PAGES;
	rc = ioctl(fd, HOTMEM_PM_MIGRATE_TO_DEV, &m) ? -errno : 0;
	if (rc_expect("migrate to the device", rc, ok_dev))
		goto fail;
	if (rc && rc != -ENXIO && m.done >= MIG_PAGES) {
		rc_fail("migrate to the device: %s with all %llu pages done",
			strerror(-rc), m.done);
		goto fail;
	}
	/* a read of a private page brings it back: another path to race */
	if (mig_check(dev, p, true, "moving in"))
		goto fail;
	m.done = 0;
	rc = ioctl(fd, HOTMEM_PM_MIGRATE_TO_RAM, &m) ? -errno : 0;
	if (rc_expect("migrate to RAM", rc, ok_ram))
		goto fail;
	if (mig_check(dev, p, false, "moving back"))
		goto fail;
	munmap(p, len);
	close(fd);
	return 0;
fail:
	munmap(p, len);
	close(fd);
	return -1;
}

static int step_migrate(int arg)
{
	char name[32], dev[64];

	if (arg)
		example_inst(name, sizeof(name));
	else
		snprintf(name, sizeof(name), "pm0.%u", rc_rand() % 2);
	snprintf(dev, sizeof(dev), "/dev/%s", name);
	return migrate_once(dev);
}

/*
 * Evict pm0.0, pm0.1 or the example's instance (generic for a moment
 * after each hand-over: EOPNOTSUPP then).
 */
static int step_evict(int arg)
{
	static const int ok[] = { 0, -EBUSY, -ENXIO, -ENOENT, -ENODEV, RC_END };
	static const int ok_ex[] = { 0, -EBUSY, -ENXIO, -ENOENT, -ENODEV, -EOPNOTSUPP,
				     RC_END };
	char name[32];

	if (rc_rand() % 3) {
		snprintf(name, sizeof(name), "pm0.%u", rc_rand() % 2);
		return rc_expect("evict", hm_write("1", CLS "%s/evict", name), ok);
	}
	example_inst(name, sizeof(name));
	return rc_expect("evict", hm_write("1", CLS "%s/evict", name), ok_ex);
}

/* pm0.1 disabled (EBUSY while it holds pages) and enabled again */
static int step_toggle_devmem(int arg)
{
	static const int ok[] = { 0, -EBUSY, RC_END };

	return rc_expect("enabled", hm_write(rc_rand() % 2 ? "1" : "0",
					     CLS "pm0.1/enabled"), ok);
}

/* the example's region taken back and handed over again, coherent */
static int step_api_cycle_devmem(int arg)
{
	return api_cycle(sr_start + 256 * M, 64 * M, "coherent", "16777216");
}

/*
 * The migration ioctls against evict, disable and the region being taken
 * back through the API: pm0.0 coherent (memmap "dev"), pm0.1 private
 * where the kernel has DEVICE_PRIVATE, else coherent, both small enough
 * to fill up, and the example's coherent instance.  No SIGBUS, no data
 * lost, every errno one the uapi header lists; afterwards no page is left
 * allocated.
 */
TEST_F_TIMEOUT(race, migrate_vs_evict_revoke, 600)
{
	const struct rc_worker w[] = {
		{ "migrate pm0.x", step_migrate, 0 },
		{ "migrate pm0.x 2", step_migrate, 0 },
		{ "migrate example", step_migrate, 1 },
		{ "evict", step_evict, 0 },
		{ "pm0.1 enabled", step_toggle_devmem, 0 },
		{ "API remove/add", step_api_cycle_devmem, 0 },
	};
	bool priv = !hm_sh(NULL, 0, "grep -qw make_device_exclusive_range /proc/kallsyms");

	ASSERT_EQ(0, hm_sh(NULL, 0, "/sbin/modprobe hotmem_pagemap regions=%llu:%llu",
			   sr_start, 256 * M));
	ASSERT_EQ(0, hm_write("1", CLS "region0/create"));
	ASSERT_EQ(0, hm_write("coherent", CLS "pm0.0/type"));
	ASSERT_EQ(0, hm_write("dev", CLS "pm0.0/memmap"));
	/* a whole section, so the memmap takes its 2 MiB of it */
	ASSERT_EQ(0, hm_write("134217728", CLS "pm0.0/size"));
	ASSERT_EQ(0, hm_write(priv ? "private" : "coherent", CLS "pm0.1/type"));
	ASSERT_EQ(0, hm_write("2097152", CLS "pm0.1/size"));
	ASSERT_EQ(0, hm_write("1", CLS "pm0.0/enabled"));
	ASSERT_EQ(0, hm_write("1", CLS "pm0.1/enabled"));
	ASSERT_EQ(0, hm_sh(NULL, 0, "/sbin/modprobe hotmem_pagemap_example range=%llu:%llu",
			   sr_start + 256 * M, 64 * M));
	ASSERT_EQ(0, hm_write("coherent", CLS "pm1.0/type"));
	ASSERT_EQ(0, hm_write("16777216", CLS "pm1.0/size"));
	ASSERT_EQ(0, hm_write("1", CLS "pm1.0/enabled"));
	EXPECT_EQ(0, rc_run(w, 6, race_seconds(), self->why, sizeof(self->why)))
		TH_LOG("%s", self->why);
	/* every worker has exited: no page of theirs is left on a device */
	EXPECT_EQ(0, hm_read_ll(CLS "pm0.0/allocated_bytes"));
	EXPECT_EQ(0, hm_read_ll(CLS "pm0.1/allocated_bytes"));
	EXPECT_EQ(0, hm_write("0", CLS "pm0.0/enabled"));
	EXPECT_EQ(0, hm_write("0", CLS "pm0.1/enabled"));
}

TEST_HARNESS_MAIN
