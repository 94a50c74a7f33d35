/*
 * libxc-min stub-domain backend (XCMIN_STUB): the operations table over
 * real hypercalls, for a domain linked with services/lib.
 *
 * Locking: none; one handle, one thread (the builder's vCPU 0).
 *
 * A child's frames are mapped into a window of the caller's linear
 * address space that no pseudo-physical frame of the caller uses:
 * [xen_pfn_to_virt(xen_mm_total_pages()), xen_pfn_to_virt(XEN_RT_MAX_PAGES)).
 * Each page's L1 entry comes from xen_l1e_maddr() (which makes the L1
 * the first time) and is written with mmu_update, foreigndom = the child;
 * unmapping writes 0 to the same entries and flushes every TLB.
 */
#include <stdlib.h>
#include <string.h>

#include <public/errno.h>
#include <public/event_channel.h>
#include <public/memory.h>
#include <rt/hypercall.h>
#include <rt/mm.h>
#include <rt/rt.h>
#include <rt/time.h>

#include "xcmin.h"

/* rt/rt.h and hv/ headers do not mix: Xen's errno names here. */
#define ENOMEM    XEN_ENOMEM
#define EINVAL    XEN_EINVAL
#define MIN(a, b) ((a) < (b) ? (a) : (b))

#define MAX_MAPS  32
#define MMU_BATCH 64

struct stub
{
    unsigned long win_first, win_end; /* pfn numbers of the window */
    struct
    {
        unsigned long first, nr; /* 0 nr: free slot */
    } maps[MAX_MAPS];
};

static struct stub the_stub;

static int s_domctl(void *ctx, struct tessera_domctl *op)
{
    (void)ctx;
    return (int)HYPERVISOR_domctl(XEN_ARG(op));
}

static long s_populate(void *ctx, domid_t domid, uint64_t *frames,
                       unsigned long nr)
{
    struct xen_memory_reservation r = {
        .extent_start = (uint64_t)(uintptr_t)frames,
        .nr_extents = nr,
        .extent_order = 0,
        .domid = domid,
    };

    (void)ctx;
    return HYPERVISOR_memory_op(XENMEM_populate_physmap, XEN_ARG(&r));
}

/* First fit of nr window pages. */
static long win_alloc(struct stub *s, unsigned long nr, unsigned int *slot)
{
    unsigned long at = s->win_first;
    unsigned int k, free_slot = MAX_MAPS;
    bool moved = true;

    for ( k = 0; k < MAX_MAPS; k++ )
        if ( !s->maps[k].nr && free_slot == MAX_MAPS )
            free_slot = k;
    if ( free_slot == MAX_MAPS )
        return -ENOMEM;
    while ( moved )
    {
        moved = false;
        for ( k = 0; k < MAX_MAPS; k++ )
            if ( s->maps[k].nr && at < s->maps[k].first + s->maps[k].nr &&
                 at + nr > s->maps[k].first )
            {
                at = s->maps[k].first + s->maps[k].nr;
                moved = true;
            }
    }
    if ( at > s->win_end || nr > s->win_end - at )
        return -ENOMEM;
    *slot = free_slot;
    return (long)at;
}

/* Write val_of(i) to the L1 entries of pages [first, first + nr). */
static int write_l1es(unsigned long first, const uint64_t *mfns,
                      unsigned long nr, domid_t fd)
{
    struct mmu_update req[MMU_BATCH];
    unsigned long i = 0, n, k;
    uint64_t maddr;
    int rc;

    while ( i < nr )
    {
        n = MIN(nr - i, (unsigned long)MMU_BATCH);
        for ( k = 0; k < n; k++ )
        {
            rc = xen_l1e_maddr((unsigned long)xen_pfn_to_virt(first + i + k),
                               &maddr);
            if ( rc )
                return rc;
            req[k].ptr = maddr | MMU_NORMAL_PT_UPDATE;
            req[k].val = mfns ? (mfns[i + k] << PAGE_SHIFT) | XEN_PTE_DATA : 0;
        }
        rc = (int)HYPERVISOR_mmu_update(XEN_ARG(req), n, 0, fd);
        if ( rc )
            return rc;
        i += n;
    }
    return 0;
}

static int flush_all(void)
{
    struct mmuext_op op = { .cmd = MMUEXT_TLB_FLUSH_ALL };

    return (int)HYPERVISOR_mmuext_op(XEN_ARG(&op), 1, 0, DOMID_SELF);
}

static int s_map(void *ctx, domid_t domid, const uint64_t *mfns,
                 unsigned long nr, void **va)
{
    struct stub *s = ctx;
    unsigned int slot;
    long first = win_alloc(s, nr, &slot);
    int rc;

    if ( first < 0 )
        return (int)first;
    rc = write_l1es((unsigned long)first, mfns, nr, domid);
    if ( rc )
    {
        /* Entries written before the failure: clear them all. */
        write_l1es((unsigned long)first, NULL, nr, DOMID_SELF);
        flush_all();
        return rc;
    }
    s->maps[slot].first = (unsigned long)first;
    s->maps[slot].nr = nr;
    *va = xen_pfn_to_virt((unsigned long)first);
    return 0;
}

static int s_unmap(void *ctx, void *va, unsigned long nr)
{
    struct stub *s = ctx;
    unsigned long first = xen_virt_to_pfn(va);
    unsigned int k;
    int rc;

    for ( k = 0; k < MAX_MAPS; k++ )
        if ( s->maps[k].nr == nr && s->maps[k].first == first )
            break;
    if ( k == MAX_MAPS )
        return -EINVAL;
    rc = write_l1es(first, NULL, nr, DOMID_SELF);
    if ( !rc )
        rc = flush_all();
    if ( !rc )
        s->maps[k].nr = 0;
    return rc;
}

static int s_pin_l4(void *ctx, domid_t domid, uint64_t mfn)
{
    struct mmuext_op op = { .cmd = MMUEXT_PIN_L4_TABLE, .arg1.mfn = mfn };

    (void)ctx;
    return (int)HYPERVISOR_mmuext_op(XEN_ARG(&op), 1, 0, domid);
}

static int s_alloc_unbound(void *ctx, domid_t domid, domid_t remote,
                           uint32_t *port)
{
    struct evtchn_alloc_unbound a = { .dom = domid, .remote_dom = remote };
    int rc;

    (void)ctx;
    rc = (int)HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, XEN_ARG(&a));
    if ( !rc )
        *port = a.port;
    return rc;
}

static uint64_t s_now(void *ctx)
{
    (void)ctx;
    return xen_system_time();
}

static const struct xcmin_ops stub_ops = {
    .name = "stub",
    .domctl = s_domctl,
    .populate = s_populate,
    .map = s_map,
    .unmap = s_unmap,
    .pin_l4 = s_pin_l4,
    .alloc_unbound = s_alloc_unbound,
    .now_ns = s_now,
};

int xcmin_open_stub(xcmin_handle_t **h)
{
    struct stub *s = &the_stub;
    int rc = xen_mm_init();

    if ( rc )
        return rc;
    memset(s, 0, sizeof(*s));
    s->win_first = xen_mm_total_pages();
    s->win_end = XEN_RT_MAX_PAGES;
    if ( s->win_first >= s->win_end )
        return -ENOMEM;
    return xcmin_open_ops(&stub_ops, s, h);
}
