# Reports of the kernel's own that hotmem's tests meet: one a line, a
# name, then TAB-separated extended regexes that must all match lines of
# one report (from its first line to the end of its stack dump, "</TASK>").
# dmesg-scan drops such a report and says "known kernel report: NAME".
# Each must be reproduced without any hotmem module loaded by a control
# test that runs on every lane that can show it (named below): if the
# kernel stops showing it, the control test fails and the entry goes.
#
# 6.12's try_remove_memory() removes the memory block devices under
# mem_hotplug_lock, on both of its paths: remove_memory_blocks_and_altmaps()
# for memmap-on-memory blocks, remove_memory_block_devices() directly for
# the others.  A write to a block's "state" file in progress at that
# moment (it holds the file active and retries while
# lock_device_hotplug_sysfs() is busy) makes kernfs_drain() wait for it,
# and lockdep sees kn->active after mem_hotplug_lock, where onlining took
# cpu_hotplug_lock and mem_hotplug_lock inside kn->active.  No deadlock is
# possible: device_hotplug_lock serializes both paths.  The same false
# positive was fixed in 5.6 (f1037ec0cc8a, "mm/memory_hotplug: fix
# remove_memory() lockdep splat"); 6.12 brought it back.  Control:
# baseline:zz_kernel.lockdep_memmap_on_memory_removal (the in-kernel
# kmem, memmap-on-memory blocks; lockdep reports once a boot, so one path
# a boot).  Seen with hotmem in race_kmem, on both paths.
lockdep-memmap-on-memory-removal	possible circular locking dependency detected	kn->active	mem_hotplug_lock	try_remove_memory	remove_memory_block_devices	(state_store|memory_subsys_online|device_online|device_offline)

# x86's add_pages() ends with WARN_ON_ONCE(ret) on __add_pages()'s return
# value, so a hot-add that fails because an allocation failed (the
# memmap, the section's usage map) warns, once per boot, though every
# caller handles the error.  (None of them takes back the sections that
# __add_pages() added before the one that failed: after such a failure
# the in-kernel kmem's every later bind of the range fails with EEXIST.
# hotmem_kmem adds one memory block, here one section, per call.)  The allocation sweeps
# (sweep_alloc: an enable's memremap_pages()) meet it on purpose.
# Control: baseline:zz_kernel.add_pages_enomem, the in-kernel kmem's bind
# with the same injected failures and no hotmem module loaded.
add-pages-enomem	WARNING: .* at arch/x86/mm/init_64.c:[0-9]+ add_pages\+	(pagemap_range|memremap_pages|add_memory_resource|add_memory_driver_managed)
