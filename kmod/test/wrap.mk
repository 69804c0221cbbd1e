# SPDX-License-Identifier: GPL-2.0
# Included by the test build's Kbuild of a hotmem module, after the
# module's own Kbuild, with HTI_MODULE set (scripts/test-tree.sh): the same
# objects, linked with --wrap for every function of wrap.list so that each
# call goes through hotmem_test_iomap, plus the watermark.
HTI_WRAPPED := $(shell awk '!/^\#/ && NF { print $$1 }' $(src)/../test/wrap.list)
ldflags-y += $(addprefix --wrap=,$(HTI_WRAPPED))
$(HTI_MODULE)-y += hti_watermark.o
CFLAGS_hti_watermark.o += -DHTI_WATERMARK=$(HTI_MODULE)_test_watermark \
			  -I$(src)/../test
