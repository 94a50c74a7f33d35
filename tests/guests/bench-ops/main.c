/*
 * bench-ops: the cost of the core's operations in one domain, in TSC
 * cycles (best batch of 5 x 500, rdtsc around each batch): null hypercall,
 * event send to an own port, yield with nobody else to run, one PTE update
 * (update_va_mapping, and mmu_update), a grant map+unmap pair and a 4 KiB grant copy (a
 * grant to ourselves).  Xen ABI only, so that bench/ops.sh runs the same
 * binary on Tessera and on Xen and prints both.  Each line is
 * "BENCH <name> <cycles>"; the verdict only says every operation worked.
 */
#include <string.h>

#include <public/errno.h>
#include <public/grant_table.h>
#include <public/sched.h>
#include <public/version.h>
#include <rt/events.h>
#include <rt/gnttab.h>
#include <rt/mm.h>
#include <rt/rt.h>
#include <rt/time.h>

#include "../lib/test.h"

const char test_title[] = "bench-ops: core operations, cycles each";

#define ROUNDS 5
#define OPS    500

static struct grant_entry_v1 *gt;
static uint8_t *win, *win2;
static unsigned long page_mfn, dst_mfn;
static evtchn_port_t port;
static bool failed;

/* An address with an L1 entry but no mapping: a place to map grants. */
static uint8_t *hole(void)
{
    uint8_t *h = xen_va_hole();

    if ( !h )
        test_error("no hole");
    return h;
}

static unsigned long own_frame(void)
{
    long pfn = xen_pfn_alloc_zeroed();

    if ( pfn < 0 || xen_pfn_map((unsigned long)pfn, XEN_PTE_DATA) )
        test_error("no page");
    return xen_pfn_to_mfn((unsigned long)pfn);
}

static void op_null(void)
{
    HYPERVISOR_xen_version(XENVER_version, 0);
}

static void op_send(void)
{
    uint64_t *pend = (uint64_t *)xen_shared_info()->evtchn_pending;

    failed |= xen_evtchn_send(port) != 0;
    /* Clear it again, so that every send takes the full path. */
    __atomic_fetch_and(&pend[port / 64], ~(1UL << (port % 64)),
                       __ATOMIC_RELAXED);
}

static void op_yield(void)
{
    HYPERVISOR_sched_op(SCHEDOP_yield, 0);
}

static void op_pte(void)
{
    static int on;

    on = !on;
    failed |= HYPERVISOR_update_va_mapping(
                  (unsigned long)win2, on ? (page_mfn << 12) | XEN_PTE_DATA : 0,
                  UVMF_INVLPG) != 0;
}

static uint64_t pte_maddr;

/* mmu_update of one PTE (MMU_NORMAL_PT_UPDATE), mapping and unmapping. */
static void op_mmu_update(void)
{
    static int on;
    struct mmu_update u;

    on = !on;
    u.ptr = pte_maddr | MMU_NORMAL_PT_UPDATE;
    u.val = on ? (page_mfn << 12) | XEN_PTE_DATA : 0;
    failed |= HYPERVISOR_mmu_update(XEN_ARG(&u), 1, 0, DOMID_SELF) != 0;
}

static void op_map_unmap(void)
{
    struct gnttab_map_grant_ref m = {
        .host_addr = (uint64_t)win, .flags = GNTMAP_host_map, .ref = 8, .dom = 0
    };
    struct gnttab_unmap_grant_ref u = { .host_addr = (uint64_t)win };

    HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, XEN_ARG(&m), 1);
    u.handle = m.handle;
    HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, XEN_ARG(&u), 1);
    failed |= m.status != GNTST_okay || u.status != GNTST_okay;
}

static void op_copy(void)
{
    struct gnttab_copy c = { 0 };

    c.source.u.gmfn = page_mfn;
    c.source.domid = DOMID_SELF;
    c.dest.u.ref = 9;
    c.dest.domid = 0;
    c.len = 4096;
    c.flags = GNTCOPY_dest_gref;
    HYPERVISOR_grant_table_op(GNTTABOP_copy, XEN_ARG(&c), 1);
    failed |= c.status != GNTST_okay;
}

static void measure(const char *name, void (*op)(void))
{
    uint64_t best = ~0ULL;

    failed = false;
    for ( int r = 0; r < ROUNDS; r++ )
    {
        uint64_t t0 = xen_rdtsc();

        for ( int i = 0; i < OPS; i++ )
            op();
        t0 = (xen_rdtsc() - t0) / OPS;
        if ( t0 < best )
            best = t0;
    }
    test_check(!failed, "%s: an operation failed", name);
    printf("BENCH %s %lu\n", name, (unsigned long)best);
}

static void setup_grants(void)
{
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1 };
    xen_pfn_t frame = 0;
    uint8_t *at = hole();

    st.frame_list = (uint64_t)&frame;
    if ( HYPERVISOR_grant_table_op(GNTTABOP_setup_table, XEN_ARG(&st), 1) ||
         st.status ||
         HYPERVISOR_update_va_mapping(
             (unsigned long)at, (frame << 12) | XEN_PTE_DATA, UVMF_INVLPG) )
        test_error("grant table");
    gt = (struct grant_entry_v1 *)at;
    page_mfn = own_frame();
    dst_mfn = own_frame();
    gt[8].domid = 0;
    gt[8].frame = (uint32_t)page_mfn;
    __atomic_store_n(&gt[8].flags, GTF_permit_access, __ATOMIC_RELEASE);
    gt[9].domid = 0;
    gt[9].frame = (uint32_t)dst_mfn;
    __atomic_store_n(&gt[9].flags, GTF_permit_access, __ATOMIC_RELEASE);
}

void test_main(void)
{
    long p = xen_evtchn_bind_ipi(NULL, NULL);

    if ( p < 0 )
        test_error("bind_ipi: %ld", p);
    port = (evtchn_port_t)p;
    /* Masked: the sends cost the hypercall, not an upcall each. */
    __atomic_fetch_or(&xen_shared_info()->evtchn_mask[port / 64],
                      1UL << (port % 64), __ATOMIC_SEQ_CST);
    win = hole();
    win2 = hole();
    setup_grants();
    measure("null_hypercall", op_null);
    measure("evtchn_send_self", op_send);
    measure("yield_alone", op_yield);
    measure("update_va_mapping", op_pte);
    if ( xen_l1e_maddr((unsigned long)win2, &pte_maddr) )
        test_error("no L1 entry for the window");
    measure("mmu_update_pte", op_mmu_update);
    measure("grant_map_unmap", op_map_unmap);
    measure("grant_copy_4k", op_copy);
    test_pass_if_clean();
}
