// SPDX-License-Identifier: GPL-2.0
/*
 * hotmem_pagemap: a sub-section aware ZONE_DEVICE pagemap allocator.
 * The top of the module: init and exit, and the "regions" parameter that
 * names regions at load and adds more when written.  Calls go down only:
 * main -> region -> instance -> mapping (the mappingN devices) -> cdev
 * (device numbers, pseudo-fs, file operations) -> pgmap -> subsec.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "hm_param.h"
#include "hm_parse.h"
#include "hpm.h"

/* protects every region and instance; see hpm.h */
DEFINE_MUTEX(hpm_lock);

/* most regions one "regions" value may name */
#define HPM_MAX_SPECS	16

/**
 * struct hpm_spec - one "START:SIZE" of a "regions" value
 * @start: first byte
 * @size: length in bytes
 */
struct hpm_spec {
	u64 start;
	u64 size;
};

/*
 * The life of the "regions" parameter.  Its set hook runs at load, before
 * hpm_init() (the value of "regions=" on the command line), and for every
 * write to its sysfs file, which exists from just before hpm_init() until
 * just after hpm_exit() returns.  So a set may come before the class it
 * adds devices to exists, and after the regions are gone:
 *   HPM_PARAM_LOAD: init has not run: the value is kept, appended to what
 *	was set before (several "regions=" add up), for init to claim; an
 *	overlap among them is -EINVAL here, not the -EEXIST of a write at
 *	run time, because modprobe takes a load failing with -EEXIST for
 *	"already loaded" and reports success;
 *   HPM_PARAM_LIVE: init claimed that: a set claims its regions at once;
 *   HPM_PARAM_GONE: exit began, or init failed: a set fails, -ENODEV.
 * hpm_param_lock is held by init until the module is live, by exit to
 * leave it, and by each set for its whole run, so init and exit wait for
 * a set in flight and a set never sees a half-built module.
 */
enum hpm_param_state {
	HPM_PARAM_LOAD,
	HPM_PARAM_LIVE,
	HPM_PARAM_GONE,
};

/* protects hpm_param_state and hpm_regions_at_load; before hpm_lock */
static DEFINE_MUTEX(hpm_param_lock);
static enum hpm_param_state hpm_param_state;
/* the regions named before init, "START:SIZE,..." without a newline */
static char *hpm_regions_at_load;

/* "START:SIZE" of @len characters: two numbers, decimal or 0x hex */
static int hpm_spec_parse(const char *s, size_t len, struct hpm_spec *spec)
{
	const char *colon = memchr(s, ':', len);
	int rc;

	if (!colon)
		return -EINVAL;
	rc = hm_parse_num(s, colon - s, HM_DEC_OR_HEX, &spec->start);
	if (!rc)
		rc = hm_parse_num(colon + 1, s + len - colon - 1, HM_DEC_OR_HEX,
				  &spec->size);
	return rc;
}

/*
 * Parse a whole value, "START:SIZE[,START:SIZE...]" and an optional
 * newline, into @specs: -EINVAL if malformed or naming more than
 * HPM_MAX_SPECS regions, -ERANGE if a number overflows.  *@nr counts
 * only the specs parsed.
 */
static int hpm_specs_parse(const char *val, struct hpm_spec *specs, int *nr)
{
	size_t len, i, end;
	int rc;

	*nr = 0;
	rc = hm_parse_input(val, strlen(val), &len);
	for (i = 0; !rc; i = end + 1) {
		for (end = i; end < len && val[end] != ','; end++)
			;
		if (*nr == HPM_MAX_SPECS)
			return -EINVAL;
		rc = hpm_spec_parse(val + i, end - i, &specs[*nr]);
		if (rc)
			break;
		(*nr)++;
		if (end == len)
			break;
	}
	return rc;
}

/* Does spec @i overlap one before it? */
static bool hpm_spec_overlaps(const struct hpm_spec *specs, int i)
{
	int j;

	for (j = 0; j < i; j++)
		if (specs[i].start < specs[j].start + specs[j].size &&
		    specs[j].start < specs[i].start + specs[i].size)
			return true;
	return false;
}

/* Do any two of the specs overlap? */
static bool hpm_specs_overlap(const struct hpm_spec *specs, int nr)
{
	int i;

	for (i = 1; i < nr; i++)
		if (hpm_spec_overlaps(specs, i))
			return true;
	return false;
}

/*
 * Check every spec before claiming any, in order: each as
 * hpm_region_add() would (-EINVAL, -EEXIST), then against the specs
 * before it, which it must not overlap (-EEXIST).
 */
static int hpm_specs_check(const struct hpm_spec *specs, int nr)
{
	int i, rc;

	for (i = 0; i < nr; i++) {
		rc = hpm_region_validate(specs[i].start, specs[i].size);
		if (rc)
			return rc;
		if (hpm_spec_overlaps(specs, i))
			return -EEXIST;
	}
	return 0;
}

/*
 * Claim the regions @val names, all or none: every spec is parsed and
 * checked first, and if a claim still fails (another driver took the
 * memory meanwhile) the regions claimed before it are removed again.
 */
static int hpm_regions_claim(const char *val)
{
	struct hotmem_region *added[HPM_MAX_SPECS];
	struct hpm_spec specs[HPM_MAX_SPECS];
	int i, nr, rc;

	lockdep_assert_held(&hpm_param_lock);
	rc = hpm_specs_parse(val, specs, &nr);
	if (!rc)
		rc = hpm_specs_check(specs, nr);
	if (rc)
		return rc;
	for (i = 0; i < nr; i++) {
		rc = hpm_region_add(specs[i].start, specs[i].size, NUMA_NO_NODE, false,
				    &added[i]);
		if (rc)
			break;
	}
	/* undo: the i regions added before the one that failed, no more */
	if (rc)
		while (i--)
			hpm_region_remove(added[i]);
	return rc;
}

/* Before init: check the syntax, then append to the load-time value. */
static int hpm_regions_defer(const char *val)
{
	struct hpm_spec specs[HPM_MAX_SPECS];
	size_t len, had;
	char *all;
	int nr, rc;

	lockdep_assert_held(&hpm_param_lock);
	rc = hm_parse_input(val, strlen(val), &len);
	if (rc)
		return rc;
	had = hpm_regions_at_load ? strlen(hpm_regions_at_load) : 0;
	all = kmalloc(had + 1 + len + 1, GFP_KERNEL);
	if (!all)
		return -ENOMEM;
	if (had) {
		memcpy(all, hpm_regions_at_load, had);
		all[had++] = ',';
	}
	memcpy(all + had, val, len);
	all[had + len] = '\0';
	rc = hpm_specs_parse(all, specs, &nr);
	/* overlaps: -EINVAL (see enum hpm_param_state) */
	if (!rc && hpm_specs_overlap(specs, nr))
		rc = -EINVAL;
	if (rc) {
		kfree(all);
		return rc;
	}
	kfree(hpm_regions_at_load);
	hpm_regions_at_load = all;
	return 0;
}

/*
 * regions=START:SIZE[,START:SIZE...]: see enum hpm_param_state for when a
 * value is claimed.  A read lists every region.
 */
static int hpm_regions_set(const char *val, const struct kernel_param *kp)
{
	int rc;

	if (mutex_lock_interruptible(&hpm_param_lock))
		return -EINTR;
	if (hpm_param_state == HPM_PARAM_LOAD)
		rc = hpm_regions_defer(val);
	else if (hpm_param_state == HPM_PARAM_LIVE)
		rc = hpm_regions_claim(val);
	else
		rc = -ENODEV;
	mutex_unlock(&hpm_param_lock);
	return rc;
}

static int hpm_regions_get(char *buf, const struct kernel_param *kp)
{
	return hpm_regions_show(buf);
}

/*
 * The load-time value: freed by init once claimed, and by the kernel at
 * unload or after a failed load (init failed, or never ran).
 */
static void hpm_regions_free(void *arg)
{
	kfree(hpm_regions_at_load);
	hpm_regions_at_load = NULL;
}

static const struct kernel_param_ops hpm_regions_ops = {
	.set = hpm_regions_set,
	.get = hpm_regions_get,
	.free = hpm_regions_free,
};

module_param_cb(regions, &hpm_regions_ops, NULL, 0644);
MODULE_PARM_DESC(regions,
		 "Device memory to manage, START:SIZE[,START:SIZE...] in bytes (decimal or 0x hex, 2 MiB aligned, at most 16); write to add (default: none)");

/* expedite_rcu: see hm_param.h */
static const struct kernel_param_ops hpm_bool_ops = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = hm_param_set_bool,
	.get = param_get_bool,
};

module_param_cb(expedite_rcu, &hpm_bool_ops, &hpm_expedite_rcu, 0644);
MODULE_PARM_DESC(expedite_rcu,
		 "Expedite the RCU grace periods that enabling and disabling instances wait for (see README): 1/Y or 0/N (default: Y)");

static int __init hpm_init(void)
{
	int rc;

	mutex_lock(&hpm_param_lock);
	rc = hpm_cdev_init();
	if (rc)
		goto out_gone;
	rc = hpm_regions_init();
	if (rc)
		goto out_cdev;
	if (hpm_regions_at_load) {
		rc = hpm_regions_claim(hpm_regions_at_load);
		if (rc) {
			pr_err("regions=%s: %d\n", hpm_regions_at_load, rc);
			goto out_regions;
		}
	}
	hpm_param_state = HPM_PARAM_LIVE;
	hpm_regions_free(NULL);
	mutex_unlock(&hpm_param_lock);
	return 0;

out_regions:
	hpm_regions_exit();
out_cdev:
	hpm_cdev_exit();
out_gone:
	hpm_param_state = HPM_PARAM_GONE;
	mutex_unlock(&hpm_param_lock);
	return rc;
}

static void __exit hpm_exit(void)
{
	/* no "regions" write in flight, and none claims anything after this */
	mutex_lock(&hpm_param_lock);
	hpm_param_state = HPM_PARAM_GONE;
	mutex_unlock(&hpm_param_lock);
	hpm_regions_exit();
	hpm_cdev_exit();
}

module_init(hpm_init);
module_exit(hpm_exit);
MODULE_DESCRIPTION("hotmem: sub-section aware ZONE_DEVICE pagemap allocator");
MODULE_LICENSE("GPL");
