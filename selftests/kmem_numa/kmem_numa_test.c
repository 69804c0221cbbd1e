// SPDX-License-Identifier: GPL-2.0
/*
 * hotmem_kmem honours the dax device's target node: on a guest with two
 * (fake) NUMA nodes every hot-added block belongs to the device's
 * target_node, and the node's MemTotal grows by what was added.
 */
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "hotmem_util.h"

static long long node_memtotal_kb(int nid)
{
	char path[96], line[256];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/meminfo", nid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Node %*d MemTotal: %lld kB", &v) == 1)
			break;
	fclose(f);
	return v;
}

TEST(target_node)
{
	char dev[64];
	long long nid, size, mt0, mm;
	__u64 bs = hm_block_size(), start, b;
	int nodes = 0;

	while (hm_exists("/sys/devices/system/node/node%d", nodes))
		nodes++;
	ASSERT_GE(nodes, 2) TH_LOG("suite needs numa=fake=2 (vm.sh --numa 2)");
	if (hm_dax_find(dev, sizeof(dev), "/hmem"))
		SKIP(return, "no soft-reserved dax device");
	ASSERT_EQ(0, hm_sr_reset(dev, sizeof(dev)));
	ASSERT_EQ(0, hm_use_hotmem_kmem());

	nid = hm_read_ll(HM_SYS_DAX "/%s/target_node", dev);
	size = hm_read_ll(HM_SYS_DAX "/%s/size", dev);
	start = hm_read_ll(HM_SYS_DAX "/%s/mapping0/start", dev);
	ASSERT_GE(nid, 0);
	ASSERT_LT(nid, nodes);
	TH_LOG("%s: target node %lld of %d", dev, nid, nodes);
	mt0 = node_memtotal_kb(nid);
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -m system-ram %s", dev));
	for (b = start; b < start + size; b += bs)
		EXPECT_TRUE(hm_exists("/sys/devices/system/node/node%lld/memory%llu",
				      nid, b / bs))
			TH_LOG("memory%llu not on node%lld", b / bs, nid);
	mm = hm_read_ll(HM_SYS_DAX "/%s/hotmem/memmap_device_bytes", dev);
	EXPECT_EQ((size - mm) / 1024, node_memtotal_kb(nid) - mt0);
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -m devdax -f %s", dev));
	EXPECT_EQ(mt0, node_memtotal_kb(nid));
}

TEST_HARNESS_MAIN
