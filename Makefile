# SPDX-License-Identifier: GPL-2.0
# hotmem: build, test and package.  `make help` lists the targets.
#
#   make                 modules for KVER (or KDIR) + selftests
#   make KVER=<release>  modules for another installed kernel
#   make check           set-up, lint, build, the suites on every kernel lane
#   make check-debug     every suite on the debug kernel
#   make demo            the walk-through in a VM

SHELL := /bin/bash
ROOT := $(CURDIR)
KINFO := $(ROOT)/scripts/kinfo.sh

KVER ?= $(shell $(KINFO) default-kver)
KDIR ?= $(shell $(KINFO) kdir $(KVER))
KERNEL ?= 6.1
BUILD := $(ROOT)/build/$(KVER)
TBUILD := $(ROOT)/build/$(KVER)-test

all: modules selftests

help:
	@echo "make [KVER=release|KDIR=dir]  build modules and selftests"
	@echo "make matrix     modules and test modules for every supported installed kernel"
	@echo "make test-modules [KVER=release]  the --wrap test build (build/<release>-test)"
	@echo "make setup      install packages, unpack kernels (root)"
	@echo "make lint       checkpatch, sparse, W=1, kernel-doc, shellcheck"
	@echo "make check      everything: every suite on 6.1 and 6.12, the cloud and rt lanes,"
	@echo "                all but most sweeps on the debug kernel"
	@echo "make check-debug  every suite on the debug kernel"
	@echo "make debug-kernel  build the debug kernel (KASAN, lockdep, kmemleak...; cached)"
	@echo "make test [KERNEL=6.12|6.1-rt|debug...] [SUITE=baseline]  one suite in the VM"
	@echo "make demo [KERNEL=6.12]   walk-through in a VM"
	@echo "make shell [KERNEL=6.12]  interactive shell in the VM"
	@echo "make dkms-check  dkms add/build/remove for every kernel"
	@echo "make bench       hot-add benchmark, kmem vs hotmem_kmem"
	@echo "make bench-pagemap  hotmem_pagemap vs device-dax benchmark"
	@echo "make bench-migrate  coherent/private migration throughput, hotmem vs test_hmm (debug kernel)"
	@echo "make bench-breakdown  where hotmem_kmem's and hotmem_pagemap's time goes (test build, the shim's call log)"
	@echo "make fuzz [SECONDS=1800] [KERNEL=6.1|6.12] [MODULE=pagemap|kmem] [SEED= CASE= INPUTS=1]"

setup:
	@$(ROOT)/scripts/setup.sh

# Kbuild writes objects next to the sources, so each kernel builds in its
# own copy of the tree: build/<release>/.
modules:
	@test -d "$(KDIR)" || { echo "hotmem: no kernel build dir $(KDIR) (make setup, or KDIR=)"; exit 1; }
	@mkdir -p $(BUILD)
	@cp -a --update Kbuild kmod include $(BUILD)/
	$(MAKE) -C $(KDIR) M=$(BUILD) HOTMEM_SRC=$(shell $(KINFO) src-dir $(KVER)) modules

# The test build: the same sources linked against hotmem_test_iomap
# (kmod/test), in build/<release>-test/.  Every import must be wrapped or
# exempted first (scripts/wrap-check.sh).
test-modules: modules
	@$(ROOT)/scripts/wrap-check.sh $(BUILD) $(KDIR)
	@mkdir -p $(TBUILD)
	@cp -a --update Kbuild kmod include $(TBUILD)/
	@$(ROOT)/scripts/test-tree.sh $(TBUILD)
	$(MAKE) -C $(KDIR) M=$(TBUILD) HOTMEM_SRC=$(shell $(KINFO) src-dir $(KVER)) modules

matrix:
	@set -e; for k in $$($(KINFO) kvers); do \
		$(MAKE) --no-print-directory test-modules KVER=$$k KDIR=$$($(KINFO) kdir $$k); \
	done

selftests:
	$(MAKE) -C selftests KSFT_DIR=$(shell $(KINFO) ksft-dir)

lint:
	@$(ROOT)/scripts/lint.sh

check:
	@$(ROOT)/scripts/check.sh

check-debug:
	@$(ROOT)/scripts/check.sh --debug

debug-kernel:
	@$(ROOT)/scripts/debug-kernel.sh

# set-up, then a fresh make for the lane KERNEL names (its release is
# only known after set-up)
prep: setup $(if $(filter debug,$(KERNEL)),debug-kernel)
	@k=$$($(KINFO) kver $(KERNEL)); \
	$(MAKE) --no-print-directory test-modules selftests KVER=$$k \
		KDIR=$$($(KINFO) kdir $$k) > $(ROOT)/build.log 2>&1 || \
		{ tail -n 30 $(ROOT)/build.log; exit 1; }

test: prep
	@$(ROOT)/scripts/vm.sh -k $(KERNEL) $$(cat selftests/$(or $(SUITE),baseline)/vmargs 2>/dev/null) -t $(or $(SUITE),baseline)

demo: prep
	@$(ROOT)/scripts/demo.sh $(KERNEL)

shell: prep
	@$(ROOT)/scripts/vm.sh -k $(KERNEL) -p soft-reserved,pmem --kmem hotmem --shell

dkms-check:
	@$(ROOT)/scripts/dkms-check.sh

clean:
	rm -rf build
	$(MAKE) -C selftests clean

.PHONY: all help setup prep modules test-modules matrix selftests lint check check-debug \
	debug-kernel test demo shell dkms-check clean

bench: prep
	@$(ROOT)/scripts/bench.sh $(BENCH_KERNELS)

bench-pagemap: prep
	@$(ROOT)/scripts/bench.sh --pagemap $(BENCH_KERNELS)

# where hotmem_kmem's and hotmem_pagemap's time goes, on the test build
bench-breakdown:
	@for k in $(or $(BENCH_KERNELS),6.1 6.12); do \
		$(MAKE) --no-print-directory prep KERNEL=$$k || exit 1; done
	@$(ROOT)/scripts/bench.sh --breakdown $(or $(BENCH_KERNELS),6.1 6.12); \
	rc=$$?; \
	$(ROOT)/scripts/bench.sh --pagemap-breakdown $(or $(BENCH_KERNELS),6.1 6.12) && \
	exit $$rc

# every kernel the migration runs on: test_hmm only on the debug kernel
bench-migrate:
	@for k in $(or $(BENCH_KERNELS),6.1 6.12 debug); do \
		$(MAKE) --no-print-directory prep KERNEL=$$k || exit 1; done
	@$(ROOT)/scripts/bench.sh --migrate $(or $(BENCH_KERNELS),6.1 6.12 debug)

# the fuzzers, long: SECONDS per module per kernel (default 30 minutes)
fuzz: prep
	@$(ROOT)/scripts/fuzz.sh -s $(or $(SECONDS),1800) -k $(if $(filter command line,$(origin KERNEL)),$(KERNEL),all) \
		-m $(or $(MODULE),all) $(if $(SEED),--seed $(SEED)) \
		$(if $(CASE),--case $(CASE)) $(if $(INPUTS),--inputs)

.PHONY: bench bench-pagemap bench-migrate bench-breakdown fuzz
