/*
 * Unit tests for common/policy.c: capability grants parent -> child (every
 * combination, escalation attempts), memory access before and after
 * sealing, non-parents, domctl without BUILD, VIRQs, and each error code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include <hv/errno.h>
#include <hv/policy.h>

#define ALL TESSERA_CAP_ALL

/* A small family: ring 0 -> builder (0) -> children 1, 2; 1 -> 3. */
static const struct policy_subject builder = { 0, DOMID_XEN, ALL, true };
static const struct policy_subject child1 = { 1, 0, 0, false };
static const struct policy_subject sealed1 = { 1, 0, 0, true };
static const struct policy_subject child2 = { 2, 0, 0, false };

static struct policy_subject subj(domid_t id, domid_t parent, uint32_t caps,
                                  bool sealed)
{
    struct policy_subject s = { id, parent, caps, sealed };

    return s;
}

static void test_check_caps(void **state)
{
    uint32_t bit;

    (void)state;
    assert_int_equal(policy_check_caps(0), 0);
    assert_int_equal(policy_check_caps(ALL), 0);
    for ( bit = 4; bit < 32; bit++ )
        assert_int_equal(policy_check_caps(1U << bit), -EINVAL);
    assert_int_equal(ALL, TESSERA_CAP_BUILD | TESSERA_CAP_CONSOLE |
                              TESSERA_CAP_XENSTORE | TESSERA_CAP_DEVICE);
}

/*
 * Every parent capability set against every requested set: allowed iff
 * the request is a subset and the parent holds BUILD.
 */
static void test_grant_matrix(void **state)
{
    uint32_t have, want;

    (void)state;
    for ( have = 0; have <= ALL; have++ )
        for ( want = 0; want <= ALL; want++ )
        {
            struct policy_subject p = subj(5, 0, have, true);
            struct policy_subject c = subj(6, 5, 0, false);
            int expect = 0;

            if ( !(have & TESSERA_CAP_BUILD) || (want & ~have) )
                expect = -EPERM;
            assert_int_equal(policy_set_caps(&p, &c, want), expect);
        }
}

static void test_grant_escalation(void **state)
{
    /* Child 1 holds BUILD|CONSOLE and built 3 itself. */
    struct policy_subject mid =
        subj(1, 0, TESSERA_CAP_BUILD | TESSERA_CAP_CONSOLE, true);
    struct policy_subject grandchild = subj(3, 1, 0, false);
    struct policy_subject self_builder = builder;

    (void)state;
    /* A builder's own grant of everything to a fresh child is fine. */
    assert_int_equal(policy_set_caps(&builder, &child1, ALL), 0);
    /* The middle domain passes on what it has, not what it lacks. */
    assert_int_equal(policy_set_caps(&mid, &grandchild, TESSERA_CAP_CONSOLE),
                     0);
    assert_int_equal(policy_set_caps(&mid, &grandchild, TESSERA_CAP_DEVICE),
                     -EPERM);
    assert_int_equal(
        policy_set_caps(&mid, &grandchild,
                        TESSERA_CAP_CONSOLE | TESSERA_CAP_XENSTORE),
        -EPERM);
    /* Nobody raises its own bits, nor its parent's, nor a sibling's. */
    assert_int_equal(policy_set_caps(&mid, &mid, TESSERA_CAP_CONSOLE), -EPERM);
    self_builder.parent = 0; /* even if it claimed to be its own parent */
    assert_int_equal(policy_set_caps(&self_builder, &self_builder, ALL),
                     -EPERM);
    assert_int_equal(policy_set_caps(&mid, &builder, 0), -EPERM);
    assert_int_equal(policy_set_caps(&mid, &child2, 0), -EPERM);
    /* The grandparent is not the parent. */
    assert_int_equal(policy_set_caps(&builder, &grandchild, 0), -EPERM);
    /* After sealing the set is fixed, even a reduction. */
    assert_int_equal(policy_set_caps(&builder, &sealed1, 0), -EPERM);
}

static void test_grant_errors(void **state)
{
    struct policy_subject guest = subj(7, 0, 0, true);

    (void)state;
    assert_int_equal(policy_set_caps(&builder, &child1, 1U << 4), -EINVAL);
    assert_int_equal(policy_set_caps(&builder, &child1, ~0U), -EINVAL);
    assert_int_equal(policy_set_caps(&builder, NULL, 0), -ESRCH);
    /* The caller's own capability is checked before anything else. */
    assert_int_equal(policy_set_caps(&guest, NULL, 1U << 4), -EPERM);
    assert_int_equal(policy_set_caps(&guest, &child1, 0), -EPERM);
    /* Bad bits before a missing target. */
    assert_int_equal(policy_set_caps(&builder, NULL, 1U << 31), -EINVAL);
}

static void test_memory_sealing(void **state)
{
    (void)state;
    /* The parent, before sealing. */
    assert_int_equal(policy_map_foreign(&builder, &child1), 0);
    assert_int_equal(policy_populate_foreign(&builder, &child1), 0);
    /* After sealing: nobody, not even the parent. */
    assert_int_equal(policy_map_foreign(&builder, &sealed1), -EPERM);
    assert_int_equal(policy_populate_foreign(&builder, &sealed1), -EPERM);
    /* A domain's own memory is its own, sealed or not. */
    assert_int_equal(policy_map_foreign(&sealed1, &sealed1), 0);
    assert_int_equal(policy_populate_foreign(&child1, &child1), 0);
    /* Missing target. */
    assert_int_equal(policy_map_foreign(&builder, NULL), -ESRCH);
    assert_int_equal(policy_populate_foreign(&builder, NULL), -ESRCH);
}

static void test_memory_non_parent(void **state)
{
    struct policy_subject other_builder = subj(4, 0, TESSERA_CAP_BUILD, true);
    struct policy_subject nested = subj(3, 1, 0, false);
    struct policy_subject mid = subj(1, 0, TESSERA_CAP_BUILD, true);
    struct policy_subject all_but_build =
        subj(8, 0, ALL & ~TESSERA_CAP_BUILD, true);

    (void)state;
    /* Another BUILD holder is not the parent. */
    assert_int_equal(policy_map_foreign(&other_builder, &child1), -EPERM);
    assert_int_equal(policy_populate_foreign(&other_builder, &child1), -EPERM);
    /* The grandparent is not the parent; the parent is. */
    assert_int_equal(policy_map_foreign(&builder, &nested), -EPERM);
    assert_int_equal(policy_map_foreign(&mid, &nested), 0);
    /* A child cannot map its parent or a sibling. */
    assert_int_equal(policy_map_foreign(&mid, &builder), -EPERM);
    assert_int_equal(policy_map_foreign(&mid, &child2), -EPERM);
    /* Without BUILD no foreign memory at all; checked before the target. */
    assert_int_equal(policy_map_foreign(&all_but_build, &child1), -EPERM);
    assert_int_equal(policy_map_foreign(&all_but_build, NULL), -EPERM);
    assert_int_equal(policy_populate_foreign(&child2, &child1), -EPERM);
    /* A parent that lost BUILD (given to a child without it) may not. */
    mid.caps = 0;
    assert_int_equal(policy_map_foreign(&mid, &nested), -EPERM);
}

static const uint32_t child_cmds[] = {
    TESSERA_DOMCTL_destroydomain,   TESSERA_DOMCTL_pausedomain,
    TESSERA_DOMCTL_unpausedomain,   TESSERA_DOMCTL_max_mem,
    TESSERA_DOMCTL_shutdown,        TESSERA_DOMCTL_max_vcpus,
    TESSERA_DOMCTL_setvcpucontext,  TESSERA_DOMCTL_getvcpucontext,
    TESSERA_DOMCTL_set_caps,        TESSERA_DOMCTL_seal,
    TESSERA_DOMCTL_setvcpuaffinity,
};

static bool before_seal_only(uint32_t cmd)
{
    return cmd == TESSERA_DOMCTL_max_vcpus ||
           cmd == TESSERA_DOMCTL_setvcpucontext ||
           cmd == TESSERA_DOMCTL_getvcpucontext ||
           cmd == TESSERA_DOMCTL_setvcpuaffinity ||
           cmd == TESSERA_DOMCTL_set_caps || cmd == TESSERA_DOMCTL_seal;
}

static void test_domctl_builder(void **state)
{
    size_t i;

    (void)state;
    assert_int_equal(policy_domctl(&builder, NULL, TESSERA_DOMCTL_createdomain),
                     0);
    assert_int_equal(policy_domctl(&builder, NULL, TESSERA_DOMCTL_physinfo), 0);
    for ( i = 0; i < ARRAY_SIZE(child_cmds); i++ )
    {
        uint32_t cmd = child_cmds[i];

        assert_int_equal(policy_domctl(&builder, &child1, cmd), 0);
        assert_int_equal(policy_domctl(&builder, &sealed1, cmd),
                         before_seal_only(cmd) ? -EPERM : 0);
        assert_int_equal(policy_domctl(&builder, NULL, cmd), -ESRCH);
        /* Not on itself, not on its parent (ring 0), not on a grandchild. */
        assert_int_equal(policy_domctl(&builder, &builder, cmd), -EPERM);
        {
            struct policy_subject gc = subj(3, 1, 0, false);

            assert_int_equal(policy_domctl(&builder, &gc, cmd), -EPERM);
        }
    }
    /* Unknown commands do not exist in the table. */
    assert_int_equal(policy_domctl(&builder, &child1, 0), -EPERM);
    assert_int_equal(policy_domctl(&builder, &child1, TESSERA_DOMCTL_MAX + 1),
                     -EPERM);
    assert_int_equal(policy_domctl(&builder, &child1, ~0U), -EPERM);
}

static void test_domctl_without_build(void **state)
{
    uint32_t caps;
    size_t i;

    (void)state;
    /* Every capability set lacking BUILD: every managing command -EPERM. */
    for ( caps = 0; caps <= ALL; caps++ )
    {
        struct policy_subject p = subj(1, 0, caps, true);
        struct policy_subject mine = subj(9, 1, 0, false);

        if ( caps & TESSERA_CAP_BUILD )
            continue;
        assert_int_equal(policy_domctl(&p, NULL, TESSERA_DOMCTL_createdomain),
                         -EPERM);
        assert_int_equal(policy_domctl(&p, NULL, TESSERA_DOMCTL_physinfo),
                         -EPERM);
        for ( i = 0; i < ARRAY_SIZE(child_cmds); i++ )
        {
            assert_int_equal(policy_domctl(&p, &mine, child_cmds[i]), -EPERM);
            /* No existence oracle: a missing target is -EPERM too. */
            assert_int_equal(policy_domctl(&p, NULL, child_cmds[i]), -EPERM);
            assert_int_equal(policy_domctl(&p, &p, child_cmds[i]), -EPERM);
        }
        assert_int_equal(policy_remote_shutdown(&p, &mine), -EPERM);
    }
    assert_int_equal(policy_remote_shutdown(&builder, &child1), 0);
    assert_int_equal(policy_remote_shutdown(&builder, &sealed1), 0);
    assert_int_equal(policy_remote_shutdown(&builder, NULL), -ESRCH);
    assert_int_equal(policy_remote_shutdown(&child2, &child1), -EPERM);
}

static void test_getdomaininfo(void **state)
{
    struct policy_subject xs = subj(2, 0, TESSERA_CAP_XENSTORE, true);
    struct policy_subject guest = subj(5, 0, 0, true);
    struct policy_subject gc = subj(3, 1, 0, false);
    struct policy_subject bo = subj(0, DOMID_XEN, TESSERA_CAP_BUILD, true);
    const uint32_t info = TESSERA_DOMCTL_getdomaininfo;
    const uint32_t list = TESSERA_DOMCTL_getdomaininfolist;

    (void)state;
    /* Everyone sees itself. */
    assert_int_equal(policy_domctl(&guest, &guest, info), 0);
    assert_int_equal(policy_may_see(&guest, &guest), 0);
    /* A guest sees nobody else and cannot probe for existence. */
    assert_int_equal(policy_domctl(&guest, &child1, info), -EPERM);
    assert_int_equal(policy_domctl(&guest, NULL, info), -EPERM);
    assert_int_equal(policy_domctl(&guest, NULL, list), -EPERM);
    assert_int_equal(policy_may_see(&guest, &child1), -EPERM);
    /* XENSTORE sees every domain. */
    assert_int_equal(policy_domctl(&xs, &builder, info), 0);
    assert_int_equal(policy_domctl(&xs, &gc, info), 0);
    assert_int_equal(policy_domctl(&xs, NULL, info), -ESRCH);
    assert_int_equal(policy_domctl(&xs, NULL, list), 0);
    /* BUILD alone sees itself and its children, sealed or not. */
    assert_int_equal(policy_domctl(&bo, &sealed1, info), 0);
    assert_int_equal(policy_domctl(&bo, &bo, info), 0);
    assert_int_equal(policy_domctl(&bo, &gc, info), -EPERM);
    assert_int_equal(policy_domctl(&bo, NULL, info), -ESRCH);
    assert_int_equal(policy_domctl(&bo, NULL, list), 0);
    assert_int_equal(policy_may_see(&bo, &gc), -EPERM);
    assert_int_equal(policy_may_see(&bo, NULL), -ESRCH);
    /* The builder holds XENSTORE too, so it sees the grandchild. */
    assert_int_equal(policy_domctl(&builder, &gc, info), 0);
}

static void test_console_device(void **state)
{
    uint32_t caps;

    (void)state;
    for ( caps = 0; caps <= ALL; caps++ )
    {
        struct policy_subject s = subj(1, 0, caps, true);

        assert_int_equal(policy_console_read(&s),
                         caps & TESSERA_CAP_CONSOLE ? 0 : -EPERM);
        assert_int_equal(policy_device(&s),
                         caps & TESSERA_CAP_DEVICE ? 0 : -EPERM);
    }
}

static void test_virq_delivery(void **state)
{
    struct policy_subject guest = subj(5, 0, 0, true);
    struct policy_subject con = subj(6, 0, TESSERA_CAP_CONSOLE, true);
    struct policy_subject xs = subj(7, 0, TESSERA_CAP_XENSTORE, true);
    uint32_t v;

    (void)state;
    /* Per-vCPU VIRQs: anyone. */
    assert_int_equal(policy_virq_delivery(&guest, VIRQ_TIMER), 0);
    assert_int_equal(policy_virq_delivery(&guest, VIRQ_DEBUG), 0);
    assert_int_equal(policy_virq_delivery(&guest, VIRQ_XENOPROF), 0);
    assert_int_equal(policy_virq_delivery(&guest, VIRQ_XENPMU), 0);
    /* VIRQ_DOM_EXC: BUILD or XENSTORE. */
    assert_int_equal(policy_virq_delivery(&guest, VIRQ_DOM_EXC), -EPERM);
    assert_int_equal(policy_virq_delivery(&con, VIRQ_DOM_EXC), -EPERM);
    assert_int_equal(policy_virq_delivery(&xs, VIRQ_DOM_EXC), 0);
    assert_int_equal(policy_virq_delivery(&builder, VIRQ_DOM_EXC), 0);
    /* Console VIRQs: CONSOLE. */
    assert_int_equal(policy_virq_delivery(&guest, VIRQ_CONSOLE), -EPERM);
    assert_int_equal(policy_virq_delivery(&xs, VIRQ_CON_RING), -EPERM);
    assert_int_equal(policy_virq_delivery(&con, VIRQ_CONSOLE), 0);
    assert_int_equal(policy_virq_delivery(&con, VIRQ_CON_RING), 0);
    /* Other global VIRQs: nobody, whatever the bits. */
    for ( v = 0; v < NR_VIRQS; v++ )
        if ( v == VIRQ_TBUF || v == VIRQ_DEBUGGER || v == VIRQ_ENOMEM ||
             v >= VIRQ_ARCH_0 )
            assert_int_equal(policy_virq_delivery(&builder, v), -EPERM);
    assert_int_equal(policy_virq_delivery(&builder, NR_VIRQS), -EINVAL);
    assert_int_equal(policy_virq_delivery(&guest, ~0U), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_caps),
        cmocka_unit_test(test_grant_matrix),
        cmocka_unit_test(test_grant_escalation),
        cmocka_unit_test(test_grant_errors),
        cmocka_unit_test(test_memory_sealing),
        cmocka_unit_test(test_memory_non_parent),
        cmocka_unit_test(test_domctl_builder),
        cmocka_unit_test(test_domctl_without_build),
        cmocka_unit_test(test_getdomaininfo),
        cmocka_unit_test(test_console_device),
        cmocka_unit_test(test_virq_delivery),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
