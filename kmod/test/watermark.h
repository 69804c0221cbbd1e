/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The watermark of the test build: each hotmem module built with
 * "make test-modules" links watermark.c, whose function calls into the
 * shim, so the module cannot load without it and the tests can tell it
 * from a stock build by its "<module>_test_watermark" symbol.
 */
#ifndef HTI_WATERMARK_H
#define HTI_WATERMARK_H

int hotmem_test_iomap_watermark(void);

#endif /* HTI_WATERMARK_H */
