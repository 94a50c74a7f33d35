/*
 * Scheduler core and the round-robin policy.
 *
 * Every vCPU belongs to one CPU (v->processor).  A runnable vCPU waits in
 * its CPU's FIFO run queue; the running one is not queued.  A slice timer
 * per CPU ends a slice when others wait.
 *
 * Locking: rq[cpu].lock (irqsave) protects the queue and the state of every
 * vCPU whose processor is cpu.  It nests inside domain locks.
 */
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/event.h>
#include <hv/lib.h>
#include <hv/sched.h>
#include <hv/softirq.h>
#include <asm/smp.h>
#include <asm/system.h>

struct runqueue
{
    spinlock_t lock;
    struct vcpu *head, *tail;
    struct timer slice;
};

static struct runqueue rq[NR_CPUS];
static const struct sched_ops *ops = &sched_rr_ops;
static unsigned int next_cpu;

static void rr_insert(unsigned int cpu, struct vcpu *v)
{
    v->rq_next = NULL;
    if ( rq[cpu].tail )
        rq[cpu].tail->rq_next = v;
    else
        rq[cpu].head = v;
    rq[cpu].tail = v;
}

static struct vcpu *rr_pick(unsigned int cpu)
{
    struct vcpu *v = rq[cpu].head;

    if ( v )
    {
        rq[cpu].head = v->rq_next;
        if ( !rq[cpu].head )
            rq[cpu].tail = NULL;
        v->rq_next = NULL;
    }
    return v;
}

static void rr_remove(unsigned int cpu, struct vcpu *v)
{
    struct vcpu **pp = &rq[cpu].head, *prev = NULL;

    while ( *pp && *pp != v )
    {
        prev = *pp;
        pp = &(*pp)->rq_next;
    }
    if ( !*pp )
        return;
    *pp = v->rq_next;
    if ( rq[cpu].tail == v )
        rq[cpu].tail = prev;
    v->rq_next = NULL;
}

const struct sched_ops sched_rr_ops = {
    .name = "round-robin",
    .insert = rr_insert,
    .pick = rr_pick,
    .remove = rr_remove,
};

static void slice_expired(void *data)
{
    (void)data;
    raise_softirq(SCHEDULE_SOFTIRQ);
}

void sched_init_cpu(unsigned int cpu)
{
    spin_lock_init(&rq[cpu].lock);
    init_timer(&rq[cpu].slice, slice_expired, NULL, cpu);
}

/* vCPUs placed on each CPU and not yet freed (a balance hint). */
static unsigned int placed[NR_CPUS];

void sched_add_vcpu(struct vcpu *v)
{
    v->processor = next_cpu++ % nr_cpus_online;
    placed[v->processor]++;
    v->state = VCPU_DOWN;
}

void sched_del_vcpu(struct vcpu *v)
{
    if ( placed[v->processor] )
        placed[v->processor]--;
}

int sched_place_vcpu(struct vcpu *v, const uint64_t *mask, unsigned int nbits)
{
    unsigned int cpu, best = NR_CPUS;

    for ( cpu = 0; cpu < nr_cpus_online && cpu < nbits; cpu++ )
        if ( (mask[cpu / 64] >> (cpu % 64)) & 1 &&
             (best == NR_CPUS || placed[cpu] < placed[best]) )
            best = cpu;
    if ( best == NR_CPUS )
        return -EINVAL;
    if ( v->state != VCPU_DOWN || v->runstate_time[VCPU_RUNNING] )
        return -EBUSY;
    kill_vcpu_timers(v);
    placed[v->processor]--;
    v->processor = best;
    placed[best]++;
    vcpu_timers_init(v);
    return (int)best;
}

static void set_state(struct vcpu *v, enum vcpu_state st)
{
    s_time_t now = NOW();

    v->runstate_time[v->state] += now - v->runstate_entry;
    v->runstate_entry = now;
    v->state = st;
}

bool vcpu_runnable(const struct vcpu *v)
{
    return v->online && !v->pause_count && v->domain->state == DOMAIN_RUNNING;
}

void vcpu_wake(struct vcpu *v)
{
    unsigned int cpu = v->processor;
    unsigned long flags;

    spin_lock_irqsave(&rq[cpu].lock, flags);
    if ( (v->state == VCPU_BLOCKED || v->state == VCPU_DOWN) &&
         vcpu_runnable(v) )
    {
        set_state(v, VCPU_RUNNABLE);
        ops->insert(cpu, v);
        cpu_raise_softirq(cpu, SCHEDULE_SOFTIRQ);
    }
    spin_unlock_irqrestore(&rq[cpu].lock, flags);
}

void vcpu_block(struct vcpu *v)
{
    unsigned long flags;

    spin_lock_irqsave(&rq[v->processor].lock, flags);
    if ( v->state == VCPU_RUNNING )
        set_state(v, VCPU_BLOCKED);
    spin_unlock_irqrestore(&rq[v->processor].lock, flags);
    raise_softirq(SCHEDULE_SOFTIRQ);
}

void vcpu_sleep(struct vcpu *v)
{
    unsigned int cpu = v->processor;
    unsigned long flags;

    spin_lock_irqsave(&rq[cpu].lock, flags);
    if ( v->state == VCPU_RUNNABLE )
    {
        ops->remove(cpu, v);
        set_state(v, VCPU_DOWN);
    }
    else if ( v->state == VCPU_BLOCKED )
        set_state(v, VCPU_DOWN);
    /* A running vCPU is taken off in schedule(). */
    spin_unlock_irqrestore(&rq[cpu].lock, flags);
    cpu_raise_softirq(cpu, SCHEDULE_SOFTIRQ);
}

void vcpu_yield(struct vcpu *v)
{
    (void)v;
    raise_softirq(SCHEDULE_SOFTIRQ);
}

/* Under rq lock: what the running vCPU becomes when it leaves the CPU. */
static void put_prev(unsigned int cpu, struct vcpu *prev)
{
    if ( !prev || prev->state != VCPU_RUNNING )
        return;
    if ( vcpu_runnable(prev) )
    {
        set_state(prev, VCPU_RUNNABLE);
        ops->insert(cpu, prev);
    }
    else
        set_state(prev, VCPU_DOWN);
}

void schedule(void)
{
    unsigned int cpu = smp_processor_id();
    struct vcpu *prev = current, *next;

    for ( ;; )
    {
        /*
         * This pick answers every request so far.  Left set, a request that
         * came while idle would keep cpu_idle_wait() from halting, and the
         * CPU would spin here with interrupts off: no timer, no IPI (a TLB
         * flush another CPU waits for) until something became runnable.
         */
        softirq_test_and_clear(SCHEDULE_SOFTIRQ);
        spin_lock(&rq[cpu].lock);
        put_prev(cpu, prev);
        next = ops->pick(cpu);
        if ( next )
            set_state(next, VCPU_RUNNING);
        spin_unlock(&rq[cpu].lock);
        if ( next )
            break;
        /* Nothing to run: idle, with prev (if any) no longer current. */
        if ( prev )
        {
            context_switch(prev, NULL);
            prev = NULL;
        }
        cpu_idle_wait();
    }

    if ( rq[cpu].head )
        set_timer(&rq[cpu].slice, NOW() + SCHED_SLICE_NS);
    else
        stop_timer(&rq[cpu].slice);
    if ( next != prev )
        context_switch(prev, next);
}
