// SPDX-License-Identifier: GPL-2.0
/*
 * hotmem_test_iomap: emulated device-memory platforms.  A range reserved
 * on the kernel command line (memmap=SIZE$START, "Reserved" in /proc/iomem)
 * is carved into regions the way firmware describes device memory: each
 * region becomes a "Soft Reserved" resource inside the reservation (as
 * "Soft Reserved" sits inside a "CXL Window" on CXL machines) and is then
 * presented as nothing more, as a dax region with one dax device (as
 * dax_hmem does; hotmem_kmem, kmem, device_dax and daxctl see it), or as a
 * hotmem_pagemap region (hotmem_region_add()).
 *
 * /sys/kernel/debug/hotmem_test_iomap/platform
 *   read:  "ID START SIZE NODE AS NAME" per region, NAME being the dax
 *          region's "daxID" or the pagemap "regionN" ("-" for AS none)
 *   write: one command per line; a write that fails takes back the
 *          regions it added:
 *          "add START SIZE [node=N] [as=none|dax|pagemap]"
 *                 START and SIZE 2 MiB aligned, inside one reservation,
 *                 overlapping nothing; node -1 (the default) or possible
 *          "remove ID", "clear" (every region)
 *          -EINVAL malformed or misplaced, -ENOENT no such region,
 *          -EBUSY part of a region is System RAM (unplug it first), or a
 *          region overlaps something; -ENODEV hotmem_pagemap is missing.
 *
 * While a region exists the shim cannot be unloaded.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/idr.h>
#include <linux/ioport.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/platform_device.h>
#include <linux/range.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <hotmem/pagemap.h>
#include "bus.h"
#include "hti.h"

#define HTI_PLAT_ALIGN		SZ_2M
/* dax region ids: clear of the ones dax_hmem and the pmem drivers number */
#define HTI_PLAT_ID_FIRST	100
#define HTI_PLAT_ID_LAST	199
#define HTI_PLAT_DRV		"hotmem_test_dax"

enum hti_as { HTI_AS_NONE, HTI_AS_DAX, HTI_AS_PAGEMAP };

static const char *const hti_as_names[] = {
	[HTI_AS_NONE] = "none",
	[HTI_AS_DAX] = "dax",
	[HTI_AS_PAGEMAP] = "pagemap",
};

/**
 * struct hti_region - one emulated device-memory region
 * @node: in hti_regions
 * @undo: in the list of regions the write in progress added
 * @id: its number, also its dax region id
 * @res: its "Soft Reserved" resource
 * @target_node: the NUMA node it names, or NUMA_NO_NODE
 * @as: how it is presented
 * @pdev: for HTI_AS_DAX, the parent of the dax region
 * @pm: for HTI_AS_PAGEMAP, the hotmem_pagemap region
 * @pm_id: its id
 */
struct hti_region {
	struct list_head node;
	struct list_head undo;
	int id;
	struct resource res;
	int target_node;
	enum hti_as as;
	struct platform_device *pdev;
	struct hotmem_region *pm;
	int pm_id;
};

/* protects hti_regions; taken for a whole write */
static DEFINE_MUTEX(hti_plat_lock);
static LIST_HEAD(hti_regions);
static DEFINE_IDA(hti_plat_ida);

/* the probe of a region's dax parent: a dax region and one device on it */
static int hti_dax_probe(struct platform_device *pdev)
{
	struct hti_region *r = *(struct hti_region **)dev_get_platdata(&pdev->dev);
	struct range range = { .start = r->res.start, .end = r->res.end };
	struct dax_region *dax_region;
	struct dev_dax_data data;
	struct dev_dax *dev_dax;

	dax_region = alloc_dax_region(&pdev->dev, r->id, &range,
				      r->target_node, HTI_PLAT_ALIGN, 0);
	if (!dax_region)
		return -ENOMEM;
	data = (struct dev_dax_data) {
		.dax_region = dax_region,
		.id = -1,
		.size = range_len(&range),
	};
	dev_dax = devm_create_dev_dax(&data);
#ifdef HTI_DAX_REGION_PUT
	/* the devices hold the region from here (6.1) */
	dax_region_put(dax_region);
#endif
	return PTR_ERR_OR_ZERO(dev_dax);
}

static struct platform_driver hti_dax_driver = {
	.probe = hti_dax_probe,
	.driver = {
		.name = HTI_PLAT_DRV,
	},
};

static int hti_present_dax(struct hti_region *r)
{
	struct platform_device *pdev;

	/* the platform data is a pointer to @r, which outlives the device */
	pdev = platform_device_register_data(NULL, HTI_PLAT_DRV, r->id, &r,
					     sizeof(r));
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	if (!pdev->dev.driver) {
		pr_err("%s: no dax region\n", dev_name(&pdev->dev));
		platform_device_unregister(pdev);
		return -ENXIO;
	}
	r->pdev = pdev;
	return 0;
}

static int hti_present_pagemap(struct hti_region *r)
{
	struct hotmem_region *(*add)(u64 start, u64 size, int target_node);
	int (*id)(const struct hotmem_region *region);
	struct hotmem_region *pm;

	/* no link to hotmem_pagemap: its test build links to this module */
	add = symbol_request(hotmem_region_add);
	if (!add)
		return -ENODEV;
	pm = add(r->res.start, resource_size(&r->res), r->target_node);
	if (IS_ERR(pm)) {
		symbol_put(hotmem_region_add);
		return PTR_ERR(pm);
	}
	/* the reference symbol_request() took keeps hotmem_pagemap loaded */
	id = symbol_get(hotmem_region_id);
	r->pm_id = id(pm);
	symbol_put(hotmem_region_id);
	r->pm = pm;
	return 0;
}

static void hti_unpresent(struct hti_region *r)
{
	void (*remove)(struct hotmem_region *region);

	if (r->pdev) {
		platform_device_unregister(r->pdev);
		r->pdev = NULL;
	}
	if (r->pm) {
		/* hotmem_pagemap cannot have gone: this holds it */
		remove = symbol_get(hotmem_region_remove);
		remove(r->pm);
		symbol_put(hotmem_region_remove);
		symbol_put(hotmem_region_add);
		r->pm = NULL;
	}
}

static int hti_found(struct resource *res, void *arg)
{
	return 1;
}

/* Is any of @r System RAM (hot-added by a kmem driver)? */
static bool hti_region_has_ram(struct hti_region *r)
{
	return walk_iomem_res_desc(IORES_DESC_NONE, IORESOURCE_SYSTEM_RAM,
				   r->res.start, r->res.end, NULL,
				   hti_found) == 1;
}

/*
 * Insert @r's "Soft Reserved" resource.  It must land inside a reservation
 * ("Reserved", not busy, at the top of the tree) and must not take in
 * anything already there, which insert_resource() would do.
 */
static int hti_region_insert(struct hti_region *r)
{
	struct resource *parent;
	bool took_in;

	if (insert_resource(&iomem_resource, &r->res))
		return -EBUSY;
	parent = r->res.parent;
	took_in = r->res.child;
	if (took_in || parent == &iomem_resource ||
	    parent->parent != &iomem_resource ||
	    parent->desc != IORES_DESC_RESERVED ||
	    (parent->flags & IORESOURCE_BUSY)) {
		/* puts back anything it took in; just inserted, it is there */
		WARN_ON_ONCE(remove_resource(&r->res));
		return took_in ? -EBUSY : -EINVAL;
	}
	return 0;
}

static int hti_region_add(u64 start, u64 size, int target_node,
			  enum hti_as as, struct hti_region **out)
{
	struct hti_region *r, *o;
	int rc;

	if (!size || !IS_ALIGNED(start, HTI_PLAT_ALIGN) ||
	    !IS_ALIGNED(size, HTI_PLAT_ALIGN) || start + size < start)
		return -EINVAL;
	list_for_each_entry(o, &hti_regions, node)
		if (start <= o->res.end && o->res.start < start + size)
			return -EBUSY;
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	INIT_LIST_HEAD(&r->undo);
	rc = ida_alloc_range(&hti_plat_ida, HTI_PLAT_ID_FIRST,
			     HTI_PLAT_ID_LAST, GFP_KERNEL);
	if (rc < 0)
		goto out_free;
	r->id = rc;
	r->target_node = target_node;
	r->as = as;
	r->res = (struct resource) {
		.name = "Soft Reserved",
		.start = start,
		.end = start + size - 1,
		.flags = IORESOURCE_MEM,
		.desc = IORES_DESC_SOFT_RESERVED,
	};
	rc = -ENODEV;
	if (!try_module_get(THIS_MODULE))
		goto out_ida;
	rc = hti_region_insert(r);
	if (rc)
		goto out_put;
	if (as == HTI_AS_DAX)
		rc = hti_present_dax(r);
	else if (as == HTI_AS_PAGEMAP)
		rc = hti_present_pagemap(r);
	if (rc)
		goto out_remove;
	list_add_tail(&r->node, &hti_regions);
	*out = r;
	return 0;

out_remove:
	/* inserted above; never freed while it could still be in the tree */
	if (WARN_ON_ONCE(remove_resource(&r->res)))
		return rc;
out_put:
	module_put(THIS_MODULE);
out_ida:
	ida_free(&hti_plat_ida, r->id);
out_free:
	kfree(r);
	return rc;
}

static int hti_region_remove(struct hti_region *r)
{
	if (hti_region_has_ram(r))
		return -EBUSY;
	hti_unpresent(r);
	/* a driver still holding part of it: keep it, presented as nothing */
	if (r->res.child) {
		r->as = HTI_AS_NONE;
		return -EBUSY;
	}
	if (WARN_ON_ONCE(remove_resource(&r->res))) {
		r->as = HTI_AS_NONE;
		return -EBUSY;
	}
	list_del(&r->node);
	list_del(&r->undo);
	ida_free(&hti_plat_ida, r->id);
	kfree(r);
	module_put(THIS_MODULE);
	return 0;
}

static struct hti_region *hti_region_find(int id)
{
	struct hti_region *r;

	list_for_each_entry(r, &hti_regions, node)
		if (r->id == id)
			return r;
	return NULL;
}

/* "add START SIZE [node=N] [as=...]"; @added collects what to undo */
static int hti_cmd_add(char *args, struct list_head *added)
{
	int target_node = NUMA_NO_NODE;
	enum hti_as as = HTI_AS_NONE;
	struct hti_region *r;
	char *tok, *val;
	u64 v[2];
	int i, rc;

	for (i = 0; i < 2; i++) {
		tok = strsep(&args, " ");
		if (!tok || kstrtou64(tok, 0, &v[i]))
			return -EINVAL;
	}
	while ((tok = strsep(&args, " "))) {
		if (!*tok)
			continue;
		val = strchr(tok, '=');
		if (!val)
			return -EINVAL;
		*val++ = '\0';
		if (!strcmp(tok, "node")) {
			if (kstrtoint(val, 0, &target_node) ||
			    (target_node != NUMA_NO_NODE &&
			     (target_node < 0 || target_node >= MAX_NUMNODES ||
			      !node_possible(target_node))))
				return -EINVAL;
		} else if (!strcmp(tok, "as")) {
			rc = match_string(hti_as_names,
					  ARRAY_SIZE(hti_as_names), val);
			if (rc < 0)
				return -EINVAL;
			as = rc;
		} else {
			return -EINVAL;
		}
	}
	rc = hti_region_add(v[0], v[1], target_node, as, &r);
	if (!rc)
		list_add(&r->undo, added);
	return rc;
}

static int hti_cmd(char *line, struct list_head *added)
{
	struct hti_region *r, *t;
	char *cmd;
	int id, rc;

	cmd = strsep(&line, " ");
	if (!strcmp(cmd, "add") && line)
		return hti_cmd_add(line, added);
	if (!strcmp(cmd, "remove") && line) {
		if (kstrtoint(line, 0, &id))
			return -EINVAL;
		r = hti_region_find(id);
		return r ? hti_region_remove(r) : -ENOENT;
	}
	if (!strcmp(cmd, "clear") && !line) {
		list_for_each_entry_safe(r, t, &hti_regions, node) {
			rc = hti_region_remove(r);
			if (rc)
				return rc;
		}
		return 0;
	}
	return -EINVAL;
}

static ssize_t hti_platform_write(struct file *file, const char __user *ubuf,
				  size_t len, loff_t *ppos)
{
	struct hti_region *r, *t;
	char *buf, *p, *line;
	LIST_HEAD(added);
	int rc = 0;

	if (!len || len > PAGE_SIZE)
		return -EINVAL;
	buf = memdup_user_nul(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	mutex_lock(&hti_plat_lock);
	p = buf;
	while (!rc && (line = strsep(&p, "\n"))) {
		line = strim(line);
		if (*line)
			rc = hti_cmd(line, &added);
	}
	/* a write that fails takes back the regions it added, newest first */
	list_for_each_entry_safe(r, t, &added, undo) {
		list_del_init(&r->undo);
		if (rc && hti_region_remove(r))
			pr_err("region %d: cannot undo its add\n", r->id);
	}
	mutex_unlock(&hti_plat_lock);
	kfree(buf);
	return rc ? rc : len;
}

static int hti_platform_show(struct seq_file *m, void *v)
{
	struct hti_region *r;

	mutex_lock(&hti_plat_lock);
	list_for_each_entry(r, &hti_regions, node) {
		seq_printf(m, "%d %#llx %#llx %d %s ", r->id,
			   (u64)r->res.start, (u64)resource_size(&r->res),
			   r->target_node, hti_as_names[r->as]);
		if (r->as == HTI_AS_DAX)
			seq_printf(m, "dax%d\n", r->id);
		else if (r->as == HTI_AS_PAGEMAP)
			seq_printf(m, "region%d\n", r->pm_id);
		else
			seq_puts(m, "-\n");
	}
	mutex_unlock(&hti_plat_lock);
	return 0;
}

static int hti_platform_open(struct inode *inode, struct file *file)
{
	return single_open(file, hti_platform_show, NULL);
}

static const struct file_operations hti_platform_fops = {
	.owner = THIS_MODULE,
	.open = hti_platform_open,
	.read = seq_read,
	.write = hti_platform_write,
	.release = single_release,
	.llseek = seq_lseek,
};

/**
 * hti_platform_init() - the platform file and the dax parents' driver
 * @dir: the shim's debugfs directory
 *
 * Return: 0 or -errno.
 */
int hti_platform_init(struct dentry *dir)
{
	int rc;

	rc = platform_driver_register(&hti_dax_driver);
	if (rc)
		return rc;
	debugfs_create_file("platform", 0644, dir, NULL, &hti_platform_fops);
	return 0;
}

/**
 * hti_platform_exit() - undo hti_platform_init()
 *
 * No region is left: each holds a reference on this module.
 */
void hti_platform_exit(void)
{
	platform_driver_unregister(&hti_dax_driver);
	ida_destroy(&hti_plat_ida);
}
