/*
 * mm-alloc: the runtime's page allocator and on-demand mappings - malloc
 * grows past the static .bss heap over the whole allocation, pages come
 * and go mapped at their linear addresses, raw frames are unmapped, and
 * every frame is back in the pool at the end
 */
#include <stdlib.h>
#include <string.h>

#include <public/errno.h>
#include <public/memory.h>
#include <rt/events.h>
#include <rt/mm.h>
#include <rt/rt.h>
#include <rt/traps.h>

#include "../lib/test.h"

const char test_title[] =
    "mm-alloc: page allocator, on-demand mappings, malloc over all memory";

#define BLOCK (1UL << 20)

static bool faults(const volatile uint8_t *p)
{
    uint64_t before = xen_last_trap.count;

    asm volatile("1: movb (%0), %%al; 2:" XEN_EXTABLE(1b, 2b)
                 :
                 : "r"(p)
                 : "rax", "memory");
    return xen_last_trap.count == before + 1 &&
           xen_last_trap.vector == X86_EXC_PF;
}

static void heap(void)
{
    unsigned long total = xen_mm_total_pages(), boot = xen_mm_boot_pages();
    unsigned long want = (total - boot) * PAGE_SIZE / 2, got = 0, bad = 0;
    static uint8_t *blocks[1024];
    unsigned int n = 0;

    test_info("%lu frames, %lu mapped at start of day, %lu free", total, boot,
              xen_mm_free_pages());
    test_check(boot > 0 && boot < total, "boot %lu of %lu", boot, total);
    /* Far more than the 2 MiB static heap. */
    while ( got < want && n < ARRAY_SIZE(blocks) )
    {
        uint8_t *p = malloc(BLOCK);

        if ( !p )
            break;
        memset(p, (uint8_t)n, BLOCK);
        blocks[n++] = p;
        got += BLOCK;
    }
    test_check(got >= want, "malloc gave %lu MiB of %lu", got >> 20,
               want >> 20);
    test_check((uintptr_t)blocks[n - 1] >= (uintptr_t)xen_pfn_to_virt(boot),
               "last block %p below the pool", blocks[n - 1]);
    for ( unsigned int i = 0; i < n; i++ )
        for ( unsigned long off = 0; off < BLOCK; off += 4093 )
            bad += blocks[i][off] != (uint8_t)i;
    test_check(bad == 0, "%lu bytes changed in the heap", bad);
    /* calloc memory is zero, also where the heap was used before. */
    for ( unsigned int i = 0; i < n; i++ )
        free(blocks[i]);
    {
        uint8_t *z = calloc(1, 8 * BLOCK);

        test_check(z != NULL, "calloc of 8 MiB");
        for ( unsigned long off = 0; z && off < 8 * BLOCK; off += 511 )
            bad += z[off] != 0;
        test_check(bad == 0, "calloc: %lu bytes not zero", bad);
        free(z);
    }
    test_info("malloc: %lu MiB in %u blocks", got >> 20, n);
}

static void pages(void)
{
    unsigned long before = xen_mm_free_pages() + xen_mm_table_pages();
    uint8_t *p[64];
    long raw[64];
    unsigned int i;
    int bad = 0;

    for ( i = 0; i < 64; i++ )
    {
        p[i] = xen_page_alloc();
        test_check(p[i] != NULL, "page %u", i);
        if ( !p[i] )
            return;
        for ( unsigned int j = 0; j < PAGE_SIZE; j++ )
            bad += p[i][j] != 0;
        memset(p[i], 0xa5, PAGE_SIZE);
        test_check(xen_virt_to_mfn(p[i]) ==
                       xen_pfn_to_mfn(xen_virt_to_pfn(p[i])),
                   "page %u", i);
    }
    test_check(bad == 0, "%d bytes of new pages not zero", bad);
    test_check(xen_mm_free_pages() + xen_mm_table_pages() == before - 64,
               "free %lu, want %lu", xen_mm_free_pages(), before - 64);
    for ( i = 0; i < 64; i++ )
        xen_page_free(p[i]);
    test_check(faults(p[0]) && faults(p[63]), "a freed page is still mapped");
    test_check(xen_mm_free_pages() + xen_mm_table_pages() == before,
               "free %lu, want %lu", xen_mm_free_pages(), before);

    /* Raw frames: unmapped, distinct, ours (the M2P says so). */
    for ( i = 0; i < 64; i++ )
    {
        raw[i] = xen_pfn_alloc_zeroed();
        test_check(raw[i] > 0, "raw frame %u: %ld", i, raw[i]);
        if ( raw[i] <= 0 )
            return;
        test_check(!xen_pfn_is_free(raw[i]), "frame %ld still free", raw[i]);
        test_check(xen_mfn_to_pfn(xen_pfn_to_mfn(raw[i])) ==
                       (unsigned long)raw[i],
                   "M2P of frame %ld", raw[i]);
        test_check(faults(xen_pfn_to_virt(raw[i])), "raw frame %ld mapped",
                   raw[i]);
    }
    /* Map one read-only, then read-write, at its linear address. */
    test_expect_rc(xen_pfn_map(raw[0], XEN_PTE_P | XEN_PTE_A), 0, "map ro");
    test_check(*(volatile uint64_t *)xen_pfn_to_virt(raw[0]) == 0,
               "zeroed frame");
    test_expect_rc(xen_pfn_map(raw[0], XEN_PTE_DATA), 0, "map rw");
    *(volatile uint64_t *)xen_pfn_to_virt(raw[0]) = 42;
    test_expect_rc(xen_pfn_unmap(raw[0]), 0, "unmap");
    test_check(faults(xen_pfn_to_virt(raw[0])), "unmapped frame mapped");
    for ( i = 0; i < 64; i++ )
        xen_pfn_free(raw[i]);
    test_check(xen_mm_free_pages() + xen_mm_table_pages() == before,
               "free %lu, want %lu", xen_mm_free_pages(), before);
}

static void exhaust(void)
{
    unsigned long free = xen_mm_free_pages(), n = 0;
    static long all[XEN_RT_MAX_PAGES / 8];

    /* Take every frame left, then give them all back. */
    while ( n < ARRAY_SIZE(all) )
    {
        long pfn = xen_pfn_alloc();

        if ( pfn < 0 )
        {
            test_expect_rc(pfn, -XEN_ENOMEM, "pfn_alloc when empty");
            break;
        }
        all[n++] = pfn;
    }
    test_check(n == free, "took %lu frames of %lu free", n, free);
    test_check(xen_page_alloc() == NULL, "page_alloc when empty");
    test_check(malloc(xen_mm_total_pages() * PAGE_SIZE) == NULL,
               "malloc when empty");
    while ( n )
        xen_pfn_free(all[--n]);
    test_check(xen_mm_free_pages() == free, "free %lu, want %lu",
               xen_mm_free_pages(), free);
}

void test_main(void)
{
    domid_t self = DOMID_SELF;
    long resv =
        HYPERVISOR_memory_op(XENMEM_current_reservation, XEN_ARG(&self));

    /* shared_info goes over a .bss page before the allocator starts. */
    if ( !xen_shared_info() )
        test_error("shared_info");
    heap();
    pages();
    exhaust();
    test_expect_rc(
        HYPERVISOR_memory_op(XENMEM_current_reservation, XEN_ARG(&self)), resv,
        "current_reservation unchanged");
    test_pass_if_clean();
}
