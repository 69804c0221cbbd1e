# SPDX-License-Identifier: GPL-2.0
# Shared rules of the hotmem selftest suites, in the spirit of the kernel's
# tools/testing/selftests/lib.mk: a suite's Makefile sets TEST_GEN_PROGS and
# includes this.  Binaries are static so the VM needs no C library.
#
# KSFT_DIR: directory holding kselftest_harness.h and kselftest.h (the top
# Makefile passes the copy extracted from the kernel source package).

ifeq ($(KSFT_DIR),)
$(error KSFT_DIR is not set: build through the top-level Makefile)
endif

TOP := $(dir $(lastword $(MAKEFILE_LIST)))
OUTPUT ?= $(CURDIR)/out
CC ?= gcc
CFLAGS += -O2 -g -Wall -Wextra -Wno-sign-compare -Wno-unused-parameter -Werror -D_GNU_SOURCE -static \
	  -I$(KSFT_DIR) -I$(TOP)lib
LIBSRC := $(TOP)lib/hotmem_util.c $(TOP)lib/hotmem_pagemap.c
LIBHDR := $(wildcard $(TOP)lib/*.h)

TEST_BINS := $(addprefix $(OUTPUT)/,$(TEST_GEN_PROGS))
EXTRA := $(addprefix $(OUTPUT)/,$(wildcard settings vmargs))

all: $(TEST_BINS) $(EXTRA)

# EXTRA_SRCS: further sources of a suite (the pure kmod/ files), rebuilt
# from when they change
$(OUTPUT)/%: %.c $(LIBSRC) $(LIBHDR) $(EXTRA_SRCS) $(KSFT_DIR)/kselftest_harness.h
	@mkdir -p $(OUTPUT)
	$(CC) $(CFLAGS) -o $@ $< $(LIBSRC) $(EXTRA_SRCS) $(LDLIBS)

$(OUTPUT)/settings $(OUTPUT)/vmargs: $(OUTPUT)/%: %
	@mkdir -p $(OUTPUT)
	cp $< $@

clean:
	rm -f $(TEST_BINS) $(EXTRA)

.PHONY: all clean
