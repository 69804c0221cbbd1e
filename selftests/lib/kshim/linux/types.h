/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel types the pure kmod/ files use, for their user-space builds. */
#ifndef HKM_SHIM_TYPES_H
#define HKM_SHIM_TYPES_H
#include_next <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
typedef __u64 u64;
typedef __u16 u16;
#endif
