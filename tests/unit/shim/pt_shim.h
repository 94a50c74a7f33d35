/*
 * Records of the typed-page hook shims (pt_shim.c) for test_pagetype.
 */
#ifndef PT_SHIM_H
#define PT_SHIM_H

#include <hv/pagetype.h>

#define SHIM_HV_L4E(slot) (0x8000000000000000UL | ((uint64_t)(slot) << 12) | 1)

extern bool shim_has_nx;              /* arch_cpu_has_nx() */
extern unsigned int shim_flushes;     /* arch_flush_stale_tlb() calls */
extern unsigned long shim_flush_last; /* ... and the last frame */
extern unsigned int shim_l4_fills;    /* arch_fill_hv_l4_slots() calls */
extern unsigned int shim_frees;       /* free_domheap_page() calls */

#endif /* PT_SHIM_H */
