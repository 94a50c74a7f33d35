/*
 * memory_op: what a domain may learn about memory, and (with memory
 * validation, issue #4) how it changes its reservation.
 *
 * Implemented: maximum_ram_page, current_reservation, maximum_reservation,
 * maximum_gpfn (as Xen: from the max_pfn the guest wrote in shared_info),
 * machphys_mfn_list, machphys_mapping, memory_map (one RAM range over the
 * domain's pages; Xen 4.17 answers -ENOSYS when no E820 was set).  The
 * reservation changes (increase/decrease_reservation, populate_physmap)
 * need reference-counted frames and answer -ENOSYS until then; every
 * other sub-op is -ENOSYS.
 *
 * Locking: reads of a domain's counters take d->lock.
 */
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <public/memory.h>
#include <asm/arch.h>
#include <asm/guest_access.h>
#include <asm/smp.h>

#define MEMOP_CMD_MASK  0x3f /* higher bits: Xen's continuation index */
#define E820_ENTRY_SIZE 20

/* The domain a domid argument names: only oneself until the policy (#5). */
static long target_domain(uint64_t arg, struct domain **out)
{
    domid_t id;
    struct domain *d = current->domain;

    if ( copy_from_guest(&id, arg, sizeof(id)) )
        return -EFAULT;
    if ( id != DOMID_SELF && id != d->domain_id )
    {
        struct domain *o = domain_get(id);

        if ( !o )
            return -ESRCH;
        domain_put(o);
        return -EPERM;
    }
    *out = d;
    return 0;
}

static long machphys_mfn_list(uint64_t arg)
{
    struct xen_machphys_mfn_list l;
    unsigned long mfns[64], n, i;

    if ( copy_from_guest(&l, arg, sizeof(l)) )
        return -EFAULT;
    n = m2p_chunks(mfns, ARRAY_SIZE(mfns));
    n = MIN(n, (unsigned long)MIN(l.max_extents, ARRAY_SIZE(mfns)));
    for ( i = 0; i < n; i++ )
    {
        xen_pfn_t m = mfns[i];

        if ( copy_to_guest(l.extent_start + i * sizeof(m), &m, sizeof(m)) )
            return -EFAULT;
    }
    l.nr_extents = n;
    return copy_to_guest(arg, &l, sizeof(l)) ? -EFAULT : 0;
}

/* The domain's own E820: one RAM range over its pages, as Xen gives PV. */
static long memory_map(struct domain *d, uint64_t arg)
{
    struct xen_memory_map map;
    struct __packed
    {
        uint64_t addr, size;
        uint32_t type;
    } e = { 0, (uint64_t)d->max_pages << PAGE_SHIFT, 1 };

    BUILD_BUG_ON(sizeof(e) != E820_ENTRY_SIZE);
    if ( copy_from_guest(&map, arg, sizeof(map)) )
        return -EFAULT;
    if ( map.nr_entries < 1 )
        return -EINVAL;
    if ( copy_to_guest(map.buffer, &e, sizeof(e)) )
        return -EFAULT;
    map.nr_entries = 1;
    return copy_to_guest(arg, &map, sizeof(map)) ? -EFAULT : 0;
}

long do_memory_op(HYPERCALL_ARGS)
{
    unsigned int cmd = a1 & MEMOP_CMD_MASK;
    uint64_t arg = a2;
    struct domain *d;
    long rc;

    if ( a1 & ~(unsigned long)MEMOP_CMD_MASK )
        return -ENOSYS; /* no continuations of our own to resume */
    switch ( cmd )
    {
    case XENMEM_maximum_ram_page:
        return max_page;
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
    case XENMEM_maximum_gpfn:
        rc = target_domain(arg, &d);
        if ( rc )
            return rc;
        if ( cmd == XENMEM_current_reservation )
            return d->tot_pages;
        if ( cmd == XENMEM_maximum_reservation )
            return d->max_pages;
        /* As Xen: from the max_pfn the guest published in shared_info. */
        {
            uint64_t max_pfn = __atomic_load_n(&d->shared_info->arch.max_pfn,
                                               __ATOMIC_RELAXED);

            return (long)((max_pfn ? max_pfn : 1) - 1);
        }
    case XENMEM_machphys_mfn_list:
        return machphys_mfn_list(arg);
    case XENMEM_machphys_mapping:
    {
        struct xen_machphys_mapping m = { MACH2PHYS_VIRT_START,
                                          MACH2PHYS_VIRT_END,
                                          MACH2PHYS_NR_ENTRIES - 1 };

        return copy_to_guest(arg, &m, sizeof(m)) ? -EFAULT : 0;
    }
    case XENMEM_memory_map:
        return memory_map(current->domain, arg);
    default:
        return -ENOSYS;
    }
}
