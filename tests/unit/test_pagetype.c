/*
 * Unit tests for the typed-page objects (common/pagetype.c, pt_validate.c,
 * pt_update.c) over a simulated frame table and fake RAM: general and
 * type references, every type transition, validation and devalidation of
 * real 4-level trees, every refusal rule of reference §7.2-§7.4, linear
 * page tables, preemption at every point, the entry-update core of
 * mmu_update, and domain destruction.  Every test ends by destroying the
 * domains and checking that every frame went back to the allocator.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hv/errno.h>
#include <hv/lib.h>
#include <hv/pagetype.h>
#include "pt_shim.h"
#include "shim.h"

#define NR_FRAMES 512UL
#define DOM       1
#define DOM2      2

#define UPPER (PT_PRESENT | PT_RW | PT_USER)
#define KRO   PT_PRESENT
#define KRW   (PT_PRESENT | PT_RW)

static struct page_info *table;
static unsigned long start_free;
static struct pt_ctx ctx;

/* Preemption: stop after stop_after checks in one attempt. */
static unsigned int stop_after, stop_calls;
static bool stop_pred(void *arg)
{
    (void)arg;
    return ++stop_calls > stop_after;
}

static int setup(void **state)
{
    (void)state;
    table = shim_heap_setup(NR_FRAMES, NULL, 0, &start_free);
    memset(&ctx, 0, sizeof(ctx));
    ctx.owner = DOM;
    shim_has_nx = true;
    shim_flushes = shim_l4_fills = shim_frees = 0;
    return 0;
}

static void finish(struct pt_ctx *c)
{
    while ( c->deferred )
        pt_finish_deferred(c->deferred, c);
}

/* Domain destruction as domain code will drive it. */
static void destroy(domid_t d)
{
    struct pt_ctx c = { .owner = d };
    unsigned long mfn;

    for ( mfn = 0; mfn < NR_FRAMES; mfn++ )
        while ( pt_relinquish_frame(mfn_to_page(mfn), &c) == -ERESTART )
            finish(&c);
    assert_null(c.deferred);
}

static int teardown(void **state)
{
    unsigned long mfn;

    (void)state;
    assert_null(ctx.deferred);
    destroy(DOM);
    destroy(DOM2);
    /* No leaks: every frame is back, with no counts left. */
    assert_int_equal(page_alloc_free_frames(), start_free);
    for ( mfn = 0; mfn < NR_FRAMES; mfn++ )
    {
        assert_int_equal(table[mfn].count_info & PGC_count_mask, 0);
        assert_int_equal(table[mfn].linear_pt_count, 0);
    }
    free(table);
    shim_ram_free();
    return 0;
}

static unsigned long new_frame(domid_t d)
{
    struct page_info *pg = alloc_pages(0, ~0UL);

    assert_non_null(pg);
    page_set_allocated(pg, d);
    memset(mfn_to_virt(page_to_mfn(pg)), 0, PAGE_SIZE);
    return page_to_mfn(pg);
}

static uint64_t *T(unsigned long mfn)
{
    return mfn_to_virt(mfn);
}

static uint64_t pte(unsigned long mfn, uint64_t flags)
{
    return ((uint64_t)mfn << PAGE_SHIFT) | flags;
}

/* Machine address of entry idx of a table. */
static paddr_t EA(unsigned long mfn, unsigned int idx)
{
    return ((paddr_t)mfn << PAGE_SHIFT) + 8 * idx;
}

static unsigned long cnt(unsigned long mfn)
{
    return table[mfn].count_info & PGC_count_mask;
}

static unsigned long tcnt(unsigned long mfn)
{
    return table[mfn].type_info & PGT_count_mask;
}

static unsigned long ttype(unsigned long mfn)
{
    return table[mfn].type_info & PGT_type_mask;
}

static bool validated(unsigned long mfn)
{
    return table[mfn].type_info & PGT_validated;
}

/* ---- snapshots of every count ---------------------------------------- */

struct snap
{
    unsigned long count_info[NR_FRAMES], type_info[NR_FRAMES];
    int16_t linear[NR_FRAMES];
};

static void take(struct snap *s)
{
    unsigned long i;

    for ( i = 0; i < NR_FRAMES; i++ )
    {
        s->count_info[i] = table[i].count_info;
        s->type_info[i] = table[i].type_info;
        s->linear[i] = table[i].linear_pt_count;
    }
}

/*
 * Counts and flags equal s; the type of a frame whose type count is 0 may
 * differ (a type with no references is only a memory of the last use).
 */
static void same(const struct snap *s)
{
    unsigned long i;

    for ( i = 0; i < NR_FRAMES; i++ )
    {
        unsigned long a = s->type_info[i], b = table[i].type_info;

        if ( !(a & PGT_count_mask) && !(b & PGT_count_mask) )
            a = b = 0;
        if ( s->count_info[i] != table[i].count_info || a != b ||
             s->linear[i] != table[i].linear_pt_count )
            fail_msg("frame %#lx: count %#lx/%#lx type %#lx/%#lx lin %d/%d", i,
                     s->count_info[i], table[i].count_info, s->type_info[i],
                     table[i].type_info, s->linear[i],
                     table[i].linear_pt_count);
    }
}

static struct snap *snap_new(void)
{
    struct snap *s = malloc(sizeof(*s));

    assert_non_null(s);
    take(s);
    return s;
}

/* ---- a real 4-level tree ---------------------------------------------- */

/*
 * l4[0] -> l3[0] -> l2[0] -> l1[0], l1[1]; l4[1] -> l3[1] -> l2[1] ->
 * l1[2], l1[3]; each l1[j]: entry 0 maps data[2j] RW, entry 1 data[2j+1]
 * RO, entry 2 data[2j+1] RO again (user).
 */
struct tree
{
    unsigned long l4, l3[2], l2[2], l1[4], data[8];
};

static void build(struct tree *t, domid_t d)
{
    unsigned int i;

    t->l4 = new_frame(d);
    for ( i = 0; i < 2; i++ )
    {
        t->l3[i] = new_frame(d);
        t->l2[i] = new_frame(d);
        T(t->l4)[i] = pte(t->l3[i], UPPER);
        T(t->l3[i])[0] = pte(t->l2[i], UPPER);
    }
    for ( i = 0; i < 4; i++ )
    {
        t->l1[i] = new_frame(d);
        T(t->l2[i / 2])[i % 2] = pte(t->l1[i], UPPER);
        t->data[2 * i] = new_frame(d);
        t->data[2 * i + 1] = new_frame(d);
        T(t->l1[i])[0] = pte(t->data[2 * i], KRW);
        T(t->l1[i])[1] = pte(t->data[2 * i + 1], KRO);
        T(t->l1[i])[2] = pte(t->data[2 * i + 1], PT_PRESENT | PT_USER);
    }
}

static void check_tree_validated(const struct tree *t)
{
    unsigned int i;

    assert_int_equal(ttype(t->l4), PGT_l4_page_table);
    assert_true(validated(t->l4));
    for ( i = 0; i < 2; i++ )
    {
        assert_int_equal(table[t->l3[i]].type_info,
                         PGT_l3_page_table | PGT_validated | 1);
        assert_int_equal(table[t->l2[i]].type_info,
                         PGT_l2_page_table | PGT_validated | 1);
        assert_int_equal(cnt(t->l3[i]), 2);
    }
    for ( i = 0; i < 4; i++ )
    {
        assert_int_equal(table[t->l1[i]].type_info,
                         PGT_l1_page_table | PGT_validated | 1);
        assert_int_equal(table[t->data[2 * i]].type_info,
                         PGT_writable_page | PGT_validated | 1);
        assert_int_equal(cnt(t->data[2 * i]), 2);
        assert_int_equal(tcnt(t->data[2 * i + 1]), 0);
        assert_int_equal(cnt(t->data[2 * i + 1]), 3);
        /* Kernel entries get US and bit 52, user entries G (§7.2). */
        assert_int_equal(T(t->l1[i])[1], pte(t->data[2 * i + 1],
                                             KRO | PT_USER | PT_GUEST_KERNEL));
        assert_int_equal(T(t->l1[i])[2], pte(t->data[2 * i + 1],
                                             PT_PRESENT | PT_USER | PT_GLOBAL));
    }
    assert_int_equal(T(t->l4)[0], pte(t->l3[0], UPPER | PT_ACCESSED));
    for ( i = PT_HV_SLOT_FIRST; i <= PT_HV_SLOT_LAST; i++ )
        assert_int_equal(T(t->l4)[i], SHIM_HV_L4E(i));
}

/* ---- general references ------------------------------------------------ */

static void test_general_refs(void **state)
{
    unsigned long a = new_frame(DOM), b = new_frame(DOM2);
    struct page_info *heap = alloc_pages(0, ~0UL), *pa = mfn_to_page(a);
    unsigned int frees = shim_frees;

    (void)state;
    assert_int_equal(table[a].count_info, PGC_ram | PGC_allocated | 1);
    assert_true(get_page(pa, DOM));
    assert_int_equal(cnt(a), 2);
    assert_false(get_page(pa, DOM2)); /* another owner */
    assert_int_equal(cnt(a), 2);
    assert_false(get_page(mfn_to_page(b), DOM));
    assert_false(get_page(heap, DOM));       /* hypervisor's, no refs */
    assert_false(get_page(heap, DOMID_XEN)); /* not allocated to anyone */
    assert_null(get_page_from_mfn(NR_FRAMES, DOM)); /* beyond the table */
    /* A free frame and a reserved, non-RAM frame. */
    free_pages(heap, 0);
    assert_false(get_page(heap, DOMID_XEN));
    table[b].count_info |= PGC_reserved;
    assert_false(get_page(mfn_to_page(b), DOM2));
    table[b].count_info &= ~(PGC_reserved | PGC_ram);
    assert_false(get_page(mfn_to_page(b), DOM2));
    table[b].count_info |= PGC_ram;
    /* Overflow. */
    table[a].count_info += PGC_count_mask - 2;
    assert_int_equal(cnt(a), PGC_count_mask);
    assert_false(get_page(pa, DOM));
    table[a].count_info -= PGC_count_mask - 2;
    /* The owner gives it up: freed when the last reference goes. */
    assert_true(page_release_allocated(pa));
    assert_false(page_release_allocated(pa));
    assert_int_equal(shim_frees, frees);
    assert_true(table[a].owner == DOM);
    put_page(pa);
    assert_int_equal(shim_frees, frees + 1);
    assert_true(table[a].count_info & PGC_free);
    assert_false(get_page(pa, DOM));
}

/* xmalloc's tag decodes to no valid type. */
static void test_type_layout(void **state)
{
    (void)state;
    assert_false((0x584dUL << 48 & PGT_type_mask) == PGT_l1_page_table);
    assert_int_equal((0x584dUL << 48) >> PGT_type_shift, 5);
    assert_int_equal(sizeof(struct page_info), 40);
}

/* ---- type transitions ------------------------------------------------- */

static void test_type_transitions(void **state)
{
    unsigned long a = new_frame(DOM);
    struct page_info *pg = mfn_to_page(a);
    struct snap *s;

    (void)state;
    assert_true(get_page(pg, DOM));
    s = snap_new();
    /* none -> writable: no flush (nothing cached a typed use). */
    assert_int_equal(get_page_type(pg, PGT_writable_page, &ctx), 0);
    assert_int_equal(get_page_type(pg, PGT_writable_page, &ctx), 0);
    assert_int_equal(table[a].type_info, PGT_writable_page | PGT_validated | 2);
    assert_int_equal(shim_flushes, 0);
    /* Another type while writable uses exist: refused. */
    assert_int_equal(get_page_type(pg, PGT_l1_page_table, &ctx), -EINVAL);
    assert_int_equal(get_page_type(pg, PGT_seg_desc_page, &ctx), -EINVAL);
    assert_int_equal(get_page_type(pg, PGT_l4_page_table, &ctx), -EINVAL);
    assert_int_equal(put_page_type(pg, &ctx), 0);
    assert_int_equal(put_page_type(pg, &ctx), 0);
    assert_int_equal(shim_flushes, 0); /* lazily: at the type change */
    /* writable -> L1: flush, validate. */
    assert_int_equal(get_page_type(pg, PGT_l1_page_table, &ctx), 0);
    assert_int_equal(shim_flushes, 1);
    assert_int_equal(shim_flush_last, a);
    assert_int_equal(table[a].type_info, PGT_l1_page_table | PGT_validated | 1);
    assert_int_equal(get_page_type(pg, PGT_writable_page, &ctx), -EINVAL);
    assert_int_equal(get_page_type(pg, PGT_l2_page_table, &ctx), -EINVAL);
    assert_int_equal(put_page_type(pg, &ctx), 0);
    /* L1 -> L2 -> L3 -> L4 -> seg_desc -> writable, each with a flush. */
    assert_int_equal(get_page_type(pg, PGT_l2_page_table, &ctx), 0);
    assert_int_equal(put_page_type(pg, &ctx), 0);
    assert_int_equal(get_page_type(pg, PGT_l3_page_table, &ctx), 0);
    assert_int_equal(put_page_type(pg, &ctx), 0);
    assert_int_equal(get_page_type(pg, PGT_l4_page_table, &ctx), 0);
    assert_int_equal(put_page_type(pg, &ctx), 0);
    memset(T(a), 0, PAGE_SIZE); /* the hypervisor slots are no descriptors */
    assert_int_equal(get_page_type(pg, PGT_seg_desc_page, &ctx), 0);
    assert_int_equal(get_page_type(pg, PGT_seg_desc_page, &ctx), 0);
    assert_int_equal(table[a].type_info, PGT_seg_desc_page | PGT_validated | 2);
    assert_int_equal(put_page_type(pg, &ctx), 0);
    assert_int_equal(put_page_type(pg, &ctx), 0);
    assert_int_equal(shim_flushes, 5);
    /* Same type again after the count went to 0: no flush. */
    assert_int_equal(get_page_type(pg, PGT_seg_desc_page, &ctx), 0);
    assert_int_equal(put_page_type(pg, &ctx), 0);
    assert_int_equal(shim_flushes, 5);
    /* Not a type; the internal value 5 (xmalloc's tag) neither. */
    assert_int_equal(get_page_type(pg, PGT_none, &ctx), -EINVAL);
    assert_int_equal(get_page_type(pg, 5UL << PGT_type_shift, &ctx), -EINVAL);
    /* A descriptor page with a bad descriptor (a present DPL0 TSS). */
    T(a)[7] = 0x00008b0000000000UL | 0xffff;
    assert_int_equal(get_page_type(pg, PGT_seg_desc_page, &ctx), -EINVAL);
    assert_int_equal(tcnt(a), 0);
    /* Type count overflow. */
    table[a].type_info = PGT_writable_page | PGT_validated | PGT_count_mask;
    assert_int_equal(get_page_type(pg, PGT_writable_page, &ctx), -EINVAL);
    table[a].type_info = PGT_writable_page;
    same(s);
    put_page(pg);
    free(s);
}

/* ---- L1 rules --------------------------------------------------------- */

/* Pin an L1 whose entry 5 is e; returns the pin's result, unpinned. */
static int try_l1(uint64_t e)
{
    unsigned long l1 = new_frame(DOM);
    struct snap *s = snap_new();
    int rc;

    T(l1)[5] = e;
    rc = pt_pin(l1, 1, &ctx);
    if ( rc == 0 )
        assert_int_equal(pt_unpin(l1, &ctx), 0);
    else
        same(s); /* a refusal changes nothing */
    free(s);
    return rc;
}

static void test_l1_refusals(void **state)
{
    unsigned long data = new_frame(DOM), other = new_frame(DOM2);
    unsigned long l1 = new_frame(DOM), heap = page_to_mfn(alloc_pages(0, ~0UL));
    unsigned long resv = new_frame(DOM);

    (void)state;
    assert_int_equal(try_l1(pte(data, KRW)), 0);
    assert_int_equal(try_l1(pte(data, KRO | PT_GLOBAL)), 0); /* G fine in L1 */
    assert_int_equal(try_l1(pte(data, KRO | PT_DIRTY | PT_ACCESSED | PT_AVAIL |
                                          (0x3ffUL << 53))),
                     0);
    /* Not present: anything goes. */
    assert_int_equal(try_l1(pte(NR_FRAMES + 5, PT_PSE | PT_PCD)), 0);
    /* Another domain's frame, the hypervisor's, beyond the table. */
    assert_int_equal(try_l1(pte(other, KRO)), -EBUSY);
    assert_int_equal(try_l1(pte(heap, KRO)), -EBUSY);
    assert_int_equal(try_l1(pte(NR_FRAMES, KRO)), -EPERM);
    assert_int_equal(try_l1(pte(1UL << 30, KRO)), -EPERM);
    table[resv].count_info &= ~PGC_ram; /* a hole: I/O space */
    assert_int_equal(try_l1(pte(resv, KRO)), -EPERM);
    table[resv].count_info |= PGC_ram;
    /* Cache attributes only with I/O capabilities. */
    assert_int_equal(try_l1(pte(data, KRO | PT_PCD)), -EINVAL);
    assert_int_equal(try_l1(pte(data, KRO | PT_PWT)), -EINVAL);
    assert_int_equal(try_l1(pte(data, KRO | PT_PAT)), -EINVAL);
    ctx.io_caps = true;
    assert_int_equal(try_l1(pte(data, KRO | PT_PCD | PT_PWT | PT_PAT)), 0);
    ctx.io_caps = false;
    /* NX only when the CPU has it. */
    assert_int_equal(try_l1(pte(data, KRO | PT_NX)), 0);
    shim_has_nx = false;
    assert_int_equal(try_l1(pte(data, KRO | PT_NX)), -EINVAL);
    shim_has_nx = true;
    /* Writable mapping of an L1 in use (and of itself). */
    assert_int_equal(pt_pin(l1, 1, &ctx), 0);
    assert_int_equal(try_l1(pte(l1, KRW)), -EBUSY);
    assert_int_equal(try_l1(pte(l1, KRO)), 0);
    assert_int_equal(pt_unpin(l1, &ctx), 0);
    T(l1)[9] = pte(l1, KRW);
    assert_int_equal(pt_pin(l1, 1, &ctx), -EBUSY);
    T(l1)[9] = pte(l1, KRO);
    assert_int_equal(pt_pin(l1, 1, &ctx), 0);
    assert_int_equal(cnt(l1), 3); /* owner, pin, its own RO entry */
    assert_int_equal(pt_unpin(l1, &ctx), 0);
    free_pages(mfn_to_page(heap), 0);
}

/* A frame mapped writable cannot become a table, and the other way. */
static void test_used_and_writable(void **state)
{
    unsigned long x = new_frame(DOM), l1 = new_frame(DOM), l2 = new_frame(DOM);

    (void)state;
    T(l1)[0] = pte(x, KRW);
    assert_int_equal(pt_pin(l1, 1, &ctx), 0);
    assert_int_equal(pt_pin(x, 1, &ctx), -EINVAL);
    T(l2)[0] = pte(x, UPPER);
    assert_int_equal(pt_pin(l2, 2, &ctx), -EINVAL);
    assert_int_equal(tcnt(x), 1);
    assert_int_equal(pt_update_entry(pte(l1, 0), 0, false, &ctx), 0);
    /* Now x is a table: no writable mapping of it any more. */
    assert_int_equal(pt_pin(l2, 2, &ctx), 0);
    assert_int_equal(pt_update_entry(pte(l1, 8), pte(x, KRW), false, &ctx),
                     -EBUSY);
    assert_int_equal(pt_update_entry(pte(l1, 8), pte(x, KRO), false, &ctx), 0);
    assert_int_equal(pt_unpin(l2, &ctx), 0);
    assert_int_equal(pt_unpin(l1, &ctx), 0);
}

/* ---- L2-L4 rules ------------------------------------------------------ */

static void test_upper_refusals(void **state)
{
    unsigned long l1 = new_frame(DOM), l2 = new_frame(DOM), l3 = new_frame(DOM);
    unsigned long l4 = new_frame(DOM), other = new_frame(DOM2);
    struct snap *s = snap_new();

    (void)state;
    /* Superpages. */
    T(l2)[3] = pte(l1, UPPER | PT_PSE);
    assert_int_equal(pt_pin(l2, 2, &ctx), -EINVAL);
    T(l3)[3] = pte(l2, UPPER | PT_PSE);
    assert_int_equal(pt_pin(l3, 3, &ctx), -EINVAL);
    /* G, PWT, PCD at L2-L4; NX without CPU support. */
    T(l2)[3] = pte(l1, UPPER | PT_GLOBAL);
    assert_int_equal(pt_pin(l2, 2, &ctx), -EINVAL);
    T(l2)[3] = pte(l1, UPPER | PT_PCD);
    assert_int_equal(pt_pin(l2, 2, &ctx), -EINVAL);
    T(l4)[3] = pte(l3, UPPER | PT_PWT);
    assert_int_equal(pt_pin(l4, 4, &ctx), -EINVAL);
    shim_has_nx = false;
    T(l4)[3] = pte(l3, UPPER | PT_NX);
    assert_int_equal(pt_pin(l4, 4, &ctx), -EINVAL);
    shim_has_nx = true;
    /* Another domain's table, the wrong level, beyond the table. */
    T(l2)[3] = pte(other, UPPER);
    assert_int_equal(pt_pin(l2, 2, &ctx), -EINVAL);
    T(l2)[3] = pte(NR_FRAMES + 1, UPPER);
    assert_int_equal(pt_pin(l2, 2, &ctx), -EINVAL);
    T(l2)[3] = pte(l1, UPPER);
    assert_int_equal(pt_pin(l1, 1, &ctx), 0);
    T(l3)[3] = pte(l1, UPPER); /* an L1 where an L2 belongs */
    assert_int_equal(pt_pin(l3, 3, &ctx), -EINVAL);
    assert_int_equal(pt_unpin(l1, &ctx), 0);
    same(s);
    /* Pin: not a frame of the owner, bad level, already pinned. */
    assert_int_equal(pt_pin(other, 1, &ctx), -EINVAL);
    assert_int_equal(pt_pin(NR_FRAMES, 1, &ctx), -EINVAL);
    assert_int_equal(pt_pin(l1, 5, &ctx), -EINVAL);
    assert_int_equal(pt_pin(l1, 0, &ctx), -EINVAL);
    assert_int_equal(pt_unpin(l1, &ctx), -EINVAL);
    assert_int_equal(pt_unpin(other, &ctx), -EINVAL);
    assert_int_equal(pt_pin(l2, 2, &ctx), 0);
    assert_int_equal(pt_pin(l2, 2, &ctx), -EINVAL);
    assert_int_equal(pt_pin(l2, 1, &ctx), -EINVAL);
    assert_int_equal(tcnt(l2), 1);
    assert_int_equal(pt_unpin(l2, &ctx), 0);
    same(s);
    free(s);
}

/* ---- trees ---------------------------------------------------------- */

static void test_tree_pin_unpin(void **state)
{
    struct tree t;
    struct snap *s;

    (void)state;
    build(&t, DOM);
    s = snap_new();
    /* Junk in the hypervisor slots is never looked at, then replaced. */
    T(t.l4)[PT_HV_SLOT_FIRST] = pte(NR_FRAMES + 7, KRW | PT_PSE);
    T(t.l4)[PT_HV_SLOT_LAST] = pte(t.data[0], KRW);
    assert_int_equal(pt_pin(t.l4, 4, &ctx), 0);
    check_tree_validated(&t);
    assert_int_equal(table[t.l4].type_info,
                     PGT_l4_page_table | PGT_validated | PGT_pinned | 1);
    assert_int_equal(cnt(t.l4), 2);
    assert_int_equal(shim_l4_fills, 1);
    assert_int_equal(pt_unpin(t.l4, &ctx), 0);
    same(s);
    /* Devalidated: the frames are ordinary again. */
    assert_int_equal(pt_update_entry(pte(t.l1[0], 0), 42, false, &ctx), 0);
    assert_int_equal(T(t.l1[0])[0], 42);
    free(s);
}

/* Unpinning a table still referenced keeps it valid; the last use drops it. */
static void test_unpin_in_use(void **state)
{
    struct tree t;
    struct page_info *base;

    (void)state;
    build(&t, DOM);
    assert_int_equal(pt_pin(t.l1[0], 1, &ctx), 0);
    assert_int_equal(pt_pin(t.l2[0], 2, &ctx), 0);
    assert_int_equal(pt_get_baseptr(t.l4, &ctx, &base), 0);
    assert_int_equal(tcnt(t.l1[0]), 2);
    assert_int_equal(tcnt(t.l2[0]), 2);
    assert_int_equal(pt_unpin(t.l1[0], &ctx), 0);
    assert_int_equal(pt_unpin(t.l2[0], &ctx), 0);
    check_tree_validated(&t);
    assert_int_equal(pt_pin(t.l2[0], 1, &ctx), -EINVAL); /* wrong level */
    assert_int_equal(pt_put_baseptr(base, &ctx), 0);
    assert_int_equal(tcnt(t.l1[0]), 0);
    assert_false(validated(t.l2[0]));
    assert_int_equal(cnt(t.data[0]), 1);
    /* Base pointers: only an L4. */
    assert_int_equal(pt_pin(t.l3[0], 3, &ctx), 0);
    assert_int_equal(pt_get_baseptr(t.l3[0], &ctx, &base), -EINVAL);
    assert_int_equal(pt_get_baseptr(NR_FRAMES, &ctx, &base), -EINVAL);
    assert_int_equal(pt_unpin(t.l3[0], &ctx), 0);
}

/* Failures deep in a tree unwind to exactly the previous counts. */
static void test_failure_unwinds(void **state)
{
    struct tree t;
    unsigned long other = new_frame(DOM2);
    struct snap *s;

    (void)state;
    build(&t, DOM);
    assert_int_equal(pt_pin(t.l1[1], 1, &ctx), 0); /* shared state */
    s = snap_new();
    /* The last L1 of the walk maps another domain's frame. */
    T(t.l1[3])[300] = pte(other, KRO);
    assert_int_equal(pt_pin(t.l4, 4, &ctx), -EBUSY);
    assert_null(ctx.deferred);
    same(s);
    /* The same through a bad L3 entry after a whole subtree. */
    T(t.l1[3])[300] = 0;
    T(t.l3[1])[400] = pte(t.l2[0], UPPER | PT_PSE);
    assert_int_equal(pt_pin(t.l4, 4, &ctx), -EINVAL);
    same(s);
    T(t.l3[1])[400] = 0;
    assert_int_equal(pt_pin(t.l4, 4, &ctx), 0);
    assert_int_equal(pt_unpin(t.l4, &ctx), 0);
    assert_int_equal(pt_unpin(t.l1[1], &ctx), 0);
    free(s);
}

/* ---- linear page tables ------------------------------------------------ */

static void test_linear(void **state)
{
    struct tree t, u;
    unsigned long c4 = new_frame(DOM);
    struct snap *s;

    (void)state;
    build(&t, DOM);
    build(&u, DOM);
    /* A self map must be read-only, and takes no reference. */
    T(t.l4)[300] = pte(t.l4, UPPER);
    assert_int_equal(pt_pin(t.l4, 4, &ctx), -EINVAL);
    T(t.l4)[300] = pte(t.l4, PT_PRESENT | PT_USER);
    assert_int_equal(pt_pin(t.l4, 4, &ctx), 0);
    assert_int_equal(tcnt(t.l4), 1);
    assert_int_equal(cnt(t.l4), 2);
    assert_int_equal(pt_pin(u.l4, 4, &ctx), 0);
    s = snap_new();
    /* A linear entry to another validated L4: read-only only. */
    assert_int_equal(
        pt_update_entry(EA(t.l4, 301), pte(u.l4, UPPER), false, &ctx), -EINVAL);
    same(s);
    assert_int_equal(
        pt_update_entry(EA(t.l4, 301), pte(u.l4, KRO), false, &ctx), 0);
    assert_int_equal(tcnt(u.l4), 2);
    assert_int_equal(table[t.l4].linear_pt_count, 1);
    assert_int_equal(table[u.l4].linear_pt_count, -1);
    /* One level only: u (a target) may not hold linear entries... */
    assert_int_equal(
        pt_update_entry(EA(u.l4, 301), pte(t.l4, KRO), false, &ctx), -EINVAL);
    /* ...and t (which holds one) may not be a target. */
    T(c4)[0] = pte(t.l4, KRO);
    assert_int_equal(pt_pin(c4, 4, &ctx), -EINVAL);
    /* To a table that is no validated L4: a normal entry (c4: an L3). */
    T(c4)[0] = 0;
    assert_int_equal(pt_update_entry(EA(t.l4, 302), pte(c4, KRO), false, &ctx),
                     0);
    assert_int_equal(ttype(c4), PGT_l3_page_table);
    assert_int_equal(pt_update_entry(EA(t.l4, 302), 0, false, &ctx), 0);
    /* Linear L3 and L2 entries work the same way. */
    assert_int_equal(
        pt_update_entry(EA(t.l3[0], 5), pte(u.l3[0], KRO), false, &ctx), 0);
    assert_int_equal(
        pt_update_entry(EA(t.l2[0], 5), pte(u.l2[0], KRO), false, &ctx), 0);
    assert_int_equal(
        pt_update_entry(EA(t.l2[0], 6), pte(u.l2[0], KRW), false, &ctx),
        -EINVAL);
    assert_int_equal(tcnt(u.l2[0]), 2);
    /* Dropping the linear entries restores every count. */
    assert_int_equal(pt_update_entry(EA(t.l4, 301), 0, false, &ctx), 0);
    assert_int_equal(pt_update_entry(EA(t.l3[0], 5), 0, true, &ctx), 0);
    assert_int_equal(pt_update_entry(EA(t.l2[0], 5), 0, false, &ctx), 0);
    same(s);
    /* Unpinning with linear entries in place drops them too. */
    assert_int_equal(
        pt_update_entry(EA(t.l4, 301), pte(u.l4, KRO), false, &ctx), 0);
    assert_int_equal(pt_unpin(t.l4, &ctx), 0);
    assert_int_equal(table[u.l4].linear_pt_count, 0);
    assert_int_equal(tcnt(u.l4), 1);
    assert_int_equal(pt_unpin(u.l4, &ctx), 0);
    free(s);
}

/* ---- preemption ------------------------------------------------------- */

static void preemptible(void)
{
    ctx.preempt = stop_pred;
    stop_calls = 0;
}

static unsigned int deferred_seen; /* failures that left unwinding */

/* Pin with a stop after n checks per attempt; returns the attempts. */
static unsigned int pin_with_stops(unsigned long mfn, unsigned int n,
                                   int expect)
{
    unsigned int tries = 0;
    int rc;

    stop_after = n;
    preemptible();
    do
    {
        stop_calls = 0;
        rc = pt_pin(mfn, 4, &ctx);
        tries++;
        assert_true(tries < 10000);
    } while ( rc == -ERESTART );
    assert_int_equal(rc, expect);
    if ( ctx.deferred )
        deferred_seen++;
    finish(&ctx); /* the rest of a failure's unwinding */
    ctx.preempt = NULL;
    return tries;
}

static void unpin_with_stops(unsigned long mfn, unsigned int n)
{
    int rc;

    stop_after = n;
    preemptible();
    rc = pt_unpin(mfn, &ctx);
    if ( rc == -ERESTART )
    {
        assert_ptr_not_equal(ctx.deferred, NULL);
        do
            stop_calls = 0;
        while ( pt_finish_deferred(ctx.deferred, &ctx) == -ERESTART );
    }
    else
        assert_int_equal(rc, 0);
    assert_null(ctx.deferred);
    ctx.preempt = NULL;
}

/* A wider tree: more entries at every level. */
static void build_wide(struct tree *t)
{
    unsigned int i;

    build(t, DOM);
    for ( i = 0; i < 2; i++ )
    {
        T(t->l4)[10 + i] = pte(t->l3[i], UPPER); /* shared subtrees */
        T(t->l3[i])[7] = pte(t->l2[1 - i], UPPER);
        T(t->l2[i])[100] = pte(t->l1[3 - i], UPPER);
    }
}

static void test_preempt_pin_unpin(void **state)
{
    struct tree t;
    struct snap *before, *after;
    unsigned int n, tries, max_tries = 0;

    (void)state;
    build_wide(&t);
    before = snap_new();
    assert_int_equal(pt_pin(t.l4, 4, &ctx), 0);
    after = snap_new();
    assert_int_equal(pt_unpin(t.l4, &ctx), 0);
    same(before);
    for ( n = 0; n < 40; n++ )
    {
        tries = pin_with_stops(t.l4, n, 0);
        max_tries = MAX(max_tries, tries);
        same(after);
        assert_true(validated(t.l4) && validated(t.l1[3]));
        unpin_with_stops(t.l4, n);
        same(before);
    }
    assert_true(max_tries > 5); /* it really was preempted */
    free(before);
    free(after);
}

static void test_preempt_failure(void **state)
{
    struct tree t;
    unsigned long other = new_frame(DOM2);
    struct snap *before;
    unsigned int n;

    (void)state;
    build_wide(&t);
    assert_int_equal(pt_pin(t.l2[1], 2, &ctx), 0);
    before = snap_new();
    T(t.l1[1])[511] = pte(other, KRO); /* an L1 mid-walk is bad */
    for ( n = 0; n < 40; n++ )
    {
        pin_with_stops(t.l4, n, -EBUSY);
        same(before);
    }
    /* A bad entry at the very end of the L4 itself. */
    T(t.l1[1])[511] = 0;
    T(t.l4)[511] = pte(t.l3[0], UPPER | PT_PSE);
    for ( n = 0; n < 40; n++ )
    {
        pin_with_stops(t.l4, n, -EINVAL);
        same(before);
    }
    T(t.l4)[511] = 0;
    assert_true(deferred_seen > 10); /* unwinding was preempted too */
    assert_int_equal(pt_unpin(t.l2[1], &ctx), 0);
    free(before);
}

/*
 * An abandoned continuation leaves a partial page: others may take it
 * over, it stays safe meanwhile, and destruction cleans it up.
 */
static void test_partial_pages(void **state)
{
    struct tree t;
    struct snap *before;

    (void)state;
    build_wide(&t);
    before = snap_new();
    stop_after = 2;
    preemptible();
    assert_int_equal(pt_pin(t.l4, 4, &ctx), -ERESTART);
    ctx.preempt = NULL;
    assert_true(table[t.l4].type_info & PGT_partial);
    assert_int_equal(tcnt(t.l4), 1);
    /* Partial: not writable, not updatable, not another type. */
    assert_int_equal(pt_update_entry(pte(t.l4, 0), 0, false, &ctx), -EINVAL);
    assert_int_equal(pt_pin(t.l4, 3, &ctx), -EINVAL);
    assert_int_equal(pt_unpin(t.l4, &ctx), -EINVAL);
    /* A base pointer takes it over and completes it. */
    {
        struct page_info *base;

        assert_int_equal(pt_get_baseptr(t.l4, &ctx, &base), 0);
        assert_true(validated(t.l4) && validated(t.l1[3]));
        assert_int_equal(table[t.l4].type_info & ~PGT_count_mask,
                         PGT_l4_page_table | PGT_validated);
        assert_int_equal(pt_put_baseptr(base, &ctx), 0);
    }
    same(before);
    /* Abandoned again: destruction (teardown) must clean it. */
    stop_after = 3;
    preemptible();
    assert_int_equal(pt_pin(t.l4, 4, &ctx), -ERESTART);
    ctx.preempt = NULL;
    free(before);
}

/* Replacing an entry whose old subtree takes preemptible work. */
static void test_preempt_update(void **state)
{
    struct tree t, u;
    struct snap *before;
    unsigned int n;
    int rc;

    (void)state;
    build_wide(&t);
    build(&u, DOM);
    assert_int_equal(pt_pin(t.l4, 4, &ctx), 0);
    before = snap_new();
    for ( n = 0; n < 12; n++ )
    {
        /* New L3 subtree in slot 20: validation preempted, retried. */
        stop_after = n;
        preemptible();
        do
        {
            stop_calls = 0;
            rc =
                pt_update_entry(EA(t.l4, 20), pte(u.l3[0], UPPER), false, &ctx);
        } while ( rc == -ERESTART );
        assert_int_equal(rc, 0);
        assert_true(validated(u.l3[0]));
        /* Removing it: the update is done, its devalidation deferred. */
        stop_calls = 0;
        assert_int_equal(pt_update_entry(EA(t.l4, 20), 0, false, &ctx), 0);
        assert_int_equal(T(t.l4)[20], 0);
        while ( ctx.deferred )
        {
            stop_calls = 0;
            pt_finish_deferred(ctx.deferred, &ctx);
        }
        ctx.preempt = NULL;
        same(before);
    }
    assert_int_equal(pt_unpin(t.l4, &ctx), 0);
    free(before);
}

/* ---- entry updates ---------------------------------------------------- */

static void test_update_l1(void **state)
{
    struct tree t;
    unsigned long d = new_frame(DOM), e = new_frame(DOM), l1;
    paddr_t ma;
    struct snap *s;

    (void)state;
    build(&t, DOM);
    assert_int_equal(pt_pin(t.l4, 4, &ctx), 0);
    s = snap_new();
    l1 = t.l1[0];
    ma = pte(l1, 0) + 8 * 40;
    /* Map d read-write: a general and a writable type reference. */
    assert_int_equal(pt_update_entry(ma, pte(d, KRW), false, &ctx), 0);
    assert_int_equal(T(l1)[40], pte(d, KRW | PT_USER | PT_GUEST_KERNEL));
    assert_int_equal(cnt(d), 2);
    assert_int_equal(table[d].type_info, PGT_writable_page | PGT_validated | 1);
    /* Fast path: A, D, NX, AVAIL, G change no count. */
    assert_int_equal(pt_update_entry(ma,
                                     pte(d, KRW | PT_ACCESSED | PT_DIRTY |
                                                PT_NX | PT_AVAIL | (1UL << 60)),
                                     false, &ctx),
                     0);
    assert_int_equal(cnt(d), 2);
    assert_int_equal(tcnt(d), 1);
    /* RW -> RO drops the writable type, keeps the mapping. */
    assert_int_equal(pt_update_entry(ma, pte(d, KRO), false, &ctx), 0);
    assert_int_equal(cnt(d), 2);
    assert_int_equal(tcnt(d), 0);
    /* Another frame: references move. */
    assert_int_equal(pt_update_entry(ma | 7, pte(e, KRW), false, &ctx), 0);
    assert_int_equal(cnt(d), 1);
    assert_int_equal(cnt(e), 2);
    /* A refused entry leaves the old one and its references alone. */
    assert_int_equal(pt_update_entry(ma, pte(e, KRW | PT_PCD), false, &ctx),
                     -EINVAL);
    assert_int_equal(pt_update_entry(ma, pte(t.l1[1], KRW), false, &ctx),
                     -EBUSY);
    assert_int_equal(pt_update_entry(ma, pte(NR_FRAMES, KRO), false, &ctx),
                     -EPERM);
    assert_int_equal(T(l1)[40] & PT_ADDR_MASK, pte(e, 0));
    assert_int_equal(cnt(e), 2);
    /* Not present: any contents, references dropped. */
    assert_int_equal(
        pt_update_entry(ma, pte(NR_FRAMES, KRW) & ~PT_PRESENT, false, &ctx), 0);
    assert_int_equal(cnt(e), 1);
    assert_int_equal(tcnt(e), 0);
    assert_int_equal(pt_update_entry(ma, 0, false, &ctx), 0);
    same(s);
    /* Through a frame of another owner, or beyond the table: -EINVAL. */
    ctx.owner = DOM2;
    assert_int_equal(pt_update_entry(ma, 0, false, &ctx), -EINVAL);
    ctx.owner = DOM;
    assert_int_equal(pt_update_entry(pte(NR_FRAMES, 0), 0, false, &ctx),
                     -EINVAL);
    assert_int_equal(pt_unpin(t.l4, &ctx), 0);
    free(s);
}

static void test_preserve_ad(void **state)
{
    unsigned long l1 = new_frame(DOM), d = new_frame(DOM);
    uint64_t *p = &T(l1)[3];

    (void)state;
    assert_int_equal(pt_pin(l1, 1, &ctx), 0);
    assert_int_equal(
        pt_update_entry(pte(l1, 24), pte(d, KRO | PT_USER), true, &ctx), 0);
    *p |= PT_ACCESSED | PT_DIRTY; /* the hardware walks and writes */
    assert_int_equal(
        pt_update_entry(pte(l1, 24), pte(d, KRW | PT_USER), true, &ctx), 0);
    assert_int_equal(
        *p, pte(d, KRW | PT_USER | PT_GLOBAL | PT_ACCESSED | PT_DIRTY));
    assert_int_equal(tcnt(d), 1);
    /* Fast path too. */
    assert_int_equal(
        pt_update_entry(pte(l1, 24), pte(d, KRW | PT_USER | PT_NX), true, &ctx),
        0);
    assert_int_equal(*p & (PT_ACCESSED | PT_DIRTY | PT_NX),
                     PT_ACCESSED | PT_DIRTY | PT_NX);
    /* Without PRESERVE_AD the hardware's bits go. */
    assert_int_equal(
        pt_update_entry(pte(l1, 24), pte(d, KRO | PT_USER), false, &ctx), 0);
    assert_int_equal(*p, pte(d, KRO | PT_USER | PT_GLOBAL));
    assert_int_equal(tcnt(d), 0);
    /* Non-present with PRESERVE_AD keeps A/D as Xen's formula says. */
    *p |= PT_ACCESSED;
    assert_int_equal(pt_update_entry(pte(l1, 24), 0, true, &ctx), 0);
    assert_int_equal(*p, PT_ACCESSED);
    assert_int_equal(cnt(d), 1);
    assert_int_equal(pt_unpin(l1, &ctx), 0);
}

static void test_update_upper(void **state)
{
    unsigned long f = new_frame(DOM);
    struct tree t, u;
    struct snap *s;

    (void)state;
    build(&t, DOM);
    build(&u, DOM);
    assert_int_equal(pt_pin(t.l4, 4, &ctx), 0);
    s = snap_new();
    /* New tables are validated on the way in, old ones dropped after. */
    assert_int_equal(pt_update_entry(pte(t.l2[0], 0) + 8 * 9,
                                     pte(u.l1[0], UPPER), false, &ctx),
                     0);
    assert_true(validated(u.l1[0]));
    assert_int_equal(T(t.l2[0])[9], pte(u.l1[0], UPPER));
    assert_int_equal(pt_update_entry(pte(t.l3[0], 0) + 8 * 9,
                                     pte(u.l2[1], UPPER), false, &ctx),
                     0);
    assert_int_equal(
        pt_update_entry(pte(t.l4, 0) + 8 * 9, pte(u.l3[0], UPPER), false, &ctx),
        0);
    assert_int_equal(T(t.l4)[9], pte(u.l3[0], UPPER | PT_ACCESSED));
    /* Replace l4[0] (t.l3[0]'s whole subtree goes). */
    assert_int_equal(
        pt_update_entry(pte(t.l4, 0), pte(u.l3[1], UPPER), false, &ctx), 0);
    assert_int_equal(tcnt(t.l3[0]), 0);
    assert_int_equal(tcnt(t.l1[1]), 0);
    assert_int_equal(tcnt(t.data[0]), 0);
    /* Refusals: superpages, hypervisor slots, a bad subtree. */
    assert_int_equal(pt_update_entry(pte(t.l2[1], 8),
                                     pte(u.l1[1], UPPER | PT_PSE), false, &ctx),
                     -EINVAL);
    assert_int_equal(pt_update_entry(pte(t.l3[1], 8),
                                     pte(u.l2[1], UPPER | PT_PSE), false, &ctx),
                     -EINVAL);
    assert_int_equal(
        pt_update_entry(pte(t.l4, 8 * PT_HV_SLOT_FIRST), 0, false, &ctx),
        -EINVAL);
    assert_int_equal(pt_update_entry(pte(t.l4, 8 * PT_HV_SLOT_LAST),
                                     pte(u.l3[1], UPPER), false, &ctx),
                     -EINVAL);
    assert_int_equal(T(t.l4)[PT_HV_SLOT_LAST], SHIM_HV_L4E(PT_HV_SLOT_LAST));
    assert_int_equal(pt_update_entry(pte(t.l4, 8 * 272), 0, false, &ctx), 0);
    /* A new L1 that maps a table in use writable. */
    T(f)[77] = pte(t.l1[2], KRW);
    assert_int_equal(
        pt_update_entry(EA(t.l2[1], 30), pte(f, UPPER), false, &ctx), -EBUSY);
    assert_int_equal(T(t.l2[1])[30], 0);
    /* Put it all back. */
    assert_int_equal(
        pt_update_entry(pte(t.l4, 0), pte(t.l3[0], UPPER), false, &ctx), 0);
    assert_int_equal(pt_update_entry(pte(t.l4, 8 * 9), 0, false, &ctx), 0);
    assert_int_equal(pt_update_entry(pte(t.l3[0], 8 * 9), 0, false, &ctx), 0);
    assert_int_equal(pt_update_entry(pte(t.l2[0], 8 * 9), 0, false, &ctx), 0);
    same(s);
    assert_int_equal(pt_unpin(t.l4, &ctx), 0);
    free(s);
}

/* mmu_update on a frame that is not a page table writes it as data. */
static void test_update_data(void **state)
{
    unsigned long d = new_frame(DOM), l1 = new_frame(DOM), g = new_frame(DOM);
    struct snap *s = snap_new();

    (void)state;
    assert_int_equal(pt_update_entry(pte(d, 16), 0x1234, false, &ctx), 0);
    assert_int_equal(T(d)[2], 0x1234);
    assert_int_equal(ttype(d), PGT_writable_page);
    same(s);
    /* A table no longer in use is data again (with a flush). */
    assert_int_equal(pt_pin(l1, 1, &ctx), 0);
    assert_int_equal(pt_unpin(l1, &ctx), 0);
    shim_flushes = 0;
    assert_int_equal(pt_update_entry(pte(l1, 0), pte(d, KRW), false, &ctx), 0);
    assert_int_equal(shim_flushes, 1);
    assert_int_equal(cnt(d), 1); /* data: no reference taken */
    /* A descriptor page in use is not. */
    assert_true(get_page(mfn_to_page(g), DOM));
    assert_int_equal(get_page_type(mfn_to_page(g), PGT_seg_desc_page, &ctx), 0);
    assert_int_equal(pt_update_entry(pte(g, 0), 0, false, &ctx), -EINVAL);
    assert_int_equal(put_page_and_type(mfn_to_page(g), &ctx), 0);
    same(s);
    free(s);
}

/* ---- stale TLBs ----------------------------------------------------- */

static void test_stale_tlb_flush(void **state)
{
    unsigned long l1 = new_frame(DOM), x = new_frame(DOM);

    (void)state;
    assert_int_equal(pt_pin(l1, 1, &ctx), 0);
    shim_flushes = 0;
    /* x mapped writable, then not: its writable type drops... */
    assert_int_equal(pt_update_entry(pte(l1, 0), pte(x, KRW), false, &ctx), 0);
    assert_int_equal(pt_update_entry(pte(l1, 0), pte(x, KRO), false, &ctx), 0);
    assert_int_equal(tcnt(x), 0);
    /* ...and before x can be a table, every CPU is flushed. */
    assert_int_equal(pt_pin(x, 1, &ctx), 0);
    assert_int_equal(shim_flushes, 1);
    assert_int_equal(shim_flush_last, x);
    /* No writable mapping while it is one. */
    assert_int_equal(pt_update_entry(pte(l1, 0), pte(x, KRW), false, &ctx),
                     -EBUSY);
    /* A table becoming writable: flushed as well. */
    assert_int_equal(pt_unpin(x, &ctx), 0);
    assert_int_equal(pt_update_entry(pte(l1, 0), pte(x, KRW), false, &ctx), 0);
    assert_int_equal(shim_flushes, 2);
    /* Staying writable needs none. */
    assert_int_equal(pt_update_entry(pte(l1, 8), pte(x, KRW), false, &ctx), 0);
    assert_int_equal(shim_flushes, 2);
    assert_int_equal(pt_unpin(l1, &ctx), 0);
}

/* ---- domain destruction --------------------------------------------- */

static void test_destroy(void **state)
{
    struct tree t, u;
    struct page_info *base;
    unsigned long shared = new_frame(DOM), frees;
    unsigned int n;

    (void)state;
    build_wide(&t);
    build(&u, DOM);
    assert_int_equal(pt_pin(t.l4, 4, &ctx), 0);
    assert_int_equal(pt_pin(t.l1[0], 1, &ctx), 0);
    assert_int_equal(pt_get_baseptr(u.l4, &ctx, &base), 0);
    T(t.l4)[300] = 0;
    assert_int_equal(
        pt_update_entry(pte(t.l4, 8 * 300), pte(u.l4, KRO), false, &ctx), 0);
    /* Another domain holds a general reference (a grant, later). */
    assert_true(get_page(mfn_to_page(shared), DOM));
    assert_int_equal(pt_put_baseptr(base, &ctx), 0);
    /* Destroy with preemption at every step. */
    frees = shim_frees;
    {
        struct pt_ctx c = { .owner = DOM, .preempt = stop_pred };
        unsigned long mfn;

        stop_after = 1;
        for ( mfn = 0; mfn < NR_FRAMES; mfn++ )
            for ( n = 0;; n++ )
            {
                stop_calls = 0;
                if ( pt_relinquish_frame(mfn_to_page(mfn), &c) == 0 )
                    break;
                while ( c.deferred )
                {
                    stop_calls = 0;
                    pt_finish_deferred(c.deferred, &c);
                }
            }
    }
    /* Everything but the shared frame is back. */
    assert_int_equal(page_alloc_free_frames(), start_free - 1);
    assert_true(shim_frees > frees + 20);
    assert_int_equal(cnt(shared), 1);
    put_page(mfn_to_page(shared));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T_(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T_(test_general_refs),      T_(test_type_layout),
        T_(test_type_transitions),  T_(test_l1_refusals),
        T_(test_used_and_writable), T_(test_upper_refusals),
        T_(test_tree_pin_unpin),    T_(test_unpin_in_use),
        T_(test_failure_unwinds),   T_(test_linear),
        T_(test_preempt_pin_unpin), T_(test_preempt_failure),
        T_(test_partial_pages),     T_(test_preempt_update),
        T_(test_update_l1),         T_(test_preserve_ad),
        T_(test_update_upper),      T_(test_update_data),
        T_(test_stale_tlb_flush),   T_(test_destroy),
#undef T_
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
