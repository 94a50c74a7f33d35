/*
 * TLB shootdown and the TLB clock (common/tlb.c) on the host.
 *
 * CPUs are simulated: shim_cpu_id is per thread.  In the single-threaded
 * tests a flush IPI is delivered at once (the target runs tlb_service()
 * and the caller goes on as itself).  The threaded tests let threads play
 * CPUs that only serve requests from their own waits, as a CPU spinning
 * on a lock does: shootdowns between them must all finish (an alarm ends
 * the test if they hang).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <hv/sched.h>
#include <hv/tlb.h>

#include "shim.h"

#define CPUS 4

unsigned int nr_cpus_online = CPUS;

static unsigned int flushes[CPUS]; /* arch_tlb_flush_local() per CPU */
static unsigned int ipis[CPUS];    /* arch_tlb_send_ipi() per target */
static bool threaded;              /* IPIs are left to the targets' waits */

void arch_tlb_flush_local(void)
{
    __atomic_add_fetch(&flushes[shim_cpu_id], 1, __ATOMIC_RELAXED);
}

void arch_tlb_send_ipi(unsigned int cpu)
{
    unsigned int me = shim_cpu_id;

    __atomic_add_fetch(&ipis[cpu], 1, __ATOMIC_RELAXED);
    if ( threaded )
        return;
    shim_cpu_id = cpu; /* the interrupt, on the target */
    tlb_service();
    shim_cpu_id = me;
}

static void reset_counts(void)
{
    memset(flushes, 0, sizeof(flushes));
    memset(ipis, 0, sizeof(ipis));
}

static int setup(void **state)
{
    (void)state;
    reset_counts();
    threaded = false;
    shim_cpu_id = 0;
    return 0;
}

/* Every CPU: an IPI to each other one, a flush on each, this one too. */
static void test_flush_every(void **state)
{
    unsigned int c;

    (void)state;
    shim_cpu_id = 2;
    tlb_flush_every();
    for ( c = 0; c < CPUS; c++ )
    {
        assert_int_equal(flushes[c], 1);
        assert_int_equal(ipis[c], c == 2 ? 0 : 1);
    }
}

/* Only the CPUs whose last tables were the domain's, and this one. */
static void test_flush_domain_targets_its_cpus(void **state)
{
    (void)state;
    shim_cpu_id = 1;
    tlb_enter_domain(7);
    shim_cpu_id = 3;
    tlb_enter_domain(7);
    shim_cpu_id = 2;
    tlb_enter_domain(8);
    assert_int_equal(tlb_enter_domain(8), 8); /* what it held */
    shim_cpu_id = 0;
    reset_counts();
    tlb_flush_domain(7);
    assert_int_equal(ipis[1], 1);
    assert_int_equal(ipis[3], 1);
    assert_int_equal(ipis[2], 0);
    assert_int_equal(flushes[1], 1);
    assert_int_equal(flushes[3], 1);
    assert_int_equal(flushes[2], 0);
    assert_int_equal(flushes[0], 1); /* the caller always flushes */
    /* Nobody ran uid 99: only the caller. */
    reset_counts();
    tlb_flush_domain(99);
    assert_int_equal(ipis[1] + ipis[2] + ipis[3], 0);
    assert_int_equal(flushes[0], 1);
}

/*
 * The clock: a frame freed at tick s needs exactly the CPUs that have not
 * flushed since s; after one shootdown, nobody needs it again.
 */
static void test_flush_since_filters_by_the_clock(void **state)
{
    uint64_t s;

    (void)state;
    tlb_flush_every(); /* everyone flushed: all ahead of older stamps */
    shim_cpu_id = 1;
    s = tlb_stamp(); /* CPU 1 frees a frame */
    shim_cpu_id = 2;
    tlb_flush_local(); /* CPU 2 switched domains meanwhile */
    shim_cpu_id = 3;
    reset_counts();
    tlb_flush_since(s); /* CPU 3 hands the frame out */
    assert_int_equal(ipis[0], 1);
    assert_int_equal(ipis[1], 1);
    assert_int_equal(ipis[2], 0); /* flushed after the free */
    assert_int_equal(flushes[3], 1);
    reset_counts();
    tlb_flush_since(s);
    assert_int_equal(ipis[0] + ipis[1] + ipis[2] + flushes[3], 0);
    /* Stamp 0 (boot memory): nothing at all. */
    tlb_flush_since(0);
    assert_int_equal(ipis[0] + ipis[1] + ipis[2] + flushes[3], 0);
}

/* A service with nothing asked flushes nothing. */
static void test_service_without_request_is_quiet(void **state)
{
    (void)state;
    shim_cpu_id = 1;
    tlb_service();
    tlb_service();
    assert_int_equal(flushes[1], 0);
}

/* ---- threads as CPUs ---------------------------------------------------- */

#define ROUNDS 200

static unsigned int go, finished;

/* ROUNDS shootdowns of every CPU, then answer until everyone is done. */
static void play_cpu(unsigned int cpu)
{
    unsigned int r;

    shim_cpu_id = cpu;
    while ( !__atomic_load_n(&go, __ATOMIC_ACQUIRE) )
        tlb_service();
    for ( r = 0; r < ROUNDS; r++ )
        tlb_flush_every();
    __atomic_add_fetch(&finished, 1, __ATOMIC_ACQ_REL);
    while ( __atomic_load_n(&finished, __ATOMIC_ACQUIRE) < CPUS )
        tlb_service();
}

static void *cpu_thread(void *arg)
{
    play_cpu((unsigned int)(uintptr_t)arg);
    return NULL;
}

/*
 * Four CPUs shooting down each other at once, each answering others only
 * from inside its own waits (no interrupts): every shootdown finishes,
 * and every CPU flushed at least once per round it was asked for.
 */
static void test_cpus_flushing_each_other_finish(void **state)
{
    pthread_t t[CPUS - 1];
    unsigned int c;

    (void)state;
    threaded = true;
    go = finished = 0;
    alarm(60); /* a hang fails the test instead of the whole run */
    for ( c = 1; c < CPUS; c++ )
        assert_int_equal(
            pthread_create(&t[c - 1], NULL, cpu_thread, (void *)(uintptr_t)c),
            0);
    __atomic_store_n(&go, 1, __ATOMIC_RELEASE);
    play_cpu(0);
    for ( c = 1; c < CPUS; c++ )
        assert_int_equal(pthread_join(t[c - 1], NULL), 0);
    alarm(0);
    for ( c = 0; c < CPUS; c++ )
    {
        /* Asked by every other CPU every round; requests pending
         * together are served by one flush, and each CPU flushes itself
         * once per own round. */
        assert_int_equal(ipis[c], (CPUS - 1) * ROUNDS);
        assert_true(flushes[c] >= ROUNDS);
    }
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_flush_every),
        T(test_flush_domain_targets_its_cpus),
        T(test_flush_since_filters_by_the_clock),
        T(test_service_without_request_is_quiet),
        T(test_cpus_flushing_each_other_finish),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
