/*
 * Default typed-page hooks (PT_HOOKS): weak stand-ins that stop the
 * hypervisor loudly until the architecture and domain code provide the
 * real ones (hv/pagetype.h); a strong definition anywhere replaces them at
 * link time.  A missing flush or L4 fill must never pass silently.
 *
 * Locking: none.
 */
#include <hv/lib.h>
#include <hv/pagetype.h>

__attribute__((weak)) void arch_fill_hv_l4_slots(uint64_t *l4)
{
    panic("arch_fill_hv_l4_slots() not provided");
}

__attribute__((weak)) void arch_foreign_map(const struct page_info *pg,
                                            int delta)
{
    (void)pg, (void)delta; /* nothing counts foreign mappings */
}

__attribute__((weak)) bool arch_cpu_has_nx(void)
{
    return false; /* guests may not set NX: the safe answer */
}

__attribute__((weak)) void arch_flush_stale_tlb(const struct page_info *pg)
{
    panic("arch_flush_stale_tlb() not provided");
}

__attribute__((weak)) void free_domheap_page(struct page_info *pg)
{
    panic("free_domheap_page() not provided");
}
