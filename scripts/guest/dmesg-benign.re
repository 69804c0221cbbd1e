# Lines that match dmesg-bad but are the kernel reporting expected,
# handled conditions, not bugs: removed before the bad patterns are applied.
#
# offline_pages() of a block a test pinned on purpose: the kernel dumps
# the page it cannot isolate or migrate (pr_warn + dump_page, no WARN)
page dumped because: (migration failure|unmovable page|isolation failed)
