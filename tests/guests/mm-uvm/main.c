/*
 * mm-uvm: update_va_mapping with every flush flag (none, INVLPG, TLB
 * flush; local, all, a vCPU mask) - the new mapping is visible, the old
 * one gone - its refusals, and the cost of one update_va_mapping and of
 * one mmu_update PTE update (information lines for issue #4's closing note)
 */
#include <public/errno.h>
#include <rt/mm.h>
#include <rt/rt.h>
#include <rt/time.h>
#include <rt/traps.h>

#include "../lib/mm.h"
#include "../lib/test.h"

const char test_title[] =
    "mm-uvm: update_va_mapping flush flags, cost of PTE updates";

#define ROUNDS 2000

static volatile uint64_t *page[2];
static unsigned long mfn[2];
static unsigned long va;
static unsigned long vcpu_mask __attribute__((aligned(8))) = 1; /* vCPU 0 */

static uint64_t pte(unsigned int i)
{
    return (mfn[i] << PAGE_SHIFT) | XEN_PTE_DATA;
}

/* Map va to page 0, then to page 1, then nothing, with the same flags. */
static void one_flag(const char *name, unsigned long flags)
{
    volatile uint64_t *v = (volatile uint64_t *)va;
    /*
     * Without a flush the old translation may stay (Xen 4.17 keeps it for
     * UVMF_NONE and for flush type 3 alike): flush by hand.
     */
    bool manual = (flags & UVMF_FLUSHTYPE_MASK) == UVMF_NONE ||
                  (flags & UVMF_FLUSHTYPE_MASK) == 3;

    test_expect_rc(HYPERVISOR_update_va_mapping(va, pte(0), flags), 0, name);
    if ( manual )
        mmuext1(MMUEXT_INVLPG_LOCAL, va);
    test_check(v[0] == 0xaaaa0000, "%s: va -> page 0 reads %#lx", name, v[0]);
    test_expect_rc(HYPERVISOR_update_va_mapping(va, pte(1), flags), 0, name);
    if ( manual )
        mmuext1(MMUEXT_INVLPG_LOCAL, va);
    test_check(v[0] == 0xbbbb0001, "%s: va -> page 1 reads %#lx", name, v[0]);
    v[1] = flags + 1;
    test_check(page[1][1] == flags + 1 && page[0][1] == 0,
               "%s: the write went to the wrong page", name);
    page[1][1] = 0;
    test_expect_rc(HYPERVISOR_update_va_mapping(va, 0, flags), 0, name);
    if ( manual )
        mmuext1(MMUEXT_INVLPG_LOCAL, va);
    test_check(read_faults(v), "%s: unmapped va still readable", name);
}

static void flags(void)
{
    unsigned long mask = UVMF_MULTI | (unsigned long)&vcpu_mask;

    one_flag("UVMF_NONE", UVMF_NONE);
    one_flag("UVMF_INVLPG|UVMF_LOCAL", UVMF_INVLPG | UVMF_LOCAL);
    one_flag("UVMF_TLB_FLUSH|UVMF_LOCAL", UVMF_TLB_FLUSH | UVMF_LOCAL);
    one_flag("UVMF_INVLPG|UVMF_ALL", UVMF_INVLPG | UVMF_ALL);
    one_flag("UVMF_TLB_FLUSH|UVMF_ALL", UVMF_TLB_FLUSH | UVMF_ALL);
    one_flag("UVMF_INVLPG|UVMF_MULTI", UVMF_INVLPG | mask);
    one_flag("UVMF_TLB_FLUSH|UVMF_MULTI", UVMF_TLB_FLUSH | mask);
    /* Flush type 3 is no flush at all in Xen. */
    one_flag("flush type 3", 3);
}

static void refusals(void)
{
    /* No L2 for L4 slot 1: nothing to update. */
    test_expect_rc(HYPERVISOR_update_va_mapping(0x8000000000UL, pte(0), 0),
                   -XEN_EINVAL, "update_va_mapping without an L1");
    test_expect_rc(
        HYPERVISOR_update_va_mapping(HYPERVISOR_VIRT_START, pte(0), 0),
        -XEN_EINVAL, "update_va_mapping in the hypervisor's range");
    /* A vCPU mask the hypervisor cannot read (after writing the PTE). */
    {
        long rc = HYPERVISOR_update_va_mapping(
            va, pte(0), UVMF_INVLPG | UVMF_MULTI | 0x1000UL);

        test_check(rc == -XEN_EFAULT || rc == -XEN_EINVAL,
                   "update_va_mapping with an unreadable vCPU mask: %ld", rc);
    }
    test_expect_rc(HYPERVISOR_update_va_mapping(va, 0, UVMF_INVLPG), 0,
                   "unmap");
}

static void costs(void)
{
    uint64_t maddr, t0, uvm, uvm_inv, mmu;
    struct vcpu_time_info ti;
    unsigned int i;
    long rc = 0;

    test_expect_rc(xen_l1e_maddr(va, &maddr), 0, "L1 entry of va");
    t0 = xen_rdtsc();
    for ( i = 0; i < ROUNDS && !rc; i++ )
        rc = HYPERVISOR_update_va_mapping(va, pte(i & 1), UVMF_NONE);
    uvm = xen_rdtsc() - t0;
    t0 = xen_rdtsc();
    for ( i = 0; i < ROUNDS && !rc; i++ )
        rc = HYPERVISOR_update_va_mapping(va, pte(i & 1), UVMF_INVLPG);
    uvm_inv = xen_rdtsc() - t0;
    t0 = xen_rdtsc();
    for ( i = 0; i < ROUNDS && !rc; i++ )
        rc = mmu1(maddr | MMU_NORMAL_PT_UPDATE, pte(i & 1));
    mmu = xen_rdtsc() - t0;
    test_expect_rc(rc, 0, "timed PTE updates");
    mmuext1(MMUEXT_INVLPG_LOCAL, va);
    test_check(*(volatile uint64_t *)va == 0xbbbb0001,
               "after the timed updates va reads %#lx",
               *(volatile uint64_t *)va);
    HYPERVISOR_update_va_mapping(va, 0, UVMF_INVLPG);

    xen_time_snapshot(&ti);
    /* Under QEMU TCG these are emulation costs, not hardware ones. */
    test_info("cost: update_va_mapping(UVMF_NONE) %lu TSC cycles, %lu ns",
              uvm / ROUNDS,
              xen_tsc_to_ns(uvm / ROUNDS, ti.tsc_to_system_mul, ti.tsc_shift));
    test_info(
        "cost: update_va_mapping(UVMF_INVLPG) %lu TSC cycles, %lu ns",
        uvm_inv / ROUNDS,
        xen_tsc_to_ns(uvm_inv / ROUNDS, ti.tsc_to_system_mul, ti.tsc_shift));
    test_info("cost: mmu_update (one PTE) %lu TSC cycles, %lu ns", mmu / ROUNDS,
              xen_tsc_to_ns(mmu / ROUNDS, ti.tsc_to_system_mul, ti.tsc_shift));
}

void test_main(void)
{
    long pfn;
    uint64_t maddr;

    for ( unsigned int i = 0; i < 2; i++ )
    {
        page[i] = xen_page_alloc();
        if ( !page[i] )
            test_error("no page %u", i);
        mfn[i] = xen_virt_to_mfn((void *)page[i]);
        page[i][0] = i ? 0xbbbb0001 : 0xaaaa0000;
    }
    /* The test address: the linear address of a frame kept unmapped. */
    pfn = xen_pfn_alloc();
    if ( pfn < 0 )
        test_error("no frame: %ld", pfn);
    va = (unsigned long)xen_pfn_to_virt(pfn);
    test_expect_rc(xen_l1e_maddr(va, &maddr), 0, "L1 entry of va");
    test_check(read_faults((void *)va), "va mapped at the start");

    flags();
    refusals();
    costs();
    xen_pfn_free(pfn);
    test_pass_if_clean();
}
