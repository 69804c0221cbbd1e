/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The __wrap_ functions of hotmem_test_iomap (wrap.c): what the test build
 * of the hotmem modules calls instead of the kernel functions of wrap.list.
 */
#ifndef HTI_WRAP_H
#define HTI_WRAP_H

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/ioport.h>
#include <linux/memory-tiers.h>
#include <linux/memory_hotplug.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/slab.h>

struct dax_device_driver;
struct vfsmount;

/*
 * Exported, declared in kernel/rcu/rcu.h only (see kmod/lib/hm_rcu.h);
 * every supported kernel exports them
 */
void rcu_expedite_gp(void);
void rcu_unexpedite_gp(void);
bool rcu_gp_is_expedited(void);

void *__wrap_memremap_pages(struct dev_pagemap *pgmap, int nid);
void __wrap_memunmap_pages(struct dev_pagemap *pgmap);
void __wrap_rcu_expedite_gp(void);
void __wrap_rcu_unexpedite_gp(void);
struct resource *__wrap___request_region(struct resource *parent,
					 resource_size_t start,
					 resource_size_t n, const char *name,
					 int flags);
void __wrap___release_region(struct resource *parent, resource_size_t start,
			     resource_size_t n);
int __wrap_remove_resource(struct resource *old);
int __wrap_add_memory_driver_managed(int nid, u64 start, u64 size,
				     const char *resource_name, mhp_t flags);
int __wrap_offline_and_remove_memory(u64 start, u64 size);
int __wrap_memory_group_register_static(int nid, unsigned long max_pages);
int __wrap_memory_group_unregister(int mgid);
int __wrap___dax_driver_register(struct dax_device_driver *dax_drv,
				 struct module *module, const char *mod_name);
int __wrap_device_add_groups(struct device *dev,
			     const struct attribute_group **groups);
int __wrap_device_add(struct device *dev);
int __wrap_cdev_device_add(struct cdev *cdev, struct device *dev);
__printf(2, 3) int __wrap_dev_set_name(struct device *dev, const char *fmt, ...);
int __wrap_alloc_chrdev_region(dev_t *dev, unsigned int baseminor,
			       unsigned int count, const char *name);
#ifdef HTI_HAVE_class_register
int __wrap_class_register(const struct class *cls);
#endif
#ifdef HTI_HAVE___class_register
int __wrap___class_register(struct class *cls, struct lock_class_key *key);
#endif
int __wrap_ida_alloc_range(struct ida *ida, unsigned int min, unsigned int max,
			   gfp_t gfp);
struct inode *__wrap_alloc_anon_inode(struct super_block *sb);
struct vfsmount *__wrap_kern_mount(struct file_system_type *type);
char *__wrap_kstrdup(const char *s, gfp_t gfp);
#ifdef HTI_HAVE___kmalloc
void *__wrap___kmalloc(size_t size, gfp_t flags);
#endif
#ifdef HTI_HAVE_kmalloc_trace
void *__wrap_kmalloc_trace(struct kmem_cache *s, gfp_t flags, size_t size);
#endif
#ifdef HTI_HAVE_kvmalloc_node
void *__wrap_kvmalloc_node(size_t size, gfp_t flags, int node);
#endif
#ifdef HTI_HAVE___kmalloc_noprof
void *__wrap___kmalloc_noprof(size_t size, gfp_t flags);
#endif
#ifdef HTI_HAVE___kmalloc_cache_noprof
void *__wrap___kmalloc_cache_noprof(struct kmem_cache *s, gfp_t flags,
				    size_t size);
#endif
#ifdef HTI_HAVE___kvmalloc_node_noprof
void *__wrap___kvmalloc_node_noprof(DECL_BUCKET_PARAMS(size, b), gfp_t flags,
				    int node);
#endif
unsigned long *__wrap_bitmap_zalloc(unsigned int nbits, gfp_t flags);
bool __wrap_try_module_get(struct module *module);
#ifdef HTI_HAVE_mt_find_alloc_memory_type
struct memory_dev_type *__wrap_mt_find_alloc_memory_type(int adist,
							 struct list_head *types);
#endif
#ifdef HTI_HAVE_alloc_memory_type
struct memory_dev_type *__wrap_alloc_memory_type(int adist);
#endif
void *__wrap_memremap(resource_size_t offset, size_t size, unsigned long flags);
void __wrap_memunmap(void *addr);
struct migrate_vma;
unsigned long __wrap_copy_mc_to_kernel(void *dst, const void *src,
				       unsigned int len);
void *__wrap_xa_store(struct xarray *xa, unsigned long index, void *entry,
		      gfp_t gfp);
int __wrap_migrate_vma_setup(struct migrate_vma *args);
int __wrap_migrate_device_range(unsigned long *src_pfns, unsigned long start,
				unsigned long npages);
#ifdef HTI_HAVE_alloc_pages
struct page *__wrap_alloc_pages(gfp_t gfp, unsigned int order);
#endif
#ifdef HTI_HAVE_alloc_pages_noprof
struct page *__wrap_alloc_pages_noprof(gfp_t gfp, unsigned int order);
#endif
#ifdef HTI_HAVE_vma_alloc_folio
struct folio *__wrap_vma_alloc_folio(gfp_t gfp, int order,
				     struct vm_area_struct *vma,
				     unsigned long addr, bool hugepage);
#endif
#ifdef HTI_HAVE_vma_alloc_folio_noprof
struct folio *__wrap_vma_alloc_folio_noprof(gfp_t gfp, int order,
					    struct vm_area_struct *vma,
					    unsigned long addr, bool hugepage);
#endif
void *__wrap___symbol_get(const char *symbol);
struct file *__wrap_filp_open(const char *filename, int flags, umode_t mode);
ssize_t __wrap_kernel_write(struct file *file, const void *buf, size_t count,
			    loff_t *pos);
__printf(4, 5) struct task_struct *
__wrap_kthread_create_on_node(int (*threadfn)(void *data), void *data,
			      int node, const char namefmt[], ...);

#endif /* HTI_WRAP_H */
