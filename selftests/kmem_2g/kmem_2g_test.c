// SPDX-License-Identifier: GPL-2.0
/*
 * hotmem_kmem with the block geometry of bare metal: a guest whose RAM
 * ends at 64 GiB or more gets 2 GiB memory blocks, and a soft-reserved
 * range 256 MiB aligned but not 2 GiB aligned (as CXL windows are) holds
 * one whole block, a 1.75 GiB head and a 256 MiB tail.  The planner's
 * result, a 32 MiB memmap on the device and no DRAM for it, the stranded
 * head and tail exposed through hotmem_pagemap and mapped, and everything
 * returned.  daxctl is used to bind only: its online-memory and
 * offline-memory count the boot RAM block sharing the device's first
 * 2 GiB as the device's (and would offline it); hotmem's state file
 * does not.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "hotmem_pagemap.h"
#include "hotmem_util.h"

#define M		(1024ULL * 1024)
#define G		(1024 * M)
#define OUT_LEN		16384
#define HK		HM_SYS_DAX "/%s/hotmem/"

FIXTURE(k2) {
	char dev[64];
	__u64 start, size, bs;
	char out[OUT_LEN];
};

/*
 * Back to device_dax through sysfs, not "daxctl reconfigure-device -m
 * devdax", which would offline the boot RAM blocks the device shares.
 */
static int to_devdax(const char *dev)
{
	return hm_sh(NULL, 0, "D=%s; K=/sys/bus/dax/drivers/kmem; "
		     "B=/sys/bus/dax/drivers/device_dax; "
		     "echo $D > $K/unbind || exit 1; echo $D > $K/remove_id; "
		     "echo $D > $B/bind 2>/dev/null || echo $D > $B/new_id", dev);
}

/* a device hot-added at boot (6.12 binds soft-reserved memory to kmem) */
static void k2_release(const char *dev)
{
	char mode[32];

	if (!hm_dax_mode(dev, mode, sizeof(mode)) && !strcmp(mode, "system-ram")) {
		hm_write("unplugged", HK "state", dev);
		to_devdax(dev);
	}
}

FIXTURE_SETUP(k2)
{
	if (hm_dax_find(self->dev, sizeof(self->dev), "/hmem"))
		SKIP(return, "no soft-reserved dax device (vm.sh -p soft-reserved)");
	k2_release(self->dev);
	ASSERT_EQ(0, hm_sr_reset(self->dev, sizeof(self->dev)));
	ASSERT_EQ(0, hm_use_hotmem_kmem());
	ASSERT_EQ(0, hm_sr_range(&self->start, &self->size));
	self->bs = hm_block_size();
	/* the kernel's choice, from the boot memory's end (vm.sh --ram 57G) */
	ASSERT_EQ(2 * G, self->bs);
	ASSERT_EQ(4 * G + 256 * M, self->start);
	ASSERT_EQ(4 * G, self->size);
}

FIXTURE_TEARDOWN(k2)
{
	char dev[64];

	k2_release(self->dev);
	hm_sr_reset(dev, sizeof(dev));
}

/*
 * One whole 2 GiB block [6, 8 GiB) with its 32 MiB memmap on the device,
 * no DRAM spent; the head [4.25, 6 GiB) and tail [8, 8.25 GiB) stranded,
 * then exposed, mapped and their bytes read back from their own pages;
 * online in ZONE_MOVABLE through the state file; unplugged with a mapping
 * held (SIGBUS); devdax returns every resource.
 */
TEST_F(k2, one_block_head_and_tail)
{
	static char iomem0[OUT_LEN], iomem1[OUT_LEN];
	const __u64 blk = 6 * G, head = self->start, tail = 8 * G;
	char want[256], st[512], inst[32], path[64];
	long long f0, f1, mt0;
	int ids[2], i, n, fd, nb0;
	__u64 *p[2];

	hm_sh(iomem0, OUT_LEN, "cat /proc/iomem");
	nb0 = hm_memblocks(NULL);
	mt0 = hm_meminfo_kb("MemTotal");
	f0 = hm_memfree_settled_kb();
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -N -m system-ram %s",
			   self->dev));
	f1 = hm_memfree_settled_kb();
	TH_LOG("free memory %+lld KiB for one 2 GiB block", f1 - f0);
	EXPECT_LE(f0 - f1, 2048);

	/* the planner: one block, 32 MiB of struct pages on it */
	snprintf(want, sizeof(want), "memory3-memory3 %#llx-%#llx offline - device",
		 blk, blk + 2 * G - 1);
	ASSERT_LT(0, hm_read_str(st, sizeof(st), HK "blocks", self->dev));
	EXPECT_STREQ(want, st);
	EXPECT_EQ(nb0 + 1, hm_memblocks(NULL));
	EXPECT_EQ(32 * M, hm_read_ll(HK "memmap_device_bytes", self->dev));
	EXPECT_EQ(0, hm_read_ll(HK "memmap_dram_bytes", self->dev));
	EXPECT_EQ(2 * G, hm_read_ll(HK "stranded_bytes", self->dev));
	snprintf(want, sizeof(want), "%#llx-%#llx available\n%#llx-%#llx available",
		 head, blk - 1, tail, tail + 256 * M - 1);
	hm_read_str(st, sizeof(st), HK "stranded", self->dev);
	EXPECT_STREQ(want, st);

	/* online, Movable, the memmap not counted as RAM */
	ASSERT_EQ(0, hm_write("online_movable", HK "state", self->dev));
	hm_read_str(st, sizeof(st), HK "blocks", self->dev);
	snprintf(want, sizeof(want), "memory3-memory3 %#llx-%#llx online Movable device",
		 blk, blk + 2 * G - 1);
	EXPECT_STREQ(want, st);
	EXPECT_EQ((long long)(2 * G - 32 * M) / 1024, hm_meminfo_kb("MemTotal") - mt0);

	/* the head and the tail, exposed and mapped: 4 MiB of each */
	ASSERT_EQ(0, hm_write("1", HK "expose_stranded", self->dev));
	EXPECT_EQ(2 * G, hm_read_ll(HK "stranded_exposed_bytes", self->dev));
	EXPECT_EQ(0, hm_read_ll(HK "stranded_unusable_bytes", self->dev));
	hm_read_str(st, sizeof(st), HK "stranded", self->dev);
	n = sscanf(st, "%*s region%d %*s region%d", &ids[0], &ids[1]);
	ASSERT_EQ(2, n) TH_LOG("%s", st);
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(i ? 256 * M : 2 * G - 256 * M,
			  hm_read_ll(HM_PM_CLS "/region%d/size", ids[i]));
		snprintf(inst, sizeof(inst), "pm%d.0", ids[i]);
		ASSERT_EQ(0, hm_pm_set_size(HM_PM_CLS, inst, 4 * M));
		ASSERT_EQ(0, hm_pm_enable(inst, true));
		ASSERT_EQ(0, hm_dax_fill(inst, 4 * M, 20 + i));
		EXPECT_EQ(0, hm_dax_verify(inst, 4 * M, 20 + i));
		snprintf(path, sizeof(path), "/dev/%s", inst);
		fd = open(path, O_RDWR);
		ASSERT_LE(0, fd);
		p[i] = mmap(NULL, 4 * M, PROT_READ, MAP_SHARED, fd, 0);
		close(fd);
		ASSERT_NE(MAP_FAILED, p[i]);
		EXPECT_EQ(hm_pattern(3, 20 + i), p[i][3]);
		EXPECT_EQ((i ? tail : head) / 4096, hm_pfn_of(p[i]));
	}

	/* unplugged with both mapped: revoked, and everything is back */
	EXPECT_EQ(0, hm_write("unplugged", HK "state", self->dev));
	for (i = 0; i < 2; i++) {
		EXPECT_TRUE(hm_read_sigbus(p[i]));
		munmap(p[i], 4 * M);
		EXPECT_FALSE(hm_exists(HM_PM_CLS "/region%d", ids[i]));
	}
	EXPECT_EQ(nb0, hm_memblocks(NULL));
	EXPECT_EQ(mt0, hm_meminfo_kb("MemTotal"));
	ASSERT_EQ(0, to_devdax(self->dev));
	hm_sh(iomem1, OUT_LEN, "cat /proc/iomem");
	EXPECT_STREQ(iomem0, iomem1);
}

TEST_HARNESS_MAIN
