/*
 * mm-balloon: decrease_reservation gives frames back (they cannot be
 * mapped afterwards), increase_reservation and populate_physmap get new
 * ones, the guest keeps its p2m list and the M2P (MMU_MACHPHYS_UPDATE)
 * consistent, current_reservation follows tot_pages and never passes
 * maximum_reservation, and memory_map describes the guest's RAM
 */
#include <public/errno.h>
#include <public/memory.h>
#include <rt/mm.h>
#include <rt/rt.h>

#include "../lib/mm.h"
#include "../lib/test.h"

const char test_title[] =
    "mm-balloon: reservations down and up, p2m and M2P kept consistent";

#define N 16

static const volatile unsigned long *m2p =
    (const volatile unsigned long *)MACH2PHYS_VIRT_START;

static long memop(unsigned int cmd, xen_pfn_t *list, unsigned long nr)
{
    struct xen_memory_reservation r = { .extent_start = (uint64_t)list,
                                        .nr_extents = nr,
                                        .extent_order = 0,
                                        .domid = DOMID_SELF };

    return HYPERVISOR_memory_op(cmd, XEN_ARG(&r));
}

static long reservation(void)
{
    domid_t self = DOMID_SELF;

    return HYPERVISOR_memory_op(XENMEM_current_reservation, XEN_ARG(&self));
}

/* Give pfn[] the frames in list[]: p2m, then the M2P by hypercall. */
static void adopt(const long *pfn, const xen_pfn_t *list, unsigned int n)
{
    xen_pfn_t *p2m = (xen_pfn_t *)xen_start_info->mfn_list;

    for ( unsigned int i = 0; i < n; i++ )
    {
        p2m[pfn[i]] = list[i];
        test_expect_rc(
            mmu1((list[i] << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, pfn[i]), 0,
            "MACHPHYS_UPDATE of a new frame");
        test_check(m2p[list[i]] == (unsigned long)pfn[i],
                   "M2P[%#lx] = %#lx, want %#lx", list[i], m2p[list[i]],
                   pfn[i]);
    }
}

/* Each frame usable: mapped at its linear address, written, read. */
static void use(const long *pfn, unsigned int n)
{
    for ( unsigned int i = 0; i < n; i++ )
    {
        volatile uint64_t *p = xen_pfn_to_virt(pfn[i]);

        test_expect_rc(xen_pfn_map(pfn[i], XEN_PTE_DATA), 0, "map");
        p[0] = 0xba11 + i;
        test_check(p[0] == 0xba11 + i, "frame %u", i);
        test_expect_rc(xen_pfn_unmap(pfn[i]), 0, "unmap");
    }
}

static void balloon(void)
{
    xen_pfn_t *p2m = (xen_pfn_t *)xen_start_info->mfn_list;
    domid_t self = DOMID_SELF;
    long r0 = reservation(), max, pfn[N];
    xen_pfn_t list[N], gone[N], bad = 0xffffffffffUL;
    unsigned int i;
    uint64_t maddr;

    max = HYPERVISOR_memory_op(XENMEM_maximum_reservation, XEN_ARG(&self));
    test_check(r0 == (long)xen_start_info->nr_pages,
               "current_reservation %ld, nr_pages %lu", r0,
               xen_start_info->nr_pages);
    test_info("reservation %ld pages, maximum %ld", r0, max);

    for ( i = 0; i < N; i++ )
    {
        pfn[i] = xen_pfn_alloc();
        if ( pfn[i] < 0 )
            test_error("no frame");
        gone[i] = list[i] = xen_pfn_to_mfn(pfn[i]);
    }
    /* Down. */
    test_expect_rc(memop(XENMEM_decrease_reservation, list, N), N,
                   "decrease_reservation");
    for ( i = 0; i < N; i++ )
        p2m[pfn[i]] = ~0UL;
    test_expect_rc(reservation(), r0 - N, "current_reservation after");
    test_info("M2P of a frame given back: %#lx", m2p[gone[0]]);
    test_expect_rc(
        xen_l1e_maddr((unsigned long)xen_pfn_to_virt(pfn[0]), &maddr), 0,
        "L1 entry");
    test_expect_rc(mmu1(maddr, (gone[0] << PAGE_SHIFT) | XEN_PTE_DATA),
                   -XEN_EBUSY, "mapping a frame given back");
    test_expect_rc(memop(XENMEM_decrease_reservation, gone, 1), 0,
                   "giving the same frame back twice");
    test_expect_rc(memop(XENMEM_decrease_reservation, &bad, 1), 0,
                   "giving back a frame that does not exist");
    test_expect_rc(reservation(), r0 - N, "current_reservation unchanged");

    /* Up, half by increase_reservation (the guest sets the M2P). */
    test_expect_rc(memop(XENMEM_increase_reservation, list, N / 2), N / 2,
                   "increase_reservation");
    adopt(pfn, list, N / 2);
    test_expect_rc(reservation(), r0 - N / 2, "current_reservation");

    /* The other half by populate_physmap: gpfns in, frames out. */
    for ( i = 0; i < N / 2; i++ )
        list[i] = pfn[N / 2 + i];
    test_expect_rc(memop(XENMEM_populate_physmap, list, N / 2), N / 2,
                   "populate_physmap");
    for ( i = 0; i < N / 2; i++ )
        test_check(list[i] < 0xffffffffffUL &&
                       m2p[list[i]] == (unsigned long)pfn[N / 2 + i],
                   "populate_physmap %u: frame %#lx, M2P %#lx", i, list[i],
                   m2p[list[i]]);
    adopt(&pfn[N / 2], list, N / 2);
    test_expect_rc(reservation(), r0, "current_reservation back");
    use(pfn, N);

    /* Never beyond the maximum. */
    if ( r0 == max )
    {
        test_expect_rc(memop(XENMEM_increase_reservation, list, 1), 0,
                       "increase_reservation beyond the maximum");
        test_expect_rc(reservation(), r0, "current_reservation at the max");
        /* (Below the maximum a bad list would cost a frame in Xen.) */
        test_expect_rc(
            memop(XENMEM_increase_reservation, (xen_pfn_t *)0x1000, 1), 0,
            "increase_reservation with a bad list");
    }
    for ( i = 0; i < N; i++ )
        xen_pfn_free(pfn[i]);
}

static void memory_map(void)
{
    struct e820
    {
        uint64_t addr, size;
        uint32_t type;
    } __attribute__((packed)) map[16];
    struct xen_memory_map m = { .nr_entries = 16, .buffer = (uint64_t)map };
    uint64_t ram = 0;
    long rc = HYPERVISOR_memory_op(XENMEM_memory_map, XEN_ARG(&m));

    /* Xen 4.17 has no E820 for a PV dom0 nobody set one for. */
    if ( rc == -XEN_ENOSYS && !on_tessera() )
    {
        test_info("memory_map: -ENOSYS (no E820 set for this PV domain)");
        return;
    }
    test_expect_rc(rc, 0, "memory_map");
    test_check(m.nr_entries >= 1 && m.nr_entries <= 16, "%u entries",
               m.nr_entries);
    for ( unsigned int i = 0; i < m.nr_entries && i < 16; i++ )
        if ( map[i].type == 1 )
            ram += map[i].size;
    test_check(ram >= (uint64_t)xen_start_info->nr_pages * PAGE_SIZE,
               "E820 RAM %#lx bytes for %lu pages", ram,
               xen_start_info->nr_pages);
}

void test_main(void)
{
    balloon();
    memory_map();
    test_pass_if_clean();
}
