/*
 * Machine memory: the frame table, the buddy allocator and the heap.
 *
 * Every machine frame below max_page has a struct page_info.  At start-up
 * every frame is reserved; page_alloc_init() frees the RAM that no
 * reservation covers (firmware areas, the low 1 MiB, the hypervisor image,
 * boot modules, the frame table itself) into the buddy allocator.  The
 * memory validator extends type_info with page-table types later.
 *
 * Locking: heap_lock protects the free lists and PGC_free/order of free
 * frames.  xmalloc has its own lock, taken before heap_lock.
 */
#ifndef HV_MM_H
#define HV_MM_H

#include <hv/types.h>
#include <hv/bootinfo.h>
#include <asm/page.h> /* mfn_to_virt(), virt_to_mfn() */

struct page_info
{
    /* Buddy free-list links (frame numbers, INVALID_MFN at the ends). */
    unsigned long next, prev;
    unsigned long count_info; /* PGC_* flags and a reference count */
    unsigned long type_info;  /* PGT_* type and a type count */
    domid_t owner;            /* DOMID_XEN, DOMID_IO or a domain */
    uint8_t order;            /* order of a free block (head frame) */
    /* Page tables (hv/pagetype.h), owner's page lock: */
    uint16_t nr_validated;   /* PGT_partial: entries holding references */
    int16_t linear_pt_count; /* >0: linear entries in it; <0: linear uses */
};

/* count_info flags; the low bits are the reference count. */
#define PGC_free      (1UL << 63) /* in the buddy allocator */
#define PGC_reserved  (1UL << 62) /* never allocatable (firmware, image, ...) */
#define PGC_ram       (1UL << 61) /* the frame is RAM */
#define PGC_allocated (1UL << 59) /* the owner's reference (hv/pagetype.h) */
/* Shared by the hypervisor with its owner (shared_info, grant-table
 * frames): on no page list, not in tot_pages, never grantable. */
#define PGC_xen_shared (1UL << 58)
#define PGC_count_mask ((1UL << 40) - 1)

#define MAX_ORDER 20 /* largest block: 4 GiB */

extern struct page_info *frame_table;
extern unsigned long max_page; /* frames [0, max_page) have entries */

#define mfn_to_page(mfn) (&frame_table[(mfn)])
#define page_to_mfn(pg)  ((unsigned long)((pg)-frame_table))

/* A physical range the allocator must never hand out. */
struct mem_reservation
{
    paddr_t start;    /* inclusive */
    paddr_t end;      /* exclusive */
    const char *what; /* for messages: "hypervisor image", "module 1" */
};

/*
 * Find a place for size bytes of RAM, aligned to align, ending at or below
 * limit, that no reservation overlaps.  Returns the address, or 0 when none.
 */
paddr_t mm_find_free(const struct boot_info *bi,
                     const struct mem_reservation *resv, unsigned int nr_resv,
                     uint64_t size, uint64_t align, paddr_t limit);

/*
 * Initialise frame_table (nr frames, caller-provided storage) with every
 * frame reserved, then free into the buddy allocator every whole frame of
 * E820_RAM that no reservation touches.  Frames of RAM keep PGC_ram.
 * Returns the number of frames made free.
 */
unsigned long page_alloc_init(struct page_info *table, unsigned long nr,
                              const struct boot_info *bi,
                              const struct mem_reservation *resv,
                              unsigned int nr_resv);

/*
 * Allocate 2^order contiguous frames whose last frame is below max_mfn
 * (use ~0UL for no limit).  Returns the first frame's page_info with
 * count_info cleared to PGC_ram and owner DOMID_XEN, or NULL when no block
 * fits.  Never panics.  Before returning, every CPU that may still cache a
 * translation of the frames from before they were freed has flushed
 * (tlb_flush_since(), hv/tlb.h).
 */
struct page_info *alloc_pages(unsigned int order, unsigned long max_mfn);

/*
 * Return a block to the allocator, coalescing with free buddies.
 * Returns -EINVAL (and changes nothing) when the block is misaligned for
 * its order, lies outside the frame table, is reserved, or any of its frames
 * is already free (a double free).  The block is stamped with the TLB clock
 * (tlb_stamp(); while free, the head frame keeps it in type_info, and a
 * merged block keeps the later stamp).
 */
int free_pages(struct page_info *pg, unsigned int order);

unsigned long page_alloc_free_frames(void);  /* frames currently free */
unsigned long page_alloc_total_frames(void); /* frames given to the allocator */

/*
 * The hypervisor heap.  Sizes up to PAGE_SIZE/2 come from per-size-class
 * pages; larger ones are whole pages with a header.  Returns NULL on failure
 * or on size 0.  xfree(NULL) does nothing; xfree of a pointer the heap did
 * not hand out panics with a message (a hypervisor bug).
 */
void *xmalloc_bytes(size_t size);
void *xzalloc_bytes(size_t size);
void xfree(void *p);

#define xmalloc(type) ((type *)xmalloc_bytes(sizeof(type)))
#define xzalloc(type) ((type *)xzalloc_bytes(sizeof(type)))
/* NULL when n * size overflows. */
static inline void *xzalloc_array_bytes(size_t n, size_t size)
{
    if ( size && n > SIZE_MAX / size )
        return NULL;
    return xzalloc_bytes(n * size);
}
#define xzalloc_array(type, n) ((type *)xzalloc_array_bytes((n), sizeof(type)))

#endif /* HV_MM_H */
