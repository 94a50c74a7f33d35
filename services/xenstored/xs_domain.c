/*
 * xenstored domains: records, accounting, introduce/release, death cleanup
 *
 * Locking: none (single-threaded core).  A record exists for every domain
 * the store knows: introduced ones, domain 0, and domains named in a
 * permission list while the host says they exist.  Each record carries the
 * store generation at which it was made; a permission entry counts only for
 * a record older than the list (XSA-322).  Records are found by domid in a
 * flat table, so no operation scans other domains except the VIRQ_DOM_EXC
 * check, which must ask about each known domain, as Xen's daemon does.
 */
#include <stdlib.h>
#include "xs_priv.h"

struct xs_dom *xs_dom_get(struct xs_store *s, unsigned int domid)
{
    return domid < XS_DOMID_LIMIT ? s->doms[domid] : NULL;
}

static struct xs_dom *xs_dom_make(struct xs_store *s, unsigned int domid)
{
    struct xs_dom *d = calloc(1, sizeof(*d));

    if ( !d )
        return NULL;
    d->domid = domid;
    d->gen = ++s->gen;
    d->target = -1;
    d->next = s->dom_first;
    if ( s->dom_first )
        s->dom_first->prev = d;
    s->dom_first = d;
    s->doms[domid] = d;
    s->ndoms++;
    return d;
}

/* The record for domid; made when the host says the domain exists. */
struct xs_dom *xs_dom_find_or_make(struct xs_store *s, unsigned int domid)
{
    struct xs_dom *d = xs_dom_get(s, domid);

    if ( d || domid >= XS_DOMID_LIMIT )
        return d;
    if ( !s->ops->domain_state ||
         s->ops->domain_state(s->opaque, domid) == XS_DOM_GONE )
        return NULL;
    return xs_dom_make(s, domid);
}

/* The record for a domain that gets a connection (it is introduced). */
struct xs_dom *xs_dom_attach(struct xs_store *s, unsigned int domid)
{
    struct xs_dom *d = xs_dom_get(s, domid);

    if ( !d && domid < XS_DOMID_LIMIT )
        d = xs_dom_make(s, domid);
    if ( d )
        d->introduced = true;
    return d;
}

bool xs_dom_valid_for(struct xs_store *s, unsigned int domid, uint64_t gen)
{
    struct xs_dom *d = xs_dom_get(s, domid);

    return d && d->gen < gen;
}

void xs_dom_charge(struct xs_dom *d, int64_t mem, int32_t nodes)
{
    d->mem += (uint64_t)mem;
    d->nodes += (uint32_t)nodes;
}

/* Would c's domain exceed its node or memory quota?  Sets *err if so. */
bool xs_dom_over(const struct xs_conn *c, uint64_t more_mem,
                 uint32_t more_nodes, int *err)
{
    const struct xs_quota *q = &c->store->quota;
    const struct xs_dom *d = c->dom;

    if ( c->priv || !d )
        return false;
    if ( (uint64_t)d->nodes + more_nodes > q->nodes )
    {
        *err = ENOSPC;
        return true;
    }
    if ( d->mem + more_mem > q->memory )
    {
        *err = ENOMEM;
        return true;
    }
    return false;
}

static void xs_dom_unlink(struct xs_store *s, struct xs_dom *d)
{
    if ( d->prev )
        d->prev->next = d->next;
    else
        s->dom_first = d->next;
    if ( d->next )
        d->next->prev = d->prev;
    s->doms[d->domid] = NULL;
    s->ndoms--;
}

/*
 * Forget a domain: its connections die (the transport closes them), its
 * nodes are deleted (XSA-419), @releaseDomain fires if it was introduced.
 * Idempotent per record; the record is freed.
 */
static void xs_dom_destroy(struct xs_store *s, struct xs_dom *d)
{
    bool was_introduced = d->introduced;
    struct xs_conn *c;
    struct xs_node *n;

    while ( (c = d->conn_first) )
    {
        d->conn_first = c->dnext;
        c->dnext = c->dprev = NULL;
        xs_watch_del_all(c);
        xs_txn_free_all(c);
        c->dom = NULL;
        xs_conn_kill(c, "domain released");
    }
    while ( (n = d->own_first) )
    {
        if ( n == s->root )
        {
            struct xs_perm p0 = { .domid = 0, .bits = XS_PERM_NONE };
            struct xs_perms perms = { .p = &p0, .n = 1 };

            if ( xs_node_set_perms(s, n, &perms) )
                break; /* out of memory: the record stays */
            continue;
        }
        xs_watch_fire(s, n->path, &n->perms);
        xs_node_delete(s, n);
    }
    if ( d->own_first )
        return;
    if ( was_introduced && s->ops->release )
        s->ops->release(s->opaque, d->domid);
    xs_dom_unlink(s, d);
    free(d);
    if ( was_introduced )
        xs_watch_fire_special(s, &s->release);
}

int xs_dom_introduce(struct xs_conn *c, unsigned int domid, uint64_t gfn,
                     uint32_t evtchn)
{
    struct xs_store *s = c->store;
    struct xs_dom *d;
    int rc;

    if ( domid == 0 || domid >= XS_DOMID_LIMIT )
        return EINVAL;
    d = xs_dom_get(s, domid);
    if ( s->ops->introduce )
    {
        rc = s->ops->introduce(s->opaque, domid, gfn, evtchn);
        if ( rc )
            return rc;
    }
    if ( d && d->introduced )
        return 0; /* re-introduction rebinds the transport only */
    if ( !d )
        d = xs_dom_make(s, domid);
    if ( !d )
        return ENOMEM;
    d->introduced = true;
    xs_watch_fire_special(s, &s->intro);
    return 0;
}

int xs_dom_release(struct xs_store *s, unsigned int domid)
{
    struct xs_dom *d;

    if ( domid == 0 || domid >= XS_DOMID_LIMIT )
        return EINVAL;
    d = xs_dom_get(s, domid);
    if ( !d || !d->introduced )
        return ENOENT;
    xs_dom_destroy(s, d);
    return 0;
}

void xs_store_domain_gone(struct xs_store *s, unsigned int domid)
{
    struct xs_dom *d = xs_dom_get(s, domid);

    if ( d && domid != 0 )
        xs_dom_destroy(s, d);
}

void xs_store_check_domains(struct xs_store *s)
{
    struct xs_dom *d, *next;

    if ( !s->ops->domain_state )
        return;
    for ( d = s->dom_first; d; d = next )
    {
        enum xs_dom_state st;

        next = d->next;
        if ( d->domid == 0 )
            continue;
        st = s->ops->domain_state(s->opaque, d->domid);
        if ( st == XS_DOM_GONE )
            xs_dom_destroy(s, d);
        else if ( st == XS_DOM_SHUTDOWN && d->introduced && !d->shutdown_fired )
        {
            d->shutdown_fired = true;
            xs_watch_fire_special(s, &s->release);
        }
    }
}

/* Store teardown: connections die, then every record goes. */
void xs_dom_free_all(struct xs_store *s)
{
    struct xs_dom *d;
    struct xs_conn *c;

    for ( d = s->dom_first; d; d = d->next )
        while ( (c = d->conn_first) )
        {
            d->conn_first = c->dnext;
            xs_watch_del_all(c);
            xs_txn_free_all(c);
            c->dom = NULL;
            xs_conn_kill(c, "store freed");
        }
    xs_tree_free(s);
    while ( (d = s->dom_first) )
    {
        xs_dom_unlink(s, d);
        free(d);
    }
}

uint32_t xs_domain_nodes(const struct xs_store *s, unsigned int domid)
{
    const struct xs_dom *d = domid < XS_DOMID_LIMIT ? s->doms[domid] : NULL;

    return d ? d->nodes : 0;
}
