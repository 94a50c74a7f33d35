/*
 * mm-attack-superpage: a 2 MiB (PSE in an L2) or 1 GiB (PSE in an L3)
 * entry is refused with -EINVAL in a pinned tree and in a table being
 * validated; MMUEXT_MARK_SUPER is gone; the attacker lives on and the tree
 * still maps what it mapped
 */
#include <public/errno.h>
#include <rt/mm.h>
#include <rt/rt.h>

#include "../lib/mm.h"
#include "../lib/test.h"

const char test_title[] = "mm-attack-superpage: PSE entries refused";

#define TEST_VA 0x0000008000000000UL /* L4 slot 1 */

void test_main(void)
{
    volatile uint64_t *data = xen_page_alloc();
    unsigned long mfn, big;
    struct pt_tree t, u;
    long rc;

    if ( !data )
        test_error("no page");
    data[0] = 0xb16;
    mfn = xen_virt_to_mfn((void *)data);
    big = mfn & ~511UL; /* a 2 MiB-aligned frame number near ours */
    test_expect_rc(tree_build(&t, TEST_VA, mfn, XEN_PTE_DATA), 0, "tree_build");
    test_expect_rc(mmuext1(MMUEXT_PIN_L4_TABLE, t.mfn[3]), 0, "pin");

    /* Second L2 / L3 entries of the pinned tree. */
    test_expect_rc(mmu1(tree_entry(&t, 1) + 8,
                        (big << PAGE_SHIFT) | XEN_PTE_DATA | XEN_PTE_PSE),
                   -XEN_EINVAL, "2 MiB entry in a pinned L2");
    test_expect_rc(mmu1(tree_entry(&t, 1) + 8,
                        (big << PAGE_SHIFT) | XEN_PTE_P | XEN_PTE_PSE),
                   -XEN_EINVAL, "read-only 2 MiB entry in a pinned L2");
    test_expect_rc(
        mmu1(tree_entry(&t, 2) + 8, ((mfn & ~((1UL << 18) - 1)) << PAGE_SHIFT) |
                                        XEN_PTE_DATA | XEN_PTE_PSE),
        -XEN_EINVAL, "1 GiB entry in a pinned L3");
    /* Replacing the live L2 entry by a superpage is refused as well. */
    test_expect_rc(mmu1(tree_entry(&t, 1),
                        (big << PAGE_SHIFT) | XEN_PTE_DATA | XEN_PTE_PSE),
                   -XEN_EINVAL, "2 MiB entry over the live L2 entry");

    /* A tree whose L2 holds a PSE entry does not validate. */
    test_expect_rc(tree_build(&u, TEST_VA, mfn, XEN_PTE_DATA), 0,
                   "second tree");
    test_expect_rc(mmu1(tree_entry(&u, 1) + 8,
                        (big << PAGE_SHIFT) | XEN_PTE_DATA | XEN_PTE_PSE),
                   0, "PSE entry written while the frame is untyped");
    test_expect_rc(mmuext1(MMUEXT_PIN_L2_TABLE, u.mfn[1]), -XEN_EINVAL,
                   "pin an L2 holding a PSE entry");
    test_expect_rc(mmuext1(MMUEXT_PIN_L4_TABLE, u.mfn[3]), -XEN_EINVAL,
                   "pin an L4 above it");
    test_expect_rc(mmuext1(MMUEXT_NEW_BASEPTR, u.mfn[3]), -XEN_EINVAL,
                   "switch to it");
    tree_free(&u);

    rc = mmuext1(MMUEXT_MARK_SUPER, mfn);
    test_check(rc == -XEN_EOPNOTSUPP || rc == -XEN_ENOSYS,
               "MMUEXT_MARK_SUPER: %ld", rc);

    /* Alive, and the pinned tree still maps the data page. */
    test_expect_rc(mmuext1(MMUEXT_NEW_BASEPTR, t.mfn[3]), 0, "switch");
    test_check(*(volatile uint64_t *)TEST_VA == 0xb16, "data via the tree");
    test_check(read_faults((void *)(TEST_VA + (2UL << 20))),
               "the refused 2 MiB entry maps something");
    test_expect_rc(mmuext1(MMUEXT_NEW_BASEPTR, boot_l4_mfn()), 0, "back");
    test_expect_rc(mmuext1(MMUEXT_UNPIN_TABLE, t.mfn[3]), 0, "unpin");
    tree_free(&t);
    xen_page_free((void *)data);
    test_pass_if_clean();
}
