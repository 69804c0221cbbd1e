// SPDX-License-Identifier: GPL-2.0
/* The input grammar shared by the hotmem modules (kmod/lib/hm_parse.c). */
#include "../lib/hm_parse.c"
