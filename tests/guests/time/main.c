/*
 * time: vcpu_time_info (version protocol, monotonic system time), a sane
 * wall clock, VIRQ_TIMER from set_timer_op, the VCPUOP single-shot timer
 * (incl. stop and a timeout in the past) and the periodic timer (rate and
 * stop), SCHEDOP_block woken by the timer, and the timer ops' errors
 */
#include <public/errno.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <rt/events.h>
#include <rt/rt.h>
#include <rt/time.h>

#include "../lib/test.h"

const char test_title[] = "time: system time, wall clock, timers";

#define MS 1000000UL
/* Generous: QEMU TCG on a shared 2-core machine is slow and jittery. */
#define LATE_LIMIT (200 * MS)

static volatile int timer_fired;
static volatile uint64_t timer_count, fired_at;

static void on_timer(evtchn_port_t port, void *data)
{
    (void)port, (void)data;
    timer_count++;
    fired_at = xen_system_time();
    timer_fired = 1;
}

static void test_time_info(void)
{
    struct vcpu_time_info t;
    uint64_t prev, now, sec, khz;
    uint32_t nsec;
    int backwards = 0;

    xen_time_snapshot(&t);
    test_check(!(t.version & 1), "time version %u odd", t.version);
    test_check(t.tsc_to_system_mul != 0, "tsc_to_system_mul is 0");
    test_check(t.system_time > 0, "system_time is 0");
    khz = (1000000UL << 32) / t.tsc_to_system_mul;
    khz = t.tsc_shift < 0 ? khz << -t.tsc_shift : khz >> t.tsc_shift;
    test_info("tsc mul %u shift %d: TSC at %lu kHz", t.tsc_to_system_mul,
              t.tsc_shift, khz);

    prev = xen_system_time();
    for ( int i = 0; i < 20000; i++ )
    {
        now = xen_system_time();
        backwards += now < prev;
        prev = now;
    }
    test_check(!backwards, "system time went backwards %d times", backwards);

    xen_wallclock_now(&sec, &nsec);
    test_info("wall clock %lu.%09u", sec, nsec);
    /* 2020-01-01 .. 2100-01-01 */
    test_check(sec > 1577836800ULL && sec < 4102444800ULL,
               "wall clock %lu s out of range", sec);
    test_check(nsec < 1000000000U, "wc nsec %u", nsec);
}

/* Arm, wait (bounded), and check it fired not early and not too late. */
static void expect_fire(const char *what, uint64_t deadline)
{
    bool ok =
        xen_wait_flag(&timer_fired, deadline - xen_system_time() + 2000 * MS);

    test_check(ok, "%s: VIRQ_TIMER never came", what);
    if ( !ok )
        return;
    test_check(fired_at >= deadline, "%s: fired %lu ns early", what,
               deadline - fired_at);
    test_check(fired_at < deadline + LATE_LIMIT, "%s: fired %lu ms late", what,
               (fired_at - deadline) / MS);
}

static void test_timer_op(void)
{
    uint64_t deadline;

    timer_fired = 0;
    deadline = xen_system_time() + 20 * MS;
    test_expect_rc(HYPERVISOR_set_timer_op(deadline), 0, "set_timer_op");
    expect_fire("set_timer_op(+20ms)", deadline);

    /* 0 cancels. */
    timer_fired = 0;
    HYPERVISOR_set_timer_op(xen_system_time() + 30 * MS);
    test_expect_rc(HYPERVISOR_set_timer_op(0), 0, "set_timer_op(0)");
    test_check(!xen_wait_flag(&timer_fired, 100 * MS), "cancelled timer fired");
}

static long sshot(uint64_t when, uint32_t flags)
{
    struct vcpu_set_singleshot_timer st = { .timeout_abs_ns = when,
                                            .flags = flags };

    return HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, XEN_ARG(&st));
}

static void test_singleshot(void)
{
    uint64_t deadline;
    long rc;

    timer_fired = 0;
    deadline = xen_system_time() + 15 * MS;
    test_expect_rc(sshot(deadline, 0), 0, "set_singleshot_timer");
    expect_fire("singleshot(+15ms)", deadline);

    /* In the past: fires at once. */
    timer_fired = 0;
    test_expect_rc(sshot(xen_system_time() - 10 * MS, 0), 0,
                   "singleshot in the past");
    test_check(xen_wait_flag(&timer_fired, 500 * MS),
               "past singleshot did not fire");

    /* In the past with VCPU_SSHOTTMR_future: -ETIME, or ignored (Xen). */
    timer_fired = 0;
    rc = sshot(xen_system_time() - 10 * MS, VCPU_SSHOTTMR_future);
    test_check(rc == 0 || rc == -XEN_ETIME, "future flag: %ld", rc);
    if ( rc == 0 )
        xen_wait_flag(&timer_fired, 500 * MS);

    /* Stopped before it expires: never fires. */
    timer_fired = 0;
    test_expect_rc(sshot(xen_system_time() + 30 * MS, 0), 0, "singleshot");
    test_expect_rc(HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, 0), 0,
                   "stop_singleshot_timer");
    test_check(!xen_wait_flag(&timer_fired, 100 * MS),
               "stopped singleshot fired");
}

static void test_periodic(void)
{
    struct vcpu_set_periodic_timer pt = { .period_ns = 10 * MS };
    uint64_t start, count0, n;

    test_expect_rc(
        HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, XEN_ARG(&pt)), 0,
        "set_periodic_timer(10ms)");
    count0 = timer_count;
    start = xen_system_time();
    xen_events_enable();
    while ( xen_system_time() - start < 200 * MS )
        HYPERVISOR_sched_op(SCHEDOP_yield, 0);
    n = timer_count - count0;
    test_info("periodic 10 ms: %lu ticks in 200 ms", n);
    test_check(n >= 10 && n <= 25, "periodic 10 ms: %lu ticks in 200 ms", n);

    test_expect_rc(HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, 0), 0,
                   "stop_periodic_timer");
    timer_fired = 0;
    test_check(!xen_wait_flag(&timer_fired, 100 * MS),
               "periodic timer ticked after stop");

    pt.period_ns = 1000; /* 1 us: below the 1 ms minimum */
    test_expect_rc(
        HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, XEN_ARG(&pt)),
        -XEN_EINVAL, "set_periodic_timer(1us)");
    test_expect_rc(HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, 0x1000),
                   -XEN_EFAULT, "set_periodic_timer(bad pointer)");
    test_expect_rc(HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0,
                                      XEN_ARG(HYPERVISOR_VIRT_START)),
                   -XEN_EFAULT, "set_singleshot_timer(hypervisor pointer)");
    test_expect_rc(
        HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 4096, XEN_ARG(&pt)),
        -XEN_ENOENT, "set_singleshot_timer(vcpu 4096)");
    test_expect_rc(HYPERVISOR_vcpu_op(99, 0, 0), -XEN_ENOSYS, "vcpu_op 99");
}

static void test_block(void)
{
    uint64_t start = xen_system_time(), deadline = start + 20 * MS;
    int rounds = 0;

    timer_fired = 0;
    HYPERVISOR_set_timer_op(deadline);
    /* Masked check, then block: block re-enables events atomically. */
    while ( !timer_fired && rounds++ < 100 )
    {
        xen_events_disable();
        if ( timer_fired )
            break;
        HYPERVISOR_sched_op(SCHEDOP_block, 0);
    }
    test_check(timer_fired, "SCHEDOP_block never woke for the timer");
    test_check(xen_vcpu_info()->evtchn_upcall_mask == 0,
               "SCHEDOP_block left events masked");
    test_check(fired_at >= deadline, "block: timer fired early");
    test_info("blocked %lu us for a 20 ms timer in %d round(s)",
              (xen_system_time() - start) / 1000, rounds);
}

void test_main(void)
{
    long port;

    test_time_info();
    /* PV vCPUs may start with a 10 ms periodic timer: stop it first. */
    HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, 0);
    port = xen_evtchn_bind_virq(VIRQ_TIMER, on_timer, NULL);
    if ( port < 0 )
        test_fail("bind_virq(VIRQ_TIMER): %ld", port);
    test_info("VIRQ_TIMER on port %ld", port);
    test_timer_op();
    test_singleshot();
    test_periodic();
    test_block();
    test_pass_if_clean();
}
