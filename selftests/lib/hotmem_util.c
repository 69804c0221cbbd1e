// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the hotmem selftests; see hotmem_util.h.  Every reader
 * returns a negative value on error so a test can ASSERT on it.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hotmem_util.h"

/*
 * A path or command that does not fit its buffer would run cut short: a
 * different file, a different command.  The test stops there instead.
 */
static void hm_vfmt(char *buf, size_t len, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf, len, fmt, ap);

	if (n < 0 || (size_t)n >= len) {
		fprintf(stderr, "# hotmem_util: %d characters do not fit in %zu: \"%.80s...\"\n",
			n, len, buf);
		abort();
	}
}

/**
 * hm_sh() - run a shell command as a user would
 * @out: buffer for stdout and stderr, may be NULL
 * @len: size of @out
 * @fmt: command, printf style
 *
 * The output is also echoed as TAP diagnostics so a failure shows it.
 * Return: the command's exit status, or -1 if it could not be run.
 */
int hm_sh(char *out, size_t len, const char *fmt, ...)
{
	char cmd[4096], line[512];
	size_t used = 0;
	va_list ap;
	FILE *p;
	int st;

	va_start(ap, fmt);
	hm_vfmt(cmd, sizeof(cmd) - strlen(" 2>&1"), fmt, ap);
	va_end(ap);
	fprintf(stderr, "# $ %s\n", cmd);
	strcat(cmd, " 2>&1");
	fflush(stdout);
	fflush(stderr);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	if (out && len)
		out[0] = '\0';
	while (fgets(line, sizeof(line), p)) {
		fprintf(stderr, "#   %s", line);
		if (out && used + strlen(line) < len) {
			memcpy(out + used, line, strlen(line) + 1);
			used += strlen(line);
		}
	}
	st = pclose(p);
	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/**
 * hm_read_str() - read a (sysfs) file into @buf, trailing newline removed
 * @buf: destination
 * @len: size of @buf
 * @fmt: path, printf style
 *
 * Return: length read, or -errno.
 */
int hm_read_str(char *buf, size_t len, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;
	ssize_t n;
	int fd;

	va_start(ap, fmt);
	hm_vfmt(path, sizeof(path), fmt, ap);
	va_end(ap);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return n;
}

/**
 * hm_read_ll() - read a decimal or 0x-prefixed number from a file
 * @fmt: path, printf style
 *
 * Return: the number (must be >= 0), or -errno.
 */
long long hm_read_ll(const char *fmt, ...)
{
	char path[PATH_MAX], buf[64], *end;
	long long v;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	hm_vfmt(path, sizeof(path), fmt, ap);
	va_end(ap);
	rc = hm_read_str(buf, sizeof(buf), "%s", path);
	if (rc < 0)
		return rc;
	errno = 0;
	v = strtoll(buf, &end, 0);
	if (errno || end == buf)
		return -EINVAL;
	return v;
}

/* write @len bytes of @buf to @path in one write(2): 0 or -errno */
static int hm_write_path(const char *path, const void *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	n = n < 0 ? -errno : 0;
	close(fd);
	return n;
}

/**
 * hm_write() - write @val to a (sysfs) file in one write(2)
 * @val: string to write
 * @fmt: path, printf style
 *
 * Return: 0, or -errno of the open or the write.
 */
int hm_write(const char *val, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	hm_vfmt(path, sizeof(path), fmt, ap);
	va_end(ap);
	return hm_write_path(path, val, strlen(val));
}

/**
 * hm_write_n() - write exactly @len bytes of @buf (NULs too) in one write(2)
 * @buf: bytes to write
 * @len: how many
 * @fmt: path, printf style
 *
 * Return: 0, or -errno of the open or the write.
 */
int hm_write_n(const void *buf, size_t len, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	hm_vfmt(path, sizeof(path), fmt, ap);
	va_end(ap);
	return hm_write_path(path, buf, len);
}

/**
 * hm_exists() - does a path exist
 * @fmt: path, printf style
 *
 * Return: true if it does.
 */
bool hm_exists(const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	hm_vfmt(path, sizeof(path), fmt, ap);
	va_end(ap);
	return access(path, F_OK) == 0;
}

static long long hm_keyed(const char *file, const char *key, char sep)
{
	char line[256];
	size_t kl = strlen(key);
	long long v = -ENOENT;
	FILE *f = fopen(file, "r");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, kl) && line[kl] == sep) {
			v = strtoll(line + kl + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

/**
 * hm_meminfo_kb() - a /proc/meminfo field
 * @key: field name, e.g. "MemTotal"
 *
 * Return: its value in kB, or -errno.
 */
long long hm_meminfo_kb(const char *key)
{
	return hm_keyed("/proc/meminfo", key, ':');
}

/* pages on the per-cpu free lists, which MemFree does not count */
static long long hm_pcp_pages(void)
{
	long long sum = 0, v;
	char line[256];
	FILE *f = fopen("/proc/zoneinfo", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " count: %lld", &v) == 1)
			sum += v;
	fclose(f);
	return sum;
}

/*
 * Shrink every slab cache: its empty slabs go back to the page allocator
 * and, under KASAN, the objects it holds in quarantine (up to 1/32 of
 * RAM, freed in batches at moments of its choosing) are freed at last.
 */
static void hm_slab_shrink(void)
{
	struct dirent *e;
	DIR *d = opendir("/sys/kernel/slab");

	if (!d)
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			hm_write("1", "/sys/kernel/slab/%s/shrink", e->d_name);
	closedir(d);
}

/**
 * hm_memfree_settled_kb() - free memory, per-cpu lists included, once
 *	deferred frees have landed
 *
 * MemFree leaves out pages parked on the per-cpu lists, and an allocation
 * served from them does not lower it; freeing after a memory removal is
 * partly deferred, and KASAN holds freed objects in a quarantine.  So
 * count the per-cpu pages too, shrink the slab caches (which empties the
 * quarantine), and wait until two reads 200 ms apart agree within 256 kB
 * (at most 5 s).
 *
 * Return: free memory in kB, or -errno.
 */
long long hm_memfree_settled_kb(void)
{
	long long a, b = -1;
	int i;

	for (i = 0; i < 25; i++) {
		hm_write("3", "/proc/sys/vm/drop_caches");
		hm_slab_shrink();
		a = b;
		usleep(200000);
		b = hm_meminfo_kb("MemFree");
		if (b < 0)
			return b;
		b += hm_pcp_pages() * 4;
		if (a >= 0 && llabs(a - b) < 256)
			break;
	}
	return b;
}

/**
 * hm_vmstat() - a /proc/vmstat counter
 * @key: counter name, e.g. "nr_memmap_pages"
 *
 * Return: its value, or -ENOENT where the kernel has no such counter.
 */
long long hm_vmstat(const char *key)
{
	return hm_keyed("/proc/vmstat", key, ' ');
}

/**
 * hm_iomem() - parse /proc/iomem (needs root to see addresses)
 * @res: array to fill
 * @max: its size
 *
 * Return: number of entries, or -errno.
 */
int hm_iomem(struct hm_res *res, int max)
{
	int n = 0, stack[16], i;
	char line[256];
	FILE *f = fopen("/proc/iomem", "r");

	if (!f)
		return -errno;
	while (n < max && fgets(line, sizeof(line), f)) {
		char *p = line, *name;
		struct hm_res *r = &res[n];

		while (*p == ' ')
			p++;
		r->depth = (p - line) / 2;
		if (r->depth >= 16 ||
		    sscanf(p, "%llx-%llx", &r->start, &r->end) != 2)
			continue;
		name = strstr(p, " : ");
		if (!name)
			continue;
		snprintf(r->name, sizeof(r->name), "%s", name + 3);
		r->name[strcspn(r->name, "\n")] = '\0';
		stack[r->depth] = n;
		r->parent = r->depth ? stack[r->depth - 1] : -1;
		n++;
	}
	fclose(f);
	for (i = 0; i < n; i++)
		if (res[i].start || res[i].end)
			return n;
	return n ? -EPERM : 0;
}

/**
 * hm_iomem_find() - find a resource by name
 * @res: parsed /proc/iomem
 * @n: number of entries
 * @name: exact name, or a prefix ending in '*'
 * @from: index to start searching at
 *
 * Return: index, or -1.
 */
int hm_iomem_find(const struct hm_res *res, int n, const char *name, int from)
{
	size_t l = strlen(name);
	int i;

	for (i = from; i < n; i++) {
		if (l && name[l - 1] == '*' ? !strncmp(res[i].name, name, l - 1)
					     : !strcmp(res[i].name, name))
			return i;
	}
	return -1;
}

/**
 * hm_block_size() - memory block size in bytes
 *
 * Return: /sys/devices/system/memory/block_size_bytes (hex), 0 on error.
 */
__u64 hm_block_size(void)
{
	char buf[32];

	if (hm_read_str(buf, sizeof(buf),
			"/sys/devices/system/memory/block_size_bytes") < 0)
		return 0;
	return strtoull(buf, NULL, 16);
}

/**
 * hm_pfn_of() - the page frame a present page of this process maps
 * @addr: an address in the page
 *
 * Return: its PFN from /proc/self/pagemap (root sees PFNs), 0 if the page
 * is not present or the entry cannot be read.
 */
__u64 hm_pfn_of(const void *addr)
{
	__u64 e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &e, sizeof(e), (unsigned long)addr / 4096 * sizeof(e)) !=
	    sizeof(e))
		e = 0;
	close(fd);
	/* bit 63 present, bits 0-54 the PFN */
	return e >> 63 ? e & ((1ULL << 55) - 1) : 0;
}

/**
 * hm_memblocks() - count memory block devices
 * @online: if not NULL, set to how many of them are online
 *
 * Return: number of memoryN devices, or -errno.
 */
int hm_memblocks(int *online)
{
	DIR *d = opendir("/sys/devices/system/memory");
	struct dirent *e;
	char st[32];
	int n = 0;

	if (!d)
		return -errno;
	if (online)
		*online = 0;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "memory", 6) || !isdigit(e->d_name[6]))
			continue;
		n++;
		if (!online)
			continue;
		if (hm_read_str(st, sizeof(st), "/sys/devices/system/memory/%s/state",
				e->d_name) > 0 && !strcmp(st, "online"))
			(*online)++;
	}
	closedir(d);
	return n;
}

/**
 * hm_kernel_version() - running kernel as MAJOR * 100 + MINOR (612 = 6.12)
 *
 * Return: the version number, or -1.
 */
int hm_kernel_version(void)
{
	struct utsname u;
	int maj, min;

	if (uname(&u) || sscanf(u.release, "%d.%d", &maj, &min) != 2)
		return -1;
	return maj * 100 + min;
}

/**
 * hm_dax_find() - first dax device whose sysfs path contains @path_part
 * @dev: set to the device name, e.g. "dax0.0"
 * @len: size of @dev
 * @path_part: e.g. "/hmem" for soft reserved, "/ndbus" for nvdimm
 *
 * Only devices of non-zero size count, lowest name first.
 * Return: 0, or -ENOENT.
 */
int hm_dax_find(char *dev, size_t len, const char *path_part)
{
	char link[PATH_MAX], path[PATH_MAX], best[NAME_MAX + 1] = "";
	DIR *d = opendir("/sys/bus/dax/devices");
	struct dirent *e;

	if (!d)
		return -ENOENT;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/dax/devices/%s",
			 e->d_name);
		if (!realpath(path, link) || !strstr(link, path_part))
			continue;
		if (hm_read_ll("%s/size", path) <= 0)
			continue;
		if (!best[0] || strcmp(e->d_name, best) < 0)
			snprintf(best, sizeof(best), "%s", e->d_name);
	}
	closedir(d);
	if (!best[0])
		return -ENOENT;
	snprintf(dev, len, "%s", best);
	return 0;
}

/**
 * hm_dax_region_dir() - sysfs directory of the dax region of @dev
 * @dir: set to e.g. /sys/devices/platform/hmem.0/dax_region
 * @len: size of @dir
 * @dev: dax device name
 *
 * Return: 0, or -errno.
 */
int hm_dax_region_dir(char *dir, size_t len, const char *dev)
{
	char path[PATH_MAX], real[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/dax/devices/%s", dev);
	if (!realpath(path, real))
		return -errno;
	*strrchr(real, '/') = '\0';
	snprintf(dir, len, "%s/dax_region", real);
	return access(dir, F_OK) ? -errno : 0;
}

/**
 * hm_dax_mode() - which driver a dax device is bound to
 * @dev: dax device name
 * @mode: set to "devdax", "system-ram", "unbound" or the driver name
 * @len: size of @mode
 *
 * Return: 0, or -errno.
 */
int hm_dax_mode(const char *dev, char *mode, size_t len)
{
	char path[PATH_MAX], real[PATH_MAX], *drv;

	snprintf(path, sizeof(path), "/sys/bus/dax/devices/%s/driver", dev);
	if (!realpath(path, real)) {
		if (errno != ENOENT)
			return -errno;
		snprintf(mode, len, "unbound");
		return 0;
	}
	drv = strrchr(real, '/') + 1;
	if (!strcmp(drv, "device_dax"))
		drv = "devdax";
	else if (!strcmp(drv, "kmem"))
		drv = "system-ram";
	snprintf(mode, len, "%s", drv);
	return 0;
}

/**
 * hm_dmesg_allow() - declare a kernel log line this test expects
 * @regex: extended regex; matching lines do not fail the test.  With the
 *	prefix "block:", a whole report that starts with a matching line,
 *	through the end of its stack dump, does not (hm_dmesg_allow_block()).
 */
void hm_dmesg_allow(const char *regex)
{
	const char *file = getenv("HOTMEM_DMESG_ALLOW");
	FILE *f;

	if (!file)
		return;
	f = fopen(file, "a");
	if (!f)
		return;
	fprintf(f, "%s\n", regex);
	fclose(f);
}

/**
 * hm_dmesg_allow_block() - declare a whole kernel report this test expects
 * @regex: extended regex of the report's first line
 *
 * For reports whose stack dump is not a bug: the kernel's warning of an
 * allocation that a test failed on purpose (HM_ALLOC_FAILURE_REPORT).
 * A WARN, BUG or detector report elsewhere in the log still fails it.
 */
void hm_dmesg_allow_block(const char *regex)
{
	char line[256];

	snprintf(line, sizeof(line), "block:%s", regex);
	hm_dmesg_allow(line);
}

/**
 * hm_dax_region_id() - region id of a dax device name ("dax3.1" -> 3)
 * @dev: device name
 *
 * Return: the region id.
 */
int hm_dax_region_id(const char *dev)
{
	return atoi(dev + 3);
}

/**
 * hm_sr_reset() - bring the soft-reserved region back to one devdax device
 *	spanning it, whatever a failed test left behind
 * @dev: set to that device's name
 * @len: size of @dev
 *
 * Return: 0, or -errno.
 */
int hm_sr_reset(char *dev, size_t len)
{
	char rdir[512], mode[32], name[64];
	long long rsize;
	int r, i, rc;

	rc = hm_dax_find(dev, len, "/hmem");
	if (rc)
		return rc;
	r = hm_dax_region_id(dev);
	rc = hm_dax_region_dir(rdir, sizeof(rdir), dev);
	if (rc)
		return rc;
	rsize = hm_read_ll("%s/size", rdir);
	for (i = 63; i >= 0; i--) {
		snprintf(name, sizeof(name), "dax%d.%d", r, i);
		if (!hm_exists(HM_SYS_DAX "/%s", name))
			continue;
		if (hm_dax_mode(name, mode, sizeof(mode)) == 0 &&
		    !strcmp(mode, "system-ram"))
			hm_sh(NULL, 0, "daxctl reconfigure-device -m devdax -f %s",
			      name);
		if (i && hm_read_ll(HM_SYS_DAX "/%s/size", name) > 0) {
			hm_sh(NULL, 0, "daxctl disable-device %s", name);
			hm_sh(NULL, 0, "daxctl destroy-device %s", name);
		}
	}
	snprintf(name, sizeof(name), "dax%d.0", r);
	if (hm_read_ll(HM_SYS_DAX "/%s/size", name) != rsize) {
		char sz[32];

		hm_sh(NULL, 0, "daxctl disable-device %s", name);
		snprintf(sz, sizeof(sz), "%lld", rsize);
		rc = hm_write(sz, HM_SYS_DAX "/%s/size", name);
		if (rc)
			return rc;
		hm_sh(NULL, 0, "daxctl enable-device %s", name);
	}
	if (hm_dax_mode(name, mode, sizeof(mode)) || strcmp(mode, "devdax"))
		if (hm_sh(NULL, 0, "daxctl reconfigure-device -m devdax -f %s",
			  name))
			return -EIO;
	snprintf(dev, len, "%s", name);
	return 0;
}

/**
 * hm_created_dev() - the device a daxctl or ndctl command printed
 * @out: the command's output
 * @dev: set to the first "chardev" in it
 * @len: size of @dev
 *
 * Return: 0, or -ENOENT.
 */
int hm_created_dev(const char *out, char *dev, size_t len)
{
	const char *p = strstr(out, "\"chardev\":\"");

	if (!p)
		return -ENOENT;
	p += strlen("\"chardev\":\"");
	snprintf(dev, len, "%.*s", (int)strcspn(p, "\""), p);
	return 0;
}

/**
 * hm_sr_range() - the first "Soft Reserved" range of /proc/iomem
 * @start: set to its first byte
 * @size: set to its size
 *
 * Return: 0, or -ENOENT.
 */
int hm_sr_range(__u64 *start, __u64 *size)
{
	struct hm_res res[HM_MAX_RES];
	int n = hm_iomem(res, HM_MAX_RES), i;

	i = n > 0 ? hm_iomem_find(res, n, "Soft Reserved", 0) : -1;
	if (i < 0)
		return -ENOENT;
	*start = res[i].start;
	*size = res[i].end + 1 - res[i].start;
	return 0;
}

/**
 * hm_test_hmm_load() - lib/test_hmm with its two coherent devices at @start
 * @start: physical address of 512 MiB nobody uses (soft-reserved memory):
 *	spm_addr_dev0 and spm_addr_dev1, 256 MiB (DEVMEM_CHUNK_SIZE) each
 *
 * Loads it unless loaded, and makes /dev/hmm_dmirror0-3 (busybox has no
 * udev), as the kernel's test_hmm.sh does: 0 and 1 private, 2 and 3
 * coherent.
 *
 * Return: 0, or -ENOENT if it did not load or its devices are missing.
 */
int hm_test_hmm_load(__u64 start)
{
	if (!hm_exists("/sys/module/test_hmm") &&
	    hm_sh(NULL, 0, "/sbin/modprobe test_hmm spm_addr_dev0=%llu spm_addr_dev1=%llu",
		  start, start + (256ULL << 20)))
		return -ENOENT;
	return hm_sh(NULL, 0, "M=$(awk '$2 == \"HMM_DMIRROR\" { print $1 }' /proc/devices); "
		     "[ -n \"$M\" ] || exit 1; "
		     "for i in 0 1 2 3; do rm -f /dev/hmm_dmirror$i; "
		     "mknod /dev/hmm_dmirror$i c $M $i || exit 1; done") ? -ENOENT : 0;
}

/**
 * hm_use_hotmem_kmem() - make the dax driver "kmem" be hotmem_kmem
 *
 * Unloads the in-kernel kmem if loaded (its devices must be in devdax
 * mode) and loads "kmem" through modprobe, which the VM's modprobe.d
 * (vm.sh --kmem hotmem) turns into hotmem_kmem.
 *
 * Return: 0, -EBUSY if kmem cannot be unloaded, -ENOENT if hotmem_kmem
 * did not load.
 */
int hm_use_hotmem_kmem(void)
{
	if (hm_exists("/sys/module/kmem") && hm_sh(NULL, 0, "rmmod kmem"))
		return -EBUSY;
	if (!hm_exists("/sys/module/hotmem_kmem"))
		hm_sh(NULL, 0, "/sbin/modprobe kmem");
	return hm_exists("/sys/module/hotmem_kmem") ? 0 : -ENOENT;
}

/**
 * hm_pattern() - word @i of the pattern hm_dax_fill() writes
 * @i: word index from offset 0
 * @seed: the fill's seed
 *
 * Return: the word.
 */
__u64 hm_pattern(__u64 i, __u64 seed)
{
	return (i + 1) * 0x9e3779b97f4a7c15ULL ^ seed;
}

/**
 * hm_dax_fill() - write a pattern through a MAP_SHARED mapping of /dev/@dev
 * @dev: a devdax device name
 * @len: bytes to write from offset 0, a multiple of the device alignment
 * @seed: makes the pattern of one device differ from another's
 *
 * Return: 0, or -errno of the open or mmap.
 */
int hm_dax_fill(const char *dev, size_t len, __u64 seed)
{
	char path[96];
	__u64 *p, i;
	int fd;

	snprintf(path, sizeof(path), "/dev/%s", dev);
	fd = open(path, O_RDWR);
	if (fd < 0)
		return -errno;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -errno;
	for (i = 0; i < len / 8; i++)
		p[i] = hm_pattern(i, seed);
	munmap(p, len);
	return 0;
}

/**
 * hm_dax_verify() - read the pattern of hm_dax_fill() back through a new
 *	mapping
 * @dev: the devdax device name
 * @len: bytes to check
 * @seed: as given to hm_dax_fill()
 *
 * Return: the number of 8-byte words that differ, or -errno.
 */
long long hm_dax_verify(const char *dev, size_t len, __u64 seed)
{
	long long bad = 0;
	char path[96];
	__u64 *p, i;
	int fd;

	snprintf(path, sizeof(path), "/dev/%s", dev);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -errno;
	for (i = 0; i < len / 8; i++)
		bad += p[i] != hm_pattern(i, seed);
	munmap(p, len);
	return bad;
}

/**
 * hm_time_scale() - how many times longer than on a stock kernel a test
 * may take here
 *
 * Return: HOTMEM_TIME_SCALE (set by the runner, 6 on the debug kernel),
 * else 1.
 */
int hm_time_scale(void)
{
	const char *s = getenv("HOTMEM_TIME_SCALE");
	int scale = s ? atoi(s) : 1;

	return scale > 0 ? scale : 1;
}

/**
 * hm_thp() - does the kernel map anything larger than 4 KiB (transparent
 * huge pages: not on PREEMPT_RT)
 *
 * Return: true if it does.
 */
bool hm_thp(void)
{
	return hm_exists("/sys/kernel/mm/transparent_hugepage");
}
