/*
 * Host shims (PT_SHIM) of the typed-page hooks: arch_fill_hv_l4_slots()
 * writes a recognisable entry per slot, arch_cpu_has_nx() answers a knob,
 * arch_flush_stale_tlb() and free_domheap_page() record their calls; the
 * latter gives the frame back to the buddy allocator as domain code will.
 * shim_heap_setup() builds the frame table and allocator those tests use.
 *
 * Locking: none; unit tests are single-threaded.
 */
#include <stdlib.h>
#include <string.h>

#include <hv/bootinfo.h>
#include <hv/mm.h>
#include <hv/pagetype.h>
#include "pt_shim.h"
#include "shim.h"

bool shim_has_nx;
unsigned int shim_flushes;
unsigned long shim_flush_last;
unsigned int shim_l4_fills;
unsigned int shim_frees;

void arch_fill_hv_l4_slots(uint64_t *l4)
{
    unsigned int i;

    for ( i = PT_HV_SLOT_FIRST; i <= PT_HV_SLOT_LAST; i++ )
        l4[i] = SHIM_HV_L4E(i);
    shim_l4_fills++;
}

long shim_foreign_maps;

void arch_foreign_map(const struct page_info *pg, int delta)
{
    (void)pg;
    shim_foreign_maps += delta;
}

bool arch_cpu_has_nx(void)
{
    return shim_has_nx;
}

void arch_flush_stale_tlb(const struct page_info *pg)
{
    shim_flushes++;
    shim_flush_last = page_to_mfn(pg);
}

void free_domheap_page(struct page_info *pg)
{
    shim_frees++;
    pg->owner = DOMID_XEN;
    if ( free_pages(pg, 0) )
        abort();
}

struct page_info *shim_heap_setup(unsigned long nr,
                                  const struct mem_reservation *resv,
                                  unsigned int nr_resv,
                                  unsigned long *free_frames)
{
    struct boot_info bi;
    struct page_info *t;

    shim_ram_setup(nr);
    memset(&bi, 0, sizeof(bi));
    bi.mem[0].start = 0;
    bi.mem[0].end = nr << PAGE_SHIFT;
    bi.mem[0].type = E820_RAM;
    bi.nr_mem = 1;
    t = calloc(nr, sizeof(*t));
    if ( !t )
        abort();
    *free_frames = page_alloc_init(t, nr, &bi, resv, nr_resv);
    return t;
}
