// SPDX-License-Identifier: GPL-2.0
/*
 * The device-dax anchor: the same flows run against the in-kernel
 * device-dax (dax_hmem's region, first half of the soft-reserved range)
 * and against hotmem_pagemap (a region on the second half), in one boot.
 * hotmem must do everything device-dax does; where device-dax accepts bad
 * input or changes state on error, hotmem must refuse and change nothing.
 * hotmem runs twice, with the memmap in RAM and on the device.  The flows
 * both drivers share live here; pagemap/ has what only hotmem does.  On a
 * kernel without device-dax (the rt flavours) the dax variant is skipped
 * and hotmem's run alone, on the same half of the range.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "hotmem_util.h"
#include "hotmem_pagemap.h"

#define PD_DAX_DRV	"/sys/bus/dax/drivers/device_dax"
#define PD_M		(1024ULL * 1024)
#define PD_MAX_MAPS	8
#define PD_STATE_LEN	16384

/* what differs between the two drivers; everything else is the same ABI */
struct pd_ops {
	const char *name;		/* "dax" or "hotmem", for messages */
	const char *sys;		/* sysfs directory holding the instances */
	int (*enable)(const char *inst);
	int (*disable)(const char *inst);
};

/*
 * device_dax binds anything on 6.1; 6.12 binds soft-reserved devices to
 * kmem by default and device_dax only takes a device named in new_id
 * (which binds it at once), as daxctl enable-device does.
 */
static int pd_dax_enable(const char *inst)
{
	char mode[32];
	int rc = hm_write(inst, PD_DAX_DRV "/bind");

	if (rc == -ENODEV)
		rc = hm_write(inst, PD_DAX_DRV "/new_id");
	if (rc)
		return rc;
	/* new_id reports success even when the probe failed */
	if (hm_dax_mode(inst, mode, sizeof(mode)) || strcmp(mode, "devdax"))
		return -EIO;
	return 0;
}

static int pd_dax_disable(const char *inst)
{
	return hm_write(inst, PD_DAX_DRV "/unbind");
}

static int pd_hm_enable(const char *inst)
{
	return hm_write("1", HM_PM_CLS "/%s/enabled", inst);
}

static int pd_hm_disable(const char *inst)
{
	return hm_write("0", HM_PM_CLS "/%s/enabled", inst);
}

static const struct pd_ops pd_dax_ops = {
	.name = "dax",
	.sys = HM_SYS_DAX,
	.enable = pd_dax_enable,
	.disable = pd_dax_disable,
};

static const struct pd_ops pd_hm_ops = {
	.name = "hotmem",
	.sys = HM_PM_CLS,
	.enable = pd_hm_enable,
	.disable = pd_hm_disable,
};

/* the two drivers, in the order of the diagnostic table */
enum { PD_DAX, PD_HM, PD_NR };
static const struct pd_ops *const pd_all[PD_NR] = { &pd_dax_ops, &pd_hm_ops };

/* a driver's region: where its instances come from */
struct pd_region {
	char dir[PATH_MAX];	/* region sysfs directory */
	__u64 start;		/* first byte this test may use */
	__u64 avail0;		/* available_size before the test */
	char prefix[16];	/* instance names up to the id: "dax1." */
};

FIXTURE(drv) {
	__u64 sr_start;		/* the soft-reserved range */
	__u64 sr_size;
	char dev0[64];		/* device 0 of the dax region, "" if none */
	const char *memmap;	/* hotmem instances' memmap: "ram" or "dev" */
	struct pd_region reg[PD_NR];
	const struct pd_ops *ops;	/* the driver under test */
	struct pd_region *r;		/* and its region */
	struct { void *p; size_t len; } maps[PD_MAX_MAPS];	/* to unmap */
	char buf[PD_STATE_LEN];
};

FIXTURE_VARIANT(drv) {
	int which;		/* PD_DAX or PD_HM */
	const char *memmap;	/* hotmem's memmap; device-dax's is in RAM */
};

FIXTURE_VARIANT_ADD(drv, dax) { .which = PD_DAX, .memmap = "ram" };
FIXTURE_VARIANT_ADD(drv, hotmem) { .which = PD_HM, .memmap = "ram" };
FIXTURE_VARIANT_ADD(drv, hotmem_dev) { .which = PD_HM, .memmap = "dev" };

/* is driver @d in this boot? device-dax is not on every kernel */
#define pd_has(self, d)	((d) == PD_HM || *(self)->dev0)

/* device 0 of the soft-reserved dax region, whatever its size */
static int pd_dax_dev0(char *dev, size_t len)
{
	char path[PATH_MAX], real[PATH_MAX];
	glob_t g;
	size_t i;
	int rc = -ENOENT;

	if (glob(HM_SYS_DAX "/dax*.0", 0, NULL, &g))
		return -ENOENT;
	for (i = 0; i < g.gl_pathc && rc; i++) {
		snprintf(path, sizeof(path), "%s", g.gl_pathv[i]);
		if (realpath(path, real) && strstr(real, "/hmem")) {
			snprintf(dev, len, "%s", strrchr(path, '/') + 1);
			rc = 0;
		}
	}
	globfree(&g);
	return rc;
}

/* does the kernel have device-dax's soft-reserved driver (not on rt)? */
static bool pd_have_dax(void)
{
	return hm_exists("/sys/bus/platform/drivers/hmem");
}

/*
 * Back to the boot state whatever a test left: no dax device but daxR.0,
 * which spans the range again in devdax mode, and no hotmem_pagemap.
 * daxR.0 itself cannot be deleted (the kernel keeps id 0 while the region
 * lives), so it is only ever shrunk to 0 and grown back.
 */
static int pd_restore(void)
{
	char dev0[64], rdir[PATH_MAX], name[64];
	long long rsize;
	int i;

	if (hm_exists("/sys/module/hotmem_pagemap") &&
	    hm_sh(NULL, 0, "rmmod hotmem_pagemap"))
		return -EBUSY;
	if (!pd_have_dax())
		return 0;
	if (pd_dax_dev0(dev0, sizeof(dev0)) ||
	    hm_dax_region_dir(rdir, sizeof(rdir), dev0))
		return -ENOENT;
	for (i = 1; i <= 128; i++) {
		snprintf(name, sizeof(name), "dax%d.%d", hm_dax_region_id(dev0), i);
		if (!hm_exists(HM_SYS_DAX "/%s", name))
			continue;
		if (hm_exists(HM_SYS_DAX "/%s/driver", name))
			hm_write(name, HM_SYS_DAX "/%s/driver/unbind", name);
		hm_write("0", HM_SYS_DAX "/%s/size", name);
		hm_write(name, "%s/delete", rdir);
	}
	rsize = hm_read_ll("%s/size", rdir);
	if (hm_read_ll(HM_SYS_DAX "/%s/size", dev0) != rsize) {
		snprintf(name, sizeof(name), "%lld", rsize);
		if (hm_exists(HM_SYS_DAX "/%s/driver", dev0))
			hm_write(dev0, HM_SYS_DAX "/%s/driver/unbind", dev0);
		if (hm_write(name, HM_SYS_DAX "/%s/size", dev0) ||
		    pd_dax_enable(dev0))
			return -EIO;
	}
	return hm_sr_reset(dev0, sizeof(dev0));
}

FIXTURE_SETUP(drv)
{
	char *dev0 = self->dev0;
	__u64 half;

	if (hm_sr_range(&self->sr_start, &self->sr_size))
		SKIP(return, "no soft-reserved memory (vm.sh -p soft-reserved)");
	/*
	 * A kernel with dax_hmem (a module or built in) whose driver is not
	 * there: a broken boot, not a kernel without device-dax.  (busybox's
	 * modinfo says 0 for a module it does not find: grep the lists.)
	 */
	if (!pd_have_dax())
		ASSERT_NE(0, hm_sh(NULL, 0, "d=/lib/modules/$(uname -r); "
				   "grep -qs dax_hmem $d/modules.dep $d/modules.builtin"))
			TH_LOG("dax_hmem is in the kernel, its driver is not bound");
	if (!pd_have_dax() && variant->which == PD_DAX)
		SKIP(return, "no device-dax for soft-reserved memory in this kernel");
	if (pd_have_dax() && pd_dax_dev0(dev0, sizeof(self->dev0)))
		SKIP(return, "soft-reserved memory has no dax region (dax_hmem blacklisted?)");
	ASSERT_EQ(0, pd_restore());
	half = self->sr_size / 2;
	self->memmap = variant->memmap;

	/* device-dax: its seed gives the whole region up, to be carved */
	if (*dev0) {
		ASSERT_EQ(0, hm_dax_region_dir(self->reg[PD_DAX].dir,
					       sizeof(self->reg[PD_DAX].dir), dev0));
		ASSERT_EQ(0, pd_dax_disable(dev0));
		ASSERT_EQ(0, hm_write("0", HM_SYS_DAX "/%s/size", dev0));
		self->reg[PD_DAX].start = self->sr_start;
		snprintf(self->reg[PD_DAX].prefix, sizeof(self->reg[PD_DAX].prefix),
			 "dax%d.", hm_dax_region_id(dev0));
	}

	/* hotmem: the second half, which device-dax never reaches */
	ASSERT_EQ(0, hm_sh(NULL, 0, "/sbin/modprobe hotmem_pagemap regions=%llu:%llu",
			   self->sr_start + half, half));
	snprintf(self->reg[PD_HM].dir, sizeof(self->reg[PD_HM].dir),
		 HM_PM_CLS "/region0");
	self->reg[PD_HM].start = self->sr_start + half;
	snprintf(self->reg[PD_HM].prefix, sizeof(self->reg[PD_HM].prefix), "pm0.");

	for (int d = 0; d < PD_NR; d++) {
		if (!pd_has(self, d))
			continue;
		self->reg[d].avail0 = hm_read_ll("%s/available_size", self->reg[d].dir);
		ASSERT_LT(0, (long long)self->reg[d].avail0);
	}
	self->ops = pd_all[variant->which];
	self->r = &self->reg[variant->which];
}

FIXTURE_TEARDOWN(drv)
{
	int i;

	for (i = 0; i < PD_MAX_MAPS; i++)
		if (self->maps[i].p)
			munmap(self->maps[i].p, self->maps[i].len);
	EXPECT_EQ(0, pd_restore());
}

/* the driver and region of @d, for tests that drive both */
#define PD_OPS(d)	(pd_all[d])

/* a new empty instance of driver @d, its name in @name */
static int pd_new(struct _test_data_drv *self, int d, char *name, size_t len)
{
	int rc = hm_pm_create(self->reg[d].dir, name, len);

	if (!rc && d == PD_HM)
		rc = hm_write(self->memmap, HM_PM_CLS "/%s/memmap", name);
	return rc;
}

/*
 * Bytes of an enabled instance its character device maps: its size, less
 * the memmap a hotmem "dev" instance keeps in each whole section.
 */
static long long pd_usable(int d, const char *inst)
{
	long long size = hm_read_ll("%s/%s/size", PD_OPS(d)->sys, inst);

	if (d == PD_HM && size >= 0)
		size -= hm_read_ll(HM_PM_CLS "/%s/memmap_device_bytes", inst);
	return size;
}

static int pd_set_size(int d, const char *inst, __u64 size)
{
	return hm_pm_set_size(PD_OPS(d)->sys, inst, size);
}

/* write the range [region start + @a, + @len) to @inst's mapping */
static int pd_place(struct _test_data_drv *self, int d, const char *inst,
		    __u64 a, __u64 len)
{
	return hm_pm_place(PD_OPS(d)->sys, inst, self->reg[d].start + a, len);
}

/* the ranges of an instance of driver @d, in chardev order */
static int pd_ranges(int d, const char *inst, struct hm_pm_range *r, int max)
{
	return hm_pm_ranges(PD_OPS(d)->sys, inst, r, max);
}

/*
 * mmap the chardev of @inst at @hint if free, remembered so teardown can
 * unmap it
 */
static void *pd_map_at(struct _test_data_drv *self, const char *inst, void *hint,
		       size_t len, off_t off, int prot, int flags)
{
	char path[96];
	void *p;
	int fd, i, err;

	snprintf(path, sizeof(path), "/dev/%s", inst);
	fd = open(path, prot & PROT_WRITE ? O_RDWR : O_RDONLY);
	if (fd < 0)
		return MAP_FAILED;
	p = mmap(hint, len, prot, flags, fd, off);
	err = errno;
	close(fd);
	errno = err;
	if (p == MAP_FAILED)
		return p;
	for (i = 0; i < PD_MAX_MAPS; i++) {
		if (!self->maps[i].p) {
			self->maps[i].p = p;
			self->maps[i].len = len;
			break;
		}
	}
	return p;
}

static void *pd_map(struct _test_data_drv *self, const char *inst, size_t len,
		    int prot, int flags)
{
	return pd_map_at(self, inst, NULL, len, 0, prot, flags);
}

static void pd_unmap(struct _test_data_drv *self, void *p)
{
	int i;

	for (i = 0; i < PD_MAX_MAPS; i++) {
		if (self->maps[i].p == p) {
			munmap(p, self->maps[i].len);
			self->maps[i].p = NULL;
		}
	}
}

/*
 * 64 instances of 2 MiB fill one 128 MiB section; each is enabled and
 * written with its own pattern, and all 64 patterns read back afterwards
 * (so no instance maps another's memory); deleting them all gives every
 * byte back.
 */
TEST_F(drv, pack_64_instances)
{
	const struct pd_ops *ops = self->ops;
	int d = variant->which, i, n;
	char name[64][32];
	struct hm_pm_range r;

	for (i = 0; i < 64; i++) {
		ASSERT_EQ(0, pd_new(self, d, name[i], sizeof(name[i])));
		ASSERT_EQ(0, pd_set_size(d, name[i], HM_SZ_2M));
		ASSERT_EQ(1, pd_ranges(d, name[i], &r, 1));
		EXPECT_EQ(self->r->start + i * HM_SZ_2M, r.start);
		EXPECT_EQ(r.start + HM_SZ_2M - 1, r.end);
	}
	EXPECT_EQ(self->r->avail0 - 128 * PD_M,
		  hm_read_ll("%s/available_size", self->r->dir));
	/* hotmem's map shows the 64 owners of the section, then free space */
	if (d == PD_HM) {
		char want[256];

		ASSERT_LT(0, hm_read_str(self->buf, sizeof(self->buf),
					 "%s/map", self->r->dir));
		/* pm0.1 to pm0.64 (pm0.0 is the seed): B to 9, then '#' */
		snprintf(want, sizeof(want), "0x%016llx: %s###\n0x%016llx: ........",
			 self->r->start,
			 "BCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
			 self->r->start + 128 * PD_M);
		EXPECT_EQ(0, strncmp(self->buf, want, strlen(want)))
			TH_LOG("map:\n%.200s", self->buf);
	}
	for (i = 0; i < 64; i++) {
		ASSERT_EQ(0, ops->enable(name[i])) TH_LOG("%s", name[i]);
		ASSERT_EQ(0, hm_dax_fill(name[i], HM_SZ_2M, 0x1000 + i));
	}
	for (i = 0, n = 0; i < 64; i++)
		n += hm_dax_verify(name[i], HM_SZ_2M, 0x1000 + i) != 0;
	EXPECT_EQ(0, n);
	for (i = 0; i < 64; i++) {
		ASSERT_EQ(0, ops->disable(name[i]));
		ASSERT_EQ(0, pd_set_size(d, name[i], 0));
		ASSERT_EQ(0, hm_write(name[i], "%s/delete", self->r->dir));
		EXPECT_FALSE(hm_exists("%s/%s", ops->sys, name[i]));
	}
	EXPECT_EQ(self->r->avail0, hm_read_ll("%s/available_size", self->r->dir));
}

/*
 * An instance over several sections grows past a neighbour into a second
 * range and shrinks back by size writes; the mappingN directories (and
 * hotmem's "mapping" file) follow every step.
 */
TEST_F(drv, grow_shrink_multi_section)
{
	const char *sys = self->ops->sys;
	int d = variant->which;
	struct hm_pm_range r[4];
	char a[32], b[32];
	__u64 s = self->r->start;
	/* the memmap a hotmem "dev" instance keeps in each whole section */
	__u64 mm = d == PD_HM && !strcmp(self->memmap, "dev") ? 2 * PD_M : 0;

	ASSERT_EQ(0, pd_new(self, d, a, sizeof(a)));
	ASSERT_EQ(0, pd_set_size(d, a, 384 * PD_M));
	ASSERT_EQ(1, pd_ranges(d, a, r, 4));
	EXPECT_EQ(s, r[0].start);
	EXPECT_EQ(s + 384 * PD_M - 1, r[0].end);
	EXPECT_EQ(0, r[0].pgoff);
	ASSERT_EQ(0, pd_new(self, d, b, sizeof(b)));
	ASSERT_EQ(0, pd_set_size(d, b, HM_SZ_2M));

	/* grows past b: a second range, following the first in the file */
	ASSERT_EQ(0, pd_set_size(d, a, 512 * PD_M));
	EXPECT_EQ(512 * PD_M, hm_read_ll("%s/%s/size", sys, a));
	ASSERT_EQ(2, pd_ranges(d, a, r, 4));
	EXPECT_EQ(s + 384 * PD_M - 1, r[0].end);
	EXPECT_EQ(s + 386 * PD_M, r[1].start);
	EXPECT_EQ(s + 514 * PD_M - 1, r[1].end);
	/* past the 3 sections of the first range, less their memmap */
	EXPECT_EQ((384 * PD_M - 3 * mm) / 4096, r[1].pgoff);
	if (d == PD_HM)
		EXPECT_EQ(0, hm_pm_mapping_matches(a));
	EXPECT_EQ(self->r->avail0 - 514 * PD_M,
		  hm_read_ll("%s/available_size", self->r->dir));

	/* shrinks from the end: the second range goes, the first is cut */
	ASSERT_EQ(0, pd_set_size(d, a, 256 * PD_M));
	ASSERT_EQ(1, pd_ranges(d, a, r, 4));
	EXPECT_EQ(s, r[0].start);
	EXPECT_EQ(s + 256 * PD_M - 1, r[0].end);
	if (d == PD_HM)
		EXPECT_EQ(0, hm_pm_mapping_matches(a));
	EXPECT_EQ(self->r->avail0 - 258 * PD_M,
		  hm_read_ll("%s/available_size", self->r->dir));

	/*
	 * and works once enabled: the last bytes of the mapping read back
	 * (a "dev" instance keeps the memmap of its two whole sections, 2 MiB
	 * each, at their start)
	 */
	ASSERT_EQ(0, self->ops->enable(a));
	if (d == PD_HM)
		EXPECT_EQ(2 * mm, hm_read_ll(HM_PM_CLS "/%s/memmap_device_bytes", a));
	ASSERT_EQ(0, hm_dax_fill(a, pd_usable(d, a), 5));
	EXPECT_EQ(0, hm_dax_verify(a, pd_usable(d, a), 5));
}

/*
 * Explicit placement: two mapping writes with a hole between them (the
 * second in another section) make one chardev in which the second range
 * follows the first; bytes either side of the seam read back through a
 * second mapping.
 */
TEST_F(drv, explicit_mapping_holes)
{
	int d = variant->which;
	struct hm_pm_range r[4];
	__u64 *p, s = self->r->start;
	const size_t len = 6 * PD_M, seam = 4 * PD_M;
	char a[32];

	ASSERT_EQ(0, pd_new(self, d, a, sizeof(a)));
	ASSERT_EQ(0, pd_place(self, d, a, 4 * PD_M, 4 * PD_M));
	ASSERT_EQ(0, pd_place(self, d, a, 132 * PD_M, 2 * PD_M));
	EXPECT_EQ(len, hm_read_ll("%s/%s/size", self->ops->sys, a));
	ASSERT_EQ(2, pd_ranges(d, a, r, 4));
	EXPECT_EQ(s + 4 * PD_M, r[0].start);
	EXPECT_EQ(s + 8 * PD_M - 1, r[0].end);
	EXPECT_EQ(s + 132 * PD_M, r[1].start);
	EXPECT_EQ(s + 134 * PD_M - 1, r[1].end);
	EXPECT_EQ(seam / 4096, r[1].pgoff);
	if (d == PD_HM)
		EXPECT_EQ(0, hm_pm_mapping_matches(a));

	ASSERT_EQ(0, self->ops->enable(a));
	p = pd_map(self, a, len, PROT_READ | PROT_WRITE, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, p);
	p[seam / 8 - 1] = 0x1111111111111111ULL;
	p[seam / 8] = 0x2222222222222222ULL;
	p[len / 8 - 1] = 0x3333333333333333ULL;
	pd_unmap(self, p);
	p = pd_map(self, a, len, PROT_READ, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(0x1111111111111111ULL, p[seam / 8 - 1]);
	EXPECT_EQ(0x2222222222222222ULL, p[seam / 8]);
	EXPECT_EQ(0x3333333333333333ULL, p[len / 8 - 1]);
	pd_unmap(self, p);
}

/*
 * Minor faults to read @len of @inst through a fresh MAP_SHARED mapping
 * at a 2 MiB aligned address (device-dax aligns a mapping only to the
 * device align, so with 4096 the test picks the address), -EFAULT if the
 * mapping did not land there.
 */
static long pd_faults(struct _test_data_drv *self, const char *inst, size_t len)
{
	unsigned long addr;
	char *hint;
	long faults;

	hint = mmap(NULL, len + HM_SZ_2M, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (hint == MAP_FAILED)
		return -errno;
	munmap(hint, len + HM_SZ_2M);
	hint = (char *)(((unsigned long)hint + HM_SZ_2M - 1) & ~(HM_SZ_2M - 1));
	faults = hm_pm_map_faults(inst, len, 0, hint, &addr);
	if (faults >= 0 && addr % HM_SZ_2M)
		return -EFAULT;
	return faults;
}

/*
 * mmap rules: MAP_PRIVATE refused with EINVAL, MAP_SHARED works; align
 * 4096 makes every fault 4 KiB even in a 2 MiB aligned mapping, align
 * 2 MiB makes them 2 MiB.  device-dax takes 2 MiB faults on 6.1 too, so
 * hotmem must as well.  The instance is a whole section, so a "dev" one
 * maps from 2 MiB into it, still 2 MiB aligned.  A kernel without
 * transparent huge pages (PREEMPT_RT) maps 4 KiB pages only.
 */
TEST_F(drv, mmap_faults)
{
	const char *sys = self->ops->sys;
	int d = variant->which;
	void *p;
	long f;
	char a[32];

	ASSERT_EQ(0, pd_new(self, d, a, sizeof(a)));
	ASSERT_EQ(0, hm_write("4096", "%s/%s/align", sys, a));
	EXPECT_EQ(4096, hm_read_ll("%s/%s/align", sys, a));
	ASSERT_EQ(0, pd_set_size(d, a, 128 * PD_M));
	ASSERT_EQ(0, self->ops->enable(a));

	p = pd_map(self, a, 8 * PD_M, PROT_READ, MAP_PRIVATE);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	if (p != MAP_FAILED)
		pd_unmap(self, p);

	/* 8 MiB in 2048 faults of 4 KiB, give or take the test's own */
	f = pd_faults(self, a, 8 * PD_M);
	TH_LOG("%s align 4096, 8 MiB: %ld faults", self->ops->name, f);
	EXPECT_GE(f, 2048);
	EXPECT_LE(f, 2052);

	ASSERT_EQ(0, self->ops->disable(a));
	ASSERT_EQ(0, hm_write("2097152", "%s/%s/align", sys, a));
	ASSERT_EQ(0, self->ops->enable(a));
	f = pd_faults(self, a, 64 * PD_M);
	TH_LOG("%s memmap %s align 2097152, 64 MiB: %ld faults", self->ops->name,
	       self->memmap, f);
	if (!hm_thp()) {
		/* 16384 faults of 4 KiB */
		EXPECT_GE(f, 16384);
		EXPECT_LE(f, 16388);
		return;
	}
	/* 64 MiB in 32 faults of 2 MiB */
	EXPECT_GE(f, 32);
	EXPECT_LE(f, 36);
}

/*
 * O_DIRECT reads from a block device straight into a mapping: 2 MiB
 * faults; then tail pages of a compound page (align 2 MiB: 64 KiB from
 * 4 KiB into the second 2 MiB) for a write and a read back, mapped by
 * 4 KiB faults for hotmem (a mapping of those 64 KiB; device-dax maps
 * only whole 2 MiB at an align of 2 MiB); then every pin is gone: the
 * instance disables.
 */
TEST_F(drv, o_direct_into_mapping)
{
	const size_t len = 4 * PD_M, small = 64 * 1024;
	int d = variant->which, bfd;
	char dev[64], a[32], *src, *dst, *map;

	if (hm_pmem_dev(dev, sizeof(dev)))
		SKIP(return, "no pmem block device (vm.sh -p pmem)");
	ASSERT_EQ(0, pd_new(self, d, a, sizeof(a)));
	/* a whole section: a "dev" instance maps from past its memmap */
	ASSERT_EQ(0, pd_set_size(d, a, 128 * PD_M));
	ASSERT_EQ(0, self->ops->enable(a));

	src = aligned_alloc(4096, len);
	ASSERT_NE(NULL, src);
	for (size_t i = 0; i < len / 8; i++)
		((__u64 *)src)[i] = hm_pattern(i, d + 77);
	bfd = open(dev, O_RDWR | O_DIRECT);
	ASSERT_GE(bfd, 0);
	ASSERT_EQ((ssize_t)len, pwrite(bfd, src, len, 0));
	dst = pd_map(self, a, len, PROT_READ | PROT_WRITE, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, dst);
	memset(dst, 0, len);
	EXPECT_EQ((ssize_t)len, pread(bfd, dst, len, 0));
	EXPECT_EQ(0, memcmp(src, dst, len));
	pd_unmap(self, dst);

	if (d == PD_DAX)
		dst = pd_map_at(self, a, NULL, 2 * PD_M, 2 * PD_M, PROT_READ | PROT_WRITE,
				MAP_SHARED);
	else
		dst = pd_map_at(self, a, NULL, small, 2 * PD_M + 4096,
				PROT_READ | PROT_WRITE, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, dst);
	map = dst;
	if (d == PD_DAX)
		dst += 4096;
	/* from the tail pages to the disk, then back from elsewhere on it */
	EXPECT_EQ((ssize_t)small, pwrite(bfd, dst, small, len));
	memset(dst, 0, small);
	EXPECT_EQ((ssize_t)small, pread(bfd, dst, small, 0));
	EXPECT_EQ(0, memcmp(src, dst, small));
	EXPECT_EQ((ssize_t)small, pread(bfd, src, small, len));
	EXPECT_EQ(0, memcmp(src, src + 2 * PD_M + 4096, small));
	pd_unmap(self, map);
	close(bfd);
	free(src);
	EXPECT_EQ(0, self->ops->disable(a));
}

/*
 * A mapping that strictly contains another instance's range, enabled or
 * not: refused, nothing changes, the inner instance keeps its data (and
 * the runner sees no WARN: memremap_pages() would not have caught it).
 */
TEST_F(drv, mapping_contains_other)
{
	static const int want[PD_NR] = { -ENOMEM, -EEXIST };
	int d = variant->which, round;
	char a[32], c[32], before[4096], after[4096];

	ASSERT_EQ(0, pd_new(self, d, a, sizeof(a)));
	ASSERT_EQ(0, pd_place(self, d, a, 4 * PD_M, 4 * PD_M));
	ASSERT_EQ(0, pd_new(self, d, c, sizeof(c)));
	for (round = 0; round < 2; round++) {
		if (round) {
			ASSERT_EQ(0, self->ops->enable(a));
			ASSERT_EQ(0, hm_dax_fill(a, 4 * PD_M, 11));
		}
		hm_sh(before, sizeof(before), "cat %s/%s/size %s/%s/size %s/available_size",
		      self->ops->sys, a, self->ops->sys, c, self->r->dir);
		EXPECT_EQ(want[d], pd_place(self, d, c, 2 * PD_M, 8 * PD_M));
		hm_sh(after, sizeof(after), "cat %s/%s/size %s/%s/size %s/available_size",
		      self->ops->sys, a, self->ops->sys, c, self->r->dir);
		EXPECT_STREQ(before, after);
	}
	EXPECT_EQ(0, hm_dax_verify(a, 4 * PD_M, 11));
}

/*
 * The per-instance attributes a dax device has: align (2 MiB by default),
 * resource (start of the first range, hex), target_node and numa_node
 * (those of the soft-reserved range, which dax device 0 reports).
 */
TEST_F(drv, instance_attributes)
{
	const char *sys = self->ops->sys;
	int d = variant->which;
	char a[32], v[64], want[64];
	struct hm_pm_range r;

	ASSERT_EQ(0, pd_new(self, d, a, sizeof(a)));
	ASSERT_EQ(0, pd_place(self, d, a, 6 * PD_M, 4 * PD_M));
	EXPECT_EQ(HM_SZ_2M, hm_read_ll("%s/%s/align", sys, a));
	ASSERT_LT(0, hm_read_str(v, sizeof(v), "%s/%s/resource", sys, a));
	snprintf(want, sizeof(want), "%#llx", self->r->start + 6 * PD_M);
	EXPECT_STREQ(want, v);
	ASSERT_LT(0, hm_read_str(v, sizeof(v), "%s/%s/mapping0/page_offset", sys, a));
	EXPECT_STREQ("0x0", v);
	ASSERT_EQ(1, pd_ranges(d, a, &r, 1));
	ASSERT_LT(0, hm_read_str(v, sizeof(v), "%s/%s/mapping0/end", sys, a));
	snprintf(want, sizeof(want), "%#llx", self->r->start + 10 * PD_M - 1);
	EXPECT_STREQ(want, v);
	/*
	 * The node attributes: those of dax device 0; without device-dax,
	 * node 0 (the one node of this guest), and target_node only if the
	 * platform names one.
	 */
	if (*self->dev0) {
		ASSERT_LT(0, hm_read_str(want, sizeof(want),
					 HM_SYS_DAX "/%s/target_node", self->dev0));
	} else if (hm_exists("%s/%s/target_node", sys, a)) {
		snprintf(want, sizeof(want), "0");
	} else {
		TH_LOG("no target_node: the platform names none for this range");
	}
	if (*self->dev0 || hm_exists("%s/%s/target_node", sys, a)) {
		ASSERT_LT(0, hm_read_str(v, sizeof(v), "%s/%s/target_node", sys, a));
		EXPECT_STREQ(want, v);
	}
	if (*self->dev0) {
		ASSERT_LT(0, hm_read_str(want, sizeof(want),
					 HM_SYS_DAX "/%s/numa_node", self->dev0));
	} else {
		snprintf(want, sizeof(want), "0");
	}
	ASSERT_LT(0, hm_read_str(v, sizeof(v), "%s/%s/numa_node", sys, a));
	EXPECT_STREQ(want, v);
}

/* the instances the error table works on */
enum { PD_A, PD_B, PD_C, PD_NR_INST };

/* how an error row builds the value it writes */
enum pd_val {
	PD_LIT,		/* .lit as is */
	PD_RANGE,	/* "START-END" of [region start + .a, + .len) */
	PD_PAST_END,	/* "START-END" of .len bytes past the soft-reserved end */
	PD_AVAIL,	/* region available_size + 2 MiB */
	PD_GROW,	/* the instance's size + 2 MiB */
	PD_NAME,	/* the instance's name */
	PD_NO_NAME,	/* the name of an instance that does not exist */
};

/*
 * One bad write and what each side does with it.  hotmem's errno is the
 * one README documents, with no state change.  device-dax's is what the
 * kernel's drivers/dax/bus.c does (per version where they differ), with
 * whether it changed state: pinned, so a kernel change is noticed.
 */
struct pd_bad {
	const char *what;	/* for the table */
	int inst;		/* PD_A, PD_B or PD_C; delete goes to the region */
	const char *attr;	/* size, mapping, align or delete */
	enum pd_val kind;
	const char *lit;
	__u64 a, len;
	int hm;			/* hotmem's errno */
	int dax61, dax612;	/* device-dax's errno on 6.1, on 6.12 */
	bool dax_changes;	/* device-dax changes state */
};

#define PD_SZ(w, l, h, d1, d2) \
	{ w, PD_C, "size", PD_LIT, l, 0, 0, h, d1, d2, false }
/* a literal "mapping" write to C */
#define PD_MP(w, l, h, d1, d2) \
	{ w, PD_C, "mapping", PD_LIT, l, 0, 0, h, d1, d2, false }
/* a literal write to a file of the region */
#define PD_RG(w, attr, l, h, d1, d2) \
	{ w, PD_C, attr, PD_LIT, l, 0, 0, h, d1, d2, false }

static const struct pd_bad pd_bad[] = {
	PD_SZ("size 3 MiB (misaligned)", "3145728", -EINVAL, -EINVAL, -EINVAL),
	{ "size beyond available", PD_C, "size", PD_AVAIL, NULL, 0, 0,
	  -ENOSPC, -ENOSPC, -ENOSPC, false },
	/* sysfs never calls a store for a write of 0 bytes */
	PD_SZ("size \"\"", "", 0, 0, 0),
	PD_SZ("size \"\\n\"", "\n", -EINVAL, -EINVAL, -EINVAL),
	PD_SZ("size \"abc\"", "abc", -EINVAL, -EINVAL, -EINVAL),
	PD_SZ("size \"-1\"", "-1", -EINVAL, -EINVAL, -EINVAL),
	PD_SZ("size \"0x\"", "0x", -EINVAL, -EINVAL, -EINVAL),
	PD_SZ("size \"1 2\"", "1 2", -EINVAL, -EINVAL, -EINVAL),
	PD_SZ("size 2^64 (overflow)", "18446744073709551616", -ERANGE, -ERANGE, -ERANGE),
	PD_SZ("size \"2097152x\"", "2097152x", -EINVAL, -EINVAL, -EINVAL),
	PD_SZ("size \"2M\"", "2M", -EINVAL, -EINVAL, -EINVAL),
	PD_MP("mapping \"abc\"", "abc", -EINVAL, -EINVAL, -EINVAL),
	PD_MP("mapping \"1\"", "1", -EINVAL, -EINVAL, -EINVAL),
	PD_MP("mapping \"\\n\"", "\n", -EINVAL, -EINVAL, -EINVAL),
	PD_MP("mapping no end", "100000000-", -EINVAL, -EINVAL, -EINVAL),
	PD_MP("mapping no start", "-1fffff", -EINVAL, -EINVAL, -EINVAL),
	/* dax takes it and does nothing */
	PD_MP("mapping end < start", "200000-1fffff", -EINVAL, 0, 0),
	PD_MP("mapping 2^68 (overflow)", "100000000000000000-1", -ERANGE, -ERANGE, -ERANGE),
	/* dax checks the length only: the range is taken, misaligned */
	{ "mapping start +1 MiB", PD_C, "mapping", PD_RANGE, NULL,
	  97 * PD_M, 2 * PD_M, -EINVAL, 0, 0, true },
	/* 6.12 returns the 0 of its lock instead of an error */
	{ "mapping length 3 MiB", PD_C, "mapping", PD_RANGE, NULL,
	  100 * PD_M, 3 * PD_M, -EINVAL, -ENXIO, 0, false },
	{ "mapping overlaps A", PD_C, "mapping", PD_RANGE, NULL,
	  2 * PD_M, 2 * PD_M, -EEXIST, -ENOMEM, -ENOMEM, false },
	{ "mapping over B and past it", PD_C, "mapping", PD_RANGE, NULL,
	  4 * PD_M, 4 * PD_M, -EEXIST, -ENOMEM, -ENOMEM, false },
	{ "mapping A's own range", PD_C, "mapping", PD_RANGE, NULL,
	  0, 4 * PD_M, -EEXIST, -ENOMEM, -ENOMEM, false },
	{ "mapping past the region", PD_C, "mapping", PD_PAST_END, NULL,
	  0, 2 * PD_M, -EINVAL, -ENOMEM, -ENOMEM, false },
	/* dax grows a bound device underneath its live pgmap */
	{ "mapping while enabled", PD_B, "mapping", PD_RANGE, NULL,
	  64 * PD_M, 2 * PD_M, -EBUSY, 0, 0, true },
	{ "size change while enabled", PD_B, "size", PD_GROW, NULL, 0, 0,
	  -EBUSY, -EBUSY, -EBUSY, false },
	{ "align 12345", PD_C, "align", PD_LIT, "12345", 0, 0,
	  -EINVAL, -EINVAL, -EINVAL, false },
	{ "align \"abc\"", PD_C, "align", PD_LIT, "abc", 0, 0,
	  -EINVAL, -ENXIO, -ENXIO, false },
	{ "align 1 GiB, size 4 MiB", PD_A, "align", PD_LIT, "1073741824", 0, 0,
	  -EINVAL, -EINVAL, -EINVAL, false },
	{ "align while enabled", PD_B, "align", PD_LIT, "4096", 0, 0,
	  -EBUSY, -EBUSY, -EBUSY, false },
	{ "delete non-empty A", PD_A, "delete", PD_NAME, NULL, 0, 0,
	  -EBUSY, -EBUSY, -EBUSY, false },
	{ "delete enabled B", PD_B, "delete", PD_NAME, NULL, 0, 0,
	  -EBUSY, -EBUSY, -EBUSY, false },
	{ "delete no such name", PD_C, "delete", PD_NO_NAME, NULL, 0, 0,
	  -ENXIO, -ENXIO, -ENXIO, false },
	PD_RG("delete a region's name", "delete", "region0", -ENXIO, -ENXIO, -ENXIO),
	PD_RG("create 2", "create", "2", -EINVAL, -EINVAL, -EINVAL),
	PD_RG("create 0", "create", "0", -EINVAL, -EINVAL, -EINVAL),
	PD_RG("available_size (read-only)", "available_size", "1",
	      -EACCES, -EACCES, -EACCES),
};

/* an errno as its name, for the table */
static const char *pd_errname(int rc)
{
	static char other[16];

	switch (-rc) {
	case 0: return "0";
	case EINVAL: return "EINVAL";
	case ENOSPC: return "ENOSPC";
	case ERANGE: return "ERANGE";
	case EEXIST: return "EEXIST";
	case EBUSY: return "EBUSY";
	case ENXIO: return "ENXIO";
	case ENOMEM: return "ENOMEM";
	case ENODEV: return "ENODEV";
	case EACCES: return "EACCES";
	}
	snprintf(other, sizeof(other), "%d", rc);
	return other;
}

/* append the whole of @path to @buf */
static void pd_slurp(char *buf, size_t len, const char *path)
{
	size_t n = strlen(buf);
	ssize_t got;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return;
	while (n + 1 < len && (got = read(fd, buf + n, len - n - 1)) > 0)
		n += got;
	buf[n] = '\0';
	close(fd);
}

/* what a user sees of driver @d: region, instances, /proc/iomem */
static void pd_state(struct _test_data_drv *self, int d,
		     char inst[PD_NR_INST][32], char *buf, size_t len)
{
	const char *sys = PD_OPS(d)->sys;
	struct hm_pm_range r[HM_PM_MAX_RANGES];
	char pat[PATH_MAX];
	size_t n;
	int i, j, nr;
	glob_t g;

	n = snprintf(buf, len, "avail %lld\n",
		     hm_read_ll("%s/available_size", self->reg[d].dir));
	for (i = 0; i < PD_NR_INST && n < len; i++) {
		nr = pd_ranges(d, inst[i], r, HM_PM_MAX_RANGES);
		n += snprintf(buf + n, len - n, "%s size %lld align %lld ranges %d:",
			      inst[i], hm_read_ll("%s/%s/size", sys, inst[i]),
			      hm_read_ll("%s/%s/align", sys, inst[i]), nr);
		for (j = 0; j < nr && n < len; j++)
			n += snprintf(buf + n, len - n, " %llx-%llx", r[j].start, r[j].end);
		if (n < len)
			n += snprintf(buf + n, len - n, "\n");
	}
	if (d == PD_HM && n < len)
		hm_read_str(buf + n, len - n, HM_PM_CLS "/region0/map");
	/* the instances there are: none made, none deleted */
	n = strlen(buf);
	snprintf(pat, sizeof(pat), "%s/%s*", sys, self->reg[d].prefix);
	if (!glob(pat, 0, NULL, &g)) {
		for (i = 0; i < (int)g.gl_pathc && n < len; i++)
			n += snprintf(buf + n, len - n, "%s\n",
				      strrchr(g.gl_pathv[i], '/') + 1);
		globfree(&g);
	}
	pd_slurp(buf, len, "/proc/iomem");
}

/* build the value row @b writes to driver @d */
static void pd_value(struct _test_data_drv *self, int d, const struct pd_bad *b,
		     char inst[PD_NR_INST][32], char *v, size_t len)
{
	const char *name = inst[b->inst];
	__u64 s = b->kind == PD_PAST_END ? self->sr_start + self->sr_size :
		  self->reg[d].start + b->a;

	switch (b->kind) {
	case PD_LIT:
		snprintf(v, len, "%s", b->lit);
		break;
	case PD_PAST_END:
	case PD_RANGE:
		snprintf(v, len, "%llx-%llx", s, s + b->len - 1);
		break;
	case PD_AVAIL:
		snprintf(v, len, "%llu", hm_read_ll("%s/available_size",
						    self->reg[d].dir) + HM_SZ_2M);
		break;
	case PD_GROW:
		snprintf(v, len, "%llu", hm_read_ll("%s/%s/size", PD_OPS(d)->sys,
						    name) + HM_SZ_2M);
		break;
	case PD_NAME:
		snprintf(v, len, "%s", name);
		break;
	case PD_NO_NAME:
		snprintf(v, len, "%s99", self->reg[d].prefix);
		break;
	}
}

/* is @attr a file of the region rather than of an instance? */
static bool pd_region_attr(const char *attr)
{
	return !strcmp(attr, "delete") || !strcmp(attr, "create") ||
	       !strcmp(attr, "available_size");
}

/* A 4 MiB disabled, B 2 MiB enabled after it, C empty */
static int pd_bad_setup(struct _test_data_drv *self, int d,
			char inst[PD_NR_INST][32])
{
	int i;

	for (i = 0; i < PD_NR_INST; i++)
		if (pd_new(self, d, inst[i], sizeof(inst[i])))
			return -EIO;
	if (pd_set_size(d, inst[PD_A], 4 * PD_M) ||
	    pd_set_size(d, inst[PD_B], HM_SZ_2M))
		return -EIO;
	return PD_OPS(d)->enable(inst[PD_B]);
}

/*
 * Bad writes, each on both drivers, with the state a user sees compared
 * before and after.  The table shows both; the variant asserts its own
 * side: hotmem strict, device-dax as the running kernel behaves.  About
 * 2 s on a release kernel and up to 120 s on the debug kernel beside a
 * second VM (make check), against its default 180 s: a longer limit.
 */
TEST_F_TIMEOUT(drv, strict_errors, 90)
{
	static char before[PD_STATE_LEN], after[PD_STATE_LEN];
	char inst[PD_NR][PD_NR_INST][32], v[64], dax[24];
	int rc[PD_NR], changed[PD_NR];
	bool k61 = hm_kernel_version() < 612;
	const struct pd_bad *b;
	unsigned int i;
	int d, want;

	for (d = 0; d < PD_NR; d++)
		if (pd_has(self, d))
			ASSERT_EQ(0, pd_bad_setup(self, d, inst[d]))
				TH_LOG("%s", PD_OPS(d)->name);
	ksft_print_msg("%-26s | %-20s | %s\n", "input", "dax errno (changed?)",
		       "hotmem errno (changed?)");
	for (i = 0; i < ARRAY_SIZE(pd_bad); i++) {
		b = &pd_bad[i];
		for (d = 0; d < PD_NR; d++) {
			if (!pd_has(self, d))
				continue;
			pd_state(self, d, inst[d], before, sizeof(before));
			pd_value(self, d, b, inst[d], v, sizeof(v));
			if (pd_region_attr(b->attr))
				rc[d] = hm_write(v, "%s/%s", self->reg[d].dir, b->attr);
			else
				rc[d] = hm_write(v, "%s/%s/%s", PD_OPS(d)->sys,
						 inst[d][b->inst], b->attr);
			pd_state(self, d, inst[d], after, sizeof(after));
			changed[d] = strcmp(before, after) != 0;
		}
		snprintf(dax, sizeof(dax), "%-6s %s",
			 pd_has(self, PD_DAX) ? pd_errname(rc[PD_DAX]) : "-",
			 pd_has(self, PD_DAX) && changed[PD_DAX] ? "(changed)" : "");
		ksft_print_msg("%-26s | %-20s | %-6s %s\n", b->what, dax,
			       pd_errname(rc[PD_HM]), changed[PD_HM] ? "(changed)" : "");
		d = variant->which;
		want = d == PD_HM ? b->hm : k61 ? b->dax61 : b->dax612;
		EXPECT_EQ(want, rc[d]) TH_LOG("%s: %s", self->ops->name, b->what);
		EXPECT_EQ(d == PD_DAX && b->dax_changes, changed[d])
			TH_LOG("%s: %s", self->ops->name, b->what);
	}
}

TEST_HARNESS_MAIN
