/*
 * xenstored transaction commit: conflict check, accounting, apply
 *
 * Locking: none (single-threaded core).  A commit first decides (stale?
 * any touched node changed since it was seen?  quotas?) without changing
 * anything, then applies the entries: deletions shallowest first, then
 * writes shallowest first, so parents exist before their children.  Watches
 * fire for the operation targets as the changes land.
 */
#include <stdlib.h>
#include <string.h>
#include "xs_priv.h"

static int xs_commit_cmp(const void *a, const void *b)
{
    const struct xs_txe *x = *(const struct xs_txe *const *)a;
    const struct xs_txe *y = *(const struct xs_txe *const *)b;

    if ( x->state != y->state )
        return x->state == XS_TXE_DELETED ? -1 : 1;
    if ( x->depth != y->depth )
        return x->depth < y->depth ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Conflicts: EAGAIN when anything the transaction saw has changed. */
static int xs_commit_check(struct xs_store *s, struct xs_txn *t)
{
    struct xs_txe *e;

    if ( t->stale )
        return EAGAIN;
    for ( e = t->first; e; e = e->next )
    {
        struct xs_node *n = xs_node_lookup(s, e->path);

        if ( (n ? n->gen : 0) != e->base )
            return EAGAIN;
    }
    return 0;
}

/* The whole commit's node and memory growth must fit (XSA-421). */
static int xs_commit_quota(struct xs_conn *c, struct xs_txn *t)
{
    struct xs_store *s = c->store;
    uint64_t mem = 0;
    int64_t nodes = 0;
    struct xs_txe *e;
    int err = 0;

    if ( c->priv )
        return 0;
    for ( e = t->first; e; e = e->next )
    {
        struct xs_node *n = xs_node_lookup(s, e->path);

        if ( e->state == XS_TXE_WRITTEN && !n )
        {
            nodes++;
            mem += 64 + strlen(e->path) + e->vlen + 4 * e->perms.n;
        }
        else if ( e->state == XS_TXE_DELETED && n && n->owner == c->dom )
            nodes--;
    }
    if ( nodes < 0 )
        nodes = 0;
    return xs_dom_over(c, mem, (uint32_t)nodes, &err) ? err : 0;
}

static bool xs_commit_has_kid(const struct xs_txe *e, const char *name)
{
    const char *p;

    for ( p = e->kids; p < e->kids + e->kids_len; p += strlen(p) + 1 )
        if ( !strcmp(p, name) )
            return true;
    return false;
}

static int xs_commit_written(struct xs_store *s, struct xs_txe *e)
{
    struct xs_node *n = xs_node_lookup(s, e->path), *k, *next;
    char pbuf[XS_ABS_PATH_MAX + 1];
    int rc = 0;

    if ( !n )
    {
        struct xs_node *parent = NULL;

        if ( !xs_path_parent(e->path, pbuf, sizeof(pbuf)) )
            parent = xs_node_lookup(s, pbuf);
        n = parent
                ? xs_node_new(s, parent, e->path, e->value, e->vlen, &e->perms)
                : NULL;
        if ( !n )
            return ENOMEM;
    }
    else
    {
        if ( e->val_set )
            rc = xs_node_set_value(s, n, e->value, e->vlen);
        if ( !rc && e->perms_set )
            rc = xs_node_set_perms(s, n, &e->perms);
        for ( k = e->kids_gone ? n->kid_first : NULL; k; k = next )
        {
            next = k->sib_next;
            if ( xs_commit_has_kid(e, k->name) )
                continue;
            xs_watch_fire_exact(s, k->path, &k->perms);
            xs_node_delete(s, k);
        }
    }
    if ( e->fire )
        xs_watch_fire(s, e->path, &n->perms);
    return rc;
}

static int xs_commit_apply(struct xs_store *s, struct xs_txe **v, uint32_t n)
{
    uint32_t i;
    int rc = 0;

    for ( i = 0; i < n; i++ )
    {
        struct xs_txe *e = v[i];
        struct xs_node *node;

        if ( e->state == XS_TXE_WRITTEN )
        {
            int r = xs_commit_written(s, e);

            rc = rc ? rc : r;
            continue;
        }
        node = xs_node_lookup(s, e->path);
        if ( !node )
            continue;
        if ( e->fire )
            xs_watch_fire(s, e->path, &node->perms);
        xs_node_delete(s, node);
    }
    return rc;
}

int xs_txn_commit(struct xs_conn *c, struct xs_txn *t)
{
    struct xs_store *s = c->store;
    struct xs_txe **v, *e;
    uint32_t n = 0;
    int rc;

    if ( (rc = xs_commit_check(s, t)) || (rc = xs_commit_quota(c, t)) )
        return rc;
    v = malloc((t->nentries ? t->nentries : 1) * sizeof(*v));
    if ( !v )
        return ENOMEM;
    for ( e = t->first; e; e = e->next )
        if ( e->state != XS_TXE_READ )
            v[n++] = e;
    qsort(v, n, sizeof(*v), xs_commit_cmp);
    rc = xs_commit_apply(s, v, n);
    free(v);
    return rc;
}
