/*
 * xenstored transactions: the private view and its accounting
 *
 * Locking: none (single-threaded core).  A transaction keeps a hash table of
 * entries, one per node it touched: READ entries remember the generation of
 * the tree node it saw (0 = absent), WRITTEN entries hold a private copy
 * (value, permissions, child names), DELETED entries hide a node.  Nothing is
 * copied that the transaction did not touch.  A node newer than the
 * transaction's start marks it stale: such a transaction cannot commit, so
 * every committed transaction saw a consistent snapshot.
 */
#include <stdlib.h>
#include <string.h>
#include "xs_priv.h"

#define XS_TXN_HASH_INITIAL 64u

struct xs_txn *xs_txn_find(struct xs_conn *c, uint32_t id)
{
    struct xs_txn *t;

    for ( t = c->txn_first; t; t = t->next )
        if ( t->id == id )
            return t;
    return NULL;
}

int xs_txn_start(struct xs_conn *c, uint32_t *id)
{
    struct xs_store *s = c->store;
    struct xs_txn *t;

    if ( !c->priv && c->ntxns >= s->quota.transactions )
        return ENOSPC;
    t = calloc(1, sizeof(*t));
    if ( !t )
        return ENOMEM;
    t->hsize = XS_TXN_HASH_INITIAL;
    t->htab = calloc(t->hsize, sizeof(*t->htab));
    if ( !t->htab )
    {
        free(t);
        return ENOMEM;
    }
    do
        t->id = s->next_txid++;
    while ( t->id == 0 || xs_txn_find(c, t->id) );
    t->conn = c;
    t->start_gen = s->gen;
    t->next = c->txn_first;
    c->txn_first = t;
    c->ntxns++;
    *id = t->id;
    return 0;
}

void xs_txe_free_data(struct xs_txe *e)
{
    free(e->value);
    free(e->perms.p);
    free(e->kids);
    e->value = e->kids = NULL;
    e->perms.p = NULL;
    e->vlen = e->kids_len = e->nkids = 0;
    e->perms.n = 0;
}

static void xs_txn_free(struct xs_txn *t)
{
    struct xs_txe *e, *next;

    for ( e = t->first; e; e = next )
    {
        next = e->next;
        xs_txe_free_data(e);
        free(e->path);
        free(e);
    }
    free(t->htab);
    free(t);
}

/* Unlink and free; idempotent teardown (XSA-484) goes through here only. */
static void xs_txn_unlink(struct xs_conn *c, struct xs_txn *t)
{
    struct xs_txn **pp = &c->txn_first;

    while ( *pp && *pp != t )
        pp = &(*pp)->next;
    if ( !*pp )
        return;
    *pp = t->next;
    c->ntxns--;
    xs_txn_free(t);
}

int xs_txn_end(struct xs_conn *c, struct xs_txn *t, bool commit)
{
    int rc = commit ? xs_txn_commit(c, t) : 0;

    xs_txn_unlink(c, t);
    return rc;
}

void xs_txn_free_all(struct xs_conn *c)
{
    while ( c->txn_first )
        xs_txn_unlink(c, c->txn_first);
}

static struct xs_txe *xs_txe_find(struct xs_txn *t, const char *path,
                                  uint32_t h)
{
    struct xs_txe *e;

    for ( e = t->htab[h & (t->hsize - 1)]; e; e = e->hnext )
        if ( e->hash == h && !strcmp(e->path, path) )
            return e;
    return NULL;
}

static void xs_txn_grow(struct xs_txn *t)
{
    uint32_t nsize = t->hsize * 2;
    struct xs_txe **nt = calloc(nsize, sizeof(*nt));
    struct xs_txe *e;

    if ( !nt )
        return;
    for ( e = t->first; e; e = e->next )
    {
        e->hnext = nt[e->hash & (nsize - 1)];
        nt[e->hash & (nsize - 1)] = e;
    }
    free(t->htab);
    t->htab = nt;
    t->hsize = nsize;
}

/* Is the node at path (or, if absent, its nearest ancestor) too new? */
static bool xs_txn_too_new(struct xs_txn *t, const char *path,
                           struct xs_node *n)
{
    struct xs_store *s = t->conn->store;
    char buf[XS_ABS_PATH_MAX + 1];

    if ( n )
        return n->gen > t->start_gen;
    strcpy(buf, path);
    while ( !n && !xs_path_parent(buf, buf, sizeof(buf)) )
        n = xs_node_lookup(s, buf);
    return n && n->gen > t->start_gen;
}

/* A new READ entry for path, observing the tree as it is now. */
static int xs_txe_new(struct xs_txn *t, const char *path, uint32_t h,
                      struct xs_txe **out)
{
    struct xs_store *s = t->conn->store;
    struct xs_node *n = xs_node_lookup(s, path);
    struct xs_txe *e;

    if ( !t->conn->priv && t->nentries >= s->quota.transaction_nodes )
        return ENOSPC;
    e = calloc(1, sizeof(*e));
    if ( !e || !(e->path = strdup(path)) )
    {
        free(e);
        return ENOMEM;
    }
    e->hash = h;
    e->seq = t->seq++;
    e->depth = xs_path_depth(path);
    e->state = XS_TXE_READ;
    e->base = n ? n->gen : 0;
    if ( xs_txn_too_new(t, path, n) )
        t->stale = true;
    e->hnext = t->htab[h & (t->hsize - 1)];
    t->htab[h & (t->hsize - 1)] = e;
    if ( t->last )
        t->last->next = e;
    else
        t->first = e;
    t->last = e;
    if ( ++t->nentries > t->hsize )
        xs_txn_grow(t);
    *out = e;
    return 0;
}

static bool xs_txe_has_kid(const struct xs_txe *e, const char *name,
                           size_t nlen)
{
    const char *p = e->kids, *end = e->kids + e->kids_len;

    for ( ; p < end; p += strlen(p) + 1 )
        if ( strlen(p) == nlen && !memcmp(p, name, nlen) )
            return true;
    return false;
}

/*
 * Does an ancestor's private state hide path?  Walks up to the nearest
 * WRITTEN or DELETED ancestor entry: cost is the depth of path.
 */
static bool xs_txn_hidden(struct xs_txn *t, const char *path)
{
    char buf[XS_ABS_PATH_MAX + 1];
    size_t len;

    strcpy(buf, path);
    len = strlen(buf);
    while ( len > 1 )
    {
        size_t kid = len;
        struct xs_txe *a;

        while ( kid > 0 && buf[kid - 1] != '/' )
            kid--;
        if ( xs_path_parent(buf, buf, sizeof(buf)) )
            return false;
        a = xs_txe_find(t, buf, xs_hash(buf));
        if ( a && a->state == XS_TXE_DELETED )
            return true;
        if ( a && a->state == XS_TXE_WRITTEN )
            return !xs_txe_has_kid(a, path + kid, strcspn(path + kid, "/"));
        len = strlen(buf);
    }
    return false;
}

static void xs_view_of_txe(struct xs_txe *e, struct xs_view *v)
{
    v->value = e->value;
    v->vlen = e->vlen;
    v->perms = &e->perms;
    v->node = NULL;
    v->txe = e;
    v->gen = e->base + e->mod;
}

int xs_txn_get(struct xs_txn *t, const char *path, struct xs_view *v)
{
    uint32_t h = xs_hash(path);
    struct xs_txe *e = xs_txe_find(t, path, h);
    struct xs_node *n;
    int rc;

    if ( e && e->state == XS_TXE_WRITTEN )
    {
        xs_view_of_txe(e, v);
        return 0;
    }
    if ( (e && e->state == XS_TXE_DELETED) || xs_txn_hidden(t, path) )
        return ENOENT;
    if ( !e && (rc = xs_txe_new(t, path, h, &e)) )
        return rc;
    n = xs_node_lookup(t->conn->store, path);
    if ( !n )
        return ENOENT;
    xs_view_of_node(n, v);
    return 0;
}

/* Make the entry for an existing node (view v) WRITTEN: a private copy. */
int xs_txn_modify(struct xs_txn *t, const char *path, const struct xs_view *v,
                  struct xs_txe **out)
{
    struct xs_node *n = v->node, *k;
    struct xs_txe *e;
    char *p;
    int rc;

    if ( v->txe )
    {
        *out = v->txe;
        return 0;
    }
    e = xs_txe_find(t, path, xs_hash(path));
    if ( !e && (rc = xs_txe_new(t, path, xs_hash(path), &e)) )
        return rc;
    e->value = malloc(n->vlen ? n->vlen : 1);
    e->kids = malloc(n->kids_bytes ? n->kids_bytes : 1);
    if ( !e->value || !e->kids || xs_perms_copy(&e->perms, &n->perms) )
    {
        xs_txe_free_data(e);
        return ENOMEM;
    }
    memcpy(e->value, n->value, n->vlen);
    e->vlen = n->vlen;
    for ( p = e->kids, k = n->kid_first; k; k = k->sib_next )
    {
        size_t l = strlen(k->name) + 1;

        memcpy(p, k->name, l);
        p += l;
    }
    e->kids_len = n->kids_bytes;
    e->nkids = n->nkids;
    e->state = XS_TXE_WRITTEN;
    *out = e;
    return 0;
}

/* Add or remove a child name in the parent's private copy. */
static int xs_txn_parent_kid(struct xs_txn *t, const char *path, bool add)
{
    const char *name = strrchr(path, '/') + 1;
    size_t nl = strlen(name) + 1;
    char pbuf[XS_ABS_PATH_MAX + 1];
    struct xs_view pv;
    struct xs_txe *pe;
    char *nk, *p;
    int rc;

    if ( (rc = xs_path_parent(path, pbuf, sizeof(pbuf))) ||
         (rc = xs_txn_get(t, pbuf, &pv)) ||
         (rc = xs_txn_modify(t, pbuf, &pv, &pe)) )
        return rc;
    pe->mod++;
    if ( add )
    {
        nk = realloc(pe->kids, pe->kids_len + nl);
        if ( !nk )
            return ENOMEM;
        memcpy(nk + pe->kids_len, name, nl);
        pe->kids = nk;
        pe->kids_len += (uint32_t)nl;
        pe->nkids++;
        return 0;
    }
    for ( p = pe->kids; p < pe->kids + pe->kids_len; p += strlen(p) + 1 )
        if ( !strcmp(p, name) )
        {
            memmove(p, p + nl, (size_t)(pe->kids + pe->kids_len - p) - nl);
            pe->kids_len -= (uint32_t)nl;
            pe->nkids--;
            pe->kids_gone = true;
            break;
        }
    return 0;
}

/* Create path (parent exists in the view, path does not). */
int xs_txn_create(struct xs_txn *t, const char *path, const char *value,
                  uint32_t vlen, const struct xs_perms *perms, bool fire)
{
    uint32_t h = xs_hash(path);
    struct xs_txe *e = xs_txe_find(t, path, h);
    int rc;

    if ( !e && (rc = xs_txe_new(t, path, h, &e)) )
        return rc;
    if ( (rc = xs_txn_parent_kid(t, path, true)) )
        return rc;
    xs_txe_free_data(e);
    e->value = malloc(vlen ? vlen : 1);
    if ( !e->value || xs_perms_copy(&e->perms, perms) )
        return ENOMEM;
    memcpy(e->value, value, vlen);
    e->vlen = vlen;
    e->state = XS_TXE_WRITTEN;
    e->val_set = e->perms_set = true;
    e->kids_gone = e->base != 0; /* replaces a tree node: drop its kids */
    e->fire = fire;
    e->mod++;
    t->created++;
    return 0;
}

/* Delete path (exists in the view) and hide everything below it. */
int xs_txn_delete(struct xs_txn *t, const char *path)
{
    uint32_t h = xs_hash(path);
    size_t len = strlen(path);
    struct xs_txe *e = xs_txe_find(t, path, h), *d;
    int rc;

    if ( !e && (rc = xs_txe_new(t, path, h, &e)) )
        return rc;
    if ( (rc = xs_txn_parent_kid(t, path, false)) )
        return rc;
    xs_txe_free_data(e);
    e->state = XS_TXE_DELETED;
    e->fire = true;
    e->val_set = e->perms_set = e->kids_gone = false;
    for ( d = t->first; d; d = d->next )
        if ( !strncmp(d->path, path, len) && d->path[len] == '/' )
        {
            xs_txe_free_data(d);
            d->state = XS_TXE_READ;
            d->fire = d->val_set = d->perms_set = d->kids_gone = false;
        }
    return 0;
}
