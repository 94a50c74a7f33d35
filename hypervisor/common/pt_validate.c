/*
 * Page-table validation (PT_VALIDATE): the flag rules of each level, the
 * references one entry holds, and the (preemptible) walks that take them
 * for a whole table and drop them again (reference §7.2, §7.3, §7.5).
 *
 * An L1 entry holds a general reference on the frame it maps, and with RW a
 * writable type reference too.  An L2-L4 entry holds a general and a type
 * reference of the next lower level on its target, or, as a read-only
 * linear entry, of its own level on an already validated table (one level
 * of linearity: a table containing linear entries is never a linear target
 * and the other way round; linear_pt_count counts both).  An entry that
 * maps its own table holds nothing.
 *
 * Locking: the owner's page lock, held by every caller (hv/pagetype.h).
 */
#include <hv/desc_check.h>
#include <hv/errno.h>
#include <hv/lib.h>
#include "pt_private.h"

/* Flags Xen lets a guest change without taking references again (§7.3). */
#define FASTPATH_FLAGS                                                       \
    (PT_NX | PT_AVAIL_HIGH | PT_AVAIL | PT_GLOBAL | PT_DIRTY | PT_ACCESSED | \
     PT_USER)

uint64_t pt_disallowed(unsigned int level, const struct pt_ctx *ctx)
{
    /* Everything but P RW US A D AVAIL AVAIL_HIGH NX and the address. */
    uint64_t m = PT_PWT | PT_PCD | PT_PSE | PT_GLOBAL;

    if ( !arch_cpu_has_nx() )
        m |= PT_NX;
    if ( level == 1 )
    {
        m &= ~PT_GLOBAL;
        if ( ctx->io_caps )
            m &= ~(PT_PWT | PT_PCD | PT_PAT);
    }
    return m;
}

/* Xen's forced adjustments of a new present entry (§7.2). */
uint64_t pt_adjust(unsigned int level, uint64_t e)
{
    switch ( level )
    {
    case 1:
        if ( !(e & PT_USER) )
            e |= PT_USER | PT_GUEST_KERNEL;
        if ( !(e & PT_GUEST_KERNEL) )
            e |= PT_GLOBAL;
        return e;
    case 4:
        return e | PT_USER | PT_ACCESSED;
    default:
        return e | PT_USER;
    }
}

/* Same frame, both present, only flags that need no references differ. */
bool pt_fastpath(uint64_t old, uint64_t e)
{
    return (old & PT_PRESENT) && !((old ^ e) & ~FASTPATH_FLAGS);
}

/* ---- one entry ------------------------------------------------------------ */

static int get_l1e(uint64_t e, struct pt_ctx *ctx)
{
    unsigned long mfn = pte_mfn(e);
    struct page_info *pg;

    /*
     * The all-ones frame number is no frame at all: Xen 4.17 answers
     * -EINVAL for it (observed, mm-attack-beyond), -EPERM for other frames
     * that are not RAM.
     */
    if ( mfn == (PT_ADDR_MASK >> PAGE_SHIFT) )
        return -EINVAL;
    /* I/O space: no domain has I/O-memory permission. */
    if ( mfn >= max_page || !(mfn_to_page(mfn)->count_info & PGC_ram) )
        return -EPERM;
    pg = mfn_to_page(mfn);
    if ( !get_page(pg, ctx->foreign ? ctx->pg_owner : ctx->owner) )
        return -EBUSY;
    if ( (e & PT_RW) && get_page_type(pg, PGT_writable_page, ctx) )
    {
        put_page(pg);
        return -EBUSY;
    }
    if ( ctx->foreign && ctx->pg_owner != ctx->owner )
        arch_foreign_map(pg, 1);
    return 0;
}

/*
 * A read-only entry of a level-level table ptpg to child, an already
 * validated table of the same level (the caller holds a general reference
 * on child).  Takes a type reference and counts the linearity.
 */
static bool get_linear(unsigned int level, uint64_t e, struct page_info *ptpg,
                       struct page_info *child)
{
    unsigned long x = ti_read(child);

    if ( e & PT_RW )
        return false;
    if ( (x & (PGT_type_mask | PGT_validated)) !=
             (PGT_lN(level) | PGT_validated) ||
         (x & PGT_count_mask) == PGT_count_mask )
        return false;
    if ( ptpg->linear_pt_count < 0 || ptpg->linear_pt_count == INT16_MAX ||
         child->linear_pt_count > 0 || child->linear_pt_count == INT16_MIN )
        return false;
    ti_write(child, x + 1);
    ptpg->linear_pt_count++;
    child->linear_pt_count--;
    return true;
}

static int get_lNe(unsigned int level, uint64_t e, struct page_info *ptpg,
                   struct pt_ctx *ctx)
{
    unsigned long mfn = pte_mfn(e);
    struct page_info *child;
    int rc;

    if ( mfn >= max_page )
        return -EINVAL;
    child = mfn_to_page(mfn);
    if ( child == ptpg ) /* self map: read-only, no reference */
        return (e & PT_RW) ? -EINVAL : 0;
    if ( !get_page(child, ctx->owner) )
        return -EINVAL;
    rc = get_page_type(child, PGT_lN(level - 1), ctx);
    if ( rc == -EINVAL && !ctx->deferred && get_linear(level, e, ptpg, child) )
        rc = 0;
    if ( rc )
        put_page(child);
    return rc;
}

int pt_get_entry(unsigned int level, uint64_t e, struct page_info *ptpg,
                 struct pt_ctx *ctx)
{
    if ( !(e & PT_PRESENT) )
        return 0;
    if ( e & pt_disallowed(level, ctx) )
        return -EINVAL;
    return level == 1 ? get_l1e(e, ctx) : get_lNe(level, e, ptpg, ctx);
}

/*
 * Drop what entry e of ptpg holds.  0, or -ERESTART when a child's
 * devalidation was preempted (the child is left partial, ctx->deferred).
 */
int pt_put_entry(unsigned int level, uint64_t e, struct page_info *ptpg,
                 struct pt_ctx *ctx)
{
    struct page_info *pg;
    int rc = 0;

    if ( !(e & PT_PRESENT) )
        return 0;
    pg = mfn_to_page(pte_mfn(e));
    if ( level == 1 )
    {
        if ( pg->owner != ptpg->owner )
            arch_foreign_map(pg, -1);
        if ( e & PT_RW )
            put_page_type(pg, ctx); /* writable: never preempted */
        put_page(pg);
        return 0;
    }
    if ( pg == ptpg )
        return 0;
    if ( (ti_read(pg) & PGT_type_mask) == PGT_lN(level) )
    {
        ptpg->linear_pt_count--;
        pg->linear_pt_count++;
    }
    rc = put_page_type(pg, ctx);
    put_page(pg);
    return rc;
}

/* ---- whole tables -------------------------------------------------------- */

static void set_partial_child(struct page_info *pg, bool set)
{
    unsigned long x = ti_read(pg);

    ti_write(pg, set ? x | PGT_partial_child : x & ~PGT_partial_child);
}

/* L1 tables are never preempted; a failure unwinds at once. */
static int validate_l1(struct page_info *pg, struct pt_ctx *ctx)
{
    uint64_t *t = pt_table(pg);
    unsigned int i;
    int rc = 0;

    for ( i = 0; i < PT_ENTRIES; i++ )
    {
        uint64_t e = __atomic_load_n(&t[i], __ATOMIC_RELAXED);

        rc = pt_get_entry(1, e, pg, ctx);
        if ( rc )
            break;
        if ( e & PT_PRESENT )
            __atomic_store_n(&t[i], pt_adjust(1, e), __ATOMIC_RELAXED);
    }
    if ( rc )
        while ( i-- > 0 )
            pt_put_entry(1, t[i], pg, ctx);
    pg->nr_validated = 0;
    return rc;
}

int pt_validate(struct page_info *pg, unsigned int level, struct pt_ctx *ctx)
{
    uint64_t *t = pt_table(pg);
    unsigned int i = pg->nr_validated;
    bool first = true;
    int rc;

    if ( level == 0 )
    {
        if ( (ti_read(pg) & PGT_type_mask) != PGT_seg_desc_page )
            return 0;
        return desc_check_table(t, PT_ENTRIES, &i);
    }
    if ( level == 1 )
        return validate_l1(pg, ctx);
    /* The child a partial page left is got again like any other. */
    set_partial_child(pg, false);
    for ( ; i < PT_ENTRIES; i++ )
    {
        uint64_t e;

        if ( pt_hv_slot(level, i) )
            continue;
        if ( !first && pt_should_stop(ctx) )
        {
            pg->nr_validated = i;
            return -ERESTART;
        }
        first = false;
        e = __atomic_load_n(&t[i], __ATOMIC_RELAXED);
        rc = pt_get_entry(level, e, pg, ctx);
        if ( rc )
        {
            /* Entry i holds nothing; its child may be partial (ours). */
            pg->nr_validated = i;
            if ( rc == -ERESTART || ctx->deferred )
            {
                set_partial_child(pg, true);
                ctx->deferred = NULL;
            }
            return rc;
        }
        if ( e & PT_PRESENT )
            __atomic_store_n(&t[i], pt_adjust(level, e), __ATOMIC_RELAXED);
    }
    if ( level == 4 )
        arch_fill_hv_l4_slots(t);
    pg->nr_validated = 0;
    return 0;
}

/*
 * Drop the references of entries [0, nr_validated) of pg, highest first,
 * after finishing a child this page left partial.  0 when all are gone;
 * -ERESTART when preempted (progress in nr_validated and the flag).
 */
int pt_devalidate(struct page_info *pg, unsigned int level, struct pt_ctx *ctx)
{
    uint64_t *t = pt_table(pg);
    unsigned int n = pg->nr_validated;
    bool first = true;

    if ( ti_read(pg) & PGT_partial_child )
    {
        unsigned long mfn = pte_mfn(t[n]);

        if ( mfn < max_page && pt_finish_orphan(mfn_to_page(mfn), ctx) )
        {
            ctx->deferred = NULL; /* still ours: we keep the flag */
            return -ERESTART;
        }
        set_partial_child(pg, false);
        first = false;
    }
    while ( n > 0 )
    {
        unsigned int i = n - 1;

        if ( level > 1 && !pt_hv_slot(level, i) )
        {
            if ( !first && pt_should_stop(ctx) )
            {
                pg->nr_validated = n;
                return -ERESTART;
            }
            first = false;
        }
        if ( !pt_hv_slot(level, i) &&
             pt_put_entry(level, t[i], pg, ctx) == -ERESTART )
        {
            pg->nr_validated = i;
            set_partial_child(pg, true);
            ctx->deferred = NULL;
            return -ERESTART;
        }
        n = i;
    }
    pg->nr_validated = 0;
    return 0;
}
