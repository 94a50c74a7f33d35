/*
 * Unit tests: TSC-to-nanosecond scaling (common/time.c), the computation
 * Xen publishes to guests as tsc_to_system_mul / tsc_shift.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <hv/time.h>

/* Reference: exact ns for ticks at hz, rounded down. */
static uint64_t exact_ns(uint64_t ticks, uint64_t hz)
{
    return (uint64_t)(((unsigned __int128)ticks * NSEC_PER_SEC) / hz);
}

static void test_one_ghz_is_identity(void **state)
{
    struct time_scale ts;

    (void)state;
    time_scale_set(&ts, NSEC_PER_SEC);
    assert_int_equal(ts.shift, 1);
    assert_int_equal(ts.mul_frac, 1U << 31);
    assert_int_equal(time_scale_delta(0, &ts), 0);
    assert_int_equal(time_scale_delta(123456789, &ts), 123456789);
}

static void test_mul_frac_in_range(void **state)
{
    static const uint64_t rates[] = {
        32768,         1000000,       100000000,     999999999,
        1000000001,    1999999999,    2000000000,    2000000001,
        2500000000ULL, 3700000000ULL, 12000000000ULL
    };
    size_t i;

    (void)state;
    for ( i = 0; i < sizeof(rates) / sizeof(rates[0]); i++ )
    {
        struct time_scale ts;

        time_scale_set(&ts, rates[i]);
        /* The fraction is at least one half: full precision is kept. */
        assert_true(ts.mul_frac >= (1U << 31));
        assert_true(ts.shift >= -32 && ts.shift <= 32);
    }
}

static void test_accuracy_over_an_hour(void **state)
{
    static const uint64_t rates[] = { 1193182, 24000000, 2100000000ULL,
                                      2994375000ULL, 3600000000ULL };
    size_t i;

    (void)state;
    for ( i = 0; i < sizeof(rates) / sizeof(rates[0]); i++ )
    {
        struct time_scale ts;
        uint64_t ticks = rates[i] * 3600, got, want;

        time_scale_set(&ts, rates[i]);
        got = time_scale_delta(ticks, &ts);
        want = exact_ns(ticks, rates[i]);
        /* Truncating the fraction loses < 2^-31 relative: ~1.7 us/hour. */
        assert_true(got <= want);
        assert_true(want - got <= want / (1ULL << 31) + 1);
    }
}

static void test_monotonic(void **state)
{
    struct time_scale ts;
    uint64_t t, prev = 0;

    (void)state;
    time_scale_set(&ts, 2994375000ULL);
    for ( t = 0; t < 100000; t += 7 )
    {
        uint64_t ns = time_scale_delta(t, &ts);

        assert_true(ns >= prev);
        prev = ns;
    }
}

static void test_mktime(void **state)
{
    (void)state;
    assert_int_equal(time_mktime(1970, 1, 1, 0, 0, 0), 0);
    assert_int_equal(time_mktime(1970, 1, 2, 0, 0, 1), 86401);
    assert_int_equal(time_mktime(2000, 2, 29, 12, 0, 0), 951825600);
    assert_int_equal(time_mktime(2000, 3, 1, 0, 0, 0), 951868800);
    assert_int_equal(time_mktime(2026, 11, 22, 3, 4, 5), 1795316645);
    assert_int_equal(time_mktime(2100, 3, 1, 0, 0, 0), 4107542400ULL);
    assert_int_equal(time_mktime(2038, 1, 19, 3, 14, 8), 2147483648ULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_ghz_is_identity),
        cmocka_unit_test(test_mul_frac_in_range),
        cmocka_unit_test(test_accuracy_over_an_hour),
        cmocka_unit_test(test_monotonic),
        cmocka_unit_test(test_mktime),
    };

    return cmocka_run_group_tests_name("time", tests, NULL, NULL);
}
