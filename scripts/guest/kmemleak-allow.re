# kmemleak reports that are the kernel's own: one extended regex a line,
# matched against a whole report (header, hex dump and backtrace on one
# line).  A report that names a hotmem module is never allowed, whatever
# it matches.  Each entry says where it was seen without any hotmem module
# loaded (the boot check, or the baseline suite, which drives only the
# in-kernel drivers); make check-debug's kmemleak-control run shows them.
#
# (none so far)
