/*
 * Typed pages (PAGETYPE): general and type references, the type transition
 * rule, partial pages and their continuation, pinning, base pointers and
 * the release of a dying domain's frames (reference §7.1, §7.4, §7.5).
 *
 * The counts: count_info holds the general count (PGC_count_mask) and
 * PGC_allocated, the owner's own reference; type_info the type, its count
 * and the validated/pinned/partial flags (hv/pagetype.h).  A frame is
 * freed when its general count drops to 0, which needs PGC_allocated clear
 * and the type count 0.
 *
 * Locking: general counts change with atomic compare-exchange, without a
 * lock; a reference is only taken on a frame that already has one (its
 * owner's), after which its owner cannot change, so checking the owner
 * after the increment is safe for foreign frames too.  Everything else
 * runs under the owner's page lock, held by the caller.
 */
#include <hv/errno.h>
#include <hv/lib.h>
#include "pt_private.h"

/* ---- general references ----------------------------------------------- */

bool get_page(struct page_info *pg, domid_t owner)
{
    unsigned long x = __atomic_load_n(&pg->count_info, __ATOMIC_RELAXED);

    do
    {
        unsigned long c = x & PGC_count_mask;

        if ( (x & (PGC_free | PGC_reserved)) || !(x & PGC_ram) || c == 0 ||
             c == PGC_count_mask )
            return false;
        /* Acquire: our reads of the frame follow the reference. */
    } while ( !__atomic_compare_exchange_n(&pg->count_info, &x, x + 1, false,
                                           __ATOMIC_ACQUIRE,
                                           __ATOMIC_RELAXED) );
    if ( __atomic_load_n(&pg->owner, __ATOMIC_RELAXED) != owner )
    {
        put_page(pg);
        return false;
    }
    return true;
}

struct page_info *get_page_from_mfn(unsigned long mfn, domid_t owner)
{
    if ( mfn >= max_page || !get_page(mfn_to_page(mfn), owner) )
        return NULL;
    return mfn_to_page(mfn);
}

/* One more general reference on a frame the caller holds one on. */
void get_page_light(struct page_info *pg)
{
    unsigned long old =
        __atomic_fetch_add(&pg->count_info, 1, __ATOMIC_RELAXED);

    BUG_ON((old & PGC_count_mask) == 0 ||
           (old & PGC_count_mask) == PGC_count_mask - 1);
}

void put_page(struct page_info *pg)
{
    /* Release: our accesses to the frame come before a possible free. */
    unsigned long old =
        __atomic_fetch_sub(&pg->count_info, 1, __ATOMIC_ACQ_REL);

    BUG_ON((old & PGC_count_mask) == 0);
    if ( (old & PGC_count_mask) != 1 )
        return;
    BUG_ON(old & PGC_allocated);
    BUG_ON(ti_read(pg) & PGT_count_mask);
    free_domheap_page(pg);
}

void page_set_allocated(struct page_info *pg, domid_t owner)
{
    pg->owner = owner;
    pg->type_info = PGT_none;
    pg->nr_validated = 0;
    pg->linear_pt_count = 0;
    /* Release: the fields above are set before anyone can get_page(). */
    __atomic_store_n(&pg->count_info,
                     (pg->count_info & PGC_ram) | PGC_allocated | 1,
                     __ATOMIC_RELEASE);
}

bool page_release_allocated(struct page_info *pg)
{
    if ( !(__atomic_fetch_and(&pg->count_info, ~PGC_allocated,
                              __ATOMIC_RELAXED) &
           PGC_allocated) )
        return false;
    put_page(pg);
    return true;
}

/* ---- type references -------------------------------------------------- */

static bool type_ok(unsigned long type)
{
    return pt_level(type) || type == PGT_seg_desc_page ||
           type == PGT_writable_page;
}

/*
 * After validation of pg (type count 1, ours) returned rc: mark it
 * validated, or leave it partial (the orphan keeps the count and gets its
 * own general reference), or unwind what it took.
 */
static int end_validation(struct page_info *pg, int rc, struct pt_ctx *ctx)
{
    unsigned int level = pt_level(ti_read(pg));

    if ( rc == 0 )
    {
        ti_write(pg, (ti_read(pg) & ~(PGT_partial | PGT_partial_child)) |
                         PGT_validated);
        return 0;
    }
    if ( rc != -ERESTART )
    {
        /* A failure: unwind (L1 and seg_desc hold nothing by now). */
        if ( level < 2 || pt_devalidate(pg, level, ctx) == 0 )
        {
            ti_write(pg, ti_read(pg) & PGT_type_mask); /* count 0 */
            return rc;
        }
        ctx->deferred = pg; /* the rest of the unwinding */
    }
    /* Partial: the orphan keeps the type count, with a general reference. */
    get_page_light(pg);
    ti_write(pg, ti_read(pg) | PGT_partial);
    return rc;
}

int get_page_type(struct page_info *pg, unsigned long type, struct pt_ctx *ctx)
{
    unsigned long x = ti_read(pg);

    if ( !type_ok(type) )
        return -EINVAL;
    if ( (x & PGT_count_mask) == 0 )
    {
        /* The type changes: nothing may still cache the old use. */
        if ( (x & PGT_type_mask) != type && (x & PGT_type_mask) != PGT_none )
            arch_flush_stale_tlb(pg);
        pg->nr_validated = 0;
        ti_write(pg, type | 1);
    }
    else if ( (x & PGT_type_mask) != type ||
              (x & PGT_count_mask) == PGT_count_mask )
        return -EINVAL;
    else if ( x & PGT_validated )
    {
        ti_write(pg, x + 1);
        return 0;
    }
    else if ( !(x & PGT_partial) )
        return -EINVAL; /* being validated further up this walk */
    else
    {
        /* Take over the orphan of a partial page: its count becomes ours. */
        ti_write(pg, x & ~PGT_partial);
        put_page(pg); /* its general reference; the caller holds one */
    }
    if ( !pt_level(type) && type != PGT_seg_desc_page )
    {
        ti_write(pg, ti_read(pg) | PGT_validated);
        return 0;
    }
    return end_validation(pg, pt_validate(pg, pt_level(type), ctx), ctx);
}

/*
 * pg (type count 1, not validated) is having its references dropped:
 * continue.  0: the type count is 0; -ERESTART: pg is partial.
 */
static int devalidate(struct page_info *pg, struct pt_ctx *ctx)
{
    if ( pt_devalidate(pg, pt_level(ti_read(pg)), ctx) )
    {
        ti_write(pg, ti_read(pg) | PGT_partial);
        ctx->deferred = pg;
        return -ERESTART;
    }
    ti_write(pg, ti_read(pg) & PGT_type_mask);
    return 0;
}

int put_page_type(struct page_info *pg, struct pt_ctx *ctx)
{
    unsigned long x = ti_read(pg);
    int rc;

    BUG_ON((x & PGT_count_mask) == 0 || (x & PGT_partial));
    if ( (x & PGT_count_mask) > 1 )
    {
        ti_write(pg, x - 1);
        return 0;
    }
    if ( !pt_level(x) || !(x & PGT_validated) )
    {
        ti_write(pg, x & PGT_type_mask);
        return 0;
    }
    /* The last use of a page table: drop what its entries hold. */
    ti_write(pg, x & ~PGT_validated);
    pg->nr_validated = PT_ENTRIES;
    rc = devalidate(pg, ctx);
    if ( rc )
        get_page_light(pg); /* the orphan's */
    return rc;
}

int get_page_and_type(struct page_info *pg, unsigned long type,
                      struct pt_ctx *ctx)
{
    int rc;

    if ( !get_page(pg, ctx->owner) )
        return -EINVAL;
    rc = get_page_type(pg, type, ctx);
    if ( rc )
        put_page(pg);
    return rc;
}

int put_page_and_type(struct page_info *pg, struct pt_ctx *ctx)
{
    int rc = put_page_type(pg, ctx);

    put_page(pg);
    return rc;
}

/* Continue dropping what a partial page holds; 0 also if not partial. */
int pt_finish_orphan(struct page_info *pg, struct pt_ctx *ctx)
{
    unsigned long x = ti_read(pg);

    if ( pg->owner != ctx->owner || !(x & PGT_partial) || !pt_level(x) ||
         (x & PGT_count_mask) != 1 || !(pg->count_info & PGC_count_mask) )
        return 0;
    ti_write(pg, x & ~PGT_partial);
    if ( devalidate(pg, ctx) )
        return -ERESTART;
    put_page(pg); /* the orphan's general reference */
    return 0;
}

int pt_finish_deferred(struct page_info *pg, struct pt_ctx *ctx)
{
    int rc = pt_finish_orphan(pg, ctx);

    if ( rc == 0 )
        ctx->deferred = NULL;
    return rc;
}

/* ---- operations behind the hypercalls ------------------------------------ */

int pt_pin(unsigned long mfn, unsigned int level, struct pt_ctx *ctx)
{
    struct page_info *pg;
    int rc;

    BUG_ON(ctx->deferred);
    if ( level < 1 || level > 4 || mfn >= max_page )
        return -EINVAL;
    pg = mfn_to_page(mfn);
    rc = get_page_and_type(pg, PGT_lN(level), ctx);
    if ( rc )
        return rc;
    if ( ti_read(pg) & PGT_pinned )
    {
        /* Never the last reference: the pin holds one. */
        put_page_and_type(pg, ctx);
        return -EINVAL;
    }
    ti_write(pg, ti_read(pg) | PGT_pinned);
    return 0;
}

int pt_unpin(unsigned long mfn, struct pt_ctx *ctx)
{
    struct page_info *pg = get_page_from_mfn(mfn, ctx->owner);
    int rc;

    BUG_ON(ctx->deferred);
    if ( !pg )
        return -EINVAL;
    if ( !(ti_read(pg) & PGT_pinned) )
    {
        put_page(pg);
        return -EINVAL;
    }
    ti_write(pg, ti_read(pg) & ~PGT_pinned);
    rc = put_page_and_type(pg, ctx); /* the pin's references */
    put_page(pg);
    return rc;
}

int pt_get_baseptr(unsigned long mfn, struct pt_ctx *ctx,
                   struct page_info **out)
{
    int rc;

    BUG_ON(ctx->deferred);
    if ( mfn >= max_page )
        return -EINVAL;
    rc = get_page_and_type(mfn_to_page(mfn), PGT_l4_page_table, ctx);
    if ( rc == 0 )
        *out = mfn_to_page(mfn);
    return rc;
}

int pt_put_baseptr(struct page_info *pg, struct pt_ctx *ctx)
{
    BUG_ON(ctx->deferred);
    return put_page_and_type(pg, ctx);
}

int pt_relinquish_frame(struct page_info *pg, struct pt_ctx *ctx)
{
    int rc = 0;

    BUG_ON(ctx->deferred);
    if ( !get_page(pg, ctx->owner) ) /* keeps pg until we are done */
        return 0;
    if ( ti_read(pg) & PGT_pinned )
    {
        ti_write(pg, ti_read(pg) & ~PGT_pinned);
        rc = put_page_and_type(pg, ctx);
    }
    if ( rc == 0 && (ti_read(pg) & PGT_partial) )
        rc = pt_finish_deferred(pg, ctx) ? -ERESTART : 0;
    if ( rc == 0 )
        page_release_allocated(pg);
    put_page(pg);
    return rc;
}
