/*
 * Event channels (2-level ABI) and the shared_info page
 *
 * Locking: none.  The upcall runs with events masked on the vCPU that
 * took it; it clears that vCPU's evtchn_upcall_pending, takes its selector
 * word with an atomic exchange, and clears each pending bit atomically
 * before calling the port's handler, so an event raised meanwhile is seen
 * again.  A port belongs to the vCPU it was bound for (vCPU 0 for ports the
 * runtime did not bind): an upcall handles only its own vCPU's ports, so a
 * handler always runs on the vCPU the hypervisor notified, while the
 * pending words are shared by all vCPUs.  The handler table is written by
 * the binding vCPU before the port is unmasked.
 */
#include <public/sched.h>
#include <rt/events.h>
#include <rt/rt.h>
#include <rt/smp.h>
#include <rt/time.h>
#include <rt/traps.h>

#define NR_PORTS EVTCHN_2L_NR_CHANNELS

/* The page whose PTE is pointed at the shared_info frame. */
static uint8_t shared_info_page[PAGE_SIZE] __attribute__((aligned(4096)));
static shared_info_t *shared;

static struct
{
    xen_evtchn_handler_t fn;
    void *data;
} handlers[NR_PORTS];

/* Ports bound for vCPU v (v >= 1), and their union (not vCPU 0's). */
static uint64_t vcpu_ports[XEN_RT_MAX_VCPUS][NR_PORTS / 64];
static uint64_t secondary_ports[NR_PORTS / 64];

volatile uint64_t xen_upcall_count;

shared_info_t *xen_shared_info(void)
{
    uint64_t pte;
    long rc;

    if ( shared )
        return shared;
    /* P | RW | A | D over the machine address start_info gave us. */
    pte = (xen_start_info->shared_info & ~(PAGE_SIZE - 1)) | 0x63;
    rc = HYPERVISOR_update_va_mapping(XEN_ARG(shared_info_page), pte,
                                      UVMF_INVLPG);
    if ( rc )
        xen_panic("update_va_mapping(shared_info %#lx): %ld",
                  xen_start_info->shared_info, rc);
    shared = (shared_info_t *)shared_info_page;
    /*
     * Every port starts masked (as Linux does): a port bound before its
     * handler is set only goes pending, and the unmask after set_handler()
     * delivers it (Xen redelivers only ports that were masked).
     */
    for ( unsigned int i = 0; i < NR_PORTS / 64; i++ )
        __atomic_store_n(&shared->evtchn_mask[i], ~0UL, __ATOMIC_SEQ_CST);
    return shared;
}

vcpu_info_t *xen_vcpu_info(void)
{
    return &xen_shared_info()->vcpu_info[xen_vcpu_id()];
}

void xen_events_enable(void)
{
    vcpu_info_t *vi = xen_vcpu_info();

    barrier();
    vi->evtchn_upcall_mask = 0;
    barrier();
    /* An event that arrived while masked: any hypercall delivers it. */
    if ( vi->evtchn_upcall_pending )
        HYPERVISOR_xen_version(0, 0);
}

void xen_events_disable(void)
{
    xen_vcpu_info()->evtchn_upcall_mask = 1;
    barrier();
}

static void set_handler(long port, unsigned int vcpu, xen_evtchn_handler_t fn,
                        void *data)
{
    uint64_t bit = 1ULL << (port % 64);
    unsigned int w = port / 64;

    if ( port < 0 || port >= NR_PORTS || vcpu >= XEN_RT_MAX_VCPUS )
        return;
    handlers[port].fn = fn;
    handlers[port].data = data;
    for ( unsigned int v = 1; v < XEN_RT_MAX_VCPUS; v++ )
        __atomic_fetch_and(&vcpu_ports[v][w], ~bit, __ATOMIC_SEQ_CST);
    if ( vcpu )
    {
        __atomic_fetch_or(&vcpu_ports[vcpu][w], bit, __ATOMIC_SEQ_CST);
        __atomic_fetch_or(&secondary_ports[w], bit, __ATOMIC_SEQ_CST);
    }
    else
        __atomic_fetch_and(&secondary_ports[w], ~bit, __ATOMIC_SEQ_CST);
}

long xen_evtchn_unmask(evtchn_port_t port)
{
    struct evtchn_unmask op = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_unmask, XEN_ARG(&op));
}

/*
 * One binding op: the hypercall (it writes the new port to *port), then
 * the handler and an unmask.  The port, or -errno.
 */
static long bind_op(unsigned int cmd, void *arg, const evtchn_port_t *port,
                    uint32_t vcpu, xen_evtchn_handler_t fn, void *data)
{
    long rc;

    xen_shared_info();
    rc = HYPERVISOR_event_channel_op(cmd, XEN_ARG(arg));
    if ( rc )
        return rc;
    set_handler(*port, vcpu, fn, data);
    rc = xen_evtchn_unmask(*port);
    return rc ? rc : (long)*port;
}

long xen_evtchn_bind_virq(uint32_t virq, xen_evtchn_handler_t fn, void *data)
{
    struct evtchn_bind_virq op = { .virq = virq, .vcpu = xen_vcpu_id() };

    return bind_op(EVTCHNOP_bind_virq, &op, &op.port, op.vcpu, fn, data);
}

long xen_evtchn_bind_ipi(xen_evtchn_handler_t fn, void *data)
{
    struct evtchn_bind_ipi op = { .vcpu = xen_vcpu_id() };

    return bind_op(EVTCHNOP_bind_ipi, &op, &op.port, op.vcpu, fn, data);
}

long xen_evtchn_alloc_unbound(domid_t remote, xen_evtchn_handler_t fn,
                              void *data)
{
    struct evtchn_alloc_unbound op = { .dom = DOMID_SELF,
                                       .remote_dom = remote };

    return bind_op(EVTCHNOP_alloc_unbound, &op, &op.port, 0, fn, data);
}

long xen_evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port,
                                 xen_evtchn_handler_t fn, void *data)
{
    struct evtchn_bind_interdomain op = { .remote_dom = remote,
                                          .remote_port = remote_port };

    return bind_op(EVTCHNOP_bind_interdomain, &op, &op.local_port, 0, fn, data);
}

long xen_evtchn_send(evtchn_port_t port)
{
    struct evtchn_send op = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_send, XEN_ARG(&op));
}

long xen_evtchn_close(evtchn_port_t port)
{
    struct evtchn_close op = { .port = port };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_close, XEN_ARG(&op));

    if ( !rc )
        set_handler(port, 0, NULL, NULL);
    return rc;
}

static void dispatch_word(unsigned int word, unsigned int vcpu)
{
    shared_info_t *s = shared;
    uint64_t pend, mine;

    for ( ;; )
    {
        unsigned int bit, port;

        if ( vcpu )
            mine = __atomic_load_n(&vcpu_ports[vcpu][word], __ATOMIC_SEQ_CST);
        else
            mine = ~__atomic_load_n(&secondary_ports[word], __ATOMIC_SEQ_CST);
        pend = s->evtchn_pending[word] & ~s->evtchn_mask[word] & mine;
        if ( !pend )
            break;
        bit = __builtin_ctzll(pend);
        port = word * 64 + bit;
        __atomic_fetch_and(&s->evtchn_pending[word], ~(1ULL << bit),
                           __ATOMIC_SEQ_CST);
        if ( handlers[port].fn )
            handlers[port].fn(port, handlers[port].data);
    }
}

void xen_event_upcall(struct trap_frame *frame)
{
    unsigned int vcpu;
    vcpu_info_t *vi;

    (void)frame;
    if ( !shared )
        xen_panic("event upcall before shared_info was mapped");
    vcpu = xen_vcpu_id();
    vi = &shared->vcpu_info[vcpu];
    __atomic_fetch_add(&xen_upcall_count, 1, __ATOMIC_SEQ_CST);
    while ( vi->evtchn_upcall_pending )
    {
        uint64_t sel;

        vi->evtchn_upcall_pending = 0;
        sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
        while ( sel )
        {
            unsigned int word = __builtin_ctzll(sel);

            sel &= sel - 1;
            dispatch_word(word, vcpu);
        }
    }
}

bool xen_wait_flag(volatile int *flag, uint64_t timeout_ns)
{
    uint64_t deadline = xen_system_time() + timeout_ns;

    xen_events_enable();
    while ( !*flag )
    {
        if ( xen_system_time() > deadline )
            return false;
        HYPERVISOR_sched_op(SCHEDOP_yield, 0);
    }
    return true;
}
