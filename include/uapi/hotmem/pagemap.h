/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * hotmem_pagemap: the ioctls of /dev/pmR.I for instances of type
 * "coherent" and "private", whose memory reaches a process by migration
 * rather than by mmap.  Shared by the module and the programs that use it.
 *
 * HOTMEM_PM_MIGRATE_TO_DEV moves the pages of [addr, addr + npages * 4096)
 * of the caller's anonymous private memory (MAP_PRIVATE | MAP_ANONYMOUS,
 * the heap, the stack) into the instance; pages never touched are
 * allocated there zeroed.  HOTMEM_PM_MIGRATE_TO_RAM moves the instance's
 * pages of that range back to system RAM.  Both go in address order and
 * set @done to the number of pages, from @addr, that the call finished:
 * npages on success; on an error the pages from addr + done * 4096 on
 * were not all moved, and the same call for the rest resumes.
 *
 * Errors: EINVAL (flags not 0, addr not page aligned, npages 0 or past the
 * end of the address space, or a page of the range not anonymous private
 * memory: nothing is moved then), ENOTTY (a generic instance), ENXIO (the
 * instance was disabled or revoked), ENOSPC (to the device: the instance
 * is full), ENOMEM (no system page, or no kernel memory for the call), EIO
 * (to RAM: a page's device memory could not be read; it stays), EBUSY (to
 * the device: a page the kernel would not hand over, pinned, locked,
 * swapped out or on another device; to RAM: a page handed over that could
 * not move), EINTR (a fatal signal), EFAULT (the argument).  To RAM, a
 * page of the instance the kernel does not hand over at all (pinned or
 * locked at that moment) stays and counts as done: allocated_bytes shows
 * it, and "evict" reports it with EBUSY.
 */
#ifndef _UAPI_HOTMEM_PAGEMAP_H
#define _UAPI_HOTMEM_PAGEMAP_H

#include <linux/ioctl.h>
#include <linux/types.h>

/**
 * struct hotmem_pm_migrate - the argument of both migration ioctls
 * @addr: first byte, page aligned
 * @npages: number of 4 KiB pages
 * @done: out: pages from @addr that were finished, in order
 * @flags: must be 0
 */
struct hotmem_pm_migrate {
	__u64 addr;
	__u64 npages;
	__u64 done;
	__u64 flags;
};

#define HOTMEM_PM_IOC_MAGIC		0xBD
#define HOTMEM_PM_MIGRATE_TO_DEV	_IOWR(HOTMEM_PM_IOC_MAGIC, 0x01, struct hotmem_pm_migrate)
#define HOTMEM_PM_MIGRATE_TO_RAM	_IOWR(HOTMEM_PM_IOC_MAGIC, 0x02, struct hotmem_pm_migrate)

#endif /* _UAPI_HOTMEM_PAGEMAP_H */
