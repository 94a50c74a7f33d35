/*
 * Frame table and buddy allocator (PAGE_ALLOC).
 *
 * Every frame below max_page has a struct page_info.  A free block of
 * 2^order frames starts at a frame number aligned to 2^order; every frame
 * of it has PGC_free, and only its first frame (the head) is on the free
 * list of its order, with page_info.order set; the other frames carry
 * NOT_HEAD in order.  Splitting and merging touch only head frames, so an
 * allocation costs O(MAX_ORDER) list operations plus marking the frames it
 * returns, and never scans the frame table.  Allocations with a max_mfn
 * limit may walk a free list to find a block low enough.
 *
 * While a block is free, its head frame's type_info holds the TLB clock
 * tick at which it was freed (hv/mm.h): a merge keeps the later stamp, a
 * split gives both halves the parent's, and an allocation flushes the
 * CPUs that have not flushed since (after heap_lock is dropped).
 *
 * Locking: heap_lock protects the free lists, the counters and the
 * PGC_free/order/stamp state of every frame.  It is the innermost memory lock
 * (xmalloc's lock is taken before it) and is not taken from interrupt
 * context.
 */
#include <hv/errno.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/spinlock.h>
#include <hv/tlb.h>

#define NOT_HEAD      0xff        /* page_info.order of a non-head frame */
#define PGC_init_keep (1UL << 60) /* page_alloc_init(): touched by a resv */

struct page_info *frame_table;
unsigned long max_page;

static DEFINE_SPINLOCK(heap_lock);
static unsigned long free_head[MAX_ORDER + 1]; /* first block, or INVALID */
static unsigned long free_frames, total_frames;

BUILD_BUG_ON(MAX_ORDER >= NOT_HEAD);

/* ---- free lists (heap_lock held) -------------------------------------- */

static void list_add(unsigned long mfn, unsigned int order)
{
    struct page_info *pg = mfn_to_page(mfn);

    pg->order = order;
    pg->prev = INVALID_MFN;
    pg->next = free_head[order];
    if ( pg->next != INVALID_MFN )
        mfn_to_page(pg->next)->prev = mfn;
    free_head[order] = mfn;
}

static void list_del(unsigned long mfn, unsigned int order)
{
    struct page_info *pg = mfn_to_page(mfn);

    if ( pg->prev != INVALID_MFN )
        mfn_to_page(pg->prev)->next = pg->next;
    else
        free_head[order] = pg->next;
    if ( pg->next != INVALID_MFN )
        mfn_to_page(pg->next)->prev = pg->prev;
    pg->next = pg->prev = INVALID_MFN;
    pg->order = NOT_HEAD;
}

static bool is_free_head(unsigned long mfn, unsigned int order)
{
    const struct page_info *pg = mfn_to_page(mfn);

    return (pg->count_info & PGC_free) && pg->order == order;
}

/*
 * Put the block [mfn, mfn + 2^order), whose frames are already marked
 * PGC_free and NOT_HEAD, on the free lists, merging it with free buddies.
 */
static void insert_block(unsigned long mfn, unsigned int order, uint64_t stamp)
{
    while ( order < MAX_ORDER )
    {
        unsigned long buddy = mfn ^ (1UL << order);

        if ( buddy >= max_page || buddy + (1UL << order) > max_page ||
             !is_free_head(buddy, order) )
            break;
        stamp = MAX(stamp, mfn_to_page(buddy)->type_info);
        mfn_to_page(buddy)->type_info = 0;
        list_del(buddy, order);
        mfn = MIN(mfn, buddy);
        order++;
    }
    mfn_to_page(mfn)->type_info = stamp;
    list_add(mfn, order);
}

static void mark_free(unsigned long mfn, unsigned long nr)
{
    unsigned long i;

    for ( i = 0; i < nr; i++ )
    {
        struct page_info *pg = mfn_to_page(mfn + i);

        pg->count_info = PGC_free | PGC_ram;
        pg->type_info = 0;
        pg->owner = DOMID_XEN;
        pg->order = NOT_HEAD;
        pg->next = pg->prev = INVALID_MFN;
    }
}

/* ---- allocation ------------------------------------------------------------ */

/*
 * Find a free block of order >= order whose first 2^order frames end below
 * max_mfn.  Returns its head frame and its order in *found, or INVALID_MFN.
 */
static unsigned long find_block(unsigned int order, unsigned long max_mfn,
                                unsigned int *found)
{
    unsigned long mfn;
    unsigned int o;

    for ( o = order; o <= MAX_ORDER; o++ )
        for ( mfn = free_head[o]; mfn != INVALID_MFN;
              mfn = mfn_to_page(mfn)->next )
            if ( mfn + (1UL << order) <= max_mfn )
            {
                *found = o;
                return mfn;
            }
    return INVALID_MFN;
}

struct page_info *alloc_pages(unsigned int order, unsigned long max_mfn)
{
    unsigned long mfn, i;
    uint64_t stamp;
    unsigned int o;

    if ( order > MAX_ORDER )
        return NULL;
    spin_lock(&heap_lock);
    mfn = find_block(order, max_mfn, &o);
    if ( mfn == INVALID_MFN )
    {
        spin_unlock(&heap_lock);
        return NULL;
    }
    list_del(mfn, o);
    stamp = mfn_to_page(mfn)->type_info;
    /* Keep the low part; the upper halves go back as smaller blocks. */
    while ( o > order )
    {
        o--;
        mfn_to_page(mfn + (1UL << o))->type_info = stamp;
        list_add(mfn + (1UL << o), o);
    }
    for ( i = 0; i < (1UL << order); i++ )
    {
        struct page_info *pg = mfn_to_page(mfn + i);

        pg->count_info = PGC_ram;
        pg->type_info = 0;
        pg->owner = DOMID_XEN;
        pg->order = 0;
    }
    free_frames -= 1UL << order;
    spin_unlock(&heap_lock);
    if ( stamp ) /* 0: never mapped since boot */
        tlb_flush_since(stamp);
    return mfn_to_page(mfn);
}

int free_pages(struct page_info *pg, unsigned int order)
{
    uintptr_t off = (uintptr_t)pg - (uintptr_t)frame_table;
    unsigned long mfn, n = 1UL << order, i;

    if ( !pg || !frame_table || order > MAX_ORDER ||
         (uintptr_t)pg < (uintptr_t)frame_table || off % sizeof(*pg) )
        return -EINVAL;
    mfn = off / sizeof(*pg);
    if ( mfn >= max_page || (mfn & (n - 1)) || n > max_page - mfn )
        return -EINVAL;

    spin_lock(&heap_lock);
    for ( i = 0; i < n; i++ )
    {
        unsigned long ci = mfn_to_page(mfn + i)->count_info;

        if ( (ci & (PGC_free | PGC_reserved)) || !(ci & PGC_ram) )
        {
            spin_unlock(&heap_lock);
            return -EINVAL;
        }
    }
    mark_free(mfn, n);
    insert_block(mfn, order, tlb_stamp());
    free_frames += n;
    spin_unlock(&heap_lock);
    return 0;
}

unsigned long page_alloc_free_frames(void)
{
    return free_frames;
}

unsigned long page_alloc_total_frames(void)
{
    return total_frames;
}

/* ---- start of day ------------------------------------------------------------ */

static unsigned long pfn_down(paddr_t pa)
{
    return pa >> PAGE_SHIFT;
}

static unsigned long pfn_up(paddr_t pa)
{
    return (pa >> PAGE_SHIFT) + ((pa & ~PAGE_MASK) != 0);
}

/* Set (or clear) flag on frames [first, last) clipped to the table. */
static void flag_frames(unsigned long first, unsigned long last,
                        unsigned long flag, bool set)
{
    unsigned long i;

    for ( i = first; i < MIN(last, max_page); i++ )
        if ( set )
            frame_table[i].count_info |= flag;
        else
            frame_table[i].count_info &= ~flag;
}

/* Free [s, e) as the largest aligned blocks that fit. */
static void free_range(unsigned long s, unsigned long e)
{
    while ( s < e )
    {
        unsigned int o = 0;

        while ( o < MAX_ORDER && !(s & ((2UL << o) - 1)) &&
                (2UL << o) <= e - s )
            o++;
        mark_free(s, 1UL << o);
        insert_block(s, o, 0); /* boot memory: never mapped */
        free_frames += 1UL << o;
        s += 1UL << o;
    }
}

unsigned long page_alloc_init(struct page_info *table, unsigned long nr,
                              const struct boot_info *bi,
                              const struct mem_reservation *resv,
                              unsigned int nr_resv)
{
    unsigned long i, run = 0;
    unsigned int o;

    spin_lock(&heap_lock);
    frame_table = table;
    max_page = nr;
    for ( o = 0; o <= MAX_ORDER; o++ )
        free_head[o] = INVALID_MFN;
    free_frames = 0;
    for ( i = 0; i < nr; i++ )
    {
        memset(&table[i], 0, sizeof(table[i]));
        table[i].next = table[i].prev = INVALID_MFN;
        table[i].count_info = PGC_reserved;
        table[i].owner = DOMID_XEN;
        table[i].order = NOT_HEAD;
    }

    /* Whole RAM frames, minus any frame a non-RAM range touches. */
    for ( i = 0; i < bi->nr_mem; i++ )
        if ( bi->mem[i].type == E820_RAM )
            flag_frames(pfn_up(bi->mem[i].start), pfn_down(bi->mem[i].end),
                        PGC_ram, true);
    for ( i = 0; i < bi->nr_mem; i++ )
        if ( bi->mem[i].type != E820_RAM )
            flag_frames(pfn_down(bi->mem[i].start), pfn_up(bi->mem[i].end),
                        PGC_ram, false);
    for ( i = 0; i < nr_resv; i++ )
        flag_frames(pfn_down(resv[i].start), pfn_up(resv[i].end), PGC_init_keep,
                    true);

    /* Free every maximal run of RAM frames that no reservation touches. */
    for ( i = 0; i <= nr; i++ )
    {
        bool freeable = i < nr && (table[i].count_info & PGC_ram) &&
                        !(table[i].count_info & PGC_init_keep);

        if ( i < nr )
            table[i].count_info &= ~PGC_init_keep;
        if ( freeable )
            continue;
        free_range(run, i);
        run = i + 1;
    }
    total_frames = free_frames;
    spin_unlock(&heap_lock);
    return free_frames;
}

/* ---- placing boot-time structures ------------------------------------------ */

/*
 * Is [s, e) clear of every reservation and non-RAM range?  If not, *skip is
 * the end of one range in the way (always beyond s).
 */
static bool range_clear(const struct boot_info *bi,
                        const struct mem_reservation *resv,
                        unsigned int nr_resv, paddr_t s, paddr_t e,
                        paddr_t *skip)
{
    unsigned int i;

    for ( i = 0; i < nr_resv; i++ )
        if ( resv[i].start < e && s < resv[i].end )
        {
            *skip = resv[i].end;
            return false;
        }
    for ( i = 0; i < bi->nr_mem; i++ )
        if ( bi->mem[i].type != E820_RAM && bi->mem[i].start < e &&
             s < bi->mem[i].end )
        {
            *skip = bi->mem[i].end;
            return false;
        }
    return true;
}

/* Lowest fit inside the RAM range r, or 0. */
static paddr_t find_in_range(const struct boot_info *bi,
                             const struct boot_memrange *r,
                             const struct mem_reservation *resv,
                             unsigned int nr_resv, uint64_t size,
                             uint64_t align, paddr_t limit)
{
    paddr_t end = MIN(r->end, limit), a = r->start, skip;

    for ( ;; )
    {
        if ( a > ~(paddr_t)0 - (align - 1) )
            return 0;
        a = ROUNDUP(a, align);
        if ( a == 0 )
        {
            a = align; /* 0 means "none" to our caller */
            continue;
        }
        if ( a >= end || size > end - a )
            return 0;
        if ( range_clear(bi, resv, nr_resv, a, a + size, &skip) )
            return a;
        a = skip;
    }
}

paddr_t mm_find_free(const struct boot_info *bi,
                     const struct mem_reservation *resv, unsigned int nr_resv,
                     uint64_t size, uint64_t align, paddr_t limit)
{
    unsigned int i;
    paddr_t a;

    if ( align == 0 )
        align = 1;
    if ( size == 0 || (align & (align - 1)) )
        return 0;
    for ( i = 0; i < bi->nr_mem; i++ )
    {
        if ( bi->mem[i].type != E820_RAM )
            continue;
        a = find_in_range(bi, &bi->mem[i], resv, nr_resv, size, align, limit);
        if ( a )
            return a;
    }
    return 0;
}
