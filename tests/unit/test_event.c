/*
 * Unit tests for common/event.c: the event-channel state machine through
 * the hypercall (do_event_channel_op) as a guest calls it, and the internal
 * entries the rest of the hypervisor uses (VIRQ delivery, evtchn_close_all,
 * the vCPU timers).  Every operation and each of its errors, port
 * exhaustion, close with the peer gone, reset, bind_vcpu, and the 2-level
 * delivery sequence (pending, selector, upcall, kick) as Xen does it.
 *
 * The world (tests/unit/shim/evtchn_env.c): a builder (domid 0, BUILD)
 * with an unsealed child 1 and a sealed child 2, an unrelated domain 3 and
 * a device domain 4 (DEVICE).  Teardown checks that every reference
 * event.c took on a domain was given back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <hv/errno.h>
#include <hv/event.h>
#include <hv/hypercall.h>
#include <hv/timer.h>
#include <public/domctl.h>

#include "evtchn_env.h"
#include "guest_shim.h"
#include "shim.h"

#define NR_PORTS EVTCHN_2L_NR
#define NOBODY   77 /* a domid no domain has */

static struct domain *builder, *child, *sealed, *other, *devdom;

static int setup(void **state)
{
    (void)state;
    /* vCPU i runs on CPU i + 1; the hypervisor runs on CPU 0. */
    builder = env_domain_create(0, DOMID_XEN, TESSERA_CAP_BUILD, 2, 2);
    /* Three vCPU slots, the third never created. */
    child = env_domain_create(1, 0, 0, 3, 2);
    sealed = env_domain_create(2, 0, 0, 1, 1);
    sealed->sealed = true;
    other = env_domain_create(3, DOMID_XEN, 0, 2, 2);
    devdom = env_domain_create(4, DOMID_XEN, TESSERA_CAP_DEVICE, 1, 1);
    shim_guest_reset();
    env_records_reset();
    shim_cpu_id = 0;
    shim_current = NULL;
    return 0;
}

/* Fails the test when a domain reference was leaked or dropped twice. */
static int teardown(void **state)
{
    (void)state;
    shim_current = NULL;
    return env_destroy_all() ? 0 : -1;
}

/* ---- the guest's side ------------------------------------------------ */

static long hypercall(struct domain *d, unsigned int cmd, void *arg)
{
    shim_current = d->vcpu[0];
    return do_event_channel_op(cmd, shim_gva(arg), 0, 0, 0);
}

/* Each returns the hypercall's result; *port gets the new port on 0. */
static long alloc_unbound(struct domain *d, domid_t dom, domid_t remote,
                          evtchn_port_t *port)
{
    struct evtchn_alloc_unbound op = { .dom = dom,
                                       .remote_dom = remote,
                                       .port = 0xdead };
    long rc = hypercall(d, EVTCHNOP_alloc_unbound, &op);

    if ( port )
        *port = op.port;
    if ( rc )
        assert_int_equal(op.port, 0xdead); /* nothing written back */
    return rc;
}

static long bind_interdomain(struct domain *d, domid_t remote,
                             evtchn_port_t rport, evtchn_port_t *port)
{
    struct evtchn_bind_interdomain op = { .remote_dom = remote,
                                          .remote_port = rport,
                                          .local_port = 0xdead };
    long rc = hypercall(d, EVTCHNOP_bind_interdomain, &op);

    if ( port )
        *port = op.local_port;
    if ( rc )
        assert_int_equal(op.local_port, 0xdead);
    return rc;
}

static long bind_virq(struct domain *d, uint32_t virq, uint32_t vcpu,
                      evtchn_port_t *port)
{
    struct evtchn_bind_virq op = { .virq = virq, .vcpu = vcpu, .port = 0xdead };
    long rc = hypercall(d, EVTCHNOP_bind_virq, &op);

    if ( port )
        *port = op.port;
    if ( rc )
        assert_int_equal(op.port, 0xdead);
    return rc;
}

static long bind_ipi(struct domain *d, uint32_t vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_ipi op = { .vcpu = vcpu, .port = 0xdead };
    long rc = hypercall(d, EVTCHNOP_bind_ipi, &op);

    if ( port )
        *port = op.port;
    if ( rc )
        assert_int_equal(op.port, 0xdead);
    return rc;
}

static long evclose(struct domain *d, evtchn_port_t port)
{
    struct evtchn_close op = { .port = port };

    return hypercall(d, EVTCHNOP_close, &op);
}

static long send(struct domain *d, evtchn_port_t port)
{
    struct evtchn_send op = { .port = port };

    return hypercall(d, EVTCHNOP_send, &op);
}

static long unmask(struct domain *d, evtchn_port_t port)
{
    struct evtchn_unmask op = { .port = port };

    return hypercall(d, EVTCHNOP_unmask, &op);
}

static long bind_vcpu(struct domain *d, evtchn_port_t port, uint32_t vcpu)
{
    struct evtchn_bind_vcpu op = { .port = port, .vcpu = vcpu };

    return hypercall(d, EVTCHNOP_bind_vcpu, &op);
}

static long reset(struct domain *d, domid_t dom)
{
    struct evtchn_reset op = { .dom = dom };

    return hypercall(d, EVTCHNOP_reset, &op);
}

/* EVTCHNOP_status of d's own port; the OUT fields are pre-filled junk. */
static long status_of(struct domain *d, domid_t dom, evtchn_port_t port,
                      struct evtchn_status *st)
{
    memset(st, 0xa5, sizeof(*st));
    st->dom = dom;
    st->port = port;
    return hypercall(d, EVTCHNOP_status, st);
}

/* The state of d's port (asserting that status succeeds). */
static uint32_t state_of(struct domain *d, evtchn_port_t port)
{
    struct evtchn_status st;

    assert_int_equal(status_of(d, DOMID_SELF, port, &st), 0);
    return st.status;
}

static void expect_unbound(struct domain *d, evtchn_port_t port, domid_t for_,
                           uint32_t vcpu)
{
    struct evtchn_status st;

    assert_int_equal(status_of(d, DOMID_SELF, port, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_unbound);
    assert_int_equal(st.u.unbound.dom, for_);
    assert_int_equal(st.vcpu, vcpu);
}

static void expect_interdomain(struct domain *d, evtchn_port_t port,
                               domid_t rdom, evtchn_port_t rport)
{
    struct evtchn_status st;

    assert_int_equal(status_of(d, DOMID_SELF, port, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_interdomain);
    assert_int_equal(st.u.interdomain.dom, rdom);
    assert_int_equal(st.u.interdomain.port, rport);
}

/* How many of d's ports are not closed. */
static unsigned int open_ports(struct domain *d)
{
    unsigned int p, n = 0;

    for ( p = 0; p < d->nr_evtchns; p++ )
        n += d->evtchn[p].state != EVTCHNSTAT_closed;
    return n;
}

static bool pending(const struct domain *d, evtchn_port_t p)
{
    return (d->shared_info->evtchn_pending[p / 64] >> (p % 64)) & 1;
}

static void set_mask(struct domain *d, evtchn_port_t p)
{
    d->shared_info->evtchn_mask[p / 64] |= 1UL << (p % 64);
}

static bool masked(const struct domain *d, evtchn_port_t p)
{
    return (d->shared_info->evtchn_mask[p / 64] >> (p % 64)) & 1;
}

static xen_ulong_t sel(const struct vcpu *v)
{
    return v->vcpu_info->evtchn_pending_sel;
}

static uint8_t upcall(const struct vcpu *v)
{
    return v->vcpu_info->evtchn_upcall_pending;
}

/* The guest handled everything: no bit of d is pending any more. */
static void guest_consume(struct domain *d)
{
    unsigned int i;

    memset(d->shared_info->evtchn_pending, 0,
           sizeof(d->shared_info->evtchn_pending));
    for ( i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
        {
            d->vcpu[i]->vcpu_info->evtchn_pending_sel = 0;
            d->vcpu[i]->vcpu_info->evtchn_upcall_pending = 0;
        }
}

/* No port of d is pending. */
static void expect_no_pending(const struct domain *d)
{
    unsigned int i;

    for ( i = 0; i < 64; i++ )
        assert_int_equal(d->shared_info->evtchn_pending[i], 0);
}

/* Nothing at all is pending in d: no port, no selector, no upcall. */
static void expect_quiet(const struct domain *d)
{
    unsigned int i;

    expect_no_pending(d);
    for ( i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
        {
            assert_int_equal(sel(d->vcpu[i]), 0);
            assert_int_equal(upcall(d->vcpu[i]), 0);
        }
}

/*
 * A connected pair: a port of a that b bound (*pa, *pb).  b's new port is
 * pending after the bind (as Xen); consumed here.
 */
static void connect(struct domain *a, struct domain *b, evtchn_port_t *pa,
                    evtchn_port_t *pb)
{
    assert_int_equal(alloc_unbound(a, DOMID_SELF, b->domain_id, pa), 0);
    assert_int_equal(bind_interdomain(b, a->domain_id, *pa, pb), 0);
    guest_consume(a);
    guest_consume(b);
    env_records_reset();
}

/* ---- alloc_unbound --------------------------------------------------- */

static void test_alloc_unbound_own_ports_lowest_first(void **state)
{
    evtchn_port_t p1, p2, p3;

    (void)state;
    assert_int_equal(alloc_unbound(other, DOMID_SELF, 1, &p1), 0);
    assert_int_equal(p1, 1); /* port 0 is never handed out */
    /* Its own id works as DOMID_SELF does. */
    assert_int_equal(alloc_unbound(other, 3, 0, &p2), 0);
    assert_int_equal(p2, 2);
    /* remote DOMID_SELF: the port waits for the caller itself. */
    assert_int_equal(alloc_unbound(other, DOMID_SELF, DOMID_SELF, &p3), 0);
    assert_int_equal(p3, 3);
    expect_unbound(other, p1, 1, 0);
    expect_unbound(other, p2, 0, 0);
    expect_unbound(other, p3, 3, 0);
    assert_int_equal(state_of(other, 0), EVTCHNSTAT_closed);
    assert_int_equal(open_ports(other), 3);
    /* Allocating marks nothing and touches no other domain. */
    expect_quiet(other);
    assert_int_equal(open_ports(child), 0);
    assert_int_equal(open_ports(builder), 0);
}

static void
test_alloc_unbound_foreign_needs_build_over_unsealed_child(void **state)
{
    evtchn_port_t p;

    (void)state;
    /* No capability: not in another domain, whoever it is. */
    assert_int_equal(alloc_unbound(other, 1, 3, &p), -EPERM);
    assert_int_equal(alloc_unbound(child, 0, 1, &p), -EPERM);
    assert_int_equal(alloc_unbound(child, 2, 1, &p), -EPERM);
    /* BUILD, but not a child of the caller / a sealed child. */
    assert_int_equal(alloc_unbound(builder, 3, 0, &p), -EPERM);
    assert_int_equal(alloc_unbound(builder, 2, 0, &p), -EPERM);
    assert_int_equal(open_ports(child) + open_ports(sealed) +
                         open_ports(other) + open_ports(builder),
                     0);
    /* The builder in its unsealed child: a port of the child. */
    assert_int_equal(alloc_unbound(builder, 1, 3, &p), 0);
    assert_int_equal(p, 1);
    expect_unbound(child, p, 3, 0);
    assert_int_equal(open_ports(builder), 0);
    /* remote DOMID_SELF there names the caller (the builder). */
    assert_int_equal(alloc_unbound(builder, 1, DOMID_SELF, &p), 0);
    expect_unbound(child, p, 0, 0);
}

static void test_alloc_unbound_unknown_domain_is_esrch(void **state)
{
    evtchn_port_t p;

    (void)state;
    assert_int_equal(alloc_unbound(other, NOBODY, 3, &p), -ESRCH);
    assert_int_equal(alloc_unbound(builder, NOBODY, 0, &p), -ESRCH);
    assert_int_equal(alloc_unbound(other, DOMID_SELF, NOBODY, &p), -ESRCH);
    env_domain_gone(child);
    assert_int_equal(alloc_unbound(builder, 1, 0, &p), -ESRCH);
    assert_int_equal(alloc_unbound(other, DOMID_SELF, 1, &p), -ESRCH);
    assert_int_equal(
        open_ports(other) + open_ports(builder) + open_ports(child), 0);
}

static void test_alloc_unbound_copy_fault(void **state)
{
    struct evtchn_alloc_unbound *bad = (void *)(uintptr_t)0x10; /* null page */

    (void)state;
    assert_int_equal(hypercall(other, EVTCHNOP_alloc_unbound, bad), -EFAULT);
    assert_int_equal(open_ports(other), 0);
}

/* ---- bind_interdomain ------------------------------------------------ */

static void test_bind_interdomain_connects_and_marks_local_port(void **state)
{
    evtchn_port_t rp, lp;

    (void)state;
    assert_int_equal(alloc_unbound(child, DOMID_SELF, 3, &rp), 0);
    /* Something the child sent while unbound is dropped... */
    assert_int_equal(send(child, rp), 0);
    expect_quiet(child);
    assert_int_equal(bind_interdomain(other, 1, rp, &lp), 0);
    assert_int_equal(lp, 1);
    expect_interdomain(child, rp, 3, lp);
    expect_interdomain(other, lp, 1, rp);
    /* ...so the new local port is marked pending at once, as in Xen. */
    assert_true(pending(other, lp));
    assert_true(sel(other->vcpu[0]) & 1);
    assert_int_equal(upcall(other->vcpu[0]), 1);
    assert_int_equal(sel(other->vcpu[1]), 0);
    /* vCPU 0 of other runs on CPU 1: interrupted, not woken. */
    assert_int_equal(env_nr_kicked, 1);
    assert_int_equal(env_kicked[0], other->vcpu[0]->processor);
    assert_int_equal(env_nr_woken, 0);
    /* The end that was unbound is not touched. */
    expect_quiet(child);
}

static void
test_bind_interdomain_remote_must_be_unbound_for_caller(void **state)
{
    evtchn_port_t for_child, ipi, lp, rp, lp2;

    (void)state;
    assert_int_equal(alloc_unbound(other, DOMID_SELF, 1, &for_child), 0);
    assert_int_equal(bind_ipi(other, 0, &ipi), 0);
    /* Waiting for someone else. */
    assert_int_equal(bind_interdomain(builder, 3, for_child, &lp), -EINVAL);
    /* Closed, reserved, out of range, not unbound. */
    assert_int_equal(bind_interdomain(child, 3, 100, &lp), -EINVAL);
    assert_int_equal(bind_interdomain(child, 3, 0, &lp), -EINVAL);
    assert_int_equal(bind_interdomain(child, 3, NR_PORTS, &lp), -EINVAL);
    assert_int_equal(bind_interdomain(child, 3, 0xffffffffU, &lp), -EINVAL);
    assert_int_equal(bind_interdomain(child, 3, ipi, &lp), -EINVAL);
    /* No such remote domain. */
    assert_int_equal(bind_interdomain(child, NOBODY, for_child, &lp), -ESRCH);
    /* Nothing happened to either side. */
    assert_int_equal(open_ports(child) + open_ports(builder), 0);
    expect_unbound(other, for_child, 1, 0);
    expect_quiet(child);
    expect_quiet(builder);
    /* The right caller binds; a second bind finds it no longer unbound. */
    assert_int_equal(bind_interdomain(child, 3, for_child, &lp), 0);
    assert_int_equal(bind_interdomain(child, 3, for_child, &lp2), -EINVAL);
    assert_int_equal(open_ports(child), 1);
    /* A domain that has gone cannot be bound to. */
    assert_int_equal(alloc_unbound(other, DOMID_SELF, 1, &rp), 0);
    env_domain_gone(other);
    assert_int_equal(bind_interdomain(child, 3, rp, &lp2), -ESRCH);
    assert_int_equal(open_ports(child), 1);
}

static void test_bind_interdomain_loopback(void **state)
{
    evtchn_port_t a, b;

    (void)state;
    assert_int_equal(alloc_unbound(other, DOMID_SELF, DOMID_SELF, &a), 0);
    assert_int_equal(bind_interdomain(other, DOMID_SELF, a, &b), 0);
    expect_interdomain(other, a, 3, b);
    expect_interdomain(other, b, 3, a);
    assert_true(pending(other, b));
    assert_false(pending(other, a));
    guest_consume(other);
    assert_int_equal(send(other, a), 0);
    assert_true(pending(other, b));
    assert_false(pending(other, a));
    guest_consume(other);
    assert_int_equal(send(other, b), 0);
    assert_true(pending(other, a));
    assert_false(pending(other, b));
    /* Closing one end returns the other to unbound, waiting for us. */
    assert_int_equal(evclose(other, a), 0);
    expect_unbound(other, b, 3, 0);
    assert_int_equal(state_of(other, a), EVTCHNSTAT_closed);
}

/* ---- bind_virq ------------------------------------------------------- */

static void test_bind_virq_per_vcpu_and_global(void **state)
{
    evtchn_port_t t1, t0, dbg, exc, con, p;
    struct evtchn_status st;

    (void)state;
    assert_int_equal(bind_virq(other, VIRQ_TIMER, 1, &t1), 0);
    assert_int_equal(status_of(other, DOMID_SELF, t1, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_virq);
    assert_int_equal(st.vcpu, 1);
    assert_int_equal(st.u.virq, VIRQ_TIMER);
    /* Per-vCPU VIRQs: one binding per vCPU. */
    assert_int_equal(bind_virq(other, VIRQ_TIMER, 1, &p), -EEXIST);
    assert_int_equal(bind_virq(other, VIRQ_TIMER, 0, &t0), 0);
    assert_int_equal(bind_virq(other, VIRQ_DEBUG, 1, &dbg), 0);
    assert_int_equal(other->vcpu[1]->virq_to_port[VIRQ_TIMER], t1);
    assert_int_equal(other->vcpu[0]->virq_to_port[VIRQ_TIMER], t0);
    /* Global VIRQs only on vCPU 0, once; any domain may bind them. */
    assert_int_equal(bind_virq(other, VIRQ_DOM_EXC, 1, &p), -EINVAL);
    assert_int_equal(bind_virq(other, VIRQ_DOM_EXC, 0, &exc), 0);
    assert_int_equal(bind_virq(other, VIRQ_DOM_EXC, 0, &p), -EEXIST);
    assert_int_equal(bind_virq(other, VIRQ_CONSOLE, 0, &con), 0);
    assert_int_equal(bind_virq(other, VIRQ_ARCH_7, 1, &p), -EINVAL);
    /* Out of range. */
    assert_int_equal(bind_virq(other, NR_VIRQS, 0, &p), -EINVAL);
    assert_int_equal(bind_virq(other, 0xffffffffU, 0, &p), -EINVAL);
    /* vCPUs that do not exist. */
    assert_int_equal(bind_virq(other, VIRQ_TIMER, 2, &p), -ENOENT);
    assert_int_equal(bind_virq(other, VIRQ_TIMER, 0xffffffffU, &p), -ENOENT);
    assert_int_equal(bind_virq(child, VIRQ_TIMER, 2, &p), -ENOENT); /* slot */
    /* A global VIRQ on a bad vCPU is the vCPU-0 rule first. */
    assert_int_equal(bind_virq(other, VIRQ_ENOMEM, 5, &p), -EINVAL);
    assert_int_equal(open_ports(other), 5);
    assert_int_equal(open_ports(child), 0);
    /* Binding marks nothing. */
    expect_quiet(other);
}

static void test_virq_delivery_follows_binding_and_policy(void **state)
{
    evtchn_port_t t1, exc_b, exc_o;

    (void)state;
    /* Nothing bound: nothing raised. */
    send_guest_vcpu_virq(other->vcpu[1], VIRQ_TIMER);
    expect_quiet(other);
    assert_int_equal(bind_virq(other, VIRQ_TIMER, 1, &t1), 0);
    other->vcpu[1]->state = VCPU_BLOCKED;
    send_guest_vcpu_virq(other->vcpu[1], VIRQ_TIMER);
    assert_true(pending(other, t1));
    assert_int_equal(sel(other->vcpu[1]), 1UL << (t1 / 64));
    assert_int_equal(upcall(other->vcpu[1]), 1);
    assert_int_equal(sel(other->vcpu[0]), 0);
    assert_int_equal(upcall(other->vcpu[0]), 0);
    assert_int_equal(env_wake_count(other->vcpu[1]), 1);
    assert_int_equal(other->vcpu[1]->state, VCPU_RUNNABLE);
    /* VIRQ_DOM_EXC reaches a builder, not a domain without the right. */
    assert_int_equal(bind_virq(builder, VIRQ_DOM_EXC, 0, &exc_b), 0);
    assert_int_equal(bind_virq(other, VIRQ_DOM_EXC, 0, &exc_o), 0);
    guest_consume(other);
    send_guest_global_virq(builder, VIRQ_DOM_EXC);
    send_guest_global_virq(other, VIRQ_DOM_EXC);
    assert_true(pending(builder, exc_b));
    assert_int_equal(upcall(builder->vcpu[0]), 1);
    expect_quiet(other);
}

/* ---- bind_ipi -------------------------------------------------------- */

static void test_bind_ipi_and_send_to_own_vcpu(void **state)
{
    evtchn_port_t ipi, p;
    struct evtchn_status st;

    (void)state;
    assert_int_equal(bind_ipi(other, 1, &ipi), 0);
    assert_int_equal(status_of(other, DOMID_SELF, ipi, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_ipi);
    assert_int_equal(st.vcpu, 1);
    expect_quiet(other);
    assert_int_equal(send(other, ipi), 0);
    assert_true(pending(other, ipi));
    assert_int_equal(sel(other->vcpu[1]), 1UL << (ipi / 64));
    assert_int_equal(upcall(other->vcpu[1]), 1);
    assert_int_equal(sel(other->vcpu[0]), 0);
    /* vCPU 1 runs on CPU 2, we on CPU 0: an IPI makes it look. */
    assert_int_equal(env_nr_kicked, 1);
    assert_int_equal(env_kicked[0], 2);
    /* Bad vCPUs. */
    assert_int_equal(bind_ipi(other, 2, &p), -ENOENT);
    assert_int_equal(bind_ipi(other, 0xffffffffU, &p), -ENOENT);
    assert_int_equal(bind_ipi(child, 2, &p), -ENOENT); /* empty slot */
    assert_int_equal(open_ports(other), 1);
    assert_int_equal(open_ports(child), 0);
}

/* ---- bind_pirq ------------------------------------------------------- */

static void test_bind_pirq_refused_no_pirqs_exist(void **state)
{
    struct evtchn_bind_pirq op = { .pirq = 5, .port = 0xdead };

    (void)state;
    /* Without the device capability: not allowed at all. */
    assert_int_equal(hypercall(other, EVTCHNOP_bind_pirq, &op), -EPERM);
    /* With it: allowed, but there is no PIRQ to bind yet. */
    assert_int_equal(hypercall(devdom, EVTCHNOP_bind_pirq, &op), -ENOSYS);
    assert_int_equal(op.port, 0xdead);
    assert_int_equal(shim_guest_writes, 0);
    assert_int_equal(open_ports(other) + open_ports(devdom), 0);
}

/* ---- close ----------------------------------------------------------- */

static void test_close_each_kind_frees_the_port(void **state)
{
    evtchn_port_t unb, ipi, virq, exc, p;

    (void)state;
    assert_int_equal(alloc_unbound(other, DOMID_SELF, 1, &unb), 0);
    assert_int_equal(bind_ipi(other, 1, &ipi), 0);
    assert_int_equal(bind_virq(other, VIRQ_TIMER, 1, &virq), 0);
    assert_int_equal(bind_virq(other, VIRQ_DOM_EXC, 0, &exc), 0);
    assert_int_equal(evclose(other, unb), 0);
    assert_int_equal(evclose(other, ipi), 0);
    assert_int_equal(evclose(other, virq), 0);
    assert_int_equal(evclose(other, exc), 0);
    assert_int_equal(open_ports(other), 0);
    /* The VIRQs are unbound: raising them marks nothing... */
    assert_int_equal(other->vcpu[1]->virq_to_port[VIRQ_TIMER], 0);
    assert_int_equal(other->vcpu[0]->virq_to_port[VIRQ_DOM_EXC], 0);
    send_guest_vcpu_virq(other->vcpu[1], VIRQ_TIMER);
    expect_quiet(other);
    /* ...and they can be bound again; the lowest port comes back. */
    assert_int_equal(bind_virq(other, VIRQ_TIMER, 1, &p), 0);
    assert_int_equal(p, 1);
    assert_int_equal(bind_virq(other, VIRQ_DOM_EXC, 0, &p), 0);
    assert_int_equal(p, 2);
    /* A status of a freed port: closed, delivered to vCPU 0 again. */
    assert_int_equal(evclose(other, 1), 0);
    assert_int_equal(state_of(other, 1), EVTCHNSTAT_closed);
    assert_int_equal(other->evtchn[1].notify_vcpu, 0);
}

static void test_close_refuses_closed_reserved_and_out_of_range(void **state)
{
    evtchn_port_t p;

    (void)state;
    assert_int_equal(evclose(other, 0), -EINVAL);
    assert_int_equal(evclose(other, 1), -EINVAL);
    assert_int_equal(evclose(other, NR_PORTS - 1), -EINVAL);
    assert_int_equal(evclose(other, NR_PORTS), -EINVAL);
    assert_int_equal(evclose(other, 0xffffffffU), -EINVAL);
    assert_int_equal(bind_ipi(other, 0, &p), 0);
    assert_int_equal(evclose(other, p), 0);
    assert_int_equal(evclose(other, p), -EINVAL); /* twice */
    /* Ports are per domain: another domain's port is not ours. */
    assert_int_equal(bind_ipi(child, 0, &p), 0);
    assert_int_equal(evclose(other, p), -EINVAL);
    assert_int_equal(state_of(child, p), EVTCHNSTAT_ipi);
}

static void test_close_clears_pending_so_a_rebound_port_is_clean(void **state)
{
    evtchn_port_t ipi, p;

    (void)state;
    assert_int_equal(bind_ipi(other, 0, &ipi), 0);
    assert_int_equal(send(other, ipi), 0);
    assert_true(pending(other, ipi));
    set_mask(other, ipi);
    /* Freeing clears the pending bit (as Xen), not the mask. */
    assert_int_equal(evclose(other, ipi), 0);
    assert_false(pending(other, ipi));
    assert_true(masked(other, ipi));
    /* The next owner of the number starts with nothing pending. */
    assert_int_equal(alloc_unbound(other, DOMID_SELF, 1, &p), 0);
    assert_int_equal(p, ipi);
    assert_false(pending(other, p));
}

static void test_close_interdomain_peer_returns_to_unbound(void **state)
{
    evtchn_port_t cp, op, op2, cp2;

    (void)state;
    connect(child, other, &cp, &op);
    /* other closes: the child's end waits for other again, as in Xen. */
    assert_int_equal(evclose(other, op), 0);
    assert_int_equal(state_of(other, op), EVTCHNSTAT_closed);
    expect_unbound(child, cp, 3, 0);
    /* Not notified. */
    expect_quiet(child);
    /* Sending on it is dropped now, and other can bind to it again. */
    assert_int_equal(send(child, cp), 0);
    expect_quiet(other);
    assert_int_equal(bind_interdomain(other, 1, cp, &op2), 0);
    expect_interdomain(child, cp, 3, op2);
    /* The child closes its end (the allocator's): other's end waits. */
    assert_int_equal(evclose(child, cp), 0);
    expect_unbound(other, op2, 1, 0);
    assert_int_equal(bind_interdomain(child, 3, op2, &cp2), 0);
    expect_interdomain(other, op2, 1, cp2);
    assert_int_equal(open_ports(child), 1);
    assert_int_equal(open_ports(other), 1);
}

static void test_close_with_remote_domain_gone(void **state)
{
    evtchn_port_t cp1, op1, cp2, op2, ipi, again, bp;

    (void)state;
    connect(child, other, &cp1, &op1);
    connect(child, other, &cp2, &op2);
    env_domain_gone(other); /* dying: domain_get() no longer finds it */
    assert_int_equal(evclose(child, cp1), 0);
    assert_int_equal(evclose(child, cp2), 0);
    assert_int_equal(state_of(child, cp1), EVTCHNSTAT_closed);
    assert_int_equal(open_ports(child), 0);
    /* The numbers are reused: an IPI, and a channel to the builder... */
    assert_int_equal(bind_ipi(child, 1, &ipi), 0);
    assert_int_equal(ipi, cp1);
    assert_int_equal(alloc_unbound(child, DOMID_SELF, 0, &again), 0);
    assert_int_equal(again, cp2);
    assert_int_equal(bind_interdomain(builder, 1, again, &bp), 0);
    /* ...which the dying domain's own close must not take for its peer. */
    evtchn_close_all(other);
    assert_int_equal(open_ports(other), 0);
    assert_int_equal(state_of(child, ipi), EVTCHNSTAT_ipi);
    assert_int_equal(child->evtchn[ipi].notify_vcpu, 1);
    expect_interdomain(child, again, 0, bp);
    expect_interdomain(builder, bp, 1, again);
}

/* ---- send ------------------------------------------------------------ */

static void test_send_errors_and_dropped_sends(void **state)
{
    evtchn_port_t unb, virq, ipi;

    (void)state;
    assert_int_equal(send(other, 0), -EINVAL);
    assert_int_equal(send(other, 5), -EINVAL); /* closed */
    assert_int_equal(send(other, NR_PORTS), -EINVAL);
    assert_int_equal(send(other, 0xffffffffU), -EINVAL);
    assert_int_equal(bind_virq(other, VIRQ_TIMER, 0, &virq), 0);
    assert_int_equal(send(other, virq), -EINVAL);
    /* A port number bound in another domain is closed in ours. */
    assert_int_equal(bind_ipi(child, 0, &ipi), 0);
    assert_int_equal(ipi, 1);
    assert_int_equal(evclose(other, virq), 0);
    assert_int_equal(send(other, ipi), -EINVAL);
    expect_quiet(child);
    /* Unbound: accepted and dropped. */
    assert_int_equal(alloc_unbound(other, DOMID_SELF, 1, &unb), 0);
    assert_int_equal(send(other, unb), 0);
    expect_quiet(other);
    expect_quiet(child);
    assert_int_equal(env_nr_woken + env_nr_kicked, 0);
}

static void test_send_interdomain_marks_peer_and_wakes_its_vcpu(void **state)
{
    evtchn_port_t cp, op;
    struct vcpu *v1 = child->vcpu[1];

    (void)state;
    /* Port 70: word 1 of the pending array, selector bit 1. */
    while ( 1 )
    {
        evtchn_port_t p;

        assert_int_equal(bind_ipi(child, 0, &p), 0);
        if ( p == 69 )
            break;
    }
    connect(child, other, &cp, &op);
    assert_int_equal(cp, 70);
    assert_int_equal(bind_vcpu(child, cp, 1), 0);
    v1->state = VCPU_BLOCKED;
    assert_int_equal(send(other, op), 0);
    assert_true(pending(child, cp));
    assert_int_equal(sel(v1), 1UL << 1);
    assert_int_equal(upcall(v1), 1);
    assert_int_equal(sel(child->vcpu[0]), 0);
    assert_int_equal(upcall(child->vcpu[0]), 0);
    assert_int_equal(env_nr_woken, 1);
    assert_ptr_equal(env_woken[0], v1);
    assert_int_equal(env_nr_kicked, 0);
    /* The sender's own end is not marked. */
    expect_quiet(other);
    /* A second send before the guest looked: one event, no new kick. */
    v1->state = VCPU_BLOCKED;
    assert_int_equal(send(other, op), 0);
    assert_int_equal(env_nr_woken, 1);
    /* Consumed, then sent while running elsewhere: an IPI to its CPU. */
    guest_consume(child);
    v1->state = VCPU_RUNNING;
    assert_int_equal(send(other, op), 0);
    assert_int_equal(upcall(v1), 1);
    assert_int_equal(env_nr_kicked, 1);
    assert_int_equal(env_kicked[0], v1->processor);
    /* Running on this very CPU: nothing to kick (it looks on return). */
    guest_consume(child);
    shim_cpu_id = v1->processor;
    assert_int_equal(send(other, op), 0);
    assert_int_equal(upcall(v1), 1);
    assert_int_equal(env_nr_kicked, 1);
    assert_int_equal(env_nr_woken, 1);
    /* Selector already set by another port of the word: no new upcall. */
    guest_consume(child);
    v1->vcpu_info->evtchn_pending_sel = 1UL << 1;
    v1->state = VCPU_BLOCKED;
    assert_int_equal(send(other, op), 0);
    assert_true(pending(child, cp));
    assert_int_equal(upcall(v1), 0);
    assert_int_equal(env_nr_woken, 1);
}

static void test_send_masked_port_sets_only_pending(void **state)
{
    evtchn_port_t cp, op;
    struct vcpu *v0 = child->vcpu[0];

    (void)state;
    connect(child, other, &cp, &op);
    set_mask(child, cp);
    v0->state = VCPU_BLOCKED;
    assert_int_equal(send(other, op), 0);
    assert_true(pending(child, cp));
    assert_int_equal(sel(v0), 0);
    assert_int_equal(upcall(v0), 0);
    assert_int_equal(env_nr_woken + env_nr_kicked, 0);
    assert_int_equal(v0->state, VCPU_BLOCKED);
    /* A vCPU in SCHEDOP_poll is woken by the pending bit, masked or not. */
    guest_consume(child);
    assert_int_equal(evtchn_poll_begin(v0, &cp, 1), 0);
    assert_int_equal(send(other, op), 0);
    assert_int_equal(env_wake_count(v0), 1);
    assert_int_equal(upcall(v0), 0);
    assert_true(evtchn_any_pending(child, &cp, 1));
    evtchn_poll_end(v0);
    assert_false(v0->polling);
}

/*
 * SCHEDOP_poll: a send wakes every vCPU polling that port, whichever vCPU
 * the port notifies, and no vCPU polling other ports; a port beyond the
 * domain's is -EINVAL; an ended poll wakes nobody.
 */
static void test_poll_wakes_each_poller_of_the_port(void **state)
{
    evtchn_port_t cp, op, ports[2];
    struct vcpu *v0 = child->vcpu[0], *v1 = child->vcpu[1];

    (void)state;
    connect(child, other, &cp, &op); /* notifies vCPU 0 */
    set_mask(child, cp);
    ports[0] = cp + 1; /* v0 polls another port */
    assert_int_equal(evtchn_poll_begin(v0, ports, 1), 0);
    ports[0] = 7;
    ports[1] = cp; /* v1 polls two, one of them ours */
    assert_int_equal(evtchn_poll_begin(v1, ports, 2), 0);
    v0->state = VCPU_BLOCKED;
    v1->state = VCPU_BLOCKED;
    assert_int_equal(send(other, op), 0);
    assert_int_equal(env_wake_count(v1), 1);
    assert_int_equal(env_wake_count(v0), 0);
    assert_int_equal(v0->state, VCPU_BLOCKED);
    /* Ended polls: a new event wakes nobody (the port is masked). */
    evtchn_poll_end(v0);
    evtchn_poll_end(v1);
    guest_consume(child);
    v1->state = VCPU_BLOCKED;
    assert_int_equal(send(other, op), 0);
    assert_int_equal(env_wake_count(v1), 1);
    assert_int_equal(env_wake_count(v0), 0);
    /* Beyond the domain's ports: refused, and nothing is left polling. */
    ports[0] = child->nr_evtchns;
    assert_int_equal(evtchn_poll_begin(v1, ports, 1), -EINVAL);
    assert_false(v1->polling);
    ports[0] = 0xffffffffU;
    assert_int_equal(evtchn_poll_begin(v0, ports, 1), -EINVAL);
    v0->state = VCPU_RUNNING;
    v1->state = VCPU_RUNNING;
}

/* ---- unmask ---------------------------------------------------------- */

static void test_unmask_redelivers_a_pending_port(void **state)
{
    evtchn_port_t cp, op, idle;
    struct vcpu *v1 = child->vcpu[1];

    (void)state;
    connect(child, other, &cp, &op);
    assert_int_equal(bind_vcpu(child, cp, 1), 0);
    set_mask(child, cp);
    assert_int_equal(send(other, op), 0);
    assert_int_equal(upcall(v1), 0);
    v1->state = VCPU_BLOCKED;
    assert_int_equal(unmask(child, cp), 0);
    assert_false(masked(child, cp));
    assert_true(pending(child, cp));
    assert_int_equal(sel(v1), 1UL << (cp / 64));
    assert_int_equal(upcall(v1), 1);
    assert_int_equal(upcall(child->vcpu[0]), 0);
    assert_int_equal(env_wake_count(v1), 1);
    /*
     * Unmasking a pending port that was not masked raises nothing (as
     * Xen: its upcall was raised when it became pending).
     */
    guest_consume(child);
    assert_int_equal(send(other, op), 0);
    assert_int_equal(upcall(v1), 1);
    v1->vcpu_info->evtchn_pending_sel = 0; /* the guest took the upcall */
    v1->vcpu_info->evtchn_upcall_pending = 0;
    assert_int_equal(env_wake_count(v1), 1); /* not blocked any more */
    assert_int_equal(unmask(child, cp), 0);
    assert_true(pending(child, cp));
    assert_int_equal(sel(v1), 0);
    assert_int_equal(upcall(v1), 0);
    guest_consume(child);
    /* Unmasking a port with nothing pending raises nothing. */
    assert_int_equal(alloc_unbound(child, DOMID_SELF, 3, &idle), 0);
    set_mask(child, idle);
    guest_consume(child);
    assert_int_equal(unmask(child, idle), 0);
    assert_false(masked(child, idle));
    expect_quiet(child);
    assert_int_equal(env_wake_count(v1), 1);
    /* Out of range. */
    assert_int_equal(unmask(child, NR_PORTS), -EINVAL);
    assert_int_equal(unmask(child, 0xffffffffU), -EINVAL);
}

/* ---- status ---------------------------------------------------------- */

static void test_status_reports_every_state(void **state)
{
    evtchn_port_t unb, cp, op, virq, ipi;
    struct evtchn_status st;

    (void)state;
    assert_int_equal(alloc_unbound(other, DOMID_SELF, 1, &unb), 0);
    connect(child, other, &cp, &op);
    assert_int_equal(bind_virq(other, VIRQ_DEBUG, 1, &virq), 0);
    assert_int_equal(bind_ipi(other, 1, &ipi), 0);

    /* Port 0, reserved, and a free port: closed, vCPU 0, u zeroed. */
    assert_int_equal(status_of(other, DOMID_SELF, 0, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_closed);
    assert_int_equal(st.vcpu, 0);
    assert_int_equal(st.u.interdomain.port, 0);
    assert_int_equal(status_of(other, 3, 100, &st), 0); /* own id */
    assert_int_equal(st.status, EVTCHNSTAT_closed);
    assert_int_equal(st.u.interdomain.dom, 0);

    assert_int_equal(status_of(other, DOMID_SELF, unb, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_unbound);
    assert_int_equal(st.u.unbound.dom, 1);
    assert_int_equal(st.u.interdomain.port, 0);

    assert_int_equal(status_of(other, DOMID_SELF, op, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_interdomain);
    assert_int_equal(st.u.interdomain.dom, 1);
    assert_int_equal(st.u.interdomain.port, cp);
    assert_int_equal(st.vcpu, 0);

    assert_int_equal(status_of(other, DOMID_SELF, virq, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_virq);
    assert_int_equal(st.u.virq, VIRQ_DEBUG);
    assert_int_equal(st.vcpu, 1);

    assert_int_equal(status_of(other, DOMID_SELF, ipi, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_ipi);
    assert_int_equal(st.vcpu, 1);
    assert_int_equal(st.u.virq, 0);

    /* Errors: bad port; another domain's table; no such domain. */
    assert_int_equal(status_of(other, DOMID_SELF, NR_PORTS, &st), -EINVAL);
    assert_int_equal(status_of(other, 1, cp, &st), -EPERM);
    assert_int_equal(status_of(other, NOBODY, 1, &st), -ESRCH);
    /* A failed status writes nothing back. */
    assert_int_equal(st.status, 0xa5a5a5a5U);
}

/* ---- bind_vcpu ------------------------------------------------------- */

static void
test_bind_vcpu_moves_delivery_of_interdomain_and_unbound(void **state)
{
    evtchn_port_t cp, op, unb, lp;

    (void)state;
    connect(child, other, &cp, &op);
    assert_int_equal(bind_vcpu(child, cp, 1), 0);
    assert_int_equal(send(other, op), 0);
    assert_int_equal(upcall(child->vcpu[1]), 1);
    assert_int_equal(upcall(child->vcpu[0]), 0);
    /* Pending bits stay where they are; back to vCPU 0 for the next. */
    assert_int_equal(bind_vcpu(child, cp, 0), 0);
    assert_int_equal(sel(child->vcpu[1]), 1UL << (cp / 64));
    assert_int_equal(sel(child->vcpu[0]), 0);
    guest_consume(child);
    assert_int_equal(send(other, op), 0);
    assert_int_equal(upcall(child->vcpu[0]), 1);
    assert_int_equal(upcall(child->vcpu[1]), 0);
    /* An unbound port keeps its vCPU once the peer binds. */
    assert_int_equal(alloc_unbound(child, DOMID_SELF, 3, &unb), 0);
    assert_int_equal(bind_vcpu(child, unb, 1), 0);
    expect_unbound(child, unb, 3, 1);
    assert_int_equal(bind_interdomain(other, 1, unb, &lp), 0);
    assert_int_equal(child->evtchn[unb].notify_vcpu, 1);
    guest_consume(child);
    assert_int_equal(send(other, lp), 0);
    assert_int_equal(upcall(child->vcpu[1]), 1);
    assert_int_equal(upcall(child->vcpu[0]), 0);
}

static void test_bind_vcpu_refusals(void **state)
{
    evtchn_port_t cp, op, timer, ipi;

    (void)state;
    connect(child, other, &cp, &op);
    assert_int_equal(bind_virq(child, VIRQ_TIMER, 0, &timer), 0);
    assert_int_equal(bind_ipi(child, 0, &ipi), 0);
    /* Per-vCPU VIRQs, IPIs and closed ports stay where they are (Xen). */
    assert_int_equal(bind_vcpu(child, timer, 1), -EINVAL);
    assert_int_equal(bind_vcpu(child, ipi, 1), -EINVAL);
    assert_int_equal(bind_vcpu(child, 100, 1), -EINVAL);
    assert_int_equal(bind_vcpu(child, 0, 1), -EINVAL);
    assert_int_equal(bind_vcpu(child, NR_PORTS, 1), -EINVAL);
    /* vCPUs that do not exist (the third slot is empty). */
    assert_int_equal(bind_vcpu(child, cp, 2), -ENOENT);
    assert_int_equal(bind_vcpu(child, cp, 3), -ENOENT);
    assert_int_equal(bind_vcpu(child, cp, 0xffffffffU), -ENOENT);
    /* As Xen: a bad vCPU is reported before a bad port. */
    assert_int_equal(bind_vcpu(child, NR_PORTS, 7), -ENOENT);
    assert_int_equal(child->evtchn[cp].notify_vcpu, 0);
    assert_int_equal(child->evtchn[timer].notify_vcpu, 0);
    assert_int_equal(child->evtchn[ipi].notify_vcpu, 0);
    assert_int_equal(child->vcpu[0]->virq_to_port[VIRQ_TIMER], timer);
}

static void test_bind_vcpu_global_virq_delivered_on_new_vcpu(void **state)
{
    evtchn_port_t exc, p;
    struct evtchn_status st;

    (void)state;
    assert_int_equal(bind_virq(builder, VIRQ_DOM_EXC, 0, &exc), 0);
    assert_int_equal(bind_vcpu(builder, exc, 1), 0);
    assert_int_equal(status_of(builder, DOMID_SELF, exc, &st), 0);
    assert_int_equal(st.vcpu, 1);
    /* Still raised through vCPU 0's binding, delivered on vCPU 1. */
    send_guest_global_virq(builder, VIRQ_DOM_EXC);
    assert_true(pending(builder, exc));
    assert_int_equal(upcall(builder->vcpu[1]), 1);
    assert_int_equal(upcall(builder->vcpu[0]), 0);
    /* Still bound once: no second port for the same VIRQ. */
    assert_int_equal(bind_virq(builder, VIRQ_DOM_EXC, 0, &p), -EEXIST);
    /* Closing it unbinds the VIRQ. */
    assert_int_equal(evclose(builder, exc), 0);
    guest_consume(builder);
    send_guest_global_virq(builder, VIRQ_DOM_EXC);
    expect_quiet(builder);
    assert_int_equal(bind_virq(builder, VIRQ_DOM_EXC, 0, &p), 0);
}

/* ---- reset and destruction ------------------------------------------- */

static void
test_reset_closes_own_ports_and_peers_return_to_unbound(void **state)
{
    evtchn_port_t cp, op, virq, ipi, unb, p;

    (void)state;
    connect(child, other, &cp, &op);
    assert_int_equal(bind_virq(other, VIRQ_TIMER, 1, &virq), 0);
    assert_int_equal(bind_ipi(other, 0, &ipi), 0);
    assert_int_equal(alloc_unbound(other, DOMID_SELF, 0, &unb), 0);
    assert_int_equal(send(other, ipi), 0);
    assert_int_equal(reset(other, DOMID_SELF), 0);
    assert_int_equal(open_ports(other), 0);
    assert_false(pending(other, ipi));
    assert_int_equal(other->vcpu[1]->virq_to_port[VIRQ_TIMER], 0);
    expect_unbound(child, cp, 3, 0);
    /* Everything can be bound again from port 1. */
    assert_int_equal(bind_virq(other, VIRQ_TIMER, 1, &p), 0);
    assert_int_equal(p, 1);
    /* Its own id works too. */
    assert_int_equal(reset(other, 3), 0);
    assert_int_equal(open_ports(other), 0);
}

static void test_reset_of_another_domain_needs_build_over_child(void **state)
{
    evtchn_port_t p;

    (void)state;
    assert_int_equal(bind_ipi(child, 0, &p), 0);
    assert_int_equal(bind_ipi(other, 0, &p), 0);
    assert_int_equal(reset(other, 1), -EPERM);   /* no capability */
    assert_int_equal(reset(child, 0), -EPERM);   /* not over its parent */
    assert_int_equal(reset(builder, 3), -EPERM); /* not its child */
    assert_int_equal(reset(other, NOBODY), -ESRCH);
    assert_int_equal(open_ports(child), 1);
    assert_int_equal(open_ports(other), 1);
    assert_int_equal(reset(builder, 1), 0);
    assert_int_equal(open_ports(child), 0);
}

static void test_close_all_on_destruction_unbinds_every_peer(void **state)
{
    evtchn_port_t cp, op1, bp, op2, la, lb, p;
    unsigned int i, v;

    (void)state;
    connect(child, other, &cp, &op1);   /* child allocated, other bound */
    connect(other, builder, &op2, &bp); /* other allocated, builder bound */
    assert_int_equal(alloc_unbound(other, DOMID_SELF, DOMID_SELF, &la), 0);
    assert_int_equal(bind_interdomain(other, DOMID_SELF, la, &lb), 0);
    assert_int_equal(bind_virq(other, VIRQ_TIMER, 1, &p), 0);
    assert_int_equal(bind_virq(other, VIRQ_DOM_EXC, 0, &p), 0);
    assert_int_equal(bind_ipi(other, 1, &p), 0);
    assert_int_equal(alloc_unbound(other, DOMID_SELF, 1, &p), 0);
    assert_int_equal(open_ports(other), 8);
    /* Destruction: other is dying (not found), then its ports close. */
    env_domain_gone(other);
    evtchn_close_all(other);
    assert_int_equal(open_ports(other), 0);
    for ( v = 0; v < 2; v++ )
        for ( i = 0; i < NR_VIRQS; i++ )
            assert_int_equal(other->vcpu[v]->virq_to_port[i], 0);
    /* Freed ports are not pending (the selectors are the guest's). */
    expect_no_pending(other);
    expect_unbound(child, cp, 3, 0);
    expect_unbound(builder, bp, 3, 0);
    assert_int_equal(open_ports(child), 1);
    assert_int_equal(open_ports(builder), 1);
    /* Sends into the dead channel are dropped. */
    assert_int_equal(send(child, cp), 0);
    assert_int_equal(send(builder, bp), 0);
    expect_quiet(child);
    expect_quiet(builder);
}

/* ---- port exhaustion ------------------------------------------------- */

static void test_port_exhaustion_4096_ports(void **state)
{
    evtchn_port_t p, expect, rp;

    (void)state;
    assert_int_equal(other->nr_evtchns, 4096);
    /* A port of the child waiting for other, to try binding when full. */
    assert_int_equal(alloc_unbound(child, DOMID_SELF, 3, &rp), 0);
    for ( expect = 1; expect < NR_PORTS; expect++ )
    {
        assert_int_equal(alloc_unbound(other, DOMID_SELF, 1, &p), 0);
        assert_int_equal(p, expect);
    }
    assert_int_equal(open_ports(other), NR_PORTS - 1); /* all but port 0 */
    assert_int_equal(alloc_unbound(other, DOMID_SELF, 1, &p), -ENOSPC);
    assert_int_equal(bind_ipi(other, 0, &p), -ENOSPC);
    assert_int_equal(bind_virq(other, VIRQ_TIMER, 0, &p), -ENOSPC);
    assert_int_equal(other->vcpu[0]->virq_to_port[VIRQ_TIMER], 0);
    assert_int_equal(bind_interdomain(other, 1, rp, &p), -ENOSPC);
    expect_unbound(child, rp, 3, 0); /* the refused bind changed nothing */
    /* Close one: exactly that one comes back, then full again. */
    assert_int_equal(evclose(other, 1000), 0);
    assert_int_equal(bind_interdomain(other, 1, rp, &p), 0);
    assert_int_equal(p, 1000);
    assert_int_equal(bind_ipi(other, 0, &p), -ENOSPC);
    assert_int_equal(evclose(other, NR_PORTS - 1), 0);
    assert_int_equal(evclose(other, 7), 0);
    assert_int_equal(bind_ipi(other, 0, &p), 0);
    assert_int_equal(p, 7); /* the lowest free */
    assert_int_equal(bind_ipi(other, 0, &p), 0);
    assert_int_equal(p, NR_PORTS - 1);
    assert_int_equal(bind_ipi(other, 0, &p), -ENOSPC);
}

/* ---- the hypercall itself -------------------------------------------- */

static void test_fifo_and_unknown_ops_are_enosys(void **state)
{
    struct evtchn_init_control ic = { .vcpu = 0 };
    struct evtchn_expand_array ea = { .array_gfn = 1 };
    struct evtchn_set_priority sp = { .port = 1 };

    (void)state;
    assert_int_equal(hypercall(other, EVTCHNOP_init_control, &ic), -ENOSYS);
    assert_int_equal(hypercall(other, EVTCHNOP_expand_array, &ea), -ENOSYS);
    assert_int_equal(hypercall(other, EVTCHNOP_set_priority, &sp), -ENOSYS);
    assert_int_equal(hypercall(other, EVTCHNOP_reset_cont, &ea), -ENOSYS);
    assert_int_equal(hypercall(other, 15, &ea), -ENOSYS);
    assert_int_equal(hypercall(other, 0xffffffffU, &ea), -ENOSYS);
    /* Refused before reading the argument; nothing written back. */
    assert_int_equal(shim_guest_reads, 0);
    assert_int_equal(shim_guest_writes, 0);
    assert_int_equal(ic.link_bits, 0);
}

static void test_bad_argument_pointer_is_efault(void **state)
{
    struct evtchn_bind_ipi op = { .vcpu = 0 };
    evtchn_port_t p;

    (void)state;
    shim_guest_bad = shim_gva(&op);
    shim_guest_bad_len = sizeof(op);
    assert_int_equal(hypercall(other, EVTCHNOP_bind_ipi, &op), -EFAULT);
    assert_int_equal(hypercall(other, EVTCHNOP_reset, &op), -EFAULT);
    assert_int_equal(hypercall(other, EVTCHNOP_bind_pirq, &op), -EFAULT);
    shim_guest_reset();
    assert_int_equal(open_ports(other), 0);
    /* Every op reads its argument exactly once. */
    assert_int_equal(bind_ipi(other, 0, &p), 0);
    assert_int_equal(shim_guest_reads, 1);
    assert_int_equal(shim_guest_writes, 1);
    assert_int_equal(send(other, p), 0);
    assert_int_equal(shim_guest_reads, 2);
    assert_int_equal(shim_guest_writes, 1); /* send has no OUT field */
}

/* ---- VIRQ_TIMER from the vCPU timers --------------------------------- */

static void test_vcpu_timers_raise_virq_timer(void **state)
{
    struct vcpu *v1 = other->vcpu[1];
    evtchn_port_t t;

    (void)state;
    assert_int_equal(bind_virq(other, VIRQ_TIMER, 1, &t), 0);
    shim_now = 1000;
    assert_int_equal(vcpu_set_singleshot_timer(v1, 5000), 0);
    timer_run(v1->processor, 4999);
    expect_quiet(other);
    timer_run(v1->processor, 5000);
    assert_true(pending(other, t));
    assert_int_equal(upcall(v1), 1);
    assert_int_equal(upcall(other->vcpu[0]), 0);
    /* Periodic: fires and re-arms itself one period later. */
    guest_consume(other);
    assert_int_equal(vcpu_set_periodic_timer(v1, 100), 0);
    timer_run(v1->processor, 1100);
    assert_true(pending(other, t));
    guest_consume(other);
    timer_run(v1->processor, 1199);
    expect_quiet(other);
    timer_run(v1->processor, 1200);
    assert_true(pending(other, t));
    assert_int_equal(vcpu_set_periodic_timer(v1, 0), 0);
    assert_int_equal(timer_next_deadline(v1->processor), STIME_MAX);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_alloc_unbound_own_ports_lowest_first),
        T(test_alloc_unbound_foreign_needs_build_over_unsealed_child),
        T(test_alloc_unbound_unknown_domain_is_esrch),
        T(test_alloc_unbound_copy_fault),
        T(test_bind_interdomain_connects_and_marks_local_port),
        T(test_bind_interdomain_remote_must_be_unbound_for_caller),
        T(test_bind_interdomain_loopback),
        T(test_bind_virq_per_vcpu_and_global),
        T(test_virq_delivery_follows_binding_and_policy),
        T(test_bind_ipi_and_send_to_own_vcpu),
        T(test_bind_pirq_refused_no_pirqs_exist),
        T(test_close_each_kind_frees_the_port),
        T(test_close_refuses_closed_reserved_and_out_of_range),
        T(test_close_clears_pending_so_a_rebound_port_is_clean),
        T(test_close_interdomain_peer_returns_to_unbound),
        T(test_close_with_remote_domain_gone),
        T(test_send_errors_and_dropped_sends),
        T(test_send_interdomain_marks_peer_and_wakes_its_vcpu),
        T(test_send_masked_port_sets_only_pending),
        T(test_poll_wakes_each_poller_of_the_port),
        T(test_unmask_redelivers_a_pending_port),
        T(test_status_reports_every_state),
        T(test_bind_vcpu_moves_delivery_of_interdomain_and_unbound),
        T(test_bind_vcpu_refusals),
        T(test_bind_vcpu_global_virq_delivered_on_new_vcpu),
        T(test_reset_closes_own_ports_and_peers_return_to_unbound),
        T(test_reset_of_another_domain_needs_build_over_child),
        T(test_close_all_on_destruction_unbinds_every_peer),
        T(test_port_exhaustion_4096_ports),
        T(test_fifo_and_unknown_ops_are_enosys),
        T(test_bad_argument_pointer_is_efault),
        T(test_vcpu_timers_raise_virq_timer),
    };
#undef T

    return cmocka_run_group_tests(tests, NULL, NULL);
}
