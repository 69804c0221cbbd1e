/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Expedited RCU grace periods for the hotplug calls of the hotmem modules
 * (their expedite_rcu parameters).  memremap_pages(), memunmap_pages(),
 * add_memory_driver_managed(), onlining and offline_and_remove_memory()
 * wait in synchronize_rcu(): for mem_hotplug_begin()'s rcu_sync, unless a
 * recent hotplug left it passed, and memunmap_pages() again for the
 * removal from the pgmap lookup.  Between hm_rcu_expedite() and
 * hm_rcu_unexpedite() those are expedited grace periods, as the kernel
 * makes them while it boots: far shorter, for an IPI to each CPU found in
 * an RCU read-side section.  Anyone's synchronize_rcu() meanwhile is
 * expedited too.  rcupdate.rcu_normal=1 (on PREEMPT_RT the default after
 * boot) turns them back into normal ones for the whole system.  A
 * call_rcu() (the kill of a pgmap's reference) still waits a normal one.
 */
#ifndef HM_RCU_H
#define HM_RCU_H

#include <linux/types.h>

/*
 * Exported (rcutorture is a module) but declared in kernel/rcu/rcu.h
 * only; Kbuild probes the exports (HM_HAVE_RCU_EXPEDITE_GP).  Without
 * them expedite_rcu changes nothing.
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
