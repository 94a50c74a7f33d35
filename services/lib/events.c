/*
 * Event channels (2-level ABI) and the shared_info page
 *
 * Locking: none; single vCPU.  The upcall runs with events masked; it
 * clears evtchn_upcall_pending, takes the selector word with an atomic
 * exchange, and clears each pending bit atomically before calling the
 * port's handler, so an event raised meanwhile is seen again.
 */
#include <public/sched.h>
#include <rt/events.h>
#include <rt/rt.h>
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
    return shared;
}

vcpu_info_t *xen_vcpu_info(void)
{
    return &xen_shared_info()->vcpu_info[0];
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

static void set_handler(long port, xen_evtchn_handler_t fn, void *data)
{
    if ( port < 0 || port >= NR_PORTS )
        return;
    handlers[port].fn = fn;
    handlers[port].data = data;
}

long xen_evtchn_unmask(evtchn_port_t port)
{
    struct evtchn_unmask op = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_unmask, XEN_ARG(&op));
}

long xen_evtchn_bind_virq(uint32_t virq, xen_evtchn_handler_t fn, void *data)
{
    struct evtchn_bind_virq op = { .virq = virq, .vcpu = 0 };
    long rc;

    xen_shared_info();
    rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, XEN_ARG(&op));
    if ( rc )
        return rc;
    set_handler(op.port, fn, data);
    rc = xen_evtchn_unmask(op.port);
    return rc ? rc : (long)op.port;
}

long xen_evtchn_bind_ipi(xen_evtchn_handler_t fn, void *data)
{
    struct evtchn_bind_ipi op = { .vcpu = 0 };
    long rc;

    xen_shared_info();
    rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, XEN_ARG(&op));
    if ( rc )
        return rc;
    set_handler(op.port, fn, data);
    rc = xen_evtchn_unmask(op.port);
    return rc ? rc : (long)op.port;
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
        set_handler(port, NULL, NULL);
    return rc;
}

static void dispatch_word(unsigned int word)
{
    shared_info_t *s = shared;
    uint64_t pend;

    while ( (pend = s->evtchn_pending[word] & ~s->evtchn_mask[word]) )
    {
        unsigned int bit = __builtin_ctzll(pend);
        unsigned int port = word * 64 + bit;

        __atomic_fetch_and(&s->evtchn_pending[word], ~(1ULL << bit),
                           __ATOMIC_SEQ_CST);
        if ( handlers[port].fn )
            handlers[port].fn(port, handlers[port].data);
    }
}

void xen_event_upcall(struct trap_frame *frame)
{
    vcpu_info_t *vi;

    (void)frame;
    if ( !shared )
        xen_panic("event upcall before shared_info was mapped");
    vi = &shared->vcpu_info[0];
    xen_upcall_count++;
    while ( vi->evtchn_upcall_pending )
    {
        uint64_t sel;

        vi->evtchn_upcall_pending = 0;
        sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
        while ( sel )
        {
            unsigned int word = __builtin_ctzll(sel);

            sel &= sel - 1;
            dispatch_word(word);
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
