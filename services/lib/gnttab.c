/*
 * Grant tables for guests (rt/gnttab.h).
 *
 * Locking: none; one vCPU.  The table is the granter's memory shared with
 * the hypervisor: entries are published flags-last, and ended with a
 * compare-and-exchange so the check of GTF_reading/GTF_writing and the
 * clearing are one step.
 */
#include <string.h>

#include <public/errno.h>
#include <rt/gnttab.h>
#include <rt/mm.h>
#include <rt/rt.h>

#define GNTTAB_ENTRIES  512 /* one frame of v1 entries */
#define GNTTAB_RESERVED 8   /* refs 0-7: console, xenstore, ... */

static struct grant_entry_v1 *table;
static uint8_t used[GNTTAB_ENTRIES];

void *xen_va_hole(void)
{
    long pfn = xen_pfn_alloc();

    if ( pfn < 0 || xen_pfn_map((unsigned long)pfn, XEN_PTE_DATA) ||
         xen_pfn_unmap((unsigned long)pfn) )
        return NULL;
    return xen_pfn_to_virt((unsigned long)pfn);
}

int xen_gnttab_init(void)
{
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1 };
    xen_pfn_t frame = 0;
    void *at;
    long rc;

    if ( table )
        return 0;
    at = xen_va_hole();
    if ( !at )
        return -XEN_ENOMEM;
    st.frame_list = (uint64_t)&frame;
    rc = HYPERVISOR_grant_table_op(GNTTABOP_setup_table, XEN_ARG(&st), 1);
    if ( !rc && st.status )
        rc = -XEN_EINVAL;
    if ( !rc )
        rc = HYPERVISOR_update_va_mapping(
            (unsigned long)at, (frame << 12) | XEN_PTE_DATA, UVMF_INVLPG);
    if ( rc )
        return (int)rc;
    table = at;
    return 0;
}

struct grant_entry_v1 *xen_gnttab_table(void)
{
    return table;
}

void xen_gnttab_grant_at(grant_ref_t ref, domid_t to, unsigned long mfn,
                         bool readonly)
{
    used[ref] = 1;
    table[ref].domid = to;
    table[ref].frame = (uint32_t)mfn;
    /* The flags last: the entry is complete when it becomes valid. */
    __atomic_store_n(&table[ref].flags,
                     GTF_permit_access | (readonly ? GTF_readonly : 0),
                     __ATOMIC_RELEASE);
}

long xen_gnttab_grant(domid_t to, unsigned long mfn, bool readonly)
{
    grant_ref_t ref;

    for ( ref = GNTTAB_RESERVED; ref < GNTTAB_ENTRIES; ref++ )
        if ( !used[ref] && !table[ref].flags )
        {
            xen_gnttab_grant_at(ref, to, mfn, readonly);
            return ref;
        }
    return -XEN_ENOSPC;
}

int xen_gnttab_end(grant_ref_t ref)
{
    uint16_t flags = __atomic_load_n(&table[ref].flags, __ATOMIC_ACQUIRE);

    do
    {
        if ( flags & (GTF_reading | GTF_writing) )
            return -XEN_EBUSY;
    } while ( !__atomic_compare_exchange_n(&table[ref].flags, &flags, 0, false,
                                           __ATOMIC_ACQ_REL,
                                           __ATOMIC_ACQUIRE) );
    used[ref] = 0;
    return 0;
}

int16_t xen_gnttab_map(domid_t dom, grant_ref_t ref, void *at, bool readonly,
                       grant_handle_t *handle)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = (uint64_t)at,
        .flags = GNTMAP_host_map | (readonly ? GNTMAP_readonly : 0),
        .ref = ref,
        .dom = dom,
    };

    if ( HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, XEN_ARG(&op), 1) )
        return GNTST_general_error;
    *handle = op.handle;
    return op.status;
}

int16_t xen_gnttab_unmap(void *at, grant_handle_t handle)
{
    struct gnttab_unmap_grant_ref op = { .host_addr = (uint64_t)at,
                                         .handle = handle };

    if ( HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, XEN_ARG(&op), 1) )
        return GNTST_general_error;
    return op.status;
}

int16_t xen_gnttab_copy(domid_t dom, grant_ref_t ref, uint16_t off,
                        unsigned long mfn, uint16_t mfn_off, uint16_t len,
                        bool from_grant)
{
    struct gnttab_copy c;
    struct gnttab_copy_ptr *theirs = from_grant ? &c.source : &c.dest;
    struct gnttab_copy_ptr *ours = from_grant ? &c.dest : &c.source;

    memset(&c, 0, sizeof(c));
    theirs->u.ref = ref;
    theirs->domid = dom;
    theirs->offset = off;
    ours->u.gmfn = mfn;
    ours->domid = DOMID_SELF;
    ours->offset = mfn_off;
    c.len = len;
    c.flags = from_grant ? GNTCOPY_source_gref : GNTCOPY_dest_gref;
    if ( HYPERVISOR_grant_table_op(GNTTABOP_copy, XEN_ARG(&c), 1) )
        return GNTST_general_error;
    return c.status;
}
