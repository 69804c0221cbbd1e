// SPDX-License-Identifier: GPL-2.0
/*
 * Memory tiers for the nodes hotmem_kmem adds memory to, as kmem does:
 * the node gets a memory type slower than DRAM (abstract distance five
 * times DRAM's, or what the platform reports on 6.8+) before its memory
 * comes online, and loses it with its last block.  The API differs
 * between 6.1 (one type made at load) and 6.12 (types found or made per
 * distance); Kbuild probes which one the kernel has.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/list.h>
#include <linux/memory-tiers.h>
#include <linux/mutex.h>

#include "hkm.h"

#define HKM_ADISTANCE	(MEMTIER_ADISTANCE_DRAM * 5)

#ifdef HKM_HAVE_MT_FIND_ALLOC_MEMORY_TYPE
/* memory types made for our nodes; protected by hkm_tier_lock */
static LIST_HEAD(hkm_memory_types);
/* protects hkm_memory_types */
static DEFINE_MUTEX(hkm_tier_lock);

/**
 * hkm_tier_get() - give node @nid a slow memory type, as kmem does
 * @nid: the node memory is about to be added to
 *
 * Return: the type, to pass to hkm_tier_put(), or an ERR_PTR.
 */
struct memory_dev_type *hkm_tier_get(int nid)
{
	struct memory_dev_type *mtype;
	int adist = HKM_ADISTANCE;

	/*
	 * A platform driver (HMAT, CXL) may refine @adist; without one the
	 * default stays.  The notifier chain's result says only whether one
	 * answered, which changes nothing here (as for the kernel's kmem).
	 */
	mt_calc_adistance(nid, &adist);
	mutex_lock(&hkm_tier_lock);
	mtype = mt_find_alloc_memory_type(adist, &hkm_memory_types);
	mutex_unlock(&hkm_tier_lock);
	if (!IS_ERR(mtype))
		init_node_memory_type(nid, mtype);
	return mtype;
}

/**
 * hkm_tier_put() - undo hkm_tier_get() once the node's memory is gone
 * @nid: the node
 * @mtype: what hkm_tier_get() returned
 */
void hkm_tier_put(int nid, struct memory_dev_type *mtype)
{
	clear_node_memory_type(nid, NULL);
}

/**
 * hkm_tier_init() - module load
 *
 * Return: 0.
 */
int hkm_tier_init(void)
{
	return 0;
}

/** hkm_tier_exit() - module unload: drop the types made */
void hkm_tier_exit(void)
{
	mutex_lock(&hkm_tier_lock);
	mt_put_memory_types(&hkm_memory_types);
	mutex_unlock(&hkm_tier_lock);
}
#else
/* the one slow memory type of every node we add memory to */
static struct memory_dev_type *hkm_slow_type;

struct memory_dev_type *hkm_tier_get(int nid)
{
	init_node_memory_type(nid, hkm_slow_type);
	return hkm_slow_type;
}

void hkm_tier_put(int nid, struct memory_dev_type *mtype)
{
	clear_node_memory_type(nid, mtype);
}

int hkm_tier_init(void)
{
	hkm_slow_type = alloc_memory_type(HKM_ADISTANCE);
	return PTR_ERR_OR_ZERO(hkm_slow_type);
}

void hkm_tier_exit(void)
{
	destroy_memory_type(hkm_slow_type);
}
#endif
