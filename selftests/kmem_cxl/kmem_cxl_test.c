// SPDX-License-Identifier: GPL-2.0
/*
 * CXL memory from cxl-cli to System RAM through hotmem_kmem, on QEMU's
 * persistent CXL type 3 device (vm.sh -p cxl): "cxl create-region" makes
 * a pmem region, "ndctl create-namespace -m devdax" a dax device, and
 * daxctl or hotmem's state file hot-adds it.  What cxl, ndctl and daxctl
 * list, /proc/iomem, the blocks' node, DRAM spent on struct pages, the
 * stranded head handed to hotmem_pagemap and mapped, and a removal that
 * returns every resource.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "hotmem_pagemap.h"
#include "hotmem_util.h"

#define M		(1024ULL * 1024)
#define OUT_LEN		16384
#define HK		HM_SYS_DAX "/%s/hotmem/"
#define RAM_NAME	"System RAM (hotmem)"
#define CXL_MODULES	"cxl_acpi cxl_pci cxl_mem cxl_pmem libnvdimm nd_pmem dax_pmem device_dax"

/* the string value of the first "KEY":"VALUE" in @json, into @val */
static int json_str(const char *json, const char *key, char *val, size_t len)
{
	char pat[64];
	const char *p, *e;

	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	p = strstr(json, pat);
	if (!p)
		return -ENOENT;
	p += strlen(pat);
	e = strchr(p, '"');
	if (!e || (size_t)(e - p) >= len)
		return -EINVAL;
	memcpy(val, p, e - p);
	val[e - p] = '\0';
	return 0;
}

FIXTURE(cxl) {
	char cxl_region[32];	/* the CXL region, "regionN" of cxl list */
	char nd_region[32];	/* the libnvdimm region on it */
	char dev[32];		/* the devdax device of its namespace */
	__u64 start;		/* the device's range */
	__u64 size;
	__u64 bs;		/* memory block size */
	char iomem0[OUT_LEN];	/* /proc/iomem with the dax device made */
	char out[OUT_LEN];
};

FIXTURE_SETUP(cxl)
{
	int i;

	ASSERT_EQ(0, hm_sh(NULL, 0, "/sbin/modprobe -a " CXL_MODULES));
	/* the memdev appears once cxl_pci and cxl_mem have probed */
	for (i = 0; i < 50; i++) {
		hm_sh(self->out, OUT_LEN, "cxl list -M");
		if (strstr(self->out, "\"memdev\":\"mem0\""))
			break;
		usleep(200000);
	}
	ASSERT_NE(NULL, strstr(self->out, "\"memdev\":\"mem0\""))
		TH_LOG("no CXL memdev: %s", self->out);
	ASSERT_EQ(0, hm_use_hotmem_kmem());
	self->bs = hm_block_size();

	/* the region: it must be committed, which cxl's exit status does not say */
	ASSERT_EQ(0, hm_sh(self->out, OUT_LEN,
			   "cxl create-region -t pmem -m -d decoder0.0 -w 1 mem0"));
	ASSERT_EQ(0, json_str(self->out, "region", self->cxl_region,
			      sizeof(self->cxl_region)))
		TH_LOG("cxl create-region: %s", self->out);
	ASSERT_EQ(0, hm_sh(self->out, OUT_LEN, "cxl list -R -r %s", self->cxl_region));
	ASSERT_NE(NULL, strstr(self->out, "\"decode_state\":\"commit\""))
		TH_LOG("%s", self->out);

	/* its pmem region, a devdax namespace on it, the dax device */
	ASSERT_EQ(0, hm_sh(self->out, OUT_LEN, "ndctl list -R"));
	ASSERT_EQ(0, json_str(self->out, "dev", self->nd_region,
			      sizeof(self->nd_region)));
	ASSERT_EQ(0, hm_sh(self->out, OUT_LEN, "ndctl create-namespace -m devdax -r %s",
			   self->nd_region));
	ASSERT_EQ(0, json_str(self->out, "chardev", self->dev, sizeof(self->dev)))
		TH_LOG("%s", self->out);
	ASSERT_LT(0, hm_read_str(self->out, 64, HM_SYS_DAX "/%s/resource", self->dev));
	self->start = strtoull(self->out, NULL, 16);
	self->size = hm_read_ll(HM_SYS_DAX "/%s/size", self->dev);
	ASSERT_LT(0, self->size);
	hm_sh(self->iomem0, OUT_LEN, "cat /proc/iomem");
}

FIXTURE_TEARDOWN(cxl)
{
	char mode[32];

	if (self->dev[0] && !hm_dax_mode(self->dev, mode, sizeof(mode)) &&
	    !strcmp(mode, "system-ram"))
		hm_sh(NULL, 0, "daxctl reconfigure-device -m devdax -f %s", self->dev);
	hm_sh(NULL, 0, "ndctl destroy-namespace -f all; cxl disable-region all; "
	      "cxl destroy-region all");
}

/* index of @name in @res with the chain of parents @up, or -1 */
static int res_nested(const struct hm_res *res, int n, const char *name,
		      const char *const *up, int nup)
{
	int i, j, p;

	for (i = 0; i < n; i++) {
		if (strcmp(res[i].name, name))
			continue;
		for (j = 0, p = res[i].parent; j < nup; j++, p = res[p].parent)
			if (p < 0 || strcmp(res[p].name, up[j]))
				break;
		if (j == nup)
			return i;
	}
	return -1;
}

/*
 * The daxctl flow on a CXL region: the whole blocks of the dax device are
 * hot-added by hotmem_kmem, nested in /proc/iomem under the device, the
 * CXL region, "Persistent Memory" and the CXL window; their struct pages
 * live on the device (no DRAM spent); they come online in ZONE_MOVABLE on
 * the device's node, and daxctl and cxl list say so.  The stranded head
 * (the namespace's own metadata ends mid-block) is exposed, carved and
 * mapped, its bytes read back from the CXL memory.  devdax returns every
 * resource: /proc/iomem, the memory blocks and MemTotal as before.  It
 * took 9-14 s of its default 30 s in make check (two VMs on two CPUs,
 * where a test can run five times slower than alone): 60 s.
 */
TEST_F_TIMEOUT(cxl, daxctl_to_system_ram_and_back, 60)
{
	const char *const up[] = { self->dev, self->cxl_region, "Persistent Memory",
				   "CXL Window 0" };
	struct hm_res res[HM_MAX_RES];
	__u64 first, nblk, head, memmap;
	long long mt0, f0, f1;
	char path[128], want[128], st[256], inst[32], iomem[OUT_LEN];
	int nb0, n, i, nid, id, fd;
	__u64 *p;

	first = (self->start + self->bs - 1) / self->bs * self->bs;
	nblk = (self->start + self->size - first) / self->bs;
	head = first - self->start;
	memmap = self->bs / 4096 * 64;
	TH_LOG("%s: %#llx+%#llx, %llu blocks from %#llx, head %llu MiB",
	       self->dev, self->start, self->size, nblk, first, head >> 20);
	ASSERT_LT(0, nblk);
	nid = hm_read_ll(HM_SYS_DAX "/%s/target_node", self->dev);
	ASSERT_LE(0, nid);
	nb0 = hm_memblocks(NULL);
	mt0 = hm_meminfo_kb("MemTotal");

	/* added, not online: the memmap costs no DRAM */
	f0 = hm_memfree_settled_kb();
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -N -m system-ram %s",
			   self->dev));
	f1 = hm_memfree_settled_kb();
	TH_LOG("free memory %+lld KiB for %llu blocks", f1 - f0, nblk);
	EXPECT_LE(f0 - f1, 2048);
	EXPECT_EQ(nblk * memmap, hm_read_ll(HK "memmap_device_bytes", self->dev));
	EXPECT_EQ(0, hm_read_ll(HK "memmap_dram_bytes", self->dev));
	EXPECT_EQ(nb0 + nblk, hm_memblocks(NULL));
	n = hm_iomem(res, HM_MAX_RES);
	i = res_nested(res, n, RAM_NAME, up, 4);
	ASSERT_LE(0, i);
	EXPECT_EQ(first, res[i].start);

	/* online through daxctl: every block Movable, on the device's node */
	ASSERT_EQ(0, hm_sh(self->out, OUT_LEN, "daxctl online-memory %s", self->dev));
	ASSERT_EQ(0, hm_sh(self->out, OUT_LEN, "daxctl list -d %s", self->dev));
	EXPECT_NE(NULL, strstr(self->out, "\"mode\":\"system-ram\""));
	snprintf(want, sizeof(want), "\"online_memblocks\":%llu", nblk);
	EXPECT_NE(NULL, strstr(self->out, want)) TH_LOG("%s", self->out);
	hm_read_str(st, sizeof(st), HK "state", self->dev);
	EXPECT_STREQ("online", st);
	for (i = 0; i < (int)nblk; i++) {
		snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%llu/node%d",
			 first / self->bs + i, nid);
		EXPECT_TRUE(hm_exists("%s", path)) TH_LOG("%s", path);
		hm_read_str(st, sizeof(st), "/sys/devices/system/memory/memory%llu/valid_zones",
			    first / self->bs + i);
		EXPECT_STREQ("Movable", st);
	}
	EXPECT_EQ((long long)(nblk * (self->bs - memmap)) / 1024,
		  hm_meminfo_kb("MemTotal") - mt0);
	/* the CXL side is unchanged by it */
	ASSERT_EQ(0, hm_sh(self->out, OUT_LEN, "cxl list -R -r %s", self->cxl_region));
	EXPECT_NE(NULL, strstr(self->out, "\"decode_state\":\"commit\""));

	/* the head: one piece, exposed, mapped, the CXL memory's own bytes */
	snprintf(want, sizeof(want), "%#llx-%#llx available", self->start, first - 1);
	hm_read_str(st, sizeof(st), HK "stranded", self->dev);
	EXPECT_STREQ(want, st);
	EXPECT_EQ(head, hm_read_ll(HK "stranded_bytes", self->dev));
	ASSERT_EQ(0, hm_write("1", HK "expose_stranded", self->dev));
	hm_read_str(st, sizeof(st), HK "stranded", self->dev);
	n = sscanf(st, "%*s region%d", &id);
	ASSERT_EQ(1, n) TH_LOG("%s", st);
	EXPECT_EQ(head, hm_read_ll(HK "stranded_exposed_bytes", self->dev));
	EXPECT_EQ(self->start, hm_read_ll(HM_PM_CLS "/region%d/start", id));
	/* CXL memory is slow under TCG: 2 MiB of it */
	snprintf(inst, sizeof(inst), "pm%d.0", id);
	ASSERT_EQ(0, hm_pm_set_size(HM_PM_CLS, inst, 2 * M));
	ASSERT_EQ(0, hm_pm_enable(inst, true));
	ASSERT_EQ(0, hm_dax_fill(inst, 2 * M, 5));
	EXPECT_EQ(0, hm_dax_verify(inst, 2 * M, 5));
	snprintf(path, sizeof(path), "/dev/%s", inst);
	fd = open(path, O_RDWR);
	ASSERT_LE(0, fd);
	p = mmap(NULL, 2 * M, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(hm_pattern(1, 5), p[1]);
	EXPECT_EQ(self->start / 4096, hm_pfn_of(p));

	/* back to devdax with the mapping held: revoked, everything returned */
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -m devdax -f %s",
			   self->dev));
	EXPECT_TRUE(hm_read_sigbus(p));
	munmap(p, 2 * M);
	close(fd);
	EXPECT_FALSE(hm_exists(HM_PM_CLS "/region%d", id));
	EXPECT_EQ(nb0, hm_memblocks(NULL));
	EXPECT_EQ(mt0, hm_meminfo_kb("MemTotal"));
	hm_sh(iomem, OUT_LEN, "cat /proc/iomem");
	EXPECT_STREQ(self->iomem0, iomem);
}

/*
 * The same device driven by hotmem's state file: online_movable and
 * unplugged in one write each; then the namespace and the region are
 * destroyed and /proc/iomem is back to the bare CXL window.
 */
TEST_F(cxl, state_write_then_destroy_region)
{
	char st[64], want[64], iomem[OUT_LEN];
	__u64 nblk;
	int nb0;

	nb0 = hm_memblocks(NULL);
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -N -m system-ram %s",
			   self->dev));
	ASSERT_EQ(0, hm_write("online_movable", HK "state", self->dev));
	hm_read_str(st, sizeof(st), HK "state", self->dev);
	EXPECT_STREQ("online", st);
	ASSERT_EQ(0, hm_sh(self->out, OUT_LEN, "daxctl list -d %s", self->dev));
	nblk = (self->start + self->size) / self->bs -
	       (self->start + self->bs - 1) / self->bs;
	snprintf(want, sizeof(want), "\"online_memblocks\":%llu", nblk);
	EXPECT_NE(NULL, strstr(self->out, want)) TH_LOG("%s", self->out);
	EXPECT_EQ(0, hm_write("unplugged", HK "state", self->dev));
	hm_read_str(st, sizeof(st), HK "state", self->dev);
	EXPECT_STREQ("unplugged", st);
	EXPECT_EQ(nb0, hm_memblocks(NULL));
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -m devdax -f %s",
			   self->dev));
	hm_sh(iomem, OUT_LEN, "cat /proc/iomem");
	EXPECT_STREQ(self->iomem0, iomem);

	ASSERT_EQ(0, hm_sh(NULL, 0, "ndctl destroy-namespace -f all || exit 1; "
			   "cxl disable-region %s || exit 1; cxl destroy-region %s",
			   self->cxl_region, self->cxl_region));
	self->dev[0] = '\0';
	ASSERT_EQ(0, hm_sh(iomem, OUT_LEN, "cat /proc/iomem"));
	EXPECT_EQ(NULL, strstr(iomem, self->cxl_region)) TH_LOG("%s", iomem);
	EXPECT_NE(NULL, strstr(iomem, "CXL Window 0"));
	ASSERT_EQ(0, hm_sh(self->out, OUT_LEN, "cxl list -R"));
	EXPECT_EQ(NULL, strstr(self->out, self->cxl_region));
}

TEST_HARNESS_MAIN
