/*
 * mm-attack-l4-slot: an L4 entry in the hypervisor's slots 256-271 is
 * refused with -EINVAL (present or not, in the running L4 and in a pinned
 * one); an entry the guest wrote there before the L4 became a table is
 * replaced by validation; slots 255 and 272 are the guest's; the attacker
 * lives on and the hypervisor's slots are unchanged
 */
#include <string.h>

#include <public/errno.h>
#include <rt/mm.h>
#include <rt/rt.h>

#include "../lib/mm.h"
#include "../lib/test.h"

const char test_title[] =
    "mm-attack-l4-slot: L4 entries in the hypervisor slots refused";

#define TEST_VA 0x0000008000000000UL /* L4 slot 1 */

void test_main(void)
{
    const volatile uint64_t *l4 =
        (const volatile uint64_t *)xen_start_info->pt_base;
    uint64_t l4_maddr = boot_l4_mfn() << PAGE_SHIFT, saved[16], forged;
    const volatile uint64_t *view;
    volatile uint64_t *data = xen_page_alloc();
    static const unsigned int slots[] = { 256, 257, 258, 260, 261, 271 };
    struct pt_tree t;
    unsigned int i, changed = 0;

    if ( !data )
        test_error("no page");
    for ( i = 0; i < 16; i++ )
        saved[i] = l4[256 + i];
    /* A copy of the image's slot: a valid L3, if the slot allowed it. */
    forged = l4[0];
    for ( i = 0; i < ARRAY_SIZE(slots); i++ )
    {
        test_expect_rc(mmu1(l4_maddr + 8 * slots[i], forged), -XEN_EINVAL,
                       "running L4: present entry in a hypervisor slot");
        test_expect_rc(mmu1(l4_maddr + 8 * slots[i], 0), -XEN_EINVAL,
                       "running L4: clearing a hypervisor slot");
        test_expect_rc(
            mmu1((l4_maddr + 8 * slots[i]) | MMU_PT_UPDATE_PRESERVE_AD, forged),
            -XEN_EINVAL, "running L4: PRESERVE_AD in the slot");
    }
    /* The guest's slots around them are fine. */
    test_expect_rc(mmu1(l4_maddr + 8 * 255, forged), 0, "slot 255");
    test_expect_rc(mmu1(l4_maddr + 8 * 272, forged), 0, "slot 272");
    test_expect_rc(mmu1(l4_maddr + 8 * 255, 0), 0, "clear slot 255");
    test_expect_rc(mmu1(l4_maddr + 8 * 272, 0), 0, "clear slot 272");
    for ( i = 0; i < 16; i++ )
        changed += l4[256 + i] != saved[i];
    test_check(changed == 0, "%u hypervisor slots of the running L4 changed",
               changed);

    /* A new L4 with a forged slot-261 entry written while untyped. */
    test_expect_rc(
        tree_build(&t, TEST_VA, xen_virt_to_mfn((void *)data), XEN_PTE_DATA), 0,
        "tree_build");
    test_expect_rc(mmu1((t.mfn[3] << PAGE_SHIFT) + 8 * 261, forged), 0,
                   "forged slot written while the frame is untyped");
    test_expect_rc(mmuext1(MMUEXT_PIN_L4_TABLE, t.mfn[3]), 0, "pin the L4");
    view = map_ro(t.pfn[3]);
    test_check(view != NULL, "map the L4 read-only");
    if ( view )
    {
        test_check(view[261] != forged,
                   "validation kept the forged slot 261: %#lx", view[261]);
        test_info("pinned L4 slot 261: %#lx (boot L4: %#lx)", view[261],
                  l4[261]);
    }
    test_expect_rc(mmu1((t.mfn[3] << PAGE_SHIFT) + 8 * 261, forged),
                   -XEN_EINVAL, "pinned L4: slot 261");
    test_expect_rc(mmu1((t.mfn[3] << PAGE_SHIFT) + 8 * 256, 0), -XEN_EINVAL,
                   "pinned L4: slot 256");
    /* Alive: the new L4 works as the base pointer. */
    test_expect_rc(mmuext1(MMUEXT_NEW_BASEPTR, t.mfn[3]), 0, "switch");
    data[0] = 0x5107;
    test_check(*(volatile uint64_t *)TEST_VA == 0x5107, "data via the tree");
    test_expect_rc(mmuext1(MMUEXT_NEW_BASEPTR, boot_l4_mfn()), 0, "back");
    test_expect_rc(xen_pfn_unmap(t.pfn[3]), 0, "unmap");
    test_expect_rc(mmuext1(MMUEXT_UNPIN_TABLE, t.mfn[3]), 0, "unpin");
    tree_free(&t);
    xen_page_free((void *)data);
    test_pass_if_clean();
}
