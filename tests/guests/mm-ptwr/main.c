/*
 * mm-ptwr: the writable-page-table assist - with VMASST_TYPE_writable_
 * pagetables on, plain writes (mov of 8 and 4 bytes, xchg, lock cmpxchg)
 * to the guest's own L1 page-table page through its read-only mapping are
 * emulated and validated like mmu_update; an invalid entry (a writable
 * mapping of a page table) and writes to an L2 are refused by delivering
 * the #PF.  Xen 4.17 emulates the writes even without the assist.
 */
#include <public/errno.h>
#include <rt/events.h>
#include <rt/mm.h>
#include <rt/rt.h>
#include <rt/traps.h>

#include "../lib/mm.h"
#include "../lib/test.h"

const char test_title[] = "mm-ptwr: writes to an own L1 page table emulated";

static volatile uint64_t *page[2];
static unsigned long mfn[2];
static unsigned long va, l1_mfn, l1_pfn;
static volatile uint64_t *l1, *pte_p;

static uint64_t pte(unsigned int i)
{
    return (mfn[i] << PAGE_SHIFT) | XEN_PTE_DATA;
}

/* What Xen makes of a kernel entry (§7.2): US and bit 52 added. */
static uint64_t adjusted(uint64_t e)
{
    return e | XEN_PTE_US | XEN_PTE_GUEST_KERNEL;
}

/* Each store returns true when it faulted (the fault is then recorded). */
static bool store64(volatile uint64_t *p, uint64_t v)
{
    uint64_t before = xen_last_trap.count;

    asm volatile("1: movq %1, (%0); 2:" XEN_EXTABLE(1b, 2b)
                 :
                 : "r"(p), "r"(v)
                 : "memory");
    return xen_last_trap.count != before;
}

static bool store32(volatile uint32_t *p, uint32_t v)
{
    uint64_t before = xen_last_trap.count;

    asm volatile("1: movl %1, (%0); 2:" XEN_EXTABLE(1b, 2b)
                 :
                 : "r"(p), "r"(v)
                 : "memory");
    return xen_last_trap.count != before;
}

static bool xchg64(volatile uint64_t *p, uint64_t *v)
{
    uint64_t before = xen_last_trap.count;

    asm volatile("1: xchgq %1, (%0); 2:" XEN_EXTABLE(1b, 2b)
                 : "+r"(p), "+r"(*v)
                 :
                 : "memory");
    return xen_last_trap.count != before;
}

/* lock cmpxchg: *old gets the value found; true when it faulted. */
static bool cmpxchg64(volatile uint64_t *p, uint64_t *old, uint64_t new)
{
    uint64_t before = xen_last_trap.count;

    asm volatile("1: lock cmpxchgq %2, (%1); 2:" XEN_EXTABLE(1b, 2b)
                 : "+a"(*old)
                 : "r"(p), "r"(new)
                 : "memory");
    return xen_last_trap.count != before;
}

static uint64_t reads(void)
{
    mmuext1(MMUEXT_INVLPG_LOCAL, va);
    return *(volatile uint64_t *)va;
}

/* A refused write: the #PF of the write itself, nothing changed. */
static void refused(const char *what, bool faulted, const volatile void *at,
                    uint64_t want_entry)
{
    test_check(faulted, "%s: not refused", what);
    if ( faulted )
        test_check(xen_last_trap.vector == X86_EXC_PF &&
                       (xen_last_trap.error_code & 3) == 3 &&
                       xen_last_trap.cr2 == (uintptr_t)at,
                   "%s: vector %lu error code %#lx cr2 %#lx", what,
                   xen_last_trap.vector, xen_last_trap.error_code,
                   xen_last_trap.cr2);
    test_check(*pte_p == want_entry, "%s: entry now %#lx, want %#lx", what,
               *pte_p, want_entry);
}

static void setup(void)
{
    uint64_t maddr;
    long pfn;

    for ( unsigned int i = 0; i < 2; i++ )
    {
        page[i] = xen_page_alloc();
        if ( !page[i] )
            test_error("no page %u", i);
        mfn[i] = xen_virt_to_mfn((void *)page[i]);
        page[i][0] = i ? 0xbbbb0001 : 0xaaaa0000;
    }
    pfn = xen_pfn_alloc();
    if ( pfn < 0 )
        test_error("no frame");
    va = (unsigned long)xen_pfn_to_virt(pfn);
    /* The runtime's L1 for va (one of its on-demand tables). */
    test_expect_rc(xen_l1e_maddr(va, &maddr), 0, "L1 entry of va");
    l1_mfn = maddr >> PAGE_SHIFT;
    l1_pfn = xen_mfn_to_pfn(l1_mfn);
    test_check(xen_pfn_to_mfn(l1_pfn) == l1_mfn, "M2P of the L1");
    l1 = (volatile uint64_t *)map_ro(l1_pfn);
    if ( !l1 )
        test_fail("cannot map the L1 read-only");
    pte_p = &l1[XEN_PT_INDEX(va, 1)];
    test_info("L1 mfn %#lx seen at %p, entry of va %#lx at %p", l1_mfn,
              (void *)l1, va, (void *)pte_p);
    test_check(*pte_p == 0, "entry of va: %#lx", *pte_p);
}

/*
 * The reference (§7.8) says the emulation needs the assist; Xen 4.17
 * emulates writes to a domain's own L1 whether or not it is enabled (the
 * vm_assist check is gone from its #PF path).  Expect Xen's answer.
 */
static void without_assist(const char *what)
{
    test_check(!store64(pte_p, pte(0)), "%s: faulted", what);
    test_check(*pte_p == adjusted(pte(0)), "%s: entry %#lx", what, *pte_p);
    test_check(reads() == 0xaaaa0000, "%s: va reads %#lx", what, reads());
    test_expect_rc(mmu1(((l1_mfn << PAGE_SHIFT) | 8 * XEN_PT_INDEX(va, 1)) |
                            MMU_NORMAL_PT_UPDATE,
                        0),
                   0, "clear the entry with mmu_update");
    mmuext1(MMUEXT_INVLPG_LOCAL, va);
    test_check(*pte_p == 0 && read_faults((void *)va), "%s: entry %#lx", what,
               *pte_p);
}

static void with_assist(void)
{
    uint64_t v, old;

    test_expect_rc(HYPERVISOR_vm_assist(VMASST_CMD_enable,
                                        VMASST_TYPE_writable_pagetables),
                   0, "enable writable_pagetables");

    /* mov of 8 bytes. */
    test_check(!store64(pte_p, pte(0)), "mov: faulted (vector %lu)",
               xen_last_trap.vector);
    test_check(*pte_p == adjusted(pte(0)), "mov: entry %#lx", *pte_p);
    test_check(reads() == 0xaaaa0000, "mov: va reads %#lx", reads());

    /* mov of 4 bytes: merged with the high half of the entry. */
    test_check(!store32((volatile uint32_t *)pte_p, (uint32_t)pte(1)),
               "movl: faulted");
    test_check(*pte_p == adjusted(pte(1)), "movl: entry %#lx", *pte_p);
    test_check(reads() == 0xbbbb0001, "movl: va reads %#lx", reads());

    /* xchg (implicitly locked). */
    v = pte(0);
    test_check(!xchg64(pte_p, &v), "xchg: faulted");
    test_check(v == adjusted(pte(1)), "xchg: old entry %#lx", v);
    test_check(reads() == 0xaaaa0000, "xchg: va reads %#lx", reads());

    /* lock cmpxchg that succeeds, then one that fails. */
    old = adjusted(pte(0));
    test_check(!cmpxchg64(pte_p, &old, pte(1)), "cmpxchg: faulted");
    test_check(old == adjusted(pte(0)) && *pte_p == adjusted(pte(1)),
               "cmpxchg: found %#lx, entry %#lx", old, *pte_p);
    test_check(reads() == 0xbbbb0001, "cmpxchg: va reads %#lx", reads());
    old = adjusted(pte(0)); /* stale */
    test_check(!cmpxchg64(pte_p, &old, pte(0)), "failing cmpxchg: faulted");
    test_check(old == adjusted(pte(1)) && *pte_p == adjusted(pte(1)),
               "failing cmpxchg: found %#lx, entry %#lx", old, *pte_p);

    /* Invalid entries: the write's #PF is delivered, nothing changes. */
    refused("writable mapping of the L1 itself",
            store64(pte_p, (l1_mfn << PAGE_SHIFT) | XEN_PTE_DATA), pte_p,
            adjusted(pte(1)));
    refused("writable mapping of the boot L4",
            store64(pte_p, (boot_l4_mfn() << PAGE_SHIFT) | XEN_PTE_DATA), pte_p,
            adjusted(pte(1)));
    /* A read-only mapping of a page table is fine. */
    test_check(!store64(pte_p, (l1_mfn << PAGE_SHIFT) | XEN_PTE_P | XEN_PTE_A),
               "read-only mapping of the L1: faulted");
    test_check(reads() == l1[0], "va does not show the L1");

    /* Only L1s are emulated: a write to the boot L2 faults. */
    {
        const uint64_t *l4 = (const uint64_t *)xen_start_info->pt_base;
        unsigned long l3 = xen_mfn_to_pfn((l4[0] & XEN_PTE_ADDR) >> 12);
        const volatile uint64_t *l3v = xen_pfn_to_virt(l3);
        unsigned long l2 = xen_mfn_to_pfn((l3v[0] & XEN_PTE_ADDR) >> 12);
        volatile uint64_t *l2v = xen_pfn_to_virt(l2);
        uint64_t e = l2v[511];

        test_check(store64(&l2v[511], e) &&
                       xen_last_trap.vector == X86_EXC_PF &&
                       xen_last_trap.cr2 == (uintptr_t)&l2v[511],
                   "write to an L2: not refused with #PF");
    }

    /* Clear the entry, then switch the assist off again. */
    test_check(!store64(pte_p, 0), "clear: faulted");
    test_check(*pte_p == 0, "clear: entry %#lx", *pte_p);
    mmuext1(MMUEXT_INVLPG_LOCAL, va);
    test_check(read_faults((void *)va), "va still mapped");
    test_expect_rc(HYPERVISOR_vm_assist(VMASST_CMD_disable,
                                        VMASST_TYPE_writable_pagetables),
                   0, "disable writable_pagetables");
    without_assist("mov after disabling the assist");
    test_expect_rc(HYPERVISOR_vm_assist(7, VMASST_TYPE_writable_pagetables),
                   -XEN_ENOSYS, "vm_assist command 7");
    test_expect_rc(HYPERVISOR_vm_assist(VMASST_CMD_enable, 31), -XEN_EINVAL,
                   "vm_assist type 31");
}

void test_main(void)
{
    setup();
    without_assist("mov without the assist");
    with_assist();
    test_pass_if_clean();
}
