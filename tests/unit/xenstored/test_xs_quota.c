/*
 * xenstored unit tests: each per-domain quota and the error it gives
 *
 * Locking: none; single-threaded tests.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xt.h"

static struct xs_conn *c0, *c5;
static struct xs_quota q;

static void start(void)
{
    xt_store(&q);
    c0 = xt_conn(0);
    assert_string_equal(xt_introduce(c0, 5), "OK");
    assert_string_equal(xt_mkdir(c0, 0, "/local/domain/5"), "OK");
    assert_string_equal(xt_setperms(c0, 0, "/local/domain/5", "n5"), "OK");
    c5 = xt_conn(5);
}

static int setup(void **state)
{
    (void)state;
    xs_quota_defaults(&q);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    xt_store_free();
    return 0;
}

static void test_nodes(void **state)
{
    char p[32];
    unsigned int i;

    (void)state;
    q.nodes = 10;
    start();
    for ( i = 0; i < 9; i++ ) /* the home counts as the first */
    {
        snprintf(p, sizeof(p), "n%u", i);
        assert_string_equal(xt_write(c5, 0, p, "x"), "OK");
    }
    assert_int_equal(xs_domain_nodes(xt_s, 5), 10);
    assert_string_equal(xt_write(c5, 0, "one-more", "x"), "ERR:ENOSPC");
    assert_string_equal(xt_write(c5, 0, "n0", "rewrite is fine"), "OK");
    assert_string_equal(xt_rm(c5, 0, "n0"), "OK");
    assert_string_equal(xt_write(c5, 0, "one-more", "x"), "OK");
    /* Privileged domains are not limited. */
    for ( i = 0; i < 20; i++ )
    {
        snprintf(p, sizeof(p), "/dom0/n%u", i);
        assert_string_equal(xt_write(c0, 0, p, "x"), "OK");
    }
}

static void test_watches(void **state)
{
    (void)state;
    q.watches = 3;
    start();
    assert_string_equal(xt_watch(c5, "a", "1"), "OK");
    assert_string_equal(xt_watch(c5, "a", "2"), "OK");
    assert_string_equal(xt_watch(c5, "a", "3"), "OK");
    assert_string_equal(xt_watch(c5, "a", "4"), "ERR:E2BIG");
    assert_string_equal(xt_unwatch(c5, "a", "1"), "OK");
    assert_string_equal(xt_watch(c5, "a", "4"), "OK");
}

static void test_transactions(void **state)
{
    (void)state;
    q.transactions = 2;
    start();
    assert_true(xt_txn_start(c5) != 0);
    assert_true(xt_txn_start(c5) != 0);
    assert_int_equal(xt_txn_start(c5), 0);
    assert_string_equal(xt_last.text, "ERR:ENOSPC");
}

static void test_outstanding(void **state)
{
    char buf[5 * 64];
    struct xs_msg_hdr h = { .type = XS_READ, .len = 6 };
    size_t len = 0, used;
    unsigned int i;

    (void)state;
    q.outstanding = 3;
    start();
    for ( i = 0; i < 5; i++ )
    {
        h.req_id = i;
        memcpy(buf + len, &h, sizeof(h));
        memcpy(buf + len + sizeof(h), "/tool", 6);
        len += sizeof(h) + 6;
    }
    /* Three replies wait unread: input stops after the third request. */
    used = xs_conn_input(c5, buf, len);
    assert_int_equal(used, 3 * (sizeof(h) + 6));
    assert_int_equal(xs_conn_input(c5, buf + used, len - used), 0);
    xt_drain(c5);
    assert_int_equal(xs_conn_input(c5, buf + used, len - used), len - used);
    xt_drain(c5);
    assert_false(xs_conn_dead(c5));
}

static void test_transaction_nodes(void **state)
{
    char p[32];
    uint32_t tx;
    unsigned int i;

    (void)state;
    q.transaction_nodes = 10;
    start();
    tx = xt_txn_start(c5);
    for ( i = 0; i < 9; i++ )
    {
        snprintf(p, sizeof(p), "t%u", i);
        assert_string_equal(xt_write(c5, tx, p, ""), "OK");
    }
    assert_string_equal(xt_write(c5, tx, "t9", ""), "ERR:ENOSPC");
}

static void test_node_size(void **state)
{
    char *big = malloc(2100);
    char p[32];
    unsigned int i;

    (void)state;
    start();
    memset(big, 'v', 2100);
    big[2000] = '\0';
    assert_string_equal(xt_write(c5, 0, "v", big), "OK");
    big[2000] = 'v';
    big[2048] = '\0'; /* 2048 bytes plus the record header: too big */
    assert_string_equal(xt_write(c5, 0, "v", big), "ERR:ENOSPC");
    assert_string_equal(xt_write(c5, 0, "w", big), "ERR:ENOSPC");
    assert_string_equal(xt_read(c5, 0, "w"), "ERR:ENOENT");
    /* Child names count toward the parent's record. */
    for ( i = 0;; i++ )
    {
        snprintf(p, sizeof(p), "dir/child-%04u", i);
        if ( strcmp(xt_write(c5, 0, p, ""), "OK") )
            break;
    }
    assert_string_equal(xt_last.text, "ERR:ENOSPC");
    assert_int_equal(i, (2048 - 16 - 4) / 11);
    /* dom0 may write bigger values. */
    assert_string_equal(xt_write(c0, 0, "/local/domain/5/v", big), "OK");
    free(big);
}

static void test_permissions(void **state)
{
    (void)state;
    start();
    assert_string_equal(xt_write(c5, 0, "p", ""), "OK");
    assert_string_equal(xt_setperms(c5, 0, "p", "n5 r1 r2 r3 r4"), "OK");
    assert_string_equal(xt_setperms(c5, 0, "p", "n5 r1 r2 r3 r4 r6"),
                        "ERR:ENOSPC");
    assert_string_equal(xt_perms(c5, 0, "p"), "n5 r1 r2 r3 r4");
}

static void test_memory(void **state)
{
    char val[1001], p[32];
    unsigned int i;

    (void)state;
    q.memory = 5000;
    start();
    memset(val, 'm', 1000);
    val[1000] = '\0';
    for ( i = 0; i < 10; i++ )
    {
        snprintf(p, sizeof(p), "m%u", i);
        if ( strcmp(xt_write(c5, 0, p, val), "OK") )
            break;
    }
    assert_string_equal(xt_last.text, "ERR:ENOMEM");
    assert_true(i >= 3 && i <= 4);
    assert_string_equal(xt_watch(c5, "w", val), "ERR:ENOMEM");
    assert_string_equal(xt_rm(c5, 0, "m0"), "OK");
    assert_string_equal(xt_write(c5, 0, "again", "x"), "OK");
}

static void test_watch_events(void **state)
{
    struct xs_stats st;
    char p[32];
    unsigned int i;

    (void)state;
    q.watch_events = 5;
    start();
    assert_string_equal(xt_watch(c5, "flood", "f"), "OK");
    xt_clear_events(c5);
    for ( i = 0; i < 20; i++ )
    {
        snprintf(p, sizeof(p), "/local/domain/5/flood/%u", i);
        assert_string_equal(xt_write(c0, 0, p, ""), "OK");
    }
    xs_store_stats(xt_s, &st);
    assert_int_equal(st.events_dropped, 15);
    assert_int_equal(xt_nevents(c5), 5);
    assert_string_equal(xt_event(c5, 4), "flood/4 f");
}

static void test_quota_parse(void **state)
{
    struct xs_quota p;
    const char *why = NULL;

    (void)state;
    xs_quota_defaults(&p);
    assert_int_equal(xs_quota_parse(&p, "nodes=7", &why), 0);
    assert_int_equal(p.nodes, 7);
    assert_int_equal(xs_quota_parse(&p, "transaction-nodes=9", &why), 0);
    assert_int_equal(p.transaction_nodes, 9);
    assert_int_equal(xs_quota_parse(&p, "nodes", &why), EINVAL);
    assert_string_equal(why, "expected NAME=VALUE");
    assert_int_equal(xs_quota_parse(&p, "nodes=", &why), EINVAL);
    assert_int_equal(xs_quota_parse(&p, "nodes=1x", &why), EINVAL);
    assert_int_equal(xs_quota_parse(&p, "nodes=99999999999", &why), EINVAL);
    assert_int_equal(xs_quota_parse(&p, "bogus=1", &why), EINVAL);
    assert_string_equal(why, "unknown quota name");
    assert_int_equal(p.nodes, 7);
    q = p;
    start();
    assert_non_null(strstr(xt_call(c0, XS_CONTROL, 0, 1, "quota"),
                           "nodes              7\n"));
    assert_non_null(
        strstr(xt_call(c0, XS_CONTROL, 0, 2, "quota", "5"), "nodes 1/7"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_nodes),
        T(test_watches),
        T(test_transactions),
        T(test_outstanding),
        T(test_transaction_nodes),
        T(test_node_size),
        T(test_permissions),
        T(test_memory),
        T(test_watch_events),
        T(test_quota_parse),
#undef T
    };

    return cmocka_run_group_tests_name("xenstored-quota", tests, NULL, NULL);
}
