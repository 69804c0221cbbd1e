/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bool module parameters of the hotmem modules read their input with
 * hm_parse_bool(): 0 or 1 like every switch of hotmem, and Y or N in
 * either case as bool parameters are written; nothing else ("yes", "on",
 * "Y " and garbage: -EINVAL, the value unchanged).  No "=" means set.
 */
#ifndef HM_PARAM_H
#define HM_PARAM_H

#include <linux/compiler.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "hm_parse.h"

/* the set hook of a bool parameter (kernel_param_ops.set) */
static inline int hm_param_set_bool(const char *val,
				    const struct kernel_param *kp)
{
	bool v;
	int rc;

	rc = hm_parse_bool(val ?: "1", val ? strlen(val) : 1, &v);
	if (!rc)
		WRITE_ONCE(*(bool *)kp->arg, v);
	return rc;
}

#endif /* HM_PARAM_H */
