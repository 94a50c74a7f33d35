/*
 * Test-guest helpers for Tessera-only interfaces (see tessera.h).
 *
 * Locking: none; single vCPU.
 */
#include <string.h>

#include <public/memory.h>
#include <rt/rt.h>

#include "tessera.h"

#define PTE_RW_DATA 0x63UL

uint8_t tessera_window[4096] __attribute__((aligned(4096)));

long tdomctl(struct tessera_domctl *op, uint32_t cmd, domid_t dom)
{
    op->cmd = cmd;
    op->interface_version = TESSERA_DOMCTL_INTERFACE_VERSION;
    op->domain = dom;
    return HYPERVISOR_domctl(XEN_ARG(op));
}

long tdomctl0(uint32_t cmd, domid_t dom)
{
    struct tessera_domctl op;

    memset(&op, 0, sizeof(op));
    return tdomctl(&op, cmd, dom);
}

long tset_caps(domid_t dom, uint32_t caps)
{
    struct tessera_domctl op;

    memset(&op, 0, sizeof(op));
    op.u.set_caps.caps = caps;
    return tdomctl(&op, TESSERA_DOMCTL_set_caps, dom);
}

long tpopulate(domid_t dom, xen_pfn_t *frames, unsigned long n)
{
    struct xen_memory_reservation r = { .extent_start = (uint64_t)frames,
                                        .nr_extents = n,
                                        .domid = dom };

    return HYPERVISOR_memory_op(XENMEM_increase_reservation, XEN_ARG(&r));
}

long tmap_other(domid_t dom, xen_pfn_t mfn)
{
    return HYPERVISOR_update_va_mapping_otherdomain(
        (unsigned long)tessera_window, mfn ? (mfn << 12) | PTE_RW_DATA : 0,
        UVMF_INVLPG, dom);
}
