// SPDX-License-Identifier: GPL-2.0
/*
 * hotmem_pagemap_example: the smallest client of hotmem_pagemap's exported
 * interface (include/hotmem/pagemap.h), as a driver that discovers device
 * memory would use it: hand a range over at load, take it back at unload.
 * The selftests use it to drive that interface.
 *
 *   modprobe hotmem_pagemap_example range=0x140000000:0x8000000 node=0
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/numa.h>
#include <linux/string.h>

#include <hotmem/pagemap.h>

static char *range;
module_param(range, charp, 0444);
MODULE_PARM_DESC(range, "START:SIZE in bytes (decimal or 0x hex) to hand to hotmem_pagemap");

static int node = NUMA_NO_NODE;
module_param(node, int, 0444);
MODULE_PARM_DESC(node, "Target NUMA node of the range (default: the platform's)");

static struct hotmem_region *example_region;

static int __init example_init(void)
{
	char buf[64], *colon;
	u64 start, size;
	int rc;

	if (!range || strscpy(buf, range, sizeof(buf)) < 0)
		return -EINVAL;
	colon = strchr(buf, ':');
	if (!colon)
		return -EINVAL;
	*colon = '\0';
	rc = kstrtou64(buf, 0, &start);
	if (!rc)
		rc = kstrtou64(colon + 1, 0, &size);
	if (rc)
		return rc;
	example_region = hotmem_region_add(start, size, node);
	if (IS_ERR(example_region)) {
		pr_err("%s: %pe\n", range, example_region);
		rc = PTR_ERR(example_region);
		/* modprobe takes -EEXIST for "already loaded" and says nothing */
		return rc == -EEXIST ? -EBUSY : rc;
	}
	pr_info("region%d: %#llx-%#llx\n", hotmem_region_id(example_region),
		start, start + size - 1);
	return 0;
}

static void __exit example_exit(void)
{
	hotmem_region_remove(example_region);
}

module_init(example_init);
module_exit(example_exit);
MODULE_DESCRIPTION("hotmem: example client of the hotmem_pagemap region interface");
MODULE_LICENSE("GPL");
