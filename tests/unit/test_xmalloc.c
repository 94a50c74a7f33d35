/*
 * Unit tests for common/xmalloc.c over the real buddy allocator and a fake
 * RAM: sizes, alignment, reuse, large objects, exhaustion, xzalloc, and the
 * panics on bad frees.  Every test must give back every page it used.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hv/lib.h>
#include <hv/mm.h>
#include "shim/shim.h"

#define RAM_PAGES 1024 /* 4 MiB */

static struct boot_info bi;
static struct page_info *table;
static unsigned long baseline;

static int group_setup(void **state)
{
    static const struct mem_reservation r[] = { { 0, PAGE_SIZE, "page 0" } };

    (void)state;
    shim_ram_setup(RAM_PAGES);
    bi.nr_mem = 1;
    bi.mem[0].start = 0;
    bi.mem[0].end = RAM_PAGES * PAGE_SIZE;
    bi.mem[0].type = E820_RAM;
    table = calloc(RAM_PAGES, sizeof(*table));
    baseline = page_alloc_init(table, RAM_PAGES, &bi, r, 1);
    return baseline == RAM_PAGES - 1 ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    free(table);
    shim_ram_free();
    return 0;
}

/* Every test ends with every heap page back in the buddy allocator. */
static int check_no_leak(void **state)
{
    (void)state;
    assert_int_equal(page_alloc_free_frames(), baseline);
    return 0;
}

static bool in_ram(const void *p, size_t len)
{
    const uint8_t *b = p;

    return b >= shim_ram_base + PAGE_SIZE &&
           b + len <= shim_ram_base + RAM_PAGES * PAGE_SIZE;
}

static void test_sizes_and_alignment(void **state)
{
    static const size_t sizes[] = { 1,    2,    15,   16,    17,   31,
                                    32,   33,   63,   64,    100,  128,
                                    200,  256,  500,  512,   1000, 1024,
                                    1500, 2047, 2048, 2049,  4000, 4080,
                                    4081, 4096, 8192, 12000, 70000 };
    void *p[ARRAY_SIZE(sizes)];
    size_t i, j;

    (void)state;
    for ( i = 0; i < ARRAY_SIZE(sizes); i++ )
    {
        p[i] = xmalloc_bytes(sizes[i]);
        assert_non_null(p[i]);
        assert_int_equal((uintptr_t)p[i] % 16, 0);
        assert_true(in_ram(p[i], sizes[i]));
        if ( sizes[i] <= 2048 ) /* small objects are naturally aligned */
            for ( j = 16; j < sizes[i]; j <<= 1 )
                assert_int_equal((uintptr_t)p[i] % (j << 1), 0);
        memset(p[i], (int)i + 1, sizes[i]);
    }
    /* No object overlaps another: every pattern is intact. */
    for ( i = 0; i < ARRAY_SIZE(sizes); i++ )
        for ( j = 0; j < sizes[i]; j++ )
            assert_int_equal(((uint8_t *)p[i])[j], i + 1);
    for ( i = 0; i < ARRAY_SIZE(sizes); i++ )
        xfree(p[i]);
}

static void test_zero_and_huge(void **state)
{
    (void)state;
    assert_null(xmalloc_bytes(0));
    assert_null(xzalloc_bytes(0));
    assert_null(xmalloc_bytes(SIZE_MAX));
    assert_null(xmalloc_bytes(SIZE_MAX - 8));
    assert_null(xmalloc_bytes(PAGE_SIZE << MAX_ORDER));
    assert_null(xmalloc_bytes(RAM_PAGES * PAGE_SIZE)); /* bigger than RAM */
    assert_null(xzalloc_array(uint64_t, SIZE_MAX / 4));
    xfree(NULL);
}

static void test_reuse(void **state)
{
    void *a, *b, *c;

    (void)state;
    a = xmalloc_bytes(100);
    b = xmalloc_bytes(100);
    assert_ptr_not_equal(a, b);
    xfree(a);
    c = xmalloc_bytes(120); /* same 128-byte class */
    assert_ptr_equal(c, a);
    xfree(b);
    xfree(c);
    /* A different class never reuses the chunk. */
    a = xmalloc_bytes(64);
    b = xmalloc_bytes(64);
    xfree(a);
    c = xmalloc_bytes(32);
    assert_ptr_not_equal(c, a);
    xfree(b);
    xfree(c);
}

static void test_pages_returned(void **state)
{
    void *p[256], *extra;
    unsigned int i;

    (void)state;
    /* 256 objects of 16 bytes: exactly one page. */
    for ( i = 0; i < 256; i++ )
        assert_non_null(p[i] = xmalloc_bytes(16));
    assert_int_equal(page_alloc_free_frames(), baseline - 1);
    extra = xmalloc_bytes(16); /* the 257th needs a second page */
    assert_int_equal(page_alloc_free_frames(), baseline - 2);
    xfree(extra); /* its page goes back at once */
    assert_int_equal(page_alloc_free_frames(), baseline - 1);
    for ( i = 0; i < 255; i++ )
        xfree(p[i]);
    assert_int_equal(page_alloc_free_frames(), baseline - 1);
    xfree(p[255]);
}

static void test_large_objects(void **state)
{
    uint8_t *a, *b;

    (void)state;
    a = xmalloc_bytes(PAGE_SIZE / 2 + 1);
    assert_non_null(a);
    assert_int_equal((uintptr_t)a % PAGE_SIZE, 16);
    assert_int_equal(page_alloc_free_frames(), baseline - 1);
    b = xmalloc_bytes(3 * PAGE_SIZE);
    assert_non_null(b);
    assert_int_equal(page_alloc_free_frames(), baseline - 1 - 4);
    memset(b, 0x5a, 3 * PAGE_SIZE);
    xfree(a);
    xfree(b);
    a = xmalloc_bytes(PAGE_SIZE - 16); /* header and object fit one page */
    assert_int_equal(page_alloc_free_frames(), baseline - 1);
    xfree(a);
}

static void test_exhaustion(void **state)
{
    void **objs = calloc(RAM_PAGES * 2, sizeof(void *));
    size_t n = 0;

    (void)state;
    assert_non_null(objs);
    /* 2048-byte objects: two per page, until RAM runs out. */
    while ( (objs[n] = xmalloc_bytes(2048)) != NULL )
        n++;
    assert_int_equal(n, 2 * baseline);
    assert_null(xmalloc_bytes(16));
    assert_null(xmalloc_bytes(5000));
    while ( n )
        xfree(objs[--n]);
    free(objs);
}

static void test_xzalloc(void **state)
{
    uint8_t *p;
    size_t i;

    (void)state;
    p = xmalloc_bytes(500);
    memset(p, 0xff, 500);
    xfree(p);
    p = xzalloc_bytes(500);
    for ( i = 0; i < 500; i++ )
        assert_int_equal(p[i], 0);
    xfree(p);
    p = (uint8_t *)xzalloc_array(uint32_t, 3000);
    assert_non_null(p);
    for ( i = 0; i < 12000; i++ )
        assert_int_equal(p[i], 0);
    xfree(p);
}

static void test_canary_lookalike_is_not_double_free(void **state)
{
    unsigned long *a = xmalloc_bytes(32), *b = xmalloc_bytes(32);

    (void)state;
    /* The user stores exactly what a free chunk's canary would be. */
    a[0] = 0xffff;
    a[1] = 0x5f5f4652454521aaUL ^ (unsigned long)a;
    xfree(a);
    xfree(b);
}

static void test_bad_frees_panic(void **state)
{
    unsigned long stack_var;
    uint8_t *a, *b, *big;
    struct page_info *pg;

    (void)state;
    a = xmalloc_bytes(64);
    b = xmalloc_bytes(64); /* keeps the page alive after a is freed */
    big = xmalloc_bytes(10000);

    expect_assert_failure(xfree(&stack_var));
    assert_non_null(strstr(shim_panic_msg, "not a heap address"));
    expect_assert_failure(xfree(a + 8));
    assert_non_null(strstr(shim_panic_msg, "not the start of a heap object"));
    expect_assert_failure(xfree(big + 16));
    assert_non_null(strstr(shim_panic_msg, "not the start of a heap object"));
    expect_assert_failure(xfree(big + PAGE_SIZE));
    assert_non_null(strstr(shim_panic_msg, "not a heap page"));
    expect_assert_failure(xfree(shim_ram_base + 16)); /* reserved page 0 */
    assert_non_null(strstr(shim_panic_msg, "not a heap page"));

    pg = alloc_pages(0, ~0UL); /* a page the heap did not hand out */
    expect_assert_failure(xfree(mfn_to_virt(page_to_mfn(pg))));
    assert_non_null(strstr(shim_panic_msg, "not a heap page"));
    assert_int_equal(free_pages(pg, 0), 0);
    expect_assert_failure(xfree(mfn_to_virt(page_to_mfn(pg))));
    assert_non_null(strstr(shim_panic_msg, "page is free"));

    xfree(a);
    expect_assert_failure(xfree(a));
    assert_non_null(strstr(shim_panic_msg, "double free"));
    xfree(big);
    expect_assert_failure(xfree(big));
    assert_non_null(strstr(shim_panic_msg, "page is free"));

    /* Each panic dropped the heap lock: the heap still works. */
    a = xmalloc_bytes(64);
    assert_non_null(a);
    xfree(a);
    xfree(b);
}

static void test_random_mix(void **state)
{
    static struct
    {
        uint8_t *p;
        size_t size;
        uint8_t fill;
    } live[500];
    unsigned int n = 0, step, i;
    size_t j;

    (void)state;
    srand(99);
    for ( step = 0; step < 20000; step++ )
    {
        if ( n < ARRAY_SIZE(live) && (rand() % 2 || !n) )
        {
            size_t size = rand() % 4 ? 1 + rand() % 2048 : 1 + rand() % 20000;

            live[n].p = xmalloc_bytes(size);
            if ( !live[n].p )
                continue;
            live[n].size = size;
            live[n].fill = (uint8_t)rand();
            memset(live[n].p, live[n].fill, size);
            n++;
        }
        else
        {
            i = rand() % n;
            for ( j = 0; j < live[i].size; j++ )
                assert_int_equal(live[i].p[j], live[i].fill);
            xfree(live[i].p);
            live[i] = live[--n];
        }
    }
    while ( n )
        xfree(live[--n].p);
}

#define T(f) cmocka_unit_test_teardown(f, check_no_leak)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_sizes_and_alignment),
        T(test_zero_and_huge),
        T(test_reuse),
        T(test_pages_returned),
        T(test_large_objects),
        T(test_exhaustion),
        T(test_xzalloc),
        T(test_canary_lookalike_is_not_double_free),
        T(test_bad_frees_panic),
        T(test_random_mix),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
