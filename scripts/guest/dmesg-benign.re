# Lines that match dmesg-bad but are the kernel reporting expected,
# handled conditions, not bugs: removed before the bad patterns are applied.
#
# offline_pages() of a block a test pinned on purpose: the kernel dumps
# the page it cannot isolate or migrate (pr_warn + dump_page, no WARN)
page dumped because: (migration failure|unmovable page|isolation failed)
#
# 6.1's workqueue, booted with numa=fake=N (the platform suite's 4 nodes
# on 2 CPUs): a pr_warn_once from wq_calc_node_cpumask() when fake nodes'
# CPU masks disagree with the ones it built at init.  A message, not a
# WARN(): no stack, no taint; printed at boot before any hotmem module
# loads (seen in the boot-clean check of 6.1 with --numa 4); the code was
# rewritten in 6.6 and 6.12 does not print it.
WARNING: workqueue cpumask: online intersect > possible intersect
