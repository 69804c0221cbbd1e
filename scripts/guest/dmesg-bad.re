# The kernel log lines that fail a test or a boot: one extended regex a
# line (comments and blank lines are dropped when the VM is built).  Each
# detector's first line of a report is matched, not its stack dump.
#
# WARN*(), BUG*(), oopses, and what prints with them
WARNING:
BUG:
kernel BUG
Oops
Call Trace
general protection fault
# SLUB debug: "BUG kmalloc-64 (Tainted: ...): Poison overwritten"
BUG [^ ]+ \((Not tainted|Tainted)
Poison overwritten|Redzone|Object already free|Freepointer corrupt
# KASAN, KFENCE, UBSAN (their reports also begin "BUG: ...")
KASAN|KFENCE|UBSAN
# lockdep: circular/recursive locking, inconsistent lock state, invalid
# wait context, its other reports, and lockdep switching itself off after
# any taint ("RCU lockdep checking is enabled" at boot is not a report)
possible (recursive|circular) locking|inconsistent lock state|Invalid wait context
DEBUG_LOCKS_WARN_ON|held lock freed|bad unlock balance|suspicious RCU usage
lock held when returning|lockdep is turned off|Disabling lock debugging
# might_sleep(): "BUG: sleeping function called from invalid context"
sleeping function called from invalid context
# DEBUG_VM: VM_BUG_ON_PAGE and friends dump the page first
page dumped because
# DEBUG_LIST and CHECK_DATA_CORRUPTION
list_(add|del) corruption|corrupted|data corruption
# kmemleak (scan results, and kmemleak switching itself off)
kmemleak: [0-9]+ new suspected memory leak|kmemleak: .*disabl
# hung tasks, RCU stalls, lockups
INFO: task .* blocked|rcu: INFO|soft lockup|hard LOCKUP
