/*
 * Unit tests for common/cpio.c: archives parsed back by a small newc
 * reader that checks the format as Linux's initramfs unpacker reads it,
 * the size function, and the error cases (names, sizes, short buffers).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hv/cpio.h>
#include <hv/errno.h>
#include <hv/lib.h>

/* ---- reader ---------------------------------------------------------------- */

struct entry
{
    uint32_t f[13]; /* ino mode uid gid nlink mtime filesize ... namesize */
    const char *name;
    const uint8_t *data;
};

static uint32_t hex8(const uint8_t *p)
{
    uint32_t v = 0;
    unsigned int i;

    for ( i = 0; i < 8; i++ )
    {
        char c = p[i];

        assert_true((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'));
        v = v * 16 + (c <= '9' ? c - '0' : c - 'A' + 10);
    }
    return v;
}

static void assert_zero(const uint8_t *p, size_t n)
{
    while ( n-- )
        assert_int_equal(*p++, 0);
}

/*
 * Parse the archive [a, a + size): every entry, then exactly the trailer
 * at the end.  Returns the number of entries before the trailer.
 */
static unsigned int read_archive(const uint8_t *a, size_t size,
                                 struct entry *out, unsigned int max)
{
    size_t pos = 0;
    unsigned int n = 0, i;

    for ( ;; )
    {
        struct entry e;
        size_t name_end, data_end;

        assert_true(pos % 4 == 0 && size - pos >= 110);
        assert_memory_equal(a + pos, "070701", 6);
        for ( i = 0; i < 13; i++ )
            e.f[i] = hex8(a + pos + 6 + 8 * i);
        e.name = (const char *)a + pos + 110;
        assert_true(e.f[11] >= 1 && pos + 110 + e.f[11] <= size);
        assert_int_equal(strlen(e.name), e.f[11] - 1);
        name_end = ROUNDUP(pos + 110 + e.f[11], 4);
        assert_zero(a + pos + 110 + e.f[11], name_end - (pos + 110 + e.f[11]));
        e.data = a + name_end;
        data_end = ROUNDUP(name_end + e.f[6], 4);
        assert_true(data_end <= size);
        assert_zero(a + name_end + e.f[6], data_end - name_end - e.f[6]);
        assert_int_equal(e.f[12], 0); /* c_check */
        pos = data_end;
        if ( strcmp(e.name, "TRAILER!!!") == 0 )
        {
            assert_int_equal(e.f[6], 0);
            assert_int_equal(pos, size);
            return n;
        }
        assert_int_equal(e.f[1], 0100644);
        assert_int_equal(e.f[4], 1);
        assert_true(n < max);
        if ( out )
            out[n] = e;
        n++;
    }
}

/* ---- tests ----------------------------------------------------------------- */

#define M(n, d, s)             \
    {                          \
        n, sizeof(n) - 1, d, s \
    }

static void test_round_trip(void **state)
{
    static const char blob[] = "0123456789abcdef";
    /* Names of 1-4 chars and data of 0, 1, 4, 5, 16 bytes: every padding. */
    const struct cpio_member m[] = {
        M("a", blob, 0),    M("bb", blob, 1),    M("ccc", blob + 3, 4),
        M("dddd", blob, 5), M("init", blob, 16), M("x.cfg", blob, 3),
    };
    struct entry e[8];
    size_t size, written = 0;
    uint8_t *buf;
    unsigned int i, n;

    (void)state;
    assert_int_equal(cpio_size(m, ARRAY_SIZE(m), &size), 0);
    buf = malloc(size);
    assert_int_equal(cpio_write(m, ARRAY_SIZE(m), buf, size, &written), 0);
    assert_int_equal(written, size);
    n = read_archive(buf, size, e, ARRAY_SIZE(e));
    assert_int_equal(n, ARRAY_SIZE(m));
    for ( i = 0; i < n; i++ )
    {
        assert_int_equal(e[i].f[11], m[i].name_len + 1);
        assert_memory_equal(e[i].name, m[i].name, m[i].name_len);
        assert_int_equal(e[i].f[6], m[i].size);
        if ( m[i].size )
            assert_memory_equal(e[i].data, m[i].data, m[i].size);
        assert_int_equal(e[i].f[0], i + 1); /* distinct inodes */
    }
    /* Header and name of "a": 110 + 2 -> 112; no data; then "bb". */
    assert_memory_equal(buf + 112, "070701", 6);
    free(buf);
}

static void test_empty_archive(void **state)
{
    uint8_t buf[124];
    size_t size, written;

    (void)state;
    assert_int_equal(cpio_size(NULL, 0, &size), 0);
    assert_int_equal(size, 124); /* 110 + "TRAILER!!!\0" padded */
    assert_int_equal(cpio_write(NULL, 0, buf, sizeof(buf), &written), 0);
    assert_int_equal(written, 124);
    assert_int_equal(read_archive(buf, written, NULL, 0), 0);
}

static void test_large_member(void **state)
{
    size_t n = (1 << 20) + 3, size, written, i;
    uint8_t *data = malloc(n), *buf;
    struct cpio_member m = { "initrd.img", 10, data, n };
    struct entry e;

    (void)state;
    for ( i = 0; i < n; i++ )
        data[i] = (uint8_t)(i * 7);
    assert_int_equal(cpio_size(&m, 1, &size), 0);
    assert_int_equal(size, 124 + 124 + ROUNDUP(n, 4));
    buf = malloc(size);
    assert_int_equal(cpio_write(&m, 1, buf, size, &written), 0);
    assert_int_equal(read_archive(buf, written, &e, 1), 1);
    assert_memory_equal(e.data, data, n);
    free(buf);
    free(data);
}

static void test_no_space(void **state)
{
    const struct cpio_member m[] = { M("one", "1", 1), M("two", "22", 2) };
    uint8_t *buf;
    size_t size, written = 77;

    (void)state;
    assert_int_equal(cpio_size(m, 2, &size), 0);
    buf = malloc(size);
    memset(buf, 0x5a, size);
    assert_int_equal(cpio_write(m, 2, buf, size - 1, &written), -ENOSPC);
    assert_int_equal(written, 77);
    assert_int_equal(buf[0], 0x5a); /* nothing written */
    assert_int_equal(cpio_write(m, 2, NULL, 0, &written), -ENOSPC);
    assert_int_equal(cpio_write(m, 2, buf, size, &written), 0);
    assert_int_equal(written, size);
    free(buf);
}

static void test_bad_names(void **state)
{
    static const struct
    {
        const char *name;
        size_t len;
        bool ok;
    } cases[] = {
        { "", 0, false },
        { "..", 2, false },
        { "../x", 4, false },
        { "a/../b", 6, false },
        { "a/..", 4, false },
        { "/..", 3, false },
        { "a\0b", 3, false },
        { "ab\0", 3, false },
        { "TRAILER!!!", 10, false },
        { "..a", 3, true },
        { "a..", 3, true },
        { "a/..b", 5, true },
        { "b../c", 5, true },
        { ".", 1, true },
        { "...", 3, true },
        { "dir/file", 8, true },
        { "TRAILER!!", 9, true },
        { "TRAILER!!!x", 11, true },
        { "a..b", 2, true }, /* only the first name_len bytes count */
    };
    char long_name[CPIO_NAME_MAX + 2];
    struct cpio_member m[2] = { M("fine", "x", 1) };
    uint8_t buf[1024];
    size_t size, written;
    unsigned int i;

    (void)state;
    for ( i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        int want = cases[i].ok ? 0 : -EINVAL;

        m[1] = (struct cpio_member){ cases[i].name, cases[i].len, "d", 1 };
        if ( cpio_size(m, 2, &size) != want ||
             cpio_write(m, 2, buf, sizeof(buf), &written) != want )
            fail_msg("name %u \"%.*s\": want %d", i, (int)cases[i].len,
                     cases[i].name, want);
        if ( cases[i].ok )
            assert_int_equal(read_archive(buf, written, NULL, 2), 2);
    }
    memset(long_name, 'n', sizeof(long_name));
    m[1] = (struct cpio_member){ long_name, CPIO_NAME_MAX, "d", 1 };
    assert_int_equal(cpio_size(m, 2, &size), 0);
    m[1].name_len = CPIO_NAME_MAX + 1;
    assert_int_equal(cpio_size(m, 2, &size), -EINVAL);
    assert_int_equal(cpio_write(m, 2, buf, sizeof(buf), &written), -EINVAL);
}

static void test_too_big(void **state)
{
    /* The data pointer is never touched: sizes are checked first. */
    struct cpio_member m = { "big", 3, (const void *)16, 0x100000000UL };
    size_t size;
    uint8_t buf[256];

    (void)state;
    assert_int_equal(cpio_size(&m, 1, &size), -E2BIG);
    assert_int_equal(cpio_write(&m, 1, buf, sizeof(buf), &size), -E2BIG);
    m.size = CPIO_MEMBER_MAX;
    assert_int_equal(cpio_size(&m, 1, &size), 0);
    assert_int_equal(size, 124 + 116 + 0x100000000UL);
}

static void test_name_from_cmdline(void **state)
{
    static const struct
    {
        const char *cmdline, *name;
    } cases[] = {
        { "/boot/initrd.img-6.1 root=/dev/xvda", "initrd.img-6.1" },
        { "  xenstored.elf --verbose", "xenstored.elf" },
        { "\tplain", "plain" },
        { "noslash", "noslash" },
        { "/trailing/ x", "" },
        { "", "" },
        { "   ", "" },
        { "a/b/c/d", "d" },
    };
    const char *name;
    size_t len;
    unsigned int i;

    (void)state;
    for ( i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        cpio_name_from_cmdline(cases[i].cmdline, &name, &len);
        assert_int_equal(len, strlen(cases[i].name));
        assert_memory_equal(name, cases[i].name, len);
    }
    cpio_name_from_cmdline(NULL, &name, &len);
    assert_int_equal(len, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_empty_archive),
        cmocka_unit_test(test_large_member),
        cmocka_unit_test(test_no_space),
        cmocka_unit_test(test_bad_names),
        cmocka_unit_test(test_too_big),
        cmocka_unit_test(test_name_from_cmdline),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
