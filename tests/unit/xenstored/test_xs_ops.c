/*
 * xenstored unit tests: every message type and its error replies
 *
 * Locking: none; single-threaded tests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xt.h"

static struct xs_conn *c0;

static int setup(void **state)
{
    (void)state;
    xt_store(NULL);
    c0 = xt_conn(0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    xt_store_free();
    return 0;
}

/* A home for domid owned by it, as a toolstack would make it. */
static struct xs_conn *guest(unsigned int domid)
{
    char path[64], perm[16];

    assert_string_equal(xt_introduce(c0, domid), "OK");
    snprintf(path, sizeof(path), "/local/domain/%u", domid);
    snprintf(perm, sizeof(perm), "n%u", domid);
    assert_string_equal(xt_mkdir(c0, 0, path), "OK");
    assert_string_equal(xt_setperms(c0, 0, path, perm), "OK");
    return xt_conn(domid);
}

static void test_write_read(void **state)
{
    (void)state;
    assert_string_equal(xt_write(c0, 0, "/a", "hello"), "OK");
    assert_string_equal(xt_read(c0, 0, "/a"), "hello");
    assert_int_equal(xt_last.len, 5); /* no trailing NUL */
    assert_string_equal(xt_write(c0, 0, "/x/y/z", "v"), "OK");
    assert_string_equal(xt_read(c0, 0, "/x/y"), "");
    assert_string_equal(xt_read(c0, 0, "/x/y/z"), "v");
    assert_string_equal(xt_write(c0, 0, "/a", ""), "OK");
    assert_string_equal(xt_read(c0, 0, "/a"), "");
    assert_string_equal(xt_read(c0, 0, "/missing"), "ERR:ENOENT");
    /* The error payload is the errno name with its NUL. */
    assert_int_equal(xt_last.type, XS_ERROR);
    assert_int_equal(xt_last.len, 7);
}

static void test_path_errors(void **state)
{
    static const char *const bad[] = { "",    "/a/",  "//a",    "/a//b",
                                       "/a*", "/a b", "@intro", "/a\x7f" };
    unsigned int i;

    (void)state;
    for ( i = 0; i < sizeof(bad) / sizeof(bad[0]); i++ )
    {
        assert_string_equal(xt_read(c0, 0, bad[i]), "ERR:EINVAL");
        assert_string_equal(xt_write(c0, 0, bad[i], "v"), "ERR:EINVAL");
        assert_string_equal(xt_mkdir(c0, 0, bad[i]), "ERR:EINVAL");
        assert_string_equal(xt_rm(c0, 0, bad[i]), "ERR:EINVAL");
        assert_string_equal(xt_dir(c0, 0, bad[i]), "ERR:EINVAL");
    }
    /* Missing NUL, extra argument. */
    assert_string_equal(xt_raw(c0, XS_READ, 0, "/a", 2), "ERR:EINVAL");
    assert_string_equal(xt_call(c0, XS_READ, 0, 2, "/a", "/b"), "ERR:EINVAL");
    assert_string_equal(xt_raw(c0, XS_WRITE, 0, "/a", 2), "ERR:EINVAL");
    assert_string_equal(xt_raw(c0, XS_READ, 0, "", 0), "ERR:EINVAL");
}

static void test_path_lengths(void **state)
{
    struct xs_conn *c5;
    char *p = malloc(XS_ABS_PATH_MAX + 8);

    (void)state;
    c5 = guest(5);
    /* Relative: 2048 characters pass the length check, 2049 do not. */
    memset(p, 'a', XS_REL_PATH_MAX + 1);
    p[XS_REL_PATH_MAX + 1] = '\0';
    assert_string_equal(xt_write(c5, 0, p, "v"), "ERR:EINVAL");
    p[XS_REL_PATH_MAX] = '\0';
    assert_string_equal(xt_read(c5, 0, p), "ERR:ENOENT");
    /* Absolute: 3072 characters at most. */
    p[0] = '/';
    memset(p + 1, 'b', XS_ABS_PATH_MAX);
    p[XS_ABS_PATH_MAX + 1] = '\0';
    assert_string_equal(xt_read(c0, 0, p), "ERR:EINVAL");
    p[XS_ABS_PATH_MAX] = '\0';
    assert_string_equal(xt_read(c0, 0, p), "ERR:ENOENT");
    free(p);
}

static void test_relative_paths(void **state)
{
    struct xs_conn *c5;

    (void)state;
    c5 = guest(5);
    assert_string_equal(xt_write(c5, 0, "device/vbd", "1"), "OK");
    assert_string_equal(xt_read(c0, 0, "/local/domain/5/device/vbd"), "1");
    assert_string_equal(xt_read(c5, 0, "device/vbd"), "1");
    assert_string_equal(xt_dir(c5, 0, "device"), "vbd");
    /* XSA-481: the bare prefix is not a path. */
    assert_string_equal(xt_read(c0, 0, "/local/domain/"), "ERR:EINVAL");
    assert_string_equal(xt_write(c0, 0, "/local/domain/", "x"), "ERR:EINVAL");
}

static void test_mkdir(void **state)
{
    (void)state;
    assert_string_equal(xt_mkdir(c0, 0, "/m/n"), "OK");
    assert_string_equal(xt_read(c0, 0, "/m/n"), "");
    assert_string_equal(xt_write(c0, 0, "/m", "keep"), "OK");
    assert_string_equal(xt_mkdir(c0, 0, "/m"), "OK");
    assert_string_equal(xt_read(c0, 0, "/m"), "keep");
}

static void test_rm(void **state)
{
    (void)state;
    assert_string_equal(xt_write(c0, 0, "/r/a/b", "1"), "OK");
    assert_string_equal(xt_write(c0, 0, "/r/c", "2"), "OK");
    assert_string_equal(xt_rm(c0, 0, "/r/a"), "OK");
    assert_string_equal(xt_read(c0, 0, "/r/a/b"), "ERR:ENOENT");
    assert_string_equal(xt_dir(c0, 0, "/r"), "c");
    assert_string_equal(xt_rm(c0, 0, "/r/gone"), "OK"); /* parent exists */
    assert_string_equal(xt_rm(c0, 0, "/nope/child"), "ERR:ENOENT");
    assert_string_equal(xt_rm(c0, 0, "/"), "ERR:EINVAL");
}

static void test_directory(void **state)
{
    (void)state;
    assert_string_equal(xt_dir(c0, 0, "/"), "tool");
    assert_string_equal(xt_write(c0, 0, "/d/b", ""), "OK");
    assert_string_equal(xt_write(c0, 0, "/d/a", ""), "OK");
    assert_string_equal(xt_write(c0, 0, "/d/c", ""), "OK");
    assert_string_equal(xt_dir(c0, 0, "/d"), "b a c");
    assert_string_equal(xt_dir(c0, 0, "/d/a"), "");
    assert_int_equal(xt_last.len, 0);
    assert_string_equal(xt_dir(c0, 0, "/nope"), "ERR:ENOENT");
}

/* Children whose names add up to more than one payload. */
static void make_big_dir(unsigned int n, char *expect, size_t *elen)
{
    unsigned int i;
    char p[64];

    *elen = 0;
    for ( i = 0; i < n; i++ )
    {
        snprintf(p, sizeof(p), "/big/child-with-a-long-name-%04u", i);
        assert_string_equal(xt_write(c0, 0, p, ""), "OK");
        memcpy(expect + *elen, p + 5, strlen(p + 5) + 1);
        *elen += strlen(p + 5) + 1;
    }
}

static void test_directory_part(void **state)
{
    static char expect[64 * 400], got[64 * 400];
    size_t elen, glen = 0;
    unsigned int parts = 0;
    char off[16], gen[32] = "";

    (void)state;
    make_big_dir(300, expect, &elen);
    assert_true(elen > XS_PAYLOAD_MAX);
    assert_string_equal(xt_dir(c0, 0, "/big"), "ERR:E2BIG");
    for ( ;; )
    {
        size_t gl;

        snprintf(off, sizeof(off), "%zu", glen);
        xt_call(c0, XS_DIRECTORY_PART, 0, 2, "/big", off);
        assert_int_equal(xt_last.type, XS_DIRECTORY_PART);
        assert_true(xt_last.len <= XS_PAYLOAD_MAX);
        gl = strlen(xt_last.data) + 1;
        if ( parts++ )
            assert_string_equal(gen, xt_last.data);
        else
            strcpy(gen, xt_last.data);
        memcpy(got + glen, xt_last.data + gl, xt_last.len - gl);
        glen += xt_last.len - gl;
        if ( glen >= 2 && got[glen - 2] == '\0' )
            break;
        assert_true(parts < 10);
    }
    assert_true(parts >= 2);
    assert_int_equal(glen, elen + 1); /* the extra NUL ends the list */
    assert_memory_equal(got, expect, elen);
    /* Empty directory: just the generation and the extra NUL. */
    xt_call(c0, XS_DIRECTORY_PART, 0, 2, "/big/child-with-a-long-name-0000",
            "0");
    assert_int_equal(xt_last.len, strlen(xt_last.data) + 2);
    assert_string_equal(xt_call(c0, XS_DIRECTORY_PART, 0, 2, "/big", "3"),
                        "ERR:EINVAL");
    assert_string_equal(xt_call(c0, XS_DIRECTORY_PART, 0, 2, "/big", "x"),
                        "ERR:EINVAL");
    assert_string_equal(xt_call(c0, XS_DIRECTORY_PART, 0, 2, "/big", "99999"),
                        "ERR:EINVAL");
    assert_string_equal(xt_call(c0, XS_DIRECTORY_PART, 0, 1, "/big"),
                        "ERR:EINVAL");
    assert_string_equal(xt_call(c0, XS_DIRECTORY_PART, 0, 2, "/nope", "0"),
                        "ERR:ENOENT");
}

static void test_perms_messages(void **state)
{
    (void)state;
    assert_string_equal(xt_perms(c0, 0, "/"), "n0");
    assert_string_equal(xt_write(c0, 0, "/p", "v"), "OK");
    assert_string_equal(xt_introduce(c0, 5), "OK");
    assert_string_equal(xt_setperms(c0, 0, "/p", "b0 r5 w7"), "OK");
    assert_string_equal(xt_perms(c0, 0, "/p"), "b0 r5 w7");
    assert_string_equal(xt_setperms(c0, 0, "/p", "x5"), "ERR:EINVAL");
    assert_string_equal(xt_setperms(c0, 0, "/p", "r"), "ERR:EINVAL");
    assert_string_equal(xt_setperms(c0, 0, "/p", "r5x"), "ERR:EINVAL");
    assert_string_equal(xt_setperms(c0, 0, "/p", "r99999"), "ERR:EINVAL");
    assert_string_equal(xt_call(c0, XS_SET_PERMS, 0, 1, "/p"), "ERR:EINVAL");
    assert_string_equal(xt_raw(c0, XS_SET_PERMS, 0, "/p\0r5", 5), "ERR:EINVAL");
    assert_string_equal(xt_setperms(c0, 0, "/nope", "r0"), "ERR:ENOENT");
    xt_dom_state[42] = XS_DOM_GONE;
    assert_string_equal(xt_setperms(c0, 0, "/p", "n42"), "ERR:ENOENT");
    assert_string_equal(xt_perms(c0, 0, "/p"), "b0 r5 w7");
    assert_string_equal(xt_perms(c0, 0, "/nope"), "ERR:ENOENT");
    assert_string_equal(xt_perms(c0, 0, "@introduceDomain"), "n0");
}

static void test_get_domain_path(void **state)
{
    struct xs_conn *c5;

    (void)state;
    c5 = guest(5);
    assert_string_equal(xt_call(c5, XS_GET_DOMAIN_PATH, 0, 1, "7"),
                        "/local/domain/7");
    assert_int_equal(xt_last.len, strlen("/local/domain/7") + 1);
    assert_string_equal(xt_call(c0, XS_GET_DOMAIN_PATH, 0, 1, "x"),
                        "ERR:EINVAL");
    assert_string_equal(xt_call(c0, XS_GET_DOMAIN_PATH, 0, 1, "70000"),
                        "ERR:EINVAL");
    assert_string_equal(xt_call(c0, XS_GET_DOMAIN_PATH, 0, 1, ""),
                        "ERR:EINVAL");
}

static void test_transaction_messages(void **state)
{
    uint32_t tx;

    (void)state;
    tx = xt_txn_start(c0);
    assert_true(tx != 0);
    assert_string_equal(xt_txn_end(c0, tx, 1), "OK");
    assert_string_equal(xt_txn_end(c0, tx, 1), "ERR:ENOENT");
    assert_string_equal(xt_txn_end(c0, 0, 1), "ERR:ENOENT");
    assert_string_equal(xt_call(c0, XS_TRANSACTION_START, 1234, 1, ""),
                        "ERR:ENOENT");
    tx = xt_txn_start(c0);
    assert_string_equal(xt_call(c0, XS_TRANSACTION_START, tx, 1, ""),
                        "ERR:EBUSY");
    assert_string_equal(xt_call(c0, XS_TRANSACTION_END, tx, 1, "X"),
                        "ERR:EINVAL");
    assert_string_equal(xt_call(c0, XS_TRANSACTION_END, tx, 2, "T", "T"),
                        "ERR:EINVAL");
    assert_string_equal(xt_read(c0, 4321, "/tool"), "ERR:ENOENT");
    assert_string_equal(xt_txn_end(c0, tx, 0), "OK");
}

static void test_watch_messages(void **state)
{
    (void)state;
    assert_string_equal(xt_watch(c0, "/w", "tok"), "OK");
    assert_int_equal(xt_nevents(c0), 1);
    assert_string_equal(xt_event(c0, 0), "/w tok");
    assert_string_equal(xt_watch(c0, "/w", "tok"), "ERR:EEXIST");
    assert_string_equal(xt_watch(c0, "/w", "tok2"), "OK");
    assert_string_equal(xt_unwatch(c0, "/w", "tok"), "OK");
    assert_string_equal(xt_unwatch(c0, "/w", "tok"), "ERR:ENOENT");
    assert_string_equal(xt_call(c0, XS_WATCH, 0, 3, "/w", "t", "1"),
                        "ERR:EINVAL");
    assert_string_equal(xt_watch(c0, "/w/", "t"), "ERR:EINVAL");
    assert_string_equal(xt_watch(c0, "@", "t"), "ERR:EINVAL");
    assert_string_equal(xt_watch(c0, "@a/b", "t"), "ERR:EINVAL");
    assert_string_equal(xt_watch(c0, "@releaseDomain", "t"), "OK");
    /* tx_id is ignored by WATCH */
    assert_string_equal(xt_call(c0, XS_WATCH, 77, 2, "/w2", "t"), "OK");
}

static void test_domain_messages(void **state)
{
    struct xs_conn *c5;

    (void)state;
    assert_string_equal(xt_introduce(c0, 5), "OK");
    assert_int_equal(xt_introduce_calls, 1);
    assert_string_equal(xt_call(c0, XS_IS_DOMAIN_INTRODUCED, 0, 1, "5"), "T");
    assert_string_equal(xt_call(c0, XS_IS_DOMAIN_INTRODUCED, 0, 1, "6"), "F");
    assert_string_equal(xt_call(c0, XS_IS_DOMAIN_INTRODUCED, 0, 1, "z"),
                        "ERR:EINVAL");
    assert_string_equal(xt_introduce(c0, 0), "ERR:EINVAL");
    assert_string_equal(xt_call(c0, XS_INTRODUCE, 0, 2, "6", "1"),
                        "ERR:EINVAL");
    assert_string_equal(xt_call(c0, XS_INTRODUCE, 0, 3, "6", "g", "1"),
                        "ERR:EINVAL");
    assert_string_equal(xt_call(c0, XS_RESUME, 0, 1, "6"), "ERR:ENOENT");
    assert_string_equal(xt_call(c0, XS_RESUME, 0, 1, "5"), "OK");
    assert_string_equal(xt_introduce(c0, 6), "OK");
    assert_string_equal(xt_call(c0, XS_SET_TARGET, 0, 2, "6", "5"), "OK");
    xt_dom_state[42] = XS_DOM_GONE;
    assert_string_equal(xt_call(c0, XS_SET_TARGET, 0, 2, "6", "42"),
                        "ERR:ENOENT");
    assert_string_equal(xt_call(c0, XS_SET_TARGET, 0, 1, "6"), "ERR:EINVAL");
    c5 = xt_conn(5);
    assert_string_equal(xt_introduce(c5, 9), "ERR:EACCES");
    assert_string_equal(xt_call(c5, XS_RELEASE, 0, 1, "6"), "ERR:EACCES");
    assert_string_equal(xt_call(c5, XS_IS_DOMAIN_INTRODUCED, 0, 1, "6"),
                        "ERR:EACCES");
    assert_string_equal(xt_call(c5, XS_RESUME, 0, 1, "6"), "ERR:EACCES");
    assert_string_equal(xt_call(c5, XS_SET_TARGET, 0, 2, "5", "6"),
                        "ERR:EACCES");
    assert_string_equal(xt_call(c0, XS_RELEASE, 0, 1, "6"), "OK");
    assert_int_equal(xt_release_calls, 1);
    assert_string_equal(xt_call(c0, XS_RELEASE, 0, 1, "6"), "ERR:ENOENT");
    assert_string_equal(xt_call(c0, XS_RELEASE, 0, 1, "0"), "ERR:EINVAL");
    assert_string_equal(xt_call(c0, XS_IS_DOMAIN_INTRODUCED, 0, 1, "6"), "F");
}

static void test_reset_watches(void **state)
{
    uint32_t tx;

    (void)state;
    assert_string_equal(xt_watch(c0, "/rw", "t"), "OK");
    tx = xt_txn_start(c0);
    assert_string_equal(xt_raw(c0, XS_RESET_WATCHES, 0, "", 0), "OK");
    xt_clear_events(c0);
    assert_string_equal(xt_write(c0, 0, "/rw", "1"), "OK");
    assert_int_equal(xt_nevents(c0), 0);
    assert_string_equal(xt_txn_end(c0, tx, 1), "ERR:ENOENT");
}

static void test_control(void **state)
{
    struct xs_conn *c5;

    (void)state;
    assert_non_null(strstr(xt_call(c0, XS_CONTROL, 0, 1, "quota"),
                           "nodes              1000"));
    assert_non_null(strstr(xt_last.data, "memory             2621440"));
    assert_non_null(
        strstr(xt_call(c0, XS_CONTROL, 0, 2, "quota", "0"), "domain 0"));
    assert_string_equal(xt_call(c0, XS_CONTROL, 0, 2, "quota", "77"),
                        "ERR:ENOENT");
    assert_string_equal(xt_call(c0, XS_CONTROL, 0, 1, "bogus"), "ERR:EINVAL");
    assert_string_equal(xt_raw(c0, XS_CONTROL, 0, "", 0), "ERR:EINVAL");
    c5 = xt_conn(5);
    assert_string_equal(xt_call(c5, XS_CONTROL, 0, 1, "quota"), "ERR:EACCES");
}

static void test_enosys(void **state)
{
    static const uint32_t types[] = {
        XS_WATCH_EVENT, XS_ERROR, 20, 23, 25, 26, 1000, XS_INVALID, 0xffffffffu
    };
    unsigned int i;

    (void)state;
    for ( i = 0; i < sizeof(types) / sizeof(types[0]); i++ )
        assert_string_equal(xt_raw(c0, types[i], 0, "/a", 3), "ERR:ENOSYS");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_write_read),
        T(test_path_errors),
        T(test_path_lengths),
        T(test_relative_paths),
        T(test_mkdir),
        T(test_rm),
        T(test_directory),
        T(test_directory_part),
        T(test_perms_messages),
        T(test_get_domain_path),
        T(test_transaction_messages),
        T(test_watch_messages),
        T(test_domain_messages),
        T(test_reset_watches),
        T(test_control),
        T(test_enosys),
#undef T
    };

    return cmocka_run_group_tests_name("xenstored-ops", tests, NULL, NULL);
}
