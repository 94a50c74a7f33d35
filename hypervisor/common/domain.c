/*
 * Domains and vCPUs: creation, frame ownership, shutdown, destruction.
 *
 * Locking: domlist_lock protects domain_table; d->lock protects the page
 * list, counters and state changes of d.  See hv/domain.h for the order.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/event.h>
#include <hv/grant_table.h>
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/pagetype.h>
#include <hv/sched.h>

static struct domain *domain_table[DOMID_FIRST_RESERVED];
/*
 * Every domain with frames, by id, from creation until it is freed (it
 * stays here while dying, when domain_table no longer lists it), for
 * free_domheap_page(), which may run with page locks held.
 */
static struct domain *frame_owner[DOMID_FIRST_RESERVED];
/*
 * Held from a frame_owner[] lookup to the last use of the domain found
 * (they take no reference), and to publish or unpublish one: so no CPU is
 * between the two when the structure goes, and a domain freed after its
 * id was reused never unpublishes its successor.  Taken inside page locks
 * and domlist_lock, outside d->page_alloc_lock.
 */
static DEFINE_SPINLOCK(owner_lock);
static DEFINE_SPINLOCK(domlist_lock);
static uint64_t next_uid; /* struct domain.uid */

/* Publish the wall clock at system time 0 (version protocol). */
static void domain_set_wallclock(struct domain *d)
{
    struct shared_info *s = d->shared_info;
    uint32_t sec, nsec, sec_hi;

    arch_wallclock(&sec, &nsec, &sec_hi);
    __atomic_store_n(&s->wc_version, s->wc_version + 1, __ATOMIC_RELEASE);
    s->wc_sec = sec;
    s->wc_nsec = nsec;
    s->wc_sec_hi = sec_hi;
    __atomic_store_n(&s->wc_version, s->wc_version + 1, __ATOMIC_RELEASE);
}

static void vcpu_free(struct vcpu *v)
{
    kill_vcpu_timers(v);
    sched_del_vcpu(v);
    xfree(v);
}

static int vcpu_create(struct domain *d, unsigned int id)
{
    struct vcpu *v = xzalloc(struct vcpu);
    int rc;

    if ( !v )
        return -ENOMEM;
    v->vcpu_id = id;
    v->domain = d;
    if ( id < XEN_LEGACY_MAX_VCPUS )
        v->vcpu_info = &d->shared_info->vcpu_info[id];
    sched_add_vcpu(v);
    vcpu_timers_init(v);
    rc = arch_vcpu_create(v);
    if ( rc )
    {
        vcpu_free(v);
        return rc;
    }
    d->vcpu[id] = v;
    return 0;
}

static void domain_free(struct domain *d)
{
    unsigned int i;

    for ( i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            vcpu_free(d->vcpu[i]);
    evtchn_destroy(d);
    grant_table_free(d);
    /* shared_info goes back as its last reference goes (destroy). */
    if ( d->shared_info && d->state != DOMAIN_DYING )
        free_pages(mfn_to_page(d->shared_info_mfn), 0);
    spin_lock(&owner_lock);
    if ( frame_owner[d->domain_id] == d )
        frame_owner[d->domain_id] = NULL;
    spin_unlock(&owner_lock);
    xfree(d->vcpu);
    xfree(d);
}

int domain_create(domid_t domid, unsigned int max_vcpus, struct domain **out)
{
    struct page_info *pg;
    struct domain *d;
    unsigned int i;
    int rc = -ENOMEM;

    if ( domid > DOMID_MAX || max_vcpus == 0 || max_vcpus > 128 )
        return -EINVAL;
    d = xzalloc(struct domain);
    if ( !d )
        return -ENOMEM;
    d->domain_id = domid;
    d->state = DOMAIN_PAUSED;
    d->refcnt = 1;
    d->max_vcpus = max_vcpus;
    d->page_head = INVALID_MFN;
    spin_lock_init(&d->lock);
    spin_lock_init(&d->event_lock);
    spin_lock_init(&d->page_lock);
    spin_lock_init(&d->page_alloc_lock);
    d->vcpu = xzalloc_array(struct vcpu *, max_vcpus);
    pg = alloc_pages(0, ~0UL);
    if ( !d->vcpu || !pg )
        goto fail;
    d->shared_info_mfn = page_to_mfn(pg);
    d->shared_info = mfn_to_virt(d->shared_info_mfn);
    memset(d->shared_info, 0, PAGE_SIZE);
    /* Shared with the guest (it may map it), not counted in tot_pages. */
    page_set_allocated(pg, domid);
    __atomic_fetch_or(&pg->count_info, PGC_xen_shared, __ATOMIC_RELAXED);
    domain_set_wallclock(d);
    rc = evtchn_init(d);
    if ( rc )
        goto fail;
    rc = grant_table_init(d);
    if ( rc )
        goto fail;
    d->uid = __atomic_add_fetch(&next_uid, 1, __ATOMIC_RELAXED);
    for ( i = 0; i < max_vcpus; i++ )
    {
        rc = vcpu_create(d, i);
        if ( rc )
            goto fail;
        /* Events start masked, as Xen leaves them at start of day. */
        if ( d->vcpu[i]->vcpu_info )
            d->vcpu[i]->vcpu_info->evtchn_upcall_mask = 1;
    }

    spin_lock(&domlist_lock);
    if ( domain_table[domid] )
    {
        spin_unlock(&domlist_lock);
        rc = -EEXIST;
        goto fail;
    }
    domain_table[domid] = d;
    spin_lock(&owner_lock);
    frame_owner[domid] = d;
    spin_unlock(&owner_lock);
    spin_unlock(&domlist_lock);
    *out = d;
    return 0;

fail:
    domain_free(d);
    return rc;
}

/* A reference to the domain with that id (a dying one only if asked). */
static struct domain *lookup(domid_t domid, bool dying_too)
{
    struct domain *d;

    if ( domid >= DOMID_FIRST_RESERVED )
        return NULL;
    spin_lock(&domlist_lock);
    d = domain_table[domid];
    if ( d && (dying_too || d->state != DOMAIN_DYING) )
        domain_get_ref(d);
    else
        d = NULL;
    spin_unlock(&domlist_lock);
    return d;
}

struct domain *domain_get(domid_t domid)
{
    return lookup(domid, false);
}

struct domain *domain_get_dying(domid_t domid)
{
    return lookup(domid, true);
}

bool domain_id_in_use(domid_t domid)
{
    bool used;

    spin_lock(&domlist_lock);
    used = domid < DOMID_FIRST_RESERVED && domain_table[domid];
    spin_unlock(&domlist_lock);
    return used;
}

void domain_put(struct domain *d)
{
    /* Release: our accesses to d happen before a possible free. */
    if ( __atomic_sub_fetch(&d->refcnt, 1, __ATOMIC_ACQ_REL) == 0 )
        domain_free(d);
}

int domain_assign_page(struct domain *d, unsigned long mfn)
{
    struct page_info *pg = mfn_to_page(mfn);

    spin_lock(&d->page_alloc_lock);
    if ( d->tot_pages >= d->max_pages )
    {
        spin_unlock(&d->page_alloc_lock);
        return -ENOMEM;
    }
    page_set_allocated(pg, d->domain_id);
    pg->type_info = 0;
    pg->prev = INVALID_MFN;
    pg->next = d->page_head;
    if ( d->page_head != INVALID_MFN )
        mfn_to_page(d->page_head)->prev = mfn;
    d->page_head = mfn;
    d->tot_pages++;
    spin_unlock(&d->page_alloc_lock);
    return 0;
}

/* A frame of d gained or lost a mapping in another domain's tables. */
void arch_foreign_map(const struct page_info *pg, int delta)
{
    domid_t owner = __atomic_load_n(&pg->owner, __ATOMIC_RELAXED);
    struct domain *d;

    spin_lock(&owner_lock);
    d = owner < DOMID_FIRST_RESERVED ? frame_owner[owner] : NULL;
    if ( d )
        __atomic_fetch_add(&d->foreign_maps, (unsigned long)(long)delta,
                           __ATOMIC_ACQ_REL);
    spin_unlock(&owner_lock);
}

/*
 * The last reference of a domain frame went (hv/pagetype.h): take it off
 * its owner's list, uncount it and give it back.  A CPU may still cache a
 * mapping of it: the allocator flushes those before the frame is used
 * again (the TLB clock, hv/mm.h).  May run with the owner's page lock held.
 */
void free_domheap_page(struct page_info *pg)
{
    unsigned long mfn = page_to_mfn(pg);
    domid_t owner = __atomic_load_n(&pg->owner, __ATOMIC_RELAXED);
    struct domain *d;

    spin_lock(&owner_lock);
    d = owner < DOMID_FIRST_RESERVED ? frame_owner[owner] : NULL;
    if ( d && !(pg->count_info & PGC_xen_shared) )
    {
        spin_lock(&d->page_alloc_lock);
        /* Orphaned meanwhile (orphan_frames): on no list any more. */
        if ( pg->owner == d->domain_id )
        {
            if ( pg->prev != INVALID_MFN )
                mfn_to_page(pg->prev)->next = pg->next;
            else
                d->page_head = pg->next;
            if ( pg->next != INVALID_MFN )
                mfn_to_page(pg->next)->prev = pg->prev;
            d->tot_pages--;
        }
        spin_unlock(&d->page_alloc_lock);
    }
    spin_unlock(&owner_lock);
    m2p_clear(mfn);
    pg->owner = DOMID_XEN;
    pg->type_info = 0;
    pg->count_info &= ~(PGC_count_mask | PGC_xen_shared);
    free_pages(pg, 0);
}

void domain_unpause(struct domain *d)
{
    unsigned int i;

    spin_lock(&d->lock);
    if ( d->state == DOMAIN_PAUSED )
        d->state = DOMAIN_RUNNING;
    spin_unlock(&d->lock);
    for ( i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] && d->vcpu[i]->online )
            vcpu_wake(d->vcpu[i]);
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
    unsigned int i;

    domain_console_flush(d);
    spin_lock(&d->lock);
    if ( d->state == DOMAIN_SHUTDOWN || d->state == DOMAIN_DYING )
    {
        spin_unlock(&d->lock);
        return;
    }
    d->state = DOMAIN_SHUTDOWN;
    d->shutdown_reason = reason;
    spin_unlock(&d->lock);
    for ( i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            vcpu_sleep(d->vcpu[i]);
    arch_domain_shutdown_hook(d);
    /* Its builder learns of it (and applies on_poweroff/reboot/crash). */
    if ( d->parent < DOMID_FIRST_RESERVED )
    {
        struct domain *p = domain_get(d->parent);

        if ( p )
        {
            send_guest_global_virq(p, VIRQ_DOM_EXC);
            domain_put(p);
        }
    }
}

void domain_crash(struct domain *d, const char *fmt, ...)
{
    char msg[160];
    va_list ap;

    va_start(ap, fmt);
    hv_vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    domain_console_flush(d);
    printk(XENLOG_ERR "d%u: crashed: %s\n", d->domain_id, msg);
    domain_shutdown(d, SHUTDOWN_crash);
}

/* Frames given back between preemption checks. */
#define RELINQUISH_BATCH 64

/*
 * The first step: stop d for good and snapshot its frames (they leave the
 * page list as their references drop, so the list cannot be walked live).
 */
static void destroy_begin(struct domain *d)
{
    unsigned long mfn, n = 0;
    unsigned int i;

    domain_console_flush(d);
    spin_lock(&d->lock);
    d->state = DOMAIN_DYING;
    spin_unlock(&d->lock);
    for ( i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            arch_vcpu_release(d->vcpu[i]);
    grant_table_destroy(d);
    evtchn_close_all(d);

    spin_lock(&d->page_alloc_lock);
    d->relinq.list = xmalloc_bytes((d->tot_pages + 1) * sizeof(unsigned long));
    for ( mfn = d->page_head; d->relinq.list && mfn != INVALID_MFN;
          mfn = mfn_to_page(mfn)->next )
        d->relinq.list[n++] = mfn;
    spin_unlock(&d->page_alloc_lock);
    BUG_ON(!d->relinq.list && d->tot_pages); /* no memory to tear down */
    d->relinq.n = n;
    d->relinq.started = true;
}

/*
 * Frames still referenced after d gave everything up are mapped elsewhere
 * (a grant mapping, a builder's mapping): they leave d's list and belong to
 * nobody (DOMID_XEN) until their last reference goes, so that neither d's
 * freed structure nor a later domain with d's id is ever touched for them.
 */
static void orphan_frames(struct domain *d)
{
    unsigned long mfn, next, n = 0;

    spin_lock(&d->page_alloc_lock);
    for ( mfn = d->page_head; mfn != INVALID_MFN; mfn = next )
    {
        struct page_info *pg = mfn_to_page(mfn);

        next = pg->next;
        pg->prev = pg->next = INVALID_MFN;
        pg->owner = DOMID_XEN;
        n++;
    }
    d->page_head = INVALID_MFN;
    d->tot_pages = 0;
    spin_unlock(&d->page_alloc_lock);
    if ( n )
        printk("d%u: %lu frames still mapped elsewhere: freed as their last "
               "mapping goes\n",
               d->domain_id, n);
}

int domain_destroy_step(struct domain *d, bool preemptible)
{
    struct pt_ctx ctx = { .owner = d->domain_id };

    if ( !d->relinq.started )
        destroy_begin(d);

    spin_lock(&d->page_lock);
    while ( d->relinq.done < d->relinq.n )
    {
        struct page_info *pg = mfn_to_page(d->relinq.list[d->relinq.done++]);

        while ( pt_relinquish_frame(pg, &ctx) == -ERESTART )
            while ( ctx.deferred &&
                    pt_finish_deferred(ctx.deferred, &ctx) == -ERESTART )
                ;
        if ( preemptible && d->relinq.done % RELINQUISH_BATCH == 0 &&
             d->relinq.done < d->relinq.n && hypercall_preempt_check() )
        {
            spin_unlock(&d->page_lock);
            d->relinq.preemptions++;
            return -ERESTART;
        }
    }
    if ( d->shared_info && !d->relinq.shared_info_done )
    {
        page_release_allocated(mfn_to_page(d->shared_info_mfn));
        d->relinq.shared_info_done = true;
    }
    spin_unlock(&d->page_lock);
    xfree(d->relinq.list);
    d->relinq.list = NULL;

    spin_lock(&domlist_lock);
    if ( domain_table[d->domain_id] == d )
        domain_table[d->domain_id] = NULL;
    spin_unlock(&domlist_lock);
    orphan_frames(d);
    domain_put(d); /* the table's reference */
    return 0;
}

void domain_destroy(struct domain *d)
{
    domain_destroy_step(d, false);
}
