/*
 * xenstored unit tests: domain lifecycle (introduce, release, death,
 * shutdown/resume), cleanup of a dead domain's nodes, domid reuse
 *
 * Locking: none; single-threaded tests.
 */
#include <stdio.h>
#include <string.h>
#include "xt.h"

static struct xs_conn *c0;

static int setup(void **state)
{
    (void)state;
    xt_store(NULL);
    c0 = xt_conn(0);
    assert_string_equal(xt_watch(c0, "@releaseDomain", "rel"), "OK");
    assert_string_equal(xt_watch(c0, "@introduceDomain", "intro"), "OK");
    xt_clear_events(c0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    xt_store_free();
    return 0;
}

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

/* XSA-419: the nodes a dead domain owned go, wherever they are. */
static void test_release_cleanup(void **state)
{
    struct xs_stats before, after;
    struct xs_conn *c5;

    (void)state;
    xs_store_stats(xt_s, &before);
    c5 = guest(5);
    assert_string_equal(xt_write(c5, 0, "a/b/c", "1"), "OK");
    assert_string_equal(xt_watch(c5, "a", "w"), "OK");
    assert_string_equal(xt_write(c0, 0, "/elsewhere/owned", "x"), "OK");
    assert_string_equal(xt_setperms(c0, 0, "/elsewhere/owned", "n5"), "OK");
    assert_string_equal(xt_write(c0, 0, "/elsewhere/owned/dom0kid", ""), "OK");
    assert_string_equal(xt_write(c0, 0, "/elsewhere/kept", "k"), "OK");
    assert_int_equal(xs_domain_nodes(xt_s, 5), 6); /* dom0kid inherits */
    xt_clear_events(c0);
    assert_string_equal(xt_call(c0, XS_RELEASE, 0, 1, "5"), "OK");
    assert_true(xt_has_event(c0, "@releaseDomain rel"));
    assert_true(xs_conn_dead(c5));
    assert_string_equal(xs_conn_dead_reason(c5), "domain released");
    assert_string_equal(xt_read(c0, 0, "/local/domain/5"), "ERR:ENOENT");
    assert_string_equal(xt_dir(c0, 0, "/elsewhere"), "kept");
    assert_string_equal(xt_call(c0, XS_IS_DOMAIN_INTRODUCED, 0, 1, "5"), "F");
    assert_int_equal(xs_domain_nodes(xt_s, 5), 0);
    xs_store_stats(xt_s, &after);
    /* left: /local, /local/domain, /elsewhere, /elsewhere/kept */
    assert_int_equal(after.nodes, before.nodes + 4);
    assert_int_equal(after.watches, before.watches);
    assert_int_equal(after.domains, before.domains);
    /* Input to a dead connection is refused, not processed. */
    assert_int_equal(xs_conn_input(c5, "x", 1), 0);
}

static void test_death_via_host(void **state)
{
    struct xs_conn *c5;

    (void)state;
    c5 = guest(5);
    assert_string_equal(xt_write(c5, 0, "x", "1"), "OK");
    xt_clear_events(c0);
    xs_store_check_domains(xt_s);
    assert_int_equal(xt_nevents(c0), 0);
    xt_dom_state[5] = XS_DOM_GONE;
    xs_store_check_domains(xt_s);
    assert_true(xt_has_event(c0, "@releaseDomain rel"));
    assert_true(xs_conn_dead(c5));
    assert_string_equal(xt_read(c0, 0, "/local/domain/5/x"), "ERR:ENOENT");
    assert_int_equal(xt_release_calls, 1);
    /* Directly reported death. */
    xt_dom_state[6] = XS_DOM_RUNNING;
    guest(6);
    xs_store_domain_gone(xt_s, 6);
    assert_string_equal(xt_read(c0, 0, "/local/domain/6"), "ERR:ENOENT");
    assert_string_equal(xt_call(c0, XS_IS_DOMAIN_INTRODUCED, 0, 1, "6"), "F");
}

static void test_shutdown_and_resume(void **state)
{
    (void)state;
    guest(5);
    xt_clear_events(c0);
    xt_dom_state[5] = XS_DOM_SHUTDOWN;
    xs_store_check_domains(xt_s);
    xs_store_check_domains(xt_s);
    assert_int_equal(xt_nevents(c0), 1); /* once per shutdown */
    assert_string_equal(xt_call(c0, XS_IS_DOMAIN_INTRODUCED, 0, 1, "5"), "T");
    assert_string_equal(xt_call(c0, XS_RESUME, 0, 1, "5"), "OK");
    xs_store_check_domains(xt_s);
    assert_int_equal(xt_nevents(c0), 2);
    assert_string_equal(xt_read(c0, 0, "/local/domain/5"), "");
}

/* XSA-322/417: a reused domid starts with nothing of the old domain. */
static void test_domid_reuse(void **state)
{
    struct xs_conn *c5;

    (void)state;
    c5 = guest(5);
    assert_string_equal(xt_write(c0, 0, "/shared", "s"), "OK");
    assert_string_equal(xt_setperms(c0, 0, "/shared", "n0 b5"), "OK");
    assert_string_equal(xt_write(c5, 0, "/shared", "by5"), "OK");
    assert_string_equal(xt_watch(c5, "/shared", "w"), "OK");
    assert_string_equal(xt_call(c0, XS_RELEASE, 0, 1, "5"), "OK");
    c5 = guest(5);
    assert_string_equal(xt_read(c5, 0, "/shared"), "ERR:EACCES");
    assert_string_equal(xt_write(c5, 0, "/shared", "x"), "ERR:EACCES");
    assert_string_equal(xt_dir(c5, 0, ""), "ERR:EINVAL");
    assert_string_equal(xt_dir(c5, 0, "/local/domain/5"), "");
    xt_clear_events(c5);
    assert_string_equal(xt_write(c0, 0, "/shared", "y"), "OK");
    assert_int_equal(xt_nevents(c5), 0); /* the old watch died too */
}

static void test_reintroduce(void **state)
{
    (void)state;
    assert_string_equal(xt_introduce(c0, 5), "OK");
    assert_string_equal(xt_introduce(c0, 5), "OK");
    assert_int_equal(xt_nevents(c0), 1);
    assert_int_equal(xt_introduce_calls, 2); /* the transport rebinds */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_release_cleanup),     T(test_death_via_host),
        T(test_shutdown_and_resume), T(test_domid_reuse),
        T(test_reintroduce),
#undef T
    };

    return cmocka_run_group_tests_name("xenstored-domain", tests, NULL, NULL);
}
