// SPDX-License-Identifier: GPL-2.0
/*
 * hotmem_kmem under concurrency: processes race for a bounded time
 * (HOTMEM_RACE_SECONDS, default 15) on the same dax devices: bind and
 * unbind, plug and unplug, onlining and offlining of their blocks,
 * memmap_on_memory, offline failures switched on and off, retry_unplug,
 * and readers of state, blocks and stuck; writes of hotmem/state and
 * expose_stranded against all of those and daxctl online-memory and
 * offline-memory; and a bind of a device whose memory is stuck against
 * retry_unplug, which must take the memory back every time.  Every step's
 * errno must be one the README allows; then no worker may be stuck and
 * no task left in D state, and after clean-up /proc/iomem, the memory
 * blocks and both modules' reference counts are as before.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "hotmem_util.h"
#include "race.h"

#define DRV		"/sys/bus/dax/drivers/kmem/"
#define DEVDAX		"/sys/bus/dax/drivers/device_dax/"
#define INJECT		"/sys/kernel/debug/notifier-error-inject/memory/actions/MEM_GOING_OFFLINE/error"
#define MEMBLK		"/sys/devices/system/memory/memory%llu/state"
#define NDEV		3

static char devs[NDEV][64];
static __u64 dev_start[NDEV], dev_size[NDEV], bs;

static unsigned int race_seconds(void)
{
	const char *s = getenv("HOTMEM_RACE_SECONDS");

	return s && *s ? strtoul(s, NULL, 0) : 15;
}

static bool bound_to(const char *dev, const char *drv)
{
	char link[256], path[128];
	ssize_t n;

	snprintf(path, sizeof(path), HM_SYS_DAX "/%s/driver", dev);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return false;
	link[n] = '\0';
	return !strcmp(strrchr(link, '/') + 1, drv);
}

/* new_id: probes every unbound device kmem matches; count is returned */
static int bind_kmem(const char *dev)
{
	if (bound_to(dev, "device_dax"))
		hm_write(dev, DEVDAX "unbind");
	return hm_write(dev, DRV "new_id");
}

/* /proc/iomem, the memory blocks, the hotmem_kmem refcount, "stuck" */
static void snapshot(char *buf, size_t len)
{
	hm_sh(buf, len, "cat /proc/iomem; ls /sys/devices/system/memory; "
	      "cat /sys/module/hotmem_kmem/refcnt " DRV "stuck; "
	      "cat /sys/module/hotmem_pagemap/refcnt 2>/dev/null || echo 0");
}

/* every device back in devdax mode, nothing added, nothing stuck */
static int clean_up(void)
{
	int i, k;

	hm_write("0", INJECT);
	for (k = 0; k < 5 && hm_write("1", DRV "retry_unplug"); k++)
		usleep(100 * 1000);
	for (i = 0; i < NDEV; i++) {
		for (k = 0; k < 5 && bound_to(devs[i], "kmem") &&
		     hm_write("1", HM_SYS_DAX "/%s/hotmem/unplug", devs[i]); k++)
			usleep(100 * 1000);
		if (bound_to(devs[i], "kmem"))
			hm_write(devs[i], DRV "unbind");
		hm_write(devs[i], DRV "remove_id");
		if (!bound_to(devs[i], "device_dax"))
			hm_write(devs[i], DEVDAX "new_id");
		if (!bound_to(devs[i], "device_dax"))
			return -EIO;
	}
	return 0;
}

/* ---- the workers ---- */

static int step_bind_unbind(int arg)
{
	static const int ok_bind[] = { 0, RC_END };
	static const int ok_unbind[] = { 0, -ENODEV, RC_END };
	const char *dev = devs[rc_rand() % NDEV];

	if (rc_rand() % 2)
		return rc_expect("bind", bind_kmem(dev), ok_bind);
	return rc_expect("unbind", hm_write(dev, DRV "unbind"), ok_unbind);
}

static int step_plug_unplug(int arg)
{
	static const int ok[] = { 0, -EBUSY, -ENOENT, -ENODEV, RC_END };
	const char *dev = devs[rc_rand() % NDEV];

	return rc_expect(arg ? "unplug" : "plug",
			 hm_write("1", HM_SYS_DAX "/%s/hotmem/%s", dev,
				  rc_rand() % 2 ? "unplug" : "plug"), ok);
}

static int step_mom(int arg)
{
	static const int ok[] = { 0, -EBUSY, -ENOENT, -ENODEV, RC_END };
	const char *dev = devs[rc_rand() % NDEV];

	return rc_expect("memmap_on_memory",
			 hm_write(rc_rand() % 2 ? "1" : "0",
				  HM_SYS_DAX "/%s/hotmem/memmap_on_memory", dev), ok);
}

/* a block of the devices online (movable, or wherever) or offline */
static int step_online(int arg)
{
	static const int ok[] = { 0, -EINVAL, -EBUSY, -ENOENT, -ENODEV, RC_END };
	static const char *const how[] = { "online_movable", "online", "offline",
					   "offline" };
	int d = rc_rand() % NDEV;
	__u64 blk = (dev_start[d] + bs - 1) / bs + rc_rand() % (dev_size[d] / bs);

	return rc_expect("memory block state",
			 hm_write(how[rc_rand() % 4], MEMBLK, blk), ok);
}

static int step_read(int arg)
{
	static const int ok[] = { 0, -ENOENT, -ENODEV, RC_END };
	static const char *const files[] = { "state", "blocks", "memmap_on_memory",
					     "stranded_bytes" };
	char buf[8192];
	int rc;

	rc = hm_read_str(buf, sizeof(buf), HM_SYS_DAX "/%s/hotmem/%s",
			 devs[rc_rand() % NDEV], files[rc_rand() % 4]);
	if (rc_expect("hotmem read", rc < 0 ? rc : 0, ok))
		return -1;
	rc = hm_read_str(buf, sizeof(buf), DRV "stuck");
	return rc_expect("stuck read", rc < 0 ? rc : 0, ok);
}

static int step_inject_retry(int arg)
{
	static const int ok[] = { 0, -EBUSY, RC_END };

	hm_write(rc_rand() % 3 ? "0" : "-16", INJECT);
	usleep(20 * 1000);
	return rc_expect("retry_unplug", hm_write("1", DRV "retry_unplug"), ok);
}

/*
 * A state write: all or nothing against its own device, but the blocks
 * are everybody's.  -EBUSY: a block would not go offline; -EINVAL:
 * another writer moved a block meanwhile; -EPERM: another writer onlined
 * a block the write had just added where it did not want it.
 */
static int step_state(int arg)
{
	static const int ok[] = { 0, -EBUSY, -EINVAL, -EPERM, -ENOENT, -ENODEV, RC_END };
	static const char *const to[] = { "unplugged", "offline", "online",
					  "online_movable" };

	return rc_expect("state", hm_write(to[rc_rand() % 4], HM_SYS_DAX "/%s/hotmem/state",
					   devs[rc_rand() % NDEV]), ok);
}

static int step_expose(int arg)
{
	static const int ok[] = { 0, -ENOENT, -ENODEV, RC_END };

	return rc_expect("expose_stranded",
			 hm_write(rc_rand() % 2 ? "1" : "0",
				  HM_SYS_DAX "/%s/hotmem/expose_stranded",
				  devs[rc_rand() % NDEV]), ok);
}

/* daxctl's own view of the device: it may refuse, it must not crash or hang */
static int step_daxctl(int arg)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "daxctl %s-memory %s", rc_rand() % 2 ? "online" : "offline",
		 devs[rc_rand() % NDEV]);
	if (rc_exec(cmd) < 0)
		return rc_fail("%s did not exit", cmd);
	return 0;
}

/* ---- bind against retry_unplug ---- */

static bool stuck_lists(const char *dev)
{
	char buf[4096], want[80];

	if (hm_read_str(buf, sizeof(buf), DRV "stuck") < 0)
		return false;
	snprintf(want, sizeof(want), "%s ", dev);
	return !strncmp(buf, want, strlen(want)) || strstr(buf, want);
}

static int step_retry_busy(int arg)
{
	static const int ok[] = { -EBUSY, 0, RC_END };

	/* 0 only while nothing is stuck: the binder holds the memory then */
	return rc_expect("retry_unplug", hm_write("1", DRV "retry_unplug"), ok);
}

/* bind the stuck device: it must take its memory back, every time */
static int step_rebind(int arg)
{
	const char *dev = devs[0];

	if (bind_kmem(dev) || !bound_to(dev, "kmem"))
		return rc_fail("bind of %s did not take back its stuck memory", dev);
	if (stuck_lists(dev))
		return rc_fail("%s bound and still listed as stuck", dev);
	if (hm_write(dev, DRV "unbind"))
		return rc_fail("unbind of %s failed", dev);
	if (!stuck_lists(dev))
		return rc_fail("%s unbound with online blocks not offlinable, yet not stuck",
			       dev);
	return 0;
}

/* whole blocks of device @i: [*first, *first + return) */
static int dev_blocks(int i, __u64 *first)
{
	__u64 end = (dev_start[i] + dev_size[i]) / bs;

	*first = (dev_start[i] + bs - 1) / bs;
	return end > *first ? end - *first : 0;
}

/*
 * The books after a race: a "System RAM (hotmem)" per memory block that
 * exists in the devices, a module reference per device holding memory,
 * and each bound device's state word true to its blocks.
 */
static void check_books(struct __test_metadata *_metadata)
{
	struct hm_res res[HM_MAX_RES];
	int i, b, nb, blocks = 0, holders = 0, ram = 0, n;
	const char *want;
	char state[32];
	__u64 first;

	for (i = 0; i < NDEV; i++) {
		int here = 0;

		nb = dev_blocks(i, &first);
		for (b = 0; b < nb; b++)
			here += hm_exists("/sys/devices/system/memory/memory%llu", first + b);
		blocks += here;
		holders += here > 0;
		if (!bound_to(devs[i], "kmem"))
			continue;
		ASSERT_LT(0, hm_read_str(state, sizeof(state), HM_SYS_DAX "/%s/hotmem/state",
					 devs[i]));
		want = !here ? "unplugged" : here < nb ? "partial" : NULL;
		if (want)
			EXPECT_STREQ(want, state) TH_LOG("%s", devs[i]);
		EXPECT_TRUE(want || !strcmp(state, "offline") || !strcmp(state, "online") ||
			    !strcmp(state, "mixed")) TH_LOG("%s: %s", devs[i], state);
	}
	n = hm_iomem(res, HM_MAX_RES);
	for (i = 0; i < n; i++)
		ram += !strcmp(res[i].name, "System RAM (hotmem)");
	EXPECT_EQ(blocks, ram);
	EXPECT_EQ(holders, hm_read_ll("/sys/module/hotmem_kmem/refcnt"));
}

/*
 * Exposed stranded parts only where a bound device wants them and holds
 * blocks, each piece holding two of hotmem_pagemap's symbols.
 */
static void check_exposed(struct __test_metadata *_metadata)
{
	int i, pieces = 0;
	__u64 first;

	for (i = 0; i < NDEV; i++) {
		long long bytes, on, want;
		char buf[4096], *p;
		int here = 0, b;

		if (!bound_to(devs[i], "kmem"))
			continue;
		bytes = hm_read_ll(HM_SYS_DAX "/%s/hotmem/stranded_exposed_bytes", devs[i]);
		on = hm_read_ll(HM_SYS_DAX "/%s/hotmem/expose_stranded", devs[i]);
		for (b = 0; b < dev_blocks(i, &first); b++)
			here += hm_exists("/sys/devices/system/memory/memory%llu", first + b);
		if (on && here)
			want = hm_read_ll(HM_SYS_DAX "/%s/hotmem/stranded_bytes", devs[i]) -
			       hm_read_ll(HM_SYS_DAX "/%s/hotmem/stranded_unusable_bytes",
					  devs[i]);
		else
			want = 0;
		EXPECT_EQ(want, bytes) TH_LOG("%s", devs[i]);
		/* empty for a device of whole blocks */
		ASSERT_LE(0, hm_read_str(buf, sizeof(buf), HM_SYS_DAX "/%s/hotmem/stranded",
					 devs[i]));
		for (p = buf; (p = strstr(p, " region")); p++)
			pieces++;
	}
	EXPECT_EQ(2 * pieces, hm_exists("/sys/module/hotmem_pagemap") ?
		  hm_read_ll("/sys/module/hotmem_pagemap/refcnt") : 0);
}

FIXTURE(race) {
	char before[16384];
	char why[512];
};

FIXTURE_SETUP(race)
{
	static const char *const sizes[NDEV] = { "384M", "320M", "256M" };
	char dev[64], out[4096];
	__u64 at, size;
	int i, region;

	if (hm_dax_find(dev, sizeof(dev), "/hmem"))
		SKIP(return, "no soft-reserved dax device (vm.sh -p soft-reserved)");
	ASSERT_EQ(0, hm_sr_reset(dev, sizeof(dev)));
	ASSERT_EQ(0, hm_use_hotmem_kmem());
	if (!hm_exists(INJECT))
		hm_sh(NULL, 0, "/sbin/modprobe memory-notifier-error-inject");
	ASSERT_TRUE(hm_exists(INJECT));
	ASSERT_EQ(0, hm_sr_range(&at, &size));
	bs = hm_block_size();
	region = hm_dax_region_id(dev);
	/* three devices; the second starts and ends mid block */
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl disable-device %s", dev));
	ASSERT_EQ(0, hm_write("402653184", HM_SYS_DAX "/%s/size", dev));
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl enable-device %s", dev));
	snprintf(devs[0], sizeof(devs[0]), "%s", dev);
	for (i = 0; i < NDEV; i++) {
		if (i) {
			ASSERT_EQ(0, hm_sh(out, sizeof(out), "daxctl create-device -r %d -s %s",
					   region, sizes[i]));
			ASSERT_EQ(0, hm_created_dev(out, devs[i], sizeof(devs[i])));
		}
		dev_start[i] = at;
		dev_size[i] = strtoull(sizes[i], NULL, 0) << 20;
		at += dev_size[i];
	}
	ASSERT_EQ(0, clean_up());
	snapshot(self->before, sizeof(self->before));
}

FIXTURE_TEARDOWN(race)
{
	char after[16384], dev[64];

	EXPECT_EQ(0, clean_up());
	snapshot(after, sizeof(after));
	EXPECT_STREQ(self->before, after);
	hm_sr_reset(dev, sizeof(dev));
}

/*
 * Memory stuck at unbind is taken back by a bind of the same device even
 * while retry_unplug is busy with it (it waited; it used to fail with
 * "hot-add failed (-16)").
 */
TEST_F_TIMEOUT(race, bind_vs_retry_unplug, 600)
{
	const struct rc_worker w[] = {
		{ "bind (takes back)/unbind", step_rebind, 0 },
		{ "retry_unplug", step_retry_busy, 0 },
		{ "retry_unplug 2", step_retry_busy, 1 },
	};
	__u64 b;

	ASSERT_EQ(0, bind_kmem(devs[0]));
	ASSERT_TRUE(bound_to(devs[0], "kmem"));
	for (b = dev_start[0] / bs; b < (dev_start[0] + dev_size[0]) / bs; b++)
		ASSERT_EQ(0, hm_write("online_movable", MEMBLK, b));
	ASSERT_EQ(0, hm_write("-16", INJECT));
	ASSERT_EQ(0, hm_write(devs[0], DRV "unbind"));
	ASSERT_TRUE(stuck_lists(devs[0]));
	EXPECT_EQ(0, rc_run(w, 3, race_seconds(), self->why, sizeof(self->why)))
		TH_LOG("%s", self->why);
}

/*
 * Whole-device state writes and expose_stranded against binds, unbinds,
 * plugs, unplugs, other writers of the blocks (sysfs and daxctl) and
 * retry_unplug with offline failures switched on and off.
 */
TEST_F_TIMEOUT(race, state_writes, 600)
{
	const struct rc_worker w[] = {
		{ "bind/unbind", step_bind_unbind, 0 },
		{ "plug/unplug", step_plug_unplug, 0 },
		{ "state", step_state, 0 },
		{ "state 2", step_state, 1 },
		{ "expose_stranded", step_expose, 0 },
		{ "online/offline", step_online, 0 },
		{ "daxctl online/offline-memory", step_daxctl, 0 },
		{ "inject/retry_unplug", step_inject_retry, 0 },
	};

	EXPECT_EQ(0, rc_run(w, 8, race_seconds(), self->why, sizeof(self->why)))
		TH_LOG("%s", self->why);
	check_books(_metadata);
	check_exposed(_metadata);
}

/*
 * Last in the boot: on the debug kernel this race makes the kernel's own
 * lockdep false positive (dmesg-known.re:
 * lockdep-memmap-on-memory-removal), after which lockdep is off.
 *
 * bind/unbind, plug/unplug, online/offline, memmap_on_memory, offline
 * failures and retry_unplug, and the readers, all at once.
 */
TEST_F_TIMEOUT(race, everything, 600)
{
	const struct rc_worker w[] = {
		{ "bind/unbind", step_bind_unbind, 0 },
		{ "plug/unplug", step_plug_unplug, 0 },
		{ "plug/unplug 2", step_plug_unplug, 1 },
		{ "online/offline", step_online, 0 },
		{ "online/offline 2", step_online, 1 },
		{ "memmap_on_memory", step_mom, 0 },
		{ "inject/retry_unplug", step_inject_retry, 0 },
		{ "readers", step_read, 0 },
	};

	EXPECT_EQ(0, rc_run(w, 8, race_seconds(), self->why, sizeof(self->why)))
		TH_LOG("%s", self->why);
	check_books(_metadata);
}

TEST_HARNESS_MAIN
