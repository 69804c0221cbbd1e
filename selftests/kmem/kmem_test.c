// SPDX-License-Identifier: GPL-2.0
/*
 * hotmem_kmem, driven as users drive kmem (daxctl) and through its own
 * sysfs: where the struct pages of hot-added memory live, /proc/iomem
 * nesting, memory blocks, MemTotal, an unplug that fails cleanly and
 * resumes, memory left at unbind that stays tracked, strict sysfs errors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "hotmem_util.h"

#define OUT_LEN		8192
#define HK		HM_SYS_DAX "/%s/hotmem/"
#define DRV		"/sys/bus/dax/drivers/kmem/"
#define INJECT		"/sys/kernel/debug/notifier-error-inject/memory/actions/MEM_GOING_OFFLINE/error"
#define RAM_NAME	"System RAM (hotmem)"
#define MEMBLK		"/sys/devices/system/memory/memory%llu/"

/* memmap of @bytes of memory: one 64-byte struct page per 4 KiB page */
static __u64 memmap_of(__u64 bytes)
{
	return bytes / 4096 * 64;
}

/* number of "System RAM (hotmem)" resources, each checked for nesting */
static int hotmem_ram(const char *dev, __u64 bs, int *bad)
{
	struct hm_res res[HM_MAX_RES];
	int n = hm_iomem(res, HM_MAX_RES), i, cnt = 0, p;

	*bad = 0;
	for (i = 0; i < n; i++) {
		if (strcmp(res[i].name, RAM_NAME))
			continue;
		cnt++;
		p = res[i].parent;
		if (res[i].end + 1 - res[i].start != bs || p < 0 ||
		    strcmp(res[p].name, dev) || res[p].parent < 0 ||
		    strcmp(res[res[p].parent].name, "Soft Reserved"))
			(*bad)++;
	}
	return cnt;
}

/* the text of /proc/iomem and the memory block list, for before/after */
static void snapshot(char *buf, size_t len)
{
	hm_sh(buf, len, "cat /proc/iomem; ls /sys/devices/system/memory");
}

FIXTURE(hk) {
	char dev[64];		/* the devdax device spanning the region */
	char rdir[512];		/* its region's sysfs directory */
	int region;		/* region id */
	__u64 start;		/* first byte of the soft reserved range */
	__u64 size;		/* its size */
	__u64 bs;		/* memory block size */
	int nblk;		/* whole blocks in it */
	char out[OUT_LEN];	/* output of the last command */
};

FIXTURE_SETUP(hk)
{
	if (hm_dax_find(self->dev, sizeof(self->dev), "/hmem"))
		SKIP(return, "no soft-reserved dax device (vm.sh -p soft-reserved)");
	ASSERT_EQ(0, hm_sr_reset(self->dev, sizeof(self->dev)));
	ASSERT_EQ(0, hm_use_hotmem_kmem());
	ASSERT_EQ(0, hm_dax_region_dir(self->rdir, sizeof(self->rdir), self->dev));
	self->region = hm_dax_region_id(self->dev);
	ASSERT_EQ(0, hm_sr_range(&self->start, &self->size));
	self->bs = hm_block_size();
	ASSERT_NE(0, self->bs);
	self->nblk = self->size / self->bs;
}

FIXTURE_TEARDOWN(hk)
{
	char dev[64];

	if (hm_exists(INJECT))
		hm_write("0", INJECT);
	if (hm_exists(DRV "retry_unplug"))
		hm_write("1", DRV "retry_unplug");
	hm_sr_reset(dev, sizeof(dev));
}

/*
 * daxctl reconfigure-device -N hot-adds the device through hotmem_kmem:
 * every block is its own "System RAM (hotmem)" under the device under
 * "Soft Reserved", the struct pages live on the device and cost no DRAM,
 * and online/offline/devdax work and undo exactly.
 */
TEST_F(hk, memmap_on_device)
{
	long long f0, f1, mt0, mt1;
	int nb0, on0, on1, bad;
	__u64 mm = memmap_of(self->size);
	char st[32];

	nb0 = hm_memblocks(&on0);
	mt0 = hm_meminfo_kb("MemTotal");
	f0 = hm_memfree_settled_kb();
	ASSERT_EQ(0, hm_sh(self->out, OUT_LEN,
			   "daxctl reconfigure-device -N -m system-ram %s", self->dev));
	f1 = hm_memfree_settled_kb();
	TH_LOG("free memory %+lld KiB for %llu MiB hot-added", f1 - f0,
	       self->size >> 20);
	/* nothing of the memmap in DRAM (the kernel may free some it kept) */
	EXPECT_LE(f0 - f1, 2048);
	EXPECT_EQ(mm, hm_read_ll(HK "memmap_device_bytes", self->dev));
	EXPECT_EQ(0, hm_read_ll(HK "memmap_dram_bytes", self->dev));
	EXPECT_EQ(0, hm_read_ll(HK "stranded_bytes", self->dev));
	ASSERT_LT(0, hm_read_str(st, sizeof(st), HK "state", self->dev));
	EXPECT_STREQ("offline", st);
	EXPECT_EQ(self->nblk, hotmem_ram(self->dev, self->bs, &bad));
	EXPECT_EQ(0, bad);
	EXPECT_EQ(nb0 + self->nblk, hm_memblocks(&on1));
	EXPECT_EQ(on0, on1);

	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl online-memory %s", self->dev));
	hm_read_str(st, sizeof(st), HK "state", self->dev);
	EXPECT_STREQ("online", st);
	hm_memblocks(&on1);
	EXPECT_EQ(on0 + self->nblk, on1);
	/* the memmap on the memory is not counted as RAM */
	mt1 = hm_meminfo_kb("MemTotal");
	EXPECT_EQ((long long)((self->size - mm) / 1024), mt1 - mt0);

	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl offline-memory %s", self->dev));
	hm_read_str(st, sizeof(st), HK "state", self->dev);
	EXPECT_STREQ("offline", st);

	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -m devdax -f %s",
			   self->dev));
	EXPECT_EQ(0, hotmem_ram(self->dev, self->bs, &bad));
	EXPECT_EQ(nb0, hm_memblocks(&on1));
	EXPECT_EQ(on0, on1);
	EXPECT_EQ(mt0, hm_meminfo_kb("MemTotal"));
}

/*
 * With memmap_on_memory=0 the memmap comes from DRAM as with the in-kernel
 * kmem (16 MiB per GiB; the kernel may reuse memmap it kept from an earlier
 * add), and MemTotal grows by the whole device.
 */
TEST_F(hk, memmap_in_dram)
{
	long long f0, f1, mt0;
	__u64 mm = memmap_of(self->size);
	char st[32];

	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -N -m system-ram %s",
			   self->dev));
	ASSERT_EQ(0, hm_write("1", HK "unplug", self->dev));
	hm_read_str(st, sizeof(st), HK "state", self->dev);
	EXPECT_STREQ("unplugged", st);
	ASSERT_EQ(0, hm_write("0", HK "memmap_on_memory", self->dev));
	mt0 = hm_meminfo_kb("MemTotal");
	f0 = hm_memfree_settled_kb();
	ASSERT_EQ(0, hm_write("1", HK "plug", self->dev));
	f1 = hm_memfree_settled_kb();
	TH_LOG("free memory %+lld KiB for %llu MiB hot-added", f1 - f0,
	       self->size >> 20);
	EXPECT_EQ(mm, hm_read_ll(HK "memmap_dram_bytes", self->dev));
	EXPECT_EQ(0, hm_read_ll(HK "memmap_device_bytes", self->dev));
	EXPECT_GE((f0 - f1) * 1024, (long long)mm / 2);
	EXPECT_LE((f0 - f1) * 1024, (long long)mm * 11 / 10);
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl online-memory %s", self->dev));
	EXPECT_EQ((long long)(self->size / 1024),
		  hm_meminfo_kb("MemTotal") - mt0);
}

/* The daxctl 76 flows and what daxctl list reports about them. */
TEST_F(hk, daxctl_flows)
{
	char want[64];

	ASSERT_EQ(0, hm_sh(self->out, OUT_LEN,
			   "daxctl reconfigure-device --mode=system-ram %s", self->dev));
	EXPECT_NE(NULL, strstr(self->out, "\"mode\":\"system-ram\""));
	snprintf(want, sizeof(want), "\"online_memblocks\":%d", self->nblk);
	EXPECT_NE(NULL, strstr(self->out, want));
	snprintf(want, sizeof(want), "\"total_memblocks\":%d", self->nblk);
	EXPECT_NE(NULL, strstr(self->out, want));
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl offline-memory %s", self->dev));
	ASSERT_EQ(0, hm_sh(self->out, OUT_LEN, "daxctl list -d %s", self->dev));
	EXPECT_NE(NULL, strstr(self->out, "\"online_memblocks\":0"));
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl online-memory %s", self->dev));
	ASSERT_EQ(0, hm_sh(self->out, OUT_LEN, "daxctl list -d %s", self->dev));
	snprintf(want, sizeof(want), "\"online_memblocks\":%d", self->nblk);
	EXPECT_NE(NULL, strstr(self->out, want));
	ASSERT_EQ(0, hm_sh(self->out, OUT_LEN,
			   "daxctl reconfigure-device --mode=devdax -f %s", self->dev));
	EXPECT_NE(NULL, strstr(self->out, "\"mode\":\"devdax\""));
}

/*
 * A block that cannot be offlined (memory-notifier-error-inject fails
 * MEM_GOING_OFFLINE) stops the unplug with -EBUSY after the blocks that
 * were already offline went; the rest stay added and consistent, and the
 * retry finishes once the cause is gone.
 */
TEST_F(hk, unplug_busy_then_retry)
{
	int nb0, bad, i, first;
	char st[32], path[128];

	nb0 = hm_memblocks(NULL);
	ASSERT_EQ(0, hm_sh(NULL, 0, "/sbin/modprobe memory-notifier-error-inject"));
	ASSERT_TRUE(hm_exists(INJECT));
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -m system-ram %s",
			   self->dev));
	/* offline the last 4 blocks by hand: those can go */
	first = self->start / self->bs;
	for (i = self->nblk - 4; i < self->nblk; i++) {
		snprintf(path, sizeof(path),
			 "/sys/devices/system/memory/memory%d/state", first + i);
		ASSERT_EQ(0, hm_write("offline", "%s", path));
	}
	ASSERT_EQ(0, hm_write("-16", INJECT));
	EXPECT_EQ(-EBUSY, hm_write("1", HK "unplug", self->dev));
	hm_read_str(st, sizeof(st), HK "state", self->dev);
	EXPECT_STREQ("partial", st);
	EXPECT_EQ(self->nblk - 4, hotmem_ram(self->dev, self->bs, &bad));
	EXPECT_EQ(0, bad);
	EXPECT_EQ(nb0 + self->nblk - 4, hm_memblocks(NULL));
	/* still failing: nothing changes */
	EXPECT_EQ(-EBUSY, hm_write("1", HK "unplug", self->dev));
	EXPECT_EQ(self->nblk - 4, hotmem_ram(self->dev, self->bs, &bad));

	ASSERT_EQ(0, hm_write("0", INJECT));
	EXPECT_EQ(0, hm_write("1", HK "unplug", self->dev));
	hm_read_str(st, sizeof(st), HK "state", self->dev);
	EXPECT_STREQ("unplugged", st);
	EXPECT_EQ(0, hotmem_ram(self->dev, self->bs, &bad));
	EXPECT_EQ(nb0, hm_memblocks(NULL));
	/* and plugs again */
	EXPECT_EQ(0, hm_write("1", HK "plug", self->dev));
	EXPECT_EQ(self->nblk, hotmem_ram(self->dev, self->bs, &bad));
}

/*
 * Unbinding with memory that cannot be offlined never loses it: the
 * blocks stay added and listed in the driver's "stuck" file, the module
 * cannot be unloaded, and retry_unplug or a rebind of the device finish.
 */
TEST_F(hk, unbind_keeps_stuck_memory)
{
	int nb0, bad;
	char st[256];

	nb0 = hm_memblocks(NULL);
	ASSERT_EQ(0, hm_sh(NULL, 0, "/sbin/modprobe memory-notifier-error-inject"));
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -m system-ram %s",
			   self->dev));
	ASSERT_EQ(0, hm_write("-16", INJECT));
	ASSERT_EQ(0, hm_write(self->dev, DRV "unbind"));
	ASSERT_LT(0, hm_read_str(st, sizeof(st), DRV "stuck"));
	EXPECT_NE(NULL, strstr(st, self->dev));
	EXPECT_EQ(self->nblk, hotmem_ram(self->dev, self->bs, &bad));
	EXPECT_NE(0, hm_sh(NULL, 0, "rmmod hotmem_kmem"));
	EXPECT_TRUE(hm_exists("/sys/module/hotmem_kmem"));
	EXPECT_EQ(-EBUSY, hm_write("1", DRV "retry_unplug"));

	/* the cause gone, a retry removes everything */
	ASSERT_EQ(0, hm_write("0", INJECT));
	EXPECT_EQ(0, hm_write("1", DRV "retry_unplug"));
	EXPECT_EQ(0, hm_read_str(st, sizeof(st), DRV "stuck"));
	EXPECT_EQ(0, hotmem_ram(self->dev, self->bs, &bad));
	EXPECT_EQ(nb0, hm_memblocks(NULL));

	/* stuck again (online blocks only fail); a rebind takes it back */
	ASSERT_EQ(0, hm_write(self->dev, DRV "bind"));
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl online-memory %s", self->dev));
	ASSERT_EQ(0, hm_write("-16", INJECT));
	ASSERT_EQ(0, hm_write(self->dev, DRV "unbind"));
	ASSERT_LT(0, hm_read_str(st, sizeof(st), DRV "stuck"));
	ASSERT_EQ(0, hm_write("0", INJECT));
	ASSERT_EQ(0, hm_write(self->dev, DRV "bind"));
	EXPECT_EQ(0, hm_read_str(st, sizeof(st), DRV "stuck"));
	EXPECT_EQ(self->nblk, hotmem_ram(self->dev, self->bs, &bad));
	EXPECT_EQ(nb0 + self->nblk, hm_memblocks(NULL));
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -m devdax -f %s",
			   self->dev));
	EXPECT_EQ(nb0, hm_memblocks(NULL));
}

/* make the region's device 0 empty so devices can be created */
static int empty_region(const char *dev)
{
	if (hm_sh(NULL, 0, "daxctl disable-device %s", dev))
		return -EIO;
	return hm_write("0", HM_SYS_DAX "/%s/size", dev);
}

static int new_dev(struct _test_data_hk *self, const char *size, char *dev,
		   size_t len)
{
	if (hm_sh(self->out, OUT_LEN, "daxctl create-device -r %d -s %s",
		  self->region, size))
		return -EIO;
	return hm_created_dev(self->out, dev, len);
}

/*
 * A device holding no whole memory block is refused and nothing is
 * added; one whose start and end are not block aligned adds the whole
 * blocks inside and reports the rest as stranded.
 */
TEST_F(hk, too_small_and_stranded)
{
	struct hm_res res[HM_MAX_RES];
	char a[64], b[64], mode[32];
	int nb0, bad, n, k;

	nb0 = hm_memblocks(NULL);
	ASSERT_EQ(0, empty_region(self->dev));
	ASSERT_EQ(0, new_dev(self, "64M", a, sizeof(a)));
	EXPECT_NE(0, hm_sh(NULL, 0, "daxctl reconfigure-device -N -m system-ram %s", a));
	EXPECT_EQ(0, hm_dax_mode(a, mode, sizeof(mode)));
	EXPECT_STRNE("system-ram", mode);
	EXPECT_EQ(0, hotmem_ram(a, self->bs, &bad));
	EXPECT_EQ(nb0, hm_memblocks(NULL));
	hm_dmesg_allow("no whole .* memory block");

	/* [64M, 320M): 64M head, one block, 64M tail */
	ASSERT_EQ(0, new_dev(self, "256M", b, sizeof(b)));
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -N -m system-ram %s", b));
	EXPECT_EQ(128 << 20, hm_read_ll(HK "stranded_bytes", b));
	EXPECT_EQ(1, hotmem_ram(b, self->bs, &bad));
	EXPECT_EQ(nb0 + 1, hm_memblocks(NULL));
	n = hm_iomem(res, HM_MAX_RES);
	k = hm_iomem_find(res, n, RAM_NAME, 0);
	ASSERT_GE(k, 0);
	EXPECT_EQ(self->start + (128 << 20), res[k].start);
	EXPECT_EQ(self->start + (256 << 20) - 1, res[k].end);
}

/* A device of two discontiguous ranges: one parent resource per range. */
TEST_F(hk, multi_range)
{
	char a[64], b[64], c[64], st[32];
	struct hm_res res[HM_MAX_RES];
	int nb0, bad, n, i, parents = 0;

	nb0 = hm_memblocks(NULL);
	ASSERT_EQ(0, empty_region(self->dev));
	ASSERT_EQ(0, new_dev(self, "256M", a, sizeof(a)));
	ASSERT_EQ(0, new_dev(self, "256M", b, sizeof(b)));
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl disable-device %s", a));
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl destroy-device %s", a));
	ASSERT_EQ(0, new_dev(self, "512M", c, sizeof(c)));
	ASSERT_TRUE(hm_exists(HM_SYS_DAX "/%s/mapping1", c));

	/*
	 * daxctl onlines the blocks in [resource, resource + size), which for
	 * a device with a hole misses its second range (as with the in-kernel
	 * kmem): add with -N and online each block here.
	 */
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -N -m system-ram %s", c));
	EXPECT_EQ(4, hotmem_ram(c, self->bs, &bad));
	EXPECT_EQ(0, bad);
	EXPECT_EQ(nb0 + 4, hm_memblocks(NULL));
	hm_read_str(st, sizeof(st), HK "state", c);
	EXPECT_STREQ("offline", st);
	for (i = 0; i < 2; i++) {
		__u64 s0 = hm_read_ll(HM_SYS_DAX "/%s/mapping%d/start", c, i);

		ASSERT_EQ(0, hm_write("online_movable", MEMBLK "state",
				      s0 / self->bs));
		ASSERT_EQ(0, hm_write("online_movable", MEMBLK "state",
				      s0 / self->bs + 1));
	}
	hm_read_str(st, sizeof(st), HK "state", c);
	EXPECT_STREQ("online", st);
	n = hm_iomem(res, HM_MAX_RES);
	for (i = 0; i < n; i++)
		parents += !strcmp(res[i].name, c) && i + 1 < n &&
			   !strcmp(res[i + 1].name, RAM_NAME);
	EXPECT_EQ(2, parents);
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -m devdax -f %s", c));
	EXPECT_EQ(0, hotmem_ram(c, self->bs, &bad));
	EXPECT_EQ(nb0, hm_memblocks(NULL));
}

/* 20 bind/unbind cycles leave /proc/iomem and the block list as they were. */
TEST_F_TIMEOUT(hk, bind_cycles, 120)
{
	static char before[OUT_LEN * 2], after[OUT_LEN * 2];
	int i;

	snapshot(before, sizeof(before));
	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -N -m system-ram %s",
				   self->dev));
		ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -m devdax -f %s",
				   self->dev));
	}
	snapshot(after, sizeof(after));
	EXPECT_STREQ(before, after);
}

/*
 * Malformed input to every writable attribute: a clean errno, no state
 * change, no kernel warning.
 */
TEST_F(hk, sysfs_bad_input)
{
/* every byte of a literal, NULs included */
#define B(lit, err) { lit, sizeof(lit) - 1, err }
	static const struct { const char *in; size_t len; int err; } bad[] = {
		B("\n", -EINVAL), B("abc", -EINVAL), B("-1", -EINVAL),
		B("2", -EINVAL), B("1x", -EINVAL), B(" 1", -EINVAL),
		B("99999999999999999999", -ERANGE), B("0x1", -EINVAL),
		B("+1", -EINVAL), B("01", -EINVAL), B("1\0junk", -EINVAL),
		B("1\n\n", -EINVAL), B("1 ", -EINVAL), B("00", -EINVAL),
	};
	char zeros[4096];
	static const char * const attrs[] = { "memmap_on_memory", "plug", "unplug" };
	char st0[32], st[32], before[OUT_LEN], after[OUT_LEN];
	long long mom0;
	unsigned int i, j;

	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -N -m system-ram %s",
			   self->dev));
	hm_read_str(st0, sizeof(st0), HK "state", self->dev);
	mom0 = hm_read_ll(HK "memmap_on_memory", self->dev);
	snapshot(before, sizeof(before));
	/* a 4 KiB "0...01": a leading zero, not 1 */
	memset(zeros, '0', sizeof(zeros) - 1);
	zeros[sizeof(zeros) - 1] = '1';
	for (i = 0; i < ARRAY_SIZE(attrs); i++) {
		for (j = 0; j < ARRAY_SIZE(bad); j++) {
			EXPECT_EQ(bad[j].err,
				  hm_write_n(bad[j].in, bad[j].len, HK "%s", self->dev,
					     attrs[i]))
				TH_LOG("%s <- \"%s\"", attrs[i], bad[j].in);
		}
		EXPECT_EQ(-EINVAL, hm_write_n(zeros, sizeof(zeros), HK "%s",
					      self->dev, attrs[i]));
	}
	for (j = 0; j < ARRAY_SIZE(bad); j++)
		EXPECT_EQ(bad[j].err, hm_write_n(bad[j].in, bad[j].len,
						 DRV "retry_unplug"));
	EXPECT_EQ(-EINVAL, hm_write_n(zeros, sizeof(zeros), DRV "retry_unplug"));
	/* well-formed but not allowed now */
	EXPECT_EQ(-EBUSY, hm_write("0", HK "memmap_on_memory", self->dev));
	EXPECT_EQ(-EINVAL, hm_write("0", HK "plug", self->dev));
	EXPECT_EQ(-EINVAL, hm_write("0", HK "unplug", self->dev));
	EXPECT_EQ(-EINVAL, hm_write("0", DRV "retry_unplug"));
	/* read-only files */
	EXPECT_EQ(-EACCES, hm_write("1", HK "state", self->dev));
	EXPECT_EQ(-EACCES, hm_write("1", HK "stranded_bytes", self->dev));

	hm_read_str(st, sizeof(st), HK "state", self->dev);
	EXPECT_STREQ(st0, st);
	EXPECT_EQ(mom0, hm_read_ll(HK "memmap_on_memory", self->dev));
	snapshot(after, sizeof(after));
	EXPECT_STREQ(before, after);
}

TEST_HARNESS_MAIN
