// SPDX-License-Identifier: GPL-2.0
/*
 * Baseline: the in-kernel dax/kmem/nvdimm drivers driven exactly as users
 * drive them (daxctl, ndctl), asserting the kernel state a user would check.
 * Later hotmem suites are compared against what these tests pin down.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "hotmem_util.h"
#include "sweep.h"

#define OUT_LEN	8192

/* memmap of one memory block: one 64-byte struct page per 4 KiB page */
static __u64 memmap_bytes(__u64 bytes)
{
	return bytes / 4096 * 64;
}

FIXTURE(sr) {
	char dev[64];		/* the devdax device spanning the region */
	char rdir[512];		/* its region's sysfs directory */
	int region;		/* region id */
	__u64 start;		/* first byte of the soft reserved range */
	__u64 size;		/* its size */
	__u64 bs;		/* memory block size */
	char out[OUT_LEN];	/* output of the last command */
};

FIXTURE_SETUP(sr)
{
	if (hm_dax_find(self->dev, sizeof(self->dev), "/hmem"))
		SKIP(return, "no soft-reserved dax device (vm.sh -p soft-reserved)");
	ASSERT_EQ(0, hm_sr_reset(self->dev, sizeof(self->dev)));
	ASSERT_EQ(0, hm_dax_region_dir(self->rdir, sizeof(self->rdir), self->dev));
	self->region = hm_dax_region_id(self->dev);
	ASSERT_EQ(0, hm_sr_range(&self->start, &self->size));
	self->bs = hm_block_size();
	ASSERT_NE(0, self->bs);
}

FIXTURE_TEARDOWN(sr)
{
	char dev[64];

	hm_sr_reset(dev, sizeof(dev));
}

/* Soft-reserved memory appears as one devdax device spanning it. */
TEST_F(sr, dax_device)
{
	struct hm_res res[HM_MAX_RES];
	int n, s, d;
	char mode[32];
	struct stat st;
	char path[96];

	n = hm_iomem(res, HM_MAX_RES);
	s = hm_iomem_find(res, n, "Soft Reserved", 0);
	d = hm_iomem_find(res, n, self->dev, 0);
	ASSERT_GE(d, 0);
	EXPECT_EQ(s, res[d].parent);
	EXPECT_EQ(res[s].start, res[d].start);
	EXPECT_EQ(res[s].end, res[d].end);
	EXPECT_EQ(self->size, hm_read_ll(HM_SYS_DAX "/%s/size", self->dev));
	EXPECT_EQ(self->size, hm_read_ll("%s/size", self->rdir));
	EXPECT_EQ(0, hm_read_ll("%s/available_size", self->rdir));
	EXPECT_EQ(HM_SZ_2M, hm_read_ll("%s/align", self->rdir));
	ASSERT_EQ(0, hm_dax_mode(self->dev, mode, sizeof(mode)));
	EXPECT_STREQ("devdax", mode);
	snprintf(path, sizeof(path), "/dev/%s", self->dev);
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	ASSERT_EQ(0, hm_sh(self->out, OUT_LEN, "daxctl list -d %s", self->dev));
	EXPECT_NE(NULL, strstr(self->out, "\"mode\":\"devdax\""));
}

/*
 * daxctl reconfigure-device --mode=system-ram hot-adds the device as
 * "System RAM (kmem)" nested under it, one memory block per block_size,
 * all online; --mode=devdax removes it and every number returns.
 */
TEST_F(sr, system_ram_roundtrip)
{
	struct hm_res res[HM_MAX_RES];
	long long mt0, mt1, mom;
	int nb0, on0, nb1, on1, n, k, d;
	__u64 nblk = self->size / self->bs, expect_kb;

	nb0 = hm_memblocks(&on0);
	mt0 = hm_meminfo_kb("MemTotal");
	ASSERT_EQ(0, hm_sh(self->out, OUT_LEN,
			   "daxctl reconfigure-device --mode=system-ram %s",
			   self->dev));

	n = hm_iomem(res, HM_MAX_RES);
	k = hm_iomem_find(res, n, "System RAM (kmem)", 0);
	ASSERT_GE(k, 0);
	d = res[k].parent;
	ASSERT_GE(d, 0);
	EXPECT_STREQ(self->dev, res[d].name);
	EXPECT_STREQ("Soft Reserved", res[res[d].parent].name);
	EXPECT_EQ(self->start, res[k].start);
	EXPECT_EQ(self->start + self->size - 1, res[k].end);

	nb1 = hm_memblocks(&on1);
	EXPECT_EQ(nb0 + (int)nblk, nb1);
	EXPECT_EQ(on0 + (int)nblk, on1);
	EXPECT_NE(NULL, strstr(self->out, "\"mode\":\"system-ram\""));

	/* the memmap, where it lives on the memory, is not counted as RAM */
	mom = hm_read_ll(HM_SYS_DAX "/%s/memmap_on_memory", self->dev);
	expect_kb = (self->size - (mom > 0 ? memmap_bytes(self->size) : 0)) / 1024;
	mt1 = hm_meminfo_kb("MemTotal");
	EXPECT_EQ((long long)expect_kb, mt1 - mt0);

	ASSERT_EQ(0, hm_sh(self->out, OUT_LEN,
			   "daxctl reconfigure-device --mode=devdax -f %s",
			   self->dev));
	n = hm_iomem(res, HM_MAX_RES);
	EXPECT_EQ(-1, hm_iomem_find(res, n, "System RAM (kmem)", 0));
	EXPECT_EQ(nb0, hm_memblocks(&on1));
	EXPECT_EQ(on0, on1);
	EXPECT_EQ(mt0, hm_meminfo_kb("MemTotal"));
	EXPECT_NE(NULL, strstr(self->out, "\"mode\":\"devdax\""));
}

/* first mappingN/{start,end} of a device, checked to be 2 MiB aligned */
static int dev_mapping(const char *dev, int idx, __u64 *start, __u64 *end)
{
	long long s = hm_read_ll(HM_SYS_DAX "/%s/mapping%d/start", dev, idx);
	long long e = hm_read_ll(HM_SYS_DAX "/%s/mapping%d/end", dev, idx);

	if (s < 0 || e < 0)
		return -ENOENT;
	*start = s;
	*end = e;
	return (s % HM_SZ_2M || (e + 1) % HM_SZ_2M) ? -EINVAL : 0;
}

/*
 * daxctl create-device sub-divides the dynamic region at 2 MiB
 * granularity: first fit, holes reused as extra mapping ranges, and
 * available_size accounts for every byte.
 */
TEST_F(sr, subdivide)
{
	char a[64], b[64], c[64], e[64];
	__u64 s, en, s1, e1;
	long long avail;

	/* the kernel never deletes device 0; shrinking it frees the region */
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl disable-device %s", self->dev));
	ASSERT_EQ(0, hm_write("0", HM_SYS_DAX "/%s/size", self->dev));
	ASSERT_EQ((long long)self->size,
		  hm_read_ll("%s/available_size", self->rdir));

	ASSERT_EQ(0, hm_sh(self->out, OUT_LEN, "daxctl create-device -r %d -s 256M",
			   self->region));
	ASSERT_EQ(0, hm_created_dev(self->out, a, sizeof(a)));
	ASSERT_EQ(0, hm_sh(self->out, OUT_LEN, "daxctl create-device -r %d -s 256M",
			   self->region));
	ASSERT_EQ(0, hm_created_dev(self->out, b, sizeof(b)));
	ASSERT_EQ(0, dev_mapping(a, 0, &s, &en));
	EXPECT_EQ(self->start, s);
	EXPECT_EQ(self->start + (256 << 20) - 1, en);
	ASSERT_EQ(0, dev_mapping(b, 0, &s, &en));
	EXPECT_EQ(self->start + (256 << 20), s);
	avail = self->size - (512 << 20);
	EXPECT_EQ(avail, hm_read_ll("%s/available_size", self->rdir));

	/* not a multiple of the 2 MiB region align: refused, nothing taken */
	EXPECT_NE(0, hm_sh(NULL, 0, "daxctl create-device -r %d -s 3M",
			   self->region));
	EXPECT_EQ(avail, hm_read_ll("%s/available_size", self->rdir));

	/* the smallest device is one sub-section */
	ASSERT_EQ(0, hm_sh(self->out, OUT_LEN, "daxctl create-device -r %d -s 2M",
			   self->region));
	ASSERT_EQ(0, hm_created_dev(self->out, e, sizeof(e)));
	ASSERT_EQ(0, dev_mapping(e, 0, &s, &en));
	EXPECT_EQ(HM_SZ_2M, en + 1 - s);
	EXPECT_EQ(self->start + (512 << 20), s);
	avail -= HM_SZ_2M;
	EXPECT_EQ(avail, hm_read_ll("%s/available_size", self->rdir));

	/* a hole left by a destroyed device becomes part of the next one */
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl disable-device %s", a));
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl destroy-device %s", a));
	EXPECT_FALSE(hm_exists(HM_SYS_DAX "/%s", a));
	avail += 256 << 20;
	EXPECT_EQ(avail, hm_read_ll("%s/available_size", self->rdir));
	ASSERT_EQ(0, hm_sh(self->out, OUT_LEN, "daxctl create-device -r %d -s 512M",
			   self->region));
	ASSERT_EQ(0, hm_created_dev(self->out, c, sizeof(c)));
	ASSERT_EQ(0, dev_mapping(c, 0, &s, &en));
	ASSERT_EQ(0, dev_mapping(c, 1, &s1, &e1));
	EXPECT_EQ(self->start, s);
	EXPECT_EQ(self->start + (256 << 20) - 1, en);
	EXPECT_EQ(self->start + (512 << 20) + HM_SZ_2M, s1);
	EXPECT_EQ(512 << 20, (en + 1 - s) + (e1 + 1 - s1));
	EXPECT_EQ(512 << 20, hm_read_ll(HM_SYS_DAX "/%s/size", c));
	avail -= 512 << 20;
	EXPECT_EQ(avail, hm_read_ll("%s/available_size", self->rdir));
}

/*
 * 6.8+: the dax device's memmap_on_memory attribute decides whether kmem
 * takes the struct pages of hot-added memory from DRAM (16 MiB per GiB)
 * or from the memory itself (0).  Measured before onlining.
 */
TEST_F(sr, memmap_on_memory_dram)
{
	long long drop[2], memmap[2], f0, m0;
	__u64 expect = memmap_bytes(self->size);

	int v;

	if (!hm_exists(HM_SYS_DAX "/%s/memmap_on_memory", self->dev))
		SKIP(return, "kernel %d.%d has no dax memmap_on_memory (6.8+)",
		     hm_kernel_version() / 100, hm_kernel_version() % 100);
	if (hm_read_ll("/sys/module/memory_hotplug/parameters/memmap_on_memory") < 0 &&
	    !hm_exists("/sys/module/memory_hotplug/parameters/memmap_on_memory"))
		SKIP(return, "no memory_hotplug.memmap_on_memory parameter");

	for (v = 0; v < 2; v++) {
		ASSERT_EQ(0, hm_write(v ? "1" : "0",
				      HM_SYS_DAX "/%s/memmap_on_memory", self->dev));
		ASSERT_EQ(v, hm_read_ll(HM_SYS_DAX "/%s/memmap_on_memory",
					self->dev));
		f0 = hm_memfree_settled_kb();
		m0 = hm_vmstat("nr_memmap_pages");
		ASSERT_EQ(0, hm_sh(self->out, OUT_LEN,
				   "daxctl reconfigure-device -N -m system-ram %s",
				   self->dev));
		drop[v] = (f0 - hm_memfree_settled_kb()) * 1024;
		memmap[v] = hm_vmstat("nr_memmap_pages") - m0;
		ASSERT_EQ(0, hm_sh(self->out, OUT_LEN,
				   "daxctl reconfigure-device -m devdax -f %s",
				   self->dev));
		hm_write("0", HM_SYS_DAX "/%s/memmap_on_memory", self->dev);
		TH_LOG("memmap_on_memory=%d: free memory %+lld KiB, nr_memmap_pages %+lld",
		       v, -drop[v] / 1024, memmap[v]);
	}
	/*
	 * nr_memmap_pages counts memmap pages wherever they live: the same
	 * count either way.  A removal keeps part of the vmemmap populated and
	 * the next add reuses it, so the DRAM an add spends is what the
	 * counter grew by, which is at most the full 64 B per page.
	 */
	if (memmap[0] >= 0) {
		EXPECT_GT(memmap[0], 0);
		EXPECT_EQ(memmap[0], memmap[1]);
		EXPECT_LE(memmap[0] * 4096, (long long)expect);
		expect = memmap[0] * 4096;
	}
	/* off: the memmap comes from DRAM; on: none of it does */
	EXPECT_GE(drop[0], (long long)expect * 9 / 10);
	EXPECT_LE(drop[1], (long long)expect / 8);
	EXPECT_GE(drop[0] - drop[1], (long long)expect * 9 / 10);
}

FIXTURE(pmem) {
	char ns[64];		/* the legacy pmem namespace */
	char dev[64];		/* the devdax device made on it */
	char out[OUT_LEN];	/* output of the last command */
};

FIXTURE_SETUP(pmem)
{
	const char *p;

	ASSERT_EQ(0, hm_sh(self->out, OUT_LEN, "ndctl list -b e820 -N"));
	p = strstr(self->out, "\"dev\":\"namespace");
	if (!p)
		SKIP(return, "no legacy pmem namespace (vm.sh -p pmem)");
	p += strlen("\"dev\":\"");
	snprintf(self->ns, sizeof(self->ns), "%.*s", (int)strcspn(p, "\""), p);
}

FIXTURE_TEARDOWN(pmem)
{
}

FIXTURE(nvdimm) {
	char region[64];	/* the NFIT region */
	char out[OUT_LEN];	/* output of the last command */
};

FIXTURE_SETUP(nvdimm)
{
	const char *p;

	ASSERT_EQ(0, hm_sh(self->out, OUT_LEN, "ndctl list -b ACPI.NFIT -R"));
	p = strstr(self->out, "\"dev\":\"region");
	if (!p)
		SKIP(return, "no NFIT NVDIMM region (vm.sh -p nvdimm)");
	p += strlen("\"dev\":\"");
	snprintf(self->region, sizeof(self->region), "%.*s",
		 (int)strcspn(p, "\""), p);
}

FIXTURE_TEARDOWN(nvdimm)
{
	hm_sh(NULL, 0, "ndctl destroy-namespace -f -r %s all", self->region);
}

/*
 * A labelled NVDIMM is sub-divided by ndctl into several devdax
 * namespaces; each maps on its own and keeps its own data.
 */
TEST_F(nvdimm, labelled_namespaces)
{
	const size_t len = 64 << 20;
	char a[64], b[64];
	long long avail;

	ASSERT_EQ(0, hm_sh(NULL, 0, "ndctl disable-region %s", self->region));
	ASSERT_EQ(0, hm_sh(NULL, 0, "ndctl init-labels -f all"));
	ASSERT_EQ(0, hm_sh(NULL, 0, "ndctl enable-region %s", self->region));
	avail = hm_read_ll("/sys/bus/nd/devices/%s/available_size", self->region);
	ASSERT_GE(avail, 512LL << 20);

	ASSERT_EQ(0, hm_sh(self->out, OUT_LEN,
			   "ndctl create-namespace -r %s -m devdax -s 256M -a 2M",
			   self->region));
	ASSERT_EQ(0, hm_created_dev(self->out, a, sizeof(a)));
	ASSERT_EQ(0, hm_sh(self->out, OUT_LEN,
			   "ndctl create-namespace -r %s -m devdax -s 256M -a 2M",
			   self->region));
	ASSERT_EQ(0, hm_created_dev(self->out, b, sizeof(b)));
	EXPECT_STRNE(a, b);
	EXPECT_EQ(avail - (512LL << 20),
		  hm_read_ll("/sys/bus/nd/devices/%s/available_size", self->region));

	ASSERT_EQ(0, hm_dax_fill(a, len, 1));
	ASSERT_EQ(0, hm_dax_fill(b, len, 2));
	EXPECT_EQ(0, hm_dax_verify(a, len, 1));
	EXPECT_EQ(0, hm_dax_verify(b, len, 2));
}

/*
 * A legacy pmem region becomes a devdax namespace with ndctl; its
 * character device maps with MAP_SHARED and what is written through one
 * mapping reads back through another and after a remap.
 */
TEST_F(pmem, devdax_mmap)
{
	const size_t len = 64 << 20;
	char path[96], mode[32];
	struct hm_res res[HM_MAX_RES];
	int fd, n, d;

	ASSERT_EQ(0, hm_sh(self->out, OUT_LEN,
			   "ndctl create-namespace -f -e %s -m devdax -a 2M",
			   self->ns));
	ASSERT_EQ(0, hm_created_dev(self->out, self->dev, sizeof(self->dev)));
	ASSERT_EQ(0, hm_dax_mode(self->dev, mode, sizeof(mode)));
	EXPECT_STREQ("devdax", mode);
	ASSERT_GE(hm_read_ll(HM_SYS_DAX "/%s/size", self->dev), (long long)len);

	n = hm_iomem(res, HM_MAX_RES);
	d = hm_iomem_find(res, n, "Persistent Memory (legacy)", 0);
	ASSERT_GE(d, 0);
	EXPECT_LT(d, hm_iomem_find(res, n, "namespace*", d));

	snprintf(path, sizeof(path), "/dev/%s", self->dev);
	fd = open(path, O_RDWR);
	ASSERT_GE(fd, 0);
	/* device dax refuses private mappings */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0));
	close(fd);
	ASSERT_EQ(0, hm_dax_fill(self->dev, len, 3));
	EXPECT_EQ(0, hm_dax_verify(self->dev, len, 3));
}

/*
 * The kernel's own reports that hotmem's tests meet (the runner drops
 * them by scripts/guest/dmesg-known.re), reproduced here with no hotmem
 * module loaded: the evidence for each entry, and the check that it is
 * still the kernel's.  Last in the boot: a lockdep report switches
 * lockdep off.
 */
/*
 * Three writers in a block's state file while the kmem unbind removes
 * it.  Each write holds the file's active reference while it sleeps in
 * lock_device_hotplug_sysfs() and restarts, so that the removal's drain
 * of the file waits for it, under lockdep.  (In trials the report came
 * every time, once without the writers; in one CI run of the whole
 * suite it did not come, and that run kept no lines of why: the test
 * now tries up to ZZ_TRIES unbinds and logs each miss.)
 */
#define ZZ_WRITER "(while [ -e %1$s ]; do echo offline > %1$s; done) 2>/dev/null & "
#define ZZ_RACE \
	ZZ_WRITER ZZ_WRITER ZZ_WRITER \
	"sleep 2; echo %2$s > /sys/bus/dax/drivers/kmem/unbind; wait"
#define ZZ_TRIES 5

FIXTURE(zz_kernel) {
	char dev[64];
	char out[OUT_LEN];
};

FIXTURE_SETUP(zz_kernel)
{
	if (hm_dax_find(self->dev, sizeof(self->dev), "/hmem"))
		SKIP(return, "no soft-reserved dax device (vm.sh -p soft-reserved)");
	ASSERT_EQ(0, hm_sr_reset(self->dev, sizeof(self->dev)));
}

FIXTURE_TEARDOWN(zz_kernel)
{
	char dev[64];

	hm_sr_reset(dev, sizeof(dev));
}

/*
 * lockdep-memmap-on-memory-removal: the in-kernel kmem removes
 * memmap-on-memory blocks while a write to one block's "state" file is
 * in progress (it retries while the device hotplug lock is taken).
 */
TEST_F(zz_kernel, lockdep_memmap_on_memory_removal)
{
	__u64 start, size;
	char block[96];
	int try;

	if (!hm_exists("/proc/lockdep"))
		SKIP(return, "no lockdep (the debug kernel has it)");
	if (!hm_exists(HM_SYS_DAX "/%s/memmap_on_memory", self->dev))
		SKIP(return, "no dax memmap_on_memory (6.8+)");
	ASSERT_NE(0, hm_sh(NULL, 0, "grep -q '^hotmem' /proc/modules"))
		TH_LOG("a hotmem module is loaded: not a control");
	ASSERT_EQ(0, hm_sr_range(&start, &size));
	snprintf(block, sizeof(block), "/sys/devices/system/memory/memory%llu/state",
		 start / hm_block_size());
	/* a race: up to ZZ_TRIES unbinds, until the report is seen */
	for (try = 1; try <= ZZ_TRIES; try++) {
		ASSERT_EQ(0, hm_sr_reset(self->dev, sizeof(self->dev)));
		ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl disable-device %s", self->dev));
		ASSERT_EQ(0, hm_write("1", HM_SYS_DAX "/%s/memmap_on_memory", self->dev));
		ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl reconfigure-device -f -m system-ram %s",
				   self->dev));
		ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl offline-memory %s", self->dev));
		ASSERT_EQ(0, hm_sh(NULL, 0, ZZ_RACE, block, self->dev));
		/* the unbind removed the memory */
		ASSERT_FALSE(hm_exists("%s", block));
		/* the names of the known reports it dropped, on its stderr */
		ASSERT_EQ(0, hm_sh(self->out, OUT_LEN,
				   "dmesg | dmesg-scan 2>&1 >/dev/null; true"));
		if (strstr(self->out, "known kernel report: lockdep-memmap-on-memory-removal"))
			break;
		/* lockdep may have been switched off by an earlier report */
		hm_sh(self->out, OUT_LEN, "grep -h debug_locks /proc/lockdep_stats; "
		      "dmesg | dmesg-scan 2>&1 | head -n 5");
		TH_LOG("try %d: no lockdep report; %s", try, self->out);
	}
	EXPECT_GE(ZZ_TRIES, try);
}

/*
 * add-pages-enomem: x86's add_pages() warns (WARN_ON_ONCE) whenever
 * __add_pages() fails, an allocation of the memmap included: the
 * in-kernel kmem's bind of a soft-reserved device, with the 1st, 2nd, ...
 * allocation of the writing task failed (as sweep_alloc does) until that
 * warning appears.  Once per boot.  Last: after some failed binds of the
 * in-kernel kmem every later bind fails with EEXIST (the sections that
 * __add_pages() added before the one that failed are not taken back),
 * and the device cannot be reset.  Some 25 binds of 2 GiB: 175 s on the
 * debug kernel, whose default limit is 180 s.
 */
TEST_F_TIMEOUT(zz_kernel, add_pages_enomem, 120)
{
	int nth, inj, err;

	if (!hm_exists("/proc/self/fail-nth"))
		SKIP(return,
		     "no fault injection (CONFIG_FAULT_INJECTION): the debug kernel has it");
	ASSERT_NE(0, hm_sh(NULL, 0, "grep -q '^hotmem' /proc/modules"))
		TH_LOG("a hotmem module is loaded: not a control");
	ASSERT_EQ(0, sweep_alloc_setup());
	hm_dmesg_allow("kmem dax[0-9.]+: .*(-12|ENOMEM)");
	hm_dmesg_allow_block(HM_ALLOC_FAILURE_REPORT);
	ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl disable-device %s", self->dev));
	for (nth = 1; nth <= 500; nth++) {
		/* the kmem bind, with its nth allocation failed */
		inj = sweep_write_nth("/sys/bus/dax/drivers/kmem/bind", self->dev, nth, &err);
		ASSERT_LE(0, inj);
		if (!hm_sh(NULL, 0, "dmesg | grep -q 'at arch/x86/mm/init_64.c:[0-9]* add_pages'"))
			break;
		/* bound despite the failure: unbind, and fail the next one */
		if (hm_exists(HM_SYS_DAX "/%s/driver", self->dev))
			ASSERT_EQ(0, hm_write(self->dev, "/sys/bus/dax/drivers/kmem/unbind"));
		/* no failure was injected: the bind made fewer allocations */
		ASSERT_EQ(1, inj)
			TH_LOG("allocation %d was not made, and add_pages() never warned", nth);
	}
	ASSERT_GE(500, nth);
	ASSERT_EQ(0, hm_sh(self->out, OUT_LEN, "dmesg | dmesg-scan 2>&1 >/dev/null; true"));
	EXPECT_NE(NULL, strstr(self->out, "known kernel report: add-pages-enomem"));
}

TEST_HARNESS_MAIN
