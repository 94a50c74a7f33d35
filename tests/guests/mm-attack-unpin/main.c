/*
 * mm-attack-unpin: unpinning tables in use - never-pinned tables that are
 * referenced (the runtime's L1, the image's L3), a frame that is not ours,
 * a data frame - is refused with -EINVAL; unpinning a pinned table that is
 * also in use (a pinned L1 hooked into an L2, the running L4) succeeds but
 * leaves it a validated table: it still cannot be mapped writable, keeps
 * translating, and can be pinned again
 */
#include <public/errno.h>
#include <rt/mm.h>
#include <rt/rt.h>

#include "../lib/mm.h"
#include "../lib/test.h"

const char test_title[] = "mm-attack-unpin: unpinning tables in use";

#define TEST_VA 0x0000008000000000UL /* L4 slot 1 */

void test_main(void)
{
    const volatile uint64_t *l4 =
        (const volatile uint64_t *)xen_start_info->pt_base;
    volatile uint64_t *data = xen_page_alloc();
    unsigned long l3 = (l4[0] & XEN_PTE_ADDR) >> PAGE_SHIFT, va;
    uint64_t maddr;
    struct pt_tree t;
    long pfn = xen_pfn_alloc();

    if ( !data || pfn < 0 )
        test_error("no memory");
    va = (unsigned long)xen_pfn_to_virt(pfn);
    test_expect_rc(xen_l1e_maddr(va, &maddr), 0, "L1 entry of va");

    test_expect_rc(mmuext1(MMUEXT_UNPIN_TABLE, maddr >> PAGE_SHIFT),
                   -XEN_EINVAL, "unpin the runtime's L1 (in use, not pinned)");
    test_expect_rc(mmuext1(MMUEXT_UNPIN_TABLE, l3), -XEN_EINVAL,
                   "unpin the image's L3 (in use, not pinned)");
    test_expect_rc(mmuext1(MMUEXT_UNPIN_TABLE, xen_virt_to_mfn((void *)data)),
                   -XEN_EINVAL, "unpin a data frame");
    test_expect_rc(mmuext1(MMUEXT_UNPIN_TABLE, 0xffffffffffUL), -XEN_EINVAL,
                   "unpin a frame that does not exist");

    /* A pinned L1 that an L2 also references. */
    data[0] = 0xf00d;
    test_expect_rc(
        tree_build(&t, TEST_VA, xen_virt_to_mfn((void *)data), XEN_PTE_DATA), 0,
        "tree_build");
    test_expect_rc(mmuext1(MMUEXT_PIN_L1_TABLE, t.mfn[0]), 0, "pin the L1");
    test_expect_rc(mmuext1(MMUEXT_PIN_L4_TABLE, t.mfn[3]), 0, "pin the L4");
    test_expect_rc(mmuext1(MMUEXT_UNPIN_TABLE, t.mfn[0]), 0,
                   "unpin the L1 (still referenced by the L2)");
    test_expect_rc(mmu1(maddr, (t.mfn[0] << PAGE_SHIFT) | XEN_PTE_DATA),
                   -XEN_EBUSY, "writable mapping of the unpinned, used L1");
    test_expect_rc(mmuext1(MMUEXT_UNPIN_TABLE, t.mfn[0]), -XEN_EINVAL,
                   "unpin the L1 twice");
    test_expect_rc(mmuext1(MMUEXT_NEW_BASEPTR, t.mfn[3]), 0, "switch");
    test_check(*(volatile uint64_t *)TEST_VA == 0xf00d,
               "the unpinned L1 still translates");
    test_expect_rc(mmuext1(MMUEXT_NEW_BASEPTR, boot_l4_mfn()), 0, "back");
    test_expect_rc(mmuext1(MMUEXT_PIN_L1_TABLE, t.mfn[0]), 0,
                   "pin the L1 again");

    /* The running L4, pinned by the builder: still the base pointer. */
    test_expect_rc(mmuext1(MMUEXT_UNPIN_TABLE, boot_l4_mfn()), 0,
                   "unpin the running L4");
    test_expect_rc(mmu1(maddr, (boot_l4_mfn() << PAGE_SHIFT) | XEN_PTE_DATA),
                   -XEN_EBUSY, "writable mapping of the running L4");
    test_check(data[0] == 0xf00d, "the image still translates");
    test_expect_rc(mmuext1(MMUEXT_PIN_L4_TABLE, boot_l4_mfn()), 0,
                   "pin the running L4 again");

    /* Take it all down: now the frames are plain again. */
    test_expect_rc(mmuext1(MMUEXT_UNPIN_TABLE, t.mfn[3]), 0, "unpin the L4");
    test_expect_rc(mmuext1(MMUEXT_UNPIN_TABLE, t.mfn[0]), 0, "unpin the L1");
    test_expect_rc(mmu1(maddr, (t.mfn[0] << PAGE_SHIFT) | XEN_PTE_DATA), 0,
                   "writable mapping of the freed L1");
    test_expect_rc(HYPERVISOR_update_va_mapping(va, 0, UVMF_INVLPG), 0,
                   "unmap");
    tree_free(&t);
    xen_pfn_free(pfn);
    xen_page_free((void *)data);
    test_pass_if_clean();
}
