// SPDX-License-Identifier: GPL-2.0
/*
 * Coherent and private instances of hotmem_pagemap: a process's anonymous
 * memory migrated into device memory and back through the ioctls of
 * include/uapi/hotmem/pagemap.h.  Where each page lives is read from
 * /proc/self/pagemap (a PFN inside the instance, a device-private swap
 * entry naming one, or a RAM PFN), the data is read back, and
 * allocated_bytes says how much of the instance is in use.  Private
 * memory needs a kernel with CONFIG_DEVICE_PRIVATE (the debug lane); on
 * the others "private" is refused with EOPNOTSUPP, which is asserted.
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <linux/io_uring.h>

#include <hotmem/pagemap.h>

#include "kselftest_harness.h"
#include "hotmem_util.h"
#include "hotmem_pagemap.h"

#pragma GCC diagnostic ignored "-Wclobbered"

#define CLS	HM_PM_CLS "/"
#define PG	4096UL
#define M	(1024ULL * 1024)

/* pagemap entry bits (Documentation/admin-guide/mm/pagemap.rst) */
#define PM_PRESENT	0x8000000000000000ULL
#define PM_SWAP		0x4000000000000000ULL
#define PM_PFN(e)	((e) & ((1ULL << 55) - 1))
/* a swap entry: type in bits 0-4, offset (a PFN for device entries) above */
#define PM_SWP_OFF(e)	(PM_PFN(e) >> 5)

/* where a page of ours is */
enum where { W_NONE, W_RAM, W_DEV, W_PRIV, W_OTHER };

/* does this kernel have device-private memory (an export only it has)? */
static bool have_device_private(void)
{
	return hm_sh(NULL, 0, "grep -qw make_device_exclusive_range /proc/kallsyms") == 0;
}

static int migrate(int fd, unsigned long cmd, void *addr, __u64 npages,
		   __u64 *done)
{
	struct hotmem_pm_migrate m = {
		.addr = (unsigned long)addr,
		.npages = npages,
		.done = ~0ULL,
	};
	int rc = ioctl(fd, cmd, &m);

	if (done)
		*done = m.done;
	return rc ? -errno : 0;
}

FIXTURE(mig) {
	__u64 start, size;	/* the soft-reserved range */
	__u64 lo, hi;		/* the instance pm0.0: [lo, hi) */
	int fd;
	bool private;
};

FIXTURE_VARIANT(mig) {
	const char *type;
	const char *memmap;
	__u64 size;		/* of pm0.0 */
};

FIXTURE_VARIANT_ADD(mig, coherent_ram) {
	.type = "coherent", .memmap = "ram", .size = 32 * M,
};

/* 128 MiB: a whole section, whose memmap the device holds */
FIXTURE_VARIANT_ADD(mig, coherent_dev) {
	.type = "coherent", .memmap = "dev", .size = 128 * M,
};

FIXTURE_VARIANT_ADD(mig, private) {
	.type = "private", .memmap = "ram", .size = 32 * M,
};

/*
 * An instance NAME of TYPE, SIZE and MEMMAP, enabled; its physical range
 * in [*lo, *hi).  0, or the errno of the first step that failed.
 */
static int inst_make(const char *name, const char *type, const char *memmap,
		     __u64 size, __u64 *lo, __u64 *hi)
{
	char n[32];
	int rc;

	/* a region's seed exists; another instance of region0 is created */
	if (!hm_exists(CLS "%s", name)) {
		rc = hm_pm_create(CLS "region0", n, sizeof(n));
		if (rc || strcmp(n, name))
			return rc ? rc : -EIO;
	}
	rc = hm_write(type, CLS "%s/type", name);
	if (!rc)
		rc = hm_write(memmap, CLS "%s/memmap", name);
	if (!rc)
		rc = hm_pm_set_size(CLS, name, size);
	if (!rc)
		rc = hm_pm_enable(name, true);
	if (!rc && lo) {
		*lo = hm_read_ll(CLS "%s/mapping0/start", name);
		*hi = hm_read_ll(CLS "%s/mapping0/end", name) + 1;
	}
	return rc;
}

FIXTURE_SETUP(mig)
{
	ASSERT_EQ(0, hm_sr_range(&self->start, &self->size))
		TH_LOG("suite needs soft-reserved memory (vm.sh -p soft-reserved)");
	/*
	 * Side by side with the reference: hmm_ref, earlier in the same boot
	 * on the debug kernel, leaves lib/test_hmm's coherent devices on the
	 * lower half of the range; hotmem takes the upper half.
	 */
	if (hm_exists("/sys/module/test_hmm")) {
		self->size /= 2;
		self->start += self->size;
	}
	if (hm_exists("/sys/module/hotmem_pagemap"))
		hm_sh(NULL, 0, "rmmod hotmem_pagemap");
	ASSERT_EQ(0, hm_sh(NULL, 0, "/sbin/modprobe hotmem_pagemap regions=%llu:%llu",
			   self->start, self->size));
	self->private = !strcmp(variant->type, "private");
	self->fd = -1;
	if (self->private && !have_device_private()) {
		/* refused, and nothing changed: the flows need the kernel's support */
		ASSERT_EQ(-EOPNOTSUPP, hm_write("private", CLS "pm0.0/type"));
		SKIP(return, "no CONFIG_DEVICE_PRIVATE: \"private\" is EOPNOTSUPP (asserted)");
	}
	ASSERT_EQ(0, inst_make("pm0.0", variant->type, variant->memmap,
			       variant->size, &self->lo, &self->hi));
	ASSERT_EQ(variant->size, self->hi - self->lo);
	self->fd = open("/dev/pm0.0", O_RDWR);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(mig)
{
	if (self->fd >= 0)
		close(self->fd);
	hm_sh(NULL, 0, "rmmod hotmem_pagemap");
}

static __u64 pm_entry(const void *p)
{
	__u64 e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &e, sizeof(e), (unsigned long)p / PG * sizeof(e)) != sizeof(e))
		e = 0;
	close(fd);
	return e;
}

/* where the page of pagemap entry @e is, relative to the instance [lo, hi) */
static enum where where_entry(__u64 e, __u64 lo, __u64 hi)
{
	__u64 pa;

	if (e & PM_PRESENT) {
		pa = PM_PFN(e) * PG;
		if (!PM_PFN(e))
			return W_OTHER;		/* PFNs hidden: not root */
		return pa >= lo && pa < hi ? W_DEV : W_RAM;
	}
	if (e & PM_SWAP) {
		pa = PM_SWP_OFF(e) * PG;
		return pa >= lo && pa < hi ? W_PRIV : W_OTHER;
	}
	return W_NONE;
}

/* where the page at @p is, relative to the instance [lo, hi) */
static enum where where(const void *p, __u64 lo, __u64 hi)
{
	return where_entry(pm_entry(p), lo, hi);
}

/* the page a migrated page of this variant shows */
static enum where on_dev(bool private)
{
	return private ? W_PRIV : W_DEV;
}

/*
 * pages of [p, p + len) that are @w; the entries read 512 at a time (a
 * syscall per page takes minutes for 128 MiB on the debug kernel)
 */
static unsigned long count_where(const char *p, size_t len, __u64 lo, __u64 hi,
				 enum where w)
{
	__u64 e[512], first = (unsigned long)p / PG, npages = len / PG, i, j, k;
	unsigned long n = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	/* unreadable: a count no assertion expects */
	if (fd < 0)
		return ULONG_MAX;
	for (i = 0; i < npages; i += k) {
		k = npages - i < 512 ? npages - i : 512;
		if (pread(fd, e, k * sizeof(e[0]), (first + i) * sizeof(e[0])) !=
		    (ssize_t)(k * sizeof(e[0]))) {
			n = ULONG_MAX;
			break;
		}
		for (j = 0; j < k; j++)
			n += where_entry(e[j], lo, hi) == w;
	}
	close(fd);
	return n;
}

static void fill(char *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i += sizeof(__u64))
		*(__u64 *)(p + i) = (i + 1) * 0x9e3779b97f4a7c15ULL + seed;
}

/* bytes of [p, p + len) that differ from fill(seed): 0 if all match */
static size_t check(const char *p, size_t len, unsigned int seed)
{
	size_t i, bad = 0;

	for (i = 0; i < len; i += sizeof(__u64))
		bad += *(const __u64 *)(p + i) != (i + 1) * 0x9e3779b97f4a7c15ULL + seed;
	return bad;
}

static char *anon(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static long long allocated(const char *inst)
{
	return hm_read_ll(CLS "%s/allocated_bytes", inst);
}

/*
 * Data both ways, 4 KiB to 8 MiB: every page lands in the instance, reads
 * back what was written, and is in RAM again after the way back.
 */
TEST_F(mig, round_trip)
{
	static const size_t sizes[] = { PG, 16 * PG, 2 * M, 8 * M };
	unsigned int k;
	__u64 done;
	char *p;

	/* memmap "dev": the section's struct pages are on the device */
	EXPECT_EQ(strcmp(variant->memmap, "dev") ? 0 : 2 * M,
		  hm_read_ll(CLS "pm0.0/memmap_device_bytes"));
	for (k = 0; k < ARRAY_SIZE(sizes); k++) {
		size_t len = sizes[k], np = len / PG;

		p = anon(len);
		ASSERT_NE(NULL, p);
		fill(p, len, k);
		ASSERT_EQ(np, count_where(p, len, self->lo, self->hi, W_RAM));
		ASSERT_EQ(0, migrate(self->fd, HOTMEM_PM_MIGRATE_TO_DEV, p, np, &done));
		EXPECT_EQ(np, done);
		EXPECT_EQ(np, count_where(p, len, self->lo, self->hi,
					  on_dev(self->private)));
		EXPECT_EQ(len, allocated("pm0.0"));
		/* coherent: read in place; private: the read faults it back */
		EXPECT_EQ(0, check(p, len, k)) TH_LOG("size %zu", len);
		if (self->private) {
			EXPECT_EQ(np, count_where(p, len, self->lo, self->hi, W_RAM));
			EXPECT_EQ(0, allocated("pm0.0"));
			ASSERT_EQ(0, migrate(self->fd, HOTMEM_PM_MIGRATE_TO_DEV, p,
					     np, &done));
		} else {
			EXPECT_EQ(np, count_where(p, len, self->lo, self->hi, W_DEV));
		}
		ASSERT_EQ(0, migrate(self->fd, HOTMEM_PM_MIGRATE_TO_RAM, p, np, &done));
		EXPECT_EQ(np, done);
		EXPECT_EQ(np, count_where(p, len, self->lo, self->hi, W_RAM));
		EXPECT_EQ(0, allocated("pm0.0"));
		EXPECT_EQ(0, check(p, len, k));
		munmap(p, len);
	}
}

/* Never-touched memory is allocated zeroed on the device; again is a no-op. */
TEST_F(mig, untouched_and_again)
{
	size_t len = 64 * PG, i;
	__u64 done;
	char *p = anon(len);

	ASSERT_NE(NULL, p);
	ASSERT_EQ(len / PG, count_where(p, len, self->lo, self->hi, W_NONE));
	ASSERT_EQ(0, migrate(self->fd, HOTMEM_PM_MIGRATE_TO_DEV, p, len / PG, &done));
	EXPECT_EQ(len / PG, done);
	EXPECT_EQ(len / PG, count_where(p, len, self->lo, self->hi,
					on_dev(self->private)));
	/* already there: done, nothing more allocated */
	ASSERT_EQ(0, migrate(self->fd, HOTMEM_PM_MIGRATE_TO_DEV, p, len / PG, &done));
	EXPECT_EQ(len / PG, done);
	EXPECT_EQ(len, allocated("pm0.0"));
	for (i = 0; i < len; i++)
		if (p[i])
			break;
	EXPECT_EQ(len, i);
	munmap(p, len);
}

/* munmap of migrated memory gives the pages back: allocated_bytes is 0. */
TEST_F(mig, munmap_frees)
{
	size_t len = 4 * M;
	char *p = anon(len);

	ASSERT_NE(NULL, p);
	fill(p, len, 7);
	ASSERT_EQ(0, migrate(self->fd, HOTMEM_PM_MIGRATE_TO_DEV, p, len / PG, NULL));
	EXPECT_EQ(len, allocated("pm0.0"));
	ASSERT_EQ(0, munmap(p, len));
	EXPECT_EQ(0, allocated("pm0.0"));
	/* and the instance can be disabled now */
	close(self->fd);
	self->fd = -1;
	EXPECT_EQ(0, hm_pm_enable("pm0.0", false));
}

/* An instance filling up: ENOSPC, done says how far, the data is intact. */
/* 128 MiB on coherent_dev: more than 30 s on the debug kernel */
TEST_F_TIMEOUT(mig, fill_up, 60)
{
	size_t cap = self->hi - self->lo, len;
	__u64 done, fit;
	char *p;

	/* with memmap "dev" the first pages of each section hold struct pages */
	fit = (cap - hm_read_ll(CLS "pm0.0/memmap_device_bytes")) / PG;
	len = fit * PG + 4 * M;
	p = anon(len);
	ASSERT_NE(NULL, p);
	fill(p, len, 3);
	EXPECT_EQ(-ENOSPC, migrate(self->fd, HOTMEM_PM_MIGRATE_TO_DEV, p, len / PG,
				   &done));
	EXPECT_EQ(fit, done);
	EXPECT_EQ(fit * PG, allocated("pm0.0"));
	EXPECT_EQ(fit, count_where(p, len, self->lo, self->hi, on_dev(self->private)));
	EXPECT_EQ(len / PG - fit, count_where(p, len, self->lo, self->hi, W_RAM));
	ASSERT_EQ(0, migrate(self->fd, HOTMEM_PM_MIGRATE_TO_RAM, p, len / PG, &done));
	EXPECT_EQ(len / PG, done);
	EXPECT_EQ(0, allocated("pm0.0"));
	EXPECT_EQ(0, check(p, len, 3));
	munmap(p, len);
}

/*
 * fork() of migrated memory: the child reads the parent's data and its
 * writes go to its own copy (copy-on-write); the parent's stay.
 */
TEST_F(mig, fork_cow)
{
	size_t len = 2 * M;
	int status;
	pid_t pid;
	char *p = anon(len);

	ASSERT_NE(NULL, p);
	fill(p, len, 11);
	ASSERT_EQ(0, migrate(self->fd, HOTMEM_PM_MIGRATE_TO_DEV, p, len / PG, NULL));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (check(p, len, 11))
			_exit(1);
		fill(p, len, 12);
		_exit(check(p, len, 12) ? 2 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status)) TH_LOG("status %#x", status);
	EXPECT_EQ(0, check(p, len, 11));
	ASSERT_EQ(0, migrate(self->fd, HOTMEM_PM_MIGRATE_TO_RAM, p, len / PG, NULL));
	EXPECT_EQ(0, check(p, len, 11));
	EXPECT_EQ(0, allocated("pm0.0"));
	munmap(p, len);
}

/*
 * Two instances are two owners: each moves only its own pages, and a page
 * on the other cannot be taken (EBUSY, done 0).
 */
TEST_F(mig, two_owners)
{
	size_t len = 1 * M;
	__u64 lo1, hi1, done;
	char *a = anon(len), *b = anon(len);
	int fd1;

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	ASSERT_EQ(0, inst_make("pm0.1", variant->type, variant->memmap, 64 * M,
			       &lo1, &hi1));
	fd1 = open("/dev/pm0.1", O_RDWR);
	ASSERT_LE(0, fd1);
	fill(a, len, 21);
	fill(b, len, 22);
	ASSERT_EQ(0, migrate(self->fd, HOTMEM_PM_MIGRATE_TO_DEV, a, len / PG, NULL));
	ASSERT_EQ(0, migrate(fd1, HOTMEM_PM_MIGRATE_TO_DEV, b, len / PG, NULL));
	EXPECT_EQ(len / PG, count_where(a, len, self->lo, self->hi, on_dev(self->private)));
	EXPECT_EQ(len / PG, count_where(b, len, lo1, hi1, on_dev(self->private)));
	EXPECT_EQ(len, allocated("pm0.0"));
	EXPECT_EQ(len, allocated("pm0.1"));
	/* a's pages are pm0.0's */
	EXPECT_EQ(-EBUSY, migrate(fd1, HOTMEM_PM_MIGRATE_TO_DEV, a, len / PG, &done));
	EXPECT_EQ(0, done);
	/* pm0.1 has none of them to move out: done, and they stay */
	ASSERT_EQ(0, migrate(fd1, HOTMEM_PM_MIGRATE_TO_RAM, a, len / PG, &done));
	EXPECT_EQ(len / PG, done);
	EXPECT_EQ(len / PG, count_where(a, len, self->lo, self->hi, on_dev(self->private)));
	EXPECT_EQ(len, allocated("pm0.0"));
	EXPECT_EQ(0, check(a, len, 21));
	EXPECT_EQ(0, check(b, len, 22));
	munmap(a, len);
	munmap(b, len);
	EXPECT_EQ(0, allocated("pm0.0"));
	EXPECT_EQ(0, allocated("pm0.1"));
	close(fd1);
}

/*
 * O_DIRECT from a file into migrated memory: the kernel pins the pages
 * (FOLL_PIN) where they are, so coherent pages stay in the instance;
 * private pages cannot be pinned and come back to RAM first.
 */
TEST_F(mig, odirect_read_into)
{
	size_t len = 1 * M;
	char *p = anon(len), *src = anon(len);
	const char *f = "/tmp/mig_odirect";
	int fd;

	ASSERT_NE(NULL, p);
	ASSERT_NE(NULL, src);
	fill(src, len, 31);
	fd = open(f, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(len, write(fd, src, len));
	close(fd);
	fill(p, len, 32);
	ASSERT_EQ(0, migrate(self->fd, HOTMEM_PM_MIGRATE_TO_DEV, p, len / PG, NULL));
	fd = open(f, O_RDONLY | O_DIRECT);
	if (fd < 0 && errno == EINVAL)
		fd = open(f, O_RDONLY);		/* tmpfs: no O_DIRECT */
	ASSERT_LE(0, fd);
	ASSERT_EQ(len, pread(fd, p, len, 0));
	close(fd);
	unlink(f);
	EXPECT_EQ(len / PG, count_where(p, len, self->lo, self->hi,
					self->private ? W_RAM : W_DEV));
	EXPECT_EQ(0, check(p, len, 31));
	munmap(p, len);
	munmap(src, len);
}

static int io_uring_setup_raw(unsigned int entries, struct io_uring_params *p)
{
	return syscall(__NR_io_uring_setup, entries, p);
}

/*
 * A long-term pin (io_uring buffer registration, FOLL_LONGTERM): the
 * kernel moves device pages to RAM before it pins them.
 */
TEST_F(mig, longterm_pin_moves_to_ram)
{
	struct io_uring_params params = { 0 };
	size_t len = 1 * M;
	struct iovec iov;
	char *p = anon(len);
	int ring;

	ASSERT_NE(NULL, p);
	fill(p, len, 41);
	ASSERT_EQ(0, migrate(self->fd, HOTMEM_PM_MIGRATE_TO_DEV, p, len / PG, NULL));
	ring = io_uring_setup_raw(4, &params);
	ASSERT_LE(0, ring) TH_LOG("io_uring_setup: %s", strerror(errno));
	iov.iov_base = p;
	iov.iov_len = len;
	ASSERT_EQ(0, syscall(__NR_io_uring_register, ring, IORING_REGISTER_BUFFERS,
			     &iov, 1)) TH_LOG("register: %s", strerror(errno));
	EXPECT_EQ(len / PG, count_where(p, len, self->lo, self->hi, W_RAM));
	EXPECT_EQ(0, allocated("pm0.0"));
	EXPECT_EQ(0, check(p, len, 41));
	/* pinned in RAM: a move back to the device cannot take them */
	EXPECT_EQ(-EBUSY, migrate(self->fd, HOTMEM_PM_MIGRATE_TO_DEV, p, len / PG, NULL));
	EXPECT_EQ(0, allocated("pm0.0"));
	close(ring);
	munmap(p, len);
}

/* evict moves everything back; a page held by a pipe makes it EBUSY. */
TEST_F(mig, evict)
{
	size_t len = 2 * M;
	struct iovec iov;
	char *p = anon(len);
	int pfd[2];

	ASSERT_NE(NULL, p);
	fill(p, len, 51);
	ASSERT_EQ(0, migrate(self->fd, HOTMEM_PM_MIGRATE_TO_DEV, p, len / PG, NULL));
	ASSERT_EQ(len, allocated("pm0.0"));
	EXPECT_EQ(0, hm_write("1", CLS "pm0.0/evict"));
	EXPECT_EQ(0, allocated("pm0.0"));
	EXPECT_EQ(len / PG, count_where(p, len, self->lo, self->hi, W_RAM));
	EXPECT_EQ(0, check(p, len, 51));
	/* nothing in use: still 0 */
	EXPECT_EQ(0, hm_write("1", CLS "pm0.0/evict"));
	if (self->private)
		return;		/* a pipe cannot hold a private page */
	ASSERT_EQ(0, migrate(self->fd, HOTMEM_PM_MIGRATE_TO_DEV, p, len / PG, NULL));
	ASSERT_EQ(0, pipe(pfd));
	iov.iov_base = p;
	iov.iov_len = PG;
	ASSERT_EQ(PG, vmsplice(pfd[1], &iov, 1, 0));
	EXPECT_EQ(-EBUSY, hm_write("1", CLS "pm0.0/evict"));
	EXPECT_EQ(PG, allocated("pm0.0"));
	EXPECT_EQ(-EBUSY, hm_pm_enable("pm0.0", false));
	close(pfd[0]);
	close(pfd[1]);
	EXPECT_EQ(0, hm_write("1", CLS "pm0.0/evict"));
	EXPECT_EQ(0, allocated("pm0.0"));
	EXPECT_EQ(0, check(p, len, 51));
	munmap(p, len);
}

/* Malformed ioctls and attribute writes: a clean errno, nothing moved. */
TEST_F(mig, bad_input)
{
	struct hotmem_pm_migrate m;
	size_t len = 16 * PG;
	char *p = anon(len), *shared, *hole;
	char s[64];

	ASSERT_NE(NULL, p);
	fill(p, len, 61);
	shared = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		      -1, 0);
	ASSERT_NE(MAP_FAILED, shared);
	hole = anon(3 * len);
	ASSERT_NE(NULL, hole);
	ASSERT_EQ(0, munmap(hole + len, len));
	memset(&m, 0, sizeof(m));
	m.addr = (unsigned long)p;
	m.npages = 1;
	m.flags = 1;
	EXPECT_EQ(-1, ioctl(self->fd, HOTMEM_PM_MIGRATE_TO_DEV, &m));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-EINVAL, migrate(self->fd, HOTMEM_PM_MIGRATE_TO_DEV, p + 1, 1, NULL));
	EXPECT_EQ(-EINVAL, migrate(self->fd, HOTMEM_PM_MIGRATE_TO_DEV, p, 0, NULL));
	EXPECT_EQ(-EINVAL, migrate(self->fd, HOTMEM_PM_MIGRATE_TO_DEV, p, 1ULL << 52, NULL));
	EXPECT_EQ(-EINVAL, migrate(self->fd, HOTMEM_PM_MIGRATE_TO_DEV, p, ~0ULL, NULL));
	EXPECT_EQ(-EINVAL, migrate(self->fd, HOTMEM_PM_MIGRATE_TO_DEV, shared, 1, NULL));
	/* a hole in the middle: nothing of the range moves */
	EXPECT_EQ(-EINVAL, migrate(self->fd, HOTMEM_PM_MIGRATE_TO_DEV, hole, 3 * len / PG,
				   NULL));
	EXPECT_EQ(-EINVAL, migrate(self->fd, HOTMEM_PM_MIGRATE_TO_RAM, shared, 1, NULL));
	EXPECT_EQ(-EFAULT, ioctl(self->fd, HOTMEM_PM_MIGRATE_TO_DEV, NULL) ? -errno : 0);
	EXPECT_EQ(-ENOTTY, ioctl(self->fd, _IO(HOTMEM_PM_IOC_MAGIC, 9), 0) ? -errno : 0);
	EXPECT_EQ(0, allocated("pm0.0"));
	EXPECT_EQ(len / PG, count_where(p, len, self->lo, self->hi, W_RAM));
	EXPECT_EQ(0, check(p, len, 61));
	/* not mapped: its memory reaches a process by migration */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 2 * M, PROT_READ, MAP_SHARED, self->fd, 0));
	EXPECT_EQ(ENODEV, errno);
	/* the attributes */
	EXPECT_EQ(-EINVAL, hm_write("bogus", CLS "pm0.0/type"));
	EXPECT_EQ(-EINVAL, hm_write("coherent ", CLS "pm0.0/type"));
	EXPECT_EQ(-EBUSY, hm_write(self->private ? "coherent" : "generic",
				   CLS "pm0.0/type"));
	EXPECT_EQ(0, hm_write(variant->type, CLS "pm0.0/type"));
	hm_read_str(s, sizeof(s), CLS "pm0.0/type");
	EXPECT_STREQ(variant->type, s);
	EXPECT_EQ(-EINVAL, hm_write("0", CLS "pm0.0/evict"));
	EXPECT_EQ(-EINVAL, hm_write("2", CLS "pm0.0/evict"));
	EXPECT_EQ(-EINVAL, hm_write("x", CLS "pm0.0/evict"));
	EXPECT_EQ(-EACCES, hm_write("1", CLS "pm0.0/allocated_bytes"));
	/* in use: no disable */
	ASSERT_EQ(0, migrate(self->fd, HOTMEM_PM_MIGRATE_TO_DEV, p, 1, NULL));
	close(self->fd);
	self->fd = -1;
	EXPECT_EQ(-EBUSY, hm_pm_enable("pm0.0", false));
	EXPECT_EQ(1, hm_read_ll(CLS "pm0.0/enabled"));
	EXPECT_EQ(PG, allocated("pm0.0"));
	EXPECT_EQ(0, check(p, len, 61));
	munmap(p, len);
	EXPECT_EQ(0, allocated("pm0.0"));
	EXPECT_EQ(0, hm_pm_enable("pm0.0", false));
	munmap(shared, len);
	munmap(hole, len);
	munmap(hole + 2 * len, len);
}

/*
 * A region taken back by its owner through the API (the example module's
 * unload): the instance's pages in use are moved back to RAM, not lost
 * (a generic instance's mappings get SIGBUS instead); its files get ENXIO.
 */
TEST_F(mig, api_removal_evicts)
{
	const __u64 half = self->size / 2;
	size_t len = 2 * M;
	__u64 lo, hi;
	char *p;
	int fd;

	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(0, hm_sh(NULL, 0, "rmmod hotmem_pagemap"));
	ASSERT_EQ(0, hm_sh(NULL, 0, "/sbin/modprobe hotmem_pagemap regions=%llu:%llu",
			   self->start, half));
	ASSERT_EQ(0, hm_sh(NULL, 0, "/sbin/modprobe hotmem_pagemap_example range=%llu:%llu",
			   self->start + half, half));
	ASSERT_EQ(0, inst_make("pm1.0", variant->type, variant->memmap, variant->size,
			       &lo, &hi));
	fd = open("/dev/pm1.0", O_RDWR);
	ASSERT_LE(0, fd);
	p = anon(len);
	ASSERT_NE(NULL, p);
	fill(p, len, 81);
	ASSERT_EQ(0, migrate(fd, HOTMEM_PM_MIGRATE_TO_DEV, p, len / PG, NULL));
	ASSERT_EQ(len / PG, count_where(p, len, lo, hi, on_dev(self->private)));
	EXPECT_EQ(len, allocated("pm1.0"));
	ASSERT_EQ(0, hm_sh(NULL, 0, "rmmod hotmem_pagemap_example"));
	EXPECT_FALSE(hm_exists(CLS "region1"));
	EXPECT_FALSE(hm_exists(CLS "pm1.0"));
	EXPECT_EQ(len / PG, count_where(p, len, lo, hi, W_RAM));
	EXPECT_EQ(0, check(p, len, 81));
	EXPECT_EQ(-ENXIO, migrate(fd, HOTMEM_PM_MIGRATE_TO_DEV, p, len / PG, NULL));
	close(fd);
	munmap(p, len);
}

/* the physical address of the device page behind @p (present or private) */
static __u64 dev_phys(const void *p)
{
	__u64 e = pm_entry(p);

	if (e & PM_PRESENT)
		return PM_PFN(e) * PG;
	return e & PM_SWAP ? PM_SWP_OFF(e) * PG : 0;
}

/*
 * memory_failure() on a page in use and on a free one: both quarantined
 * ("poisoned" counts them); the page in use is moved to RAM with its
 * data (the emulated poison reads fine) and the process keeps running;
 * neither is ever handed out again, so the instance holds two pages less,
 * nor by the next instance on that memory.
 */
/* fills 128 MiB twice on coherent_dev */
TEST_F_TIMEOUT(mig, memory_failure_quarantines, 90)
{
	const char *hop = "/sys/devices/system/memory/hard_offline_page";
	size_t len = 16 * PG, cap;
	__u64 used, free_pa, done, fit, lo, hi;
	char v[32], *p, *all;
	int fd;

	if (!hm_exists("%s", hop))
		SKIP(return, "kernel without CONFIG_MEMORY_FAILURE (no %s)", hop);
	hm_dmesg_allow("Memory failure: 0x[0-9a-f]+: recovery action for dax page: Recovered");
	hm_dmesg_allow("pm0\\.0: memory failure at pfn 0x[0-9a-f]+: quarantined");
	p = anon(len);
	ASSERT_NE(NULL, p);
	fill(p, len, 71);
	ASSERT_EQ(0, migrate(self->fd, HOTMEM_PM_MIGRATE_TO_DEV, p, len / PG, NULL));
	used = dev_phys(p);
	ASSERT_LE(self->lo, used);
	ASSERT_GT(self->hi, used);
	/* the first page after the memmap: free (the list hands it out last) */
	free_pa = self->lo + hm_read_ll(CLS "pm0.0/memmap_device_bytes");
	ASSERT_NE(free_pa, used);
	EXPECT_EQ(0, hm_read_ll(CLS "pm0.0/poisoned"));
	snprintf(v, sizeof(v), "%#llx", used);
	EXPECT_EQ(0, hm_write(v, "%s", hop));
	EXPECT_EQ(1, hm_read_ll(CLS "pm0.0/poisoned"));
	EXPECT_EQ(W_RAM, where(p, self->lo, self->hi));
	EXPECT_EQ(len - PG, allocated("pm0.0"));
	snprintf(v, sizeof(v), "%#llx", free_pa);
	EXPECT_EQ(0, hm_write(v, "%s", hop));
	EXPECT_EQ(2, hm_read_ll(CLS "pm0.0/poisoned"));
	/* again: counted once */
	EXPECT_EQ(0, hm_write(v, "%s", hop));
	EXPECT_EQ(2, hm_read_ll(CLS "pm0.0/poisoned"));
	EXPECT_EQ(len - PG, allocated("pm0.0"));
	EXPECT_EQ(0, check(p, len, 71));
	ASSERT_EQ(0, migrate(self->fd, HOTMEM_PM_MIGRATE_TO_RAM, p, len / PG, NULL));
	EXPECT_EQ(0, check(p, len, 71));
	EXPECT_EQ(0, allocated("pm0.0"));
	munmap(p, len);
	/* fill it: two pages short, neither of them handed out */
	cap = self->hi - self->lo - hm_read_ll(CLS "pm0.0/memmap_device_bytes");
	fit = cap / PG - 2;
	all = anon(cap);
	ASSERT_NE(NULL, all);
	EXPECT_EQ(-ENOSPC, migrate(self->fd, HOTMEM_PM_MIGRATE_TO_DEV, all, cap / PG,
				   &done));
	EXPECT_EQ(fit, done);
	EXPECT_EQ(fit * PG, allocated("pm0.0"));
	EXPECT_EQ(0, count_where(all, cap, used, used + PG, on_dev(self->private)));
	EXPECT_EQ(0, count_where(all, cap, free_pa, free_pa + PG, on_dev(self->private)));
	munmap(all, cap);
	EXPECT_EQ(0, allocated("pm0.0"));
	/*
	 * The record outlives the instance: the same memory in a new one
	 * (the lowest free range, where pm0.0 was) shows both pages
	 * poisoned and still never hands them out.
	 */
	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(0, hm_pm_enable("pm0.0", false));
	ASSERT_EQ(0, hm_pm_set_size(CLS, "pm0.0", 0));
	ASSERT_EQ(0, inst_make("pm0.1", variant->type, variant->memmap, variant->size,
			       &lo, &hi));
	ASSERT_EQ(self->lo, lo);
	EXPECT_EQ(2, hm_read_ll(CLS "pm0.1/poisoned"));
	fd = open("/dev/pm0.1", O_RDWR);
	ASSERT_LE(0, fd);
	all = anon(cap);
	ASSERT_NE(NULL, all);
	EXPECT_EQ(-ENOSPC, migrate(fd, HOTMEM_PM_MIGRATE_TO_DEV, all, cap / PG, &done));
	EXPECT_EQ(fit, done);
	EXPECT_EQ(0, count_where(all, cap, used, used + PG, on_dev(self->private)));
	EXPECT_EQ(0, count_where(all, cap, free_pa, free_pa + PG, on_dev(self->private)));
	munmap(all, cap);
	close(fd);
	EXPECT_EQ(0, allocated("pm0.1"));
}

/*
 * The type's own rules, on a disabled instance: private takes no memmap
 * "dev" (the kernel gives it no altmap), and is EOPNOTSUPP on a kernel
 * without CONFIG_DEVICE_PRIVATE; a generic instance has no ioctls.
 */
TEST_F(mig, type_rules)
{
	char s[64];
	int fd;

	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(0, hm_pm_enable("pm0.0", false));
	ASSERT_EQ(0, hm_write("generic", CLS "pm0.0/type"));
	ASSERT_EQ(0, hm_write("dev", CLS "pm0.0/memmap"));
	if (have_device_private()) {
		EXPECT_EQ(-EINVAL, hm_write("private", CLS "pm0.0/type"));
		ASSERT_EQ(0, hm_write("ram", CLS "pm0.0/memmap"));
		ASSERT_EQ(0, hm_write("private", CLS "pm0.0/type"));
		EXPECT_EQ(-EINVAL, hm_write("dev", CLS "pm0.0/memmap"));
		ASSERT_EQ(0, hm_write("generic", CLS "pm0.0/type"));
	} else {
		EXPECT_EQ(-EOPNOTSUPP, hm_write("private", CLS "pm0.0/type"));
	}
	hm_read_str(s, sizeof(s), CLS "pm0.0/type");
	EXPECT_STREQ("generic", s);
	ASSERT_EQ(0, hm_pm_enable("pm0.0", true));
	fd = open("/dev/pm0.0", O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-ENOTTY, migrate(fd, HOTMEM_PM_MIGRATE_TO_DEV, s, 1, NULL));
	EXPECT_EQ(-EOPNOTSUPP, hm_write("1", CLS "pm0.0/evict"));
	EXPECT_EQ(0, allocated("pm0.0"));
	close(fd);
}

TEST_HARNESS_MAIN
