// SPDX-License-Identifier: GPL-2.0
/*
 * hotmem_test_iomap: rules, call log and the debugfs interface of the shim
 * (the wrappers are in wrap.c).  For tests only: the hotmem modules built
 * with "make test-modules" call the kernel through it.
 *
 * /sys/kernel/debug/hotmem_test_iomap/
 *   symbols  (R) every wrapped function of this kernel, "NAME can_fail|log_only"
 *   fail     (RW) write "NAME N ERRNO" (fail call N, 1-based), "NAME N-M ERRNO",
 *            "NAME N- ERRNO" (N and every later call), "NAME * ERRNO" (every
 *            call), or "NAME off"; ERRNO is a positive number.  Reads the
 *            rules.  -EINVAL malformed, -ENOENT no such function,
 *            -EOPNOTSUPP for a function that cannot fail.
 *   calls    (R) "NAME COUNT" for every function called since the reset
 *   log      (R) one line per call since the reset, oldest first:
 *            "SEQ NAME#N A0 A1 A2 A3 = RESULT[ injected] t=T d=D at CALLER",
 *            T the ktime_get_ns() at the call, D the nanoseconds it took
 *            (the wrapper's own few included)
 *   reset    (W) "1": no rules, counts zero, log empty
 *   platform (RW) emulated device-memory regions, see platform.c
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kallsyms.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "hti.h"
#include "watermark.h"

/* calls the log holds; older ones are dropped and counted */
#define HTI_LOG_MAX	16384

/**
 * struct hti_entry - one logged call
 * @seq: its place among all logged calls
 * @sym: the function
 * @nth: its call number
 * @caller: return address in the calling module
 * @arg: the arguments worth recording, per wrapper
 * @ret: the result: 0 or a count or address summary on success, -errno
 * @injected: @ret was injected by a rule
 * @t0: ktime_get_ns() when it was entered
 * @ns: nanoseconds from entry to exit
 */
struct hti_entry {
	u64 seq;
	struct hti_sym *sym;
	u64 nth;
	unsigned long caller;
	u64 arg[4];
	long ret;
	bool injected;
	u64 t0;
	u64 ns;
};

/* protects the log and every hti_sym's count and rule */
static DEFINE_SPINLOCK(hti_lock);
static struct hti_entry *hti_log;
static u64 hti_seq;
static u64 hti_dropped;
static struct dentry *hti_dir;

/**
 * hti_enter() - count a call and decide whether it fails
 * @sym: the wrapped function
 * @c: filled in: call number, and the errno to return or 0
 */
void hti_enter(struct hti_sym *sym, struct hti_call *c)
{
	unsigned long flags;

	spin_lock_irqsave(&hti_lock, flags);
	c->sym = sym;
	c->nth = ++sym->calls;
	c->err = 0;
	if (sym->first && c->nth >= sym->first && c->nth <= sym->last)
		c->err = sym->err;
	spin_unlock_irqrestore(&hti_lock, flags);
	c->t0 = ktime_get_ns();
}

/**
 * hti_exit() - log a call
 * @c: from hti_enter()
 * @caller: the caller's return address
 * @a0: first recorded argument
 * @a1: second
 * @a2: third
 * @a3: fourth
 * @ret: the result summary
 */
void hti_exit(const struct hti_call *c, unsigned long caller, u64 a0, u64 a1,
	      u64 a2, u64 a3, long ret)
{
	u64 ns = ktime_get_ns() - c->t0;
	struct hti_entry *e;
	unsigned long flags;

	spin_lock_irqsave(&hti_lock, flags);
	if (hti_seq >= HTI_LOG_MAX)
		hti_dropped++;
	e = &hti_log[hti_seq % HTI_LOG_MAX];
	*e = (struct hti_entry) {
		.seq = hti_seq++, .sym = c->sym, .nth = c->nth, .caller = caller,
		.arg = { a0, a1, a2, a3 }, .ret = ret, .injected = c->err != 0,
		.t0 = c->t0, .ns = ns,
	};
	spin_unlock_irqrestore(&hti_lock, flags);
}

/**
 * hotmem_test_iomap_watermark() - present only in the shim
 *
 * The test build of every hotmem module calls it, so it cannot load
 * without the shim, and carries a watermark symbol the tests look for.
 *
 * Return: 1.
 */
int hotmem_test_iomap_watermark(void)
{
	return 1;
}
EXPORT_SYMBOL_GPL(hotmem_test_iomap_watermark);

static void hti_reset(void)
{
	unsigned long flags;
	int i;

	spin_lock_irqsave(&hti_lock, flags);
	for (i = 0; i < hti_nr_syms; i++) {
		hti_syms[i]->calls = 0;
		hti_syms[i]->first = 0;
	}
	hti_seq = 0;
	hti_dropped = 0;
	spin_unlock_irqrestore(&hti_lock, flags);
}

static struct hti_sym *hti_find(const char *name)
{
	int i;

	for (i = 0; i < hti_nr_syms; i++)
		if (!strcmp(hti_syms[i]->name, name))
			return hti_syms[i];
	return NULL;
}

/* "N", "N-M", "N-" or "*" -> [first, last], 1-based */
static int hti_parse_calls(char *s, u64 *first, u64 *last)
{
	char *dash;
	int rc;

	if (!strcmp(s, "*")) {
		*first = 1;
		*last = U64_MAX;
		return 0;
	}
	dash = strchr(s, '-');
	if (dash)
		*dash++ = '\0';
	rc = kstrtou64(s, 10, first);
	if (rc)
		return -EINVAL;
	*last = *first;
	if (dash && !*dash)
		*last = U64_MAX;
	else if (dash && kstrtou64(dash, 10, last))
		return -EINVAL;
	return *first && *last >= *first ? 0 : -EINVAL;
}

static ssize_t hti_fail_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	char buf[128], *cur, *name, *calls, *errstr;
	struct hti_sym *sym;
	unsigned long flags;
	u64 first = 0, last = 0;
	unsigned int err = 0;

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	cur = strim(buf);
	name = strsep(&cur, " ");
	calls = strsep(&cur, " ");
	if (!calls)
		return -EINVAL;
	sym = hti_find(name);
	if (!sym)
		return -ENOENT;
	if (!strcmp(calls, "off")) {
		if (cur)
			return -EINVAL;
	} else {
		errstr = strsep(&cur, " ");
		if (cur || !errstr || hti_parse_calls(calls, &first, &last) ||
		    kstrtouint(errstr, 10, &err) || !err || err > MAX_ERRNO)
			return -EINVAL;
		if (!sym->can_fail)
			return -EOPNOTSUPP;
	}
	spin_lock_irqsave(&hti_lock, flags);
	sym->first = first;
	sym->last = last;
	sym->err = -(int)err;
	spin_unlock_irqrestore(&hti_lock, flags);
	return len;
}

/*
 * Reads render into a buffer taken at open, so a reader sees one
 * consistent snapshot and the spinlock is never held across user copies.
 */
struct hti_snap {
	size_t len;
	char buf[];
};

static ssize_t hti_snap_read(struct file *file, char __user *ubuf, size_t len,
			     loff_t *ppos)
{
	struct hti_snap *snap = file->private_data;

	return simple_read_from_buffer(ubuf, len, ppos, snap->buf, snap->len);
}

static int hti_snap_release(struct inode *inode, struct file *file)
{
	kvfree(file->private_data);
	return 0;
}

enum hti_view { HTI_RULES, HTI_CALLS, HTI_LOG, HTI_SYMBOLS };

/* the text of the per-function views; caller holds hti_lock */
static size_t hti_render_syms(enum hti_view view, char *buf, size_t size)
{
	size_t n = 0;
	int s;

	lockdep_assert_held(&hti_lock);
	for (s = 0; s < hti_nr_syms; s++) {
		struct hti_sym *sym = hti_syms[s];

		if (view == HTI_SYMBOLS)
			n += scnprintf(buf + n, size - n, "%s %s\n", sym->name,
				       sym->can_fail ? "can_fail" : "log_only");
		else if (view == HTI_CALLS && sym->calls)
			n += scnprintf(buf + n, size - n, "%s %llu\n", sym->name,
				       sym->calls);
		else if (view == HTI_RULES && sym->first)
			n += scnprintf(buf + n, size - n, "%s %llu-%llu %d\n",
				       sym->name, sym->first, sym->last, -sym->err);
	}
	return n;
}

/* a line of the log at most: the fixed fields and a symbol with module */
#define HTI_LINE	(224 + KSYM_SYMBOL_LEN)

/*
 * The log: the entries are copied under hti_lock and formatted after it
 * is dropped, so wrapped calls never wait for the formatting.
 */
static struct hti_snap *hti_snap_log(void)
{
	struct hti_entry *copy;
	struct hti_snap *snap;
	unsigned long flags;
	u64 seq, dropped, i, from;
	size_t size = (HTI_LOG_MAX + 1) * HTI_LINE, n = 0;

	copy = vmalloc_array(HTI_LOG_MAX, sizeof(*copy));
	snap = kvmalloc(sizeof(*snap) + size, GFP_KERNEL);
	if (!copy || !snap) {
		vfree(copy);
		kvfree(snap);
		return NULL;
	}
	spin_lock_irqsave(&hti_lock, flags);
	memcpy(copy, hti_log, HTI_LOG_MAX * sizeof(*copy));
	seq = hti_seq;
	dropped = hti_dropped;
	spin_unlock_irqrestore(&hti_lock, flags);

	if (dropped)
		n += scnprintf(snap->buf + n, size - n,
			       "# %llu older calls dropped\n", dropped);
	from = seq > HTI_LOG_MAX ? seq - HTI_LOG_MAX : 0;
	for (i = from; i < seq; i++) {
		struct hti_entry *e = &copy[i % HTI_LOG_MAX];

		n += scnprintf(snap->buf + n, size - n,
			       "%llu %s#%llu %#llx %#llx %#llx %#llx = %ld%s t=%llu d=%llu at %pS\n",
			       e->seq, e->sym->name, e->nth, e->arg[0], e->arg[1],
			       e->arg[2], e->arg[3], e->ret,
			       e->injected ? " injected" : "", e->t0, e->ns,
			       (void *)e->caller);
	}
	snap->len = n;
	vfree(copy);
	return snap;
}

static int hti_snap_open(struct inode *inode, struct file *file)
{
	enum hti_view view = (uintptr_t)inode->i_private;
	size_t size = 64 * 1024;
	struct hti_snap *snap;
	unsigned long flags;

	if (view == HTI_LOG) {
		snap = hti_snap_log();
	} else {
		snap = kvmalloc(sizeof(*snap) + size, GFP_KERNEL);
		if (snap) {
			spin_lock_irqsave(&hti_lock, flags);
			snap->len = hti_render_syms(view, snap->buf, size);
			spin_unlock_irqrestore(&hti_lock, flags);
		}
	}
	if (!snap)
		return -ENOMEM;
	file->private_data = snap;
	return 0;
}

static const struct file_operations hti_snap_fops = {
	.owner = THIS_MODULE,
	.open = hti_snap_open,
	.read = hti_snap_read,
	.release = hti_snap_release,
	.llseek = default_llseek,
};

static const struct file_operations hti_fail_fops = {
	.owner = THIS_MODULE,
	.open = hti_snap_open,
	.read = hti_snap_read,
	.write = hti_fail_write,
	.release = hti_snap_release,
	.llseek = default_llseek,
};

static ssize_t hti_reset_write(struct file *file, const char __user *ubuf,
			       size_t len, loff_t *ppos)
{
	char c[2] = {};

	if (len < 1 || len > 2 || copy_from_user(c, ubuf, len) || c[0] != '1' ||
	    (len == 2 && c[1] != '\n'))
		return -EINVAL;
	hti_reset();
	return len;
}

static const struct file_operations hti_reset_fops = {
	.owner = THIS_MODULE,
	.write = hti_reset_write,
	.llseek = noop_llseek,
};

static int __init hti_init(void)
{
	int rc;

	hti_log = vcalloc(HTI_LOG_MAX, sizeof(*hti_log));
	if (!hti_log)
		return -ENOMEM;
	hti_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("symbols", 0444, hti_dir, (void *)HTI_SYMBOLS,
			    &hti_snap_fops);
	debugfs_create_file("calls", 0444, hti_dir, (void *)HTI_CALLS,
			    &hti_snap_fops);
	debugfs_create_file("log", 0444, hti_dir, (void *)HTI_LOG,
			    &hti_snap_fops);
	/* the rules render under HTI_RULES: enum value 0 */
	debugfs_create_file("fail", 0644, hti_dir, (void *)HTI_RULES,
			    &hti_fail_fops);
	debugfs_create_file("reset", 0200, hti_dir, NULL, &hti_reset_fops);
	rc = hti_platform_init(hti_dir);
	if (rc) {
		debugfs_remove(hti_dir);
		vfree(hti_log);
		return rc;
	}
	pr_info("%d kernel functions wrapped\n", hti_nr_syms);
	return 0;
}

static void __exit hti_exit_module(void)
{
	hti_platform_exit();
	debugfs_remove(hti_dir);
	vfree(hti_log);
}

module_init(hti_init);
module_exit(hti_exit_module);
MODULE_DESCRIPTION("hotmem: test shim, fault injection and call log for the hotmem modules");
MODULE_LICENSE("GPL");
