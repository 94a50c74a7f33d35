/*
 * mm-stress: random page-table trees (a deterministic PRNG picks their
 * shape, what they map and how they are used) built with mmu_update,
 * pinned or not, switched to and checked, switched away from, unpinned and
 * destroyed, for a bounded number of rounds and time; afterwards every
 * frame is back in the free pool, can be mapped writable (no type or
 * reference was left behind), and current_reservation is unchanged
 */
#include <string.h>

#include <public/errno.h>
#include <public/memory.h>
#include <rt/mm.h>
#include <rt/rt.h>
#include <rt/time.h>

#include "../lib/mm.h"
#include "../lib/test.h"

const char test_title[] =
    "mm-stress: random page-table trees created, used and destroyed";

#define ROUNDS    300
#define TIME_CAP  (15 * 1000000000UL) /* ns */
#define DATA      16
#define MAX_FRAMS 128

static uint64_t seed = 0x5eed0fba11c0ffeeUL;
static volatile uint64_t *data[DATA];
static unsigned long data_mfn[DATA];
static unsigned long used_map[XEN_RT_MAX_PAGES / 64];

static unsigned int rnd(unsigned int n)
{
    seed = seed * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned int)((seed >> 33) % n);
}

struct frame
{
    long pfn;
    unsigned long mfn;
    unsigned int level; /* 1..4 */
    bool pinned;
};

struct tree
{
    struct frame f[MAX_FRAMS];
    unsigned int n;
    /* Mappings to check: address -> data page. */
    unsigned long va[64];
    unsigned int page[64], nva;
    struct mmu_update u[512];
    unsigned int nu;
};

static struct tree tr;

static int new_frame(unsigned int level, struct frame **out)
{
    long pfn;

    if ( tr.n == MAX_FRAMS )
        return -XEN_ENOMEM;
    pfn = xen_pfn_alloc_zeroed();
    if ( pfn < 0 )
        return (int)pfn;
    used_map[pfn / 64] |= 1UL << (pfn % 64);
    tr.f[tr.n] = (struct frame){ pfn, xen_pfn_to_mfn(pfn), level, false };
    *out = &tr.f[tr.n++];
    return 0;
}

static void entry(unsigned long mfn, unsigned int idx, uint64_t val)
{
    if ( tr.nu == ARRAY_SIZE(tr.u) )
        return;
    tr.u[tr.nu].ptr = (mfn << PAGE_SHIFT) + 8 * idx;
    tr.u[tr.nu++].val = val;
}

/* Shape: L4 -> 1-3 L3s -> 1-3 L2s each -> 1-3 L1s each -> 1-4 pages. */
static int build(struct frame **root)
{
    const uint64_t *boot = (const uint64_t *)xen_start_info->pt_base;
    struct frame *l4, *l3, *l2, *l1;
    unsigned int s, a, b, c;
    int rc;

    memset(&tr, 0, sizeof(tr));
    if ( (rc = new_frame(4, &l4)) )
        return rc;
    entry(l4->mfn, 0, boot[0]);
    for ( s = 1 + rnd(2); s < 8; s += 1 + rnd(3) )
    {
        if ( (rc = new_frame(3, &l3)) )
            return rc;
        entry(l4->mfn, s, (l3->mfn << PAGE_SHIFT) | XEN_PTE_TABLE);
        for ( a = rnd(3); a < 6; a += 1 + rnd(4) )
        {
            if ( (rc = new_frame(2, &l2)) )
                return rc;
            entry(l3->mfn, a, (l2->mfn << PAGE_SHIFT) | XEN_PTE_TABLE);
            for ( b = rnd(2); b < 5; b += 1 + rnd(4) )
            {
                if ( (rc = new_frame(1, &l1)) )
                    return rc;
                entry(l2->mfn, b, (l1->mfn << PAGE_SHIFT) | XEN_PTE_TABLE);
                for ( c = rnd(3); c < 12; c += 1 + rnd(5) )
                {
                    unsigned int p = rnd(DATA);
                    bool rw = rnd(2);

                    entry(l1->mfn, c,
                          (data_mfn[p] << PAGE_SHIFT) |
                              (rw ? XEN_PTE_DATA : XEN_PTE_P | XEN_PTE_A));
                    if ( tr.nva < ARRAY_SIZE(tr.va) )
                    {
                        tr.va[tr.nva] =
                            (unsigned long)s << 39 | (unsigned long)a << 30 |
                            (unsigned long)b << 21 | (unsigned long)c << 12;
                        tr.page[tr.nva++] = p;
                    }
                }
            }
        }
    }
    *root = l4;
    /* All written while the frames are untyped: plain writes. */
    return (int)HYPERVISOR_mmu_update(XEN_ARG(tr.u), tr.nu, 0, DOMID_SELF);
}

static unsigned int round_once(void)
{
    struct frame *root;
    unsigned int bad = 0, i;
    bool pin_root = rnd(2), switch_to = rnd(4) != 0;
    int rc = build(&root);

    if ( rc )
    {
        test_check(0, "building a tree: %d", rc);
        return 1;
    }
    /* Pin some L1s and L2s on their own, maybe the root. */
    for ( i = 0; i < tr.n; i++ )
        if ( tr.f[i].level <= 2 && !rnd(3) )
        {
            rc = (int)mmuext1(tr.f[i].level == 1 ? MMUEXT_PIN_L1_TABLE
                                                 : MMUEXT_PIN_L2_TABLE,
                              tr.f[i].mfn);
            bad += rc != 0;
            tr.f[i].pinned = !rc;
        }
    if ( pin_root )
    {
        rc = (int)mmuext1(MMUEXT_PIN_L4_TABLE, root->mfn);
        bad += rc != 0;
        root->pinned = !rc;
    }
    if ( switch_to )
    {
        rc = (int)mmuext1(MMUEXT_NEW_BASEPTR, root->mfn);
        bad += rc != 0;
        for ( i = 0; !rc && i < tr.nva; i++ )
            bad += *(volatile uint64_t *)tr.va[i] != tr.page[i];
        rc = (int)mmuext1(MMUEXT_NEW_BASEPTR, boot_l4_mfn());
        if ( rc )
            test_fail("cannot switch back to the boot L4: %d", rc);
    }
    /* Destroy: unpin in a random order, then every frame is plain. */
    for ( unsigned int k = 0; k < tr.n; k++ )
    {
        struct frame *f = &tr.f[(k * 7 + seed) % tr.n];

        if ( f->pinned )
        {
            bad += mmuext1(MMUEXT_UNPIN_TABLE, f->mfn) != 0;
            f->pinned = false;
        }
    }
    for ( i = 0; i < tr.n; i++ )
        if ( tr.f[i].pinned )
            bad += mmuext1(MMUEXT_UNPIN_TABLE, tr.f[i].mfn) != 0;
    for ( i = 0; i < tr.n; i++ )
        xen_pfn_free(tr.f[i].pfn);
    return bad;
}

void test_main(void)
{
    domid_t self = DOMID_SELF;
    long resv =
        HYPERVISOR_memory_op(XENMEM_current_reservation, XEN_ARG(&self));
    unsigned long free0, frames = 0, unusable = 0;
    uint64_t end = xen_system_time() + TIME_CAP;
    unsigned int rounds, bad = 0, i;

    for ( i = 0; i < DATA; i++ )
    {
        data[i] = xen_page_alloc();
        if ( !data[i] )
            test_error("no page %u", i);
        data[i][0] = i;
        data_mfn[i] = xen_virt_to_mfn((void *)data[i]);
    }
    /* Whatever tables the runtime needs for the checks below, now. */
    xen_pfn_free(xen_pfn_alloc());
    {
        long p = xen_pfn_alloc();

        test_expect_rc(xen_pfn_map(p, XEN_PTE_DATA), 0, "warm-up map");
        test_expect_rc(xen_pfn_unmap(p), 0, "warm-up unmap");
        xen_pfn_free(p);
    }
    free0 = xen_mm_free_pages() + xen_mm_table_pages();

    for ( rounds = 0; rounds < ROUNDS && xen_system_time() < end; rounds++ )
        bad += round_once();
    test_check(bad == 0, "%u failed operations or wrong reads", bad);

    /* Every frame a tree used is free and plain again. */
    for ( unsigned long pfn = 0; pfn < XEN_RT_MAX_PAGES; pfn++ )
    {
        if ( !(used_map[pfn / 64] & (1UL << (pfn % 64))) )
            continue;
        frames++;
        if ( !xen_pfn_is_free(pfn) )
        {
            unusable++;
            continue;
        }
        if ( xen_pfn_map(pfn, XEN_PTE_DATA) || xen_pfn_unmap(pfn) )
            unusable++;
    }
    test_info("%u rounds, %lu distinct frames used as page tables", rounds,
              frames);
    test_check(rounds >= 20, "only %u rounds in the time cap", rounds);
    test_check(unusable == 0, "%lu of %lu frames not free or still typed",
               unusable, frames);
    test_check(xen_mm_free_pages() + xen_mm_table_pages() == free0,
               "free frames %lu, want %lu",
               xen_mm_free_pages() + xen_mm_table_pages(), free0);
    test_expect_rc(
        HYPERVISOR_memory_op(XENMEM_current_reservation, XEN_ARG(&self)), resv,
        "current_reservation unchanged");
    for ( i = 0; i < DATA; i++ )
        xen_page_free((void *)data[i]);
    test_pass_if_clean();
}
