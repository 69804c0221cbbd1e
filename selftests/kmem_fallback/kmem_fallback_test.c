// SPDX-License-Identifier: GPL-2.0
/*
 * hotmem_kmem on a kernel booted without memory_hotplug.memmap_on_memory:
 * it falls back to a memmap in DRAM, says so once in dmesg and in sysfs,
 * and refuses memmap_on_memory=1 with -EOPNOTSUPP once it knows.
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"
#include "hotmem_util.h"

#define HK	HM_SYS_DAX "/%s/hotmem/"

TEST(falls_back_to_dram)
{
	char dev[64], param[16], st[32], log[4096];
	__u64 size;

	ASSERT_LT(0, hm_read_str(param, sizeof(param),
				 "/sys/module/memory_hotplug/parameters/memmap_on_memory"));
	ASSERT_STRNE("Y", param)
		TH_LOG("suite needs a boot without memmap_on_memory");
	if (hm_dax_find(dev, sizeof(dev), "/hmem"))
		SKIP(return, "no soft-reserved dax device");
	ASSERT_EQ(0, hm_sr_reset(dev, sizeof(dev)));
	ASSERT_EQ(0, hm_use_hotmem_kmem());
	size = hm_read_ll(HM_SYS_DAX "/%s/size", dev);

	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -N -m system-ram %s", dev));
	EXPECT_EQ(size / 4096 * 64, hm_read_ll(HK "memmap_dram_bytes", dev));
	EXPECT_EQ(0, hm_read_ll(HK "memmap_device_bytes", dev));
	/* the attribute says what happens: memmap in DRAM */
	EXPECT_EQ(0, hm_read_ll(HK "memmap_on_memory", dev));
	hm_sh(log, sizeof(log), "dmesg | grep -c 'memmap_on_memory.*memmap in DRAM'");
	EXPECT_EQ(1, atoi(log));

	ASSERT_EQ(0, hm_write("1", HK "unplug", dev));
	EXPECT_EQ(-EOPNOTSUPP, hm_write("1", HK "memmap_on_memory", dev));
	hm_read_str(st, sizeof(st), HK "state", dev);
	EXPECT_STREQ("unplugged", st);
	ASSERT_EQ(0, hm_write("1", HK "plug", dev));
	EXPECT_EQ(0, hm_read_ll(HK "memmap_device_bytes", dev));
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -m devdax -f %s", dev));
}

TEST_HARNESS_MAIN
