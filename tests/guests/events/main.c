/*
 * events: local event channels - an IPI port to ourselves delivers an
 * upcall when events are enabled, stays pending while the vCPU is masked or
 * the port is masked, EVTCHNOP_unmask delivers what was left pending,
 * status reports the binding, close frees the port, and the lowest free
 * port is reused
 */
#include <public/errno.h>
#include <rt/events.h>
#include <rt/rt.h>

#include "../lib/test.h"

const char test_title[] = "events: IPI ports, masking, unmask, status, close";

#define MS 1000000UL

static volatile int hits;

static void on_ipi(evtchn_port_t port, void *data)
{
    (void)port, (void)data;
    hits++;
}

static bool pending(evtchn_port_t p)
{
    return xen_shared_info()->evtchn_pending[p / 64] & (1UL << (p % 64));
}

static void set_port_mask(evtchn_port_t p, bool on)
{
    volatile uint64_t *w = &xen_shared_info()->evtchn_mask[p / 64];

    if ( on )
        __atomic_fetch_or(w, 1UL << (p % 64), __ATOMIC_SEQ_CST);
    else
        __atomic_fetch_and(w, ~(1UL << (p % 64)), __ATOMIC_SEQ_CST);
}

/*
 * An interdomain channel to ourselves: binding sets the new (local) port
 * pending, not the unbound end; a send on either end marks the other;
 * closing one end returns the other to unbound.
 */
static void loopback(void)
{
    struct evtchn_alloc_unbound au = { .dom = DOMID_SELF,
                                       .remote_dom = DOMID_SELF };
    struct evtchn_bind_interdomain bi = { .remote_dom = DOMID_SELF };
    struct evtchn_status st = { .dom = DOMID_SELF };
    uint64_t *pend = (uint64_t *)xen_shared_info()->evtchn_pending;

    test_expect_rc(
        HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, XEN_ARG(&au)), 0,
        "alloc_unbound to ourselves");
    set_port_mask(au.port, true);
    bi.remote_port = au.port;
    test_expect_rc(
        HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, XEN_ARG(&bi)), 0,
        "bind_interdomain to it");
    set_port_mask(bi.local_port, true);
    test_check(pending(bi.local_port), "bind left the local port idle");
    test_check(!pending(au.port), "bind marked the unbound end");
    __atomic_fetch_and(&pend[bi.local_port / 64],
                       ~(1UL << (bi.local_port % 64)), __ATOMIC_SEQ_CST);
    test_expect_rc(xen_evtchn_send(bi.local_port), 0, "send on the bound end");
    test_check(pending(au.port) && !pending(bi.local_port),
               "send went to the other end");
    test_expect_rc(xen_evtchn_close(bi.local_port), 0, "close the bound end");
    st.port = au.port;
    test_expect_rc(HYPERVISOR_event_channel_op(EVTCHNOP_status, XEN_ARG(&st)),
                   0, "status of the other end");
    test_check(st.status == EVTCHNSTAT_unbound, "other end: status %u",
               st.status);
    __atomic_fetch_and(&pend[au.port / 64], ~(1UL << (au.port % 64)),
                       __ATOMIC_SEQ_CST);
    test_expect_rc(xen_evtchn_close(au.port), 0, "close the other end");
}

/* Last: EVTCHNOP_reset closes every port of ours, whatever its kind. */
static void reset_all(void)
{
    struct evtchn_alloc_unbound au = { .dom = DOMID_SELF,
                                       .remote_dom = DOMID_SELF };
    struct evtchn_reset rs = { .dom = DOMID_SELF };
    struct evtchn_status st = { .dom = DOMID_SELF };
    long ipi = xen_evtchn_bind_ipi(on_ipi, NULL);

    test_check(ipi > 0, "bind_ipi: %ld", ipi);
    test_expect_rc(
        HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, XEN_ARG(&au)), 0,
        "alloc_unbound");
    test_expect_rc(HYPERVISOR_event_channel_op(EVTCHNOP_reset, XEN_ARG(&rs)), 0,
                   "reset");
    st.port = (evtchn_port_t)ipi;
    test_expect_rc(HYPERVISOR_event_channel_op(EVTCHNOP_status, XEN_ARG(&st)),
                   0, "status after reset");
    test_check(st.status == EVTCHNSTAT_closed, "IPI port after reset: %u",
               st.status);
    st.port = au.port;
    test_expect_rc(HYPERVISOR_event_channel_op(EVTCHNOP_status, XEN_ARG(&st)),
                   0, "status after reset");
    test_check(st.status == EVTCHNSTAT_closed, "unbound port after reset: %u",
               st.status);
}

void test_main(void)
{
    struct evtchn_status st = { .dom = DOMID_SELF };
    long port, port2;

    port = xen_evtchn_bind_ipi(on_ipi, NULL);
    if ( port <= 0 )
        test_fail("bind_ipi: %ld", port);
    test_info("IPI on port %ld", port);

    st.port = port;
    test_expect_rc(HYPERVISOR_event_channel_op(EVTCHNOP_status, XEN_ARG(&st)),
                   0, "status");
    test_check(st.status == EVTCHNSTAT_ipi && st.vcpu == 0, "status %u vcpu %u",
               st.status, st.vcpu);

    /* Enabled: send delivers an upcall. */
    test_expect_rc(xen_evtchn_send(port), 0, "send");
    test_check(xen_wait_flag(&hits, 1000 * MS), "no upcall for the send");
    test_check(!pending(port), "pending bit left set after the handler");

    /* vCPU masked: the event waits, pending, until events are enabled. */
    hits = 0;
    xen_events_disable();
    test_expect_rc(xen_evtchn_send(port), 0, "send while masked");
    test_check(hits == 0, "upcall while the vCPU was masked");
    test_check(pending(port), "pending bit not set while masked");
    test_check(xen_vcpu_info()->evtchn_upcall_pending,
               "evtchn_upcall_pending not set while masked");
    test_check(xen_wait_flag(&hits, 1000 * MS), "masked event lost");

    /* Port masked: only the pending bit; unmask delivers it. */
    hits = 0;
    set_port_mask(port, true);
    test_expect_rc(xen_evtchn_send(port), 0, "send to a masked port");
    for ( int i = 0; i < 20; i++ )
        HYPERVISOR_sched_op(0, 0); /* yield with events enabled */
    test_check(hits == 0, "upcall for a masked port");
    test_check(pending(port), "masked port not pending");
    test_expect_rc(xen_evtchn_unmask(port), 0, "unmask");
    test_check(xen_wait_flag(&hits, 1000 * MS), "unmask did not deliver");

    /* Sending twice before the handler runs is one event (edge). */
    hits = 0;
    xen_events_disable();
    xen_evtchn_send(port);
    xen_evtchn_send(port);
    xen_wait_flag(&hits, 1000 * MS);
    for ( int i = 0; i < 20; i++ )
        HYPERVISOR_sched_op(0, 0);
    test_check(hits == 1, "two sends gave %d upcalls", hits);

    /* Close: the port is free, send fails, the number is reused. */
    test_expect_rc(xen_evtchn_close(port), 0, "close");
    test_expect_rc(xen_evtchn_send(port), -XEN_EINVAL, "send on closed port");
    test_expect_rc(HYPERVISOR_event_channel_op(EVTCHNOP_status, XEN_ARG(&st)),
                   0, "status of a closed port");
    test_check(st.status == EVTCHNSTAT_closed, "closed port status %u",
               st.status);
    port2 = xen_evtchn_bind_ipi(on_ipi, NULL);
    test_check(port2 == port, "lowest free port: got %ld, want %ld", port2,
               port);
    xen_events_disable();
    loopback();
    reset_all();
    test_pass_if_clean();
}
