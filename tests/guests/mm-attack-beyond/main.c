/*
 * mm-attack-beyond: mapping frames beyond the domain's allocation - the
 * first frame past the end of RAM (maximum_ram_page) and one 1 GiB above
 * it, a frame past the physical address width, the largest frame number an
 * entry can hold - is refused; the attacker lives on, its entry unchanged.
 *
 * Frames that are not RAM are I/O memory, which a domain may map only with
 * I/O-memory permission (-EPERM otherwise).  Xen 4.17's dom0 holds that
 * permission for everything below the physical address width that is not
 * RAM, so on Xen the first two are mapped (uncached) and accepted here;
 * Tessera's test domains hold none and must refuse them.  Beyond the width
 * even Xen's dom0 gets -EPERM, and a frame number past what the hardware
 * can address at all -EINVAL.
 */
#include <public/errno.h>
#include <public/memory.h>
#include <rt/mm.h>
#include <rt/rt.h>

#include "../lib/mm.h"
#include "../lib/test.h"

const char test_title[] =
    "mm-attack-beyond: mapping frames beyond the allocation refused";

static void attack(const char *what, unsigned long victim, unsigned long va,
                   uint64_t maddr, long want, bool io)
{
    long rw = mmu1(maddr, (victim << PAGE_SHIFT) | XEN_PTE_DATA);
    long ro = mmu1(maddr, (victim << PAGE_SHIFT) | XEN_PTE_P);
    long uvm = HYPERVISOR_update_va_mapping(
        va, (victim << PAGE_SHIFT) | XEN_PTE_DATA, UVMF_INVLPG);

    test_info("%s: mfn %#lx: %ld %ld %ld", what, victim, rw, ro, uvm);
    if ( io && !on_tessera() && !rw && !ro && !uvm )
    {
        /* Xen's dom0 may map I/O memory: take it out again. */
        test_expect_rc(HYPERVISOR_update_va_mapping(va, 0, UVMF_INVLPG), 0,
                       "unmap the I/O frame");
        return;
    }
    test_check(rw == want && ro == want && uvm == want,
               "%s: got %ld %ld %ld, want %ld", what, rw, ro, uvm, want);
}

void test_main(void)
{
    long max = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, 0);
    long pfn = xen_pfn_alloc();
    uint64_t maddr;
    unsigned long va;

    if ( pfn < 0 || max <= 0 )
        test_error("no frame, or maximum_ram_page %ld", max);
    va = (unsigned long)xen_pfn_to_virt(pfn);
    test_expect_rc(xen_l1e_maddr(va, &maddr), 0, "L1 entry of va");
    attack("maximum_ram_page", max, va, maddr, -XEN_EPERM, true);
    attack("maximum_ram_page + 1 GiB", max + (1UL << 18), va, maddr, -XEN_EPERM,
           true);
    attack("2^40 bytes", 1UL << 28, va, maddr, -XEN_EPERM, false);
    attack("largest frame", XEN_PTE_ADDR >> PAGE_SHIFT, va, maddr, -XEN_EINVAL,
           false);
    test_check(read_faults((void *)va), "va mapped after the refusals");
    xen_pfn_free(pfn);
    test_pass_if_clean();
}
