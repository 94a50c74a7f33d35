/*
 * Records of the typed-page hook shims (pt_shim.c) for test_pagetype.
 */
#ifndef PT_SHIM_H
#define PT_SHIM_H

#include <hv/mm.h>
#include <hv/pagetype.h>

#define SHIM_HV_L4E(slot) (0x8000000000000000UL | ((uint64_t)(slot) << 12) | 1)

extern bool shim_has_nx;              /* arch_cpu_has_nx() */
extern unsigned int shim_flushes;     /* arch_flush_stale_tlb() calls */
extern unsigned long shim_flush_last; /* ... and the last frame */
extern unsigned int shim_l4_fills;    /* arch_fill_hv_l4_slots() calls */
extern unsigned int shim_frees;       /* free_domheap_page() calls */

/*
 * A fake RAM of nr frames (shim_ram_setup()) with a frame table over it
 * (calloc: the caller frees it), given to the allocator with the
 * reservations resv; *free_frames gets what page_alloc_init() freed.
 */
struct page_info *shim_heap_setup(unsigned long nr,
                                  const struct mem_reservation *resv,
                                  unsigned int nr_resv,
                                  unsigned long *free_frames);

#endif /* PT_SHIM_H */
