/*
 * xenstored unit tests: the permission matrix across a privileged domain
 * (0) and two unprivileged ones (1, 2), owners, targets and reused domids
 *
 * Locking: none; single-threaded tests.
 */
#include <stdio.h>
#include <string.h>
#include "xt.h"

static struct xs_conn *c0, *c1, *c2;

static void home(unsigned int domid)
{
    char path[64], perm[16];

    snprintf(path, sizeof(path), "/local/domain/%u", domid);
    snprintf(perm, sizeof(perm), "n%u", domid);
    assert_string_equal(xt_mkdir(c0, 0, path), "OK");
    assert_string_equal(xt_setperms(c0, 0, path, perm), "OK");
}

static int setup(void **state)
{
    (void)state;
    xt_store(NULL);
    c0 = xt_conn(0);
    assert_string_equal(xt_introduce(c0, 1), "OK");
    assert_string_equal(xt_introduce(c0, 2), "OK");
    home(1);
    home(2);
    c1 = xt_conn(1);
    c2 = xt_conn(2);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    xt_store_free();
    return 0;
}

struct matrix_row
{
    const char *perms;
    const char *r1, *w1, *r2, *w2; /* expected results for dom1, dom2 */
};

static void test_matrix(void **state)
{
    static const struct matrix_row rows[] = {
        { "n0", "ERR:EACCES", "ERR:EACCES", "ERR:EACCES", "ERR:EACCES" },
        { "r0", "v", "ERR:EACCES", "v", "ERR:EACCES" },
        { "w0", "ERR:EACCES", "OK", "ERR:EACCES", "OK" },
        { "b0", "v", "OK", "v", "OK" },
        { "n0 r1", "v", "ERR:EACCES", "ERR:EACCES", "ERR:EACCES" },
        { "n0 w1", "ERR:EACCES", "OK", "ERR:EACCES", "ERR:EACCES" },
        { "n0 b1 r2", "v", "OK", "v", "ERR:EACCES" },
        { "b0 n2", "v", "OK", "ERR:EACCES", "ERR:EACCES" },
        { "n1", "v", "OK", "ERR:EACCES", "ERR:EACCES" },
        { "n1 r2", "v", "OK", "v", "ERR:EACCES" },
        { "n0 r1 w1", "v", "ERR:EACCES", "ERR:EACCES", "ERR:EACCES" },
        { "r2 n1", "ERR:EACCES", "ERR:EACCES", "v", "OK" },
    };
    unsigned int i;

    (void)state;
    for ( i = 0; i < sizeof(rows) / sizeof(rows[0]); i++ )
    {
        const struct matrix_row *m = &rows[i];

        assert_string_equal(xt_write(c0, 0, "/m", "v"), "OK");
        assert_string_equal(xt_setperms(c0, 0, "/m", m->perms), "OK");
        /* The privileged domain bypasses every check. */
        assert_string_equal(xt_read(c0, 0, "/m"), "v");
        assert_string_equal(xt_read(c1, 0, "/m"), m->r1);
        assert_string_equal(xt_read(c2, 0, "/m"), m->r2);
        assert_string_equal(xt_write(c1, 0, "/m", "v"), m->w1);
        assert_string_equal(xt_write(c2, 0, "/m", "v"), m->w2);
        assert_string_equal(xt_dir(c1, 0, "/m"),
                            strcmp(m->r1, "v") ? m->r1 : "");
    }
}

static void test_denials(void **state)
{
    (void)state;
    assert_string_equal(xt_read(c1, 0, "/"), "ERR:EACCES");
    assert_string_equal(xt_dir(c1, 0, "/local/domain"), "ERR:EACCES");
    assert_string_equal(xt_write(c1, 0, "/newtop", "x"), "ERR:EACCES");
    assert_string_equal(xt_mkdir(c1, 0, "/local/domain/2/x"), "ERR:EACCES");
    assert_string_equal(xt_rm(c1, 0, "/local/domain/2"), "ERR:EACCES");
    assert_string_equal(xt_perms(c1, 0, "/local/domain/2"), "ERR:EACCES");
    assert_string_equal(xt_setperms(c1, 0, "/local/domain/2", "b1"),
                        "ERR:EACCES");
    /* A missing node under an unreadable one: EACCES, not ENOENT. */
    assert_string_equal(xt_read(c1, 0, "/local/domain/2/none"), "ERR:EACCES");
    assert_string_equal(xt_read(c1, 0, "/local/domain/1/none"), "ERR:ENOENT");
}

static void test_ownership(void **state)
{
    (void)state;
    /* Unprivileged creators own what they create; perms are inherited. */
    assert_string_equal(xt_setperms(c0, 0, "/local/domain/1", "n1 r2"), "OK");
    assert_string_equal(xt_write(c1, 0, "data/x", "1"), "OK");
    assert_string_equal(xt_perms(c0, 0, "/local/domain/1/data/x"), "n1 r2");
    assert_string_equal(xt_read(c2, 0, "/local/domain/1/data/x"), "1");
    /* A privileged creator keeps the parent's owner. */
    assert_string_equal(xt_write(c0, 0, "/local/domain/1/byzero", "1"), "OK");
    assert_string_equal(xt_perms(c0, 0, "/local/domain/1/byzero"), "n1 r2");
    /* The owner may change the list but not the owner. */
    assert_string_equal(xt_setperms(c1, 0, "data/x", "n2"), "ERR:EPERM");
    assert_string_equal(xt_setperms(c1, 0, "data/x", "n1"), "OK");
    assert_string_equal(xt_read(c2, 0, "/local/domain/1/data/x"), "ERR:EACCES");
    assert_string_equal(xt_setperms(c0, 0, "/local/domain/1/data/x", "n2"),
                        "OK");
    assert_string_equal(xt_read(c2, 0, "/local/domain/1/data/x"), "1");
    assert_string_equal(xt_read(c1, 0, "data/x"), "ERR:EACCES");
    assert_string_equal(xt_rm(c1, 0, "data/x"), "ERR:EACCES");
    assert_string_equal(xt_rm(c2, 0, "/local/domain/1/data/x"), "OK");
}

static void test_set_target(void **state)
{
    struct xs_conn *c3;

    (void)state;
    assert_string_equal(xt_introduce(c0, 3), "OK");
    c3 = xt_conn(3);
    assert_string_equal(xt_write(c1, 0, "dm", "x"), "OK");
    assert_string_equal(xt_read(c3, 0, "/local/domain/1/dm"), "ERR:EACCES");
    assert_string_equal(xt_call(c0, XS_SET_TARGET, 0, 2, "3", "1"), "OK");
    assert_string_equal(xt_read(c3, 0, "/local/domain/1/dm"), "x");
    assert_string_equal(xt_write(c3, 0, "/local/domain/1/dm", "y"), "OK");
    assert_string_equal(xt_read(c3, 0, "/local/domain/2"), "ERR:EACCES");
}

static void test_reused_domid(void **state)
{
    struct xs_conn *c7;

    (void)state;
    assert_string_equal(xt_introduce(c0, 7), "OK");
    c7 = xt_conn(7);
    assert_string_equal(xt_write(c0, 0, "/g", "secret"), "OK");
    assert_string_equal(xt_setperms(c0, 0, "/g", "n0 r7"), "OK");
    assert_string_equal(xt_read(c7, 0, "/g"), "secret");
    assert_string_equal(xt_call(c0, XS_RELEASE, 0, 1, "7"), "OK");
    assert_true(xs_conn_dead(c7));
    /* A new domain 7 does not inherit the old one's grant (XSA-322). */
    assert_string_equal(xt_introduce(c0, 7), "OK");
    c7 = xt_conn(7);
    assert_string_equal(xt_read(c7, 0, "/g"), "ERR:EACCES");
    assert_string_equal(xt_perms(c0, 0, "/g"), "n0 r7");
    /* Children created now copy the stale entry as ignored. */
    assert_string_equal(xt_write(c0, 0, "/g/child", "c"), "OK");
    assert_string_equal(xt_read(c7, 0, "/g/child"), "ERR:EACCES");
    /* A grant written for the new domain counts. */
    assert_string_equal(xt_setperms(c0, 0, "/g", "n0 r7"), "OK");
    assert_string_equal(xt_read(c7, 0, "/g"), "secret");
}

static void test_perms_for_existing_domain(void **state)
{
    struct xs_conn *c8;

    (void)state;
    /* Domain 8 exists in the hypervisor but is not introduced yet. */
    assert_string_equal(xt_write(c0, 0, "/pre", "p"), "OK");
    assert_string_equal(xt_setperms(c0, 0, "/pre", "n0 r8"), "OK");
    c8 = xt_conn(8);
    assert_string_equal(xt_read(c8, 0, "/pre"), "p");
    /* A domain the host says is gone cannot own nodes. */
    xt_dom_state[9] = XS_DOM_GONE;
    assert_string_equal(xt_setperms(c0, 0, "/pre", "n9"), "ERR:ENOENT");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_matrix),       T(test_denials),
        T(test_ownership),    T(test_set_target),
        T(test_reused_domid), T(test_perms_for_existing_domain),
#undef T
    };

    return cmocka_run_group_tests_name("xenstored-perms", tests, NULL, NULL);
}
