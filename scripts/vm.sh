#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot a Debian kernel under QEMU with device memory and run a command, a
# list of selftests or an interactive shell in it.
#
# Exit status: the guest command's own status; 120 guest kernel panic;
# 121 guest stopped without reporting a status; 122 every boot reported a
# bug or tainted the kernel before the job (HOTMEM-BOOT-DIRTY); 124
# timeout; 125 usage or set-up error.

# shellcheck disable=SC2317 # cleanup() runs from the EXIT trap
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
	cat <<USAGE
usage: vm.sh [options] [-- command ...]
  -k, --kernel K        kernel release, or lane: 6.1, 6.12, 6.1-cloud,
                        6.12-cloud, 6.1-rt, 6.12-rt, debug (default 6.1)
  -p, --profile LIST    device memory, comma separated (default soft-reserved):
                          soft-reserved  memmap=SIZE%START+0xefffffff (dax_hmem)
                          pmem           memmap=SIZE!START (legacy, nd_e820)
                          reserved       memmap=SIZE$START, 64 MiB into a
                                         section, System RAM on both sides
                                         (hotmem_test_iomap's platforms)
                          nvdimm         ACPI NFIT NVDIMM with a label area
                          cxl            q35,cxl=on: a persistent CXL type 3
                                         device with a label area behind a
                                         pxb-cxl host bridge (two root ports),
                                         a 4 GiB fixed memory window; fresh
                                         backing files each boot; alone only
                          none
      --sr-size SIZE    soft reserved size (default 2G)
      --sr-offset SIZE  start the soft reserved range SIZE past its 1 GiB
                        aligned slot (default 0; RAM fills the gap)
      --pmem-size SIZE  legacy pmem size (default 512M)
      --nvdimm-size SIZE  NVDIMM size (default 1G)
      --cxl-size SIZE   CXL device size, a multiple of 256M (default 512M)
      --reserved-size SIZE  reserved size (default 992M)
      --no-memmap-on-memory  boot without memory_hotplug.memmap_on_memory=1
      --numa N          numa=fake=N
      --ram SIZE        guest RAM above 4 GiB besides device memory (default 2G);
                        with 62G the RAM ends at 64 GiB or more and the kernel
                        picks 2 GiB memory blocks, as on bare metal (guest RAM
                        of 32 GiB or more is not reserved on the host: it costs
                        what the guest touches)
      --prealloc        preallocate guest RAM on the host (benchmarks)
      --cpu MODEL       QEMU -cpu model (default max)
      --smp N           guest CPUs (default 2)
      --accel A         tcg (default) or kvm
      --append ARGS     extra kernel command line
      --modules DIR     directory of .ko files to add (default: kmod/ build)
      --test-build      the test build instead (make test-modules: the
                        hotmem_test_iomap shim and the --wrap modules)
      --kmem WHICH      which driver "modprobe kmem" (daxctl) loads: kernel
                        (default) or hotmem (hotmem_kmem, via modprobe.d)
      --env VAR=VALUE   set VAR in the guest's environment (repeatable)
  -t, --tests LIST      run selftests: SUITE or SUITE:FIXTURE.VARIANT.TEST,
                        comma or space separated
      --timeout SECS    whole-run limit (default 300), times the kernel's
                        time scale (HOTMEM_TIME_SCALE, default: 6 for the
                        debug kernel, else 1), as are the tests' limits
      --shell           interactive shell in the VM
  -v, --verbose         show the whole guest console, not just progress
      --log FILE        keep the whole console log in FILE
USAGE
	exit "${1:-125}"
}

kernel=6.1 profiles=soft-reserved sr_size=2G sr_offset=0 pmem_size=512M
nvdimm_size=1G rsv_size=992M cxl_size=512M
mom=1 numa="" ram=2G prealloc=0 cpu=max smp=2 accel=tcg append=""
moddir="" testbuild=0 kmem=kernel tests="" timeout_s=300 shell=0 verbose=0 log=""
envs=()
while [ $# -gt 0 ]; do
	case $1 in
	-k|--kernel) kernel=$2; shift ;;
	-p|--profile) profiles=$2; shift ;;
	--sr-size) sr_size=$2; shift ;;
	--sr-offset) sr_offset=$2; shift ;;
	--pmem-size) pmem_size=$2; shift ;;
	--nvdimm-size) nvdimm_size=$2; shift ;;
	--cxl-size) cxl_size=$2; shift ;;
	--reserved-size) rsv_size=$2; shift ;;
	--no-memmap-on-memory) mom=0 ;;
	--numa) numa=$2; shift ;;
	--ram) ram=$2; shift ;;
	--prealloc) prealloc=1 ;;
	--cpu) cpu=$2; shift ;;
	--smp) smp=$2; shift ;;
	--accel) accel=$2; shift ;;
	--append) append="$append $2"; shift ;;
	--modules) moddir=$2; shift ;;
	--test-build) testbuild=1 ;;
	--kmem) kmem=$2; shift ;;
	--env)
		case $2 in
		[A-Za-z_]*=*) envs+=("$2") ;;
		*) echo "vm.sh: --env takes VAR=VALUE" >&2; usage ;;
		esac
		shift ;;
	-t|--tests) tests="$tests ${2//,/ }"; shift ;;
	--timeout) timeout_s=$2; shift ;;
	--shell) shell=1 ;;
	-v|--verbose) verbose=1 ;;
	--log) log=$2; shift ;;
	-h|--help) usage 0 ;;
	--) shift; break ;;
	-*) echo "vm.sh: unknown option $1" >&2; usage ;;
	*) break ;;
	esac
	shift
done
cmd=("$@")

kver=$kernel
hm_is_lane "$kernel" && kver=$(hm_kver "$kernel")
[ -n "$kver" ] || { hm_log "no kernel for '$kernel': run scripts/setup.sh (make debug-kernel for debug)"; exit 125; }
img=$(hm_img_dir "$kver")
[ -f "$img/.done" ] || { hm_log "kernel $kver not unpacked: run scripts/setup.sh"; exit 125; }
# a slower kernel gets proportionally longer limits, here and in the guest
scale=${HOTMEM_TIME_SCALE:-$(hm_time_scale "$kver")}
timeout_s=$((timeout_s * scale))
envs+=("HOTMEM_TIME_SCALE=$scale")

# to_mib SIZE: 512M / 2G / 1024 (MiB) -> MiB
to_mib() {
	local n=${1%[MmGg]}
	case $1 in
	*[Gg]) echo $((n * 1024)) ;;
	*) echo "$n" ;;
	esac
}

# Device memory layout: RAM is 0-3 GiB and from 4 GiB up (pc machine); the
# memmap= ranges are carved from RAM starting at 4 GiB, each 1 GiB aligned.
next=$((4 * 1024)) high=0 karg="" qarg=() machine=pc
for p in ${profiles//,/ }; do
	case $p in
	soft-reserved|sr)
		s=$(to_mib "$sr_size") o=$(to_mib "$sr_offset")
		g=$(((o + s + 1023) / 1024 * 1024))
		karg="$karg memmap=${s}M%$((next + o))M+0xefffffff"
		next=$((next + g)) high=$((high + g)) ;;
	pmem)
		s=$(to_mib "$pmem_size")
		karg="$karg memmap=${s}M!${next}M"
		next=$((next + (s + 1023) / 1024 * 1024)) high=$((high + (s + 1023) / 1024 * 1024)) ;;
	reserved)
		# mid-section at both ends: shares a section with System RAM
		# (numa=fake=N makes fewer than N nodes around such a hole)
		s=$(to_mib "$rsv_size") g=$(((64 + s + 1023) / 1024 * 1024))
		karg="$karg memmap=${s}M\$$((next + 64))M"
		next=$((next + g)) high=$((high + g)) ;;
	nvdimm)
		machine=pc,nvdimm=on
		nvsize=$(to_mib "$nvdimm_size") ;;
	cxl)
		# q35, the only machine with cxl=on: RAM below 4 GiB is 0-2 GiB,
		# which the memmap= profiles above do not expect.  6.12 refuses
		# to commit a region on a CPU with the hypervisor bit (it cannot
		# invalidate caches there), and its cxl_pci fails to set up
		# event interrupts against QEMU 7.2 without pci=nomsi.
		machine=q35,cxl=on
		[ "$cpu" = max ] && cpu=max,hypervisor=off
		karg="$karg pci=nomsi"
		cxlsize=$(to_mib "$cxl_size") ;;
	none) ;;
	*) hm_log "unknown profile $p"; exit 125 ;;
	esac
done
mem=$((3 * 1024 + high + $(to_mib "$ram")))

work=$(mktemp -d)
qpid=""
cleanup() {
	[ -n "$qpid" ] && kill "$qpid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

memarg="${mem}M"
if [ -n "${nvsize:-}" ]; then
	truncate -s "${nvsize}M" "$work/nvdimm.img"
	memarg="${mem}M,slots=2,maxmem=$((mem + nvsize + 1024))M"
	qarg+=(-object "memory-backend-file,id=nvmem0,share=on,mem-path=$work/nvdimm.img,size=${nvsize}M"
	       -device "nvdimm,id=nvdimm0,memdev=nvmem0,label-size=128K")
fi
if [ -n "${cxlsize:-}" ]; then
	# QEMU 7.2's cxl-type3 is persistent only: "memdev" and a label area.
	# A second, empty root port: with one, 6.1 gives the host bridge a
	# pass-through decoder, which QEMU 7.2 cannot route (reads return 0,
	# writes are dropped, and onlined memory crashes the guest).
	qarg+=(-object "memory-backend-file,id=cxl-mem0,share=on,mem-path=$work/cxl-mem0.img,size=${cxlsize}M"
	       -object "memory-backend-file,id=cxl-lsa0,share=on,mem-path=$work/cxl-lsa0.img,size=256M"
	       -device "pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1"
	       -device "cxl-rp,port=0,bus=cxl.1,id=root_port13,chassis=0,slot=2"
	       -device "cxl-type3,bus=root_port13,memdev=cxl-mem0,lsa=cxl-lsa0,id=cxl-pmem0"
	       -device "cxl-rp,port=1,bus=cxl.1,id=root_port14,chassis=0,slot=3"
	       -M "cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G")
fi
if [ $prealloc = 1 ]; then
	qarg+=(-object "memory-backend-ram,id=ram0,size=${mem}M,prealloc=on")
	machine="$machine,memory-backend=ram0"
elif [ "$mem" -ge $((32 * 1024)) ]; then
	# more than the host may commit (overcommit heuristic): not reserved,
	# the host spends what the guest touches
	qarg+=(-object "memory-backend-ram,id=ram0,size=${mem}M,reserve=off")
	machine="$machine,memory-backend=ram0"
fi

karg="console=ttyS0,115200 panic=-1 loglevel=5 nokaslr memhp_default_state=offline$karg"
[ $mom = 1 ] && karg="$karg memory_hotplug.memmap_on_memory=1"
[ -n "$numa" ] && karg="$karg numa=fake=$numa"
karg="$karg$append"

# Overlay: our modules, the selftests, the job.
base=$("$HOTMEM_ROOT/scripts/mkinitramfs.sh" "$kver") || exit 125
ov=$work/overlay
mkdir -p "$ov/hotmem/selftests" "$ov/hotmem/bin" "$ov/lib/modules/$kver/extra"
install -m 0755 "$HOTMEM_ROOT/scripts/guest/run-tests" "$ov/hotmem/bin/run-tests"
install -m 0755 "$HOTMEM_ROOT/scripts/guest/demo" "$ov/hotmem/bin/demo"
for f in dmesg-scan kmemleak-check; do
	install -m 0755 "$HOTMEM_ROOT/scripts/guest/$f" "$ov/hotmem/bin/$f"
done
mkdir -p "$ov/hotmem/etc"
for f in dmesg-bad dmesg-benign dmesg-known kmemleak-allow; do
	{ grep -v -e '^#' -e '^$' "$HOTMEM_ROOT/scripts/guest/$f.re" || true; } > "$ov/hotmem/etc/$f"
done
install -D -m 0644 "$HOTMEM_ROOT/kmod/kmem/hotmem-kmem.conf" "$ov/hotmem/etc/hotmem-kmem.conf"
[ -n "$moddir" ] || moddir=$HOTMEM_ROOT/build/$kver
if [ $testbuild = 1 ]; then
	moddir=$HOTMEM_ROOT/build/$kver-test
	[ -d "$moddir" ] || { hm_log "no test build for $kver: make test-modules KVER=$kver"; exit 125; }
fi
if [ -d "$moddir" ]; then
	find "$moddir" -name '*.ko' -exec cp {} "$ov/lib/modules/$kver/extra/" \;
fi
if [ -d "$HOTMEM_ROOT/selftests/build" ]; then
	cp -r "$HOTMEM_ROOT/selftests/build/." "$ov/hotmem/selftests/"
fi
if ls "$ov/lib/modules/$kver/extra/"*.ko >/dev/null 2>&1; then
	# depmod over the base modules plus ours: the overlay's modules.*
	# replace the base's when the kernel unpacks the second archive.
	mkdir -p "$work/dep"
	(cd "$work/dep" && cpio -i --quiet -d "lib/modules/$kver/*" < "$base")
	cp "$ov/lib/modules/$kver/extra/"*.ko "$work/dep/lib/modules/$kver/extra/" 2>/dev/null ||
		{ mkdir -p "$work/dep/lib/modules/$kver/extra" &&
		  cp "$ov/lib/modules/$kver/extra/"*.ko "$work/dep/lib/modules/$kver/extra/"; }
	depmod -b "$work/dep" "$kver"
	cp "$work/dep/lib/modules/$kver"/modules.* "$ov/lib/modules/$kver/"
fi
case $kmem in
kernel) ;;
hotmem) install -D -m 0644 "$HOTMEM_ROOT/kmod/kmem/hotmem-kmem.conf" \
		"$ov/etc/modprobe.d/hotmem-kmem.conf" ;;
*) hm_log "--kmem takes kernel or hotmem"; exit 125 ;;
esac
{
	echo "HOTMEM_KVER=$kver"
	echo "HOTMEM_KMEM=$kmem"
	echo "HOTMEM_PROFILES='$profiles'"
	echo "export HOTMEM_KVER HOTMEM_KMEM HOTMEM_PROFILES"
	for e in "${envs[@]}"; do
		printf "export %s='%s'\n" "${e%%=*}" "${e#*=}"
	done
} > "$ov/hotmem/env"
if [ $shell = 1 ]; then
	echo "echo 'hotmem VM: $kver; exit or poweroff -f to leave'; setsid cttyhack sh -l" > "$ov/hotmem/job"
elif [ -n "$tests" ]; then
	# shellcheck disable=SC2086
	echo "/hotmem/bin/run-tests $tests" > "$ov/hotmem/job"
elif [ ${#cmd[@]} -gt 0 ]; then
	printf '%s\n' "${cmd[*]}" > "$ov/hotmem/job"
else
	usage
fi
(cd "$ov" && find . | cpio -o -H newc --quiet) > "$work/overlay.cpio"
cat "$base" "$work/overlay.cpio" > "$work/initrd.cpio"

accel_arg="tcg,thread=multi"
[ "$accel" = kvm ] && accel_arg=kvm
qemu=(qemu-system-x86_64 -machine "$machine" -accel "$accel_arg" -cpu "$cpu"
      -smp "$smp" -m "$memarg" -kernel "$img/boot/vmlinuz-$kver"
      -initrd "$work/initrd.cpio" -append "$karg" -no-reboot
      -nodefaults -display none "${qarg[@]}")

if [ $shell = 1 ]; then
	exec "${qemu[@]}" -serial mon:stdio
fi

[ -n "$log" ] || log=$work/console.log
mode=cmd
[ -n "$tests" ] && mode=tests
# A guest that dies while booting, before the job starts, is retried (at
# most twice): under multi-threaded TCG the kernel's int3-based text
# patching occasionally oopses at boot.  A death after the job started is
# never retried.
for attempt in 1 2 3; do
	hm_log "booting $kver ($profiles) under $accel, limit ${timeout_s}s"
	set +e
	# created before tail follows it: tail -f on a missing file exits at
	# once, and the progress (which check.sh counts) would be lost
	: > "$log"
	if [ -n "${cxlsize:-}" ]; then
		# fresh sparse files each boot: a stale label area from an
		# earlier boot gets in the way of assembling a region
		rm -f "$work/cxl-mem0.img" "$work/cxl-lsa0.img"
		truncate -s "${cxlsize}M" "$work/cxl-mem0.img"
		truncate -s 256M "$work/cxl-lsa0.img"
	fi
	timeout -k 5 "$timeout_s" "${qemu[@]}" -serial stdio < /dev/null >> "$log" 2>&1 &
	qpid=$!
	# Follow the console: everything with -v, otherwise the job's output
	# (commands) or TAP results and failure details (tests), and panics.
	tail -n +1 --pid=$qpid -f "$log" 2>/dev/null | awk -v verbose=$verbose -v mode=$mode '
		{ sub(/\r$/, "") }
		verbose { print; fflush(); next }
		/Kernel panic/ || /^HOTMEM-BOOT-DIRTY/ { print; fflush(); next }
		/^HOTMEM-BEGIN$/ { injob = 1; next }
		/^HOTMEM-EXIT=/ { injob = 0; next }
		!injob || /^\[ *[0-9]+\.[0-9]+\] / { next }
		mode == "cmd" || /^(not )?ok [0-9]+ / || /^#! / || /^1\.\.[0-9]+$/ { print; fflush() }'
	wait $qpid
	qrc=$?
	qpid=""
	set -e
	if grep -q "^HOTMEM-BEGIN" "$log" || [ "$qrc" = 124 ] || [ "$qrc" = 137 ] ||
	   [ $attempt = 3 ]; then
		break
	fi
	if grep -q "^HOTMEM-BOOT-DIRTY" "$log"; then
		hm_log "guest boot not clean (attempt $attempt): $(grep -a -m1 '^HOTMEM-BOOT-DIRTY' "$log" | tr -d '\r'); retrying"
	else
		hm_log "guest died while booting (attempt $attempt): $(grep -a -m1 -E 'Oops|BUG|Kernel panic' "$log" | tr -d '\r'); retrying"
	fi
	cp "$log" "$log.boot$attempt"
done
status=$(sed -n 's/^HOTMEM-EXIT=\([0-9]*\).*/\1/p' "$log" | tail -1)
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	hm_log "TIMEOUT: guest did not finish within ${timeout_s}s; last console lines:"
	tail -n 15 "$log" >&2
	exit 124
fi
if ! grep -q "^HOTMEM-BEGIN" "$log" && grep -q "^HOTMEM-BOOT-DIRTY" "$log"; then
	hm_log "BOOT NOT CLEAN: a detector report or taint before any test, 3 boots:"
	grep -a '^HOTMEM-BOOT-DIRTY' "$log" | tr -d '\r' >&2
	exit 122
fi
if grep -q 'Kernel panic' "$log"; then
	hm_log "GUEST PANIC:"
	grep -A 30 -m1 'Kernel panic' "$log" >&2
	exit 120
fi
if [ -z "$status" ]; then
	hm_log "guest stopped without reporting a status (qemu exit $qrc); last console lines:"
	tail -n 30 "$log" >&2
	exit 121
fi
exit "$status"
