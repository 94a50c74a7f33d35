/*
 * xenstored unit tests: the wire layer under hostile input, and the
 * regression tests for the XenStore advisories (XSA numbers in names)
 *
 * Locking: none; single-threaded tests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xt.h"

static struct xs_conn *c0, *c5;

static int setup(void **state)
{
    (void)state;
    xt_store(NULL);
    c0 = xt_conn(0);
    assert_string_equal(xt_introduce(c0, 5), "OK");
    assert_string_equal(xt_mkdir(c0, 0, "/local/domain/5"), "OK");
    assert_string_equal(xt_setperms(c0, 0, "/local/domain/5", "n5"), "OK");
    c5 = xt_conn(5);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    xt_store_free();
    return 0;
}

static size_t msg(char *buf, uint32_t type, uint32_t req, uint32_t tx,
                  const char *p, uint32_t len)
{
    struct xs_msg_hdr h = {
        .type = type, .req_id = req, .tx_id = tx, .len = len
    };

    memcpy(buf, &h, sizeof(h));
    memcpy(buf + sizeof(h), p, len);
    return sizeof(h) + len;
}

static void test_truncated_and_bytewise(void **state)
{
    char buf[64];
    const void *out;
    size_t n = msg(buf, XS_READ, 9, 0, "/tool", 6), i;

    (void)state;
    assert_int_equal(xs_conn_input(c5, buf, 10), 10);
    assert_int_equal(xs_conn_output(c5, &out), 0);
    for ( i = 10; i < n; i++ )
        assert_int_equal(xs_conn_input(c5, buf + i, 1), 1);
    assert_true(xs_conn_output(c5, &out) > 0);
    xt_drain(c5);
    assert_false(xs_conn_dead(c5));
}

static void test_pipelined(void **state)
{
    char buf[256];
    size_t n = 0;
    const void *out;
    struct xs_msg_hdr h;
    uint32_t i;

    (void)state;
    for ( i = 1; i <= 4; i++ )
        n += msg(buf + n, XS_GET_DOMAIN_PATH, i, 0, "3", 2);
    assert_int_equal(xs_conn_input(c0, buf, n), n);
    for ( i = 1; i <= 4; i++ )
    {
        size_t len = xs_conn_output(c0, &out);

        assert_true(len >= sizeof(h));
        memcpy(&h, out, sizeof(h));
        assert_int_equal(h.req_id, i);
        assert_int_equal(h.type, XS_GET_DOMAIN_PATH);
        xs_conn_consume(c0, len);
    }
}

/* XSA-72: an oversize length is refused before anything is buffered. */
static void test_oversize_length(void **state)
{
    struct xs_msg_hdr h = { .type = XS_WRITE, .len = XS_PAYLOAD_MAX + 1 };

    (void)state;
    assert_int_equal(xs_conn_input(c5, &h, sizeof(h)), sizeof(h));
    assert_true(xs_conn_dead(c5));
    assert_non_null(strstr(xs_conn_dead_reason(c5), "4096"));
    assert_int_equal(xs_conn_input(c5, &h, sizeof(h)), 0);
    h.len = 0xffffffffu;
    assert_int_equal(xs_conn_input(c0, &h, sizeof(h)), sizeof(h));
    assert_true(xs_conn_dead(c0));
    /* The store keeps serving others. */
    c0 = xt_conn(0);
    assert_string_equal(xt_read(c0, 0, "/tool"), "");
}

static void test_payload_exactly_max(void **state)
{
    static char buf[XS_PAYLOAD_MAX];

    (void)state;
    memcpy(buf, "/v", 3);
    memset(buf + 3, 'x', sizeof(buf) - 3);
    assert_string_equal(xt_raw(c0, XS_WRITE, 0, buf, sizeof(buf)), "OK");
    xt_read(c0, 0, "/v");
    assert_int_equal(xt_last.len, XS_PAYLOAD_MAX - 3);
}

static void test_bad_tx_ids(void **state)
{
    (void)state;
    assert_string_equal(xt_read(c5, 0xdeadbeef, "x"), "ERR:ENOENT");
    assert_string_equal(xt_write(c5, 1, "x", "1"), "ERR:ENOENT");
    assert_string_equal(xt_txn_end(c5, 77, 1), "ERR:ENOENT");
    /* Another connection's transaction is not ours. */
    uint32_t tx = xt_txn_start(c0);
    assert_string_equal(xt_read(c5, tx, "x"), "ERR:ENOENT");
}

/* Random well-framed garbage: replies or errors, never a crash. */
static void test_random_messages(void **state)
{
    static char buf[16 + XS_PAYLOAD_MAX];
    uint32_t seed = 12345, i, j;

    (void)state;
    for ( i = 0; i < 3000; i++ )
    {
        struct xs_conn *c = i & 1 ? c5 : c0;
        uint32_t len = (seed = seed * 1103515245u + 12345u) >> 20;
        uint32_t type = (seed >> 8) % 26;

        for ( j = 0; j < len; j++ )
        {
            seed = seed * 1103515245u + 12345u;
            buf[j] = "/ab\0@-_0123456789xyz/local/domain/5"[(seed >> 16) % 34];
        }
        xt_raw(c, type, (seed & 0x300) ? 0 : seed >> 24, buf, len);
        xt_clear_events(c);
    }
    assert_string_equal(xt_read(c0, 0, "/tool"), "");
}

/* XSA-324: an event that cannot fit a payload is dropped, not sent. */
static void test_oversize_event(void **state)
{
    static char tok[4000], path[200];
    struct xs_stats st;

    (void)state;
    memset(tok, 't', sizeof(tok) - 1);
    assert_string_equal(xt_watch(c0, "/", tok), "OK");
    xt_clear_events(c0);
    memset(path, 'p', sizeof(path) - 1);
    path[0] = '/';
    assert_string_equal(xt_write(c0, 0, path, "v"), "OK");
    assert_int_equal(xt_nevents(c0), 0);
    xs_store_stats(xt_s, &st);
    assert_int_equal(st.events_dropped, 1);
}

/* XSA-418: deep trees are created and removed without recursion. */
static void test_deep_tree(void **state)
{
    static char path[XS_ABS_PATH_MAX + 1], ev[XS_ABS_PATH_MAX + 8];
    struct xs_stats before, after;
    unsigned int i;

    (void)state;
    xs_store_stats(xt_s, &before);
    for ( i = 0; i + 2 <= XS_ABS_PATH_MAX; i += 2 )
        memcpy(path + i, "/d", 2);
    assert_string_equal(xt_write(c0, 0, path, "deep"), "OK");
    xs_store_stats(xt_s, &after);
    assert_int_equal(after.nodes, before.nodes + XS_ABS_PATH_MAX / 2);
    assert_string_equal(xt_read(c0, 0, path), "deep");
    assert_string_equal(xt_watch(c0, path, "deep"), "OK");
    xt_clear_events(c0);
    assert_string_equal(xt_rm(c0, 0, "/d"), "OK");
    /* The watch on the deepest node fires with its own path. */
    snprintf(ev, sizeof(ev), "%s deep", path);
    assert_int_equal(xt_nevents(c0), 1);
    assert_true(xt_has_event(c0, ev));
    xs_store_stats(xt_s, &after);
    assert_int_equal(after.nodes, before.nodes);
}

/* XSA-326: a watch flood is bounded by the event queue quota. */
static void test_watch_flood(void **state)
{
    struct xs_stats st;
    char p[64];
    unsigned int i;

    (void)state;
    assert_string_equal(xt_watch(c5, "", "t") + 0, "ERR:EINVAL");
    assert_string_equal(xt_watch(c5, "f", "t"), "OK");
    xt_clear_events(c5);
    for ( i = 0; i < 3000; i++ )
    {
        snprintf(p, sizeof(p), "/local/domain/5/f/%u", i);
        assert_string_equal(xt_write(c0, 0, p, ""), "OK");
    }
    xs_store_stats(xt_s, &st);
    assert_int_equal(st.events_dropped, 3000 - 1024);
    assert_int_equal(xt_nevents(c5), 1024);
    /* Queued events are charged to the domain and released when read. */
    assert_string_equal(xt_read(c5, 0, "f/0"), "");
}

/* XSA-481: "/local/domain/" must be rejected, not crash. */
static void test_local_domain_slash(void **state)
{
    (void)state;
    assert_string_equal(xt_read(c0, 0, "/local/domain/"), "ERR:EINVAL");
    assert_string_equal(xt_dir(c0, 0, "/local/domain/"), "ERR:EINVAL");
    assert_string_equal(xt_watch(c0, "/local/domain/", "t"), "ERR:EINVAL");
    assert_string_equal(xt_setperms(c0, 0, "/local/domain/", "n0"),
                        "ERR:EINVAL");
    assert_string_equal(xt_rm(c0, 0, "/local/domain/"), "ERR:EINVAL");
    assert_string_equal(
        xt_call(c0, XS_DIRECTORY_PART, 0, 2, "/local/domain/", "0"),
        "ERR:EINVAL");
}

/* XSA-484: RESET_WATCHES inside a transaction, twice, then commit. */
static void test_reset_watches_in_transaction(void **state)
{
    uint32_t tx;

    (void)state;
    tx = xt_txn_start(c5);
    assert_string_equal(xt_watch(c5, "x", "t"), "OK");
    assert_string_equal(xt_raw(c5, XS_RESET_WATCHES, tx, "", 0), "OK");
    assert_string_equal(xt_raw(c5, XS_RESET_WATCHES, tx, "", 0), "OK");
    assert_string_equal(xt_txn_end(c5, tx, 1), "ERR:ENOENT");
    assert_string_equal(xt_unwatch(c5, "x", "t"), "ERR:ENOENT");
}

/* XSA-414: a create that fails leaves nothing behind. */
static void test_failed_create(void **state)
{
    struct xs_stats before, after;
    char *big = malloc(3000);

    (void)state;
    memset(big, 'b', 2999);
    big[2999] = '\0';
    xs_store_stats(xt_s, &before);
    assert_string_equal(xt_write(c5, 0, "a/b/c/d", big), "ERR:ENOSPC");
    xs_store_stats(xt_s, &after);
    assert_int_equal(after.nodes, before.nodes);
    assert_string_equal(xt_dir(c5, 0, "/local/domain/5"), "");
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_truncated_and_bytewise),
        T(test_pipelined),
        T(test_oversize_length),
        T(test_payload_exactly_max),
        T(test_bad_tx_ids),
        T(test_random_messages),
        T(test_oversize_event),
        T(test_deep_tree),
        T(test_watch_flood),
        T(test_local_domain_slash),
        T(test_reset_watches_in_transaction),
        T(test_failed_create),
#undef T
    };

    return cmocka_run_group_tests_name("xenstored-wire", tests, NULL, NULL);
}
