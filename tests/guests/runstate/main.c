/*
 * runstate: VCPUOP_register_runstate_memory_area - the registered copy is
 * written at once and kept current as the vCPU runs, yields and blocks;
 * it agrees with VCPUOP_get_runstate_info; an address in the hypervisor's
 * range is refused.
 */
#include <public/errno.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <rt/events.h>
#include <rt/rt.h>
#include <rt/time.h>

#include "../lib/test.h"

const char test_title[] = "runstate: a registered runstate area stays current";

#define HYP 0xffff800000001000UL

static volatile struct vcpu_runstate_info area;
static volatile int fired;

static void on_timer(evtchn_port_t port, void *data)
{
    (void)port, (void)data;
    fired = 1;
}

void test_main(void)
{
    struct vcpu_register_runstate_memory_area reg = { .addr = (uint64_t)&area };
    struct vcpu_runstate_info now;
    uint64_t entry0, running0;
    unsigned int i;

    if ( xen_evtchn_bind_virq(VIRQ_TIMER, on_timer, NULL) < 0 )
        test_fail("bind_virq(VIRQ_TIMER)");
    xen_events_enable();
    area.state = -1;
    test_expect_rc(HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0,
                                      XEN_ARG(&reg)),
                   0, "register");
    test_check(area.state == RUNSTATE_running,
               "state %d right after "
               "registering",
               area.state);
    entry0 = area.state_entry_time;
    running0 = area.time[RUNSTATE_running];

    /* Yield and block on a timer a few times: the area follows. */
    for ( i = 0; i < 5; i++ )
    {
        unsigned int spins = 0;

        HYPERVISOR_sched_op(SCHEDOP_yield, 0);
        fired = 0;
        HYPERVISOR_set_timer_op(xen_system_time() + 2000000);
        /* Really block (a yield alone never leaves a lone vCPU's CPU). */
        while ( !fired && spins++ < 1000 )
            HYPERVISOR_sched_op(SCHEDOP_block, 0);
        test_check(fired, "timer %u never came", i);
    }
    test_check(area.state == RUNSTATE_running, "state %d after blocking",
               area.state);
    test_check(area.state_entry_time > entry0, "entry time did not move");
    test_check(area.time[RUNSTATE_running] >= running0,
               "running time went back");
    test_check(area.time[RUNSTATE_blocked] > 0, "no blocked time recorded");

    test_expect_rc(
        HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, XEN_ARG(&now)), 0,
        "get_runstate_info");
    test_check(now.time[RUNSTATE_blocked] >= area.time[RUNSTATE_blocked],
               "get_runstate_info behind the area");

    reg.addr = HYP;
    test_expect_rc(HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0,
                                      XEN_ARG(&reg)),
                   -XEN_EFAULT, "register in the hypervisor's range");
    test_pass_if_clean();
}
