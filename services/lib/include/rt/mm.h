/*
 * Memory: a page allocator over the domain's whole allocation, mappings
 * made on demand with mmu_update, and the page-table helpers they use
 *
 * Locking: one spinlock inside mm.c serialises the allocator, the scratch
 * mapping and the creation of page tables, so any vCPU may call these.
 *
 * Layout.  Pseudo-physical frame pfn always lives at the "linear" address
 * xen_pfn_to_virt(pfn) = __image_start + pfn * PAGE_SIZE.  The builder maps
 * the first xen_mm_boot_pages() frames there (the bootstrap region); the
 * rest of the allocation, up to XEN_RT_MAX_PAGES frames, is unmapped at
 * start of day and is the allocator's pool.  A frame the allocator hands
 * out is either used raw (xen_pfn_alloc(): not mapped anywhere, e.g. for a
 * page table) or mapped read-write at its linear address (xen_page_alloc(),
 * and the sbrk heap once the static .bss heap is full).  The L1 tables
 * needed for linear addresses beyond the bootstrap region (and an L2 per
 * GiB beyond the first) are taken from the pool the first time they are
 * needed, zeroed through a scratch mapping (update_va_mapping of a .bss
 * page) and installed with mmu_update; they are never freed.
 *
 * Nothing here runs before its first use: a program that stays within the
 * static heap makes no memory hypercall at all.  Page tables are read-only
 * to the guest: every change is a hypercall.
 */
#ifndef RT_MM_H
#define RT_MM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Page-table entry bits (x86-64). */
#define XEN_PTE_P    0x001UL
#define XEN_PTE_RW   0x002UL
#define XEN_PTE_US   0x004UL
#define XEN_PTE_PWT  0x008UL
#define XEN_PTE_PCD  0x010UL
#define XEN_PTE_A    0x020UL
#define XEN_PTE_D    0x040UL
#define XEN_PTE_PSE  0x080UL
#define XEN_PTE_G    0x100UL
#define XEN_PTE_NX   (1UL << 63)
#define XEN_PTE_ADDR 0x000ffffffffff000UL
/* Xen sets this in the L1 entries of guest-kernel pages (see §7.2). */
#define XEN_PTE_GUEST_KERNEL (1UL << 52)

/* The usual flags: a data page, and a table entry pointing to a table. */
#define XEN_PTE_DATA (XEN_PTE_P | XEN_PTE_RW | XEN_PTE_A | XEN_PTE_D)
#define XEN_PTE_TABLE \
    (XEN_PTE_P | XEN_PTE_RW | XEN_PTE_US | XEN_PTE_A | XEN_PTE_D)

/* Index of va in the table of a level (1 = L1 ... 4 = L4). */
#define XEN_PT_INDEX(va, level) \
    (((unsigned long)(va) >> (12 + 9 * ((level)-1))) & 511)

/* Frames the allocator manages at most (1 GiB of pseudo-physical memory). */
#define XEN_RT_MAX_PAGES (1UL << 18)

/* Set up the allocator now (it also sets itself up on first use): 0 or
 * -XEN_E*. */
int xen_mm_init(void);

/* Frames mapped at start of day (pfn 0 .. xen_mm_boot_pages() - 1). */
unsigned long xen_mm_boot_pages(void);
/* Frames managed (min(nr_pages, XEN_RT_MAX_PAGES)) and free right now. */
unsigned long xen_mm_total_pages(void);
unsigned long xen_mm_free_pages(void);
/* Frames the runtime took for its own page tables (never given back). */
unsigned long xen_mm_table_pages(void);

/* Linear address of a frame, and the frame of a linear address. */
void *xen_pfn_to_virt(unsigned long pfn);
/* Machine frame of a pseudo-physical one (the p2m list), and back (M2P). */
unsigned long xen_pfn_to_mfn(unsigned long pfn);
unsigned long xen_mfn_to_pfn(unsigned long mfn);

/*
 * Raw frames: a free frame of the pool, not mapped anywhere (its content is
 * undefined unless zeroed), or -XEN_ENOMEM.  Freeing one that is mapped or
 * used as a page table is the caller's bug: unmap / unpin it first.
 */
long xen_pfn_alloc(void);
void xen_pfn_free(unsigned long pfn);
bool xen_pfn_is_free(unsigned long pfn);
/* Zero a frame that is not mapped (through the scratch mapping). */
int xen_pfn_zero(unsigned long pfn);
/* Raw frame, zeroed. */
long xen_pfn_alloc_zeroed(void);

/*
 * Map / unmap a frame at its linear address: flags are the PTE flags
 * (XEN_PTE_DATA for read-write, XEN_PTE_P | XEN_PTE_A for read-only,
 * which a page-table frame allows).  Unmapping flushes the address on
 * every vCPU.  0 or -XEN_E*.
 */
int xen_pfn_map(unsigned long pfn, uint64_t flags);
int xen_pfn_unmap(unsigned long pfn);

/* A frame mapped read-write at its linear address and zeroed, or NULL. */
void *xen_page_alloc(void);
void xen_page_free(void *va);

/*
 * Machine address of the L1 entry of a linear address va (in
 * [__image_start, xen_pfn_to_virt(XEN_RT_MAX_PAGES))), creating the L1
 * (and L2) when absent: 0 or -XEN_E*.  Such an entry can be written with
 * mmu_update(MMU_NORMAL_PT_UPDATE) directly.
 */
int xen_l1e_maddr(unsigned long va, uint64_t *maddr);

/*
 * Read an entry of a page table by its machine frame, if the runtime can:
 * tables of the bootstrap region are mapped read-only there, and so is any
 * frame mapped at its linear address.  0, or -XEN_EFAULT when not readable.
 */
int xen_pt_read(unsigned long mfn, unsigned int idx, uint64_t *val);

/* The heap beyond the static .bss one (called by sbrk()): NULL if full. */
void *xen_mm_sbrk(ptrdiff_t incr);

#endif /* RT_MM_H */
