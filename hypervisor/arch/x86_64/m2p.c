/*
 * The machine-to-phys table: for every machine frame, the pseudo-physical
 * frame number its owner knows it by, INVALID_M2P_ENTRY otherwise.  Guests
 * will see it read-only at MACH2PHYS_VIRT_START (issue #4).
 *
 * Locking: an entry is written only by whoever owns the frame at the time
 * (builders, memory hypercalls of the owner); readers tolerate races.
 */
#include <hv/errno.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <asm/arch.h>

#define INVALID_M2P_ENTRY (~0UL)

static unsigned long *m2p;

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
    m2p = mfn_to_virt(page_to_mfn(pg));
    for ( i = 0; i < max_page; i++ )
        m2p[i] = INVALID_M2P_ENTRY;
    return 0;
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
