// SPDX-License-Identifier: GPL-2.0
/*
 * Emulated device-memory platforms (hotmem_test_iomap's "platform" file,
 * vm.sh --profile reserved --test-build): one range reserved on the kernel
 * command line, 64 MiB into a section with System RAM on both sides, is
 * described as three regions that share a section with System RAM and
 * with each other, start and end mid memory block, have a hole between
 * them and name two NUMA nodes.  Each region is used by both modules:
 * as a dax region hot-added by hotmem_kmem through daxctl, and as a
 * hotmem_pagemap region mapped with its memmap on the device.  Errors in
 * a description leave nothing behind.  Rollback sweeps run the operations
 * that touch the shared sections with every call failed in turn.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "hotmem_util.h"
#include "sweep.h"

#define HTI	SWEEP_HTI
#define PLAT	HTI "platform"
#define CLS	HM_PM_CLS "/"
#define M	(1024ULL * 1024)
#define SECTION	(128 * M)
#define NR	3

/* the reservation vm.sh makes: 992 MiB, 64 MiB into a section */
#define ARENA_SIZE	(992 * M)

/* one region of the described platform: start from the reservation's, size, node */
static const struct topo {
	__u64 off;
	__u64 size;
	int node;
} topo[NR] = {
	/* System RAM before it in its first section; ends mid block */
	{ 0, 352 * M, 0 },
	/* starts in the section the first one ends in; ends mid block */
	{ 352 * M, 288 * M, 1 },
	/* after a 66 MiB hole; System RAM after it in its last section */
	{ 706 * M, 286 * M, 1 },
};

static __u64 arena;

/* Return: the top-level "Reserved" at or above 4 GiB below 1 TiB, or 0 */
static __u64 find_arena(__u64 *size)
{
	static struct hm_res res[HM_MAX_RES];
	int i, n = hm_iomem(res, HM_MAX_RES);

	for (i = 0; i < n; i++)
		if (!res[i].depth && !strcmp(res[i].name, "Reserved") &&
		    res[i].start >= (4ULL << 30) && res[i].end < (1ULL << 40)) {
			*size = res[i].end - res[i].start + 1;
			return res[i].start;
		}
	return 0;
}

/* the description, presented @as; one "add" line per region */
static void describe(char *buf, size_t len, const char *as)
{
	size_t n = 0;
	int i;

	for (i = 0; i < NR; i++)
		n += snprintf(buf + n, len - n, "add %#llx %#llx node=%d as=%s\n",
			      arena + topo[i].off, topo[i].size, topo[i].node, as);
}

/* Return: the name (daxN / regionN) the platform file gives region @i */
static int region_name(int i, char *name, size_t len)
{
	char out[512], *line = out, *next;
	int k;

	if (hm_read_str(out, sizeof(out), PLAT) < 0)
		return -1;
	for (k = 0; k < i; k++) {
		next = strchr(line, '\n');
		if (!next)
			return -1;
		line = next + 1;
	}
	next = strchr(line, '\n');
	if (next)
		*next = '\0';
	next = strrchr(line, ' ');
	if (!next)
		return -1;
	snprintf(name, len, "%s", next + 1);
	return 0;
}

/*
 * Back to: no region, nothing hot-added, the shim, hotmem_kmem as "kmem"
 * and hotmem_pagemap loaded.  Memory is unplugged, the dax devices are
 * unbound, instances disabled, then the platform cleared.  No id is left
 * in kmem's new_id list (daxctl leaves them): a region added later would
 * be hot-added the moment its device appears.
 */
#define CLEAN								\
	"/sbin/modprobe kmem; /sbin/modprobe hotmem_pagemap; "		\
	"for X in /sys/bus/dax/devices/dax1[0-9][0-9].*; do "		\
	"[ -e $X ] || continue; D=${X##*/}; "				\
	"[ -e $X/hotmem ] && echo 1 > $X/hotmem/unplug; "		\
	"echo 1 > $K/retry_unplug 2>/dev/null; "			\
	"[ -e $X/driver ] && echo $D > $X/driver/unbind; "		\
	"echo $D > $K/remove_id 2>/dev/null; done; "			\
	"for i in 0 1 2 3 4 5 6 7 8 9; do "				\
	"echo dax10$i.0 > $K/remove_id; done 2>/dev/null; "		\
	"for e in " CLS "pm*/enabled; do "				\
	"[ -e $e ] && echo 0 > $e; done; "				\
	"echo clear > $P && [ -z \"$(cat $P)\" ]"

static struct sweep_env env = {
	.clean = CLEAN,
	.snapshot =
		"cat /proc/iomem; grep MemTotal /proc/meminfo; cat $P; "
		"grep -E '^hotmem' /proc/modules | cut -d' ' -f1-3; "
		"ls /dev | grep -E '^(pm|dax)'; "
		"grep -H '' /sys/devices/system/memory/memory*/state; "
		SWEEP_FILES(CLS "*/* " HM_SYS_DAX "/*/hotmem/*"),
};

static int sh_r(const char *cmd)
{
	return sweep_sh(&env, cmd);
}

FIXTURE(pf) {
	char desc[512];
	char iomem[16384];
	char name[NR][32];
};

FIXTURE_SETUP(pf)
{
	__u64 size = 0;
	int nodes = 0;

	ASSERT_EQ(0, hm_sh(NULL, 0, "/sbin/modprobe hotmem_test_iomap"));
	ASSERT_TRUE(hm_exists(PLAT)) TH_LOG("not the test build: vm.sh --test-build");
	arena = find_arena(&size);
	ASSERT_NE(0, arena) TH_LOG("no reservation: vm.sh --profile reserved");
	ASSERT_EQ(64 * M, arena % SECTION);
	ASSERT_EQ(ARENA_SIZE, size);
	while (hm_exists("/sys/devices/system/node/node%d", nodes))
		nodes++;
	ASSERT_LE(2, nodes) TH_LOG("needs two nodes: vm.sh --numa 2");
	ASSERT_EQ(SECTION, hm_block_size());
	snprintf(env.vars, sizeof(env.vars),
		 "P=" PLAT "; K=/sys/bus/dax/drivers/kmem; ");
	ASSERT_EQ(0, sh_r(env.clean));
	ASSERT_EQ(0, hm_sh(NULL, 0, "grep -qw hotmem_kmem_test_watermark /proc/kallsyms"));
	ASSERT_EQ(0, hm_sh(self->iomem, sizeof(self->iomem), "cat /proc/iomem"));
}

FIXTURE_TEARDOWN(pf)
{
	sh_r(env.clean);
}

/* the regions are "Soft Reserved" inside the reservation, then gone */
TEST_F(pf, describe_and_clear)
{
	char out[16384], want[256];
	int i;

	describe(self->desc, sizeof(self->desc), "none");
	ASSERT_EQ(0, hm_write(self->desc, PLAT));
	for (i = 0; i < NR; i++) {
		snprintf(want, sizeof(want), "%llx-%llx : Soft Reserved",
			 arena + topo[i].off, arena + topo[i].off + topo[i].size - 1);
		EXPECT_EQ(0, hm_sh(out, sizeof(out),
				   "grep -B%d '^  %s$' /proc/iomem | head -1", i + 1, want));
		EXPECT_EQ(arena, strtoull(out, NULL, 16))
			TH_LOG("%s: not in the reservation", want);
		ASSERT_EQ(0, region_name(i, self->name[i], sizeof(self->name[i])));
		EXPECT_STREQ("-", self->name[i]);
	}
	ASSERT_EQ(0, hm_sh(out, sizeof(out), "cut -d' ' -f1,4,5 " PLAT));
	EXPECT_STREQ("100 0 none\n101 1 none\n102 1 none\n", out);
	ASSERT_EQ(0, hm_write("remove 101", PLAT));
	EXPECT_EQ(-ENOENT, hm_write("remove 101", PLAT));
	ASSERT_EQ(0, hm_write("clear", PLAT));
	ASSERT_EQ(0, hm_sh(out, sizeof(out), "cat /proc/iomem"));
	EXPECT_STREQ(self->iomem, out);
}

/* bad descriptions: a clear errno, and nothing of them is left */
TEST_F(pf, bad_input)
{
	static const struct {
		const char *fmt;	/* %llx: the reservation's start */
		long long off;
		int err;
	} bad[] = {
		{ "add %#llx 0x200000 as=dax\nadd %#llx 0x100000", 0, -EINVAL },
		{ "add %#llx 0x200000", 1 * M, -EINVAL },	/* misaligned */
		{ "add %#llx 0", 0, -EINVAL },
		{ "add %#llx 0x400000", -2 * (long long)M, -EBUSY },	/* straddles RAM */
		{ "add %#llx 0x200000", -64 * (long long)M, -EINVAL },	/* System RAM */
		{ "add %#llx 0x200000 node=9", 0, -EINVAL },
		{ "add %#llx 0x200000 as=cxl", 0, -EINVAL },
		{ "add %#llx 0x200000 size=2", 0, -EINVAL },
		{ "add %#llx", 0, -EINVAL },
		{ "remove 99 %#llx", 0, -EINVAL },
		{ "frob %#llx", 0, -EINVAL },
	};
	char cmd[128], out[16384];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(cmd, sizeof(cmd), bad[i].fmt, arena + bad[i].off,
			 arena + 2 * M);
		EXPECT_EQ(bad[i].err, hm_write(cmd, PLAT)) TH_LOG("'%s'", cmd);
		ASSERT_EQ(0, hm_sh(out, sizeof(out), "cat /proc/iomem " PLAT));
		EXPECT_STREQ(self->iomem, out) TH_LOG("'%s' left something", cmd);
	}
	EXPECT_EQ(-ENOENT, hm_write("remove 99", PLAT));
	/* overlapping a region */
	snprintf(cmd, sizeof(cmd), "add %#llx 0x400000", arena + 2 * M);
	ASSERT_EQ(0, hm_write(cmd, PLAT));
	snprintf(cmd, sizeof(cmd), "add %#llx 0x400000", arena);
	EXPECT_EQ(-EBUSY, hm_write(cmd, PLAT));
	EXPECT_EQ(0, hm_write("clear", PLAT));
	/* the pagemap presentation refuses a node it cannot have */
	snprintf(cmd, sizeof(cmd), "add %#llx 0x200000 node=-2", arena);
	EXPECT_EQ(-EINVAL, hm_write(cmd, PLAT));
	ASSERT_EQ(0, hm_sh(out, sizeof(out), "cat /proc/iomem " PLAT));
	EXPECT_STREQ(self->iomem, out);
}

/*
 * As dax regions: each device has its region's size and target node and
 * daxctl hot-adds it through hotmem_kmem, which adds exactly the memory
 * blocks wholly inside the region, on its node, and strands the rest.
 */
TEST_F_TIMEOUT(pf, dax_kmem, 120)
{
	__u64 bs = SECTION, s, e, b, first, end, added = 0;
	char out[16384], want[256], dev[40];
	long long mt0 = hm_meminfo_kb("MemTotal");
	int i, nb0, nb1, on;

	nb0 = hm_memblocks(&on);
	describe(self->desc, sizeof(self->desc), "dax");
	ASSERT_EQ(0, hm_write(self->desc, PLAT));
	for (i = 0; i < NR; i++) {
		s = arena + topo[i].off;
		e = s + topo[i].size;
		first = (s + bs - 1) / bs * bs;
		end = e / bs * bs;
		ASSERT_EQ(0, region_name(i, self->name[i], sizeof(self->name[i])));
		snprintf(dev, sizeof(dev), "%s.0", self->name[i]);
		EXPECT_EQ(topo[i].size, hm_read_ll(HM_SYS_DAX "/%s/size", dev));
		EXPECT_EQ(topo[i].node, hm_read_ll(HM_SYS_DAX "/%s/target_node", dev));
		ASSERT_EQ(0, hm_sh(out, sizeof(out),
				   "daxctl reconfigure-device -N -m system-ram %s", dev))
			TH_LOG("%s", out);
		snprintf(want, sizeof(want), "memory%llu-memory%llu %#llx-%#llx offline - device",
			 first / bs, end / bs - 1, first, end - 1);
		ASSERT_LT(0, hm_read_str(out, sizeof(out), HM_SYS_DAX "/%s/hotmem/blocks", dev));
		EXPECT_STREQ(want, out);
		EXPECT_EQ(topo[i].size - (end - first),
			  hm_read_ll(HM_SYS_DAX "/%s/hotmem/stranded_bytes", dev));
		EXPECT_TRUE(hm_exists("/sys/devices/system/node/node%d/memory%llu",
				      topo[i].node, first / bs));
		/* one resource per block, hot-added one at a time */
		for (b = first; b < end; b += bs)
			EXPECT_EQ(0, hm_sh(NULL, 0,
					   "grep -q '^ *%llx-%llx : System RAM (hotmem)$' /proc/iomem",
					   b, b + bs - 1));
		ASSERT_EQ(0, hm_sh(NULL, 0, "daxctl online-memory %s", dev));
		added += end - first;
	}
	nb1 = hm_memblocks(&on);
	EXPECT_EQ(4, nb1 - nb0);
	/* 4 blocks; 2 MiB of memmap each on the device */
	EXPECT_EQ((long long)(added - 4 * 2 * M) / 1024, hm_meminfo_kb("MemTotal") - mt0);
	/* no region goes while it is System RAM */
	EXPECT_EQ(-EBUSY, hm_write("clear", PLAT));
	/*
	 * Not "daxctl offline-memory": it takes every block that starts
	 * inside the device for the device's, and for the last region that
	 * is the boot memory block it shares a section with.
	 */
	for (i = 0; i < NR; i++)
		ASSERT_EQ(0, hm_sh(out, sizeof(out), "D=%s.0; "
				   "echo 1 > " HM_SYS_DAX "/$D/hotmem/unplug || exit 1; "
				   "echo $D > /sys/bus/dax/drivers/kmem/unbind",
				   self->name[i])) TH_LOG("%s", out);
	EXPECT_EQ(nb0, hm_memblocks(&on));
	EXPECT_EQ(mt0, hm_meminfo_kb("MemTotal"));
	ASSERT_EQ(0, hm_write("clear", PLAT));
	ASSERT_EQ(0, hm_sh(out, sizeof(out), "cat /proc/iomem"));
	EXPECT_STREQ(self->iomem, out);
}

/* the map line of section @addr of region @r: 64 sub-sections */
static int map_line(const char *r, __u64 addr, char *line, size_t len)
{
	return hm_sh(line, len, "grep '^%#018llx: ' " CLS "%s/map | cut -d' ' -f2", addr, r);
}

/* @a times @ca, then @b times @cb, then a newline */
static char *runs(char *buf, int a, char ca, int b, char cb)
{
	memset(buf, ca, a);
	memset(buf + a, cb, b);
	buf[a + b] = '\n';
	buf[a + b + 1] = '\0';
	return buf;
}

/*
 * As hotmem_pagemap regions: one instance over each whole region, its
 * memmap on the device, holds the bytes written through its mapping; the
 * maps show System RAM and the neighbour in the shared sections (the
 * first instance of a region is 'A').
 */
TEST_F(pf, pagemap_map)
{
	char out[16384], want[80], inst[NR][32];
	__u64 s, whole, usable[NR];
	int i, id;

	describe(self->desc, sizeof(self->desc), "pagemap");
	ASSERT_EQ(0, hm_write(self->desc, PLAT));
	for (i = 0; i < NR; i++) {
		ASSERT_EQ(0, region_name(i, self->name[i], sizeof(self->name[i])));
		ASSERT_EQ(0, strncmp(self->name[i], "region", 6));
		id = atoi(self->name[i] + 6);
		snprintf(inst[i], sizeof(inst[i]), "pm%d.0", id);
		EXPECT_EQ(arena + topo[i].off, (__u64)hm_read_ll(CLS "%s/start", self->name[i]));
		EXPECT_EQ(topo[i].node, hm_read_ll(CLS "%s/target_node", inst[i]));
		snprintf(want, sizeof(want), "%llu", topo[i].size);
		ASSERT_EQ(0, hm_write(want, CLS "%s/size", inst[i]));
		ASSERT_EQ(0, hm_write("dev", CLS "%s/memmap", inst[i]));
		ASSERT_EQ(0, hm_write("1", CLS "%s/enabled", inst[i]));
		/* the memmap of its whole sections is on it; the rest maps */
		s = arena + topo[i].off;
		whole = ((s + topo[i].size) / SECTION) - (s + SECTION - 1) / SECTION;
		usable[i] = topo[i].size - whole * 2 * M;
		ASSERT_EQ(0, hm_dax_fill(inst[i], usable[i], 7 + i));
	}
	for (i = 0; i < NR; i++)
		EXPECT_EQ(0, hm_dax_verify(inst[i], usable[i], 7 + i));
	/* its first section: 32 sub-sections of System RAM, then region 0 */
	ASSERT_EQ(0, map_line(self->name[0], arena - 64 * M, out, sizeof(out)));
	EXPECT_STREQ(runs(want, 32, 'R', 32, 'A'), out);
	/* the section region 0 ends in and region 1 starts in, from both */
	ASSERT_EQ(0, map_line(self->name[0], arena + 320 * M, out, sizeof(out)));
	EXPECT_STREQ(runs(want, 16, 'A', 48, 'o'), out);
	ASSERT_EQ(0, map_line(self->name[1], arena + 320 * M, out, sizeof(out)));
	EXPECT_STREQ(runs(want, 16, 'o', 48, 'A'), out);
	/* the hole before region 2 is nothing */
	ASSERT_EQ(0, map_line(self->name[2], arena + 704 * M, out, sizeof(out)));
	EXPECT_STREQ(runs(want, 1, '-', 63, 'A'), out);
	/* region 2's last section: 16 of it, then System RAM */
	ASSERT_EQ(0, map_line(self->name[2], arena + 960 * M, out, sizeof(out)));
	EXPECT_STREQ(runs(want, 16, 'A', 48, 'R'), out);
	for (i = 0; i < NR; i++)
		EXPECT_EQ(0, hm_write("0", CLS "%s/enabled", inst[i]));
	ASSERT_EQ(0, hm_write("clear", PLAT));
	ASSERT_EQ(0, hm_sh(out, sizeof(out), "cat /proc/iomem"));
	EXPECT_STREQ(self->iomem, out);
	EXPECT_FALSE(hm_exists(CLS "%s", self->name[0]));
}

/*
 * The sweeps: the platform's pagemap presentation (hotmem_region_add), an
 * enable with the memmap on the device in the section shared with System
 * RAM, and hotmem_kmem's hot-add of the regions that start mid block (one
 * ends in a section of System RAM).
 */
#define TOPO(as)	"printf 'add %s %s node=%s as=" as "\\n' " \
			"$R0 $S0 0 $R1 $S1 1 $R2 $S2 1 > $P"
#define PM0		"$(sed -n '1s/.*region//p' $P)"
#define UNBOUND(d)	"{ X=" HM_SYS_DAX "/" d "; " \
			"[ ! -e $X/driver ] || echo ${X##*/} > $X/driver/unbind; }"
#define ADD(d)		"X=" HM_SYS_DAX "/" d "; " \
			"echo ${X##*/} > $K/new_id 2>/dev/null; [ -e $X/hotmem ]"

static const struct sweep_op ops[] = {
	{ "platform add, as pagemap", "true", TOPO("pagemap"), NULL, false },
	{ "enable dev, shared sections",
	  TOPO("pagemap") " || exit 1; I=" CLS "pm" PM0 ".0; "
	  "echo $S0 > $I/size && echo dev > $I/memmap",
	  "echo 1 > " CLS "pm" PM0 ".0/enabled", NULL, false },
	/* unbound, then bound to hotmem_kmem through new_id, as daxctl does */
	{ "hot-add, starts and ends mid block", TOPO("dax") " && " UNBOUND("dax101.0"),
	  ADD("dax101.0"), NULL, false },
	{ "hot-add, System RAM after it", TOPO("dax") " && " UNBOUND("dax102.0"),
	  ADD("dax102.0"), NULL, false },
};

static void sweep_vars(void)
{
	int n = strlen(env.vars), i;

	for (i = 0; i < NR; i++)
		n += snprintf(env.vars + n, sizeof(env.vars) - n, "R%d=%llu; S%d=%llu; ",
			      i, arena + topo[i].off, i, topo[i].size);
}

TEST_F_TIMEOUT(pf, sweep_platform_pagemap, 300)
{
	sweep_vars();
	EXPECT_EQ(0, sweep_op(&env, &ops[0]));
}

TEST_F_TIMEOUT(pf, sweep_enable_shared_sections, 300)
{
	sweep_vars();
	EXPECT_EQ(0, sweep_op(&env, &ops[1]));
}

TEST_F_TIMEOUT(pf, sweep_hot_add_mid_block, 300)
{
	sweep_vars();
	EXPECT_EQ(0, sweep_op(&env, &ops[2]));
}

TEST_F_TIMEOUT(pf, sweep_hot_add_ram_after, 300)
{
	sweep_vars();
	EXPECT_EQ(0, sweep_op(&env, &ops[3]));
}

TEST_F(pf, zz_coverage)
{
	EXPECT_EQ(0, sweep_coverage_report(ARRAY_SIZE(ops)));
}

TEST_HARNESS_MAIN
