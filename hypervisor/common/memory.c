/*
 * memory_op: what a domain may learn about memory, and how it changes its
 * reservation.
 *
 * Reservations: increase_reservation and populate_physmap give a PV domain
 * new frames (returning their MFNs; populate_physmap also records the
 * given pfns in the M2P), decrease_reservation gives frames back (each
 * leaves when its last mapping goes).  All return the number of extents
 * done, stop at the first that fails, and are preemptible (the start
 * index rides in the command's upper bits, as in Xen).
 *
 * Queries: maximum_ram_page, current_reservation, maximum_reservation,
 * maximum_gpfn (as Xen: from the max_pfn the guest wrote in shared_info),
 * machphys_mfn_list, machphys_mapping, memory_map (one RAM range over the
 * domain's pages; Xen 4.17 answers -ENOSYS when no E820 was set).  Every
 * other sub-op is -ENOSYS.
 *
 * Locking: reads of a domain's counters take d->lock.
 */
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/pagetype.h>
#include <hv/policy.h>
#include <public/memory.h>
#include <asm/arch.h>
#include <asm/guest_access.h>
#include <asm/smp.h>

#define MEMOP_CMD_MASK     0x3f /* higher bits: the continuation index */
#define MEMOP_EXTENT_SHIFT 6
#define MAX_EXTENT_ORDER   9 /* 2 MiB extents at most */
#define E820_ENTRY_SIZE    20

/*
 * The domain a domid names, referenced: oneself, or a child the caller may
 * still build (the policy's populate rule).
 */
static long target_domain_id(domid_t id, struct domain **out)
{
    struct domain *d = current->domain, *o;
    struct policy_subject cs, ts;
    int rc;

    if ( id == DOMID_SELF || id == d->domain_id )
    {
        domain_get_ref(d);
        *out = d;
        return 0;
    }
    o = domain_get(id);
    if ( !o )
        return -ESRCH;
    cs = policy_subject_of(d);
    ts = policy_subject_of(o);
    rc = policy_populate_foreign(&cs, &ts);
    if ( rc )
    {
        domain_put(o);
        return rc;
    }
    *out = o;
    return 0;
}

static long target_domain(uint64_t arg, struct domain **out)
{
    domid_t id;

    if ( copy_from_guest(&id, arg, sizeof(id)) )
        return -EFAULT;
    return target_domain_id(id, out);
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

/* Give 2^order fresh frames to d; the first MFN in *mfn.  -ENOMEM. */
static int grow(struct domain *d, unsigned int order, unsigned long max_mfn,
                unsigned long *mfn)
{
    unsigned long i, j, n = 1UL << order;
    struct page_info *pg;

    if ( d->max_pages && d->tot_pages + n > d->max_pages )
        return -ENOMEM;
    pg = alloc_pages(order, max_mfn);
    if ( !pg )
        return -ENOMEM;
    *mfn = page_to_mfn(pg);
    /* Scrubbed: nothing of a previous owner reaches the next one. */
    memset(mfn_to_virt(*mfn), 0, n << PAGE_SHIFT);
    for ( i = 0; i < n; i++ )
        if ( domain_assign_page(d, *mfn + i) )
            break;
    if ( i == n )
        return 0;
    /* Lost a race for the last pages: undo, the assigned ones as frames. */
    for ( j = 0; j < i; j++ )
        page_release_allocated(mfn_to_page(*mfn + j));
    for ( j = i; j < n; j++ )
        free_pages(mfn_to_page(*mfn + j), 0);
    return -ENOMEM;
}

/* d gives back 2^order frames from mfn: each leaves with its last ref. */
static int shrink(struct domain *d, unsigned long mfn, unsigned int order)
{
    unsigned long i, n = 1UL << order;

    for ( i = 0; i < n; i++ )
    {
        struct page_info *pg = get_page_from_mfn(mfn + i, d->domain_id);
        bool ok;

        if ( !pg || mfn + i == d->shared_info_mfn )
        {
            if ( pg )
                put_page(pg);
            return -EINVAL;
        }
        spin_lock(&d->page_lock);
        ok = page_release_allocated(pg);
        spin_unlock(&d->page_lock);
        put_page(pg);
        if ( !ok )
            return -EINVAL;
    }
    return 0;
}

static long reservation_op(unsigned int cmd, uint64_t arg, unsigned long start)
{
    struct xen_memory_reservation r;
    unsigned long i, max_mfn = ~0UL, mfn;
    struct domain *d;
    xen_pfn_t x;
    long rc;

    if ( copy_from_guest(&r, arg, sizeof(r)) )
        return -EFAULT;
    rc = target_domain_id(r.domid, &d);
    if ( rc )
        return rc;
    if ( r.extent_order > MAX_EXTENT_ORDER || start > r.nr_extents )
    {
        domain_put(d);
        return start; /* as Xen: nothing (more) done */
    }
    if ( (r.mem_flags & 0xff) && (r.mem_flags & 0xff) < 64 )
        max_mfn = 1UL << ((r.mem_flags & 0xff) - PAGE_SHIFT);

    for ( i = start; i < r.nr_extents; i++ )
    {
        uint64_t slot = r.extent_start + i * sizeof(x);

        if ( i != start && hypercall_preempt_check() )
        {
            unsigned long args[5] = { cmd | (i << MEMOP_EXTENT_SHIFT), arg };

            domain_put(d);
            return hypercall_create_continuation(__HYPERVISOR_memory_op, 2,
                                                 args);
        }
        if ( cmd != XENMEM_increase_reservation &&
             copy_from_guest(&x, slot, sizeof(x)) )
            break;
        if ( cmd == XENMEM_decrease_reservation )
        {
            if ( shrink(d, x, r.extent_order) )
                break;
            continue;
        }
        if ( grow(d, r.extent_order, max_mfn, &mfn) )
            break;
        if ( cmd == XENMEM_populate_physmap )
        {
            unsigned long j;

            for ( j = 0; j < (1UL << r.extent_order); j++ )
                m2p_set(mfn + j, x + j);
        }
        x = mfn;
        if ( copy_to_guest(slot, &x, sizeof(x)) )
        {
            shrink(d, mfn, r.extent_order); /* the guest never saw it */
            break;
        }
    }
    domain_put(d);
    return i;
}

long do_memory_op(HYPERCALL_ARGS)
{
    unsigned int cmd = a1 & MEMOP_CMD_MASK;
    uint64_t arg = a2;
    struct domain *d;
    long rc;

    if ( (a1 >> MEMOP_EXTENT_SHIFT) && cmd != XENMEM_increase_reservation &&
         cmd != XENMEM_decrease_reservation && cmd != XENMEM_populate_physmap )
        return -ENOSYS; /* only reservations continue */
    switch ( cmd )
    {
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        return reservation_op(cmd, arg, a1 >> MEMOP_EXTENT_SHIFT);
    case XENMEM_maximum_ram_page:
        return max_page;
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
    case XENMEM_maximum_gpfn:
        rc = target_domain(arg, &d);
        if ( rc )
            return rc;
        if ( cmd == XENMEM_current_reservation )
            rc = d->tot_pages;
        else if ( cmd == XENMEM_maximum_reservation )
            rc = d->max_pages;
        else
        {
            /* As Xen: from the max_pfn the guest published in shared_info. */
            uint64_t max_pfn = __atomic_load_n(&d->shared_info->arch.max_pfn,
                                               __ATOMIC_RELAXED);

            rc = (long)((max_pfn ? max_pfn : 1) - 1);
        }
        domain_put(d);
        return rc;
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
