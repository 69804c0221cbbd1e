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

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "hotmem_pagemap.h"
#include "hotmem_util.h"

#define OUT_LEN		8192
#define HK		HM_SYS_DAX "/%s/hotmem/"
#define DRV		"/sys/bus/dax/drivers/kmem/"
#define INJECT		"/sys/kernel/debug/notifier-error-inject/memory/actions/MEM_GOING_OFFLINE/error"
#define RAM_NAME	"System RAM (hotmem)"
#define MEMBLK		"/sys/devices/system/memory/memory%llu/"
#define AUTO_ONLINE	"/sys/devices/system/memory/auto_online_blocks"
#define INJECT_ON	"/sys/kernel/debug/notifier-error-inject/memory/actions/MEM_GOING_ONLINE/error"
#define M		(1024ULL * 1024)

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
	char auto_online[32];	/* auto_online_blocks at set-up */
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
	ASSERT_LT(0, hm_read_str(self->auto_online, sizeof(self->auto_online),
				 AUTO_ONLINE));
}

/* hotmem_pagemap's module file hidden from modprobe (renamed), or back */
static int pagemap_hidden(bool hide)
{
	return hm_sh(NULL, 0, "f=$(find /lib/modules -name 'hotmem_pagemap.ko*' %s | head -1); "
		     "[ -n \"$f\" ] && mv \"$f\" \"%s\"",
		     hide ? "! -name '*.hidden'" : "-name '*.hidden'",
		     hide ? "$f.hidden" : "${f%.hidden}");
}

FIXTURE_TEARDOWN(hk)
{
	char dev[64];

	if (hm_exists(INJECT))
		hm_write("0", INJECT);
	if (hm_exists(INJECT_ON))
		hm_write("0", INJECT_ON);
	hm_write(self->auto_online, AUTO_ONLINE);
	if (hm_exists(DRV "retry_unplug"))
		hm_write("1", DRV "retry_unplug");
	hm_sr_reset(dev, sizeof(dev));
	pagemap_hidden(false);
	/* a test that loaded hotmem_kmem with parameters: back to defaults */
	if (hm_read_str(dev, sizeof(dev),
			"/sys/module/hotmem_kmem/parameters/expose_stranded") > 0 &&
	    strcmp(dev, "N"))
		hm_sh(NULL, 0, "rmmod hotmem_kmem && /sbin/modprobe kmem");
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
 * The ids of the regions the "stranded" file of @dev lists, in order, and
 * the number of pieces it lists as available; -1 if unreadable.
 */
static int stranded_regions(const char *dev, int *ids, int max, int *avail)
{
	char buf[2048], *line, *save = NULL, *sp;
	int n = 0, id;

	*avail = 0;
	if (hm_read_str(buf, sizeof(buf), HK "stranded", dev) < 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		sp = strchr(line, ' ');
		if (!sp)
			return -1;
		if (sscanf(sp + 1, "region%d", &id) == 1 && n < max)
			ids[n++] = id;
		else if (!strcmp(sp + 1, "available"))
			(*avail)++;
	}
	return n;
}

/* iomem index of "regionN", checked to sit in "Soft Reserved"; -1 if none */
static int pm_region_res(int id, __u64 *start, __u64 *end)
{
	struct hm_res res[HM_MAX_RES];
	char name[32];
	int n = hm_iomem(res, HM_MAX_RES), i;

	snprintf(name, sizeof(name), "region%d", id);
	i = hm_iomem_find(res, n, name, 0);
	if (i < 0 || res[i].parent < 0 ||
	    strcmp(res[res[i].parent].name, "Soft Reserved"))
		return -1;
	*start = res[i].start;
	*end = res[i].end;
	return i;
}

/*
 * The stranded head and tail of a device become hotmem_pagemap regions
 * when asked: listed in "stranded" and /proc/iomem at their addresses,
 * carved and mapped like any region, the bytes read back from the device's
 * own pages.  Unplugging takes them back with the mapping held (SIGBUS,
 * regions, resources and module references gone); plugging again exposes
 * them again; "0" takes them back at once; devdax releases everything.
 */
TEST_F(hk, stranded_exposed_mapped_revoked)
{
	char a[64], b[64], want[512], st[512], inst[32];
	__u64 head, tail, s, e;
	int ids[4], avail, nb0, fd, i;
	__u64 *p;

	nb0 = hm_memblocks(NULL);
	ASSERT_EQ(0, empty_region(self->dev));
	/* b = [64M, 320M): a 64M head, one block, a 64M tail */
	ASSERT_EQ(0, new_dev(self, "64M", a, sizeof(a)));
	ASSERT_EQ(0, new_dev(self, "256M", b, sizeof(b)));
	head = self->start + 64 * M;
	tail = self->start + 256 * M;
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -N -m system-ram %s", b));

	/* off by default: both pieces could be exposed, neither is */
	EXPECT_EQ(0, hm_read_ll(HK "expose_stranded", b));
	snprintf(want, sizeof(want), "%#llx-%#llx available\n%#llx-%#llx available",
		 head, head + 64 * M - 1, tail, tail + 64 * M - 1);
	ASSERT_LT(0, hm_read_str(st, sizeof(st), HK "stranded", b));
	EXPECT_STREQ(want, st);
	EXPECT_EQ(128 * M, hm_read_ll(HK "stranded_bytes", b));
	EXPECT_EQ(0, hm_read_ll(HK "stranded_exposed_bytes", b));
	EXPECT_EQ(0, hm_read_ll(HK "stranded_unusable_bytes", b));

	ASSERT_EQ(0, hm_write("1", HK "expose_stranded", b));
	ASSERT_EQ(2, stranded_regions(b, ids, 4, &avail));
	EXPECT_EQ(0, avail);
	snprintf(want, sizeof(want), "%#llx-%#llx region%d\n%#llx-%#llx region%d",
		 head, head + 64 * M - 1, ids[0], tail, tail + 64 * M - 1, ids[1]);
	hm_read_str(st, sizeof(st), HK "stranded", b);
	EXPECT_STREQ(want, st);
	EXPECT_EQ(128 * M, hm_read_ll(HK "stranded_exposed_bytes", b));
	EXPECT_EQ(0, hm_read_ll(HK "stranded_unusable_bytes", b));
	EXPECT_EQ(128 * M, hm_read_ll(HK "stranded_bytes", b));
	for (i = 0; i < 2; i++) {
		ASSERT_LE(0, pm_region_res(ids[i], &s, &e));
		EXPECT_EQ(i ? tail : head, s);
		EXPECT_EQ(s + 64 * M - 1, e);
		EXPECT_EQ(64 * M, hm_read_ll(HM_PM_CLS "/region%d/size", ids[i]));
	}
	/* the one block is still the device's System RAM */
	EXPECT_EQ(nb0 + 1, hm_memblocks(NULL));
	/* the exposure holds hotmem_pagemap */
	EXPECT_NE(0, hm_sh(NULL, 0, "rmmod hotmem_pagemap 2>/dev/null"));

	/* the tail's seed instance, all of it, mapped: the bytes are the tail's */
	snprintf(inst, sizeof(inst), "pm%d.0", ids[1]);
	ASSERT_EQ(0, hm_pm_set_size(HM_PM_CLS, inst, 64 * M));
	ASSERT_EQ(0, hm_pm_enable(inst, true));
	ASSERT_EQ(0, hm_dax_fill(inst, 64 * M, 11));
	EXPECT_EQ(0, hm_dax_verify(inst, 64 * M, 11));
	snprintf(want, sizeof(want), "/dev/%s", inst);
	fd = open(want, O_RDWR);
	ASSERT_LE(0, fd);
	p = mmap(NULL, 64 * M, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(hm_pattern(0, 11), p[0]);
	EXPECT_EQ(hm_pattern(64 * M / 8 - 1, 11), p[64 * M / 8 - 1]);
	EXPECT_EQ(tail / 4096, hm_pfn_of(p));
	EXPECT_EQ((tail + 64 * M) / 4096 - 1, hm_pfn_of((char *)p + 64 * M - 4096));

	/* unplugged with the mapping held: revoked, and nothing is left */
	EXPECT_EQ(0, hm_write("unplugged", HK "state", b));
	EXPECT_TRUE(hm_read_sigbus(p));
	munmap(p, 64 * M);
	close(fd);
	for (i = 0; i < 2; i++) {
		EXPECT_FALSE(hm_exists(HM_PM_CLS "/region%d", ids[i]));
		EXPECT_GT(0, pm_region_res(ids[i], &s, &e));
	}
	EXPECT_EQ(0, hm_read_ll(HK "stranded_exposed_bytes", b));
	EXPECT_EQ(0, hm_read_ll("/sys/module/hotmem_pagemap/refcnt"));
	EXPECT_EQ(nb0, hm_memblocks(NULL));
	EXPECT_EQ(1, hm_read_ll(HK "expose_stranded", b));

	/* plugged again: exposed again */
	ASSERT_EQ(0, hm_write("online_movable", HK "state", b));
	EXPECT_EQ(2, stranded_regions(b, ids, 4, &avail));
	EXPECT_EQ(128 * M, hm_read_ll(HK "stranded_exposed_bytes", b));
	/* "0" takes them back now, "1" exposes them now */
	EXPECT_EQ(0, hm_write("0", HK "expose_stranded", b));
	EXPECT_EQ(0, stranded_regions(b, ids, 4, &avail));
	EXPECT_EQ(2, avail);
	EXPECT_EQ(0, hm_read_ll("/sys/module/hotmem_pagemap/refcnt"));
	EXPECT_EQ(0, hm_write("1", HK "expose_stranded", b));
	EXPECT_EQ(2, stranded_regions(b, ids, 4, &avail));

	/* back to devdax: every block, region and reference goes */
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -m devdax -f %s", b));
	for (i = 0; i < 2; i++)
		EXPECT_FALSE(hm_exists(HM_PM_CLS "/region%d", ids[i]));
	EXPECT_EQ(0, hm_read_ll("/sys/module/hotmem_pagemap/refcnt"));
	EXPECT_EQ(nb0, hm_memblocks(NULL));
}

/*
 * The module parameter sets the default: a device bound with
 * expose_stranded=1 exposes its pieces as it is plugged.  A device with
 * nothing stranded exposes nothing and succeeds.
 */
TEST_F(hk, stranded_param_default)
{
	char a[64], b[64];
	int ids[4], avail;

	ASSERT_EQ(0, hm_sh(NULL, 0, "rmmod hotmem_kmem && /sbin/modprobe kmem expose_stranded=1"));
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -N -m system-ram %s",
			   self->dev));
	EXPECT_EQ(1, hm_read_ll(HK "expose_stranded", self->dev));
	EXPECT_EQ(0, stranded_regions(self->dev, ids, 4, &avail));
	EXPECT_EQ(0, avail);
	EXPECT_EQ(0, hm_read_ll(HK "stranded_exposed_bytes", self->dev));
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -m devdax -f %s",
			   self->dev));

	ASSERT_EQ(0, empty_region(self->dev));
	ASSERT_EQ(0, new_dev(self, "64M", a, sizeof(a)));
	ASSERT_EQ(0, new_dev(self, "256M", b, sizeof(b)));
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -N -m system-ram %s", b));
	EXPECT_EQ(2, stranded_regions(b, ids, 4, &avail));
	EXPECT_EQ(128 * M, hm_read_ll(HK "stranded_exposed_bytes", b));
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -m devdax -f %s", b));
	EXPECT_FALSE(hm_exists(HM_PM_CLS "/region%d", ids[0]));
}

/*
 * Without hotmem_pagemap (its module file hidden from modprobe) hotmem_kmem
 * works as before: a bind with expose_stranded=1 adds every block and
 * leaves the pieces available (the failure logged), writing the switch
 * fails with ENODEV and leaves it 0, and a state write that would expose
 * them fails with ENODEV with everything as it was.
 */
TEST_F(hk, stranded_without_pagemap)
{
	static char before[OUT_LEN * 2], after[OUT_LEN * 2];
	char a[64], b[64];
	int ids[4], avail, nb0;

	nb0 = hm_memblocks(NULL);
	hm_sh(NULL, 0, "rmmod hotmem_pagemap 2>/dev/null");
	ASSERT_EQ(0, pagemap_hidden(true));
	ASSERT_NE(0, hm_sh(NULL, 0, "/sbin/modprobe hotmem_pagemap 2>/dev/null"));
	ASSERT_EQ(0, hm_sh(NULL, 0, "rmmod hotmem_kmem && /sbin/modprobe kmem expose_stranded=1"));
	ASSERT_EQ(0, empty_region(self->dev));
	ASSERT_EQ(0, new_dev(self, "64M", a, sizeof(a)));
	ASSERT_EQ(0, new_dev(self, "256M", b, sizeof(b)));
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -N -m system-ram %s", b));
	hm_dmesg_allow("stranded .* not exposed \\(-19\\)");
	EXPECT_EQ(nb0 + 1, hm_memblocks(NULL));
	EXPECT_EQ(0, stranded_regions(b, ids, 4, &avail));
	EXPECT_EQ(2, avail);
	EXPECT_EQ(0, hm_read_ll(HK "stranded_exposed_bytes", b));
	EXPECT_FALSE(hm_exists("/sys/module/hotmem_pagemap"));

	ASSERT_EQ(0, hm_write("unplugged", HK "state", b));
	ASSERT_EQ(0, hm_write("0", HK "expose_stranded", b));
	EXPECT_EQ(0, hm_write("1", HK "expose_stranded", b));	/* unplugged: later */
	ASSERT_EQ(0, hm_write("0", HK "expose_stranded", b));
	ASSERT_EQ(0, hm_write("offline", HK "state", b));
	EXPECT_EQ(-ENODEV, hm_write("1", HK "expose_stranded", b));
	EXPECT_EQ(0, hm_read_ll(HK "expose_stranded", b));
	ASSERT_EQ(0, hm_write("unplugged", HK "state", b));
	ASSERT_EQ(0, hm_write("1", HK "expose_stranded", b));
	snapshot(before, sizeof(before));
	EXPECT_EQ(-ENODEV, hm_write("online_movable", HK "state", b));
	snapshot(after, sizeof(after));
	EXPECT_STREQ(before, after);
	EXPECT_EQ(nb0, hm_memblocks(NULL));

	ASSERT_EQ(0, pagemap_hidden(false));
	EXPECT_EQ(0, hm_write("online_movable", HK "state", b));
	EXPECT_EQ(2, stranded_regions(b, ids, 4, &avail));
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -m devdax -f %s", b));
}

/*
 * A device of two ranges, the first without a whole block: three stranded
 * pieces (all of the first range, the second's head and tail), exposed as
 * three regions in range order; state writes move its one block and take
 * the pieces back and forth with it.
 */
TEST_F(hk, stranded_multi_range_state)
{
	char a[64], b[64], c[64], want[512], st[512];
	int ids[4], avail, nb0, on0, on;

	nb0 = hm_memblocks(&on0);
	ASSERT_EQ(0, empty_region(self->dev));
	ASSERT_EQ(0, new_dev(self, "64M", a, sizeof(a)));
	ASSERT_EQ(0, new_dev(self, "256M", b, sizeof(b)));
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl disable-device %s", a));
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl destroy-device %s", a));
	/* c = [0, 64M) + [320M, 576M) */
	ASSERT_EQ(0, new_dev(self, "320M", c, sizeof(c)));
	ASSERT_TRUE(hm_exists(HM_SYS_DAX "/%s/mapping1", c));
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -N -m system-ram %s", c));
	EXPECT_EQ(192 * M, hm_read_ll(HK "stranded_bytes", c));
	ASSERT_EQ(0, hm_write("1", HK "expose_stranded", c));
	ASSERT_EQ(3, stranded_regions(c, ids, 4, &avail));
	snprintf(want, sizeof(want),
		 "%#llx-%#llx region%d\n%#llx-%#llx region%d\n%#llx-%#llx region%d",
		 self->start, self->start + 64 * M - 1, ids[0],
		 self->start + 320 * M, self->start + 384 * M - 1, ids[1],
		 self->start + 512 * M, self->start + 576 * M - 1, ids[2]);
	hm_read_str(st, sizeof(st), HK "stranded", c);
	EXPECT_STREQ(want, st);

	EXPECT_EQ(0, hm_write("online_movable", HK "state", c));
	EXPECT_EQ(nb0 + 1, hm_memblocks(&on));
	EXPECT_EQ(on0 + 1, on);
	EXPECT_EQ(0, hm_write("unplugged", HK "state", c));
	EXPECT_EQ(0, stranded_regions(c, ids, 4, &avail));
	EXPECT_EQ(3, avail);
	EXPECT_EQ(nb0, hm_memblocks(NULL));
	EXPECT_EQ(0, hm_write("offline", HK "state", c));
	EXPECT_EQ(3, stranded_regions(c, ids, 4, &avail));
	EXPECT_EQ(192 * M, hm_read_ll(HK "stranded_exposed_bytes", c));
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -m devdax -f %s", c));
	EXPECT_FALSE(hm_exists(HM_PM_CLS "/region%d", ids[0]));
	EXPECT_EQ(nb0, hm_memblocks(NULL));
}

/*
 * An unbind that leaves blocks stuck (they cannot be offlined) takes the
 * stranded pieces back all the same: an unbound device cannot list them.
 */
TEST_F(hk, stranded_revoked_when_stuck)
{
	char a[64], b[64], st[256];
	int ids[4], avail;

	ASSERT_EQ(0, hm_sh(NULL, 0, "/sbin/modprobe memory-notifier-error-inject"));
	ASSERT_EQ(0, empty_region(self->dev));
	ASSERT_EQ(0, new_dev(self, "64M", a, sizeof(a)));
	ASSERT_EQ(0, new_dev(self, "256M", b, sizeof(b)));
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -N -m system-ram %s", b));
	ASSERT_EQ(0, hm_write("1", HK "expose_stranded", b));
	ASSERT_EQ(0, hm_write("online_movable", HK "state", b));
	ASSERT_EQ(2, stranded_regions(b, ids, 4, &avail));
	ASSERT_EQ(0, hm_write("-16", INJECT));
	ASSERT_EQ(0, hm_write(b, DRV "unbind"));
	ASSERT_LT(0, hm_read_str(st, sizeof(st), DRV "stuck"));
	EXPECT_NE(NULL, strstr(st, b));
	EXPECT_FALSE(hm_exists(HM_PM_CLS "/region%d", ids[0]));
	EXPECT_FALSE(hm_exists(HM_PM_CLS "/region%d", ids[1]));
	EXPECT_EQ(0, hm_read_ll("/sys/module/hotmem_pagemap/refcnt"));
	ASSERT_EQ(0, hm_write("0", INJECT));
	EXPECT_EQ(0, hm_write("1", DRV "retry_unplug"));
	EXPECT_EQ(0, hm_read_str(st, sizeof(st), DRV "stuck"));
}

/* The zone of every block of the device, from its "blocks" file: one word. */
static int dev_zone(const char *dev, char *zone, size_t len)
{
	char buf[1024], z[32], st[32], *line, *save = NULL;

	zone[0] = '\0';
	if (hm_read_str(buf, sizeof(buf), HK "blocks", dev) < 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%*s %*s %31s %31s", st, z) != 2)
			return -1;
		if (zone[0] && strcmp(zone, z))
			return -1;	/* blocks in two zones */
		snprintf(zone, len, "%s", z);
	}
	return 0;
}

#define EXPECT_STATE(self, want) do {					\
	char st_[32] = "";						\
	hm_read_str(st_, sizeof(st_), HK "state", (self)->dev);		\
	EXPECT_STREQ(want, st_);					\
} while (0)

/*
 * Writing "state" moves the whole device in one step, from any state to
 * any other; writing the state it is in changes nothing.  What the files,
 * the memory blocks, MemTotal and daxctl show follows.
 */
TEST_F_TIMEOUT(hk, state_write_every_transition, 120)
{
	static char before[OUT_LEN * 2], after[OUT_LEN * 2];
	long long mt0, mt1;
	int nb0, on0, on, bad;
	char zone[32], want[64];
	int rc;

	nb0 = hm_memblocks(&on0);
	mt0 = hm_meminfo_kb("MemTotal");
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -N -m system-ram %s",
			   self->dev));
	EXPECT_STATE(self, "offline");
	snapshot(before, sizeof(before));
	EXPECT_EQ(0, hm_write("offline", HK "state", self->dev));
	snapshot(after, sizeof(after));
	EXPECT_STREQ(before, after);

	EXPECT_EQ(0, hm_write("unplugged", HK "state", self->dev));
	EXPECT_STATE(self, "unplugged");
	EXPECT_EQ(nb0, hm_memblocks(NULL));
	EXPECT_EQ(0, hotmem_ram(self->dev, self->bs, &bad));
	EXPECT_EQ(0, hm_write("unplugged", HK "state", self->dev));

	EXPECT_EQ(0, hm_write("offline", HK "state", self->dev));
	EXPECT_STATE(self, "offline");
	EXPECT_EQ(nb0 + self->nblk, hm_memblocks(&on));
	EXPECT_EQ(on0, on);

	EXPECT_EQ(0, hm_write("online_movable", HK "state", self->dev));
	EXPECT_STATE(self, "online");
	EXPECT_EQ(nb0 + self->nblk, hm_memblocks(&on));
	EXPECT_EQ(on0 + self->nblk, on);
	ASSERT_EQ(0, dev_zone(self->dev, zone, sizeof(zone)));
	EXPECT_STREQ("Movable", zone);
	/* the memmap lives on the device and is not counted as RAM */
	mt1 = hm_meminfo_kb("MemTotal");
	EXPECT_EQ((long long)(self->size - memmap_of(self->size)) / 1024, mt1 - mt0);
	ASSERT_EQ(0, hm_sh(self->out, OUT_LEN, "daxctl list -d %s", self->dev));
	snprintf(want, sizeof(want), "\"online_memblocks\":%d", self->nblk);
	EXPECT_NE(NULL, strstr(self->out, want));

	/* "online" keeps online blocks where they are */
	EXPECT_EQ(0, hm_write("online", HK "state", self->dev));
	dev_zone(self->dev, zone, sizeof(zone));
	EXPECT_STREQ("Movable", zone);

	EXPECT_EQ(0, hm_write("offline", HK "state", self->dev));
	EXPECT_STATE(self, "offline");
	EXPECT_EQ(mt0, hm_meminfo_kb("MemTotal"));

	/* "online" from offline: the kernel's zone */
	EXPECT_EQ(0, hm_write("online", HK "state", self->dev));
	EXPECT_STATE(self, "online");
	ASSERT_EQ(0, dev_zone(self->dev, zone, sizeof(zone)));
	TH_LOG("\"online\" put the blocks in %s", zone);
	/*
	 * to Movable from another zone: each block is offlined and onlined
	 * there, which kernel allocations in it can refuse (-EBUSY); then
	 * every block must be back where it was
	 */
	snapshot(before, sizeof(before));
	rc = hm_write("online_movable", HK "state", self->dev);
	if (rc) {
		EXPECT_EQ(-EBUSY, rc);
		TH_LOG("moving %s to Movable refused (%d)", zone, rc);
		snapshot(after, sizeof(after));
		EXPECT_STREQ(before, after);
	} else {
		TH_LOG("moved to Movable");
		dev_zone(self->dev, zone, sizeof(zone));
		EXPECT_STREQ("Movable", zone);
	}

	EXPECT_EQ(0, hm_write("unplugged", HK "state", self->dev));
	EXPECT_STATE(self, "unplugged");
	EXPECT_EQ(nb0, hm_memblocks(NULL));
	EXPECT_EQ(mt0, hm_meminfo_kb("MemTotal"));
	/* and online_movable straight from unplugged */
	EXPECT_EQ(0, hm_write("online_movable", HK "state", self->dev));
	EXPECT_STATE(self, "online");
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -m devdax -f %s",
			   self->dev));
	EXPECT_EQ(nb0, hm_memblocks(NULL));
}

/*
 * A state write that fails half way puts every block back where it was:
 * an online after every block was added (memory-notifier-error-inject
 * fails MEM_GOING_ONLINE) removes them again; an unplug or offline that
 * meets a block that cannot be offlined, and an online of a "mixed"
 * device, leave every block where it was.  (The sweeps fail each step in
 * turn, the blocks' writes included.)
 */
TEST_F_TIMEOUT(hk, state_write_fails_half_way, 120)
{
	static char before[OUT_LEN * 2], after[OUT_LEN * 2];
	char path[128];
	int i, first;

	ASSERT_EQ(0, hm_sh(NULL, 0, "/sbin/modprobe memory-notifier-error-inject"));
	ASSERT_TRUE(hm_exists(INJECT_ON));
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -N -m system-ram %s",
			   self->dev));
	ASSERT_EQ(0, hm_write("unplugged", HK "state", self->dev));

	/* unplugged -> online: every block added, then onlining fails */
	snapshot(before, sizeof(before));
	ASSERT_EQ(0, hm_write("-12", INJECT_ON));
	EXPECT_EQ(-ENOMEM, hm_write("online", HK "state", self->dev));
	EXPECT_EQ(-ENOMEM, hm_write("online_movable", HK "state", self->dev));
	ASSERT_EQ(0, hm_write("0", INJECT_ON));
	snapshot(after, sizeof(after));
	EXPECT_STREQ(before, after);
	EXPECT_STATE(self, "unplugged");

	/* online, the last 4 blocks offlined by hand: "mixed" */
	ASSERT_EQ(0, hm_write("online_movable", HK "state", self->dev));
	first = self->start / self->bs;
	for (i = self->nblk - 4; i < self->nblk; i++) {
		snprintf(path, sizeof(path),
			 "/sys/devices/system/memory/memory%d/state", first + i);
		ASSERT_EQ(0, hm_write("offline", "%s", path));
	}
	EXPECT_STATE(self, "mixed");
	snapshot(before, sizeof(before));
	/* mixed -> unplugged: the first online block cannot be offlined */
	ASSERT_EQ(0, hm_write("-16", INJECT));
	EXPECT_EQ(-EBUSY, hm_write("unplugged", HK "state", self->dev));
	/* mixed -> offline: nothing can be offlined */
	EXPECT_EQ(-EBUSY, hm_write("offline", HK "state", self->dev));
	ASSERT_EQ(0, hm_write("0", INJECT));
	snapshot(after, sizeof(after));
	EXPECT_STREQ(before, after);
	EXPECT_STATE(self, "mixed");
	/* mixed -> online: the 4 online again, failing half way, then not */
	ASSERT_EQ(0, hm_write("-12", INJECT_ON));
	EXPECT_EQ(-ENOMEM, hm_write("online_movable", HK "state", self->dev));
	ASSERT_EQ(0, hm_write("0", INJECT_ON));
	snapshot(after, sizeof(after));
	EXPECT_STREQ(before, after);
	EXPECT_EQ(0, hm_write("online_movable", HK "state", self->dev));
	EXPECT_STATE(self, "online");

	/*
	 * offline but the second block, online in ZONE_NORMAL, which cannot
	 * be offlined: online_movable fails before it onlines any other
	 * block (it used to online them first, and putting them back then
	 * takes offlining, which fails the same way: the fuzzer's finding)
	 */
	ASSERT_EQ(0, hm_write("offline", HK "state", self->dev));
	snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%d/state", first + 1);
	ASSERT_EQ(0, hm_write("online_kernel", "%s", path));
	ASSERT_LT(0, hm_read_str(before, sizeof(before), HK "blocks", self->dev));
	ASSERT_EQ(0, hm_write("-16", INJECT));
	EXPECT_EQ(-EBUSY, hm_write("online_movable", HK "state", self->dev));
	ASSERT_EQ(0, hm_write("0", INJECT));
	ASSERT_LT(0, hm_read_str(after, sizeof(after), HK "blocks", self->dev));
	EXPECT_STREQ(before, after);
	EXPECT_STATE(self, "mixed");
	EXPECT_EQ(0, hm_write("offline", HK "state", self->dev));
}

/*
 * When the kernel onlines blocks as they are added (auto_online_blocks),
 * a state write that wants them elsewhere is refused with EPERM and leaves
 * everything as it was; one that agrees with the kernel succeeds.
 */
TEST_F(hk, state_write_auto_online)
{
	static char before[OUT_LEN * 2], after[OUT_LEN * 2];
	char zone[32];

	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -N -m system-ram %s",
			   self->dev));
	ASSERT_EQ(0, hm_write("unplugged", HK "state", self->dev));
	ASSERT_EQ(0, hm_write("online_movable", AUTO_ONLINE));
	snapshot(before, sizeof(before));
	EXPECT_EQ(-EPERM, hm_write("offline", HK "state", self->dev));
	snapshot(after, sizeof(after));
	EXPECT_STREQ(before, after);
	EXPECT_STATE(self, "unplugged");
	hm_dmesg_allow("the kernel onlined block .* as it was added");

	EXPECT_EQ(0, hm_write("online_movable", HK "state", self->dev));
	EXPECT_STATE(self, "online");
	ASSERT_EQ(0, dev_zone(self->dev, zone, sizeof(zone)));
	EXPECT_STREQ("Movable", zone);
	EXPECT_EQ(0, hm_write("unplugged", HK "state", self->dev));
	EXPECT_EQ(0, hm_write("online", HK "state", self->dev));
	dev_zone(self->dev, zone, sizeof(zone));
	EXPECT_STREQ("Movable", zone);
	/* blocks already added are the user's to offline */
	EXPECT_EQ(0, hm_write("offline", HK "state", self->dev));
	EXPECT_STATE(self, "offline");
}

static void on_usr1(int sig)
{
}

/*
 * A state write stuck offlining a block whose page is pinned (a process's
 * page on the device, held by a pipe through vmsplice: the kernel retries
 * its migration until a signal comes) ends with EINTR when the writer gets
 * a signal, and the blocks it offlined are online again where they were;
 * the same when the writer is killed; once the pin is gone the same write
 * succeeds.
 */
TEST_F_TIMEOUT(hk, state_write_interrupted, 120)
{
	static char before[OUT_LEN * 2], after[OUT_LEN * 2];
	int pfd[2], status, node = -1, i;
	__u64 first = self->start / self->bs, pfn;
	unsigned long mask;
	char path[160];
	struct iovec iov;
	pid_t pid;
	char *p;

	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -N -m system-ram %s",
			   self->dev));
	ASSERT_EQ(0, hm_write("online_movable", HK "state", self->dev));
	for (i = 0; i < 8 && node < 0; i++) {
		snprintf(path, sizeof(path), MEMBLK "node%d", first, i);
		if (hm_exists("%s", path))
			node = i;
	}
	ASSERT_LE(0, node);
	/* a page of this process on the device's memory, pinned by a pipe */
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	mask = 1UL << node;
	ASSERT_EQ(0, syscall(SYS_mbind, p, 4096, 2 /* MPOL_BIND */, &mask, 64, 0));
	p[0] = 1;
	pfn = hm_pfn_of(p);
	ASSERT_LE(self->start / 4096, pfn);
	ASSERT_GT((self->start + self->size) / 4096, pfn)
		TH_LOG("page at pfn %#llx, not on the device", pfn);
	ASSERT_EQ(0, pipe(pfd));
	iov.iov_base = p;
	iov.iov_len = 4096;
	ASSERT_EQ(4096, vmsplice(pfd[1], &iov, 1, 0));
	snapshot(before, sizeof(before));

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct sigaction sa = { .sa_handler = on_usr1 };
		int rc;

		/* no SA_RESTART: the write returns EINTR */
		sigaction(SIGUSR1, &sa, NULL);
		rc = hm_write("offline", HK "state", self->dev);
		_exit(rc == -EINTR ? 0 : 1);
	}
	sleep(3 * hm_time_scale());
	EXPECT_EQ(0, kill(pid, SIGUSR1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("the write did not end with EINTR (status %#x)", status);
	snapshot(after, sizeof(after));
	EXPECT_STREQ(before, after);
	EXPECT_STATE(self, "online");

	/* a fatal signal (SIGTERM, default action): the blocks back too */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		hm_write("offline", HK "state", self->dev);
		_exit(1);
	}
	sleep(3 * hm_time_scale());
	EXPECT_EQ(0, kill(pid, SIGTERM));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM)
		TH_LOG("the writer was not killed (status %#x)", status);
	snapshot(after, sizeof(after));
	EXPECT_STREQ(before, after);
	EXPECT_STATE(self, "online");

	/* the pin gone, the write goes through */
	close(pfd[0]);
	close(pfd[1]);
	munmap(p, 4096);
	EXPECT_EQ(0, hm_write("offline", HK "state", self->dev));
	EXPECT_STATE(self, "offline");
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
	static const char * const attrs[] = { "memmap_on_memory", "plug", "unplug",
					      "expose_stranded" };
	static const char * const bad_states[] = {
		"1", "0", "Online", "online ", "onlinee", "online_kernel",
		"partial", "mixed", "unplug", "offline\n\n", " offline",
	};
	char st0[32], st[32], before[OUT_LEN], after[OUT_LEN];
	long long mom0;
	unsigned int i, j;

	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -N -m system-ram %s",
			   self->dev));
	hm_read_str(st0, sizeof(st0), HK "state", self->dev);
	mom0 = hm_read_ll(HK "memmap_on_memory", self->dev);
	ASSERT_EQ(0, hm_read_ll(HK "expose_stranded", self->dev));
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
	for (j = 0; j < ARRAY_SIZE(bad_states); j++)
		EXPECT_EQ(-EINVAL, hm_write_n(bad_states[j], strlen(bad_states[j]),
					      HK "state", self->dev))
			TH_LOG("bad state %u", j);
	EXPECT_EQ(-EINVAL, hm_write_n("online\0", 7, HK "state", self->dev));
	EXPECT_EQ(-EINVAL, hm_write_n(zeros, sizeof(zeros), HK "state", self->dev));
	/* read-only files */
	EXPECT_EQ(-EACCES, hm_write("1", HK "stranded_bytes", self->dev));
	EXPECT_EQ(-EACCES, hm_write("1", HK "stranded", self->dev));
	EXPECT_EQ(-EACCES, hm_write("1", HK "stranded_exposed_bytes", self->dev));
	EXPECT_EQ(-EACCES, hm_write("1", HK "stranded_unusable_bytes", self->dev));
	EXPECT_EQ(-EACCES, hm_write("1", HK "blocks", self->dev));

	hm_read_str(st, sizeof(st), HK "state", self->dev);
	EXPECT_STREQ(st0, st);
	EXPECT_EQ(mom0, hm_read_ll(HK "memmap_on_memory", self->dev));
	EXPECT_EQ(0, hm_read_ll(HK "expose_stranded", self->dev));
	snapshot(after, sizeof(after));
	EXPECT_STREQ(before, after);
}

TEST_HARNESS_MAIN
