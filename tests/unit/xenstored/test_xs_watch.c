/*
 * xenstored unit tests: watch semantics (registration event, descendants,
 * removal, relative paths, permission filtering, special watches)
 *
 * Locking: none; single-threaded tests.
 */
#include <stdio.h>
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

static void test_registration_and_descendants(void **state)
{
    (void)state;
    assert_string_equal(xt_watch(c0, "/w", "my token"), "OK");
    assert_int_equal(xt_nevents(c0), 1);
    assert_string_equal(xt_event(c0, 0), "/w my token");
    xt_clear_events(c0);
    assert_string_equal(xt_write(c0, 0, "/w", "1"), "OK");
    assert_string_equal(xt_write(c0, 0, "/w/a/b", "2"), "OK");
    assert_string_equal(xt_write(c0, 0, "/wx", "3"), "OK"); /* sibling */
    assert_string_equal(xt_mkdir(c0, 0, "/w/m"), "OK");
    assert_int_equal(xt_nevents(c0), 3);
    assert_string_equal(xt_event(c0, 0), "/w my token");
    assert_string_equal(xt_event(c0, 1), "/w/a/b my token");
    assert_string_equal(xt_event(c0, 2), "/w/m my token");
    xt_clear_events(c0);
    assert_string_equal(xt_setperms(c0, 0, "/w/m", "r0"), "OK");
    assert_int_equal(xt_nevents(c0), 1);
    assert_string_equal(xt_unwatch(c0, "/w", "my token"), "OK");
    assert_string_equal(xt_write(c0, 0, "/w", "4"), "OK");
    assert_int_equal(xt_nevents(c0), 1);
}

static void test_removal(void **state)
{
    struct xs_conn *c0b = xt_conn(0);

    (void)state;
    assert_string_equal(xt_write(c0, 0, "/r/a/b", "1"), "OK");
    assert_string_equal(xt_watch(c0, "/r", "top"), "OK");
    assert_string_equal(xt_watch(c0b, "/r/a/b", "leaf"), "OK");
    xt_clear_events(c0);
    xt_clear_events(c0b);
    assert_string_equal(xt_rm(c0, 0, "/r/a"), "OK");
    assert_int_equal(xt_nevents(c0), 1);
    assert_string_equal(xt_event(c0, 0), "/r/a top");
    assert_int_equal(xt_nevents(c0b), 1);
    assert_string_equal(xt_event(c0b, 0), "/r/a/b leaf");
    /* Removing something that is not there fires nothing. */
    assert_string_equal(xt_rm(c0, 0, "/r/zz"), "OK");
    assert_int_equal(xt_nevents(c0), 1);
}

static void test_relative(void **state)
{
    (void)state;
    assert_string_equal(xt_watch(c5, "device", "d"), "OK");
    assert_string_equal(xt_event(c5, 0), "device d");
    xt_clear_events(c5);
    assert_string_equal(xt_write(c0, 0, "/local/domain/5/device/vbd", "1"),
                        "OK");
    assert_int_equal(xt_nevents(c5), 1);
    assert_string_equal(xt_event(c5, 0), "device/vbd d");
    assert_string_equal(xt_unwatch(c5, "device", "d"), "OK");
}

/* XSA-115: no events about nodes the watcher cannot read. */
static void test_unreadable_suppressed(void **state)
{
    (void)state;
    assert_string_equal(xt_mkdir(c0, 0, "/probe"), "OK");
    assert_string_equal(xt_setperms(c0, 0, "/probe", "r0"), "OK");
    assert_string_equal(xt_write(c0, 0, "/probe/secret", "s"), "OK");
    assert_string_equal(xt_setperms(c0, 0, "/probe/secret", "n0"), "OK");
    assert_string_equal(xt_watch(c5, "/probe", "p"), "OK");
    xt_clear_events(c5);
    assert_string_equal(xt_write(c0, 0, "/probe/secret", "t"), "OK");
    assert_int_equal(xt_nevents(c5), 0);
    assert_string_equal(xt_rm(c0, 0, "/probe/secret"), "OK");
    assert_int_equal(xt_nevents(c5), 0);
    assert_string_equal(xt_write(c0, 0, "/probe/open", "o"), "OK");
    assert_int_equal(xt_nevents(c5), 1);
    assert_string_equal(xt_event(c5, 0), "/probe/open p");
}

static void test_special_watches(void **state)
{
    struct xs_conn *c6;

    (void)state;
    assert_string_equal(xt_watch(c0, "@introduceDomain", "i"), "OK");
    assert_string_equal(xt_watch(c0, "@releaseDomain", "r"), "OK");
    assert_string_equal(xt_watch(c5, "@introduceDomain", "i5"), "OK");
    /* The registration event always arrives. */
    assert_int_equal(xt_nevents(c5), 1);
    xt_clear_events(c0);
    xt_clear_events(c5);
    assert_string_equal(xt_introduce(c0, 6), "OK");
    assert_int_equal(xt_nevents(c0), 1);
    assert_string_equal(xt_event(c0, 0), "@introduceDomain i");
    assert_int_equal(xt_nevents(c5), 0);
    /* Only the privileged domain opens the special watch to others. */
    c6 = xt_conn(6);
    assert_string_equal(xt_setperms(c6, 0, "@introduceDomain", "n0 r6"),
                        "ERR:EACCES");
    assert_string_equal(xt_setperms(c0, 0, "@introduceDomain", "n0 r5"), "OK");
    assert_string_equal(xt_perms(c0, 0, "@introduceDomain"), "n0 r5");
    assert_string_equal(xt_introduce(c0, 7), "OK");
    assert_int_equal(xt_nevents(c5), 1);
    assert_string_equal(xt_event(c5, 0), "@introduceDomain i5");
    xt_clear_events(c0);
    assert_string_equal(xt_call(c0, XS_RELEASE, 0, 1, "7"), "OK");
    assert_int_equal(xt_nevents(c0), 1);
    assert_string_equal(xt_event(c0, 0), "@releaseDomain r");
    /* Re-introducing a known domain does not fire again. */
    assert_string_equal(xt_introduce(c0, 6), "OK");
    assert_int_equal(xt_nevents(c0), 1);
}

static void test_two_watchers(void **state)
{
    struct xs_conn *c0b = xt_conn(0);

    (void)state;
    assert_string_equal(xt_watch(c0, "/", "root"), "OK");
    assert_string_equal(xt_watch(c0b, "/x", "x"), "OK");
    assert_string_equal(xt_watch(c0b, "/x", "y"), "OK");
    xt_clear_events(c0);
    xt_clear_events(c0b);
    assert_string_equal(xt_write(c0, 0, "/x/1", "v"), "OK");
    assert_true(xt_has_event(c0, "/x/1 root"));
    assert_true(xt_has_event(c0b, "/x/1 x"));
    assert_true(xt_has_event(c0b, "/x/1 y"));
    assert_int_equal(xt_nevents(c0b), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_registration_and_descendants),
        T(test_removal),
        T(test_relative),
        T(test_unreadable_suppressed),
        T(test_special_watches),
        T(test_two_watchers),
#undef T
    };

    return cmocka_run_group_tests_name("xenstored-watch", tests, NULL, NULL);
}
