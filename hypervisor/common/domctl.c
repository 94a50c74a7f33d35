/*
 * domctl: Tessera's control interface for the builder (public/domctl.h).
 *
 * Every command is checked by the capability policy (common/policy.c)
 * before anything changes: creating needs BUILD; managing a domain needs
 * BUILD and being its parent; its memory and vCPU context only until it
 * is sealed, which happens at its first unpause (and is refused while the
 * builder still maps any of its frames, so no mapping outlives the seal).
 *
 * Locking: domctl_lock serialises control operations (they are rare and
 * may take domain locks in any documented order beneath it).
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/event.h>
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/policy.h>
#include <hv/sched.h>
#include <public/domctl.h>
#include <asm/guest_access.h>
#include <asm/smp.h>

static DEFINE_SPINLOCK(domctl_lock);

/* Provided by the architecture. */
int arch_vcpu_initialise(struct vcpu *v, uint64_t ctxt_gva);
int arch_get_vcpu_context(struct vcpu *v, uint64_t ctxt_gva);

struct policy_subject policy_subject_of(const struct domain *d)
{
    struct policy_subject s = { d->domain_id, d->parent, d->caps, d->sealed };

    return s;
}

static void fill_info(const struct domain *d,
                      struct tessera_domctl_getdomaininfo *i)
{
    unsigned int v, online = 0, running = 0, blocked = 0;

    memset(i, 0, sizeof(*i));
    for ( v = 0; v < d->max_vcpus; v++ )
    {
        const struct vcpu *vc = d->vcpu[v];

        if ( !vc || !vc->online )
            continue;
        online++;
        running += vc->state == VCPU_RUNNING;
        blocked += vc->state == VCPU_BLOCKED;
        i->cpu_time += vc->runstate_time[VCPU_RUNNING];
    }
    i->domain = d->domain_id;
    i->parent = d->parent;
    i->flags = (d->state == DOMAIN_DYING ? TESSERA_DOMINF_dying : 0) |
               (d->state == DOMAIN_SHUTDOWN ? TESSERA_DOMINF_shutdown : 0) |
               (d->state == DOMAIN_PAUSED ? TESSERA_DOMINF_paused : 0) |
               (online && blocked == online ? TESSERA_DOMINF_blocked : 0) |
               (running ? TESSERA_DOMINF_running : 0) |
               (d->sealed ? TESSERA_DOMINF_sealed : 0);
    i->shutdown_reason = d->shutdown_reason;
    i->caps = d->caps;
    i->tot_pages = d->tot_pages;
    i->max_pages = d->max_pages;
    i->shared_info_frame = d->shared_info_mfn;
    i->nr_online_vcpus = online;
    i->max_vcpu_id = d->max_vcpus - 1;
    memcpy(i->handle, d->handle, sizeof(i->handle));
}

static long create(struct domain *caller, struct tessera_domctl *op)
{
    struct tessera_domctl_createdomain *c = &op->u.createdomain;
    struct domain *d;
    domid_t id = op->domain;
    int rc;

    if ( c->flags || c->max_vcpus == 0 || c->max_vcpus > 128 )
        return -EINVAL;
    if ( id == 0 ) /* the lowest free id */
    {
        for ( id = 1; id <= DOMID_MAX && domain_id_in_use(id); id++ )
            ;
        if ( id > DOMID_MAX )
            return -ENOSPC;
    }
    else if ( id > DOMID_MAX )
        return -EINVAL;
    rc = domain_create(id, c->max_vcpus, &d);
    if ( rc )
        return rc;
    d->parent = caller->domain_id;
    caller->nr_children++;
    d->caps = 0;
    d->max_pages = 0; /* nothing until max_mem */
    memcpy(d->handle, c->handle, sizeof(d->handle));
    op->domain = id;
    printk("d%u: created by d%u (%u vCPUs)\n", id, caller->domain_id,
           c->max_vcpus);
    return 0;
}

/* Stop d's vCPUs and wait (bounded) until none runs on any CPU. */
static int quiesce(struct domain *d)
{
    unsigned int i;
    unsigned long spins;

    for ( i = 0; i < d->max_vcpus; i++ )
    {
        if ( !d->vcpu[i] )
            continue;
        vcpu_sleep(d->vcpu[i]);
        for ( spins = 0; d->vcpu[i]->state == VCPU_RUNNING; spins++ )
        {
            if ( spins > 100000000UL )
                return -EBUSY;
            cpu_relax();
        }
    }
    return 0;
}

/*
 * Stop d and give back its frames, a preemptible step at a time (-ERESTART:
 * the domctl continues); when done, its parent has one child less.
 * domctl_lock held.
 */
static int destroy_one(struct domain *by, struct domain *d)
{
    struct domain *p;
    int rc;

    if ( d->state != DOMAIN_DYING )
    {
        spin_lock(&d->lock);
        d->state = DOMAIN_SHUTDOWN;
        spin_unlock(&d->lock);
        if ( quiesce(d) )
            return -EBUSY;
    }
    rc = domain_destroy_step(d, true);
    if ( rc )
        return rc;
    if ( d->parent == by->domain_id )
        printk("d%u: destroyed by d%u (%lu frames, %u preemptions)\n",
               d->domain_id, by->domain_id, d->relinq.n, d->relinq.preemptions);
    else
        printk("d%u: destroyed with its ancestor d%u (by d%u)\n", d->domain_id,
               d->parent, by->domain_id);
    p = domain_get(d->parent);
    if ( p )
    {
        p->nr_children--;
        domain_put(p);
    }
    return 0;
}

/* A live child of parent (a reference), or NULL. */
static struct domain *find_child(const struct domain *parent)
{
    unsigned int id;

    for ( id = 0; id <= DOMID_MAX && parent->nr_children; id++ )
    {
        struct domain *c = domain_get_dying(id);

        if ( c && c != parent && c->parent == parent->domain_id )
            return c;
        if ( c )
            domain_put(c);
    }
    return NULL;
}

/*
 * Destroy d and every domain it built, deepest first: nothing a builder
 * made outlives it, so no domain is left that nobody may destroy.  Walks
 * down to a leaf each round (no recursion on the hypervisor stack).
 */
static int destroy_tree(struct domain *caller, struct domain *d)
{
    for ( ;; )
    {
        struct domain *leaf = d, *c;
        int rc;

        domain_get_ref(leaf);
        while ( (c = find_child(leaf)) != NULL )
        {
            domain_put(leaf);
            leaf = c;
        }
        if ( leaf == d )
        {
            domain_put(leaf);
            return destroy_one(caller, d);
        }
        rc = destroy_one(caller, leaf);
        domain_put(leaf);
        if ( rc )
            return rc;
    }
}

static long physinfo(struct tessera_domctl *op)
{
    struct tessera_domctl_physinfo *p = &op->u.physinfo;
    unsigned int id;

    memset(p, 0, sizeof(*p));
    p->total_pages = page_alloc_total_frames();
    p->free_pages = page_alloc_free_frames();
    p->nr_cpus = nr_cpus_online;
    for ( id = 0; id < DOMID_FIRST_RESERVED; id++ )
    {
        struct domain *d = domain_get(id);

        if ( d )
        {
            p->nr_domains++;
            domain_put(d);
        }
    }
    return 0;
}

static long do_one(struct domain *caller, struct domain *d,
                   struct tessera_domctl *op)
{
    struct policy_subject cs = policy_subject_of(caller), ts;

    switch ( op->cmd )
    {
    case TESSERA_DOMCTL_destroydomain:
        if ( d == caller )
            return -EINVAL;
        return destroy_tree(caller, d);
    case TESSERA_DOMCTL_pausedomain:
        spin_lock(&d->lock);
        if ( d->state == DOMAIN_RUNNING )
            d->state = DOMAIN_PAUSED;
        spin_unlock(&d->lock);
        return quiesce(d);
    case TESSERA_DOMCTL_seal:
    case TESSERA_DOMCTL_unpausedomain:
        /* The seal: no frame of d may stay mapped by anyone else. */
        if ( !d->sealed && __atomic_load_n(&d->foreign_maps, __ATOMIC_ACQUIRE) )
            return -EBUSY;
        d->sealed = true;
        if ( op->cmd == TESSERA_DOMCTL_unpausedomain )
            domain_unpause(d);
        return 0;
    case TESSERA_DOMCTL_getdomaininfo:
        fill_info(d, &op->u.getdomaininfo);
        return 0;
    case TESSERA_DOMCTL_max_mem:
        if ( op->u.max_mem.max_memkb / 4 < d->tot_pages )
            return -EINVAL; /* below what it holds */
        d->max_pages = op->u.max_mem.max_memkb / 4;
        return 0;
    case TESSERA_DOMCTL_max_vcpus:
        /* vCPUs are allocated at creation; only that number is valid. */
        return op->u.max_vcpus.max == d->max_vcpus ? 0 : -EINVAL;
    case TESSERA_DOMCTL_setvcpucontext:
    case TESSERA_DOMCTL_getvcpucontext:
    {
        struct tessera_domctl_vcpucontext *vc = &op->u.vcpucontext;
        int rc;

        if ( vc->vcpu >= d->max_vcpus || !d->vcpu[vc->vcpu] )
            return -ENOENT;
        if ( op->cmd == TESSERA_DOMCTL_getvcpucontext )
            return arch_get_vcpu_context(d->vcpu[vc->vcpu], vc->ctxt);
        rc = arch_vcpu_initialise(d->vcpu[vc->vcpu], vc->ctxt);
        if ( !rc )
            d->vcpu[vc->vcpu]->online = true; /* runs at unpause */
        return rc;
    }
    case TESSERA_DOMCTL_setvcpuaffinity:
    {
        struct tessera_domctl_vcpuaffinity *a = &op->u.vcpuaffinity;
        int cpu;

        if ( a->vcpu >= d->max_vcpus || !d->vcpu[a->vcpu] )
            return -ENOENT;
        cpu = sched_place_vcpu(d->vcpu[a->vcpu], a->cpumap, 128);
        if ( cpu < 0 )
            return cpu;
        a->cpu = (uint32_t)cpu;
        printk("d%u: vCPU %u on CPU %d (affinity set by d%u)\n", d->domain_id,
               a->vcpu, cpu, caller->domain_id);
        return 0;
    }
    case TESSERA_DOMCTL_shutdown:
        if ( op->u.shutdown.reason > SHUTDOWN_MAX )
            return -EINVAL;
        domain_shutdown(d, op->u.shutdown.reason);
        return 0;
    case TESSERA_DOMCTL_set_caps:
        ts = policy_subject_of(d);
        {
            int rc = policy_set_caps(&cs, &ts, op->u.set_caps.caps);

            if ( rc )
                return rc;
        }
        d->caps = op->u.set_caps.caps;
        return 0;
    default:
        return -ENOSYS;
    }
}

static long list(struct domain *caller, struct tessera_domctl *op)
{
    struct tessera_domctl_getdomaininfolist *l = &op->u.getdomaininfolist;
    struct policy_subject cs = policy_subject_of(caller), ts;
    struct tessera_domctl_getdomaininfo info;
    unsigned int n = 0, id;

    if ( l->max_domains > 256 )
        return -EINVAL;
    for ( id = l->first_domain; id <= DOMID_MAX && n < l->max_domains; id++ )
    {
        struct domain *d = domain_get(id);

        if ( !d )
            continue;
        ts = policy_subject_of(d);
        if ( !policy_may_see(&cs, &ts) )
        {
            fill_info(d, &info);
            if ( copy_to_guest(l->buffer + n * sizeof(info), &info,
                               sizeof(info)) )
            {
                domain_put(d);
                return -EFAULT;
            }
            n++;
        }
        domain_put(d);
    }
    l->num_domains = n;
    return 0;
}

long do_domctl(HYPERCALL_ARGS)
{
    struct domain *caller = current->domain, *d = NULL;
    struct policy_subject cs = policy_subject_of(caller), ts;
    struct tessera_domctl op;
    long rc;

    if ( copy_from_guest(&op, a1, sizeof(op)) )
        return -EFAULT;
    if ( op.interface_version != TESSERA_DOMCTL_INTERFACE_VERSION )
        return -EACCES;
    if ( op.cmd == 0 || op.cmd > TESSERA_DOMCTL_MAX || op._pad0[0] ||
         op._pad0[1] || op._pad0[2] )
        return op.cmd > TESSERA_DOMCTL_MAX ? -ENOSYS : -EINVAL;

    spin_lock(&domctl_lock);
    if ( op.cmd != TESSERA_DOMCTL_createdomain &&
         op.cmd != TESSERA_DOMCTL_getdomaininfolist &&
         op.cmd != TESSERA_DOMCTL_physinfo )
    {
        /* Destruction continues on a domain that is already dying. */
        d = op.domain == DOMID_SELF ? NULL
            : op.cmd == TESSERA_DOMCTL_destroydomain
                ? domain_get_dying(op.domain)
                : domain_get(op.domain);
        if ( op.domain == DOMID_SELF || op.domain == caller->domain_id )
        {
            d = caller;
            domain_get_ref(d);
        }
        ts = d ? policy_subject_of(d) : ts;
    }
    rc = policy_domctl(&cs, d ? &ts : NULL, op.cmd);
    if ( !rc )
    {
        if ( op.cmd == TESSERA_DOMCTL_createdomain )
            rc = create(caller, &op);
        else if ( op.cmd == TESSERA_DOMCTL_getdomaininfolist )
            rc = list(caller, &op);
        else if ( op.cmd == TESSERA_DOMCTL_physinfo )
            rc = physinfo(&op);
        else
            rc = do_one(caller, d, &op);
    }
    if ( d )
        domain_put(d);
    spin_unlock(&domctl_lock);

    if ( rc == -ERESTART )
    {
        unsigned long args[5] = { a1 };

        return hypercall_create_continuation(__HYPERVISOR_domctl, 1, args);
    }
    /* Results back only after the change (and only what has OUT fields). */
    if ( !rc &&
         (op.cmd == TESSERA_DOMCTL_createdomain ||
          op.cmd == TESSERA_DOMCTL_getdomaininfo ||
          op.cmd == TESSERA_DOMCTL_getdomaininfolist ||
          op.cmd == TESSERA_DOMCTL_physinfo ||
          op.cmd == TESSERA_DOMCTL_setvcpuaffinity) &&
         copy_to_guest(a1, &op, sizeof(op)) )
        rc = -EFAULT;
    return rc;
}
