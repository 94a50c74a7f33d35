/*
 * Unit tests for common/timer.c: ordering (random arming order, ties in
 * arming order), stop, re-arm, callbacks that arm and stop timers, the
 * programmed deadline, per-CPU queues, heap growth and the overflow list
 * when growth fails, and a random run against a reference model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hv/errno.h>
#include <hv/lib.h>
#include <hv/timer.h>
#include "shim/shim.h"

#define MAX_T 2000

static struct timer timers[MAX_T];
static unsigned int fired[MAX_T * 4];
static unsigned int nr_fired;

static void record(void *data)
{
    fired[nr_fired++] = (unsigned int)(uintptr_t)data;
}

static void setup_cpu(unsigned int cpu, unsigned int n)
{
    unsigned int i;

    assert_int_equal(timer_cpu_init(cpu), 0);
    for ( i = 0; i < n; i++ )
        init_timer(&timers[i], record, (void *)(uintptr_t)i, cpu);
    nr_fired = 0;
}

static void shuffle(unsigned int *a, unsigned int n)
{
    unsigned int i;

    for ( i = n - 1; i > 0; i-- )
    {
        unsigned int j = rand() % (i + 1), x = a[i];

        a[i] = a[j];
        a[j] = x;
    }
}

/* Fired timers are in (expires, arming position) order. */
static void check_sorted(const unsigned int *arm_pos)
{
    unsigned int i;

    for ( i = 1; i < nr_fired; i++ )
    {
        const struct timer *a = &timers[fired[i - 1]], *b = &timers[fired[i]];

        assert_true(a->expires <= b->expires);
        if ( a->expires == b->expires )
            assert_true(arm_pos[fired[i - 1]] < arm_pos[fired[i]]);
    }
}

static void test_random_order_fires_sorted(void **state)
{
    static unsigned int order[500], arm_pos[500];
    unsigned int i;

    (void)state;
    srand(7);
    setup_cpu(1, 500);
    for ( i = 0; i < 500; i++ )
        order[i] = i;
    shuffle(order, 500);
    for ( i = 0; i < 500; i++ )
    {
        /* Few distinct deadlines, so there are many ties. */
        set_timer(&timers[order[i]], 1000 + (rand() % 50) * 10);
        arm_pos[order[i]] = i;
    }
    for ( i = 0; i < 500; i++ )
        assert_true(timer_is_active(&timers[i]));
    timer_run(1, 1000 + 50 * 10);
    assert_int_equal(nr_fired, 500);
    check_sorted(arm_pos);
    for ( i = 0; i < 500; i++ )
        assert_false(timer_is_active(&timers[i]));
    assert_int_equal(shim_timer_deadline[1], STIME_MAX);
    assert_int_equal(timer_next_deadline(1), STIME_MAX);
}

static void test_ties_in_arming_order(void **state)
{
    unsigned int i;

    (void)state;
    setup_cpu(2, 8);
    for ( i = 0; i < 8; i++ )
        set_timer(&timers[7 - i], 500);
    timer_run(2, 500);
    assert_int_equal(nr_fired, 8);
    for ( i = 0; i < 8; i++ )
        assert_int_equal(fired[i], 7 - i);
}

static void test_partial_run_and_deadline(void **state)
{
    unsigned int calls;

    (void)state;
    setup_cpu(3, 4);
    calls = shim_timer_programmed;
    set_timer(&timers[0], 30);
    assert_int_equal(shim_timer_deadline[3], 30);
    set_timer(&timers[1], 10);
    assert_int_equal(shim_timer_deadline[3], 10);
    calls = shim_timer_programmed;
    set_timer(&timers[2], 20); /* not the earliest: no reprogramming */
    assert_int_equal(shim_timer_programmed, calls);
    assert_int_equal(timer_next_deadline(3), 10);

    timer_run(3, 9); /* nothing due: the deadline is programmed again */
    assert_int_equal(nr_fired, 0);
    assert_int_equal(shim_timer_deadline[3], 10);
    timer_run(3, 20); /* due at or before now */
    assert_int_equal(nr_fired, 2);
    assert_int_equal(fired[0], 1);
    assert_int_equal(fired[1], 2);
    assert_int_equal(shim_timer_deadline[3], 30);
    assert_true(timer_is_active(&timers[0]));
    timer_run(3, 100);
    assert_int_equal(nr_fired, 3);
    assert_int_equal(shim_timer_deadline[3], STIME_MAX);
}

static void test_stop(void **state)
{
    (void)state;
    setup_cpu(4, 4);
    set_timer(&timers[0], 100);
    set_timer(&timers[1], 200);
    set_timer(&timers[2], 300);
    stop_timer(&timers[1]);
    assert_false(timer_is_active(&timers[1]));
    assert_int_equal(shim_timer_deadline[4], 100);
    stop_timer(&timers[0]); /* the earliest: deadline moves */
    assert_int_equal(shim_timer_deadline[4], 300);
    stop_timer(&timers[0]); /* already stopped: nothing happens */
    stop_timer(&timers[3]); /* never armed */
    timer_run(4, 1000);
    assert_int_equal(nr_fired, 1);
    assert_int_equal(fired[0], 2);
    stop_timer(&timers[2]); /* after it fired */
    assert_int_equal(timer_next_deadline(4), STIME_MAX);
}

static void test_rearm(void **state)
{
    (void)state;
    setup_cpu(5, 3);
    set_timer(&timers[0], 100);
    set_timer(&timers[1], 200);
    set_timer(&timers[2], 300);
    set_timer(&timers[2], 50); /* earlier */
    assert_int_equal(shim_timer_deadline[5], 50);
    set_timer(&timers[2], 400); /* later again */
    assert_int_equal(shim_timer_deadline[5], 100);
    set_timer(&timers[0], 200); /* tie with 1, armed later: after it */
    timer_run(5, 1000);
    assert_int_equal(nr_fired, 3);
    assert_int_equal(fired[0], 1);
    assert_int_equal(fired[1], 0);
    assert_int_equal(fired[2], 2);
}

static struct timer self, other, victim;
static unsigned int self_runs;
static s_time_t self_period;

static void periodic(void *data)
{
    (void)data;
    self_runs++;
    set_timer(&self, self.expires + self_period);
}

static void meddler(void *data)
{
    (void)data;
    record((void *)100);
    stop_timer(&victim);                /* due in this run, must not fire */
    set_timer(&other, shim_now + 5000); /* arms another */
}

static void test_callback_rearms_itself(void **state)
{
    (void)state;
    setup_cpu(6, 0);
    init_timer(&self, periodic, NULL, 6);
    self_runs = 0;
    self_period = 100;
    set_timer(&self, 1000);
    timer_run(6, 1000);
    assert_int_equal(self_runs, 1);
    assert_true(timer_is_active(&self));
    assert_int_equal(shim_timer_deadline[6], 1100);
    timer_run(6, 1050);
    assert_int_equal(self_runs, 1);
    /* Far behind: one run per timer_run(), deadline left in the past. */
    timer_run(6, 5000);
    assert_int_equal(self_runs, 2);
    assert_int_equal(shim_timer_deadline[6], 1200);
    /* Re-arming in the past never loops inside one run. */
    self_period = -1000000;
    timer_run(6, 5000);
    assert_int_equal(self_runs, 3);
    assert_true(shim_timer_deadline[6] < 5000);
    stop_timer(&self);
}

static void test_callback_arms_and_stops_others(void **state)
{
    struct timer m;

    (void)state;
    setup_cpu(7, 0);
    init_timer(&m, meddler, NULL, 7);
    init_timer(&victim, record, (void *)200, 7);
    init_timer(&other, record, (void *)300, 7);
    set_timer(&m, 10);
    set_timer(&victim, 20);
    shim_now = 15;
    timer_run(7, 30);
    assert_int_equal(nr_fired, 1);
    assert_int_equal(fired[0], 100);
    assert_false(timer_is_active(&victim));
    assert_true(timer_is_active(&other));
    assert_int_equal(shim_timer_deadline[7], 5015);
    stop_timer(&other);
}

static void test_per_cpu_queues(void **state)
{
    (void)state;
    setup_cpu(8, 0);
    assert_int_equal(timer_cpu_init(9), 0);
    init_timer(&timers[0], record, (void *)0, 8);
    init_timer(&timers[1], record, (void *)1, 9);
    set_timer(&timers[0], 10);
    set_timer(&timers[1], 10);
    assert_int_equal(shim_timer_deadline[8], 10);
    assert_int_equal(shim_timer_deadline[9], 10);
    timer_run(8, 100);
    assert_int_equal(nr_fired, 1);
    assert_int_equal(fired[0], 0);
    assert_true(timer_is_active(&timers[1]));
    assert_int_equal(timer_next_deadline(9), 10);
    timer_run(9, 100);
    assert_int_equal(nr_fired, 2);
}

static void test_init_errors(void **state)
{
    (void)state;
    assert_int_equal(timer_cpu_init(NR_CPUS), -EINVAL);
    assert_int_equal(timer_cpu_init(12), 0);
    assert_int_equal(timer_cpu_init(12), 0); /* again: harmless */
    expect_assert_failure(init_timer(&timers[0], record, NULL, NR_CPUS));
}

static void test_heap_growth(void **state)
{
    static unsigned int arm_pos[MAX_T];
    unsigned int i;

    (void)state;
    setup_cpu(10, MAX_T);
    for ( i = 0; i < MAX_T; i++ )
    {
        set_timer(&timers[i], (s_time_t)(rand() % 300));
        arm_pos[i] = i;
    }
    timer_run(10, 300);
    assert_int_equal(nr_fired, MAX_T);
    check_sorted(arm_pos);
}

static void test_growth_failure_uses_overflow(void **state)
{
    static unsigned int arm_pos[200];
    unsigned int i;

    (void)state;
    setup_cpu(11, 200); /* room for 64 */
    shim_console_reset();
    shim_xmalloc_fail = 1000;
    for ( i = 0; i < 200; i++ )
    {
        set_timer(&timers[i], (s_time_t)(1000 - (i % 37) * 10));
        arm_pos[i] = i;
    }
    assert_non_null(strstr(shim_console, "CPU11 heap full"));
    /* Warned once, not once per timer. */
    assert_null(strstr(strstr(shim_console, "heap full") + 1, "heap full"));
    assert_int_equal(timers[199].heap_index, TIMER_OVERFLOW);
    /* The earliest deadline may be on the overflow list. */
    assert_int_equal(timer_next_deadline(11), 1000 - 36 * 10);
    assert_int_equal(shim_timer_deadline[11], 1000 - 36 * 10);
    /* Stop and re-arm timers on the overflow list. */
    stop_timer(&timers[150]);
    assert_false(timer_is_active(&timers[150]));
    set_timer(&timers[150], 1000 - (150 % 37) * 10);
    arm_pos[150] = 1000;
    shim_xmalloc_fail = 0;
    timer_run(11, 2000);
    assert_int_equal(nr_fired, 200);
    check_sorted(arm_pos);
}

static void test_overflow_drains_when_growth_works_again(void **state)
{
    unsigned int i;

    (void)state;
    setup_cpu(13, 100);
    shim_xmalloc_fail = 1000;
    for ( i = 0; i < 80; i++ )
        set_timer(&timers[i], 100 + i);
    assert_int_equal(timers[70].heap_index, TIMER_OVERFLOW);
    shim_xmalloc_fail = 0;
    set_timer(&timers[80], 500); /* grows the heap and drains the list */
    for ( i = 0; i <= 80; i++ )
        assert_true(timers[i].heap_index >= 1 &&
                    timers[i].heap_index != TIMER_OVERFLOW);
    timer_run(13, 1000);
    assert_int_equal(nr_fired, 81);
    for ( i = 0; i <= 80; i++ )
        assert_int_equal(fired[i], i);
}

static void test_no_heap_at_all(void **state)
{
    struct timer t;

    (void)state;
    shim_xmalloc_fail = 1;
    assert_int_equal(timer_cpu_init(14), -ENOMEM);
    init_timer(&t, record, (void *)5, 14);
    nr_fired = 0;
    shim_xmalloc_fail = 1;
    set_timer(&t, 10); /* no heap and no memory: still armed */
    assert_int_equal(t.heap_index, TIMER_OVERFLOW);
    timer_run(14, 10);
    assert_int_equal(nr_fired, 1);
    shim_xmalloc_fail = 0;
}

/* Random arms, stops and runs against a simple model. */
static void test_random_against_model(void **state)
{
    static s_time_t model[300]; /* expiry, or -1 when inactive */
    static uint64_t model_seq[300];
    uint64_t seq = 0;
    s_time_t now = 0;
    unsigned int step, i, n = 300;

    (void)state;
    srand(4242);
    setup_cpu(15, n);
    for ( i = 0; i < n; i++ )
        model[i] = -1;
    for ( step = 0; step < 20000; step++ )
    {
        unsigned int r = rand() % 10;

        i = rand() % n;
        if ( r < 6 )
        {
            model[i] = now + rand() % 500;
            model_seq[i] = seq++;
            set_timer(&timers[i], model[i]);
        }
        else if ( r < 8 )
        {
            model[i] = -1;
            stop_timer(&timers[i]);
        }
        else
        {
            unsigned int k, j, best;

            now += rand() % 100;
            nr_fired = 0;
            timer_run(15, now);
            /* Expected: every due timer, by (expiry, arming order). */
            for ( k = 0;; k++ )
            {
                best = n;
                for ( j = 0; j < n; j++ )
                    if ( model[j] >= 0 && model[j] <= now &&
                         (best == n || model[j] < model[best] ||
                          (model[j] == model[best] &&
                           model_seq[j] < model_seq[best])) )
                        best = j;
                if ( best == n )
                    break;
                assert_true(k < nr_fired);
                assert_int_equal(fired[k], best);
                model[best] = -1;
            }
            assert_int_equal(k, nr_fired);
        }
        for ( i = 0; i < n; i++ )
            assert_int_equal(timer_is_active(&timers[i]), model[i] >= 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_order_fires_sorted),
        cmocka_unit_test(test_ties_in_arming_order),
        cmocka_unit_test(test_partial_run_and_deadline),
        cmocka_unit_test(test_stop),
        cmocka_unit_test(test_rearm),
        cmocka_unit_test(test_callback_rearms_itself),
        cmocka_unit_test(test_callback_arms_and_stops_others),
        cmocka_unit_test(test_per_cpu_queues),
        cmocka_unit_test(test_init_errors),
        cmocka_unit_test(test_heap_growth),
        cmocka_unit_test(test_growth_failure_uses_overflow),
        cmocka_unit_test(test_overflow_drains_when_growth_works_again),
        cmocka_unit_test(test_no_heap_at_all),
        cmocka_unit_test(test_random_against_model),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
