// SPDX-License-Identifier: GPL-2.0
/*
 * The __wrap_ functions of hotmem_test_iomap, one per line of wrap.list
 * that this kernel exports (HTI_HAVE_<name>, probed by Kbuild).  Each
 * counts the call, returns the rule's errno in the function's own way
 * (an errno, an ERR_PTR, NULL, false) or calls the real function, and
 * logs the arguments a test checks.
 */
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/ioport.h>
#include <linux/memory-tiers.h>
#include <linux/memory.h>
#include <linux/memory_hotplug.h>
#include <linux/io.h>
#include <linux/kthread.h>
#include <linux/memremap.h>
#include <linux/migrate.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include <bus.h>

#include "hti.h"
#include "wrap.h"

#define HTI_SYM(fn, fail) static struct hti_sym hti_##fn = { #fn, fail }

/* a pointer result as the log shows it: 0, or its errno */
static long hti_ptr_ret(const void *p, int err_if_null)
{
	if (!p)
		return err_if_null;
	return IS_ERR(p) ? PTR_ERR(p) : 0;
}

HTI_SYM(memremap_pages, true);
/* logs: start, end, nid, whether it brings an altmap */
void *__wrap_memremap_pages(struct dev_pagemap *pgmap, int nid)
{
	struct hti_call c;
	void *ret;

	hti_enter(&hti_memremap_pages, &c);
	ret = c.err ? ERR_PTR(c.err) : memremap_pages(pgmap, nid);
	hti_exit(&c, _RET_IP_, pgmap->range.start, pgmap->range.end, nid,
		 !!(pgmap->flags & PGMAP_ALTMAP_VALID), hti_ptr_ret(ret, 0));
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap_memremap_pages);

HTI_SYM(memunmap_pages, false);
void __wrap_memunmap_pages(struct dev_pagemap *pgmap)
{
	struct hti_call c;

	hti_enter(&hti_memunmap_pages, &c);
	memunmap_pages(pgmap);
	hti_exit(&c, _RET_IP_, pgmap->range.start, pgmap->range.end, 0, 0, 0);
}
EXPORT_SYMBOL_GPL(__wrap_memunmap_pages);

HTI_SYM(rcu_expedite_gp, false);
/* logs: whether grace periods are expedited afterwards */
void __wrap_rcu_expedite_gp(void)
{
	struct hti_call c;

	hti_enter(&hti_rcu_expedite_gp, &c);
	rcu_expedite_gp();
	hti_exit(&c, _RET_IP_, rcu_gp_is_expedited(), 0, 0, 0, 0);
}
EXPORT_SYMBOL_GPL(__wrap_rcu_expedite_gp);

HTI_SYM(rcu_unexpedite_gp, false);
/* logs: whether grace periods are still expedited (someone else's) */
void __wrap_rcu_unexpedite_gp(void)
{
	struct hti_call c;

	hti_enter(&hti_rcu_unexpedite_gp, &c);
	rcu_unexpedite_gp();
	hti_exit(&c, _RET_IP_, rcu_gp_is_expedited(), 0, 0, 0, 0);
}
EXPORT_SYMBOL_GPL(__wrap_rcu_unexpedite_gp);

HTI_SYM(__request_region, true);
struct resource *__wrap___request_region(struct resource *parent,
					 resource_size_t start,
					 resource_size_t n, const char *name,
					 int flags)
{
	struct resource *ret = NULL;
	struct hti_call c;

	hti_enter(&hti___request_region, &c);
	if (!c.err)
		ret = __request_region(parent, start, n, name, flags);
	hti_exit(&c, _RET_IP_, start, n, flags, 0,
		 c.err ? c.err : hti_ptr_ret(ret, -EBUSY));
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap___request_region);

HTI_SYM(__release_region, false);
void __wrap___release_region(struct resource *parent, resource_size_t start,
			     resource_size_t n)
{
	struct hti_call c;

	hti_enter(&hti___release_region, &c);
	__release_region(parent, start, n);
	hti_exit(&c, _RET_IP_, start, n, 0, 0, 0);
}
EXPORT_SYMBOL_GPL(__wrap___release_region);

HTI_SYM(remove_resource, true);
int __wrap_remove_resource(struct resource *old)
{
	struct hti_call c;
	int ret;

	hti_enter(&hti_remove_resource, &c);
	ret = c.err ? c.err : remove_resource(old);
	hti_exit(&c, _RET_IP_, old->start, old->end, 0, 0, ret);
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap_remove_resource);

HTI_SYM(add_memory_driver_managed, true);
/* logs: nid, start, size, flags (MHP_MEMMAP_ON_MEMORY, MHP_NID_IS_MGID) */
int __wrap_add_memory_driver_managed(int nid, u64 start, u64 size,
				     const char *resource_name, mhp_t flags)
{
	struct hti_call c;
	int ret;

	hti_enter(&hti_add_memory_driver_managed, &c);
	ret = c.err ? c.err :
	      add_memory_driver_managed(nid, start, size, resource_name, flags);
	hti_exit(&c, _RET_IP_, nid, start, size, (__force u64)flags, ret);
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap_add_memory_driver_managed);

HTI_SYM(offline_and_remove_memory, true);
int __wrap_offline_and_remove_memory(u64 start, u64 size)
{
	struct hti_call c;
	int ret;

	hti_enter(&hti_offline_and_remove_memory, &c);
	ret = c.err ? c.err : offline_and_remove_memory(start, size);
	hti_exit(&c, _RET_IP_, start, size, 0, 0, ret);
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap_offline_and_remove_memory);

HTI_SYM(memory_group_register_static, true);
int __wrap_memory_group_register_static(int nid, unsigned long max_pages)
{
	struct hti_call c;
	int ret;

	hti_enter(&hti_memory_group_register_static, &c);
	ret = c.err ? c.err : memory_group_register_static(nid, max_pages);
	hti_exit(&c, _RET_IP_, nid, max_pages, 0, 0, ret);
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap_memory_group_register_static);

HTI_SYM(memory_group_unregister, true);
int __wrap_memory_group_unregister(int mgid)
{
	struct hti_call c;
	int ret;

	hti_enter(&hti_memory_group_unregister, &c);
	ret = c.err ? c.err : memory_group_unregister(mgid);
	hti_exit(&c, _RET_IP_, mgid, 0, 0, 0, ret);
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap_memory_group_unregister);

HTI_SYM(__dax_driver_register, true);
int __wrap___dax_driver_register(struct dax_device_driver *dax_drv,
				 struct module *module, const char *mod_name)
{
	struct hti_call c;
	int ret;

	hti_enter(&hti___dax_driver_register, &c);
	ret = c.err ? c.err : __dax_driver_register(dax_drv, module, mod_name);
	hti_exit(&c, _RET_IP_, 0, 0, 0, 0, ret);
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap___dax_driver_register);

HTI_SYM(device_add_groups, true);
int __wrap_device_add_groups(struct device *dev,
			     const struct attribute_group **groups)
{
	struct hti_call c;
	int ret;

	hti_enter(&hti_device_add_groups, &c);
	ret = c.err ? c.err : device_add_groups(dev, groups);
	hti_exit(&c, _RET_IP_, 0, 0, 0, 0, ret);
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap_device_add_groups);

HTI_SYM(device_add, true);
int __wrap_device_add(struct device *dev)
{
	struct hti_call c;
	int ret;

	hti_enter(&hti_device_add, &c);
	ret = c.err ? c.err : device_add(dev);
	hti_exit(&c, _RET_IP_, 0, 0, 0, 0, ret);
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap_device_add);

HTI_SYM(cdev_device_add, true);
int __wrap_cdev_device_add(struct cdev *cdev, struct device *dev)
{
	struct hti_call c;
	int ret;

	hti_enter(&hti_cdev_device_add, &c);
	ret = c.err ? c.err : cdev_device_add(cdev, dev);
	hti_exit(&c, _RET_IP_, MAJOR(dev->devt), MINOR(dev->devt), 0, 0, ret);
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap_cdev_device_add);

HTI_SYM(dev_set_name, true);
/* formatted here, then named through the real dev_set_name() */
int __wrap_dev_set_name(struct device *dev, const char *fmt, ...)
{
	struct hti_call c;
	char *name;
	va_list ap;
	int ret;

	hti_enter(&hti_dev_set_name, &c);
	ret = c.err;
	if (!ret) {
		va_start(ap, fmt);
		name = kvasprintf(GFP_KERNEL, fmt, ap);
		va_end(ap);
		ret = name ? dev_set_name(dev, "%s", name) : -ENOMEM;
		kfree(name);
	}
	hti_exit(&c, _RET_IP_, 0, 0, 0, 0, ret);
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap_dev_set_name);

HTI_SYM(alloc_chrdev_region, true);
int __wrap_alloc_chrdev_region(dev_t *dev, unsigned int baseminor,
			       unsigned int count, const char *name)
{
	struct hti_call c;
	int ret;

	hti_enter(&hti_alloc_chrdev_region, &c);
	ret = c.err ? c.err : alloc_chrdev_region(dev, baseminor, count, name);
	hti_exit(&c, _RET_IP_, baseminor, count, 0, 0, ret);
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap_alloc_chrdev_region);

#ifdef HTI_HAVE_class_register
HTI_SYM(class_register, true);
int __wrap_class_register(const struct class *cls)
{
	struct hti_call c;
	int ret;

	hti_enter(&hti_class_register, &c);
	ret = c.err ? c.err : class_register(cls);
	hti_exit(&c, _RET_IP_, 0, 0, 0, 0, ret);
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap_class_register);
#endif

#ifdef HTI_HAVE___class_register
HTI_SYM(__class_register, true);
int __wrap___class_register(struct class *cls, struct lock_class_key *key)
{
	struct hti_call c;
	int ret;

	hti_enter(&hti___class_register, &c);
	ret = c.err ? c.err : __class_register(cls, key);
	hti_exit(&c, _RET_IP_, 0, 0, 0, 0, ret);
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap___class_register);
#endif

HTI_SYM(ida_alloc_range, true);
int __wrap_ida_alloc_range(struct ida *ida, unsigned int min, unsigned int max,
			   gfp_t gfp)
{
	struct hti_call c;
	int ret;

	hti_enter(&hti_ida_alloc_range, &c);
	ret = c.err ? c.err : ida_alloc_range(ida, min, max, gfp);
	hti_exit(&c, _RET_IP_, min, max, 0, 0, ret);
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap_ida_alloc_range);

HTI_SYM(alloc_anon_inode, true);
struct inode *__wrap_alloc_anon_inode(struct super_block *sb)
{
	struct inode *ret;
	struct hti_call c;

	hti_enter(&hti_alloc_anon_inode, &c);
	ret = c.err ? ERR_PTR(c.err) : alloc_anon_inode(sb);
	hti_exit(&c, _RET_IP_, 0, 0, 0, 0, hti_ptr_ret(ret, 0));
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap_alloc_anon_inode);

HTI_SYM(kern_mount, true);
struct vfsmount *__wrap_kern_mount(struct file_system_type *type)
{
	struct vfsmount *ret;
	struct hti_call c;

	hti_enter(&hti_kern_mount, &c);
	ret = c.err ? ERR_PTR(c.err) : kern_mount(type);
	hti_exit(&c, _RET_IP_, 0, 0, 0, 0, hti_ptr_ret(ret, 0));
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap_kern_mount);

HTI_SYM(kstrdup, true);
char *__wrap_kstrdup(const char *s, gfp_t gfp)
{
	struct hti_call c;
	char *ret = NULL;

	hti_enter(&hti_kstrdup, &c);
	if (!c.err)
		ret = kstrdup(s, gfp);
	hti_exit(&c, _RET_IP_, s ? strlen(s) : 0, 0, 0, 0,
		 c.err ? c.err : hti_ptr_ret(ret, -ENOMEM));
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap_kstrdup);

/*
 * The allocators: kmalloc() and kvmalloc() are inline and end in one of
 * these, under names that changed in 6.10.  A rule makes them return NULL.
 */
#define HTI_ALLOC(sym, size, call)					\
	do {								\
		struct hti_call c;					\
		void *ret = NULL;					\
									\
		hti_enter(&hti_##sym, &c);				\
		if (!c.err)						\
			ret = call;					\
		hti_exit(&c, _RET_IP_, size, 0, 0, 0,			\
			 c.err ? c.err : hti_ptr_ret(ret, -ENOMEM));	\
		return ret;						\
	} while (0)

#ifdef HTI_HAVE___kmalloc
HTI_SYM(__kmalloc, true);
void *__wrap___kmalloc(size_t size, gfp_t flags)
{
	HTI_ALLOC(__kmalloc, size, __kmalloc(size, flags));
}
EXPORT_SYMBOL_GPL(__wrap___kmalloc);
#endif

#ifdef HTI_HAVE_kmalloc_trace
HTI_SYM(kmalloc_trace, true);
void *__wrap_kmalloc_trace(struct kmem_cache *s, gfp_t flags, size_t size)
{
	HTI_ALLOC(kmalloc_trace, size, kmalloc_trace(s, flags, size));
}
EXPORT_SYMBOL_GPL(__wrap_kmalloc_trace);
#endif

#ifdef HTI_HAVE_kvmalloc_node
HTI_SYM(kvmalloc_node, true);
void *__wrap_kvmalloc_node(size_t size, gfp_t flags, int node)
{
	HTI_ALLOC(kvmalloc_node, size, kvmalloc_node(size, flags, node));
}
EXPORT_SYMBOL_GPL(__wrap_kvmalloc_node);
#endif

#ifdef HTI_HAVE___kmalloc_noprof
HTI_SYM(__kmalloc_noprof, true);
void *__wrap___kmalloc_noprof(size_t size, gfp_t flags)
{
	HTI_ALLOC(__kmalloc_noprof, size, __kmalloc_noprof(size, flags));
}
EXPORT_SYMBOL_GPL(__wrap___kmalloc_noprof);
#endif

#ifdef HTI_HAVE___kmalloc_cache_noprof
HTI_SYM(__kmalloc_cache_noprof, true);
void *__wrap___kmalloc_cache_noprof(struct kmem_cache *s, gfp_t flags,
				    size_t size)
{
	HTI_ALLOC(__kmalloc_cache_noprof, size,
		  __kmalloc_cache_noprof(s, flags, size));
}
EXPORT_SYMBOL_GPL(__wrap___kmalloc_cache_noprof);
#endif

#ifdef HTI_HAVE___kvmalloc_node_noprof
HTI_SYM(__kvmalloc_node_noprof, true);
void *__wrap___kvmalloc_node_noprof(DECL_BUCKET_PARAMS(size, b), gfp_t flags,
				    int node)
{
	HTI_ALLOC(__kvmalloc_node_noprof, size,
		  __kvmalloc_node_noprof(PASS_BUCKET_PARAMS(size, b), flags, node));
}
EXPORT_SYMBOL_GPL(__wrap___kvmalloc_node_noprof);
#endif

HTI_SYM(bitmap_zalloc, true);
unsigned long *__wrap_bitmap_zalloc(unsigned int nbits, gfp_t flags)
{
	HTI_ALLOC(bitmap_zalloc, nbits, bitmap_zalloc(nbits, flags));
}
EXPORT_SYMBOL_GPL(__wrap_bitmap_zalloc);

HTI_SYM(try_module_get, true);
bool __wrap_try_module_get(struct module *module)
{
	struct hti_call c;
	bool ret;

	hti_enter(&hti_try_module_get, &c);
	ret = c.err ? false : try_module_get(module);
	hti_exit(&c, _RET_IP_, 0, 0, 0, 0, ret ? 0 : (c.err ? c.err : -ENODEV));
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap_try_module_get);

#ifdef HTI_HAVE_mt_find_alloc_memory_type
HTI_SYM(mt_find_alloc_memory_type, true);
struct memory_dev_type *__wrap_mt_find_alloc_memory_type(int adist,
							 struct list_head *types)
{
	struct memory_dev_type *ret;
	struct hti_call c;

	hti_enter(&hti_mt_find_alloc_memory_type, &c);
	ret = c.err ? ERR_PTR(c.err) : mt_find_alloc_memory_type(adist, types);
	hti_exit(&c, _RET_IP_, adist, 0, 0, 0, hti_ptr_ret(ret, 0));
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap_mt_find_alloc_memory_type);
#endif

#ifdef HTI_HAVE_alloc_memory_type
HTI_SYM(alloc_memory_type, true);
struct memory_dev_type *__wrap_alloc_memory_type(int adist)
{
	struct memory_dev_type *ret;
	struct hti_call c;

	hti_enter(&hti_alloc_memory_type, &c);
	ret = c.err ? ERR_PTR(c.err) : alloc_memory_type(adist);
	hti_exit(&c, _RET_IP_, adist, 0, 0, 0, hti_ptr_ret(ret, 0));
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap_alloc_memory_type);
#endif

HTI_SYM(memremap, true);
/* logs: start, size, flags */
void *__wrap_memremap(resource_size_t offset, size_t size, unsigned long flags)
{
	struct hti_call c;
	void *ret = NULL;

	hti_enter(&hti_memremap, &c);
	if (!c.err)
		ret = memremap(offset, size, flags);
	hti_exit(&c, _RET_IP_, offset, size, flags, 0,
		 c.err ? c.err : hti_ptr_ret(ret, -ENOMEM));
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap_memremap);

HTI_SYM(memunmap, false);
void __wrap_memunmap(void *addr)
{
	struct hti_call c;

	hti_enter(&hti_memunmap, &c);
	memunmap(addr);
	hti_exit(&c, _RET_IP_, 0, 0, 0, 0, 0);
}
EXPORT_SYMBOL_GPL(__wrap_memunmap);

HTI_SYM(migrate_vma_setup, true);
/* logs: start, end, the selection flags */
int __wrap_migrate_vma_setup(struct migrate_vma *args)
{
	struct hti_call c;
	int ret;

	hti_enter(&hti_migrate_vma_setup, &c);
	ret = c.err ? c.err : migrate_vma_setup(args);
	hti_exit(&c, _RET_IP_, args->start, args->end, args->flags, 0, ret);
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap_migrate_vma_setup);

HTI_SYM(migrate_device_range, true);
/* logs: first pfn, pages */
int __wrap_migrate_device_range(unsigned long *src_pfns, unsigned long start,
				unsigned long npages)
{
	struct hti_call c;
	int ret;

	hti_enter(&hti_migrate_device_range, &c);
	ret = c.err ? c.err : migrate_device_range(src_pfns, start, npages);
	hti_exit(&c, _RET_IP_, start, npages, 0, 0, ret);
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap_migrate_device_range);

HTI_SYM(xa_store, true);
/* logs: index; a rule makes it fail with an xa_err() of its errno */
void *__wrap_xa_store(struct xarray *xa, unsigned long index, void *entry,
		      gfp_t gfp)
{
	struct hti_call c;
	void *ret;

	hti_enter(&hti_xa_store, &c);
	ret = c.err ? xa_mk_internal(c.err) : xa_store(xa, index, entry, gfp);
	hti_exit(&c, _RET_IP_, index, 0, 0, 0, xa_err(ret));
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap_xa_store);

HTI_SYM(copy_mc_to_kernel, true);
/* logs: bytes; a rule makes it copy nothing, as a read of poison does */
unsigned long __wrap_copy_mc_to_kernel(void *dst, const void *src,
				       unsigned int len)
{
	struct hti_call c;
	unsigned long ret;

	hti_enter(&hti_copy_mc_to_kernel, &c);
	ret = c.err ? len : copy_mc_to_kernel(dst, src, len);
	hti_exit(&c, _RET_IP_, len, 0, 0, 0, ret ? (c.err ? c.err : -EIO) : 0);
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap_copy_mc_to_kernel);

/*
 * The page allocators hotmem_pagemap's migration to RAM uses: HTI_ALLOC,
 * with the order in the log where the allocators above log a size.
 */
#ifdef HTI_HAVE_alloc_pages
HTI_SYM(alloc_pages, true);
struct page *__wrap_alloc_pages(gfp_t gfp, unsigned int order)
{
	HTI_ALLOC(alloc_pages, order, alloc_pages(gfp, order));
}
EXPORT_SYMBOL_GPL(__wrap_alloc_pages);
#endif

#ifdef HTI_HAVE_alloc_pages_noprof
HTI_SYM(alloc_pages_noprof, true);
struct page *__wrap_alloc_pages_noprof(gfp_t gfp, unsigned int order)
{
	HTI_ALLOC(alloc_pages_noprof, order, alloc_pages_noprof(gfp, order));
}
EXPORT_SYMBOL_GPL(__wrap_alloc_pages_noprof);
#endif

#ifdef HTI_HAVE_vma_alloc_folio
HTI_SYM(vma_alloc_folio, true);
struct folio *__wrap_vma_alloc_folio(gfp_t gfp, int order,
				     struct vm_area_struct *vma,
				     unsigned long addr, bool hugepage)
{
	HTI_ALLOC(vma_alloc_folio, order,
		  vma_alloc_folio(gfp, order, vma, addr, hugepage));
}
EXPORT_SYMBOL_GPL(__wrap_vma_alloc_folio);
#endif

#ifdef HTI_HAVE_vma_alloc_folio_noprof
HTI_SYM(vma_alloc_folio_noprof, true);
struct folio *__wrap_vma_alloc_folio_noprof(gfp_t gfp, int order,
					    struct vm_area_struct *vma,
					    unsigned long addr, bool hugepage)
{
	HTI_ALLOC(vma_alloc_folio_noprof, order,
		  vma_alloc_folio_noprof(gfp, order, vma, addr, hugepage));
}
EXPORT_SYMBOL_GPL(__wrap_vma_alloc_folio_noprof);
#endif

HTI_SYM(__symbol_get, true);
void *__wrap___symbol_get(const char *symbol)
{
	struct hti_call c;
	void *ret = NULL;

	hti_enter(&hti___symbol_get, &c);
	if (!c.err)
		ret = __symbol_get(symbol);
	hti_exit(&c, _RET_IP_, 0, 0, 0, 0,
		 c.err ? c.err : hti_ptr_ret(ret, -ENOENT));
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap___symbol_get);

HTI_SYM(filp_open, true);
struct file *__wrap_filp_open(const char *filename, int flags, umode_t mode)
{
	struct hti_call c;
	struct file *ret;

	hti_enter(&hti_filp_open, &c);
	ret = c.err ? ERR_PTR(c.err) : filp_open(filename, flags, mode);
	hti_exit(&c, _RET_IP_, flags, 0, 0, 0, hti_ptr_ret(ret, 0));
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap_filp_open);

/* N of the memoryN directory @file is in, or -1 */
static long long hti_memory_block(struct file *file)
{
	const char *dir = file->f_path.dentry->d_parent->d_name.name;
	unsigned long long n;

	if (strncmp(dir, "memory", 6) || kstrtoull(dir + 6, 10, &n))
		return -1;
	return n;
}

HTI_SYM(kernel_write, true);
/*
 * logs: the memory block whose file is written (-1 for another file) and
 * the byte count, which tells the words apart: 6 "online", 7 "offline",
 * 13 "online_kernel", 14 "online_movable"
 */
ssize_t __wrap_kernel_write(struct file *file, const void *buf, size_t count,
			    loff_t *pos)
{
	struct hti_call c;
	ssize_t ret;

	hti_enter(&hti_kernel_write, &c);
	ret = c.err ? c.err : kernel_write(file, buf, count, pos);
	hti_exit(&c, _RET_IP_, hti_memory_block(file), count, 0, 0,
		 ret < 0 ? ret : 0);
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap_kernel_write);

HTI_SYM(kthread_create_on_node, true);
struct task_struct *
__wrap_kthread_create_on_node(int (*threadfn)(void *data), void *data,
			      int node, const char namefmt[], ...)
{
	struct task_struct *ret;
	struct hti_call c;
	char name[TASK_COMM_LEN];
	va_list ap;

	va_start(ap, namefmt);
	vsnprintf(name, sizeof(name), namefmt, ap);
	va_end(ap);
	hti_enter(&hti_kthread_create_on_node, &c);
	ret = c.err ? ERR_PTR(c.err) :
		      kthread_create_on_node(threadfn, data, node, "%s", name);
	hti_exit(&c, _RET_IP_, node, 0, 0, 0, hti_ptr_ret(ret, 0));
	return ret;
}
EXPORT_SYMBOL_GPL(__wrap_kthread_create_on_node);

struct hti_sym *const hti_syms[] = {
	&hti_memremap_pages, &hti_memunmap_pages, &hti_rcu_expedite_gp,
	&hti_rcu_unexpedite_gp, &hti___request_region,
	&hti___release_region, &hti_remove_resource,
	&hti_add_memory_driver_managed, &hti_offline_and_remove_memory,
	&hti_memory_group_register_static, &hti_memory_group_unregister,
	&hti___dax_driver_register, &hti_device_add_groups, &hti_device_add,
	&hti_cdev_device_add, &hti_dev_set_name, &hti_alloc_chrdev_region,
#ifdef HTI_HAVE_class_register
	&hti_class_register,
#endif
#ifdef HTI_HAVE___class_register
	&hti___class_register,
#endif
	&hti_ida_alloc_range, &hti_alloc_anon_inode, &hti_kern_mount,
	&hti_kstrdup,
#ifdef HTI_HAVE___kmalloc
	&hti___kmalloc,
#endif
#ifdef HTI_HAVE_kmalloc_trace
	&hti_kmalloc_trace,
#endif
#ifdef HTI_HAVE_kvmalloc_node
	&hti_kvmalloc_node,
#endif
#ifdef HTI_HAVE___kmalloc_noprof
	&hti___kmalloc_noprof,
#endif
#ifdef HTI_HAVE___kmalloc_cache_noprof
	&hti___kmalloc_cache_noprof,
#endif
#ifdef HTI_HAVE___kvmalloc_node_noprof
	&hti___kvmalloc_node_noprof,
#endif
	&hti_bitmap_zalloc, &hti_try_module_get,
#ifdef HTI_HAVE_mt_find_alloc_memory_type
	&hti_mt_find_alloc_memory_type,
#endif
#ifdef HTI_HAVE_alloc_memory_type
	&hti_alloc_memory_type,
#endif
	&hti_memremap, &hti_memunmap, &hti_migrate_vma_setup, &hti_xa_store,
	&hti_copy_mc_to_kernel,
	&hti_migrate_device_range, &hti___symbol_get, &hti_filp_open,
	&hti_kernel_write, &hti_kthread_create_on_node,
#ifdef HTI_HAVE_alloc_pages
	&hti_alloc_pages,
#endif
#ifdef HTI_HAVE_alloc_pages_noprof
	&hti_alloc_pages_noprof,
#endif
#ifdef HTI_HAVE_vma_alloc_folio
	&hti_vma_alloc_folio,
#endif
#ifdef HTI_HAVE_vma_alloc_folio_noprof
	&hti_vma_alloc_folio_noprof,
#endif
};

const int hti_nr_syms = ARRAY_SIZE(hti_syms);
