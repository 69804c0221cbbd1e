// SPDX-License-Identifier: GPL-2.0
/*
 * Linked into the test build of a hotmem module only (kmod/test/wrap.mk),
 * under the name HTI_WATERMARK, "<module>_test_watermark".
 */
#include <linux/module.h>

#include "watermark.h"

int HTI_WATERMARK(void);

/**
 * HTI_WATERMARK() - the test build's mark: found in /proc/kallsyms
 *
 * Return: 1, from the shim.
 */
int HTI_WATERMARK(void)
{
	return hotmem_test_iomap_watermark();
}
EXPORT_SYMBOL_GPL(HTI_WATERMARK);
