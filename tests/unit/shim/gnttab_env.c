/*
 * The grant-table tests' world (GNTTAB_ENV, gnttab_env.h): fake domains and
 * their domain table, policy_subject_of(), the arch_grant_* hooks over fake
 * L1 slots holding real frame references, and the preemption hooks.
 *
 * Locking: none; unit tests are single-threaded.
 */
#include <stdlib.h>
#include <string.h>

#include <hv/bootinfo.h>
#include <hv/hypercall.h>
#include <hv/pagetype.h>
#include <hv/policy.h>
#include "gnttab_env.h"
#include "guest_shim.h"
#include "pt_shim.h"
#include "shim.h"

#define ENV_MAX_DOMS   16
#define ENV_DOM_FRAMES 64

struct env_dom
{
    struct domain d; /* first: a struct domain * is a struct env_dom * */
    struct vcpu v;
    struct vcpu *vcpus[1];
    struct env_pte pte[ENV_SLOTS];
    unsigned long frames[ENV_DOM_FRAMES];
    unsigned int nr_frames;
};

struct env_hooks env_hooks;
unsigned int env_preempt_after, env_preempt_checks;
unsigned int env_continuations;
unsigned long env_cont_nr, env_cont_args[5];
unsigned int env_cont_nargs;

static struct page_info *env_table;
static struct env_dom *registered[DOMID_FIRST_RESERVED]; /* domain table */
static struct env_dom *live[ENV_MAX_DOMS];               /* not yet freed */
static uint64_t next_uid;

static struct env_dom *ed(struct domain *d)
{
    return (struct env_dom *)d;
}

void env_setup(void)
{
    static const struct mem_reservation null_frame = { 0, PAGE_SIZE, "null" };
    unsigned long free_frames;

    /* Frame 0 stays reserved: no granted frame is ever 0. */
    env_table = shim_heap_setup(ENV_RAM_FRAMES, &null_frame, 1, &free_frames);
    memset(registered, 0, sizeof(registered));
    memset(live, 0, sizeof(live));
    memset(&env_hooks, 0, sizeof(env_hooks));
    env_preempt_after = env_preempt_checks = 0;
    env_continuations = env_cont_nargs = 0;
    env_cont_nr = 0;
    memset(env_cont_args, 0, sizeof(env_cont_args));
    shim_guest_reset();
    shim_console_reset();
    shim_xmalloc_fail = 0;
    shim_frees = 0;
    shim_current = NULL;
}

void env_teardown(void)
{
    unsigned int i;

    for ( i = 0; i < ENV_MAX_DOMS; i++ )
    {
        struct env_dom *e = live[i];

        if ( !e || registered[e->d.domain_id] != e )
            continue;
        if ( e->d.state == DOMAIN_DYING )
            env_destroy_end(&e->d);
        else
            env_destroy(&e->d);
    }
}

void env_free(void)
{
    free(env_table);
    env_table = NULL;
    shim_ram_free();
}

unsigned int env_live_domains(void)
{
    unsigned int i, n = 0;

    for ( i = 0; i < ENV_MAX_DOMS; i++ )
        n += live[i] != NULL;
    return n;
}

struct domain *env_domain(domid_t id, domid_t parent, uint32_t caps)
{
    struct env_dom *e = calloc(1, sizeof(*e));
    struct domain *d = &e->d;
    unsigned int i;

    if ( !e || registered[id] )
        abort();
    d->domain_id = id;
    d->state = DOMAIN_RUNNING;
    d->refcnt = 1; /* the domain table's */
    d->max_vcpus = 1;
    d->vcpu = e->vcpus;
    e->vcpus[0] = &e->v;
    e->v.domain = d;
    d->parent = parent;
    d->caps = caps;
    d->page_head = INVALID_MFN;
    spin_lock_init(&d->lock);
    spin_lock_init(&d->page_lock);
    spin_lock_init(&d->page_alloc_lock);
    spin_lock_init(&d->event_lock);
    d->uid = ++next_uid;
    if ( grant_table_init(d) )
        abort();
    registered[id] = e;
    for ( i = 0; i < ENV_MAX_DOMS && live[i]; i++ )
        ;
    if ( i == ENV_MAX_DOMS )
        abort();
    live[i] = e;
    return d;
}

void env_run_as(struct domain *d)
{
    shim_current = d->vcpu[0];
}

unsigned long env_frame(struct domain *d)
{
    struct env_dom *e = ed(d);
    struct page_info *pg = alloc_pages(0, ~0UL);

    if ( !pg || e->nr_frames == ENV_DOM_FRAMES )
        abort();
    page_set_allocated(pg, d->domain_id);
    memset(mfn_to_virt(page_to_mfn(pg)), 0, PAGE_SIZE);
    e->frames[e->nr_frames++] = page_to_mfn(pg);
    return page_to_mfn(pg);
}

void env_give_back(struct domain *d, unsigned long mfn)
{
    struct page_info *pg = mfn_to_page(mfn);

    if ( pg->owner != d->domain_id || !page_release_allocated(pg) )
        abort();
}

struct env_pte *env_pte(struct domain *d, uint64_t va)
{
    if ( va < ENV_VA || va >= ENV_VA_OF(ENV_SLOTS) )
        return NULL;
    return &ed(d)->pte[(va - ENV_VA) >> PAGE_SHIFT];
}

/* Take what an L1 entry mapping mfn of owner holds. */
static bool pte_get(domid_t owner, unsigned long mfn, bool rw)
{
    struct page_info *pg = get_page_from_mfn(mfn, owner);
    struct pt_ctx ctx = { .owner = owner };

    if ( !pg )
        return false;
    if ( rw && get_page_type(pg, PGT_writable_page, &ctx) )
    {
        put_page(pg);
        return false;
    }
    return true;
}

/* Drop what the entry holds and clear it. */
static void pte_put(struct env_pte *p)
{
    struct page_info *pg = mfn_to_page(p->mfn);
    struct pt_ctx ctx = { .owner = pg->owner };

    if ( !p->present )
        return;
    if ( p->rw )
        put_page_type(pg, &ctx);
    put_page(pg);
    memset(p, 0, sizeof(*p));
}

void env_map_own(struct domain *d, uint64_t va, unsigned long mfn)
{
    struct env_pte *p = env_pte(d, va);

    if ( !p || !pte_get(d->domain_id, mfn, true) )
        abort();
    pte_put(p);
    p->present = p->rw = true;
    p->mfn = mfn;
    p->frame_owner = d->domain_id;
}

unsigned int env_mapped(struct domain *d)
{
    unsigned int i, n = 0;

    for ( i = 0; i < ENV_SLOTS; i++ )
        n += ed(d)->pte[i].present;
    return n;
}

/* ---- domains ------------------------------------------------------------- */

struct domain *domain_get(domid_t domid)
{
    struct env_dom *e = domid < DOMID_FIRST_RESERVED ? registered[domid] : 0;

    if ( !e || e->d.state == DOMAIN_DYING )
        return NULL;
    e->d.refcnt++;
    return &e->d;
}

struct domain *domain_get_dying(domid_t domid)
{
    struct env_dom *e = domid < DOMID_FIRST_RESERVED ? registered[domid] : 0;

    if ( !e )
        return NULL;
    e->d.refcnt++;
    return &e->d;
}

void domain_put(struct domain *d)
{
    unsigned int i;

    if ( d->refcnt == 0 )
        abort();
    if ( --d->refcnt )
        return;
    grant_table_free(d);
    for ( i = 0; i < ENV_MAX_DOMS; i++ )
        if ( live[i] == ed(d) )
            live[i] = NULL;
    free(ed(d));
}

struct policy_subject policy_subject_of(const struct domain *d)
{
    struct policy_subject s = { d->domain_id, d->parent, d->caps, d->sealed };
    void (*hook)(void) = env_hooks.on_lookup;

    env_hooks.on_lookup = NULL;
    if ( hook )
        hook();
    return s;
}

void env_destroy_begin(struct domain *d)
{
    struct env_dom *e = ed(d);
    unsigned int i;

    d->state = DOMAIN_DYING;
    grant_table_destroy(d);
    /* Its page tables go, and with them what their entries hold. */
    for ( i = 0; i < ENV_SLOTS; i++ )
        pte_put(&e->pte[i]);
    for ( i = 0; i < e->nr_frames; i++ )
    {
        struct page_info *pg = mfn_to_page(e->frames[i]);

        if ( pg->owner == d->domain_id && (pg->count_info & PGC_allocated) )
            page_release_allocated(pg);
    }
}

void env_destroy_end(struct domain *d)
{
    struct env_dom *e = ed(d);
    unsigned int i;

    registered[d->domain_id] = NULL;
    /* Still referenced (mapped elsewhere): nobody's until the last goes. */
    for ( i = 0; i < e->nr_frames; i++ )
    {
        struct page_info *pg = mfn_to_page(e->frames[i]);

        if ( pg->owner == d->domain_id && !(pg->count_info & PGC_free) )
            pg->owner = DOMID_XEN;
    }
    domain_put(d);
}

void env_destroy(struct domain *d)
{
    env_destroy_begin(d);
    env_destroy_end(d);
}

/* ---- the architecture's grant hooks -------------------------------------- */

static domid_t id_of(const struct domain *d)
{
    return d ? d->domain_id : DOMID_INVALID;
}

/* Record one hook call in *c (counted in *n). */
static void note_call(unsigned int *n, struct env_call *c,
                      const struct domain *ld, const struct domain *rd,
                      uint64_t addr, uint64_t new_addr, uint32_t flags,
                      unsigned long mfn, bool readonly)
{
    (*n)++;
    *c = (struct env_call){ .ld = id_of(ld),
                            .rd = id_of(rd),
                            .addr = addr,
                            .new_addr = new_addr,
                            .flags = flags,
                            .mfn = mfn,
                            .readonly = readonly };
}

static int16_t take_failure(int16_t *knob)
{
    int16_t st = *knob;

    *knob = 0;
    return st;
}

int16_t arch_grant_host_map(struct domain *ld, struct domain *rd,
                            uint64_t host_addr, uint32_t flags,
                            unsigned long mfn)
{
    bool rw = !(flags & GNTMAP_readonly);
    struct env_pte *p;
    int16_t st;

    note_call(&env_hooks.host_maps, &env_hooks.last_map, ld, rd, host_addr, 0,
              flags, mfn, !rw);
    if ( env_hooks.on_map )
        env_hooks.on_map();
    st = take_failure(&env_hooks.fail_map);
    if ( st )
        return st;
    p = env_pte(ld, host_addr);
    if ( !p )
        return GNTST_bad_virt_addr; /* no L1 maps it */
    if ( !pte_get(rd->domain_id, mfn, rw) )
        return GNTST_general_error;
    pte_put(p);
    p->present = true;
    p->rw = rw;
    p->mfn = mfn;
    p->frame_owner = rd->domain_id;
    return GNTST_okay;
}

int16_t arch_grant_host_unmap(struct domain *ld, struct domain *rd,
                              uint64_t host_addr, uint32_t flags,
                              unsigned long mfn, uint64_t new_addr)
{
    struct env_pte *p, *np = NULL, old;
    int16_t st;

    note_call(&env_hooks.host_unmaps, &env_hooks.last_unmap, ld, rd, host_addr,
              new_addr, flags, mfn, flags & GNTMAP_readonly);
    st = take_failure(&env_hooks.fail_unmap);
    if ( st )
        return st;
    p = env_pte(ld, host_addr);
    if ( new_addr )
        np = env_pte(ld, new_addr);
    if ( !p || (new_addr && !np) )
        return GNTST_bad_virt_addr;
    if ( !p->present || p->mfn != mfn )
        return GNTST_general_error; /* not this grant's mapping */
    old = *p;
    if ( np )
    {
        *p = *np;
        memset(np, 0, sizeof(*np));
    }
    else
        memset(p, 0, sizeof(*p));
    pte_put(&old);
    return GNTST_okay;
}

int16_t arch_grant_get_frame(struct domain *rd, unsigned long mfn,
                             bool readonly)
{
    struct page_info *pg;
    struct pt_ctx ctx = { .owner = rd->domain_id };
    int16_t st;

    note_call(&env_hooks.get_frames, &env_hooks.last_get, NULL, rd, 0, 0, 0,
              mfn, readonly);
    st = take_failure(&env_hooks.fail_get);
    if ( st )
        return st;
    pg = get_page_from_mfn(mfn, rd->domain_id);
    if ( !pg || (pg->count_info & PGC_xen_shared) )
    {
        if ( pg )
            put_page(pg);
        return GNTST_bad_page;
    }
    if ( !readonly && get_page_type(pg, PGT_writable_page, &ctx) )
    {
        put_page(pg);
        return GNTST_general_error;
    }
    return GNTST_okay;
}

void arch_grant_put_frame(struct domain *rd, unsigned long mfn, bool readonly)
{
    struct page_info *pg = mfn_to_page(mfn);
    struct pt_ctx ctx = { .owner = rd ? rd->domain_id : DOMID_XEN };

    note_call(&env_hooks.put_frames, &env_hooks.last_put, NULL, rd, 0, 0, 0,
              mfn, readonly);
    if ( !readonly )
        put_page_type(pg, &ctx);
    put_page(pg);
}

/* ---- preemption ---------------------------------------------------------- */

bool hypercall_preempt_check(void)
{
    env_preempt_checks++;
    return env_preempt_after && env_preempt_checks >= env_preempt_after;
}

long hypercall_create_continuation(unsigned long nr, unsigned int nargs,
                                   const unsigned long args[5])
{
    env_continuations++;
    env_cont_nr = nr;
    env_cont_nargs = nargs;
    memcpy(env_cont_args, args, sizeof(env_cont_args));
    return ENV_CONTINUATION;
}
