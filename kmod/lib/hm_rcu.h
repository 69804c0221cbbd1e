/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Expedited RCU grace periods for the hotplug calls of the hotmem modules
 * (their expedite_rcu parameters).  memremap_pages(), memunmap_pages(),
 * add_memory_driver_managed() and onlining wait in synchronize_rcu(): for
 * mem_hotplug_begin()'s rcu_sync, unless a hotplug within the last grace
 * period left it not idle; memunmap_pages() again for the removal from
 * the pgmap lookup; onlining a memory-only node's first memory for its
 * memory tier's demotion targets.  Between hm_rcu_expedite() and
 * hm_rcu_unexpedite() those are expedited grace periods, as the kernel
 * makes them while it boots: far shorter, for an IPI to every online CPU
 * that is not idle (or in nohz_full user mode).  Anyone's
 * synchronize_rcu() and synchronize_srcu() meanwhile is expedited too, so
 * only calls that end are expedited: not offlining, which retries until
 * the pages move or a signal comes, nor a wait for pins.
 * rcupdate.rcu_normal=1 (or /sys/kernel/rcu_normal; on PREEMPT_RT the
 * default after boot) turns them back into normal ones for the whole
 * system.  A call_rcu() (the kill of a pgmap's reference) and the
 * rcu_sync's return to idle still take a normal one.
 *
 * rcu_expedite_gp() is exported for rcutorture and declared in
 * kernel/rcu/rcu.h only: no public header offers a way to expedite the
 * grace periods inside these kernel calls (synchronize_rcu_expedited()
 * expedites the caller's own; /sys/kernel/rcu_expedited is the
 * administrator's and does not nest).  Upstream, the declarations would
 * move to include/linux/rcupdate.h with this as a user.
 */
#ifndef HM_RCU_H
#define HM_RCU_H

#include <linux/types.h>

/*
 * Kbuild probes the exports (HM_HAVE_RCU_EXPEDITE_GP); without them
 * (TINY_RCU) expedite_rcu changes nothing.  Every supported kernel has them.
 */
#ifdef HM_HAVE_RCU_EXPEDITE_GP
void rcu_expedite_gp(void);
void rcu_unexpedite_gp(void);
#endif

/**
 * hm_rcu_expedite() - expedite grace periods until hm_rcu_unexpedite()
 * @want: the module's expedite_rcu, read once by the caller
 *
 * Return: whether it did; pass it to hm_rcu_unexpedite().
 */
static inline bool hm_rcu_expedite(bool want)
{
#ifdef HM_HAVE_RCU_EXPEDITE_GP
	if (want)
		rcu_expedite_gp();
	return want;
#else
	return false;
#endif
}

/**
 * hm_rcu_unexpedite() - undo hm_rcu_expedite()
 * @expedited: what it returned
 */
static inline void hm_rcu_unexpedite(bool expedited)
{
#ifdef HM_HAVE_RCU_EXPEDITE_GP
	if (expedited)
		rcu_unexpedite_gp();
#endif
}

#endif /* HM_RCU_H */
