/*
 * Unit tests for common/vsprintf.c: every conversion, flag, width and
 * precision is checked against the host C library's snprintf; %p, %pS,
 * truncation and the return value are checked directly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <hv/lib.h>
#include "shim/shim.h"

static const char *const flag_sets[] = { "",  "-",  "0",  "+",   " ",
                                         "#", "-+", "0#", "+0 ", "-#0" };
static const char *const widths[] = { "", "1", "5", "12", "25" };
static const char *const precisions[] = { "", ".", ".0", ".1", ".4", ".15" };

#define FOR_EACH_SPEC(body)                                             \
    do                                                                  \
    {                                                                   \
        size_t fi_, wi_, pi_;                                           \
        for ( fi_ = 0; fi_ < ARRAY_SIZE(flag_sets); fi_++ )             \
            for ( wi_ = 0; wi_ < ARRAY_SIZE(widths); wi_++ )            \
                for ( pi_ = 0; pi_ < ARRAY_SIZE(precisions); pi_++ )    \
                {                                                       \
                    const char *f_ = flag_sets[fi_], *w_ = widths[wi_]; \
                    const char *p_ = precisions[pi_];                   \
                    body;                                               \
                }                                                       \
    } while ( 0 )

#define CHECK_LIKE_LIBC(fmt, ...)                                             \
    do                                                                        \
    {                                                                         \
        char got_[128], want_[128];                                           \
        int gn_ = hv_snprintf(got_, sizeof(got_), fmt, __VA_ARGS__);          \
        int wn_ = snprintf(want_, sizeof(want_), fmt, __VA_ARGS__);           \
        if ( gn_ != wn_ || strcmp(got_, want_) )                              \
            fail_msg("format \"%s\": got \"%s\" (%d), want \"%s\" (%d)", fmt, \
                     got_, gn_, want_, wn_);                                  \
    } while ( 0 )

static void check_ints(const char *conv, const long long *vals, size_t n)
{
    char fmt[32];
    size_t i;

    FOR_EACH_SPEC({
        snprintf(fmt, sizeof(fmt), "[%%%s%s%s%s]", f_, w_, p_, conv);
        for ( i = 0; i < n; i++ )
        {
            if ( strstr(conv, "ll") )
                CHECK_LIKE_LIBC(fmt, vals[i]);
            else if ( strchr(conv, 'l') || strchr(conv, 'z') )
                CHECK_LIKE_LIBC(fmt, (long)vals[i]);
            else
                CHECK_LIKE_LIBC(fmt, (int)vals[i]);
        }
    });
}

static const long long int_vals[] = {
    0,
    1,
    -1,
    7,
    42,
    -42,
    255,
    256,
    65535,
    123456789,
    -123456789,
    2147483647,
    -2147483647 - 1,
};
static const long long ll_vals[] = {
    0,
    1,
    -1,
    0x7fffffffffffffffLL,
    -0x7fffffffffffffffLL - 1,
    0x123456789abcdefLL,
    -1000000000000LL,
};

static void test_signed(void **state)
{
    (void)state;
    check_ints("d", int_vals, ARRAY_SIZE(int_vals));
    check_ints("i", int_vals, ARRAY_SIZE(int_vals));
    check_ints("ld", ll_vals, ARRAY_SIZE(ll_vals));
    check_ints("lld", ll_vals, ARRAY_SIZE(ll_vals));
    check_ints("hd", int_vals, ARRAY_SIZE(int_vals));
    check_ints("hhd", int_vals, ARRAY_SIZE(int_vals));
    check_ints("zd", ll_vals, ARRAY_SIZE(ll_vals));
}

static void test_unsigned(void **state)
{
    static const char *const convs[] = { "u", "x", "X", "o" };
    static const char *const lens[] = { "", "h", "hh", "l", "ll", "z" };
    char conv[8];
    size_t c, l;

    (void)state;
    for ( c = 0; c < ARRAY_SIZE(convs); c++ )
        for ( l = 0; l < ARRAY_SIZE(lens); l++ )
        {
            snprintf(conv, sizeof(conv), "%s%s", lens[l], convs[c]);
            if ( lens[l][0] == 'l' || lens[l][0] == 'z' )
                check_ints(conv, ll_vals, ARRAY_SIZE(ll_vals));
            else
                check_ints(conv, int_vals, ARRAY_SIZE(int_vals));
        }
}

static void test_ptrdiff(void **state)
{
    char buf[64];

    (void)state;
    assert_int_equal(
        hv_snprintf(buf, sizeof(buf), "%td|%tx", (ptrdiff_t)-5, (ptrdiff_t)255),
        5);
    assert_string_equal(buf, "-5|ff");
}

static void test_chars_and_strings(void **state)
{
    static const char *const strs[] = { "", "a", "hello", "a longer string" };
    char fmt[32];
    size_t i;

    (void)state;
    FOR_EACH_SPEC({
        if ( strchr(f_, '0') || strchr(f_, '#') || strchr(f_, '+') ||
             strchr(f_, ' ') )
            continue; /* undefined for %s and %c */
        snprintf(fmt, sizeof(fmt), "[%%%s%s%ss]", f_, w_, p_);
        for ( i = 0; i < ARRAY_SIZE(strs); i++ )
            CHECK_LIKE_LIBC(fmt, strs[i]);
        snprintf(fmt, sizeof(fmt), "[%%%s%sc]", f_, w_);
        CHECK_LIKE_LIBC(fmt, 'Z');
    });
}

static void test_null_string(void **state)
{
    const char *volatile nothing = NULL;
    char buf[32];

    (void)state;
    assert_int_equal(hv_snprintf(buf, sizeof(buf), "<%s>", nothing), 8);
    assert_string_equal(buf, "<(null)>");
    assert_int_equal(hv_snprintf(buf, sizeof(buf), "<%.3s>", nothing), 5);
    assert_string_equal(buf, "<(nu>");
}

static void test_star_width_precision(void **state)
{
    char buf[64];

    (void)state;
    CHECK_LIKE_LIBC("[%*d]", 6, 42);
    CHECK_LIKE_LIBC("[%*d]", -6, 42); /* negative width: left-justify */
    CHECK_LIKE_LIBC("[%.*d]", 5, 42);
    CHECK_LIKE_LIBC("[%.*d]", -5, 42); /* negative precision: none */
    CHECK_LIKE_LIBC("[%*.*s]", 8, 3, "abcdef");
    CHECK_LIKE_LIBC("[%-*.*x]", 10, 6, 0xbeefu);
    CHECK_LIKE_LIBC("[%0*d]", 7, -12);
    assert_int_equal(hv_snprintf(buf, sizeof(buf), "%.*s|", 2, "xyz"), 3);
    assert_string_equal(buf, "xy|");
}

static void test_percent_and_unknown(void **state)
{
    char buf[32];

    (void)state;
    CHECK_LIKE_LIBC("100%% %s", "done");
    assert_int_equal(hv_snprintf(buf, sizeof(buf), "a%%b"), 3);
    assert_string_equal(buf, "a%b");
}

static void test_pointer(void **state)
{
    char buf[64];

    (void)state;
    assert_int_equal(hv_snprintf(buf, sizeof(buf), "%p", (void *)0x1234), 18);
    assert_string_equal(buf, "0x0000000000001234");
    hv_snprintf(buf, sizeof(buf), "%p", (void *)0);
    assert_string_equal(buf, "0x0000000000000000");
    hv_snprintf(buf, sizeof(buf), "%p", (void *)~0UL);
    assert_string_equal(buf, "0xffffffffffffffff");
    hv_snprintf(buf, sizeof(buf), "[%20p]", (void *)0xab);
    assert_string_equal(buf, "[  0x00000000000000ab]");
    hv_snprintf(buf, sizeof(buf), "[%-20p]", (void *)0xab);
    assert_string_equal(buf, "[0x00000000000000ab  ]");
}

static void test_symbol(void **state)
{
    char buf[64];

    (void)state;
    assert_int_equal(
        hv_snprintf(buf, sizeof(buf), "%pS", (void *)(SHIM_SYM_BASE + 0x12)),
        20);
    assert_string_equal(buf, "shim_first+0x12/0x40");
    hv_snprintf(buf, sizeof(buf), "%pS", (void *)(SHIM_SYM_BASE + 0x40));
    assert_string_equal(buf, "shim_second+0x0/0x100");
    hv_snprintf(buf, sizeof(buf), "at %pS!", (void *)(SHIM_SYM_BASE + 0x207));
    assert_string_equal(buf, "at shim_third+0x7/0x8!");
    /* Between and outside functions: the bare address. */
    hv_snprintf(buf, sizeof(buf), "%pS", (void *)(SHIM_SYM_BASE + 0x140));
    assert_string_equal(buf, "0x0000000000001140");
    hv_snprintf(buf, sizeof(buf), "%pSx", (void *)(SHIM_SYM_BASE + 0x208));
    assert_string_equal(buf, "0x0000000000001208x");
    hv_snprintf(buf, sizeof(buf), "[%24pS]", (void *)(SHIM_SYM_BASE + 1));
    assert_string_equal(buf, "[     shim_first+0x1/0x40]");
}

static void test_truncation(void **state)
{
    char buf[8];
    int n;

    (void)state;
    memset(buf, 'q', sizeof(buf));
    n = hv_snprintf(buf, sizeof(buf), "%s-%d", "abcdef", 12345);
    assert_int_equal(n, 12);
    assert_string_equal(buf, "abcdef-");
    memset(buf, 'q', sizeof(buf));
    n = hv_snprintf(buf, 1, "%d", 123);
    assert_int_equal(n, 3);
    assert_int_equal(buf[0], '\0');
    assert_int_equal(buf[1], 'q');
    n = hv_snprintf(buf, 0, "%s", "abc");
    assert_int_equal(n, 3);
    assert_int_equal(buf[0], '\0'); /* untouched */
    assert_int_equal(buf[1], 'q');
    n = hv_snprintf(NULL, 0, "%08x|%s", 0xabcu, "hello");
    assert_int_equal(n, 14);
    n = hv_snprintf(buf, sizeof(buf), "1234567");
    assert_int_equal(n, 7);
    assert_string_equal(buf, "1234567");
}

static int call_v(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = hv_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

static void test_vsnprintf_mixed(void **state)
{
    char buf[128];
    int n;

    (void)state;
    n = call_v(buf, sizeof(buf), "%s=%lu %c %#x %-3d|%05ld", "mem", 536870912UL,
               'k', 0x10u, 7, -42L);
    assert_int_equal(n, (int)strlen("mem=536870912 k 0x10 7  |-0042"));
    assert_string_equal(buf, "mem=536870912 k 0x10 7  |-0042");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signed),
        cmocka_unit_test(test_unsigned),
        cmocka_unit_test(test_ptrdiff),
        cmocka_unit_test(test_chars_and_strings),
        cmocka_unit_test(test_null_string),
        cmocka_unit_test(test_star_width_precision),
        cmocka_unit_test(test_percent_and_unknown),
        cmocka_unit_test(test_pointer),
        cmocka_unit_test(test_symbol),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_vsnprintf_mixed),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
