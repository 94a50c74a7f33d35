/*
 * Page-table entry updates (PT_UPDATE): the core of mmu_update's
 * MMU_NORMAL_PT_UPDATE and MMU_PT_UPDATE_PRESERVE_AD (reference §7.3,
 * §7.6).  The new entry's references are taken before it is written and
 * the old entry's dropped after, so a validated table never has an entry
 * that holds nothing.
 *
 * Locking: the owner's page lock, held by the caller, serialises every
 * update of the owner's tables; the write itself is atomic because the
 * hardware may set A/D in the same entry at any time.
 */
#include <hv/errno.h>
#include <hv/lib.h>
#include "pt_private.h"

/* Write e; returns the value it replaced (with the hardware's A/D). */
static uint64_t write_entry(uint64_t *p, uint64_t e, bool preserve_ad)
{
    uint64_t old;

    if ( !preserve_ad )
        return __atomic_exchange_n(p, e, __ATOMIC_SEQ_CST);
    old = __atomic_load_n(p, __ATOMIC_RELAXED);
    /* Retry if the hardware set A or D between our read and write. */
    while ( !__atomic_compare_exchange_n(
        p, &old, e | (old & (PT_ACCESSED | PT_DIRTY)), false, __ATOMIC_SEQ_CST,
        __ATOMIC_RELAXED) )
        ;
    return old;
}

/* Entry idx of pg, a validated table of level level. */
static int mod_entry(struct page_info *pg, unsigned int level, unsigned int idx,
                     uint64_t e, bool preserve_ad, struct pt_ctx *ctx)
{
    uint64_t *p = pt_table(pg) + idx;
    uint64_t old = __atomic_load_n(p, __ATOMIC_RELAXED);
    int rc;

    if ( pt_hv_slot(level, idx) )
        return -EINVAL;
    if ( e & PT_PRESENT )
    {
        if ( e & pt_disallowed(level, ctx) )
            return -EINVAL;
        e = pt_adjust(level, e);
        if ( pt_fastpath(old, e) )
        {
            write_entry(p, e, preserve_ad);
            return 0;
        }
        rc = pt_get_entry(level, e, pg, ctx);
        if ( rc )
            return rc;
    }
    old = write_entry(p, e, preserve_ad);
    /*
     * The old entry's references go last.  A preempted devalidation of
     * its target leaves ctx->deferred set; the update itself is done.
     */
    pt_put_entry(level, old, pg, ctx);
    return 0;
}

int pt_update_entry(paddr_t ma, uint64_t val, bool preserve_ad,
                    struct pt_ctx *ctx)
{
    struct page_info *pg = get_page_from_mfn(ma >> PAGE_SHIFT, ctx->owner);
    unsigned int idx = (ma & ~PAGE_MASK) >> 3;
    unsigned long x;
    int rc;

    BUG_ON(ctx->deferred);
    if ( !pg )
        return -EINVAL;
    x = ti_read(pg);
    if ( pt_level(x) && (x & PGT_count_mask) )
        rc = (x & PGT_validated)
                 ? mod_entry(pg, pt_level(x), idx, val, preserve_ad, ctx)
                 : -EINVAL; /* partial: continue it first */
    else if ( get_page_type(pg, PGT_writable_page, ctx) )
        rc = -EINVAL; /* a descriptor page in use */
    else
    {
        /* Not a page table: plain data under a transient writable type. */
        __atomic_store_n(pt_table(pg) + idx, val, __ATOMIC_RELAXED);
        put_page_type(pg, ctx);
        rc = 0;
    }
    put_page(pg);
    return rc;
}
