/*
 * Unit tests for common/string.c.  Host tests normally use the C library's
 * string routines, so this file compiles string.c with every function
 * renamed (hvt_*) and checks the renamed versions against libc.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define memcpy  hvt_memcpy
#define memmove hvt_memmove
#define memset  hvt_memset
#define memcmp  hvt_memcmp
#define strlen  hvt_strlen
#define strnlen hvt_strnlen
#define strcmp  hvt_strcmp
#define strncmp hvt_strncmp
#define strchr  hvt_strchr
#include "../../hypervisor/common/string.c"
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr

static int sign(int x)
{
    return (x > 0) - (x < 0);
}

static void test_memcpy_alignments(void **state)
{
    unsigned char src[64], dst[80], want[80];
    size_t so, doff, n;

    (void)state;
    for ( n = 0; n < sizeof(src); n++ )
        src[n] = (unsigned char)(n * 7 + 1);
    for ( so = 0; so < 9; so++ )
        for ( doff = 0; doff < 9; doff++ )
            for ( n = 0; n + so <= 40; n += 3 )
            {
                memset(dst, 0xee, sizeof(dst));
                memset(want, 0xee, sizeof(want));
                memcpy(want + doff, src + so, n);
                assert_ptr_equal(hvt_memcpy(dst + doff, src + so, n),
                                 dst + doff);
                assert_memory_equal(dst, want, sizeof(dst));
            }
}

static void test_memmove_overlap(void **state)
{
    char a[32], b[32];
    size_t from, to;

    (void)state;
    for ( from = 0; from < 10; from++ )
        for ( to = 0; to < 10; to++ )
        {
            strcpy(a, "0123456789abcdefghijklmnopqrstu");
            strcpy(b, a);
            memmove(b + to, b + from, 20);
            assert_ptr_equal(hvt_memmove(a + to, a + from, 20), a + to);
            assert_memory_equal(a, b, sizeof(a));
        }
}

static void test_memset_memcmp(void **state)
{
    unsigned char a[33], b[33];

    (void)state;
    memset(a, 1, sizeof(a));
    assert_ptr_equal(hvt_memset(a + 1, 0x1ab, 31), a + 1);
    assert_int_equal(a[0], 1);
    assert_int_equal(a[1], 0xab);
    assert_int_equal(a[31], 0xab);
    assert_int_equal(a[32], 1);
    memcpy(b, a, sizeof(a));
    assert_int_equal(hvt_memcmp(a, b, sizeof(a)), 0);
    b[5] = 0xff; /* unsigned comparison: 0xff > 0xab */
    assert_true(hvt_memcmp(a, b, sizeof(a)) < 0);
    assert_true(hvt_memcmp(b, a, sizeof(a)) > 0);
    assert_int_equal(hvt_memcmp(a, b, 5), 0);
    assert_int_equal(hvt_memcmp(a, b, 0), 0);

    /* Every start alignment and length around the 8-byte stores. */
    {
        unsigned char big[80];
        size_t off, len, i;

        for ( off = 0; off < 16; off++ )
            for ( len = 0; len <= 40; len++ )
            {
                memset(big, 0x11, sizeof(big));
                hvt_memset(big + off, 0x7e, len);
                for ( i = 0; i < sizeof(big); i++ )
                    assert_int_equal(big[i],
                                     i >= off && i < off + len ? 0x7e : 0x11);
            }
    }
}

static void test_str_functions(void **state)
{
    static const char *const words[] = { "",    "a", "ab",   "abc",
                                         "abd", "b", "\xff", "abcdef" };
    const char *s = "hello, world";
    size_t i, j;

    (void)state;
    assert_int_equal(hvt_strlen(""), 0);
    assert_int_equal(hvt_strlen(s), 12);
    assert_int_equal(hvt_strnlen(s, 5), 5);
    assert_int_equal(hvt_strnlen(s, 50), 12);
    assert_int_equal(hvt_strnlen(s, 0), 0);
    assert_ptr_equal(hvt_strchr(s, 'o'), s + 4);
    assert_ptr_equal(hvt_strchr(s, 'z'), NULL);
    assert_ptr_equal(hvt_strchr(s, '\0'), s + 12);
    for ( i = 0; i < ARRAY_SIZE(words); i++ )
        for ( j = 0; j < ARRAY_SIZE(words); j++ )
        {
            assert_int_equal(sign(hvt_strcmp(words[i], words[j])),
                             sign(strcmp(words[i], words[j])));
            assert_int_equal(sign(hvt_strncmp(words[i], words[j], 2)),
                             sign(strncmp(words[i], words[j], 2)));
        }
    assert_int_equal(hvt_strncmp("abc", "abd", 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memcpy_alignments),
        cmocka_unit_test(test_memmove_overlap),
        cmocka_unit_test(test_memset_memcmp),
        cmocka_unit_test(test_str_functions),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
