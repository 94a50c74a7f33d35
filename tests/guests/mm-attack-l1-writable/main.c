/*
 * mm-attack-l1-writable: a writable mapping of an L1 page table in use
 * (the runtime's own L1, a bootstrap L1, a pinned L1) is refused with
 * -EBUSY by mmu_update and by update_va_mapping; the attacker lives on
 * and the L1 still maps what it mapped
 */
#include <public/errno.h>
#include <rt/mm.h>
#include <rt/rt.h>

#include "../lib/mm.h"
#include "../lib/test.h"

const char test_title[] =
    "mm-attack-l1-writable: writable mapping of an L1 in use refused";

void test_main(void)
{
    volatile uint64_t *data = xen_page_alloc();
    unsigned long va, l1_mfn, boot_l1_mfn;
    uint64_t maddr, boot_maddr;
    const volatile uint64_t *view;
    long pfn = xen_pfn_alloc(), pinned = xen_pfn_alloc_zeroed();

    if ( !data || pfn < 0 || pinned < 0 )
        test_error("no memory");
    data[0] = 0xda7a;
    /* The attacking entry: the linear address of a frame kept unmapped. */
    va = (unsigned long)xen_pfn_to_virt(pfn);
    test_expect_rc(xen_l1e_maddr(va, &maddr), 0, "L1 entry of va");
    l1_mfn = maddr >> PAGE_SHIFT;
    /* The L1 that maps the image itself. */
    test_expect_rc(xen_l1e_maddr((unsigned long)data, &boot_maddr), 0,
                   "L1 entry of the data page");
    test_expect_rc(xen_l1e_maddr((unsigned long)__image_start, &boot_maddr), 0,
                   "L1 entry of the image");
    boot_l1_mfn = boot_maddr >> PAGE_SHIFT;

    test_expect_rc(mmu1(maddr, (l1_mfn << PAGE_SHIFT) | XEN_PTE_DATA),
                   -XEN_EBUSY, "mmu_update: the L1 writable in itself");
    test_expect_rc(mmu1(maddr, (boot_l1_mfn << PAGE_SHIFT) | XEN_PTE_DATA),
                   -XEN_EBUSY, "mmu_update: the image's L1 writable");
    test_expect_rc(HYPERVISOR_update_va_mapping(
                       va, (l1_mfn << PAGE_SHIFT) | XEN_PTE_DATA, UVMF_INVLPG),
                   -XEN_EBUSY, "update_va_mapping: the L1 writable");
    test_expect_rc(
        HYPERVISOR_update_va_mapping(
            va, (boot_l1_mfn << PAGE_SHIFT) | XEN_PTE_DATA, UVMF_INVLPG),
        -XEN_EBUSY, "update_va_mapping: the image's L1 writable");
    test_expect_rc(mmu1(maddr | MMU_PT_UPDATE_PRESERVE_AD,
                        (l1_mfn << PAGE_SHIFT) | XEN_PTE_DATA),
                   -XEN_EBUSY, "PRESERVE_AD: the L1 writable");
    /* A pinned L1, not hooked in anywhere, is in use just as well. */
    test_expect_rc(mmuext1(MMUEXT_PIN_L1_TABLE, xen_pfn_to_mfn(pinned)), 0,
                   "pin a fresh L1");
    test_expect_rc(
        mmu1(maddr, (xen_pfn_to_mfn(pinned) << PAGE_SHIFT) | XEN_PTE_DATA),
        -XEN_EBUSY, "mmu_update: a pinned L1 writable");
    test_check(read_faults((void *)va), "va mapped after the refusals");

    /* Alive, and the L1 still works: read-only views are fine. */
    view = (const volatile uint64_t *)va;
    test_expect_rc(mmu1(maddr, (l1_mfn << PAGE_SHIFT) | XEN_PTE_P | XEN_PTE_A),
                   0, "read-only mapping of the L1");
    test_check(
        (view[XEN_PT_INDEX(va, 1)] & XEN_PTE_ADDR) >> PAGE_SHIFT == l1_mfn,
        "the L1 entry of va through itself: %#lx", view[XEN_PT_INDEX(va, 1)]);
    test_expect_rc(HYPERVISOR_update_va_mapping(va, 0, UVMF_INVLPG), 0,
                   "unmap");
    test_check(data[0] == 0xda7a, "data page changed");
    test_expect_rc(mmuext1(MMUEXT_UNPIN_TABLE, xen_pfn_to_mfn(pinned)), 0,
                   "unpin");
    /* Unpinned and unreferenced: no longer a page table. */
    test_expect_rc(
        mmu1(maddr, (xen_pfn_to_mfn(pinned) << PAGE_SHIFT) | XEN_PTE_DATA), 0,
        "writable mapping of the unpinned frame");
    test_expect_rc(HYPERVISOR_update_va_mapping(va, 0, UVMF_INVLPG), 0,
                   "unmap");
    xen_pfn_free(pinned);
    xen_pfn_free(pfn);
    xen_page_free((void *)data);
    test_pass_if_clean();
}
