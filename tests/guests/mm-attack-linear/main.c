/*
 * mm-attack-linear: the recursive (linear) page-table trick - an L4 entry
 * pointing at the L4 itself, an L3 entry at an L3 - is refused with
 * -EINVAL when writable (it would give a writable view of page tables) and
 * allowed read-only as Xen does; through the read-only self-map the L4 is
 * readable and a write to it faults; the attacker lives on, the L4 intact
 */
#include <public/errno.h>
#include <rt/mm.h>
#include <rt/rt.h>

#include "../lib/mm.h"
#include "../lib/test.h"

const char test_title[] =
    "mm-attack-linear: writable linear page tables refused";

#define SLOT 300UL /* a guest slot of the upper half */

/* The address of the L4 itself through a self-map in slot SLOT. */
static volatile uint64_t *self_view(void)
{
    return (volatile uint64_t *)(0xffff000000000000UL | (SLOT << 39) |
                                 (SLOT << 30) | (SLOT << 21) | (SLOT << 12));
}

void test_main(void)
{
    const volatile uint64_t *l4 =
        (const volatile uint64_t *)xen_start_info->pt_base;
    unsigned long l4_mfn = boot_l4_mfn();
    uint64_t l4_maddr = l4_mfn << PAGE_SHIFT, ec = 0;
    unsigned long l3 = (l4[0] & XEN_PTE_ADDR) >> PAGE_SHIFT;
    volatile uint64_t *view = self_view();
    uint64_t before[512];
    unsigned int i, changed = 0;

    for ( i = 0; i < 512; i++ )
        before[i] = l4[i];

    /* Writable self-maps: refused at every level we can reach. */
    test_expect_rc(mmu1(l4_maddr + 8 * SLOT, l4_maddr | XEN_PTE_TABLE),
                   -XEN_EINVAL, "writable L4 self-map");
    test_expect_rc(
        mmu1((l3 << PAGE_SHIFT) + 8 * 511, (l3 << PAGE_SHIFT) | XEN_PTE_TABLE),
        -XEN_EINVAL, "writable L3 self-map");
    test_check(l4[SLOT] == 0, "slot %lu now %#lx", SLOT, l4[SLOT]);

    /* Read-only ones are allowed. */
    test_expect_rc(mmu1(l4_maddr + 8 * SLOT,
                        l4_maddr | XEN_PTE_P | XEN_PTE_US | XEN_PTE_A),
                   0, "read-only L4 self-map");
    test_check(view[0] == l4[0] && view[SLOT] == l4[SLOT],
               "the L4 through itself: %#lx %#lx", view[0], view[SLOT]);
    test_check(write_faults(&view[400], &ec) && (ec & 3) == 3,
               "write through the self-map: error code %#lx", ec);
    test_check(view[400] == 0 && l4[400] == 0, "slot 400 changed");
    /* Flipping the self-map to writable in place is refused too. */
    test_expect_rc(mmu1(l4_maddr + 8 * SLOT, l4_maddr | XEN_PTE_TABLE),
                   -XEN_EINVAL, "making the self-map writable");
    test_expect_rc(mmu1((l4_maddr + 8 * SLOT) | MMU_PT_UPDATE_PRESERVE_AD,
                        l4_maddr | XEN_PTE_TABLE),
                   -XEN_EINVAL, "making it writable with PRESERVE_AD");
    test_expect_rc(mmu1((l3 << PAGE_SHIFT) + 8 * 511,
                        (l3 << PAGE_SHIFT) | XEN_PTE_P | XEN_PTE_A),
                   0, "read-only L3 linear entry");
    test_expect_rc(mmu1((l3 << PAGE_SHIFT) + 8 * 511, 0), 0,
                   "remove the L3 linear entry");
    test_expect_rc(mmu1(l4_maddr + 8 * SLOT, 0), 0, "remove the self-map");
    test_expect_rc(mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0), 0, "flush");
    test_check(read_faults(view), "self-map still there");

    for ( i = 0; i < 512; i++ )
        changed += l4[i] != before[i];
    test_check(changed == 0, "%u L4 entries changed", changed);
    test_pass_if_clean();
}
