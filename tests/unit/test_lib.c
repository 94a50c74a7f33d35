/*
 * Unit tests for common/lib.c: hv_strlcpy() and hv_strtoull().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include <hv/lib.h>

static void test_strlcpy_fits(void **state)
{
    char buf[8];

    (void)state;
    memset(buf, 'x', sizeof(buf));
    assert_int_equal(hv_strlcpy(buf, "abc", sizeof(buf)), 3);
    assert_string_equal(buf, "abc");
    assert_int_equal(buf[4], 'x'); /* nothing written past the NUL */
}

static void test_strlcpy_truncates(void **state)
{
    char buf[4];

    (void)state;
    assert_int_equal(hv_strlcpy(buf, "abcdefg", sizeof(buf)), 7);
    assert_string_equal(buf, "abc");
    assert_int_equal(hv_strlcpy(buf, "abcd", sizeof(buf)), 4);
    assert_string_equal(buf, "abc");
    assert_int_equal(hv_strlcpy(buf, "", sizeof(buf)), 0);
    assert_string_equal(buf, "");
}

static void test_strlcpy_size_zero(void **state)
{
    char buf[2] = { 'q', 'q' };

    (void)state;
    assert_int_equal(hv_strlcpy(buf, "hello", 0), 5);
    assert_int_equal(buf[0], 'q');
    assert_int_equal(hv_strlcpy(buf, "hello", 1), 5);
    assert_int_equal(buf[0], '\0');
    assert_int_equal(buf[1], 'q');
}

static void check_num(const char *s, unsigned int base, unsigned long long want,
                      size_t used)
{
    unsigned long long v = 12345;
    const char *end = NULL;

    assert_true(hv_strtoull(s, &end, base, &v));
    assert_int_equal(v, want);
    assert_ptr_equal(end, s + used);
}

static void test_strtoull_bases(void **state)
{
    (void)state;
    check_num("0", 0, 0, 1);
    check_num("123", 0, 123, 3);
    check_num("123abc", 10, 123, 3);
    check_num("0x1F", 0, 31, 4);
    check_num("0X1f", 0, 31, 4);
    check_num("0x1f", 16, 31, 4);
    check_num("ff", 16, 255, 2);
    check_num("017", 0, 15, 3);
    check_num("019", 0, 1, 2); /* octal stops at 9 */
    check_num("0x", 0, 0, 1);  /* "0" then 'x', as in C */
    check_num("0xg", 16, 0, 1);
    check_num("777", 8, 511, 3);
    check_num("z", 36, 35, 1);
    check_num("18446744073709551615", 0, 18446744073709551615ULL, 20);
    check_num("0xffffffffffffffff", 0, ~0ULL, 18);
}

static void test_strtoull_failures(void **state)
{
    unsigned long long v = 7;
    const char *end = NULL;
    const char *s;

    (void)state;
    s = "";
    assert_false(hv_strtoull(s, &end, 0, &v));
    assert_ptr_equal(end, s);
    s = "abc";
    assert_false(hv_strtoull(s, &end, 10, &v));
    assert_ptr_equal(end, s);
    assert_false(hv_strtoull("-1", NULL, 0, &v));
    assert_false(hv_strtoull(" 1", NULL, 0, &v));
    assert_false(hv_strtoull("18446744073709551616", NULL, 0, &v));
    assert_false(hv_strtoull("0x10000000000000000", NULL, 0, &v));
    assert_false(hv_strtoull("1", NULL, 1, &v));
    assert_false(hv_strtoull("1", NULL, 37, &v));
    assert_int_equal(v, 7); /* untouched on failure */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strlcpy_fits),
        cmocka_unit_test(test_strlcpy_truncates),
        cmocka_unit_test(test_strlcpy_size_zero),
        cmocka_unit_test(test_strtoull_bases),
        cmocka_unit_test(test_strtoull_failures),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
