/*
 * Domains, vCPUs and scheduler hooks for event-channel tests (EVTCHN_ENV);
 * see evtchn_env.h.  The channel tables and the vCPU timers are the real
 * ones (evtchn_init(), vcpu_timers_init()); only what event.c needs from
 * domain.c, domctl.c and the scheduler is stood in for here.
 *
 * Locking: none; unit tests are single-threaded.
 */
#include <stdlib.h>
#include <string.h>

#include <hv/event.h>
#include <hv/mm.h>
#include <hv/policy.h>
#include <hv/sched.h>
#include <hv/softirq.h>

#include "evtchn_env.h"

static struct
{
    struct domain *d;
    bool gone;
} env_doms[ENV_MAX_DOMS];

unsigned int env_bad_puts;
struct vcpu *env_woken[ENV_LOG_SIZE];
unsigned int env_nr_woken;
unsigned int env_kicked[ENV_LOG_SIZE];
unsigned int env_nr_kicked;

struct domain *env_domain_create(domid_t id, domid_t parent, uint32_t caps,
                                 unsigned int max_vcpus, unsigned int nr_vcpus)
{
    struct domain *d = calloc(1, sizeof(*d));
    unsigned int i, slot;

    for ( slot = 0; slot < ENV_MAX_DOMS && env_doms[slot].d; slot++ )
        ;
    if ( !d || slot == ENV_MAX_DOMS || nr_vcpus > max_vcpus ||
         max_vcpus > XEN_LEGACY_MAX_VCPUS )
        abort();
    d->domain_id = id;
    d->parent = parent;
    d->caps = caps;
    d->state = DOMAIN_RUNNING;
    d->refcnt = 1;
    d->max_vcpus = max_vcpus;
    spin_lock_init(&d->lock);
    spin_lock_init(&d->event_lock);
    d->shared_info = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
    d->vcpu = calloc(max_vcpus, sizeof(*d->vcpu));
    if ( !d->shared_info || !d->vcpu || evtchn_init(d) )
        abort();
    memset(d->shared_info, 0, PAGE_SIZE);
    for ( i = 0; i < nr_vcpus; i++ )
    {
        struct vcpu *v = calloc(1, sizeof(*v));

        if ( !v )
            abort();
        v->vcpu_id = i;
        v->domain = d;
        v->processor = i + 1;
        v->state = VCPU_RUNNING;
        v->online = true;
        v->vcpu_info = &d->shared_info->vcpu_info[i];
        if ( timer_cpu_init(v->processor) )
            abort();
        vcpu_timers_init(v);
        d->vcpu[i] = v;
    }
    env_doms[slot].d = d;
    env_doms[slot].gone = false;
    return d;
}

void env_domain_gone(struct domain *d)
{
    unsigned int i;

    for ( i = 0; i < ENV_MAX_DOMS; i++ )
        if ( env_doms[i].d == d )
            env_doms[i].gone = true;
}

bool env_destroy_all(void)
{
    bool balanced = env_bad_puts == 0;
    unsigned int i, v;

    for ( i = 0; i < ENV_MAX_DOMS; i++ )
    {
        struct domain *d = env_doms[i].d;

        if ( !d )
            continue;
        balanced = balanced && d->refcnt == 1;
        for ( v = 0; v < d->max_vcpus; v++ )
            if ( d->vcpu[v] )
            {
                kill_vcpu_timers(d->vcpu[v]);
                free(d->vcpu[v]);
            }
        evtchn_destroy(d);
        free(d->vcpu);
        free(d->shared_info);
        free(d);
        env_doms[i].d = NULL;
    }
    env_bad_puts = 0;
    return balanced;
}

struct domain *domain_get(domid_t domid)
{
    unsigned int i;

    for ( i = 0; i < ENV_MAX_DOMS; i++ )
        if ( env_doms[i].d && !env_doms[i].gone &&
             env_doms[i].d->domain_id == domid )
        {
            domain_get_ref(env_doms[i].d);
            return env_doms[i].d;
        }
    return NULL;
}

void domain_put(struct domain *d)
{
    /* The table's own reference is never dropped in these tests. */
    if ( d->refcnt <= 1 )
        env_bad_puts++;
    else
        d->refcnt--;
}

/* As common/domctl.c. */
struct policy_subject policy_subject_of(const struct domain *d)
{
    struct policy_subject s = { d->domain_id, d->parent, d->caps, d->sealed };

    return s;
}

void vcpu_wake(struct vcpu *v)
{
    if ( env_nr_woken < ENV_LOG_SIZE )
        env_woken[env_nr_woken] = v;
    env_nr_woken++;
    if ( v->state == VCPU_BLOCKED )
        v->state = VCPU_RUNNABLE;
}

void arch_cpu_kick(unsigned int cpu)
{
    if ( env_nr_kicked < ENV_LOG_SIZE )
        env_kicked[env_nr_kicked] = cpu;
    env_nr_kicked++;
}

void env_records_reset(void)
{
    env_nr_woken = 0;
    env_nr_kicked = 0;
}

unsigned int env_wake_count(const struct vcpu *v)
{
    unsigned int i, n = 0;

    for ( i = 0; i < env_nr_woken && i < ENV_LOG_SIZE; i++ )
        n += env_woken[i] == v;
    return n;
}
