/*
 * Scheduling and vCPU hypercalls: sched_op, set_timer_op, vcpu_op,
 * vm_assist.
 *
 * Locking: scheduler state through sched.c; vCPU fields the guest sets
 * here belong to the calling domain, changed by its own vCPUs.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/event.h>
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/pagetype.h>
#include <hv/policy.h>
#include <hv/sched.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <asm/guest_access.h>
#include <asm/smp.h>

#define SCHED_POLL_MAX_PORTS 128

/* Provided by the architecture. */
int arch_vcpu_initialise(struct vcpu *v, uint64_t ctxt_gva);

static long sched_block(struct vcpu *v)
{
    evtchn_poll_end(v);
    /* Blocking enables events (public sched.h), then re-checks them. */
    __atomic_store_n(&v->vcpu_info->evtchn_upcall_mask, 0, __ATOMIC_SEQ_CST);
    vcpu_block(v);
    /*
     * The BLOCKED store before the pending load: a sender on another CPU
     * sets pending and then reads our state; one of us must see the other.
     */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if ( vcpu_event_deliverable(v) )
        vcpu_wake(v);
    return 0;
}

static long sched_poll(struct vcpu *v, uint64_t arg)
{
    struct sched_poll p;
    evtchn_port_t ports[SCHED_POLL_MAX_PORTS];
    long rc;

    if ( copy_from_guest(&p, arg, sizeof(p)) )
        return -EFAULT;
    if ( p.nr_ports > SCHED_POLL_MAX_PORTS )
        return -EINVAL;
    if ( copy_from_guest(ports, p.ports, p.nr_ports * sizeof(ports[0])) )
        return -EFAULT;
    rc = evtchn_poll_begin(v, ports, p.nr_ports);
    if ( rc || evtchn_any_pending(v->domain, ports, p.nr_ports) ||
         (p.timeout && (s_time_t)p.timeout <= NOW()) )
    {
        evtchn_poll_end(v);
        return rc;
    }
    vcpu_block(v);
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* as in sched_block */
    if ( evtchn_any_pending(v->domain, ports, p.nr_ports) )
        vcpu_wake(v);
    else if ( p.timeout )
        set_timer(&v->poll_timer, p.timeout);
    return 0;
}

/* SCHEDOP_remote_shutdown: a child of a builder (the domctl rule). */
static long remote_shutdown(struct domain *caller, uint64_t arg)
{
    struct sched_remote_shutdown rs;
    struct policy_subject cs = policy_subject_of(caller), ts;
    struct domain *d;
    long rc;

    if ( copy_from_guest(&rs, arg, sizeof(rs)) )
        return -EFAULT;
    if ( rs.reason > SHUTDOWN_MAX )
        return -EINVAL;
    d = domain_get_or_self(caller, rs.domain_id);
    if ( !d ) /* no existence oracle for those without the capability */
        return policy_remote_shutdown(&cs, NULL);
    ts = policy_subject_of(d);
    rc = d == caller ? -EINVAL : policy_remote_shutdown(&cs, &ts);
    if ( !rc )
    {
        printk("d%u: shut down by d%u: reason %u\n", d->domain_id,
               caller->domain_id, rs.reason);
        domain_shutdown(d, rs.reason);
    }
    domain_put(d);
    return rc;
}

long do_sched_op(HYPERCALL_ARGS)
{
    struct vcpu *v = current;
    struct domain *d = v->domain;
    unsigned int cmd = a1;
    uint64_t arg = a2;
    struct sched_shutdown sd;

    switch ( cmd )
    {
    case SCHEDOP_yield:
        vcpu_yield(v);
        return 0;
    case SCHEDOP_block:
        return sched_block(v);
    case SCHEDOP_shutdown:
        if ( copy_from_guest(&sd, arg, sizeof(sd)) )
            return -EFAULT;
        if ( sd.reason > SHUTDOWN_MAX )
            return -EINVAL;
        printk("d%u: vCPU %u asked for shutdown: reason %u\n", d->domain_id,
               v->vcpu_id, sd.reason);
        domain_shutdown(d, sd.reason);
        return 0;
    case SCHEDOP_shutdown_code:
        if ( copy_from_guest(&sd, arg, sizeof(sd)) )
            return -EFAULT;
        if ( sd.reason > SHUTDOWN_MAX )
            return -EINVAL;
        d->shutdown_code = sd.reason;
        return 0;
    case SCHEDOP_poll:
        return sched_poll(v, arg);
    case SCHEDOP_remote_shutdown:
        return remote_shutdown(d, arg);
    default:
        return -ENOSYS;
    }
}

/* set_timer_op(deadline): absolute system time in ns; 0 stops the timer. */
long do_set_timer_op(HYPERCALL_ARGS)
{
    s_time_t deadline = (s_time_t)a1;

    if ( deadline == 0 )
        vcpu_stop_singleshot_timer(current);
    else
        vcpu_set_singleshot_timer(current, deadline);
    return 0;
}

static long vcpu_register_info(struct vcpu *v, uint64_t arg)
{
    struct vcpu_register_vcpu_info info;
    struct domain *d = v->domain;
    struct vcpu_info *new, *old = v->vcpu_info;

    if ( copy_from_guest(&info, arg, sizeof(info)) )
        return -EFAULT;
    if ( info.rsvd || info.offset > PAGE_SIZE - sizeof(struct vcpu_info) )
        return -EINVAL;
    if ( info.mfn == d->shared_info_mfn )
        return -EINVAL;
    if ( old && old != &d->shared_info->vcpu_info[v->vcpu_id] )
        return -EBUSY; /* once only */
    /*
     * We write this frame from now on: it holds a writable type for as long
     * as it is registered, so it can never become a page table.
     */
    {
        struct pt_ctx ctx = { .owner = d->domain_id };
        struct page_info *pg = get_page_from_mfn(info.mfn, d->domain_id);
        int rc = -EINVAL;

        if ( pg )
        {
            spin_lock(&d->page_lock);
            rc = get_page_type(pg, PGT_writable_page, &ctx);
            spin_unlock(&d->page_lock);
            if ( rc )
                put_page(pg);
        }
        if ( rc )
            return -EINVAL;
        v->arch.vcpu_info_pg = pg;
    }
    new = (struct vcpu_info *)((uint8_t *)mfn_to_virt(info.mfn) + info.offset);
    if ( old )
        memcpy(new, old, sizeof(*new));
    else
        memset(new, 0, sizeof(*new));
    v->vcpu_info = new;
    /* Make the guest rescan everything (reference §5.8). */
    __atomic_store_n(&new->evtchn_pending_sel, ~0UL, __ATOMIC_SEQ_CST);
    __atomic_store_n(&new->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
    return 0;
}

static void vcpu_runstate_fill(struct vcpu *v, struct vcpu_runstate_info *out)
{
    static const int32_t map[] = { RUNSTATE_offline, RUNSTATE_runnable,
                                   RUNSTATE_running, RUNSTATE_blocked };
    s_time_t now = NOW();
    unsigned int i;

    memset(out, 0, sizeof(*out));
    out->state = map[v->state];
    out->state_entry_time = v->runstate_entry;
    for ( i = 0; i < 4; i++ )
        out->time[map[i]] = v->runstate_time[i];
    out->time[map[v->state]] += now - v->runstate_entry;
}

/*
 * Refresh v's registered runstate copy.  Runs on v's page tables (v is
 * current); a bad address is the guest's problem, as in Xen.
 */
void vcpu_runstate_publish(struct vcpu *v)
{
    struct vcpu_runstate_info r;

    if ( !v->runstate_area )
        return;
    vcpu_runstate_fill(v, &r);
    (void)copy_to_guest(v->runstate_area, &r, sizeof(r));
}

static long vcpu_runstate(struct vcpu *v, uint64_t arg)
{
    struct vcpu_runstate_info r;

    vcpu_runstate_fill(v, &r);
    return copy_to_guest(arg, &r, sizeof(r)) ? -EFAULT : 0;
}

long do_vcpu_op(HYPERCALL_ARGS)
{
    struct domain *d = current->domain;
    unsigned int cmd = a1, id = a2;
    uint64_t arg = a3;
    struct vcpu *v;

    if ( id >= d->max_vcpus )
        return -ENOENT;
    v = d->vcpu[id];
    if ( !v )
        return -ENOENT;

    switch ( cmd )
    {
    case VCPUOP_initialise:
        return arch_vcpu_initialise(v, arg);
    case VCPUOP_up:
        if ( !v->arch.guest_table )
            return -EINVAL; /* never initialised */
        v->online = true;
        vcpu_wake(v);
        return 0;
    case VCPUOP_down:
        v->online = false;
        vcpu_sleep(v);
        return 0;
    case VCPUOP_is_up:
        return v->online;
    case VCPUOP_get_runstate_info:
        return vcpu_runstate(v, arg);
    case VCPUOP_register_vcpu_info:
        return vcpu_register_info(v, arg);
    case VCPUOP_register_runstate_memory_area:
    {
        struct vcpu_register_runstate_memory_area a;

        if ( copy_from_guest(&a, arg, sizeof(a)) )
            return -EFAULT;
        if ( a.addr &&
             !guest_range_ok(a.addr, sizeof(struct vcpu_runstate_info)) )
            return -EFAULT; /* as Xen's range check */
        v->runstate_area = a.addr;
        if ( v == current )
            vcpu_runstate_publish(v);
        return 0;
    }
    case VCPUOP_set_periodic_timer:
    {
        struct vcpu_set_periodic_timer t;

        if ( copy_from_guest(&t, arg, sizeof(t)) )
            return -EFAULT;
        if ( t.period_ns < 1000000ULL || t.period_ns > (1ULL << 62) )
            return -EINVAL; /* at least 1 ms, as Xen */
        return vcpu_set_periodic_timer(v, t.period_ns);
    }
    case VCPUOP_stop_periodic_timer:
        return vcpu_set_periodic_timer(v, 0);
    case VCPUOP_set_singleshot_timer:
    {
        struct vcpu_set_singleshot_timer t;

        if ( v != current )
            return -EINVAL;
        if ( copy_from_guest(&t, arg, sizeof(t)) )
            return -EFAULT;
        if ( (t.flags & VCPU_SSHOTTMR_future) &&
             (s_time_t)t.timeout_abs_ns < NOW() )
            return -ETIME;
        return vcpu_set_singleshot_timer(v, t.timeout_abs_ns);
    }
    case VCPUOP_stop_singleshot_timer:
        if ( v != current )
            return -EINVAL;
        vcpu_stop_singleshot_timer(v);
        return 0;
    default:
        return -ENOSYS;
    }
}

/*
 * vm_assist(cmd, type): only assists Tessera implements are accepted:
 * writable_pagetables (the ptwr emulation in mm_pv.c).
 */
long do_vm_assist(HYPERCALL_ARGS)
{
    struct domain *d = current->domain;
    unsigned int cmd = a1, type = a2;
    const unsigned long supported = 1UL << VMASST_TYPE_writable_pagetables;

    if ( cmd != VMASST_CMD_enable && cmd != VMASST_CMD_disable )
        return -ENOSYS;
    if ( type >= 64 || !(supported & (1UL << type)) )
        return -EINVAL;
    if ( cmd == VMASST_CMD_enable )
        d->arch.vm_assist |= 1UL << type;
    else
        d->arch.vm_assist &= ~(1UL << type);
    return 0;
}
