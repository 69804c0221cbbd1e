/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the ABI under test lives in sysfs: one spelling of each root for
 * every suite, sweep and benchmark (hotmem_util.h includes it).
 */
#ifndef HOTMEM_PATHS_H
#define HOTMEM_PATHS_H

/* hotmem_pagemap: regionN and its instances regionN.M */
#define HM_PM_CLS	"/sys/class/hotmem"
/* the dax bus's devices (daxR.N), hotmem_kmem's hotmem/ directory in each */
#define HM_SYS_DAX	"/sys/bus/dax/devices"

#endif /* HOTMEM_PATHS_H */
