/*
 * mm-attack-xen-frame: mapping a frame that is not the domain's (one the
 * M2P says belongs to nobody we know: the hypervisor's or free) is refused
 * with -EBUSY, read-only or writable, by mmu_update and update_va_mapping;
 * MACHPHYS_UPDATE of it is refused too; the attacker lives on and neither
 * its entry nor the frame's M2P entry changed
 */
#include <public/errno.h>
#include <public/memory.h>
#include <rt/events.h>
#include <rt/mm.h>
#include <rt/rt.h>
#include <rt/traps.h>

#include "../lib/mm.h"
#include "../lib/test.h"

const char test_title[] =
    "mm-attack-xen-frame: mapping a frame that is not ours refused";

/* The M2P entry of mfn, or ~0 when that part of the M2P faults. */
static unsigned long m2p_read(unsigned long mfn)
{
    const volatile unsigned long *p =
        (const volatile unsigned long *)MACH2PHYS_VIRT_START + mfn;
    unsigned long v = ~0UL;

    asm volatile("1: mov (%1), %0; 2:" XEN_EXTABLE(1b, 2b)
                 : "+r"(v)
                 : "r"(p)
                 : "memory");
    return v;
}

static bool ours(unsigned long mfn)
{
    unsigned long pfn = m2p_read(mfn);

    return pfn < xen_start_info->nr_pages && xen_pfn_to_mfn(pfn) == mfn;
}

/* A RAM frame next to ours that is not ours: below or above them. */
static unsigned long foreign_frame(bool below)
{
    unsigned long lo = ~0UL, hi = 0, mfn;

    for ( unsigned long pfn = 0; pfn < xen_start_info->nr_pages; pfn++ )
    {
        mfn = xen_pfn_to_mfn(pfn);
        if ( mfn == ~0UL )
            continue;
        lo = mfn < lo ? mfn : lo;
        hi = mfn > hi ? mfn : hi;
    }
    if ( below )
    {
        for ( mfn = lo - 1; mfn > lo - 4096 && mfn > 0x100; mfn-- )
            if ( !ours(mfn) )
                return mfn;
    }
    else
        for ( mfn = hi + 1; mfn < hi + 4096; mfn++ )
            if ( !ours(mfn) )
                return mfn;
    return 0;
}

static void attack(unsigned long victim, unsigned long va, uint64_t maddr)
{
    unsigned long m2p = m2p_read(victim);

    test_info("victim mfn %#lx (M2P %#lx)", victim, m2p);
    test_expect_rc(mmu1(maddr, (victim << PAGE_SHIFT) | XEN_PTE_DATA),
                   -XEN_EBUSY, "mmu_update: writable");
    test_expect_rc(mmu1(maddr, (victim << PAGE_SHIFT) | XEN_PTE_P), -XEN_EBUSY,
                   "mmu_update: read-only");
    test_expect_rc(HYPERVISOR_update_va_mapping(
                       va, (victim << PAGE_SHIFT) | XEN_PTE_DATA, UVMF_INVLPG),
                   -XEN_EBUSY, "update_va_mapping: writable");
    test_expect_rc(mmu1((victim << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, 0),
                   -XEN_EINVAL, "MACHPHYS_UPDATE of the frame");
    test_check(read_faults((void *)va), "va mapped after the refusals");
    test_check(m2p_read(victim) == m2p, "M2P of the victim now %#lx",
               m2p_read(victim));
}

void test_main(void)
{
    unsigned long below = foreign_frame(true), above = foreign_frame(false);
    long pfn = xen_pfn_alloc();
    uint64_t maddr;
    unsigned long va;

    if ( pfn < 0 )
        test_error("no frame");
    va = (unsigned long)xen_pfn_to_virt(pfn);
    test_expect_rc(xen_l1e_maddr(va, &maddr), 0, "L1 entry of va");
    test_check(below || above, "no foreign frame next to ours");
    if ( below )
        attack(below, va, maddr);
    if ( above )
        attack(above, va, maddr);
    /* The shared_info page is a hypervisor frame we may map: alive. */
    test_check(xen_shared_info() != NULL, "shared_info");
    test_expect_rc(
        mmu1(maddr, ((xen_pfn_to_mfn(pfn)) << PAGE_SHIFT) | XEN_PTE_DATA), 0,
        "mapping our own frame");
    *(volatile uint64_t *)va = 1;
    test_expect_rc(HYPERVISOR_update_va_mapping(va, 0, UVMF_INVLPG), 0,
                   "unmap");
    xen_pfn_free(pfn);
    test_pass_if_clean();
}
