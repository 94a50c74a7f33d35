/*
 * m2p: the read-only machine-to-phys table agrees with the domain's p2m
 * list for every page it was given, cannot be written, and the memory_op
 * queries (machphys_mapping, machphys_mfn_list, reservations,
 * maximum_gpfn, maximum_ram_page, memory_map) answer consistently
 */
#include <public/errno.h>
#include <public/memory.h>
#include <public/version.h>
#include <string.h>
#include <rt/events.h>
#include <rt/rt.h>
#include <rt/traps.h>

#include "../lib/test.h"

const char test_title[] =
    "m2p: read-only M2P, p2m agreement, memory_op queries";

#define LOW 0x1000UL /* known unmapped */

static void check_m2p(void)
{
    struct xen_machphys_mapping mm = { 0 };
    const xen_pfn_t *p2m = (const xen_pfn_t *)xen_start_info->mfn_list;
    unsigned long nr = xen_start_info->nr_pages, pfn, bad = 0;
    uint64_t before = xen_last_trap.count;
    volatile unsigned long *m2p;

    test_expect_rc(HYPERVISOR_memory_op(XENMEM_machphys_mapping, XEN_ARG(&mm)),
                   0, "machphys_mapping");
    test_check(mm.v_start == MACH2PHYS_VIRT_START, "M2P at %#lx", mm.v_start);
    test_check(mm.v_end > mm.v_start && mm.max_mfn > 0,
               "M2P range %#lx-%#lx max_mfn %#lx", mm.v_start, mm.v_end,
               mm.max_mfn);
    m2p = (volatile unsigned long *)mm.v_start;
    for ( pfn = 0; pfn < nr; pfn++ )
        if ( p2m[pfn] > mm.max_mfn || m2p[p2m[pfn]] != pfn )
            bad++;
    test_check(bad == 0, "%lu of %lu pages disagree between M2P and p2m", bad,
               nr);
    test_info("M2P and p2m agree on all %lu pages", nr);

    /* The M2P is read-only to guests: a write faults. */
    asm volatile("1: movq $0, (%0); 2:" XEN_EXTABLE(1b, 2b)
                 :
                 : "r"(&m2p[p2m[0]])
                 : "memory");
    test_check(xen_last_trap.count == before + 1 &&
                   xen_last_trap.vector == X86_EXC_PF &&
                   (xen_last_trap.error_code & 3) == 3,
               "write to the M2P: count %lu vector %lu error code %#lx",
               xen_last_trap.count - before, xen_last_trap.vector,
               xen_last_trap.error_code);
    test_check(m2p[p2m[0]] == 0, "M2P entry changed");
}

static void check_queries(void)
{
    domid_t self = DOMID_SELF, nobody = 0x7ff5;
    unsigned long nr = xen_start_info->nr_pages;
    xen_pfn_t chunks[4];
    struct xen_machphys_mfn_list ml = { .max_extents = 4,
                                        .extent_start = (uint64_t)chunks };
    long rc;

    rc = HYPERVISOR_memory_op(XENMEM_current_reservation, XEN_ARG(&self));
    test_check(rc == (long)nr, "current_reservation %ld, nr_pages %lu", rc, nr);
    rc = HYPERVISOR_memory_op(XENMEM_maximum_reservation, XEN_ARG(&self));
    test_check(rc >= (long)nr, "maximum_reservation %ld", rc);
    /* maximum_gpfn follows the max_pfn a guest publishes in shared_info. */
    xen_shared_info()->arch.max_pfn = nr;
    rc = HYPERVISOR_memory_op(XENMEM_maximum_gpfn, XEN_ARG(&self));
    test_check(rc == (long)nr - 1, "maximum_gpfn %ld, want %lu", rc, nr - 1);
    rc = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, 0);
    test_check(rc > 0, "maximum_ram_page %ld", rc);
    test_expect_rc(
        HYPERVISOR_memory_op(XENMEM_current_reservation, XEN_ARG(&nobody)),
        -XEN_ESRCH, "current_reservation(no such domain)");
    test_expect_rc(HYPERVISOR_memory_op(XENMEM_current_reservation, LOW),
                   -XEN_EFAULT, "current_reservation(bad pointer)");

    test_expect_rc(HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, XEN_ARG(&ml)),
                   0, "machphys_mfn_list");
    test_check(ml.nr_extents >= 1 && ml.nr_extents <= 4,
               "machphys_mfn_list: %u chunks", ml.nr_extents);
    test_expect_rc(HYPERVISOR_memory_op(XENMEM_machphys_mapping, LOW),
                   -XEN_EFAULT, "machphys_mapping(bad pointer)");
    test_expect_rc(HYPERVISOR_memory_op(0x3f, 0), -XEN_ENOSYS, "memory_op 63");
}

/* Tessera always gives a PV domain its E820; Xen 4.17 only when set. */
static bool on_tessera(void)
{
    char extra[16] = "";

    HYPERVISOR_xen_version(XENVER_extraversion, XEN_ARG(extra));
    return !strcmp(extra, "-tessera");
}

static void check_memory_map(void)
{
    struct e820
    {
        uint64_t addr, size;
        uint32_t type;
    } __attribute__((packed)) map[16];
    struct xen_memory_map m = { .nr_entries = 16, .buffer = (uint64_t)map };
    uint64_t ram = 0;
    unsigned int i;

    long rc = HYPERVISOR_memory_op(XENMEM_memory_map, XEN_ARG(&m));

    if ( rc == -XEN_ENOSYS && !on_tessera() )
    {
        test_info("memory_map: -ENOSYS (no E820 set for this PV domain)");
        return;
    }
    test_expect_rc(rc, 0, "memory_map");
    test_check(m.nr_entries >= 1 && m.nr_entries <= 16, "%u E820 entries",
               m.nr_entries);
    for ( i = 0; i < m.nr_entries && i < 16; i++ )
        if ( map[i].type == 1 )
            ram += map[i].size;
    test_check(ram > 0 && map[0].addr == 0,
               "E820: %lu bytes of RAM, first entry at %#lx", ram, map[0].addr);
    m.buffer = LOW;
    test_expect_rc(HYPERVISOR_memory_op(XENMEM_memory_map, XEN_ARG(&m)),
                   -XEN_EFAULT, "memory_map(bad buffer)");
}

void test_main(void)
{
    check_m2p();
    check_queries();
    check_memory_map();
    test_pass_if_clean();
}
