/*
 * Unit tests for common/page_alloc.c: frame-table set-up and reservations,
 * the buddy allocator (splitting, coalescing, exhaustion, max_mfn, every
 * -EINVAL case of free_pages) and mm_find_free().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hv/errno.h>
#include <hv/lib.h>
#include <hv/mm.h>

#include "shim.h"

#define NR_FRAMES 0x2000UL /* 32 MiB */

static struct boot_info bi;
static struct page_info *table;

static const struct mem_reservation std_resv[] = {
    { 0, 0x100000, "low memory" },
    { 0x200000, 0x380800, "hypervisor image" }, /* ends mid-frame 0x380 */
    { 0x381000, 0x381001, "module 0" },         /* one byte of frame 0x381 */
    { 0x3fffff, 0x400001, "module 1" },         /* frames 0x3ff and 0x400 */
};
#define STD_FREE (0x1f00UL - 0x181 - 1 - 2)

static void add_mem(paddr_t s, paddr_t e, uint32_t type)
{
    bi.mem[bi.nr_mem].start = s;
    bi.mem[bi.nr_mem].end = e;
    bi.mem[bi.nr_mem].type = type;
    bi.nr_mem++;
}

static bool std_reserved(unsigned long mfn)
{
    return mfn < 0x100 || (mfn >= 0x200 && mfn <= 0x381) || mfn == 0x3ff ||
           mfn == 0x400;
}

static unsigned long init(const struct mem_reservation *r, unsigned int n,
                          unsigned long frames)
{
    free(table);
    table = calloc(frames, sizeof(*table));
    assert_non_null(table);
    return page_alloc_init(table, frames, &bi, r, n);
}

static int setup_std(void **state)
{
    (void)state;
    memset(&bi, 0, sizeof(bi));
    add_mem(0, 0x9fc00, E820_RAM);
    add_mem(0x9fc00, 0xa0000, E820_RESERVED);
    add_mem(0xf0000, 0x100000, E820_RESERVED);
    add_mem(0x100000, NR_FRAMES << PAGE_SHIFT, E820_RAM);
    add_mem(0xfec00000, 0xfec01000, E820_RESERVED); /* beyond the table */
    assert_int_equal(init(std_resv, ARRAY_SIZE(std_resv), NR_FRAMES), STD_FREE);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(table);
    table = NULL;
    return 0;
}

static void test_init_flags(void **state)
{
    (void)state;
    assert_ptr_equal(frame_table, table);
    assert_int_equal(max_page, NR_FRAMES);
    assert_int_equal(page_alloc_total_frames(), STD_FREE);
    assert_int_equal(page_alloc_free_frames(), STD_FREE);
    /* Low RAM reserved by a reservation: still RAM. */
    assert_int_equal(table[0x50].count_info, PGC_reserved | PGC_ram);
    /* Partial RAM frame and firmware hole: reserved, not RAM. */
    assert_int_equal(table[0x9f].count_info, PGC_reserved);
    assert_int_equal(table[0xa0].count_info, PGC_reserved);
    /* Image, including its partial last frame, and the modules. */
    assert_int_equal(table[0x200].count_info, PGC_reserved | PGC_ram);
    assert_int_equal(table[0x380].count_info, PGC_reserved | PGC_ram);
    assert_int_equal(table[0x381].count_info, PGC_reserved | PGC_ram);
    assert_int_equal(table[0x3ff].count_info, PGC_reserved | PGC_ram);
    assert_int_equal(table[0x400].count_info, PGC_reserved | PGC_ram);
    /* Their neighbours are free. */
    assert_true(table[0x1ff].count_info & PGC_free);
    assert_true(table[0x382].count_info & PGC_free);
    assert_true(table[0x3fe].count_info & PGC_free);
    assert_true(table[0x401].count_info & PGC_free);
    assert_true(table[0x1fff].count_info & PGC_free);
    assert_int_equal(table[0x100].owner, DOMID_XEN);
}

/* Allocate single frames until failure; returns how many, marks seen[]. */
static unsigned long drain(unsigned char *seen, unsigned long max_mfn)
{
    struct page_info *pg;
    unsigned long n = 0;

    while ( (pg = alloc_pages(0, max_mfn)) != NULL )
    {
        unsigned long mfn = page_to_mfn(pg);

        assert_true(mfn < NR_FRAMES);
        assert_false(std_reserved(mfn));
        assert_int_equal(seen[mfn], 0);
        assert_int_equal(pg->count_info, PGC_ram);
        assert_int_equal(pg->owner, DOMID_XEN);
        seen[mfn] = 1;
        n++;
    }
    return n;
}

static void test_exhaustion_and_coalescing(void **state)
{
    unsigned char seen[NR_FRAMES] = { 0 };
    unsigned long mfn, freed = 0;
    struct page_info *pg;

    (void)state;
    assert_int_equal(drain(seen, ~0UL), STD_FREE);
    assert_int_equal(page_alloc_free_frames(), 0);
    assert_null(alloc_pages(0, ~0UL));
    /* Give everything back in a scattered order. */
    for ( mfn = 0; mfn < NR_FRAMES; mfn += 2 )
        if ( seen[mfn] )
        {
            assert_int_equal(free_pages(mfn_to_page(mfn), 0), 0);
            freed++;
        }
    for ( mfn = NR_FRAMES - 1; mfn < NR_FRAMES; mfn -= 2 )
        if ( seen[mfn] )
        {
            assert_int_equal(free_pages(mfn_to_page(mfn), 0), 0);
            freed++;
        }
    assert_int_equal(freed, STD_FREE);
    assert_int_equal(page_alloc_free_frames(), STD_FREE);
    /* Only full coalescing makes these big aligned blocks available. */
    pg = alloc_pages(12, ~0UL);
    assert_non_null(pg);
    assert_int_equal(page_to_mfn(pg), 0x1000);
    pg = alloc_pages(11, ~0UL);
    assert_non_null(pg);
    assert_int_equal(page_to_mfn(pg), 0x800);
    assert_null(alloc_pages(11, ~0UL));
    assert_null(alloc_pages(13, ~0UL));
    assert_int_equal(page_alloc_free_frames(), STD_FREE - 0x1800);
}

static void test_split_and_merge(void **state)
{
    struct page_info *a, *b;

    (void)state;
    a = alloc_pages(0, ~0UL);
    assert_non_null(a);
    assert_int_equal(page_alloc_free_frames(), STD_FREE - 1);
    b = alloc_pages(3, ~0UL);
    assert_non_null(b);
    assert_int_equal(page_to_mfn(b) & 7, 0);
    assert_int_equal(page_alloc_free_frames(), STD_FREE - 9);
    assert_int_equal(free_pages(a, 0), 0);
    assert_int_equal(free_pages(b, 3), 0);
    assert_int_equal(page_alloc_free_frames(), STD_FREE);
    /* The split pieces merged back: the order-12 block is whole. */
    assert_non_null(alloc_pages(12, ~0UL));
}

/* The free block that holds mfn: its head, and its order in *order. */
static unsigned long free_head_of(unsigned long mfn, unsigned int *order)
{
    unsigned int o;

    for ( o = 0; o <= MAX_ORDER; o++ )
    {
        unsigned long h = mfn & ~((1UL << o) - 1);

        if ( (table[h].count_info & PGC_free) && table[h].order == o )
        {
            *order = o;
            return h;
        }
    }
    fail_msg("frame %#lx is in no free block", mfn);
    return 0;
}

/*
 * The TLB clock: a freed block is stamped, a merge keeps the later stamp,
 * a split gives the halves the parent's, and handing out a frame of it
 * flushes the CPUs not flushed since; boot memory (stamp 0) never flushes.
 */
static void test_tlb_stamps(void **state)
{
    struct page_info *p, *c;
    unsigned long h, i, a;
    unsigned int o, tries;

    (void)state;
    shim_tlb_flushes = 0;
    p = alloc_pages(1, ~0UL);
    assert_non_null(p);
    a = page_to_mfn(p);
    assert_int_equal(shim_tlb_flushes, 0);
    shim_tlb_clock = 5;
    assert_int_equal(free_pages(p, 0), 0);
    assert_int_equal(table[free_head_of(a, &o)].type_info, 5);
    shim_tlb_clock = 9;
    assert_int_equal(free_pages(p + 1, 0), 0); /* merges with a */
    h = free_head_of(a, &o);
    assert_true(o >= 1);
    assert_int_equal(table[h].type_info, 9);
    /* Frames outside the block are boot memory: no flush for them. */
    shim_tlb_clock = 12;
    for ( tries = 0; tries < STD_FREE; tries++ )
    {
        c = alloc_pages(0, ~0UL);
        assert_non_null(c);
        if ( page_to_mfn(c) >= h && page_to_mfn(c) < h + (1UL << o) )
            break;
        assert_int_equal(shim_tlb_flushes, 0);
    }
    assert_int_equal(shim_tlb_flushes, 1);
    assert_int_equal(shim_tlb_flush_stamp, 9);
    assert_int_equal(c->type_info, 0); /* no stamp on an allocated frame */
    /* The halves split off kept the parent's stamp. */
    for ( i = h; i < h + (1UL << o); i++ )
        if ( (table[i].count_info & PGC_free) && table[i].order <= MAX_ORDER )
            assert_int_equal(table[i].type_info, 9);
    shim_tlb_clock = 0;
}

static void test_bad_orders(void **state)
{
    (void)state;
    assert_null(alloc_pages(MAX_ORDER + 1, ~0UL));
    assert_null(alloc_pages(13, ~0UL)); /* bigger than any free block */
    assert_int_equal(free_pages(mfn_to_page(0x1000), MAX_ORDER + 1), -EINVAL);
    assert_int_equal(page_alloc_free_frames(), STD_FREE);
}

static void test_double_free(void **state)
{
    struct page_info *a, *b;

    (void)state;
    a = alloc_pages(0, ~0UL);
    assert_int_equal(free_pages(a, 0), 0);
    assert_int_equal(free_pages(a, 0), -EINVAL);
    assert_int_equal(page_alloc_free_frames(), STD_FREE);

    /* One frame of a block freed early, then the whole block. */
    b = alloc_pages(2, ~0UL);
    assert_non_null(b);
    assert_int_equal(free_pages(b + 1, 0), 0);
    assert_int_equal(page_alloc_free_frames(), STD_FREE - 3);
    assert_int_equal(free_pages(b, 2), -EINVAL);
    assert_int_equal(page_alloc_free_frames(), STD_FREE - 3);
    /* Nothing changed: the other three frames are still allocated. */
    assert_int_equal(b[0].count_info, PGC_ram);
    assert_int_equal(b[2].count_info, PGC_ram);
    assert_int_equal(free_pages(b, 0), 0);
    assert_int_equal(free_pages(b + 2, 1), 0);
    assert_int_equal(page_alloc_free_frames(), STD_FREE);
    /* A free block that is not a head: still detected. */
    assert_int_equal(free_pages(mfn_to_page(0x1001), 0), -EINVAL);
}

static void test_bad_frees(void **state)
{
    struct page_info *a;

    (void)state;
    a = alloc_pages(1, ~0UL);
    assert_non_null(a);
    assert_int_equal(free_pages(a + 1, 1), -EINVAL); /* misaligned */
    assert_int_equal(free_pages(NULL, 0), -EINVAL);
    assert_int_equal(free_pages(table + NR_FRAMES, 0), -EINVAL);
    assert_int_equal(free_pages(table - 1, 0), -EINVAL);
    assert_int_equal(free_pages((struct page_info *)((char *)a + 8), 0),
                     -EINVAL);
    assert_int_equal(free_pages(mfn_to_page(0x200), 0), -EINVAL); /* image */
    assert_int_equal(free_pages(mfn_to_page(0x50), 0), -EINVAL);  /* low */
    assert_int_equal(free_pages(mfn_to_page(0xa0), 0), -EINVAL);  /* hole */
    assert_int_equal(free_pages(mfn_to_page(0), 14), -EINVAL);    /* > table */
    assert_int_equal(page_alloc_free_frames(), STD_FREE - 2);
    assert_int_equal(free_pages(a, 1), 0);
    assert_int_equal(page_alloc_free_frames(), STD_FREE);
}

static void test_max_mfn(void **state)
{
    unsigned char seen[NR_FRAMES] = { 0 };
    struct page_info *pg;

    (void)state;
    assert_null(alloc_pages(0, 0x100)); /* nothing free below 1 MiB */
    pg = alloc_pages(0, 0x101);
    assert_non_null(pg);
    assert_int_equal(page_to_mfn(pg), 0x100);
    assert_null(alloc_pages(0, 0x101));
    /* A block must end below the limit, not just start below it. */
    assert_null(alloc_pages(4, 0x10f));
    pg = alloc_pages(4, 0x120);
    assert_non_null(pg);
    assert_true(page_to_mfn(pg) + 16 <= 0x120);
    /* Frames 0x101..0x1ff are 255 frames; 16 are gone. */
    assert_int_equal(drain(seen, 0x200), 0xff - 16);
    assert_int_equal(page_alloc_free_frames(), STD_FREE - 0x100);
    /* Without a limit the rest is still there. */
    assert_non_null(alloc_pages(12, ~0UL));
}

static void test_random_stress(void **state)
{
    static struct
    {
        unsigned long mfn;
        unsigned int order;
    } live[4000];
    unsigned char owner[NR_FRAMES] = { 0 };
    unsigned int nlive = 0, i, step;
    unsigned long used = 0, j;

    (void)state;
    srand(1234);
    for ( step = 0; step < 20000; step++ )
    {
        if ( nlive < ARRAY_SIZE(live) && (rand() % 3 || !nlive) )
        {
            unsigned int order = rand() % 6;
            struct page_info *pg = alloc_pages(order, ~0UL);

            if ( !pg )
                continue;
            live[nlive].mfn = page_to_mfn(pg);
            live[nlive].order = order;
            assert_int_equal(live[nlive].mfn & ((1UL << order) - 1), 0);
            for ( j = 0; j < (1UL << order); j++ )
            {
                assert_int_equal(owner[live[nlive].mfn + j], 0);
                assert_false(std_reserved(live[nlive].mfn + j));
                owner[live[nlive].mfn + j] = 1;
            }
            used += 1UL << order;
            nlive++;
        }
        else
        {
            i = rand() % nlive;
            assert_int_equal(
                free_pages(mfn_to_page(live[i].mfn), live[i].order), 0);
            for ( j = 0; j < (1UL << live[i].order); j++ )
                owner[live[i].mfn + j] = 0;
            used -= 1UL << live[i].order;
            live[i] = live[--nlive];
        }
        assert_int_equal(page_alloc_free_frames(), STD_FREE - used);
    }
    while ( nlive )
    {
        nlive--;
        assert_int_equal(
            free_pages(mfn_to_page(live[nlive].mfn), live[nlive].order), 0);
    }
    assert_int_equal(page_alloc_free_frames(), STD_FREE);
    assert_non_null(alloc_pages(12, ~0UL));
    assert_non_null(alloc_pages(11, ~0UL));
}

static void test_partial_frames(void **state)
{
    static const struct mem_reservation r[] = { { 0x3001, 0x3002, "x" } };
    struct page_info *a, *b;

    (void)state;
    memset(&bi, 0, sizeof(bi));
    add_mem(0x1800, 0x5800, E820_RAM); /* whole frames 2, 3, 4 */
    assert_int_equal(init(r, 1, 8), 2);
    assert_int_equal(table[1].count_info, PGC_reserved);
    assert_int_equal(table[5].count_info, PGC_reserved);
    assert_int_equal(table[3].count_info, PGC_reserved | PGC_ram);
    a = alloc_pages(0, ~0UL);
    b = alloc_pages(0, ~0UL);
    assert_non_null(a);
    assert_non_null(b);
    assert_null(alloc_pages(0, ~0UL));
    assert_int_equal(page_to_mfn(a) + page_to_mfn(b), 2 + 4);
    assert_null(alloc_pages(1, ~0UL));
}

static void test_unnormalised_map(void **state)
{
    (void)state;
    memset(&bi, 0, sizeof(bi));
    add_mem(0, 0x8000, E820_RAM);
    add_mem(0x4000, 0xc000, E820_RAM);      /* overlaps: no double free */
    add_mem(0x8800, 0x9000, E820_RESERVED); /* reserved wins over RAM */
    add_mem(0x20000, 0x30000, E820_RAM);    /* beyond the table: clipped */
    assert_int_equal(init(NULL, 0, 16), 11);
    assert_int_equal(table[8].count_info, PGC_reserved);
    assert_int_equal(table[12].count_info, PGC_reserved);
    /* Frames 0-7 merged into one block of order 3. */
    assert_non_null(alloc_pages(3, ~0UL));
    assert_null(alloc_pages(3, ~0UL));
}

static void test_find_free(void **state)
{
    const struct mem_reservation resv2[] = {
        std_resv[0],
        std_resv[1],
        std_resv[2],
        std_resv[3],
        { 0x100000, 0x200000, "early" },
    };
    paddr_t a;

    (void)state;
    a = mm_find_free(&bi, std_resv, ARRAY_SIZE(std_resv), 0x100000, 0x200000,
                     ~0UL);
    assert_int_equal(a, 0x600000);
    /* Must end at or below the limit. */
    assert_int_equal(mm_find_free(&bi, std_resv, ARRAY_SIZE(std_resv), 0x100000,
                                  0x200000, 0x700000),
                     0x600000);
    assert_int_equal(mm_find_free(&bi, std_resv, ARRAY_SIZE(std_resv), 0x100000,
                                  0x200000, 0x6fffff),
                     0);
    /* Small and unaligned: right after the low reservation. */
    assert_int_equal(
        mm_find_free(&bi, std_resv, ARRAY_SIZE(std_resv), 1, 1, ~0UL),
        0x100000);
    /* With 1-2 MiB also taken: the gap between module 0 and module 1. */
    assert_int_equal(
        mm_find_free(&bi, resv2, ARRAY_SIZE(resv2), 0x1000, 0x1000, ~0UL),
        0x382000);
    assert_int_equal(
        mm_find_free(&bi, resv2, ARRAY_SIZE(resv2), 0x7d000, 0x1000, ~0UL),
        0x382000);
    assert_int_equal(
        mm_find_free(&bi, resv2, ARRAY_SIZE(resv2), 0x7e000, 0x1000, ~0UL),
        0x401000);
    assert_int_equal(
        mm_find_free(&bi, std_resv, ARRAY_SIZE(std_resv), 0x800, 0x800, ~0UL),
        0x100000);
    /* Does not fit anywhere, bad alignment, zero size. */
    assert_int_equal(mm_find_free(&bi, std_resv, ARRAY_SIZE(std_resv),
                                  0x2000000, 0x1000, ~0UL),
                     0);
    assert_int_equal(
        mm_find_free(&bi, std_resv, ARRAY_SIZE(std_resv), 0x1000, 0x3000, ~0UL),
        0);
    assert_int_equal(
        mm_find_free(&bi, std_resv, ARRAY_SIZE(std_resv), 0, 0x1000, ~0UL), 0);
    /* Without reservations, address 0 is never returned. */
    assert_int_equal(mm_find_free(&bi, NULL, 0, 0x1000, 0x1000, ~0UL), 0x1000);
    /* The firmware hole in the map is avoided. */
    assert_int_equal(mm_find_free(&bi, NULL, 0, 0xa0000, 0x1000, ~0UL),
                     0x100000);
    assert_int_equal(mm_find_free(&bi, NULL, 0, 0x20000, 0x20000, ~0UL),
                     0x20000);
    assert_int_equal(mm_find_free(&bi, NULL, 0, 0x80000, 0x80000, ~0UL),
                     0x100000);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup_std, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_init_flags),      T(test_exhaustion_and_coalescing),
        T(test_split_and_merge), T(test_bad_orders),
        T(test_double_free),     T(test_bad_frees),
        T(test_max_mfn),         T(test_random_stress),
        T(test_partial_frames),  T(test_unnormalised_map),
        T(test_find_free),       T(test_tlb_stamps),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
