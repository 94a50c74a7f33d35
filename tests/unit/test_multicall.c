/*
 * Unit tests: multicall batch logic (common/multicall.c) over a fake guest
 * memory and a fake hypercall table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <hv/errno.h>
#include <hv/multicall.h>
#include <public/xen.h>

#define BASE   0x10000UL
#define NR_MAX 16

struct fake
{
    struct multicall_entry mem[NR_MAX];
    unsigned long mapped;       /* entries readable/writable from BASE */
    unsigned int reads[NR_MAX]; /* copy_in calls per entry */
    unsigned int yield_after;   /* should_yield true after this many asks */
    unsigned int asks;
    unsigned long preempt_op; /* dispatching this op asks to continue */
    unsigned long dispatched[NR_MAX];
    unsigned int nr_dispatched;
};

static bool in_range(struct fake *f, uint64_t gva, size_t len)
{
    return gva >= BASE && gva + len <= BASE + f->mapped * sizeof(f->mem[0]);
}

static int f_in(void *ctx, void *dst, uint64_t gva, size_t len)
{
    struct fake *f = ctx;

    if ( !in_range(f, gva, len) )
        return -EFAULT;
    f->reads[(gva - BASE) / sizeof(f->mem[0])]++;
    memcpy(dst, (uint8_t *)f->mem + (gva - BASE), len);
    return 0;
}

static int f_out(void *ctx, uint64_t gva, const void *src, size_t len)
{
    struct fake *f = ctx;

    if ( !in_range(f, gva, len) )
        return -EFAULT;
    memcpy((uint8_t *)f->mem + (gva - BASE), src, len);
    return 0;
}

static long f_dispatch(void *ctx, unsigned long nr, const unsigned long a[5],
                       bool *preempted, unsigned long new_args[5])
{
    struct fake *f = ctx;

    f->dispatched[f->nr_dispatched++] = nr;
    *preempted = nr == f->preempt_op;
    if ( *preempted )
    {
        for ( int i = 0; i < 5; i++ )
            new_args[i] = a[i] + 100;
        return 0;
    }
    return nr < 40 ? (long)(nr * 10 + a[0]) : -ENOSYS;
}

static bool f_yield(void *ctx)
{
    struct fake *f = ctx;

    return ++f->asks > f->yield_after;
}

static struct fake f;
static const struct multicall_ops ops = { &f, f_in, f_out, f_dispatch,
                                          f_yield };

static void reset(unsigned long n)
{
    memset(&f, 0, sizeof(f));
    f.mapped = NR_MAX;
    f.yield_after = ~0U;
    f.preempt_op = ~0UL;
    for ( unsigned long i = 0; i < n; i++ )
    {
        f.mem[i].op = 17 + i % 3; /* 17, 18, 19 */
        f.mem[i].args[0] = i;
        f.mem[i].result = 0xdead;
    }
}

static void test_all_entries(void **state)
{
    unsigned long done;

    (void)state;
    reset(8);
    assert_int_equal(multicall_run(&ops, BASE, 8, &done), 0);
    assert_int_equal(done, 8);
    for ( unsigned int i = 0; i < 8; i++ )
    {
        assert_int_equal(f.mem[i].result, (17 + i % 3) * 10 + i);
        assert_int_equal(f.reads[i], 1); /* read once: no double fetch */
    }
}

static void test_per_entry_errors(void **state)
{
    unsigned long done;

    (void)state;
    reset(4);
    f.mem[1].op = __HYPERVISOR_multicall;
    f.mem[2].op = __HYPERVISOR_iret;
    f.mem[3].op = 200;
    assert_int_equal(multicall_run(&ops, BASE, 4, &done), 0);
    assert_int_equal((long)f.mem[1].result, -EINVAL);
    assert_int_equal((long)f.mem[2].result, -EINVAL);
    assert_int_equal((long)f.mem[3].result, -ENOSYS);
    assert_int_equal(f.nr_dispatched, 2); /* nested and iret never run */
}

static void test_fault_mid_list(void **state)
{
    unsigned long done;

    (void)state;
    reset(6);
    f.mapped = 3; /* entries 3.. are not readable */
    assert_int_equal(multicall_run(&ops, BASE, 6, &done), -EFAULT);
    assert_int_equal(done, 3);
    assert_int_equal(f.mem[2].result, 19 * 10 + 2); /* earlier ones ran */
    assert_int_equal(f.nr_dispatched, 3);
}

static void test_bad_list(void **state)
{
    unsigned long done;

    (void)state;
    reset(2);
    assert_int_equal(multicall_run(&ops, 0x1000, 2, &done), -EFAULT);
    assert_int_equal(f.nr_dispatched, 0);
    assert_int_equal(multicall_run(&ops, BASE, 0, &done), 0); /* no-op */
}

static void test_yield_between_entries(void **state)
{
    unsigned long done;

    (void)state;
    reset(8);
    f.yield_after = 2; /* asks come before entries 1, 2, 3: third says yes */
    assert_int_equal(multicall_run(&ops, BASE, 8, &done), MULTICALL_PREEMPTED);
    assert_int_equal(done, 3);
    assert_int_equal(f.nr_dispatched, 3);
    assert_int_equal(f.mem[3].result, 0xdead); /* untouched */
    /* Continuing from the rest finishes the list. */
    f.yield_after = ~0U;
    assert_int_equal(multicall_run(&ops, BASE + 3 * sizeof(f.mem[0]), 5, &done),
                     0);
    for ( unsigned int i = 0; i < 8; i++ )
        assert_int_equal(f.mem[i].result, (17 + i % 3) * 10 + i);
}

static void test_preempted_entry(void **state)
{
    unsigned long done;

    (void)state;
    reset(4);
    f.mem[2].op = 25;
    f.preempt_op = 25;
    assert_int_equal(multicall_run(&ops, BASE, 4, &done), MULTICALL_PREEMPTED);
    assert_int_equal(done, 2);
    /* Its new arguments are written back for the continuation. */
    assert_int_equal(f.mem[2].args[0], 2 + 100);
    assert_int_equal(f.mem[2].op, 25);
    assert_int_equal(f.mem[3].result, 0xdead);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_entries),
        cmocka_unit_test(test_per_entry_errors),
        cmocka_unit_test(test_fault_mid_list),
        cmocka_unit_test(test_bad_list),
        cmocka_unit_test(test_yield_between_entries),
        cmocka_unit_test(test_preempted_entry),
    };

    return cmocka_run_group_tests_name("multicall", tests, NULL, NULL);
}
