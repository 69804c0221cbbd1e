// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzzer of hotmem_pagemap: a seeded random walk of every operation a
 * user has (the "regions" parameter at load and at run time, create,
 * delete, size, mapping, align, memmap, type, enabled, evict, lists of
 * instances to disable at once, the expedite_rcu parameter, regions handed over and taken back
 * through the exported API, mmap and touch of /dev/pmR.I, and the
 * migration ioctls of coherent and private instances on a buffer of the
 * walk's own anonymous memory), with inputs drawn from the README's
 * grammar and spoiled on purpose.  After every step the test's model
 * says what the kernel must show: the errno, the pages an ioctl reports
 * done, every region and instance attribute, the sub-section map, the
 * mappingN directories, /proc/iomem, the bytes read back through every
 * mapping and the physical page behind them, where each page of the
 * buffer lives and what it holds, and a clean kernel log.
 * HOTMEM_FUZZ_SECONDS, _SEED, _CASE, _STEPS steer it (make fuzz).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <hotmem/pagemap.h>

#include "kselftest_harness.h"
#include "hotmem_util.h"
#include "fuzz.h"

#define CLS		HM_PM_CLS "/"
#define PARAM		"/sys/module/hotmem_pagemap/parameters/regions"
#define EXPEDITE	"/sys/module/hotmem_pagemap/parameters/expedite_rcu"
#define M		(1024ULL * 1024)
#define G		(1024 * M)
#define SUB		(2 * M)
#define SECTION		(128 * M)

#define PM_REGIONS	40	/* region slots of the model */
#define PM_BUSY_SLOTS	20	/* no new regions asked for past this many */
#define PM_IDS		24	/* instance ids per region the walk may use */
#define PM_RANGES	64	/* HPM_MAX_RANGES */
#define PM_SUBS		1024	/* sub-sections of the largest region (2 GiB) */
#define PM_HELD		4	/* mappings the walk keeps open across steps */
#define PM_SPECS	16	/* HPM_MAX_SPECS */
#define PM_MIG		64	/* pages of the walk's buffer for migration */
#define PG		4096ULL
#define PM_SYSFS_PAGE	4096	/* what sysfs hands a store at most */
#define PM_LIST		12	/* names of a regionN/disable list, mostly */

/* an instance's type file */
enum pm_type { PM_GENERIC, PM_COHERENT, PM_PRIVATE, PM_NTYPES };

static const char *const pm_type_names[PM_NTYPES] = {
	"generic", "coherent", "private",
};

/* a migrate op's i1: its direction and how it is spoiled */
#define PM_MIG_TO_DEV	0x1
#define PM_MIG_FLAGS	0x2	/* flags not 0 */
#define PM_MIG_UNALIGN	0x4	/* addr one byte into a page */
#define PM_MIG_SHARED	0x8	/* the range runs into a shared mapping */
#define PM_MIG_BADCMD	0x10	/* an ioctl number of nobody's */

enum pm_code {
	PM_REGIONS_WRITE, PM_LOAD, PM_CREATE, PM_DELETE, PM_SIZE, PM_MAPPING,
	PM_ALIGN, PM_MEMMAP, PM_ENABLED, PM_MAP, PM_UNMAP, PM_API_ADD,
	PM_API_REMOVE, PM_TYPE, PM_EVICT, PM_MIGRATE, PM_DISABLE, PM_EXPEDITE,
	PM_NR
};

static const char *const pm_names[PM_NR] = {
	"regions", "load", "create", "delete", "size", "mapping", "align",
	"memmap", "enabled", "map", "unmap", "api_add", "api_remove", "type",
	"evict", "migrate", "disable", "expedite_rcu",
};

struct pm_range {
	__u64 start;
	__u64 len;
};

struct pm_inst {
	bool live;
	unsigned long order;
	__u64 align;
	bool memmap_dev;
	int type;		/* enum pm_type */
	bool enabled;
	int users;
	int nr;
	struct pm_range r[PM_RANGES];
};

struct pm_region {
	bool live;		/* listed, in sysfs and /proc/iomem */
	bool held;		/* removed, its id kept by a file still mapped */
	int id;
	__u64 start;
	__u64 size;
	bool api;		/* the example client's */
	unsigned long listed;	/* its place in the regions list */
	unsigned long next_order;
	int youngest;
	struct pm_inst inst[PM_IDS];
	unsigned short owner[PM_SUBS];
};

struct pm_held {
	bool used;
	char *addr;
	size_t len;
	int slot;		/* region slot */
	int id;			/* instance id */
	__u64 off;		/* file offset */
	bool revoked;
};

static struct {
	bool loaded;
	bool normal_rcu;	/* expedite_rcu is N (a load makes it Y) */
	bool example;		/* hotmem_pagemap_example loaded */
	__u64 sr_start, sr_size;	/* Soft Reserved */
	__u64 pm_start, pm_size;	/* legacy pmem, owned by a namespace */
	struct pm_range ram[16];	/* System RAM */
	int nr_ram;
	struct pm_region reg[PM_REGIONS];
	unsigned long listed;
	struct pm_held held[PM_HELD];
	__u64 tags;		/* the case's pattern seed */
	/* the generator's plan: build an instance of 64 ranges, then grow it */
	int frag_slot, frag_id, frag_left;
	bool frag_grow;
	bool has_private;	/* the kernel has CONFIG_DEVICE_PRIVATE */
	/*
	 * The buffer the migration ioctls move: PM_MIG pages of anonymous
	 * private memory, then a shared page (not movable); where each page
	 * is: 0 in RAM, else 1 + slot * PM_IDS + instance id.
	 */
	char *mig;
	int mig_at[PM_MIG];
} pm;

static unsigned long pm_count[PM_NR];

static int pm_pagesize_fd = -1;

/* ---- the model ---- */

static __u64 pm_unit(const struct pm_inst *in)
{
	return in->align > SUB ? in->align : SUB;
}

static __u64 pm_size_of(const struct pm_inst *in)
{
	__u64 s = 0;
	int i;

	for (i = 0; i < in->nr; i++)
		s += in->r[i].len;
	return s;
}

static int pm_nsubs(const struct pm_region *R)
{
	return R->size / SUB;
}

static __u64 pm_free_subs(const struct pm_region *R)
{
	__u64 n = 0;
	int i;

	for (i = 0; i < pm_nsubs(R); i++)
		n += !R->owner[i];
	return n;
}

/* bytes of struct pages a "dev" range keeps: 2 MiB per whole section */
static __u64 pm_reserved(const struct pm_inst *in, int i)
{
	__u64 first, last;

	if (!in->memmap_dev)
		return 0;
	first = (in->r[i].start + SECTION - 1) & ~(SECTION - 1);
	last = (in->r[i].start + in->r[i].len) & ~(SECTION - 1);
	return last > first ? (last - first) / SECTION * SUB : 0;
}

static __u64 pm_usable(const struct pm_inst *in)
{
	__u64 s = 0;
	int i;

	for (i = 0; i < in->nr; i++)
		s += in->r[i].len - pm_reserved(in, i);
	return s;
}

/* the physical address behind file offset @off of an enabled instance */
static __u64 pm_phys(const struct pm_inst *in, __u64 off)
{
	__u64 u;
	int i;

	for (i = 0; i < in->nr; i++) {
		u = in->r[i].len - pm_reserved(in, i);
		if (off < u)
			return in->r[i].start + pm_reserved(in, i) + off;
		off -= u;
	}
	return 0;
}

/* the mig_at value of instance @id of region slot @s */
static int pm_mig_tag(int s, int id)
{
	return 1 + s * PM_IDS + id;
}

/* pages of the buffer that instance @id of slot @s holds */
static int pm_mig_count(int s, int id)
{
	int i, n = 0;

	for (i = 0; i < PM_MIG; i++)
		n += pm.mig_at[i] == pm_mig_tag(s, id);
	return n;
}

/*
 * every page of the buffer that instance @id (-1: any) of slot @s holds
 * goes back to RAM: evict, or the instance's region going
 */
static void pm_mig_evict(int s, int id)
{
	int i;

	for (i = 0; i < PM_MIG; i++)
		if (pm.mig_at[i] && (pm.mig_at[i] - 1) / PM_IDS == s &&
		    (id < 0 || (pm.mig_at[i] - 1) % PM_IDS == id))
			pm.mig_at[i] = 0;
}

static void pm_append(struct pm_inst *in, __u64 start, __u64 len)
{
	struct pm_range *last = in->nr ? &in->r[in->nr - 1] : NULL;

	if (last && last->start + last->len == start) {
		last->len += len;
		return;
	}
	in->r[in->nr].start = start;
	in->r[in->nr].len = len;
	in->nr++;
}

/* is the aligned unit at sub-section @i wholly free */
static bool pm_unit_free(const struct pm_region *R, int i, int subs)
{
	int j;

	if (i + subs > pm_nsubs(R))
		return false;
	for (j = i; j < i + subs; j++)
		if (R->owner[j])
			return false;
	return true;
}

/*
 * Grow @in by @by bytes: whole aligned units that are free, lowest
 * address first; each run of adjacent units is one new range.  The
 * README: -ENOSPC when there is no room or it would take more ranges
 * than are left.
 */
static int pm_grow(struct pm_region *R, int id, __u64 by)
{
	struct pm_inst *in = &R->inst[id];
	__u64 unit = pm_unit(in), a;
	__u64 need = by / unit, got = 0;
	int subs = unit / SUB, i, first, pieces = 0, prev_end = -1;

	if (in->nr == PM_RANGES)
		return -ENOSPC;
	/* the first sub-section of the region on an @unit boundary */
	a = (R->start + unit - 1) & ~(unit - 1);
	first = (a - R->start) / SUB;
	for (i = first; got < need && i < pm_nsubs(R); i += subs) {
		if (!pm_unit_free(R, i, subs))
			continue;
		if (i != prev_end)
			pieces++;
		prev_end = i + subs;
		got++;
	}
	if (got < need || pieces > PM_RANGES - in->nr)
		return -ENOSPC;
	got = 0;
	for (i = first; got < need; i += subs) {
		if (!pm_unit_free(R, i, subs))
			continue;
		for (int j = i; j < i + subs; j++)
			R->owner[j] = id + 1;
		pm_append(in, R->start + (__u64)i * SUB, unit);
		got++;
	}
	return 0;
}

static void pm_shrink(struct pm_region *R, int id, __u64 by)
{
	struct pm_inst *in = &R->inst[id];
	struct pm_range *last;
	__u64 cut, a;

	while (by) {
		last = &in->r[in->nr - 1];
		cut = by < last->len ? by : last->len;
		for (a = last->start + last->len - cut; a < last->start + last->len; a += SUB)
			R->owner[(a - R->start) / SUB] = 0;
		last->len -= cut;
		by -= cut;
		if (!last->len)
			in->nr--;
	}
}

static int pm_seed(const struct pm_region *R)
{
	unsigned long best = ~0UL;
	int id, seed = -1;

	for (id = 0; id < PM_IDS; id++)
		if (R->inst[id].live && !R->inst[id].nr && R->inst[id].order < best) {
			best = R->inst[id].order;
			seed = id;
		}
	return seed;
}

static int pm_new_inst(struct pm_region *R)
{
	int id;

	for (id = 0; id < PM_IDS && R->inst[id].live; id++)
		;
	if (id == PM_IDS)
		return -1;
	memset(&R->inst[id], 0, sizeof(R->inst[id]));
	R->inst[id].live = true;
	R->inst[id].order = R->next_order++;
	R->inst[id].align = SUB;
	R->youngest = id;
	return id;
}

static bool pm_overlap(__u64 s1, __u64 z1, __u64 s2, __u64 z2)
{
	return s1 < s2 + z2 && s2 < s1 + z1;
}

/* hpm_region_check(), from the README: device memory, aligned, no RAM */
static int pm_region_check(__u64 start, __u64 size)
{
	int i;

	if (!size || start % SUB || size % SUB || start + size < start)
		return -EINVAL;
	for (i = 0; i < pm.nr_ram; i++)
		if (pm_overlap(start, size, pm.ram[i].start, pm.ram[i].len))
			return -EINVAL;
	if (!((start >= pm.sr_start && start + size <= pm.sr_start + pm.sr_size) ||
	      (pm.pm_size && start >= pm.pm_start &&
	       start + size <= pm.pm_start + pm.pm_size)))
		return -EINVAL;
	for (i = 0; i < PM_REGIONS; i++)
		if (pm.reg[i].live &&
		    pm_overlap(start, size, pm.reg[i].start, pm.reg[i].size))
			return -EEXIST;
	return 0;
}

/* owned by someone: the pmem namespace holds all of legacy pmem */
static bool pm_owned(__u64 start, __u64 size)
{
	return pm.pm_size && pm_overlap(start, size, pm.pm_start, pm.pm_size);
}

static int pm_region_id_free(void)
{
	int id, i;

	for (id = 0; ; id++) {
		for (i = 0; i < PM_REGIONS; i++)
			if ((pm.reg[i].live || pm.reg[i].held) && pm.reg[i].id == id)
				break;
		if (i == PM_REGIONS)
			return id;
	}
}

static int pm_region_new(__u64 start, __u64 size, bool api)
{
	struct pm_region *R;
	int s;

	for (s = 0; s < PM_REGIONS && (pm.reg[s].live || pm.reg[s].held); s++)
		;
	if (s == PM_REGIONS)
		return -1;
	R = &pm.reg[s];
	memset(R, 0, sizeof(*R));
	R->id = pm_region_id_free();
	R->live = true;
	R->start = start;
	R->size = size;
	R->api = api;
	R->listed = pm.listed++;
	pm_new_inst(R);
	return s;
}

static void pm_region_gone(int s)
{
	int h;

	/* its coherent and private instances were evicted */
	pm_mig_evict(s, -1);
	pm.reg[s].live = false;
	for (h = 0; h < PM_HELD; h++)
		if (pm.held[h].used && pm.held[h].slot == s) {
			pm.held[h].revoked = true;
			pm.reg[s].held = true;
		}
	if (pm.example && pm.reg[s].api)
		pm.example = false;
}

static int pm_slot_of(int id)
{
	int s;

	for (s = 0; s < PM_REGIONS; s++)
		if (pm.reg[s].live && pm.reg[s].id == id)
			return s;
	return -1;
}

/* the id of the live instance of @R named by @n bytes at @name, or -1 */
static int pm_name_id(const struct pm_region *R, const char *name, size_t n)
{
	char want[32];
	int id;

	for (id = 0; id < PM_IDS; id++) {
		snprintf(want, sizeof(want), "pm%d.%d", R->id, id);
		if (R->inst[id].live && strlen(want) == n && !memcmp(want, name, n))
			return id;
	}
	return -1;
}

/* ---- the "regions" grammar ---- */

struct pm_spec {
	__u64 start;
	__u64 size;
};

/* what a regions value claims: 0 and the specs, or the errno */
static int pm_oracle_regions(const char *val, size_t len, struct pm_spec *sp,
			     int *nr)
{
	size_t i, end;
	const char *colon;
	int rc;

	rc = fz_oracle_value(val, len, &len);
	if (rc)
		return rc;
	*nr = 0;
	for (i = 0; ; i = end + 1) {
		for (end = i; end < len && val[end] != ','; end++)
			;
		if (*nr == PM_SPECS)
			return -EINVAL;
		colon = memchr(val + i, ':', end - i);
		if (!colon)
			return -EINVAL;
		rc = fz_oracle_num(val + i, colon - (val + i), FZ_DEC_OR_HEX,
				   &sp[*nr].start);
		if (!rc)
			rc = fz_oracle_num(colon + 1, val + end - colon - 1,
					   FZ_DEC_OR_HEX, &sp[*nr].size);
		if (rc)
			return rc;
		(*nr)++;
		if (end == len)
			return 0;
	}
}

/* the errno of claiming @sp, all or nothing, and the claim itself */
static int pm_claim(const struct pm_spec *sp, int nr, bool apply)
{
	int i, j, rc;

	for (i = 0; i < nr; i++) {
		rc = pm_region_check(sp[i].start, sp[i].size);
		if (rc)
			return rc;
		for (j = 0; j < i; j++)
			if (pm_overlap(sp[i].start, sp[i].size, sp[j].start, sp[j].size))
				return -EEXIST;
	}
	for (i = 0; i < nr; i++)
		if (pm_owned(sp[i].start, sp[i].size))
			return -EBUSY;
	for (i = 0; apply && i < nr; i++)
		pm_region_new(sp[i].start, sp[i].size, false);
	return 0;
}

/* ---- the kernel side of the steps ---- */

static sigjmp_buf pm_jmp;

static void pm_sigbus(int sig)
{
	siglongjmp(pm_jmp, 1);
}

/* read a word, 1 if it faulted with SIGBUS */
static int pm_probe(__u64 *p, __u64 *val)
{
	struct sigaction sa = { .sa_handler = pm_sigbus }, old;
	int bus = 0;

	sigaction(SIGBUS, &sa, &old);
	if (sigsetjmp(pm_jmp, 1))
		bus = 1;
	else
		*val = __atomic_load_n(p, __ATOMIC_RELAXED);
	sigaction(SIGBUS, &old, NULL);
	return bus;
}

/*
 * The word every mapping writes at a physical address: the same for all
 * mappings of that memory, so overlapping ones agree.  Where a page lives
 * is checked apart (pm_pfn_of()).
 */
static __u64 pm_pattern(__u64 phys)
{
	return fz_mix(pm.tags, phys);
}

/* the physical address of a mapped page (as root), 0 if not present */
static __u64 pm_pfn_of(const void *addr)
{
	__u64 e = 0;

	if (pm_pagesize_fd < 0)
		pm_pagesize_fd = open("/proc/self/pagemap", O_RDONLY);
	if (pread(pm_pagesize_fd, &e, 8, (unsigned long)addr / 4096 * 8) != 8)
		return 0;
	return (e >> 63) ? (e & ((1ULL << 55) - 1)) * 4096 : 0;
}

/* the pages of a mapping the walk touches: all of a small one, else 64 */
static __u64 pm_stride(size_t len)
{
	__u64 s = len / 64;

	return s < 4096 ? 4096 : s & ~4095ULL;
}

/*
 * Fill @len bytes at @addr (file offset @off of instance @in) with the
 * pattern of @tag, read it back and check where each touched page lives.
 */
static int pm_touch(const struct pm_inst *in, char *addr, size_t len, __u64 off,
		    char *why, size_t wlen)
{
	__u64 o, got, phys, st = pm_stride(len);

	for (o = 0; o < len; o += st)
		__atomic_store_n((__u64 *)(addr + o), pm_pattern(pm_phys(in, off + o)),
				 __ATOMIC_RELAXED);
	for (o = 0; o < len; o += st) {
		got = __atomic_load_n((__u64 *)(addr + o), __ATOMIC_RELAXED);
		if (got != pm_pattern(pm_phys(in, off + o))) {
			snprintf(why, wlen, "read back %#llx at offset %#llx, wrote %#llx",
				 got, off + o, pm_pattern(pm_phys(in, off + o)));
			return -1;
		}
		phys = pm_pfn_of(addr + o);
		if (phys != pm_phys(in, off + o)) {
			snprintf(why, wlen, "offset %#llx is at %#llx, not %#llx",
				 off + o, phys, pm_phys(in, off + o));
			return -1;
		}
	}
	return 0;
}

static int pm_expect(int want, int got, const struct fz_op *op, char *why,
		     size_t len)
{
	char in[200];

	if (want == got)
		return 0;
	fz_quote(op->buf, op->len, in, sizeof(in));
	snprintf(why, len, "%s %s <- %s: %s, the model says %s", pm_names[op->code],
		 op->path, in, fz_errname(got), fz_errname(want));
	return -1;
}

/* the instance a path names: its region slot and id */
static struct pm_inst *pm_inst_of(const char *path, int *slot, int *id)
{
	int r, i, s;

	if (sscanf(path, CLS "pm%d.%d", &r, &i) != 2 &&
	    sscanf(path, "/dev/pm%d.%d", &r, &i) != 2)
		return NULL;
	s = pm_slot_of(r);
	if (s < 0 || i < 0 || i >= PM_IDS || !pm.reg[s].inst[i].live)
		return NULL;
	*slot = s;
	*id = i;
	return &pm.reg[s].inst[i];
}

/* An attribute store of an instance, predicted on a copy of its region. */
static int pm_step_attr(const struct fz_op *op, char *why, size_t len)
{
	static struct pm_region tmp;
	bool b, evict = false;
	struct pm_inst *in;
	__u64 v, s, e, cur;
	int slot, id, want, got, i;

	in = pm_inst_of(op->path, &slot, &id);
	got = fz_write(op->path, op->buf, op->len);
	if (!in || !pm.loaded)
		return pm_expect(-ENOENT, got, op, why, len);
	tmp = pm.reg[slot];
	in = &tmp.inst[id];
	want = 0;
	if (!op->len)
		goto out;
	switch (op->code) {
	case PM_SIZE:
		want = fz_oracle_u64(op->buf, op->len, &v);
		cur = pm_size_of(in);
		if (want)
			break;
		if (v % pm_unit(in))
			want = -EINVAL;
		else if (in->enabled && v != cur)
			want = -EBUSY;
		else if (v > cur)
			want = pm_grow(&tmp, id, v - cur);
		else if (v < cur)
			pm_shrink(&tmp, id, cur - v);
		break;
	case PM_MAPPING:
		want = fz_oracle_range(op->buf, op->len, &s, &e);
		if (want)
			break;
		v = pm_unit(in);
		if (in->enabled)
			want = -EBUSY;
		else if (s % v || (e - s + 1) % v || e + 1 == 0)
			want = -EINVAL;
		else if (in->nr == PM_RANGES)
			want = -ENOSPC;
		else if (s < tmp.start || s + (e - s + 1) > tmp.start + tmp.size ||
			 e + 1 < s)
			want = -EINVAL;
		for (v = s; !want && v <= e; v += SUB)
			if (tmp.owner[(v - tmp.start) / SUB])
				want = -EEXIST;
		if (want)
			break;
		for (v = s; v <= e; v += SUB)
			tmp.owner[(v - tmp.start) / SUB] = id + 1;
		pm_append(in, s, e - s + 1);
		break;
	case PM_ALIGN:
		want = fz_oracle_u64(op->buf, op->len, &v);
		if (want)
			break;
		if (v != 4096 && v != SUB && v != G)
			want = -EINVAL;
		else if (in->enabled && v != in->align)
			want = -EBUSY;
		for (i = 0; !want && i < in->nr; i++)
			if ((in->r[i].start | in->r[i].len) % (v > SUB ? v : SUB))
				want = -EINVAL;
		if (!want)
			in->align = v;
		break;
	case PM_MEMMAP:
		b = fz_oracle_word(op->buf, op->len, "dev");
		if (!b && !fz_oracle_word(op->buf, op->len, "ram"))
			want = -EINVAL;
		else if (in->enabled && in->memmap_dev != b)
			want = -EBUSY;
		else if (b && in->type == PM_PRIVATE)
			want = -EINVAL;	/* the kernel gives it no altmap */
		else
			in->memmap_dev = b;
		break;
	case PM_TYPE:
		for (v = 0, i = -1; v < PM_NTYPES; v++)
			if (fz_oracle_word(op->buf, op->len, pm_type_names[v]))
				i = v;
		if (i < 0)
			want = -EINVAL;
		else if (i == PM_PRIVATE && !pm.has_private)
			want = -EOPNOTSUPP;
		else if (i == in->type)
			want = 0;
		else if (in->enabled)
			want = -EBUSY;
		else if (i == PM_PRIVATE && in->memmap_dev)
			want = -EINVAL;
		else
			in->type = i;
		break;
	case PM_EVICT:
		want = fz_oracle_switch(op->buf, op->len, &b);
		if (!want && !b)
			want = -EINVAL;
		else if (!want && in->type == PM_GENERIC)
			want = -EOPNOTSUPP;
		else if (!want && !in->enabled)
			want = -ENXIO;
		else if (!want)
			evict = true;
		break;
	case PM_ENABLED:
		want = fz_oracle_switch(op->buf, op->len, &b);
		if (want || b == in->enabled)
			break;
		if (!b && (in->users || pm_mig_count(slot, id)))
			want = -EBUSY;
		else if (b && !in->nr)
			want = -EINVAL;
		else
			in->enabled = b;
		break;
	}
out:
	if (pm_expect(want, got, op, why, len))
		return -1;
	if (!got)
		pm.reg[slot] = tmp;
	if (!got && evict)
		pm_mig_evict(slot, id);
	return 0;
}

/* the slot of the live region a path of it names, or -1 */
static int pm_region_of(const char *path)
{
	int r;

	if (!pm.loaded || sscanf(path, CLS "region%d/", &r) != 1)
		return -1;
	return pm_slot_of(r);
}

static int pm_step_create(const struct fz_op *op, char *why, size_t len)
{
	int s, want = 0, got;
	bool b;

	got = fz_write(op->path, op->buf, op->len);
	s = pm_region_of(op->path);
	if (s < 0)
		return pm_expect(-ENOENT, got, op, why, len);
	if (op->len) {
		want = fz_oracle_switch(op->buf, op->len, &b);
		if (!want && !b)
			want = -EINVAL;
		else if (!want && !pm_free_subs(&pm.reg[s]))
			want = -ENOSPC;
	}
	if (pm_expect(want, got, op, why, len))
		return -1;
	if (!got && op->len)
		pm_new_inst(&pm.reg[s]);
	return 0;
}

static int pm_step_delete(const struct fz_op *op, char *why, size_t len)
{
	struct pm_region *R;
	int s, id, want = 0, got;
	size_t n;

	got = fz_write(op->path, op->buf, op->len);
	s = pm_region_of(op->path);
	if (s < 0)
		return pm_expect(-ENOENT, got, op, why, len);
	R = &pm.reg[s];
	id = -1;
	if (op->len) {
		want = fz_oracle_value(op->buf, op->len, &n);
		if (!want && n >= 32)
			want = -ENXIO;
		if (!want)
			id = pm_name_id(R, op->buf, n);
		if (!want && id < 0)
			want = -ENXIO;
		else if (!want && (R->inst[id].nr || R->inst[id].enabled))
			want = -EBUSY;
	}
	if (pm_expect(want, got, op, why, len))
		return -1;
	if (!got && id >= 0) {
		R->inst[id].live = false;
		if (R->youngest == id)
			R->youngest = -1;
	}
	return 0;
}

/*
 * What writing @len bytes at @buf to regionN/disable of slot @s does, as
 * the README and hpm_region_disable() say: -E2BIG for a page or more,
 * then the grammar of every store, then each name from the left, the
 * first bad one deciding: -EINVAL for an empty name, -ENXIO for a name
 * no instance of the region has, -EBUSY for an enabled instance in use
 * (mapped, or holding pages of the buffer).  A disabled instance or a
 * name given twice is fine.  Return: the errno, and on success every
 * instance named set in @named.
 */
static int pm_oracle_disable(int s, const char *buf, size_t len, bool *named)
{
	const struct pm_region *R = &pm.reg[s];
	const struct pm_inst *in;
	size_t n, at, end;
	int rc, id;

	if (len >= PM_SYSFS_PAGE)
		return -E2BIG;
	rc = fz_oracle_value(buf, len, &n);
	if (rc)
		return rc;
	for (at = 0; ; at = end + 1) {
		for (end = at; end < n && buf[end] != ','; end++)
			;
		if (end == at)
			return -EINVAL;
		id = pm_name_id(R, buf + at, end - at);
		if (id < 0)
			return -ENXIO;
		in = &R->inst[id];
		if (in->enabled && (in->users || pm_mig_count(s, id)))
			return -EBUSY;
		named[id] = true;
		if (end == n)
			return 0;
	}
}

/* regionN/disable: all the instances named are disabled, or none */
static int pm_step_disable(const struct fz_op *op, char *why, size_t len)
{
	bool named[PM_IDS] = { false };
	int s, id, want = 0, got;

	got = fz_write(op->path, op->buf, op->len);
	s = pm_region_of(op->path);
	if (s < 0)
		return pm_expect(-ENOENT, got, op, why, len);
	if (op->len)
		want = pm_oracle_disable(s, op->buf, op->len, named);
	if (pm_expect(want, got, op, why, len))
		return -1;
	for (id = 0; !got && id < PM_IDS; id++)
		if (named[id])
			pm.reg[s].inst[id].enabled = false;
	return 0;
}

static int pm_step_regions(const struct fz_op *op, char *why, size_t len)
{
	struct pm_spec sp[PM_SPECS];
	size_t n = fz_param_len(op->buf, op->len);
	int want, got, nr;

	got = fz_write(PARAM, op->buf, op->len);
	if (!pm.loaded)
		return pm_expect(-ENOENT, got, op, why, len);
	want = 0;
	if (op->len) {
		want = pm_oracle_regions(op->buf, n, sp, &nr);
		if (!want)
			want = pm_claim(sp, nr, false);
	}
	if (pm_expect(want, got, op, why, len))
		return -1;
	if (!got && op->len)
		pm_claim(sp, nr, true);
	return 0;
}

static void pm_forget_all(void)
{
	int s;

	for (s = 0; s < PM_REGIONS; s++)
		pm.reg[s].live = false;
	memset(pm.mig_at, 0, sizeof(pm.mig_at));
}

static int pm_step_load(const struct fz_op *op, char *why, size_t len)
{
	struct pm_spec sp[PM_SPECS];
	char arg[FZ_BUF + 16];
	int want = 0, got, nr, h, st;
	bool busy = pm.example;

	for (h = 0; h < PM_HELD; h++)
		busy |= pm.held[h].used;
	if (pm.loaded) {
		got = fz_exec("/sbin/rmmod", "hotmem_pagemap", NULL);
		if (busy != !!got) {
			snprintf(why, len, "rmmod hotmem_pagemap %s, the model says it is %sin use",
				 got ? "failed" : "worked", busy ? "" : "not ");
			return -1;
		}
		if (busy)
			return 0;
		pm.loaded = false;
		pm_forget_all();
	}
	snprintf(arg, sizeof(arg), "regions=%.*s", (int)op->len, op->buf);
	want = pm_oracle_regions(op->buf, op->len, sp, &nr);
	if (!want)
		want = pm_claim(sp, nr, false);
	/* a user reads modprobe's status: it must say what happened */
	st = fz_exec("/sbin/modprobe", "hotmem_pagemap", arg);
	got = hm_exists("/sys/module/hotmem_pagemap") ? 0 : -1;
	if (!st != !got) {
		snprintf(why, len,
			 "modprobe hotmem_pagemap %s exited %d, yet the module is %sloaded",
			 arg, st, got ? "not " : "");
		return -1;
	}
	if (!want != !got) {
		snprintf(why, len, "modprobe hotmem_pagemap %s: %s, the model says %s",
			 arg, got ? "failed" : "loaded", fz_errname(want));
		return -1;
	}
	if (!got) {
		pm.loaded = true;
		pm.normal_rcu = false;
		pm_claim(sp, nr, true);
	}
	return 0;
}

/*
 * expedite_rcu: Y/y/N/n/0/1 with one newline (hm_parse_bool()), as the
 * set hook sees it: up to the first NUL; anything else -EINVAL and the
 * value stays.  An empty write never reaches the hook.
 */
static int pm_step_expedite(const struct fz_op *op, char *why, size_t len)
{
	bool v = !pm.normal_rcu;
	int got;

	got = fz_write(EXPEDITE, op->buf, op->len);
	if (!pm.loaded)
		return pm_expect(-ENOENT, got, op, why, len);
	if (pm_expect(fz_oracle_param_bool(op->buf, op->len, &v), got, op, why, len))
		return -1;
	pm.normal_rcu = !v;
	return 0;
}

static int pm_step_api(const struct fz_op *op, char *why, size_t len)
{
	char arg[96];
	int want, got, s, st;

	if (op->code == PM_API_REMOVE) {
		got = fz_exec("/sbin/rmmod", "hotmem_pagemap_example", NULL);
		if (!pm.example != !!got) {
			snprintf(why, len,
				 "rmmod hotmem_pagemap_example %s, the model says it is %sloaded",
				 got ? "failed" : "worked", pm.example ? "" : "not ");
			return -1;
		}
		for (s = 0; !got && s < PM_REGIONS; s++)
			if (pm.reg[s].live && pm.reg[s].api)
				pm_region_gone(s);
		pm.example = false;
		return 0;
	}
	snprintf(arg, sizeof(arg), "range=%#llx:%#llx", (unsigned long long)op->n1,
		 (unsigned long long)op->n2);
	/*
	 * Unloaded (only a shrunk replay gets here): modprobe loads
	 * hotmem_pagemap first, with no regions, and leaves it loaded
	 * whether the example loads or not.
	 */
	want = pm.example ? -EEXIST : 0;
	if (!want)
		want = pm_region_check(op->n1, op->n2);
	if (!want && pm_owned(op->n1, op->n2))
		want = -EBUSY;
	st = fz_exec("/sbin/modprobe", "hotmem_pagemap_example", arg);
	if (!pm.loaded)
		pm.normal_rcu = false;
	pm.loaded = true;
	got = hm_exists("/sys/module/hotmem_pagemap_example") && !pm.example ? 0 : -1;
	/* already loaded is modprobe's success; any other failure says so */
	if (!pm.example && !st != !got) {
		snprintf(why, len,
			 "modprobe hotmem_pagemap_example %s exited %d, yet it is %sloaded",
			 arg, st, got ? "not " : "");
		return -1;
	}
	if (!want != !got) {
		snprintf(why, len, "modprobe hotmem_pagemap_example %s: %s, the model says %s",
			 arg, got ? "failed" : "loaded", fz_errname(want));
		return -1;
	}
	if (!got) {
		pm.example = true;
		pm_region_new(op->n1, op->n2, true);
	}
	return 0;
}

/*
 * Open the character device @op names, as the model says it must:
 * ENOENT for no such instance, ENXIO for a disabled one.  Return: 0 and
 * *@fd (-1 if it rightly failed), or -1 with @why.
 */
static int pm_open_dev(const struct fz_op *op, struct pm_inst **in, int *slot,
		       int *id, int *fd, char *why, size_t len)
{
	int want;

	*in = pm_inst_of(op->path, slot, id);
	*fd = open(op->path, O_RDWR);
	want = !*in || !pm.loaded ? -ENOENT : !(*in)->enabled ? -ENXIO : 0;
	if (pm_expect(want, *fd < 0 ? -errno : 0, op, why, len)) {
		if (*fd >= 0)
			close(*fd);
		return -1;
	}
	return 0;
}

static int pm_step_map(const struct fz_op *op, char *why, size_t len)
{
	struct pm_inst *in;
	int slot, id, fd, h, want;
	char *addr;

	if (pm_open_dev(op, &in, &slot, &id, &fd, why, len))
		return -1;
	if (fd < 0)
		return 0;
	addr = mmap(NULL, op->n2, PROT_READ | PROT_WRITE, MAP_SHARED, fd, op->n1);
	close(fd);
	/* coherent and private memory is reached by migration only */
	want = in->type != PM_GENERIC ? -ENODEV :
	       op->n1 + op->n2 > pm_usable(in) ? -EINVAL : 0;
	if (pm_expect(want, addr == MAP_FAILED ? -errno : 0, op, why, len)) {
		if (addr != MAP_FAILED)
			munmap(addr, op->n2);
		return -1;
	}
	if (addr == MAP_FAILED)
		return 0;
	if (pm_touch(in, addr, op->n2, op->n1, why, len)) {
		munmap(addr, op->n2);
		return -1;
	}
	for (h = 0; h < PM_HELD && pm.held[h].used; h++)
		;
	if (!op->i1 || h == PM_HELD) {
		munmap(addr, op->n2);
		return 0;
	}
	pm.held[h] = (struct pm_held){ true, addr, op->n2, slot, id, op->n1,
				       false };
	in->users++;
	return 0;
}

static int pm_step_unmap(const struct fz_op *op, char *why, size_t len)
{
	struct pm_held *m = &pm.held[op->i1];
	__u64 o, v = 0, st, want;
	int bus, h;
	bool still;

	if (!m->used)
		return 0;
	st = pm_stride(m->len);
	for (o = 0; o < m->len; o += st) {
		bus = pm_probe((__u64 *)(m->addr + o), &v);
		if (bus != m->revoked) {
			snprintf(why, len,
				 "a mapping of pm%d.%d at offset %#llx: %s, the model says %s",
				 pm.reg[m->slot].id, m->id, m->off + o,
				 bus ? "SIGBUS" : "readable",
				 m->revoked ? "revoked (SIGBUS)" : "readable");
			return -1;
		}
		if (bus)
			break;
		want = pm_pattern(pm_phys(&pm.reg[m->slot].inst[m->id], m->off + o));
		if (v != want) {
			snprintf(why, len,
				 "a mapping of pm%d.%d held %#llx at offset %#llx, wrote %#llx",
				 pm.reg[m->slot].id, m->id, v, m->off + o, want);
			return -1;
		}
	}
	munmap(m->addr, m->len);
	m->used = false;
	if (!m->revoked) {
		pm.reg[m->slot].inst[m->id].users--;
		return 0;
	}
	/* the last file of a removed region lets its id go */
	for (h = 0, still = false; h < PM_HELD; h++)
		still |= pm.held[h].used && pm.held[h].slot == m->slot;
	if (!still)
		pm.reg[m->slot].held = false;
	return 0;
}

/* the word the walk keeps at offset @o of page @i of the buffer */
static __u64 pm_mig_word(int i, __u64 o)
{
	return fz_mix(pm.tags, 0x4d4947000000ULL + i * PG + o);
}

/* fill the buffer, all of it in RAM, with its words */
static void pm_mig_fill(void)
{
	__u64 o;
	int i;

	for (i = 0; i < PM_MIG; i++)
		for (o = 0; o < PG; o += 8)
			*(__u64 *)(pm.mig + i * PG + o) = pm_mig_word(i, o);
}

/*
 * A migration ioctl on @op->n2 pages of the buffer from page @op->n1,
 * spoiled as @op->i1 says.  The model, from the uapi header: a page that
 * another instance holds is not handed over (to the device: EBUSY there);
 * to the device, the pages get room in address order until the instance
 * is full (ENOSPC there), and "done" counts up to the first page that
 * stayed; to RAM, every page of the instance comes back and the rest
 * counts as done.
 */
static int pm_step_migrate(const struct fz_op *op, char *why, size_t len)
{
	struct hotmem_pm_migrate m = { .done = ~0ULL };
	bool to_dev = op->i1 & PM_MIG_TO_DEV, full = false;
	__u64 first = op->n1, n = op->n2, i, want_done = 0;
	int slot, id, fd, want, got, room, me, stop = 0;
	bool ran;
	int moved[PM_MIG] = { 0 };
	unsigned long cmd;
	struct pm_inst *in;

	if (pm_open_dev(op, &in, &slot, &id, &fd, why, len))
		return -1;
	if (fd < 0)
		return 0;
	m.addr = (unsigned long)pm.mig + first * PG + !!(op->i1 & PM_MIG_UNALIGN);
	m.npages = n;
	m.flags = op->i1 & PM_MIG_FLAGS ? 1ULL << fz_mix(pm.tags, n) % 64 : 0;
	cmd = to_dev ? HOTMEM_PM_MIGRATE_TO_DEV : HOTMEM_PM_MIGRATE_TO_RAM;
	if (op->i1 & PM_MIG_BADCMD)
		cmd = _IOWR(0xBD, 0x03 + op->n1 % 8, struct hotmem_pm_migrate);
	got = ioctl(fd, cmd, &m) ? -errno : 0;
	close(fd);
	me = pm_mig_tag(slot, id);
	want = 0;
	if (in->type == PM_GENERIC || (op->i1 & PM_MIG_BADCMD))
		want = -ENOTTY;
	else if ((op->i1 & (PM_MIG_FLAGS | PM_MIG_UNALIGN)) || !n)
		want = -EINVAL;
	else if (first + n > PM_MIG)
		want = -EINVAL;		/* runs into the shared page */
	ran = !want;
	room = pm_usable(in) / PG - pm_mig_count(slot, id);
	for (i = first; ran && to_dev && i < first + n; i++) {
		if (pm.mig_at[i] == me) {
			;			/* here already */
		} else if (pm.mig_at[i]) {
			stop = stop ?: -EBUSY;	/* another's: not handed over */
		} else if (!full && room) {
			moved[i] = 1;
			room--;
		} else {
			full = true;
			stop = stop ?: -ENOSPC;
		}
		want_done += !stop;
	}
	if (ran && !to_dev)
		want_done = n;		/* ours come back, the rest stays */
	if (ran)
		want = stop;
	if (pm_expect(want, got, op, why, len))
		return -1;
	if (ran && m.done != want_done) {
		snprintf(why, len, "migrate %s %#llx+%llu pages: done %llu, the model says %llu",
			 op->path, first * PG, n, (unsigned long long)m.done, want_done);
		return -1;
	}
	for (i = first; ran && i < first + n; i++) {
		if (moved[i])
			pm.mig_at[i] = me;
		else if (!to_dev && pm.mig_at[i] == me)
			pm.mig_at[i] = 0;
	}
	return 0;
}

static int pm_step(const struct fz_op *op, char *why, size_t len)
{
	switch (op->code) {
	case PM_REGIONS_WRITE:
		return pm_step_regions(op, why, len);
	case PM_LOAD:
		return pm_step_load(op, why, len);
	case PM_CREATE:
		return pm_step_create(op, why, len);
	case PM_DELETE:
		return pm_step_delete(op, why, len);
	case PM_MAP:
		return pm_step_map(op, why, len);
	case PM_UNMAP:
		return pm_step_unmap(op, why, len);
	case PM_MIGRATE:
		return pm_step_migrate(op, why, len);
	case PM_DISABLE:
		return pm_step_disable(op, why, len);
	case PM_EXPEDITE:
		return pm_step_expedite(op, why, len);
	case PM_API_ADD:
	case PM_API_REMOVE:
		return pm_step_api(op, why, len);
	default:
		return pm_step_attr(op, why, len);
	}
}

/* ---- the check after every step ---- */

static int pm_cmp_file(const char *want, char *why, size_t len, const char *fmt, ...)
{
	char path[256], got[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	n = fz_read(path, got, sizeof(got));
	if (n < 0) {
		snprintf(why, len, "%s: read: %s", path, fz_errname(n));
		return -1;
	}
	if (strcmp(got, want)) {
		got[strcspn(got, "\n")] = '\0';
		snprintf(why, len, "%s is \"%.200s\", the model says \"%.200s\"", path,
			 got, want);
		why[len - 1] = '\0';
		return -1;
	}
	return 0;
}

static int pm_check_inst(const struct pm_region *R, int id, char *why, size_t len)
{
	const struct pm_inst *in = &R->inst[id];
	char want[4096], p[96];
	int i, n = 0;

	snprintf(p, sizeof(p), CLS "pm%d.%d", R->id, id);
	snprintf(want, sizeof(want), "%llu\n", pm_size_of(in));
	if (pm_cmp_file(want, why, len, "%s/size", p))
		return -1;
	snprintf(want, sizeof(want), "%llu\n", in->align);
	if (pm_cmp_file(want, why, len, "%s/align", p))
		return -1;
	if (pm_cmp_file(in->memmap_dev ? "dev\n" : "ram\n", why, len, "%s/memmap", p))
		return -1;
	if (pm_cmp_file(in->enabled ? "1\n" : "0\n", why, len, "%s/enabled", p))
		return -1;
	snprintf(want, sizeof(want), "%s\n", pm_type_names[in->type]);
	if (pm_cmp_file(want, why, len, "%s/type", p))
		return -1;
	snprintf(want, sizeof(want), "%llu\n", pm_mig_count(R - pm.reg, id) * PG);
	if (pm_cmp_file(want, why, len, "%s/allocated_bytes", p))
		return -1;
	if (pm_cmp_file("0\n", why, len, "%s/poisoned", p))
		return -1;
	for (i = 0; i < in->nr; i++)
		n += snprintf(want + n, sizeof(want) - n, "%#llx-%#llx\n",
			      in->r[i].start, in->r[i].start + in->r[i].len - 1);
	want[n] = '\0';
	if (pm_cmp_file(want, why, len, "%s/mapping", p))
		return -1;
	for (i = 0; i < in->nr; i++) {
		snprintf(want, sizeof(want), "%#llx\n", in->r[i].start);
		if (pm_cmp_file(want, why, len, "%s/mapping%d/start", p, i))
			return -1;
	}
	if (hm_exists("%s/mapping%d", p, in->nr)) {
		snprintf(why, len, "%s/mapping%d exists; the instance has %d ranges", p,
			 in->nr, in->nr);
		return -1;
	}
	return 0;
}

static int pm_check_region(const struct pm_region *R, char *why, size_t len)
{
	char want[4096], got[4096], p[64], *line;
	__u64 sec, a;
	int id, c;

	snprintf(p, sizeof(p), CLS "region%d", R->id);
	snprintf(want, sizeof(want), "%llu\n", R->size);
	if (pm_cmp_file(want, why, len, "%s/size", p))
		return -1;
	snprintf(want, sizeof(want), "%llu\n", pm_free_subs(R) * SUB);
	if (pm_cmp_file(want, why, len, "%s/available_size", p))
		return -1;
	id = pm_seed(R);
	if (id >= 0)
		snprintf(want, sizeof(want), "pm%d.%d\n", R->id, id);
	else
		snprintf(want, sizeof(want), "\n");
	if (pm_cmp_file(want, why, len, "%s/seed", p))
		return -1;
	if (R->youngest >= 0)
		snprintf(want, sizeof(want), "pm%d.%d\n", R->id, R->youngest);
	else
		snprintf(want, sizeof(want), "\n");
	if (pm_cmp_file(want, why, len, "%s/create", p))
		return -1;
	/* the map: every sub-section of the region, its owner's symbol */
	snprintf(want, sizeof(want), "%s/map", p);
	if (fz_read(want, got, sizeof(got)) < 0) {
		snprintf(why, len, "%s unreadable", want);
		return -1;
	}
	for (line = got; *line; line = strchr(line, '\n') + 1) {
		if (sscanf(line, "0x%llx:", &sec) != 1 || !strchr(line, '\n'))
			break;
		for (c = 0; c < 64; c++) {
			char ch = line[20 + c], w;
			__u64 o;

			a = sec + c * SUB;
			if (a < R->start || a >= R->start + R->size)
				continue;
			o = R->owner[(a - R->start) / SUB];
			w = !o ? '.' : o - 1 < 26 ? 'A' + o - 1 : o - 1 < 52 ?
				'a' + o - 27 : o - 1 < 62 ? '0' + o - 53 : '#';
			if (ch != w) {
				snprintf(why, len,
					 "%s/map shows '%c' at %#llx, the model says '%c'",
					 p, ch, a, w);
				return -1;
			}
		}
	}
	for (id = 0; id < PM_IDS; id++)
		if (R->inst[id].live && pm_check_inst(R, id, why, len))
			return -1;
	return 0;
}

/* is HM_PM_CLS/@name a live region or instance of the model */
static bool pm_known(const char *name)
{
	int r, i, s;

	if (sscanf(name, "region%d", &r) == 1)
		return pm_slot_of(r) >= 0;
	if (sscanf(name, "pm%d.%d", &r, &i) != 2)
		return false;
	s = pm_slot_of(r);
	return s >= 0 && i >= 0 && i < PM_IDS && pm.reg[s].inst[i].live;
}

static int pm_check_class(char *why, size_t len)
{
	struct dirent *d;
	int n = 0, want = 0, s, id;
	DIR *dir;

	dir = opendir(CLS);
	if (!dir) {
		snprintf(why, len, CLS ": %s", fz_errname(-errno));
		return -1;
	}
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		if (!pm_known(d->d_name)) {
			snprintf(why, len, CLS "%s exists, not in the model", d->d_name);
			closedir(dir);
			return -1;
		}
		n++;
	}
	closedir(dir);
	for (s = 0; s < PM_REGIONS; s++) {
		if (!pm.reg[s].live)
			continue;
		want++;
		for (id = 0; id < PM_IDS; id++)
			want += pm.reg[s].inst[id].live;
	}
	if (n != want) {
		snprintf(why, len, CLS " has %d entries, the model %d", n, want);
		return -1;
	}
	return 0;
}

/*
 * Every page of the migration buffer: where /proc/self/pagemap says it
 * is (a RAM page outside Soft Reserved; a page inside the instance that
 * holds it, mapped for coherent memory, a device-private entry for
 * private memory), then the words it holds, read wherever that does not
 * move the page (a read of a private page would bring it back).
 */
static int pm_check_mig(char *why, size_t len)
{
	const struct pm_inst *in;
	__u64 e, pa, o;
	bool ok;
	int i, k, t;

	if (pm_pagesize_fd < 0)
		pm_pagesize_fd = open("/proc/self/pagemap", O_RDONLY);
	for (i = 0; i < PM_MIG; i++) {
		e = 0;
		if (pread(pm_pagesize_fd, &e, 8, (unsigned long)(pm.mig + i * PG) / PG * 8) != 8)
			e = 0;
		t = pm.mig_at[i];
		in = t ? &pm.reg[(t - 1) / PM_IDS].inst[(t - 1) % PM_IDS] : NULL;
		pa = (e & ((1ULL << 55) - 1)) * PG;
		if (in && in->type == PM_PRIVATE) {
			pa >>= 5;	/* a swap entry: type in bits 0-4 */
			ok = (e >> 62) == 1;
		} else {
			ok = (e >> 63) && pa;
		}
		if (ok && !in)
			ok = pa < pm.sr_start || pa >= pm.sr_start + pm.sr_size;
		for (k = 0; ok && in && k < in->nr; k++)
			if (pa >= in->r[k].start && pa < in->r[k].start + in->r[k].len)
				break;
		if (ok && in && k == in->nr)
			ok = false;
		if (!ok) {
			snprintf(why, len,
				 "page %d of the migration buffer: pagemap entry %#llx, the model says %s%s",
				 i, e, in ? "in " : "in RAM",
				 in ? pm_type_names[in->type] : "");
			return -1;
		}
		if (in && in->type == PM_PRIVATE)
			continue;
		for (o = 0; o < PG; o += PG / 2 - 8) {
			e = __atomic_load_n((__u64 *)(pm.mig + i * PG + o),
					    __ATOMIC_RELAXED);
			if (e != pm_mig_word(i, o)) {
				snprintf(why, len,
					 "page %d of the migration buffer holds %#llx at %#llx, not %#llx",
					 i, e, o, pm_mig_word(i, o));
				return -1;
			}
		}
	}
	return 0;
}

static int pm_check(char *why, size_t len)
{
	struct hm_res res[HM_MAX_RES];
	char want[4096];
	int s, n, i, nreg = 0, order[PM_REGIONS], k, j;

	if (hm_exists("/sys/module/hotmem_pagemap") != pm.loaded) {
		snprintf(why, len, "hotmem_pagemap is %sloaded, the model says otherwise",
			 pm.loaded ? "not " : "");
		return -1;
	}
	if (pm_check_mig(why, len))
		return -1;
	if (!pm.loaded)
		return 0;
	/* the regions parameter, in the order they were added */
	for (s = 0; s < PM_REGIONS; s++)
		if (pm.reg[s].live)
			order[nreg++] = s;
	for (k = 1; k < nreg; k++)
		for (j = k; j > 0 && pm.reg[order[j]].listed < pm.reg[order[j - 1]].listed; j--) {
			i = order[j];
			order[j] = order[j - 1];
			order[j - 1] = i;
		}
	for (k = 0, n = 0; k < nreg; k++)
		n += snprintf(want + n, sizeof(want) - n, "%s%#llx:%#llx", k ? "," : "",
			      pm.reg[order[k]].start, pm.reg[order[k]].size);
	snprintf(want + n, sizeof(want) - n, "\n");
	if (pm_cmp_file(want, why, len, PARAM))
		return -1;
	if (pm_cmp_file(pm.normal_rcu ? "N\n" : "Y\n", why, len, EXPEDITE))
		return -1;
	/* the class directory: exactly the live regions and instances */
	if (pm_check_class(why, len))
		return -1;
	/* /proc/iomem: a "regionN" resource per live region, exactly */
	n = hm_iomem(res, HM_MAX_RES);
	for (i = 0, k = 0; i < n; i++) {
		if (strncmp(res[i].name, "region", 6))
			continue;
		k++;
		s = pm_slot_of(atoi(res[i].name + 6));
		if (s < 0 || res[i].start != pm.reg[s].start ||
		    res[i].end + 1 != pm.reg[s].start + pm.reg[s].size) {
			snprintf(why, len, "/proc/iomem has %s at %#llx-%#llx, not in the model",
				 res[i].name, res[i].start, res[i].end);
			return -1;
		}
	}
	if (k != nreg) {
		snprintf(why, len, "/proc/iomem has %d regions, the model %d", k, nreg);
		return -1;
	}
	for (s = 0; s < PM_REGIONS; s++)
		if (pm.reg[s].live && pm_check_region(&pm.reg[s], why, len))
			return -1;
	return 0;
}

/* ---- the walk ---- */

static int pm_pick_slot(struct fz_rng *r)
{
	int s, n = 0, pick[PM_REGIONS];

	for (s = 0; s < PM_REGIONS; s++)
		if (pm.reg[s].live)
			pick[n++] = s;
	return n ? pick[fz_below(r, n)] : -1;
}

static int pm_pick_inst(struct fz_rng *r, int s, bool enabled_only)
{
	int id, n = 0, pick[PM_IDS];

	for (id = 0; id < PM_IDS; id++)
		if (pm.reg[s].inst[id].live &&
		    (!enabled_only || pm.reg[s].inst[id].enabled))
			pick[n++] = id;
	return n ? pick[fz_below(r, n)] : -1;
}

static int pm_slots_used(void)
{
	int s, n = 0;

	for (s = 0; s < PM_REGIONS; s++)
		n += pm.reg[s].live || pm.reg[s].held;
	return n;
}

static int pm_live_insts(int s)
{
	int id, n = 0;

	for (id = 0; id < PM_IDS; id++)
		n += pm.reg[s].inst[id].live;
	return n;
}

/* a 2 MiB aligned free piece of Soft Reserved, outside every region */
static bool pm_free_piece(struct fz_rng *r, __u64 *start, __u64 *size)
{
	int tries;

	for (tries = 0; tries < 20; tries++) {
		*size = SUB * (1 + fz_below(r, fz_chance(r, 80) ? 32 : 256));
		*start = pm.sr_start + SUB * fz_below(r, pm.sr_size / SUB);
		if (*start + *size <= pm.sr_start + pm.sr_size &&
		    !pm_region_check(*start, *size))
			return true;
	}
	return false;
}

/* one "START:SIZE" spec: mostly free device memory, sometimes not */
static int pm_gen_spec(struct fz_rng *r, char *buf, struct pm_spec *prev,
		       int nprev)
{
	__u64 s = 0, z = SUB;
	int k = fz_below(r, 12);

	if (k < 6) {
		pm_free_piece(r, &s, &z);
	} else if (k == 6 && nprev) {		/* repeat */
		s = prev[fz_below(r, nprev)].start;
		z = prev[fz_below(r, nprev)].size;
	} else if (k == 7 && nprev) {		/* contained / overlapping */
		s = prev[nprev - 1].start + SUB * fz_below(r, 2);
		z = SUB * (1 + fz_below(r, 4));
	} else if (k == 8) {			/* an existing region */
		int sl = pm_pick_slot(r);

		if (sl >= 0) {
			s = pm.reg[sl].start + SUB * fz_below(r, 4);
			z = SUB;
		}
	} else if (k == 9 && pm.pm_size) {	/* legacy pmem: owned */
		s = pm.pm_start + SUB * fz_below(r, pm.pm_size / SUB);
		z = SUB;
	} else if (k == 10) {			/* System RAM, misaligned */
		s = fz_chance(r, 50) ? 16 * M : pm.sr_start + M;
	} else {
		s = fz_pick_size(r, SUB, pm.sr_start + pm.sr_size);
		z = fz_pick_size(r, SUB, 64 * M);
	}
	prev[nprev].start = s;
	prev[nprev].size = z;
	if (fz_chance(r, 30))
		return sprintf(buf, "%#llx:%#llx", (unsigned long long)s,
			       (unsigned long long)z);
	return sprintf(buf, "%llu:%llu", (unsigned long long)s, (unsigned long long)z);
}

/* a "regions" value: one spec or several, sometimes more than may be */
static size_t pm_gen_regions(struct fz_rng *r, bool mutate, char *buf)
{
	struct pm_spec prev[24];
	int nr, i;
	size_t len = 0;

	nr = fz_chance(r, 60) ? 1 : fz_chance(r, 70) ? 2 + fz_below(r, 5) :
		PM_SPECS - 1 + fz_below(r, 5);
	/* too many: often all valid, so only the count is wrong */
	if (nr > PM_SPECS && fz_chance(r, 70)) {
		__u64 s, z;

		if (!pm_free_piece(r, &s, &z))
			s = pm.sr_start, z = SUB;
		for (i = 0; i < nr; i++)
			len += sprintf(buf + len, "%s%llu:%llu", i ? "," : "",
				       (unsigned long long)(fz_chance(r, 50) ? s :
						s + (z + SUB) * (i % 4)),
				       (unsigned long long)SUB);
		return len;
	}
	for (i = 0; i < nr; i++) {
		if (i)
			buf[len++] = ',';
		len += pm_gen_spec(r, buf + len, prev, i);
	}
	if (fz_chance(r, 30))
		buf[len++] = '\n';
	if (mutate)
		len = fz_mutate(r, buf, len);
	return len;
}

static void pm_path_inst(struct fz_op *op, int s, int id, const char *attr)
{
	snprintf(op->path, sizeof(op->path), CLS "pm%d.%d/%s", pm.reg[s].id, id, attr);
}

/* a value for an instance attribute, valid or not */
static void pm_gen_attr(struct fz_rng *r, bool inputs, int s, int id,
			struct fz_op *op)
{
	const struct pm_region *R = &pm.reg[s];
	const struct pm_inst *in = &R->inst[id];
	bool mutate = fz_chance(r, inputs ? 60 : 8);
	__u64 v, a;

	switch (op->code) {
	case PM_SIZE:
		pm_path_inst(op, s, id, "size");
		if (fz_chance(r, 40))
			v = pm_size_of(in) + pm_unit(in) * fz_below(r, 8);
		else if (fz_chance(r, 30))
			v = pm_size_of(in) > pm_unit(in) ?
				pm_size_of(in) - pm_unit(in) * (1 + fz_below(r, 2)) : 0;
		else
			v = fz_pick_size(r, pm_unit(in), R->size);
		op->len = fz_gen_number(r, v, FZ_DEC_OR_HEX, mutate, op->buf);
		break;
	case PM_MAPPING:
		pm_path_inst(op, s, id, "mapping");
		a = R->start + SUB * fz_below(r, pm_nsubs(R) + 2);
		v = SUB * (1 + fz_below(r, fz_chance(r, 70) ? 2 : 64));
		if (fz_chance(r, 10))
			a += 4096;
		if (fz_chance(r, 5))
			a = fz_pick_size(r, SUB, ~0ULL);
		op->len = sprintf(op->buf, fz_chance(r, 20) ? "0x%llx-0x%llx" : "%llx-%llx",
				  (unsigned long long)a, (unsigned long long)(a + v - 1));
		if (fz_chance(r, 50))
			op->buf[op->len++] = '\n';
		if (mutate)
			op->len = fz_mutate(r, op->buf, op->len);
		break;
	case PM_ALIGN: {
		static const __u64 al[] = { 4096, SUB, G, SUB, 4096, 8192, 4 * M, 0, G * 2 };

		pm_path_inst(op, s, id, "align");
		op->len = fz_gen_number(r, al[fz_below(r, 9)], FZ_DEC_OR_HEX, mutate,
					op->buf);
		break;
	}
	case PM_MEMMAP:
		pm_path_inst(op, s, id, "memmap");
		op->len = fz_gen_word(r, fz_chance(r, 50) ? "dev" : "ram", mutate,
				      op->buf);
		break;
	case PM_TYPE:
		pm_path_inst(op, s, id, "type");
		op->len = fz_gen_word(r, pm_type_names[fz_chance(r, 50) ? PM_COHERENT :
					fz_chance(r, 50) ? PM_PRIVATE : PM_GENERIC],
				      mutate, op->buf);
		break;
	case PM_EVICT:
		pm_path_inst(op, s, id, "evict");
		op->len = fz_gen_switch(r, mutate, op->buf);
		if (!mutate && op->len && fz_chance(r, 80))
			op->buf[0] = '1';
		break;
	default:
		pm_path_inst(op, s, id, "enabled");
		op->len = fz_gen_switch(r, mutate, op->buf);
		if (!mutate && op->len && fz_chance(r, 50))
			op->buf[0] = in->enabled ? '0' : '1';
		break;
	}
}

/*
 * inputs: build an instance of 64 ranges, one "mapping" per step, then
 * ask it to grow by one unit (-ENOSPC: it can hold no further range)
 */
static bool pm_gen_fragment(struct fz_op *op)
{
	const struct pm_region *R;
	const struct pm_inst *in;
	__u64 a;
	int i;

	if ((pm.frag_left <= 0 && !pm.frag_grow) || !pm.reg[pm.frag_slot].live ||
	    !pm.reg[pm.frag_slot].inst[pm.frag_id].live)
		return false;
	R = &pm.reg[pm.frag_slot];
	in = &R->inst[pm.frag_id];
	if (pm.frag_left <= 0 || in->nr == PM_RANGES) {
		pm.frag_left = 0;
		pm.frag_grow = false;
		if (in->nr != PM_RANGES || in->enabled)
			return false;
		op->code = PM_SIZE;
		pm_path_inst(op, pm.frag_slot, pm.frag_id, "size");
		op->len = sprintf(op->buf, "%llu",
				  (unsigned long long)(pm_size_of(in) + pm_unit(in)));
		return true;
	}
	/* the next free sub-section with a taken or missing one before it */
	for (i = 1; i < pm_nsubs(R); i++) {
		a = R->start + (__u64)i * SUB;
		if (!R->owner[i] && R->owner[i - 1] != pm.frag_id + 1 &&
		    (i + 1 == pm_nsubs(R) || R->owner[i + 1] != pm.frag_id + 1))
			break;
	}
	if (i >= pm_nsubs(R) || in->nr >= PM_RANGES || in->enabled)
		return false;
	pm.frag_left--;
	op->code = PM_MAPPING;
	pm_path_inst(op, pm.frag_slot, pm.frag_id, "mapping");
	op->len = sprintf(op->buf, "%llx-%llx", (unsigned long long)a,
			  (unsigned long long)(a + SUB - 1));
	/* leave a gap: the next one is not adjacent */
	return true;
}

/*
 * A migration ioctl on instance @id of slot @s (mostly an enabled
 * coherent or private one of that region instead): a range of the
 * buffer, in either direction, sometimes spoiled.
 */
static void pm_gen_migrate(struct fz_rng *r, bool inputs, int s, int id,
			   struct fz_op *op)
{
	static const int spoil[] = {
		PM_MIG_FLAGS, PM_MIG_UNALIGN, PM_MIG_SHARED, PM_MIG_BADCMD,
	};
	const struct pm_inst *in;
	int i, n = 0, pick[PM_IDS];

	for (i = 0; i < PM_IDS; i++) {
		in = &pm.reg[s].inst[i];
		if (in->live && in->enabled && in->type != PM_GENERIC)
			pick[n++] = i;
	}
	if (n && fz_chance(r, 90))
		id = pick[fz_below(r, n)];
	snprintf(op->path, sizeof(op->path), "/dev/pm%d.%d", pm.reg[s].id, id);
	op->i1 = fz_chance(r, 60) ? PM_MIG_TO_DEV : 0;
	op->n1 = fz_below(r, PM_MIG);
	op->n2 = 1 + fz_below(r, fz_chance(r, 30) ? PM_MIG - op->n1 :
			      PM_MIG - op->n1 < 4 ? PM_MIG - op->n1 : 4);
	if (!fz_chance(r, inputs ? 40 : 4))
		return;
	op->i1 |= spoil[fz_below(r, ARRAY_SIZE(spoil))];
	if (op->i1 & PM_MIG_SHARED)
		op->n2 = PM_MIG - op->n1 + 1 + fz_below(r, 2);
	if (fz_chance(r, 20))
		op->n2 = fz_chance(r, 50) ? 0 : 1ULL << (40 + fz_below(r, 24));
}

/* the live slot with the most enabled instances; @s if none has one */
static int pm_most_enabled(int s)
{
	int i, id, n, most = 0;

	for (i = 0; i < PM_REGIONS; i++) {
		for (id = 0, n = 0; pm.reg[i].live && id < PM_IDS; id++)
			n += pm.reg[i].inst[id].live && pm.reg[i].inst[id].enabled;
		if (n > most) {
			most = n;
			s = i;
		}
	}
	return s;
}

/*
 * The name of an instance of slot @s, an enabled one if @on and there is
 * one, else any; one beyond the model's ids if the region has none.
 */
static size_t pm_gen_name(struct fz_rng *r, int s, bool on, char *buf)
{
	int id = on ? pm_pick_inst(r, s, true) : -1;

	if (id < 0)
		id = pm_pick_inst(r, s, false);
	if (id < 0)
		id = PM_IDS + fz_below(r, 8);
	return sprintf(buf, "pm%d.%d", pm.reg[s].id, id);
}

/*
 * One name of a regionN/disable list of slot @s: mostly an enabled
 * instance of the region, else a disabled one, a repeat of one of the
 * @nr names already at @start (@elen bytes each), another region's
 * instance, a name nobody has, or nothing; the last three rarely in a
 * walk, where a list should mostly work.
 */
static size_t pm_gen_list_name(struct fz_rng *r, bool inputs, int s,
			       char *buf, const char *list, const size_t *start,
			       const size_t *elen, int nr)
{
	int k = fz_below(r, 100), o, i;

	if (k < (inputs ? 50 : 62))
		return pm_gen_name(r, s, true, buf);
	if (k < (inputs ? 68 : 84))
		return pm_gen_name(r, s, false, buf);
	if (k < (inputs ? 82 : 96) && nr) {
		i = fz_below(r, nr);
		memcpy(buf, list + start[i], elen[i]);
		return elen[i];
	}
	o = pm_pick_slot(r);
	if (k < (inputs ? 88 : 97) && o >= 0 && o != s)
		return pm_gen_name(r, o, false, buf);
	if (k < (inputs ? 97 : 99))	/* maybe some region's instance */
		return sprintf(buf, fz_chance(r, 80) ? "pm%d.%d" : "pm%d.0%d",
			       fz_chance(r, 70) ? pm.reg[s].id : (int)fz_below(r, 4),
			       (int)fz_below(r, PM_IDS + 4));
	return 0;
}

/*
 * Spoil a list the ways a script does: a blank, a tab, a newline, a
 * comma or a NUL somewhere, a second newline at the end, only a comma or
 * a newline, nothing at all; or any of fz_mutate()'s.
 */
static size_t pm_spoil_list(struct fz_rng *r, char *buf, size_t len)
{
	static const char bits[] = { ' ', '\t', '\n', ',', '\0' };
	size_t at;

	switch (fz_below(r, 6)) {
	case 0:
		at = fz_below(r, len + 1);
		memmove(buf + at + 1, buf + at, len - at);
		buf[at] = bits[fz_below(r, ARRAY_SIZE(bits))];
		return len + 1;
	case 1:
		if (!len || buf[len - 1] != '\n')
			buf[len++] = '\n';
		buf[len++] = '\n';
		return len;
	case 2:
		return sprintf(buf, "%s", fz_chance(r, 50) ? "," : ",\n");
	case 3:
		return fz_chance(r, 50) ? 0 : sprintf(buf, "\n");
	default:
		return fz_mutate(r, buf, len);
	}
}

/*
 * A list at the length limit: names of slot @s up to @to bytes (a page,
 * one byte either side, or past it), stopping short with whole names
 * (and maybe a newline), or cut at exactly @to, so that the last name
 * may be cut into another's ("pm0.12" into "pm0.1").
 */
static size_t pm_gen_list_long(struct fz_rng *r, int s, char *buf)
{
	static const size_t lim[] = {
		PM_SYSFS_PAGE - 2, PM_SYSFS_PAGE - 1, PM_SYSFS_PAGE,
		PM_SYSFS_PAGE + 1, PM_SYSFS_PAGE + 50,
	};
	size_t to = lim[fz_below(r, ARRAY_SIZE(lim))], len = 0, n;
	char name[32];

	for (;;) {
		n = pm_gen_name(r, s, fz_chance(r, 50), name);
		if (len + !!len + n > to)
			break;
		if (len)
			buf[len++] = ',';
		memcpy(buf + len, name, n);
		len += n;
	}
	if (fz_chance(r, 50)) {
		if (len < to)
			buf[len++] = ',';
		memcpy(buf + len, name, to - len);
		return to;
	}
	if (fz_chance(r, 50))
		buf[len++] = '\n';
	return len;
}

/*
 * A write to regionN/disable of slot @s (mostly of the region with the
 * most enabled instances instead): a few names (enabled and disabled
 * instances, repeats, now and then one the region does not have or an
 * empty one), or every enabled (or every) instance of the region in some
 * order; in the input run often spoiled, or at the length limit.
 */
static void pm_gen_disable(struct fz_rng *r, bool inputs, int s,
			   struct fz_op *op)
{
	size_t start[PM_LIST], elen[PM_LIST], len = 0;
	int i, j, t, nr, ids[PM_IDS];
	bool all;

	if (fz_chance(r, 80))
		s = pm_most_enabled(s);
	snprintf(op->path, sizeof(op->path), CLS "region%d/disable", pm.reg[s].id);
	if (fz_chance(r, inputs ? 15 : 1)) {
		op->len = pm_gen_list_long(r, s, op->buf);
		return;
	}
	if (fz_chance(r, inputs ? 20 : 35)) {
		all = fz_chance(r, 40);
		for (i = 0, nr = 0; i < PM_IDS; i++)
			if (pm.reg[s].inst[i].live &&
			    (all || pm.reg[s].inst[i].enabled))
				ids[nr++] = i;
		for (i = nr - 1; i > 0; i--) {
			j = fz_below(r, i + 1);
			t = ids[i];
			ids[i] = ids[j];
			ids[j] = t;
		}
		for (i = 0; i < nr; i++)
			len += sprintf(op->buf + len, "%spm%d.%d", i ? "," : "",
				       pm.reg[s].id, ids[i]);
	} else {
		nr = 1 + fz_below(r, fz_chance(r, 70) ? 3 : PM_LIST);
		for (i = 0; i < nr; i++) {
			if (i)
				op->buf[len++] = ',';
			start[i] = len;
			elen[i] = pm_gen_list_name(r, inputs, s, op->buf + len,
						   op->buf, start, elen, i);
			len += elen[i];
		}
	}
	if (fz_chance(r, 50))
		op->buf[len++] = '\n';
	if (fz_chance(r, inputs ? 50 : 4))
		len = pm_spoil_list(r, op->buf, len);
	op->len = len;
}

static void pm_gen(struct fz_rng *r, bool inputs, struct fz_op *op)
{
	int s, id, h, k, w[PM_NR], total = 0, i;
	__u64 st, sz;

	memset(op, 0, offsetof(struct fz_op, buf));
	op->len = 0;
	if (!pm.loaded) {
		op->code = PM_LOAD;
		op->len = fz_chance(r, 80) ?
			(size_t)sprintf(op->buf, "%llu:%llu",
					(unsigned long long)pm.sr_start, G) :
			pm_gen_regions(r, false, op->buf);
		for (i = 0; i < (int)op->len; i++)
			if (strchr(" \t\n\"'", op->buf[i]) || !op->buf[i])
				op->buf[i] = 'x';
		return;
	}
	if (inputs && pm_gen_fragment(op))
		return;
	/* weights: attribute stores dominate, the rare ones stay rare */
	w[PM_REGIONS_WRITE] = pm_slots_used() > PM_BUSY_SLOTS ? 0 : 6;
	w[PM_LOAD] = 2;
	w[PM_CREATE] = 8;
	w[PM_DELETE] = 6;
	w[PM_SIZE] = 16;
	w[PM_MAPPING] = 10;
	w[PM_ALIGN] = 6;
	w[PM_MEMMAP] = 5;
	w[PM_ENABLED] = 12;
	w[PM_MAP] = 10;
	w[PM_UNMAP] = 5;
	w[PM_API_ADD] = pm.example || pm_slots_used() > PM_BUSY_SLOTS ? 0 : 2;
	w[PM_API_REMOVE] = pm.example ? 2 : 0;
	w[PM_TYPE] = 6;
	w[PM_EVICT] = 3;
	w[PM_MIGRATE] = 12;
	w[PM_DISABLE] = 5;
	w[PM_EXPEDITE] = 2;
	for (i = 0; i < PM_NR; i++)
		total += w[i];
	k = fz_below(r, total);
	for (i = 0; k >= w[i]; i++)
		k -= w[i];
	op->code = i;
	s = pm_pick_slot(r);
	if (s < 0)
		s = 0;
	switch (op->code) {
	case PM_REGIONS_WRITE:
		snprintf(op->path, sizeof(op->path), "%s", PARAM);
		op->len = pm_gen_regions(r, fz_chance(r, inputs ? 50 : 5), op->buf);
		return;
	case PM_LOAD:
		snprintf(op->path, sizeof(op->path), "hotmem_pagemap");
		k = fz_below(r, 10);
		if (k < 5) {
			op->len = sprintf(op->buf, "%llu:%llu",
					  (unsigned long long)pm.sr_start,
					  G / (1 + fz_below(r, 4)));
		} else if (k < 8 || !pm_free_piece(r, &st, &sz)) {
			op->len = pm_gen_regions(r, false, op->buf);
		} else {	/* one range named twice, or overlapping itself */
			op->len = sprintf(op->buf, "%llu:%llu,%llu:%llu",
					  (unsigned long long)st, (unsigned long long)sz,
					  (unsigned long long)(st + SUB * fz_below(r, 2)),
					  (unsigned long long)SUB);
		}
		for (i = 0; i < (int)op->len; i++)
			if (strchr(" \t\n\"'", op->buf[i]) || !op->buf[i])
				op->buf[i] = 'x';
		return;
	case PM_API_ADD:
		snprintf(op->path, sizeof(op->path), "hotmem_pagemap_example");
		if (!pm_free_piece(r, &op->n1, &op->n2) || fz_chance(r, 15)) {
			op->n1 = fz_chance(r, 50) && pm.pm_size ? pm.pm_start :
				pm.sr_start + SUB * fz_below(r, 8);
			op->n2 = SUB * (1 + fz_below(r, 4));
		}
		return;
	case PM_API_REMOVE:
		snprintf(op->path, sizeof(op->path), "hotmem_pagemap_example");
		return;
	case PM_CREATE:
		if (pm_live_insts(s) >= 12) {
			op->code = PM_DELETE;	/* enough instances: make room */
			break;
		}
		snprintf(op->path, sizeof(op->path), CLS "region%d/create", pm.reg[s].id);
		op->len = fz_gen_switch(r, fz_chance(r, inputs ? 50 : 5), op->buf);
		if (op->len && !inputs && fz_chance(r, 90))
			op->buf[0] = '1';
		return;
	case PM_UNMAP:
		op->i1 = fz_below(r, PM_HELD);
		snprintf(op->path, sizeof(op->path), "held%d", op->i1);
		return;
	case PM_DISABLE:
		pm_gen_disable(r, inputs, s, op);
		return;
	case PM_EXPEDITE:
		snprintf(op->path, sizeof(op->path), "%s", EXPEDITE);
		op->len = fz_gen_bool(r, fz_chance(r, inputs ? 50 : 5), op->buf);
		return;
	default:
		break;
	}
	id = pm_pick_inst(r, s, op->code == PM_MAP && fz_chance(r, 90));
	if (op->code == PM_DELETE) {
		snprintf(op->path, sizeof(op->path), CLS "region%d/delete", pm.reg[s].id);
		if (id >= 0 && fz_chance(r, 85))
			op->len = sprintf(op->buf, "pm%d.%d", pm.reg[s].id, id);
		else
			op->len = sprintf(op->buf, "pm%d.%d", (int)fz_below(r, 3),
					  (int)fz_below(r, 30));
		if (fz_chance(r, 50))
			op->buf[op->len++] = '\n';
		if (fz_chance(r, inputs ? 40 : 5))
			op->len = fz_mutate(r, op->buf, op->len);
		return;
	}
	if (id < 0 && pm_live_insts(s) >= 12)
		id = pm_pick_inst(r, s, false);
	if (id < 0) {
		op->code = PM_CREATE;
		snprintf(op->path, sizeof(op->path), CLS "region%d/create", pm.reg[s].id);
		op->len = sprintf(op->buf, "1");
		return;
	}
	if (op->code == PM_MIGRATE) {
		pm_gen_migrate(r, inputs, s, id, op);
		return;
	}
	if (op->code == PM_MAP) {
		const struct pm_inst *in = &pm.reg[s].inst[id];
		__u64 u = in->enabled ? pm_usable(in) : 0;

		snprintf(op->path, sizeof(op->path), "/dev/pm%d.%d", pm.reg[s].id, id);
		sz = 4096 * (1 + fz_below(r, fz_chance(r, 50) ? 16 : 4096));
		st = u > sz ? 4096 * fz_below(r, (u - sz) / 4096 + 1) : 0;
		if (fz_chance(r, 10))
			st = u;		/* past the end */
		op->n1 = st;
		op->n2 = sz;
		for (h = 0; h < PM_HELD && pm.held[h].used; h++)
			;
		op->i1 = h < PM_HELD && fz_chance(r, 40);
		return;
	}
	/* inputs: sometimes aim at an instance of 64 ranges */
	if (inputs && !pm.frag_left && fz_chance(r, 3) && !pm.reg[s].inst[id].enabled &&
	    !pm.reg[s].inst[id].nr) {
		pm.frag_slot = s;
		pm.frag_id = id;
		pm.frag_left = PM_RANGES;
		pm.frag_grow = true;
	}
	pm_gen_attr(r, inputs, s, id, op);
}

static void pm_describe(const struct fz_op *op, char *buf, size_t len)
{
	char q[200];

	fz_quote(op->buf, op->len, q, sizeof(q));
	switch (op->code) {
	case PM_LOAD:
		snprintf(buf, len, "rmmod hotmem_pagemap; modprobe hotmem_pagemap regions=%s", q);
		break;
	case PM_API_ADD:
		snprintf(buf, len, "modprobe hotmem_pagemap_example range=%#llx:%#llx",
			 op->n1, op->n2);
		break;
	case PM_API_REMOVE:
		snprintf(buf, len, "rmmod hotmem_pagemap_example");
		break;
	case PM_MAP:
		snprintf(buf, len, "mmap %s offset %#llx length %#llx, touch%s", op->path,
			 op->n1, op->n2, op->i1 ? ", keep mapped" : ", unmap");
		break;
	case PM_UNMAP:
		snprintf(buf, len, "check and unmap kept mapping %d", op->i1);
		break;
	case PM_MIGRATE:
		snprintf(buf, len, "ioctl %s %s pages %llu-%llu of the buffer%s%s%s%s",
			 op->path, op->i1 & PM_MIG_TO_DEV ? "to the device" : "to RAM",
			 op->n1, op->n1 + op->n2 - 1,
			 op->i1 & PM_MIG_FLAGS ? ", flags not 0" : "",
			 op->i1 & PM_MIG_UNALIGN ? ", addr unaligned" : "",
			 op->i1 & PM_MIG_SHARED ? ", into the shared page" : "",
			 op->i1 & PM_MIG_BADCMD ? ", an unknown ioctl" : "");
		break;
	default:
		snprintf(buf, len, "write %s %s", op->path, q);
	}
}

/* ---- start state ---- */

static int pm_reset(void)
{
	struct hm_res res[HM_MAX_RES];
	struct fz_op op = { .code = PM_LOAD };
	char why[256];
	int h, n, i;

	for (h = 0; h < PM_HELD; h++)
		if (pm.held[h].used)
			munmap(pm.held[h].addr, pm.held[h].len);
	memset(&pm.held, 0, sizeof(pm.held));
	if (hm_exists("/sys/module/hotmem_pagemap_example"))
		fz_exec("/sbin/rmmod", "hotmem_pagemap_example", NULL);
	if (hm_exists("/sys/module/hotmem_pagemap"))
		fz_exec("/sbin/rmmod", "hotmem_pagemap", NULL);
	if (hm_exists("/sys/module/hotmem_pagemap"))
		return -EBUSY;
	memset(pm.reg, 0, sizeof(pm.reg));
	/* the module is gone: every page of the buffer is in RAM */
	memset(pm.mig_at, 0, sizeof(pm.mig_at));
	if (!pm.mig) {
		pm.mig = mmap(NULL, (PM_MIG + 1) * PG, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (pm.mig == MAP_FAILED ||
		    mmap(pm.mig + PM_MIG * PG, PG, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
			return -ENOMEM;
		/* an export only a kernel with DEVICE_PRIVATE has */
		pm.has_private = !hm_sh(NULL, 0, "grep -qw %s /proc/kallsyms",
					"make_device_exclusive_range");
	}
	pm.loaded = false;
	pm.example = false;
	pm.listed = 0;
	pm.frag_left = 0;
	pm.frag_grow = false;
	pm.tags++;
	pm_mig_fill();
	if (hm_sr_range(&pm.sr_start, &pm.sr_size))
		return -ENOENT;
	n = hm_iomem(res, HM_MAX_RES);
	i = hm_iomem_find(res, n, "Persistent Memory (legacy)", 0);
	pm.pm_start = i >= 0 ? res[i].start : 0;
	pm.pm_size = i >= 0 ? res[i].end + 1 - res[i].start : 0;
	pm.nr_ram = 0;
	for (i = 0; i < n && pm.nr_ram < 16; i++)
		if (!strcmp(res[i].name, "System RAM")) {
			pm.ram[pm.nr_ram].start = res[i].start;
			pm.ram[pm.nr_ram++].len = res[i].end + 1 - res[i].start;
		}
	op.len = sprintf(op.buf, "%llu:%llu", (unsigned long long)pm.sr_start, G);
	if (pm_step_load(&op, why, sizeof(why)) || !pm.loaded) {
		printf("# reset: %s\n", why);
		return -EIO;
	}
	return 0;
}

static void pm_cleanup(void)
{
	pm_reset();
}

static const struct fz_model pm_model = {
	.name = "pagemap",
	.reset = pm_reset,
	.gen = pm_gen,
	.step = pm_step,
	.check = pm_check,
	.describe = pm_describe,
	.cleanup = pm_cleanup,
	.count = pm_count,
	.names = pm_names,
	.nr_codes = PM_NR,
};

FIXTURE(fz) {
	struct fz_config cfg;
};

FIXTURE_SETUP(fz)
{
	__u64 s, z;

	if (hm_sr_range(&s, &z))
		SKIP(return, "no soft-reserved memory (vm.sh -p soft-reserved)");
	ASSERT_EQ(2 * G, z) TH_LOG("the model expects 2 GiB of soft-reserved memory");
	ASSERT_FALSE(hm_exists("/sys/bus/dax/devices/dax0.0"))
		TH_LOG("dax_hmem must not own the range (module_blacklist=dax_hmem)");
}

FIXTURE_TEARDOWN(fz)
{
	/* after an oops the module's locks may be held for good: leave it */
	if (!fz_kernel_broken())
		hm_sh(NULL, 0, "rmmod hotmem_pagemap_example 2>/dev/null; rmmod hotmem_pagemap");
}

/*
 * A walk of valid operations, a few spoiled: create, size, mapping,
 * align, memmap, enabled, region disable, delete, regions, map and touch,
 * the API.
 */
TEST_F_TIMEOUT(fz, walk, 3600)
{
	fz_config_from_env(&self->cfg, 30, 200, false);
	EXPECT_EQ(0, fz_run_forked(&pm_model, &self->cfg));
}

/*
 * The input grammar: mostly malformed and limit values on every file,
 * from states a walk rarely reaches (an instance of 64 ranges).
 */
TEST_F_TIMEOUT(fz, inputs, 3600)
{
	fz_config_from_env(&self->cfg, 30, 200, true);
	EXPECT_EQ(0, fz_run_forked(&pm_model, &self->cfg));
}

TEST_HARNESS_MAIN
