/*
 * xenstored unit tests: transactions (snapshot, conflict, success, limits,
 * atomic accounting, failed creates, teardown inside a transaction)
 *
 * Locking: none; single-threaded tests.
 */
#include <stdio.h>
#include <string.h>
#include "xt.h"

static struct xs_conn *c0, *c5;

static void setup_with(const struct xs_quota *q)
{
    xt_store(q);
    c0 = xt_conn(0);
    assert_string_equal(xt_introduce(c0, 5), "OK");
    assert_string_equal(xt_mkdir(c0, 0, "/local/domain/5"), "OK");
    assert_string_equal(xt_setperms(c0, 0, "/local/domain/5", "n5"), "OK");
    c5 = xt_conn(5);
}

static int setup(void **state)
{
    (void)state;
    setup_with(NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    xt_store_free();
    return 0;
}

static void test_commit(void **state)
{
    uint32_t tx;

    (void)state;
    tx = xt_txn_start(c0);
    assert_string_equal(xt_write(c0, tx, "/t/a", "1"), "OK");
    assert_string_equal(xt_read(c0, tx, "/t/a"), "1");
    assert_string_equal(xt_read(c0, 0, "/t/a"), "ERR:ENOENT");
    assert_string_equal(xt_dir(c0, tx, "/t"), "a");
    assert_string_equal(xt_txn_end(c0, tx, 1), "OK");
    assert_string_equal(xt_read(c0, 0, "/t/a"), "1");
}

static void test_abort(void **state)
{
    uint32_t tx;

    (void)state;
    assert_string_equal(xt_write(c0, 0, "/t/a", "1"), "OK");
    tx = xt_txn_start(c0);
    assert_string_equal(xt_write(c0, tx, "/t/a", "2"), "OK");
    assert_string_equal(xt_rm(c0, tx, "/t"), "OK");
    assert_string_equal(xt_txn_end(c0, tx, 0), "OK");
    assert_string_equal(xt_read(c0, 0, "/t/a"), "1");
}

static void test_conflict(void **state)
{
    uint32_t tx;

    (void)state;
    assert_string_equal(xt_write(c0, 0, "/c", "1"), "OK");
    tx = xt_txn_start(c5);
    assert_string_equal(xt_write(c0, 0, "/local/domain/5/c", "1"), "OK");
    tx = xt_txn_start(c0);
    assert_string_equal(xt_read(c0, tx, "/c"), "1");
    assert_string_equal(xt_write(c0, 0, "/c", "2"), "OK"); /* outside */
    /* A re-read sees the new value; the commit can no longer succeed. */
    assert_string_equal(xt_read(c0, tx, "/c"), "2");
    assert_string_equal(xt_write(c0, tx, "/c", "3"), "OK");
    assert_string_equal(xt_write(c0, tx, "/other", "x"), "OK");
    assert_string_equal(xt_txn_end(c0, tx, 1), "ERR:EAGAIN");
    assert_string_equal(xt_read(c0, 0, "/c"), "2");
    assert_string_equal(xt_read(c0, 0, "/other"), "ERR:ENOENT");
}

static void test_stale_read(void **state)
{
    uint32_t tx;

    (void)state;
    tx = xt_txn_start(c0);
    assert_string_equal(xt_write(c0, 0, "/s", "new"), "OK");
    /* The node is newer than the transaction: it cannot commit. */
    assert_string_equal(xt_read(c0, tx, "/s"), "new");
    assert_string_equal(xt_txn_end(c0, tx, 1), "ERR:EAGAIN");
}

static void test_independent(void **state)
{
    uint32_t tx;

    (void)state;
    assert_string_equal(xt_write(c0, 0, "/i/a", "1"), "OK");
    assert_string_equal(xt_write(c0, 0, "/j/a", "1"), "OK");
    tx = xt_txn_start(c0);
    assert_string_equal(xt_write(c0, tx, "/i/a", "2"), "OK");
    assert_string_equal(xt_write(c0, 0, "/j/a", "3"), "OK");
    assert_string_equal(xt_txn_end(c0, tx, 1), "OK");
    assert_string_equal(xt_read(c0, 0, "/i/a"), "2");
    assert_string_equal(xt_read(c0, 0, "/j/a"), "3");
}

static void test_rm_and_recreate(void **state)
{
    uint32_t tx;

    (void)state;
    assert_string_equal(xt_write(c0, 0, "/r/old/deep", "1"), "OK");
    assert_string_equal(xt_write(c0, 0, "/r/keep", "1"), "OK");
    tx = xt_txn_start(c0);
    assert_string_equal(xt_rm(c0, tx, "/r"), "OK");
    assert_string_equal(xt_read(c0, tx, "/r/keep"), "ERR:ENOENT");
    assert_string_equal(xt_read(c0, tx, "/r/old/deep"), "ERR:ENOENT");
    assert_string_equal(xt_write(c0, tx, "/r/new", "n"), "OK");
    assert_string_equal(xt_dir(c0, tx, "/r"), "new");
    assert_string_equal(xt_read(c0, tx, "/r/old/deep"), "ERR:ENOENT");
    assert_string_equal(xt_dir(c0, 0, "/r"), "old keep");
    assert_string_equal(xt_txn_end(c0, tx, 1), "OK");
    assert_string_equal(xt_dir(c0, 0, "/r"), "new");
    assert_string_equal(xt_read(c0, 0, "/r/old/deep"), "ERR:ENOENT");
    assert_string_equal(xt_read(c0, 0, "/r/new"), "n");
}

static void test_rm_child_and_perms(void **state)
{
    uint32_t tx;

    (void)state;
    assert_string_equal(xt_write(c0, 0, "/d/a", "1"), "OK");
    assert_string_equal(xt_write(c0, 0, "/d/b", "2"), "OK");
    tx = xt_txn_start(c0);
    assert_string_equal(xt_rm(c0, tx, "/d/a"), "OK");
    assert_string_equal(xt_mkdir(c0, tx, "/d/c"), "OK");
    assert_string_equal(xt_setperms(c0, tx, "/d/b", "r0"), "OK");
    assert_string_equal(xt_perms(c0, tx, "/d/b"), "r0");
    assert_string_equal(xt_perms(c0, 0, "/d/b"), "n0");
    assert_string_equal(xt_dir(c0, tx, "/d"), "b c");
    assert_string_equal(xt_txn_end(c0, tx, 1), "OK");
    assert_string_equal(xt_dir(c0, 0, "/d"), "b c");
    assert_string_equal(xt_perms(c0, 0, "/d/b"), "r0");
    assert_string_equal(xt_read(c0, 0, "/d/b"), "2");
}

static void test_unpriv_transaction(void **state)
{
    uint32_t tx;

    (void)state;
    tx = xt_txn_start(c5);
    assert_string_equal(xt_write(c5, tx, "a/b", "1"), "OK");
    assert_string_equal(xt_read(c5, tx, "a/b"), "1");
    assert_string_equal(xt_write(c5, tx, "/forbidden", "1"), "ERR:EACCES");
    assert_string_equal(xt_txn_end(c5, tx, 1), "OK");
    assert_string_equal(xt_perms(c0, 0, "/local/domain/5/a/b"), "n5");
    assert_int_equal(xs_domain_nodes(xt_s, 5), 3);
}

static void test_transaction_limit(void **state)
{
    uint32_t tx[11];
    unsigned int i;

    (void)state;
    for ( i = 0; i < 10; i++ )
        assert_true((tx[i] = xt_txn_start(c5)) != 0);
    assert_int_equal(xt_txn_start(c5), 0);
    assert_string_equal(xt_last.text, "ERR:ENOSPC");
    assert_string_equal(xt_txn_end(c5, tx[0], 0), "OK");
    assert_true(xt_txn_start(c5) != 0);
    /* The privileged domain is not limited. */
    for ( i = 0; i < 11; i++ )
        assert_true(xt_txn_start(c0) != 0);
}

static void test_transaction_nodes(void **state)
{
    struct xs_quota q;
    uint32_t tx;

    (void)state;
    xt_store_free();
    xs_quota_defaults(&q);
    q.transaction_nodes = 6;
    setup_with(&q);
    tx = xt_txn_start(c5);
    /* The first write touches the new node and its parent (2 entries). */
    assert_string_equal(xt_write(c5, tx, "a", "1"), "OK");
    assert_string_equal(xt_write(c5, tx, "b", "1"), "OK");
    assert_string_equal(xt_write(c5, tx, "c", "1"), "OK");
    assert_string_equal(xt_write(c5, tx, "d", "1"), "OK");
    assert_string_equal(xt_write(c5, tx, "e", "1"), "OK");
    assert_string_equal(xt_write(c5, tx, "f", "1"), "ERR:ENOSPC");
    assert_string_equal(xt_read(c5, tx, "g"), "ERR:ENOENT"); /* known */
    assert_string_equal(xt_read(c5, tx, "/tool"), "ERR:ENOSPC");
    assert_string_equal(xt_txn_end(c5, tx, 0), "OK");
}

/* XSA-415: a failed create inside a transaction leaves no orphans. */
static void test_failed_create_in_txn(void **state)
{
    struct xs_quota q;
    uint32_t tx;

    (void)state;
    xt_store_free();
    xs_quota_defaults(&q);
    q.nodes = 3;
    setup_with(&q);
    assert_int_equal(xs_domain_nodes(xt_s, 5), 1);
    tx = xt_txn_start(c5);
    assert_string_equal(xt_write(c5, tx, "a/b/c", "1"), "ERR:ENOSPC");
    assert_string_equal(xt_dir(c5, tx, ""), "ERR:EINVAL");
    assert_string_equal(xt_dir(c5, tx, "/local/domain/5"), "");
    assert_string_equal(xt_write(c5, tx, "a/b", "1"), "OK");
    assert_string_equal(xt_txn_end(c5, tx, 1), "OK");
    assert_int_equal(xs_domain_nodes(xt_s, 5), 3);
    assert_string_equal(xt_dir(c0, 0, "/local/domain/5/a"), "b");
}

/* XSA-421: the commit checks the quota for all of its creations at once. */
static void test_commit_quota(void **state)
{
    struct xs_quota q;
    uint32_t t1, t2;

    (void)state;
    xt_store_free();
    xs_quota_defaults(&q);
    q.nodes = 5;
    setup_with(&q);
    assert_string_equal(xt_mkdir(c5, 0, "p1"), "OK");
    assert_string_equal(xt_mkdir(c5, 0, "p2"), "OK");
    t1 = xt_txn_start(c5);
    t2 = xt_txn_start(c5);
    assert_string_equal(xt_write(c5, t1, "p1/x", ""), "OK");
    assert_string_equal(xt_write(c5, t1, "p1/y", ""), "OK");
    assert_string_equal(xt_write(c5, t2, "p2/x", ""), "OK");
    assert_string_equal(xt_write(c5, t2, "p2/y", ""), "OK");
    assert_string_equal(xt_txn_end(c5, t1, 1), "OK");
    assert_string_equal(xt_txn_end(c5, t2, 1), "ERR:ENOSPC");
    assert_int_equal(xs_domain_nodes(xt_s, 5), 5);
    assert_string_equal(xt_dir(c0, 0, "/local/domain/5/p2"), "");
}

/* XSA-484: RESET_WATCHES inside a transaction, then teardown. */
static void test_reset_in_txn(void **state)
{
    uint32_t tx;

    (void)state;
    tx = xt_txn_start(c5);
    assert_string_equal(xt_write(c5, tx, "x", "1"), "OK");
    assert_string_equal(xt_raw(c5, XS_RESET_WATCHES, tx, "", 0), "OK");
    assert_string_equal(xt_txn_end(c5, tx, 1), "ERR:ENOENT");
    assert_string_equal(xt_read(c5, 0, "x"), "ERR:ENOENT");
    tx = xt_txn_start(c5);
    assert_string_equal(xt_write(c5, tx, "y", "1"), "OK");
    /* Freeing the connection with the transaction open is clean too. */
}

static void test_txn_watch_at_commit(void **state)
{
    uint32_t tx;

    (void)state;
    assert_string_equal(xt_watch(c0, "/tw", "t"), "OK");
    xt_clear_events(c0);
    tx = xt_txn_start(c0);
    assert_string_equal(xt_write(c0, tx, "/tw/a", "1"), "OK");
    assert_int_equal(xt_nevents(c0), 0);
    assert_string_equal(xt_txn_end(c0, tx, 1), "OK");
    assert_int_equal(xt_nevents(c0), 1);
    assert_string_equal(xt_event(c0, 0), "/tw/a t");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_commit),
        T(test_abort),
        T(test_conflict),
        T(test_stale_read),
        T(test_independent),
        T(test_rm_and_recreate),
        T(test_rm_child_and_perms),
        T(test_unpriv_transaction),
        T(test_transaction_limit),
        T(test_transaction_nodes),
        T(test_failed_create_in_txn),
        T(test_commit_quota),
        T(test_reset_in_txn),
        T(test_txn_watch_at_commit),
#undef T
    };

    return cmocka_run_group_tests_name("xenstored-txn", tests, NULL, NULL);
}
