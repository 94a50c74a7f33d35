/*
 * mm-tree: a fresh four-level page-table hierarchy built with mmu_update,
 * pinned, made the base pointer and back, unpinned; PRESERVE_AD keeps the
 * A/D bits; MACHPHYS_UPDATE writes the read-only M2P; a batch that fails
 * part-way reports how many requests were done (mmu_update and mmuext_op)
 */
#include <string.h>

#include <public/errno.h>
#include <rt/mm.h>
#include <rt/rt.h>
#include <rt/traps.h>

#include "../lib/mm.h"
#include "../lib/test.h"

const char test_title[] =
    "mm-tree: build, pin, switch to and unpin a four-level page table";

/* L4 slot 1: nothing of the image's there. */
#define TEST_VA 0x0000008000000000UL

static struct pt_tree t;
static volatile uint64_t *data;
static unsigned long data_mfn;

/* The vCPU's current kernel L4, switched by NEW_BASEPTR. */
static unsigned long cur_base;

static long new_base(unsigned long mfn)
{
    long rc = mmuext1(MMUEXT_NEW_BASEPTR, mfn);

    if ( !rc )
        cur_base = mfn;
    return rc;
}

static void build_and_pin(void)
{
    const volatile uint64_t *l4;
    unsigned int xen_slots = 0;

    data = xen_page_alloc();
    if ( !data )
        test_error("no page for the data");
    data_mfn = xen_virt_to_mfn((void *)data);
    data[0] = 0x7e57da7a;
    test_expect_rc(tree_build(&t, TEST_VA, data_mfn, XEN_PTE_DATA), 0,
                   "tree_build");
    test_info("tree: L4 %#lx L3 %#lx L2 %#lx L1 %#lx (mfns)", t.mfn[3],
              t.mfn[2], t.mfn[1], t.mfn[0]);

    /* Nothing is a page table yet: map them read-only to look at them. */
    l4 = map_ro(t.pfn[3]);
    test_check(l4 != NULL, "map the new L4 read-only");
    if ( !l4 )
        test_fail("cannot read the new L4");
    test_expect_rc(mmuext1(MMUEXT_PIN_L1_TABLE, t.mfn[0]), 0, "pin L1");
    test_expect_rc(mmuext1(MMUEXT_PIN_L1_TABLE, t.mfn[0]), -XEN_EINVAL,
                   "pin L1 again");
    test_expect_rc(mmuext1(MMUEXT_PIN_L4_TABLE, t.mfn[3]), 0, "pin L4");
    test_expect_rc(mmuext1(MMUEXT_PIN_L4_TABLE, t.mfn[3]), -XEN_EINVAL,
                   "pin L4 again");
    /* Pinning a table as the wrong level fails: the L3 is an L3 now. */
    test_expect_rc(mmuext1(MMUEXT_PIN_L2_TABLE, t.mfn[2]), -XEN_EINVAL,
                   "pin the L3 as an L2");

    /* Validation put the hypervisor's own entries into slots 256-271. */
    for ( unsigned int i = 256; i < 272; i++ )
        xen_slots += !!(l4[i] & XEN_PTE_P);
    test_check(xen_slots > 0, "no hypervisor slot present in the pinned L4");
    test_info("pinned L4: %u of the hypervisor slots 256-271 present",
              xen_slots);
    test_check((l4[1] & XEN_PTE_ADDR) >> PAGE_SHIFT == t.mfn[2] &&
                   (l4[1] & XEN_PTE_P),
               "L4[1] = %#lx", l4[1]);
}

static void switch_and_back(void)
{
    volatile uint64_t *v = (volatile uint64_t *)TEST_VA;
    const volatile uint64_t *l1 = map_ro(t.pfn[0]);
    unsigned long boot = boot_l4_mfn();
    uint64_t e;

    test_check(l1 != NULL, "map the L1 read-only");
    test_check(read_faults(v), "TEST_VA mapped before the switch");
    test_expect_rc(new_base(t.mfn[3]), 0, "NEW_BASEPTR to the new L4");
    if ( cur_base != t.mfn[3] )
        test_fail("not running on the new tree");
    /* The same frame through two mappings. */
    test_check(v[0] == 0x7e57da7a, "data through TEST_VA: %#lx", v[0]);
    v[1] = 0x5eed;
    test_check(data[1] == 0x5eed, "write through TEST_VA not seen");
    /* The image, the stack and the heap are still there: so is printf. */
    test_info("running on the new L4");

    /* Hardware set A and D in the L1 entry; Xen added US and bit 52. */
    e = l1[XEN_PT_INDEX(TEST_VA, 1)];
    test_check((e & (XEN_PTE_A | XEN_PTE_D | XEN_PTE_US)) ==
                   (XEN_PTE_A | XEN_PTE_D | XEN_PTE_US),
               "L1 entry %#lx", e);

    /* NORMAL_PT_UPDATE without A/D clears them ... */
    test_expect_rc(mmu1(tree_entry(&t, 0) | MMU_NORMAL_PT_UPDATE,
                        (data_mfn << PAGE_SHIFT) | XEN_PTE_P | XEN_PTE_RW),
                   0, "NORMAL_PT_UPDATE without A/D");
    e = l1[XEN_PT_INDEX(TEST_VA, 1)];
    test_check(!(e & (XEN_PTE_A | XEN_PTE_D)) && (e & XEN_PTE_P),
               "A/D after a normal update: %#lx", e);
    /* ... an access after the flush sets them again ... */
    test_expect_rc(mmuext1(MMUEXT_INVLPG_LOCAL, TEST_VA), 0, "INVLPG_LOCAL");
    v[2] = 1;
    e = l1[XEN_PT_INDEX(TEST_VA, 1)];
    test_check((e & (XEN_PTE_A | XEN_PTE_D)) == (XEN_PTE_A | XEN_PTE_D),
               "A/D after a write: %#lx", e);
    /* ... and PRESERVE_AD keeps them (also when read-only now). */
    test_expect_rc(mmu1(tree_entry(&t, 0) | MMU_PT_UPDATE_PRESERVE_AD,
                        (data_mfn << PAGE_SHIFT) | XEN_PTE_P),
                   0, "PT_UPDATE_PRESERVE_AD");
    e = l1[XEN_PT_INDEX(TEST_VA, 1)];
    test_check((e & (XEN_PTE_A | XEN_PTE_D | XEN_PTE_RW | XEN_PTE_P)) ==
                   (XEN_PTE_A | XEN_PTE_D | XEN_PTE_P),
               "PRESERVE_AD: %#lx", e);
    test_expect_rc(mmuext1(MMUEXT_INVLPG_LOCAL, TEST_VA), 0, "INVLPG_LOCAL");
    test_check(v[0] == 0x7e57da7a, "read through the read-only mapping");
    test_check(write_faults(v, NULL), "write through a read-only mapping");
    test_expect_rc(mmu1(tree_entry(&t, 0) | MMU_PT_UPDATE_PRESERVE_AD,
                        (data_mfn << PAGE_SHIFT) | XEN_PTE_DATA),
                   0, "PRESERVE_AD back to read-write");
    test_expect_rc(mmuext1(MMUEXT_INVLPG_LOCAL, TEST_VA), 0, "INVLPG_LOCAL");

    /* The same base again just reloads CR3. */
    test_expect_rc(new_base(t.mfn[3]), 0, "NEW_BASEPTR to the same L4");
    test_check(v[0] == 0x7e57da7a, "data after the reload");

    test_expect_rc(new_base(boot), 0, "NEW_BASEPTR back to the boot L4");
    test_check(read_faults(v), "TEST_VA still mapped after the switch back");
    test_check(data[2] == 1, "write through TEST_VA lost");
    test_expect_rc(xen_pfn_unmap(t.pfn[0]), 0, "unmap the L1 view");
}

static void machphys(void)
{
    volatile const unsigned long *m2p =
        (volatile const unsigned long *)MACH2PHYS_VIRT_START;
    unsigned long pfn = xen_virt_to_pfn((void *)data);

    test_check(m2p[data_mfn] == pfn, "M2P[%#lx] = %#lx, want %#lx", data_mfn,
               m2p[data_mfn], pfn);
    test_expect_rc(
        mmu1((data_mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, 0x12345), 0,
        "MACHPHYS_UPDATE");
    test_check(m2p[data_mfn] == 0x12345, "M2P after the update: %#lx",
               m2p[data_mfn]);
    test_expect_rc(mmu1((data_mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, pfn), 0,
                   "MACHPHYS_UPDATE back");
    test_check(m2p[data_mfn] == pfn, "M2P restored: %#lx", m2p[data_mfn]);
    /* Commands 4-7 do not exist. */
    test_expect_rc(mmu1((data_mfn << PAGE_SHIFT) | 5, 0), -XEN_ENOSYS,
                   "mmu_update command 5");
}

static void batches(void)
{
    const volatile uint64_t *l1 = map_ro(t.pfn[0]);
    uint64_t base = t.mfn[0] << PAGE_SHIFT,
             ro = (data_mfn << PAGE_SHIFT) | XEN_PTE_P | XEN_PTE_A;
    struct mmu_update u[4] = {
        { base + 8 * 2, ro },
        { base + 8 * 3, ro },
        /* A writable mapping of the (pinned) L1 itself: refused. */
        { base + 8 * 4, (t.mfn[0] << PAGE_SHIFT) | XEN_PTE_DATA },
        { base + 8 * 5, ro },
    };
    struct mmuext_op op[4] = {
        { .cmd = MMUEXT_TLB_FLUSH_LOCAL },
        { .cmd = MMUEXT_INVLPG_LOCAL, .arg1.linear_addr = TEST_VA },
        { .cmd = MMUEXT_UNPIN_TABLE, .arg1.mfn = t.mfn[1] }, /* not pinned */
        { .cmd = MMUEXT_TLB_FLUSH_LOCAL },
    };
    uint32_t done = 0xdeadbeef;

    test_check(l1 != NULL, "map the L1 read-only");
    if ( !l1 )
        return;
    test_expect_rc(
        HYPERVISOR_mmu_update(XEN_ARG(u), 4, XEN_ARG(&done), DOMID_SELF),
        -XEN_EBUSY, "mmu_update batch failing at 2");
    test_check(done == 2, "mmu_update pdone %#x, want 2", done);
    test_check((l1[2] & XEN_PTE_P) && (l1[3] & XEN_PTE_P) && !l1[4] && !l1[5],
               "entries 2-5 after the batch: %#lx %#lx %#lx %#lx", l1[2], l1[3],
               l1[4], l1[5]);
    /* A whole batch: pdone = count. */
    u[2].val = 0;
    u[0].val = u[1].val = u[3].val = 0;
    done = 0xdeadbeef;
    test_expect_rc(
        HYPERVISOR_mmu_update(XEN_ARG(u), 4, XEN_ARG(&done), DOMID_SELF), 0,
        "mmu_update batch of 4");
    test_check(done == 4, "mmu_update pdone %#x, want 4", done);
    test_check(!l1[2] && !l1[3], "entries 2-3 cleared: %#lx %#lx", l1[2],
               l1[3]);

    done = 0xdeadbeef;
    test_expect_rc(
        HYPERVISOR_mmuext_op(XEN_ARG(op), 4, XEN_ARG(&done), DOMID_SELF),
        -XEN_EINVAL, "mmuext_op batch failing at 2");
    test_check(done == 2, "mmuext_op pdone %#x, want 2", done);
    op[2].cmd = MMUEXT_TLB_FLUSH_ALL;
    done = 0xdeadbeef;
    test_expect_rc(
        HYPERVISOR_mmuext_op(XEN_ARG(op), 4, XEN_ARG(&done), DOMID_SELF), 0,
        "mmuext_op batch of 4");
    test_check(done == 4, "mmuext_op pdone %#x, want 4", done);
    test_expect_rc(xen_pfn_unmap(t.pfn[0]), 0, "unmap the L1 view");
}

static void unpin_and_free(void)
{
    test_expect_rc(mmuext1(MMUEXT_UNPIN_TABLE, t.mfn[3]), 0, "unpin L4");
    test_expect_rc(mmuext1(MMUEXT_UNPIN_TABLE, t.mfn[3]), -XEN_EINVAL,
                   "unpin L4 again");
    /* The L1 is still pinned: no writable mapping of it. */
    test_check(xen_pfn_map(t.pfn[0], XEN_PTE_DATA) < 0,
               "writable mapping of a pinned L1 accepted");
    test_expect_rc(mmuext1(MMUEXT_UNPIN_TABLE, t.mfn[0]), 0, "unpin L1");
    /* Devalidated: every frame of the tree may be writable again. */
    for ( unsigned int i = 0; i < 4; i++ )
    {
        test_expect_rc(xen_pfn_map(t.pfn[i], XEN_PTE_DATA), 0,
                       "writable mapping of an unpinned table");
        test_expect_rc(xen_pfn_unmap(t.pfn[i]), 0, "unmap");
    }
    tree_free(&t);
    xen_page_free((void *)data);
}

void test_main(void)
{
    unsigned long free0 = xen_mm_free_pages();

    build_and_pin();
    switch_and_back();
    machphys();
    batches();
    unpin_and_free();
    test_check(xen_mm_free_pages() + xen_mm_table_pages() >= free0,
               "frames lost: %lu free of %lu", xen_mm_free_pages(), free0);
    test_pass_if_clean();
}
