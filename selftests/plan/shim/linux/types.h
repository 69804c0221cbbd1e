/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel types kmod/kmem/plan.c uses, for its user-space build. */
#ifndef HKM_SHIM_TYPES_H
#define HKM_SHIM_TYPES_H
#include_next <linux/types.h>
#include <stdbool.h>
typedef __u64 u64;
#endif
