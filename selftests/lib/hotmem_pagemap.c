// SPDX-License-Identifier: GPL-2.0
/* The pagemap ABI as the selftests drive it: see hotmem_pagemap.h. */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <unistd.h>

#include "hotmem_pagemap.h"
#include "hotmem_util.h"

/* the byte pin_in_pipe() writes and drain() expects */
#define HM_PM_PIN_BYTE	0x6b

/**
 * hm_pm_create() - a new empty instance, as daxctl create-device makes one
 * @region_dir: the region's sysfs directory
 * @name: set to the new instance's name (what "create" reads back)
 * @len: size of @name
 *
 * Return: 0, the -errno of the write, or -EIO if no name was read.
 */
int hm_pm_create(const char *region_dir, char *name, size_t len)
{
	int rc = hm_write("1", "%s/create", region_dir);

	if (rc)
		return rc;
	return hm_read_str(name, len, "%s/create", region_dir) > 0 ? 0 : -EIO;
}

/**
 * hm_pm_set_size() - write an instance's size, in bytes
 * @sys: the directory holding the instance
 * @inst: its name
 * @size: bytes
 *
 * Return: 0 or the -errno of the write.
 */
int hm_pm_set_size(const char *sys, const char *inst, __u64 size)
{
	char v[32];

	snprintf(v, sizeof(v), "%llu", size);
	return hm_write(v, "%s/%s/size", sys, inst);
}

/**
 * hm_pm_place() - add [@start, @start + @len) to an instance's mapping
 * @sys: the directory holding the instance
 * @inst: its name
 * @start: physical address
 * @len: bytes
 *
 * Return: 0 or the -errno of the write of "START-END".
 */
int hm_pm_place(const char *sys, const char *inst, __u64 start, __u64 len)
{
	char v[64];

	snprintf(v, sizeof(v), "%llx-%llx", start, start + len - 1);
	return hm_write(v, "%s/%s/mapping", sys, inst);
}

static int hm_pm_range_cmp(const void *a, const void *b)
{
	const struct hm_pm_range *x = a, *y = b;

	return x->pgoff < y->pgoff ? -1 : x->pgoff > y->pgoff;
}

/**
 * hm_pm_ranges() - an instance's ranges from its mappingN directories
 * @sys: the directory holding the instance
 * @inst: its name
 * @r: filled with the ranges, in character-device order
 * @max: room in @r
 *
 * dax numbers the directories from an ida, so after a shrink the numbers
 * need not follow the ranges: every one is read and sorted by page_offset.
 *
 * Return: the number of ranges, or -EIO if a file could not be read.
 */
int hm_pm_ranges(const char *sys, const char *inst, struct hm_pm_range *r,
		 int max)
{
	long long s, e, o;
	int i, n = 0;

	for (i = 0; i < HM_PM_MAX_RANGES && n < max; i++) {
		if (!hm_exists("%s/%s/mapping%d", sys, inst, i))
			continue;
		s = hm_read_ll("%s/%s/mapping%d/start", sys, inst, i);
		e = hm_read_ll("%s/%s/mapping%d/end", sys, inst, i);
		o = hm_read_ll("%s/%s/mapping%d/page_offset", sys, inst, i);
		if (s < 0 || e < 0 || o < 0)
			return -EIO;
		r[n].start = s;
		r[n].end = e;
		r[n].pgoff = o;
		n++;
	}
	qsort(r, n, sizeof(*r), hm_pm_range_cmp);
	return n;
}

/**
 * hm_pm_mapping_line() - a range from a hotmem instance's "mapping" file
 * @inst: the instance
 * @idx: the line, from 0
 * @start: set to the first byte
 * @end: set to the last byte
 *
 * Return: 0; -ENOENT if there is no such line; -EIO.
 */
int hm_pm_mapping_line(const char *inst, int idx, __u64 *start, __u64 *end)
{
	char buf[4096], *p = buf;
	int i;

	if (hm_read_str(buf, sizeof(buf), HM_PM_CLS "/%s/mapping", inst) < 0)
		return -EIO;
	for (i = 0; i < idx && p; i++) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (!p || sscanf(p, "%llx-%llx", start, end) != 2)
		return -ENOENT;
	return 0;
}

/**
 * hm_pm_mapping_matches() - does line N of a hotmem instance's "mapping"
 *	file name the range of its mappingN directory, for every N, with no
 *	line and no directory left over?
 * @inst: the instance
 *
 * Return: 0 if so; -EINVAL if not; -EIO.
 */
int hm_pm_mapping_matches(const char *inst)
{
	long long ds, de;
	__u64 s, e;
	int i, rc;

	for (i = 0; hm_exists(HM_PM_CLS "/%s/mapping%d", inst, i); i++) {
		ds = hm_read_ll(HM_PM_CLS "/%s/mapping%d/start", inst, i);
		de = hm_read_ll(HM_PM_CLS "/%s/mapping%d/end", inst, i);
		rc = hm_pm_mapping_line(inst, i, &s, &e);
		if (rc == -EIO || ds < 0 || de < 0)
			return -EIO;
		if (rc || s != (__u64)ds || e != (__u64)de)
			return -EINVAL;
	}
	return hm_pm_mapping_line(inst, i, &s, &e) == -ENOENT ? 0 : -EINVAL;
}

/**
 * hm_pm_enable() - enable or disable a hotmem instance
 * @inst: the instance
 * @on: enable
 *
 * Return: 0 or the -errno of the write.
 */
int hm_pm_enable(const char *inst, bool on)
{
	return hm_write(on ? "1" : "0", HM_PM_CLS "/%s/enabled", inst);
}

/**
 * hm_pm_state() - what a user sees of hotmem region @region: its map, the
 *	size of every instance, its available size and the class directory
 * @buf: filled with it
 * @len: size of @buf
 * @region: N of regionN
 *
 * Return: 0, or -EIO if the map could not be read.
 */
int hm_pm_state(char *buf, size_t len, int region)
{
	size_t n;

	if (hm_read_str(buf, len, HM_PM_CLS "/region%d/map", region) < 0)
		return -EIO;
	n = strlen(buf);
	hm_sh(buf + n, len - n, "cat %s/*/size %s/region%d/available_size; ls %s",
	      HM_PM_CLS, HM_PM_CLS, region, HM_PM_CLS);
	return 0;
}

/* what hm_pm_touch_faults() read, kept so the reads are not optimised away */
unsigned long hm_pm_touch_sum;

/**
 * hm_pm_touch_faults() - minor faults taken to read every 4 KiB page
 * @p: a mapping
 * @len: its length
 *
 * Return: the faults this process took meanwhile.
 */
long hm_pm_touch_faults(const char *p, size_t len)
{
	struct rusage r0, r1;
	size_t i;

	getrusage(RUSAGE_SELF, &r0);
	for (i = 0; i < len; i += 4096)
		hm_pm_touch_sum += p[i];
	getrusage(RUSAGE_SELF, &r1);
	return r1.ru_minflt - r0.ru_minflt;
}

/**
 * hm_pm_map_faults() - minor faults to read a fresh MAP_SHARED mapping
 * @inst: the instance (/dev/@inst)
 * @len: bytes to map and read
 * @off: offset in the device
 * @hint: the address to map at if free, or NULL to let the device place it
 * @addr: set to where the mapping landed
 *
 * The mapping is gone when this returns.
 *
 * Return: the faults, or -errno of the open or mmap.
 */
long hm_pm_map_faults(const char *inst, size_t len, off_t off, void *hint,
		      unsigned long *addr)
{
	char dev[96];
	long faults;
	int fd, err;
	char *p;

	snprintf(dev, sizeof(dev), "/dev/%s", inst);
	fd = open(dev, O_RDWR);
	if (fd < 0)
		return -errno;
	p = mmap(hint, len, PROT_READ, MAP_SHARED, fd, off);
	err = errno;
	close(fd);
	if (p == MAP_FAILED)
		return -err;
	*addr = (unsigned long)p;
	faults = hm_pm_touch_faults(p, len);
	munmap(p, len);
	return faults;
}

/*
 * Map @maplen bytes of @inst from @off, pin the first @len of them in a
 * pipe (vmsplice()), unmap and close: the read end of the pipe, or -1.
 */
static int hm_pm_pin(const char *inst, size_t off, size_t len, size_t maplen)
{
	struct iovec iov;
	char dev[96];
	int fd, p[2];
	char *m;

	snprintf(dev, sizeof(dev), "/dev/%s", inst);
	fd = open(dev, O_RDWR);
	if (fd < 0)
		return -1;
	if (pipe(p)) {
		close(fd);
		return -1;
	}
	m = mmap(NULL, maplen, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
	close(fd);
	if (m == MAP_FAILED)
		goto fail;
	memset(m, HM_PM_PIN_BYTE, len);
	iov.iov_base = m;
	iov.iov_len = len;
	if (vmsplice(p[1], &iov, 1, 0) != (ssize_t)len) {
		munmap(m, maplen);
		goto fail;
	}
	munmap(m, maplen);
	close(p[1]);
	return p[0];
fail:
	close(p[0]);
	close(p[1]);
	return -1;
}

/**
 * hm_pm_pin_in_pipe_at() - pin @len bytes at @off of an enabled instance,
 *	through a mapping of just those bytes (4 KiB faults)
 * @inst: the instance
 * @off: page aligned
 * @len: bytes, page aligned and at most a pipe's capacity
 *
 * With an align of 2 MiB or 1 GiB the pages are compound: a page past the
 * first of one is a tail page, and the pin lands on its head.
 *
 * Return: the read end of the pipe holding them, or -1.
 */
int hm_pm_pin_in_pipe_at(const char *inst, size_t off, size_t len)
{
	return hm_pm_pin(inst, off, len, len);
}

/**
 * hm_pm_pin_in_pipe() - pin the first @len bytes of an enabled instance
 * @inst: the instance
 * @len: bytes, at most 2 MiB and at most a pipe's capacity
 *
 * vmsplice() takes references on the pages that outlive the mapping and
 * the file, both gone when this returns.
 *
 * Return: the read end of the pipe holding them, or -1.
 */
int hm_pm_pin_in_pipe(const char *inst, size_t len)
{
	return hm_pm_pin(inst, 0, len, HM_SZ_2M);
}

/**
 * hm_pm_drain() - read a pinning pipe dry and close it: the references go
 *	with its buffers
 * @rfd: from hm_pm_pin_in_pipe()
 * @len: the bytes pinned
 *
 * Return: whether it held @len bytes of what hm_pm_pin_in_pipe() wrote.
 */
bool hm_pm_drain(int rfd, size_t len)
{
	char buf[4096];
	ssize_t n, all = 0;
	bool same = true;

	while ((n = read(rfd, buf, sizeof(buf))) > 0) {
		all += n;
		same = same && buf[0] == HM_PM_PIN_BYTE && buf[n - 1] == HM_PM_PIN_BYTE;
	}
	close(rfd);
	return all == (ssize_t)len && same;
}

static sigjmp_buf hm_bus_jmp;

static void hm_on_sigbus(int sig)
{
	siglongjmp(hm_bus_jmp, 1);
}

/**
 * hm_read_sigbus() - does reading *@p raise SIGBUS (caught here)?
 * @p: an address in a mapping
 *
 * Return: true if the load raised SIGBUS.
 */
bool hm_read_sigbus(const __u64 *p)
{
	bool bus = false;

	signal(SIGBUS, hm_on_sigbus);
	if (sigsetjmp(hm_bus_jmp, 1))
		bus = true;
	else
		(void)__atomic_load_n(p, __ATOMIC_RELAXED);	/* a real load */
	signal(SIGBUS, SIG_DFL);
	return bus;
}

/**
 * hm_pmem_dev() - the first pmem block device (vm.sh -p pmem)
 * @dev: set to its path, /dev/pmemN
 * @len: size of @dev
 *
 * Return: 0, or -ENOENT if there is none.
 */
int hm_pmem_dev(char *dev, size_t len)
{
	int rc = -ENOENT;
	glob_t g;

	memset(&g, 0, sizeof(g));
	if (!glob("/dev/pmem*", 0, NULL, &g) && g.gl_pathc) {
		snprintf(dev, len, "%s", g.gl_pathv[0]);
		rc = 0;
	}
	globfree(&g);
	return rc;
}
