/*
 * Event channels (2-level ABI) and the vCPU timers.
 *
 * Locking: d->event_lock protects d->evtchn[] and every vCPU's
 * virq_to_port[]; two domains' locks are taken lower domid first; the
 * shared bitmaps are updated with atomics.
 */
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/event.h>
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/policy.h>
#include <hv/softirq.h>
#include <hv/sched.h>
#include <asm/guest_access.h>
#include <asm/smp.h>

#define BITS_PER_WORD 64

static bool test_and_set(xen_ulong_t *word, unsigned int bit)
{
    xen_ulong_t m = 1UL << bit;

    /* Full barrier: the guest reads these words concurrently. */
    return __atomic_fetch_or(word, m, __ATOMIC_SEQ_CST) & m;
}

static bool test_bit_shared(const xen_ulong_t *word, unsigned int bit)
{
    return __atomic_load_n(word, __ATOMIC_ACQUIRE) & (1UL << bit);
}

int evtchn_init(struct domain *d)
{
    d->evtchn = xzalloc_array(struct evtchn, EVTCHN_2L_NR);
    if ( !d->evtchn )
        return -ENOMEM;
    d->nr_evtchns = EVTCHN_2L_NR;
    return 0;
}

void evtchn_destroy(struct domain *d)
{
    xfree(d->evtchn);
    d->evtchn = NULL;
}

bool vcpu_event_deliverable(const struct vcpu *v)
{
    return v->vcpu_info &&
           __atomic_load_n(&v->vcpu_info->evtchn_upcall_pending,
                           __ATOMIC_ACQUIRE) &&
           !__atomic_load_n(&v->vcpu_info->evtchn_upcall_mask,
                            __ATOMIC_ACQUIRE);
}

void vcpu_kick(struct vcpu *v)
{
    /* Pending was set before: read the state after it (sched_block). */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if ( v->state == VCPU_BLOCKED )
        vcpu_wake(v);
    else if ( v->state == VCPU_RUNNING && v->processor != smp_processor_id() )
        arch_cpu_kick(v->processor);
}

/*
 * SCHEDOP_poll waits for a port to be pending, masked or not: wake every
 * vCPU of d polling this port, whichever vCPU the port notifies (as Xen).
 */
static void wake_pollers(struct domain *d, unsigned int port)
{
    unsigned int i;

    for ( i = 0; i < d->max_vcpus; i++ )
    {
        struct vcpu *w = d->vcpu[i];

        if ( w && __atomic_load_n(&w->polling, __ATOMIC_ACQUIRE) &&
             test_bit_shared(&w->poll_mask[port / BITS_PER_WORD],
                             port % BITS_PER_WORD) )
            vcpu_wake(w);
    }
}

/* The 2-level "raise an event" sequence (reference §8.2). */
static void evtchn_set_pending(struct vcpu *v, unsigned int port)
{
    struct shared_info *s = v->domain->shared_info;

    if ( test_and_set(&s->evtchn_pending[port / BITS_PER_WORD],
                      port % BITS_PER_WORD) )
        return;
    wake_pollers(v->domain, port);
    if ( test_bit_shared(&s->evtchn_mask[port / BITS_PER_WORD],
                         port % BITS_PER_WORD) )
        return;
    if ( !v->vcpu_info ||
         test_and_set(&v->vcpu_info->evtchn_pending_sel, port / BITS_PER_WORD) )
        return;
    __atomic_store_n(&v->vcpu_info->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
    vcpu_kick(v);
}

void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq)
{
    struct domain *d = v->domain;
    unsigned long flags;
    unsigned int port;

    spin_lock_irqsave(&d->event_lock, flags);
    port = v->virq_to_port[virq];
    if ( port )
        evtchn_set_pending(d->vcpu[d->evtchn[port].notify_vcpu], port);
    spin_unlock_irqrestore(&d->event_lock, flags);
}

/* Global VIRQs go to vCPU 0, and only where the policy lets them. */
void send_guest_global_virq(struct domain *d, unsigned int virq)
{
    struct policy_subject s = policy_subject_of(d);

    if ( d->vcpu[0] && !policy_virq_delivery(&s, virq) )
        send_guest_vcpu_virq(d->vcpu[0], virq);
}

static int get_free_port(struct domain *d)
{
    unsigned int p;

    for ( p = 1; p < d->nr_evtchns; p++ )
        if ( d->evtchn[p].state == EVTCHNSTAT_closed )
            return p;
    return -ENOSPC;
}

static bool virq_is_global(unsigned int virq)
{
    return virq != VIRQ_TIMER && virq != VIRQ_DEBUG && virq != VIRQ_XENOPROF &&
           virq != VIRQ_XENPMU;
}

static int bind_virq(struct domain *d, struct evtchn_bind_virq *op)
{
    unsigned int virq = op->virq, vcpu = op->vcpu;
    int port;

    if ( virq >= NR_VIRQS )
        return -EINVAL;
    if ( virq_is_global(virq) && vcpu != 0 )
        return -EINVAL;
    if ( vcpu >= d->max_vcpus || !d->vcpu[vcpu] )
        return -ENOENT;
    if ( d->vcpu[vcpu]->virq_to_port[virq] )
        return -EEXIST;
    port = get_free_port(d);
    if ( port < 0 )
        return port;
    d->evtchn[port].state = EVTCHNSTAT_virq;
    d->evtchn[port].notify_vcpu = vcpu;
    d->evtchn[port].virq = virq;
    d->vcpu[vcpu]->virq_to_port[virq] = port;
    op->port = port;
    return 0;
}

static int bind_ipi(struct domain *d, struct evtchn_bind_ipi *op)
{
    int port;

    if ( op->vcpu >= d->max_vcpus || !d->vcpu[op->vcpu] )
        return -ENOENT;
    port = get_free_port(d);
    if ( port < 0 )
        return port;
    d->evtchn[port].state = EVTCHNSTAT_ipi;
    d->evtchn[port].notify_vcpu = op->vcpu;
    op->port = port;
    return 0;
}

static bool port_valid(const struct domain *d, evtchn_port_t port)
{
    return port < d->nr_evtchns;
}

/*
 * Take the event locks of two domains in a fixed order (lower domid first),
 * once when they are the same domain.
 */
static void double_lock(struct domain *a, struct domain *b)
{
    if ( a == b )
        spin_lock(&a->event_lock);
    else if ( a->domain_id < b->domain_id )
    {
        spin_lock(&a->event_lock);
        spin_lock(&b->event_lock);
    }
    else
    {
        spin_lock(&b->event_lock);
        spin_lock(&a->event_lock);
    }
}

static void double_unlock(struct domain *a, struct domain *b)
{
    spin_unlock(&a->event_lock);
    if ( a != b )
        spin_unlock(&b->event_lock);
}

/*
 * alloc_unbound: a fresh port of dom (ours, or a child we are building)
 * that remote_dom may bind to.
 */
static int alloc_unbound(struct domain *caller, struct evtchn_alloc_unbound *op)
{
    struct domain *rd, *d = domain_get_or_self(caller, op->dom);
    struct policy_subject cs, ts;
    int port;

    /* In another domain: only its builder, before it is sealed. */
    if ( !d )
        return -ESRCH;
    cs = policy_subject_of(caller);
    ts = policy_subject_of(d);
    if ( d != caller && policy_populate_foreign(&cs, &ts) )
    {
        domain_put(d);
        return -EPERM;
    }
    rd = domain_get_or_self(caller, op->remote_dom);
    if ( !rd )
    {
        domain_put(d);
        return -ESRCH;
    }
    spin_lock(&d->event_lock);
    port = get_free_port(d);
    if ( port >= 0 )
    {
        d->evtchn[port].state = EVTCHNSTAT_unbound;
        d->evtchn[port].notify_vcpu = 0;
        d->evtchn[port].remote_dom = rd->domain_id;
        op->port = port;
    }
    spin_unlock(&d->event_lock);
    domain_put(rd);
    domain_put(d);
    return port < 0 ? port : 0;
}

/*
 * bind_interdomain: connect a new port of ours to remote_port of
 * remote_dom, which must be unbound and expecting us.
 */
static int bind_interdomain(struct domain *d,
                            struct evtchn_bind_interdomain *op)
{
    struct domain *rd = domain_get_or_self(d, op->remote_dom);
    struct evtchn *rchn;
    int port, rc = 0;

    if ( !rd )
        return -ESRCH;
    double_lock(d, rd);
    if ( !port_valid(rd, op->remote_port) || op->remote_port == 0 )
    {
        rc = -EINVAL;
        goto out;
    }
    rchn = &rd->evtchn[op->remote_port];
    if ( rchn->state != EVTCHNSTAT_unbound || rchn->remote_dom != d->domain_id )
    {
        rc = -EINVAL;
        goto out;
    }
    port = get_free_port(d);
    if ( port < 0 )
    {
        rc = port;
        goto out;
    }
    d->evtchn[port].state = EVTCHNSTAT_interdomain;
    d->evtchn[port].notify_vcpu = 0;
    d->evtchn[port].remote_dom = rd->domain_id;
    d->evtchn[port].remote_port = op->remote_port;
    rchn->state = EVTCHNSTAT_interdomain;
    rchn->remote_port = port;
    op->local_port = port;
    /*
     * As Xen: the new local port is set pending at once, so that whatever
     * the remote end sent while unbound is not lost (reference §8).
     */
    evtchn_set_pending(d->vcpu[0], port);
out:
    double_unlock(d, rd);
    domain_put(rd);
    return rc;
}

static int evtchn_close(struct domain *d, evtchn_port_t port)
{
    struct evtchn *chn;

    if ( !port_valid(d, port) || port == 0 )
        return -EINVAL;
    chn = &d->evtchn[port];
    switch ( chn->state )
    {
    case EVTCHNSTAT_closed:
        return -EINVAL;
    case EVTCHNSTAT_virq:
        /* A global VIRQ stays bound on vCPU 0 whatever its notify vCPU. */
        d->vcpu[virq_is_global(chn->virq) ? 0 : chn->notify_vcpu]
            ->virq_to_port[chn->virq] = 0;
        break;
    case EVTCHNSTAT_ipi:
    case EVTCHNSTAT_unbound:
        break;
    case EVTCHNSTAT_interdomain:
    {
        /* The remote end goes back to unbound, expecting us again. */
        struct domain *rd =
            chn->remote_dom == d->domain_id ? d : domain_get(chn->remote_dom);

        if ( rd && rd != d )
        {
            /* Re-take in lock order: d's lock is held by the caller. */
            spin_unlock(&d->event_lock);
            double_lock(d, rd);
        }
        if ( rd && chn->state == EVTCHNSTAT_interdomain )
        {
            struct evtchn *rchn = &rd->evtchn[chn->remote_port];

            /*
             * Only while it is still our peer: a dying domain's close_all
             * comes after its peers could close their ends (domain_get()
             * no longer finds it) and reuse the numbers.
             */
            if ( rchn->state == EVTCHNSTAT_interdomain &&
                 rchn->remote_dom == d->domain_id && rchn->remote_port == port )
            {
                rchn->state = EVTCHNSTAT_unbound;
                rchn->remote_dom = d->domain_id;
                rchn->remote_port = 0;
            }
        }
        if ( rd && rd != d )
        {
            spin_unlock(&rd->event_lock);
            domain_put(rd);
        }
        break;
    }
    default:
        return -EINVAL; /* PIRQ ports arrive with device access */
    }
    /* As Xen: a freed port is not pending, so a rebound one starts clean. */
    __atomic_fetch_and(&d->shared_info->evtchn_pending[port / BITS_PER_WORD],
                       ~(1UL << (port % BITS_PER_WORD)), __ATOMIC_SEQ_CST);
    memset(chn, 0, sizeof(*chn));
    return 0;
}

static int evtchn_send(struct domain *d, evtchn_port_t port)
{
    struct evtchn *chn;

    if ( !port_valid(d, port) )
        return -EINVAL;
    chn = &d->evtchn[port];
    switch ( chn->state )
    {
    case EVTCHNSTAT_ipi:
        evtchn_set_pending(d->vcpu[chn->notify_vcpu], port);
        return 0;
    case EVTCHNSTAT_unbound:
        return 0; /* nobody bound yet: dropped, as in Xen */
    case EVTCHNSTAT_interdomain:
    {
        domid_t rid = chn->remote_dom;
        evtchn_port_t rport = chn->remote_port;
        struct domain *rd;

        if ( rid == d->domain_id )
        {
            evtchn_set_pending(d->vcpu[d->evtchn[rport].notify_vcpu], rport);
            return 0;
        }
        /* Never hold two event locks out of order: drop ours first. */
        spin_unlock(&d->event_lock);
        rd = domain_get(rid);
        if ( rd )
        {
            spin_lock(&rd->event_lock);
            if ( rd->evtchn[rport].state == EVTCHNSTAT_interdomain &&
                 rd->evtchn[rport].remote_dom == d->domain_id )
                evtchn_set_pending(rd->vcpu[rd->evtchn[rport].notify_vcpu],
                                   rport);
            spin_unlock(&rd->event_lock);
            domain_put(rd);
        }
        spin_lock(&d->event_lock);
        return 0;
    }
    default:
        return -EINVAL;
    }
}

static int evtchn_unmask(struct domain *d, evtchn_port_t port)
{
    struct shared_info *s = d->shared_info;
    struct vcpu *v;

    if ( !port_valid(d, port) )
        return -EINVAL;
    v = d->vcpu[d->evtchn[port].notify_vcpu];
    /*
     * As Xen: only a port that was masked is redelivered (an unmasked
     * pending port already raised its upcall when it became pending).
     */
    if ( !(__atomic_fetch_and(&s->evtchn_mask[port / BITS_PER_WORD],
                              ~(1UL << (port % BITS_PER_WORD)),
                              __ATOMIC_SEQ_CST) &
           (1UL << (port % BITS_PER_WORD))) )
        return 0;
    if ( test_bit_shared(&s->evtchn_pending[port / BITS_PER_WORD],
                         port % BITS_PER_WORD) &&
         v->vcpu_info &&
         !test_and_set(&v->vcpu_info->evtchn_pending_sel,
                       port / BITS_PER_WORD) )
    {
        __atomic_store_n(&v->vcpu_info->evtchn_upcall_pending, 1,
                         __ATOMIC_SEQ_CST);
        vcpu_kick(v);
    }
    return 0;
}

static int evtchn_status(struct domain *d, struct evtchn_status *op)
{
    struct evtchn *chn;

    if ( op->dom != DOMID_SELF && op->dom != d->domain_id )
    {
        struct domain *od = domain_get(op->dom);

        if ( !od )
            return -ESRCH;
        domain_put(od);
        return -EPERM; /* other domains: with the policy (issue #5) */
    }
    if ( !port_valid(d, op->port) )
        return -EINVAL;
    chn = &d->evtchn[op->port];
    op->status = chn->state;
    op->vcpu = chn->notify_vcpu;
    memset(&op->u, 0, sizeof(op->u));
    if ( chn->state == EVTCHNSTAT_virq )
        op->u.virq = chn->virq;
    else if ( chn->state == EVTCHNSTAT_unbound )
        op->u.unbound.dom = chn->remote_dom;
    else if ( chn->state == EVTCHNSTAT_interdomain )
    {
        op->u.interdomain.dom = chn->remote_dom;
        op->u.interdomain.port = chn->remote_port;
    }
    return 0;
}

static int evtchn_bind_vcpu(struct domain *d, struct evtchn_bind_vcpu *op)
{
    struct evtchn *chn;

    /* As Xen: the vCPU is checked first. */
    if ( op->vcpu >= d->max_vcpus || !d->vcpu[op->vcpu] )
        return -ENOENT;
    if ( !port_valid(d, op->port) )
        return -EINVAL;
    chn = &d->evtchn[op->port];
    switch ( chn->state )
    {
    case EVTCHNSTAT_virq:
        /*
         * Global VIRQs only.  The binding stays in vCPU 0's virq_to_port[],
         * where send_guest_global_virq() looks; only the notify vCPU moves.
         */
        if ( !virq_is_global(chn->virq) )
            return -EINVAL;
        break;
    case EVTCHNSTAT_unbound:
    case EVTCHNSTAT_interdomain:
    case EVTCHNSTAT_pirq:
        break;
    default:
        return -EINVAL;
    }
    chn->notify_vcpu = op->vcpu;
    return 0;
}

bool evtchn_any_pending(struct domain *d, const evtchn_port_t *ports,
                        unsigned int nr)
{
    unsigned int i;

    for ( i = 0; i < nr; i++ )
        if ( port_valid(d, ports[i]) &&
             test_bit_shared(&d->shared_info->evtchn_pending[ports[i] / 64],
                             ports[i] % 64) )
            return true;
    return false;
}

int evtchn_poll_begin(struct vcpu *v, const evtchn_port_t *ports,
                      unsigned int nr)
{
    unsigned int i;

    evtchn_poll_end(v);
    for ( i = 0; i < nr; i++ )
        if ( ports[i] >= v->domain->nr_evtchns )
            return -EINVAL;
    memset(v->poll_mask, 0, sizeof(v->poll_mask));
    for ( i = 0; i < nr; i++ )
        v->poll_mask[ports[i] / BITS_PER_WORD] |= 1UL
                                                  << (ports[i] % BITS_PER_WORD);
    /* The mask is complete before a sender can see us polling. */
    __atomic_store_n(&v->polling, true, __ATOMIC_RELEASE);
    return 0;
}

void evtchn_poll_end(struct vcpu *v)
{
    /* The poll timer is armed only while polling. */
    if ( __atomic_exchange_n(&v->polling, false, __ATOMIC_ACQ_REL) )
        stop_timer(&v->poll_timer);
}

/*
 * Close every port of d (event lock held): reset, and destruction, which
 * returns every peer's end to unbound as Xen does.
 */
static void close_all(struct domain *d)
{
    evtchn_port_t port;

    for ( port = 1; port < d->nr_evtchns; port++ )
        if ( d->evtchn[port].state != EVTCHNSTAT_closed &&
             d->evtchn[port].state != EVTCHNSTAT_pirq )
            evtchn_close(d, port);
}

void evtchn_close_all(struct domain *d)
{
    unsigned long flags;

    spin_lock_irqsave(&d->event_lock, flags);
    close_all(d);
    spin_unlock_irqrestore(&d->event_lock, flags);
}

/* EVTCHNOP_reset: its own ports, or a child's with the build capability. */
static long evtchn_reset(struct domain *caller, domid_t dom)
{
    struct domain *d = domain_get_or_self(caller, dom);
    struct policy_subject cs = policy_subject_of(caller), ts;
    long rc = 0;

    if ( !d )
        return -ESRCH;
    ts = policy_subject_of(d);
    if ( d != caller && policy_remote_shutdown(&cs, &ts) )
        rc = -EPERM;
    else
        evtchn_close_all(d);
    domain_put(d);
    return rc;
}

/* Size of each sub-op's argument (0 = not implemented here). */
static size_t evtchn_op_size(unsigned int cmd)
{
    switch ( cmd )
    {
    case EVTCHNOP_bind_virq:
        return sizeof(struct evtchn_bind_virq);
    case EVTCHNOP_bind_ipi:
        return sizeof(struct evtchn_bind_ipi);
    case EVTCHNOP_close:
        return sizeof(struct evtchn_close);
    case EVTCHNOP_send:
        return sizeof(struct evtchn_send);
    case EVTCHNOP_status:
        return sizeof(struct evtchn_status);
    case EVTCHNOP_unmask:
        return sizeof(struct evtchn_unmask);
    case EVTCHNOP_bind_vcpu:
        return sizeof(struct evtchn_bind_vcpu);
    case EVTCHNOP_alloc_unbound:
        return sizeof(struct evtchn_alloc_unbound);
    case EVTCHNOP_bind_interdomain:
        return sizeof(struct evtchn_bind_interdomain);
    case EVTCHNOP_reset:
        return sizeof(struct evtchn_reset);
    case EVTCHNOP_bind_pirq:
        return sizeof(struct evtchn_bind_pirq);
    default:
        return 0;
    }
}

long do_event_channel_op(HYPERCALL_ARGS)
{
    struct domain *d = current->domain;
    unsigned int cmd = a1;
    union
    {
        struct evtchn_bind_virq bind_virq;
        struct evtchn_bind_ipi bind_ipi;
        struct evtchn_close close;
        struct evtchn_send send;
        struct evtchn_status status;
        struct evtchn_unmask unmask;
        struct evtchn_bind_vcpu bind_vcpu;
        struct evtchn_alloc_unbound alloc_unbound;
        struct evtchn_bind_interdomain bind_interdomain;
        struct evtchn_reset reset;
        struct evtchn_bind_pirq bind_pirq;
    } op;
    size_t size = evtchn_op_size(cmd);
    unsigned long flags;
    long rc;

    if ( size == 0 )
        return -ENOSYS; /* the FIFO ABI: guests fall back to 2-level */
    if ( copy_from_guest(&op, a2, size) )
        return -EFAULT;
    if ( cmd == EVTCHNOP_reset )
        return evtchn_reset(d, op.reset.dom);
    if ( cmd == EVTCHNOP_bind_pirq )
    {
        struct policy_subject s = policy_subject_of(d);

        /* Device access: no domain holds a PIRQ yet. */
        return policy_device(&s) ? -EPERM : -ENOSYS;
    }

    /* These two take the event locks they need themselves. */
    if ( cmd == EVTCHNOP_alloc_unbound || cmd == EVTCHNOP_bind_interdomain )
    {
        flags = local_irq_save();
        rc = cmd == EVTCHNOP_alloc_unbound
                 ? alloc_unbound(d, &op.alloc_unbound)
                 : bind_interdomain(d, &op.bind_interdomain);
        local_irq_restore(flags);
        if ( !rc && copy_to_guest(a2, &op, size) )
            rc = -EFAULT;
        return rc;
    }

    spin_lock_irqsave(&d->event_lock, flags);
    switch ( cmd )
    {
    case EVTCHNOP_bind_virq:
        rc = bind_virq(d, &op.bind_virq);
        break;
    case EVTCHNOP_bind_ipi:
        rc = bind_ipi(d, &op.bind_ipi);
        break;
    case EVTCHNOP_close:
        rc = evtchn_close(d, op.close.port);
        break;
    case EVTCHNOP_send:
        rc = evtchn_send(d, op.send.port);
        break;
    case EVTCHNOP_status:
        rc = evtchn_status(d, &op.status);
        break;
    case EVTCHNOP_unmask:
        rc = evtchn_unmask(d, op.unmask.port);
        break;
    default: /* EVTCHNOP_bind_vcpu */
        rc = evtchn_bind_vcpu(d, &op.bind_vcpu);
        break;
    }
    spin_unlock_irqrestore(&d->event_lock, flags);

    /* Results go back only for ops with OUT fields, after the change. */
    if ( !rc &&
         (cmd == EVTCHNOP_bind_virq || cmd == EVTCHNOP_bind_ipi ||
          cmd == EVTCHNOP_status) &&
         copy_to_guest(a2, &op, size) )
        rc = -EFAULT;
    return rc;
}

/* ---- vCPU timers ------------------------------------------------------ */

static void singleshot_fn(void *data)
{
    send_guest_vcpu_virq(data, VIRQ_TIMER);
}

static void periodic_fn(void *data)
{
    struct vcpu *v = data;

    send_guest_vcpu_virq(v, VIRQ_TIMER);
    if ( v->periodic_period )
        set_timer(&v->periodic_timer,
                  v->periodic_timer.expires + v->periodic_period);
}

static void poll_timeout_fn(void *data)
{
    vcpu_wake(data);
}

void vcpu_timers_init(struct vcpu *v)
{
    init_timer(&v->singleshot_timer, singleshot_fn, v, v->processor);
    init_timer(&v->periodic_timer, periodic_fn, v, v->processor);
    init_timer(&v->poll_timer, poll_timeout_fn, v, v->processor);
}

void kill_vcpu_timers(struct vcpu *v)
{
    stop_timer(&v->singleshot_timer);
    stop_timer(&v->periodic_timer);
    stop_timer(&v->poll_timer);
}

int vcpu_set_singleshot_timer(struct vcpu *v, s_time_t deadline)
{
    set_timer(&v->singleshot_timer, deadline);
    return 0;
}

void vcpu_stop_singleshot_timer(struct vcpu *v)
{
    stop_timer(&v->singleshot_timer);
}

int vcpu_set_periodic_timer(struct vcpu *v, s_time_t period)
{
    v->periodic_period = period;
    if ( period )
        set_timer(&v->periodic_timer, NOW() + period);
    else
        stop_timer(&v->periodic_timer);
    return 0;
}
