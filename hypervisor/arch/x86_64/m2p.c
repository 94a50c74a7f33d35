/*
 * The machine-to-phys table: for every machine frame, the pseudo-physical
 * frame number its owner knows it by, INVALID_M2P_ENTRY otherwise.  Guests
 * see it read-only at MACH2PHYS_VIRT_START (L4 slot 256, in every guest
 * L4); entries past max_page are not mapped (guests read the table with
 * fault handling, as on Xen).
 *
 * Locking: an entry is written only by whoever owns the frame at the time
 * (builders, memory hypercalls of the owner); readers tolerate races.
 */
#include <hv/errno.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <public/xen.h>
#include <asm/arch.h>

#define INVALID_M2P_ENTRY (~0UL)

static unsigned long *m2p;
static unsigned long m2p_base_mfn, m2p_frames;

int m2p_init(void)
{
    unsigned long bytes = max_page * sizeof(*m2p), i;
    unsigned int order = 0;
    struct page_info *pg;

    while ( (PAGE_SIZE << order) < bytes )
        order++;
    pg = alloc_pages(order, ~0UL);
    if ( !pg )
        return -ENOMEM;
    m2p_base_mfn = page_to_mfn(pg);
    m2p_frames = (bytes + PAGE_SIZE - 1) >> PAGE_SHIFT;
    m2p = mfn_to_virt(m2p_base_mfn);
    for ( i = 0; i < max_page; i++ )
        m2p[i] = INVALID_M2P_ENTRY;
    paging_map_guest_ro(MACH2PHYS_VIRT_START, m2p_base_mfn, m2p_frames);
    return 0;
}

/*
 * The machine frames of the 2 MiB chunks backing the M2P, as
 * XENMEM_machphys_mfn_list reports them (the table is one contiguous
 * block, so chunk i starts at base + 512 * i).  Returns the chunk count.
 */
unsigned long m2p_chunks(unsigned long *mfns, unsigned long max)
{
    unsigned long n = (m2p_frames + 511) / 512, i;

    for ( i = 0; i < n && i < max; i++ )
        mfns[i] = m2p_base_mfn + 512 * i;
    return n;
}

void m2p_set(unsigned long mfn, unsigned long pfn)
{
    if ( mfn < max_page )
        m2p[mfn] = pfn;
}

unsigned long m2p_get(unsigned long mfn)
{
    return mfn < max_page ? m2p[mfn] : INVALID_M2P_ENTRY;
}
