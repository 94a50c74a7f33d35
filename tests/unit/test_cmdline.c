/*
 * Unit tests for common/cmdline.c: every parameter type, overrides,
 * unknown options and bad values reported by name, quoting and blanks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <hv/cmdline.h>
#include <hv/errno.h>
#include <hv/lib.h>

static bool opt_flag, opt_other;
static unsigned int opt_cpus;
static uint64_t opt_mem;
static char opt_console[16];
static char custom_seen[64];
static unsigned int custom_calls;

static int custom_fn(const char *val)
{
    custom_calls++;
    hv_strlcpy(custom_seen, val ? val : "(none)", sizeof(custom_seen));
    return val && !strcmp(val, "reject") ? -EINVAL : 0;
}

static const struct kernel_param params[] = {
    { "flag", PARAM_BOOL, &opt_flag, 0, NULL },
    { "other", PARAM_BOOL, &opt_other, 0, NULL },
    { "maxcpus", PARAM_UINT, &opt_cpus, 0, NULL },
    { "mem", PARAM_SIZE, &opt_mem, 0, NULL },
    { "console", PARAM_STRING, opt_console, sizeof(opt_console), NULL },
    { "test", PARAM_CUSTOM, NULL, 0, custom_fn },
};

static char reports[8][400];
static unsigned int nr_reports;

static void report(const char *msg)
{
    if ( nr_reports < 8 )
        snprintf(reports[nr_reports], sizeof(reports[0]), "%s", msg);
    nr_reports++;
}

static int parse(const char *s)
{
    return cmdline_parse(s, params, ARRAY_SIZE(params), report);
}

static int setup(void **state)
{
    (void)state;
    opt_flag = opt_other = false;
    opt_cpus = 99;
    opt_mem = 1;
    strcpy(opt_console, "init");
    custom_seen[0] = '\0';
    custom_calls = 0;
    nr_reports = 0;
    return 0;
}

static void test_bool(void **state)
{
    static const struct
    {
        const char *s;
        bool want;
    } cases[] = {
        { "flag", true },     { "flag=1", true },    { "flag=yes", true },
        { "flag=on", true },  { "flag=true", true }, { "flag=0", false },
        { "flag=no", false }, { "flag=off", false }, { "flag=false", false },
        { "no-flag", false },
    };
    size_t i;

    (void)state;
    for ( i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        opt_flag = !cases[i].want;
        assert_int_equal(parse(cases[i].s), 0);
        assert_int_equal(opt_flag, cases[i].want);
    }
    assert_int_equal(nr_reports, 0);
}

static void test_bool_bad(void **state)
{
    (void)state;
    opt_flag = true;
    assert_int_equal(parse("flag=maybe"), 1);
    assert_string_equal(reports[0], "bad value 'maybe' for option 'flag'");
    assert_int_equal(parse("no-flag=1"), 1);
    assert_string_equal(reports[1], "bad value '1' for option 'no-flag'");
    assert_int_equal(parse("flag="), 1);
    assert_string_equal(reports[2], "bad value '' for option 'flag'");
    assert_true(opt_flag); /* unchanged by bad values */
    /* "no-" only negates booleans. */
    assert_int_equal(parse("no-maxcpus"), 1);
    assert_string_equal(reports[3], "unknown option 'no-maxcpus'");
}

static void test_uint(void **state)
{
    (void)state;
    assert_int_equal(parse("maxcpus=4"), 0);
    assert_int_equal(opt_cpus, 4);
    assert_int_equal(parse("maxcpus=0x10"), 0);
    assert_int_equal(opt_cpus, 16);
    assert_int_equal(parse("maxcpus=4294967295"), 0);
    assert_int_equal(opt_cpus, 4294967295U);
    assert_int_equal(parse("maxcpus=0"), 0);
    assert_int_equal(opt_cpus, 0);
    assert_int_equal(nr_reports, 0);
}

static void test_uint_bad(void **state)
{
    (void)state;
    assert_int_equal(parse("maxcpus=4294967296 maxcpus=4x maxcpus=-1 "
                           "maxcpus= maxcpus"),
                     5);
    assert_string_equal(reports[0],
                        "bad value '4294967296' for option 'maxcpus'");
    assert_string_equal(reports[1], "bad value '4x' for option 'maxcpus'");
    assert_string_equal(reports[2], "bad value '-1' for option 'maxcpus'");
    assert_string_equal(reports[3], "bad value '' for option 'maxcpus'");
    assert_string_equal(reports[4], "option 'maxcpus' needs a value");
    assert_int_equal(opt_cpus, 99);
}

static void test_size(void **state)
{
    static const struct
    {
        const char *s;
        uint64_t want;
    } cases[] = {
        { "mem=4096", 4096 },
        { "mem=4K", 4096 },
        { "mem=4k", 4096 },
        { "mem=512M", 512ULL << 20 },
        { "mem=2G", 2ULL << 30 },
        { "mem=3T", 3ULL << 40 },
        { "mem=0x100000", 1ULL << 20 },
        { "mem=0x10M", 16ULL << 20 },
        { "mem=16777215T", 16777215ULL << 40 },
        { "mem=0", 0 },
    };
    size_t i;

    (void)state;
    for ( i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        assert_int_equal(parse(cases[i].s), 0);
        assert_int_equal(opt_mem, cases[i].want);
    }
}

static void test_size_bad(void **state)
{
    uint64_t v = 5;

    (void)state;
    assert_int_equal(parse("mem=512MB"), 1);
    assert_string_equal(reports[0], "bad value '512MB' for option 'mem'");
    assert_int_equal(parse("mem=16777216T mem=M mem=1Q mem= mem"), 5);
    assert_string_equal(reports[1], "bad value '16777216T' for option 'mem'");
    assert_string_equal(reports[5], "option 'mem' needs a value");
    assert_int_equal(opt_mem, 1);
    assert_false(parse_size(NULL, &v));
    assert_false(parse_size("", &v));
    assert_false(parse_size("18446744073709551616", &v));
    assert_false(parse_size(" 1", &v));
    assert_int_equal(v, 5);
    assert_true(parse_size("18446744073709551615", &v));
    assert_int_equal(v, ~0ULL);
}

static void test_string(void **state)
{
    (void)state;
    assert_int_equal(parse("console=com1,115200n8"), 0);
    assert_string_equal(opt_console, "com1,115200n8");
    assert_int_equal(parse("console=a=b=c"), 0);
    assert_string_equal(opt_console, "a=b=c");
    assert_int_equal(parse("console=123456789012345"), 0); /* 15 + NUL */
    assert_string_equal(opt_console, "123456789012345");
    assert_int_equal(parse("console="), 0);
    assert_string_equal(opt_console, "");
    assert_int_equal(nr_reports, 0);
}

static void test_string_bad(void **state)
{
    (void)state;
    assert_int_equal(parse("console=1234567890123456"), 1);
    assert_string_equal(
        reports[0],
        "value '1234567890123456' too long for option 'console' (max 15)");
    assert_string_equal(opt_console, "init");
    assert_int_equal(parse("console"), 1);
    assert_string_equal(reports[1], "option 'console' needs a value");
}

static void test_custom(void **state)
{
    (void)state;
    assert_int_equal(parse("test=hello"), 0);
    assert_string_equal(custom_seen, "hello");
    assert_int_equal(parse("test"), 0);
    assert_string_equal(custom_seen, "(none)");
    assert_int_equal(parse("test=reject"), 1);
    assert_string_equal(reports[0], "bad value 'reject' for option 'test'");
    assert_int_equal(custom_calls, 3);
}

static void test_unknown_options(void **state)
{
    (void)state;
    assert_int_equal(parse("foo flag bar=1 =x mem=1M FLAG"), 4);
    assert_string_equal(reports[0], "unknown option 'foo'");
    assert_string_equal(reports[1], "unknown option 'bar'");
    assert_string_equal(reports[2], "unknown option ''");
    assert_string_equal(reports[3], "unknown option 'FLAG'");
    /* The good options around them still apply. */
    assert_true(opt_flag);
    assert_int_equal(opt_mem, 1 << 20);
}

static void test_overrides(void **state)
{
    (void)state;
    assert_int_equal(parse("maxcpus=2 flag mem=1G maxcpus=8 no-flag mem=2G "
                           "console=a console=b"),
                     0);
    assert_int_equal(opt_cpus, 8);
    assert_false(opt_flag);
    assert_int_equal(opt_mem, 2ULL << 30);
    assert_string_equal(opt_console, "b");
    /* A bad later value does not undo a good earlier one. */
    assert_int_equal(parse("maxcpus=3 maxcpus=bad"), 1);
    assert_int_equal(opt_cpus, 3);
}

static void test_blanks_and_quotes(void **state)
{
    (void)state;
    assert_int_equal(parse(""), 0);
    assert_int_equal(parse("   \t\n "), 0);
    assert_int_equal(cmdline_parse(NULL, params, ARRAY_SIZE(params), report),
                     0);
    assert_int_equal(parse("\t  flag \n\tmaxcpus=7\r\n"), 0);
    assert_true(opt_flag);
    assert_int_equal(opt_cpus, 7);
    assert_int_equal(parse("console=\"com1 vga\" other"), 0);
    assert_string_equal(opt_console, "com1 vga");
    assert_true(opt_other);
    assert_int_equal(parse("\"console=x y\""), 0);
    assert_string_equal(opt_console, "x y");
    assert_int_equal(parse("console=\"\""), 0);
    assert_string_equal(opt_console, "");
    assert_int_equal(parse("\"\""), 0); /* an empty option is nothing */
    assert_int_equal(nr_reports, 0);
    assert_int_equal(parse("flag console=\"open ended"), 1);
    assert_string_equal(reports[0],
                        "unterminated quote in option 'console=open ended'");
    assert_string_equal(opt_console, "");
}

static void test_overlong_option(void **state)
{
    char line[700];

    (void)state;
    memset(line, 'z', sizeof(line));
    memcpy(line, "console=", 8);
    strcpy(line + 600, " maxcpus=5");
    assert_int_equal(parse(line), 1);
    assert_non_null(strstr(reports[0], "option 'console=zzz"));
    assert_non_null(strstr(reports[0], "too long"));
    assert_string_equal(opt_console, "init");
    assert_int_equal(opt_cpus, 5);
}

static void test_null_report(void **state)
{
    (void)state;
    assert_int_equal(
        cmdline_parse("bogus flag", params, ARRAY_SIZE(params), NULL), 1);
    assert_true(opt_flag);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_bool, setup),
        cmocka_unit_test_setup(test_bool_bad, setup),
        cmocka_unit_test_setup(test_uint, setup),
        cmocka_unit_test_setup(test_uint_bad, setup),
        cmocka_unit_test_setup(test_size, setup),
        cmocka_unit_test_setup(test_size_bad, setup),
        cmocka_unit_test_setup(test_string, setup),
        cmocka_unit_test_setup(test_string_bad, setup),
        cmocka_unit_test_setup(test_custom, setup),
        cmocka_unit_test_setup(test_unknown_options, setup),
        cmocka_unit_test_setup(test_overrides, setup),
        cmocka_unit_test_setup(test_blanks_and_quotes, setup),
        cmocka_unit_test_setup(test_overlong_option, setup),
        cmocka_unit_test_setup(test_null_report, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
