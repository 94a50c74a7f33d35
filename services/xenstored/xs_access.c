/*
 * xenstored node operations: canonical paths, checked reads, write/mkdir,
 * rm and set-perms on the tree or inside a transaction
 *
 * Locking: none (single-threaded core).  Every operation decides first
 * (permissions, quotas, sizes) and only then changes state, so a failed
 * request leaves nothing behind (XSA-414/415).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xs_priv.h"

/*
 * Canonical absolute path of a request path.  Relative paths live under
 * /local/domain/<domid>/; *strip gets the length of that prefix (0 for an
 * absolute path).  EINVAL for bad characters, lengths or shapes.
 */
int xs_canonical(const struct xs_conn *c, const char *in, char *out, size_t len,
                 uint32_t *strip)
{
    size_t il = strlen(in);
    int pre = 0;

    *strip = 0;
    if ( il == 0 || in[0] == '@' )
        return EINVAL;
    if ( in[0] != '/' )
    {
        if ( il > XS_REL_PATH_MAX )
            return EINVAL;
        pre = snprintf(out, len, "/local/domain/%u/", c->domid);
        if ( pre < 0 || (size_t)pre >= len )
            return EINVAL;
        *strip = (uint32_t)pre;
    }
    if ( pre + il > XS_ABS_PATH_MAX || pre + il >= len )
        return EINVAL;
    memcpy(out + pre, in, il + 1);
    return xs_path_valid(out) ? 0 : EINVAL;
}

int xs_get(struct xs_conn *c, struct xs_txn *t, const char *path,
           struct xs_view *v)
{
    struct xs_node *n;

    if ( t )
        return xs_txn_get(t, path, v);
    n = xs_node_lookup(c->store, path);
    if ( !n )
        return ENOENT;
    xs_view_of_node(n, v);
    return 0;
}

/*
 * Nearest existing ancestor of a missing path; *depth_missing counts the
 * nodes between it and path (path included).
 */
static int xs_get_ancestor(struct xs_conn *c, struct xs_txn *t,
                           const char *path, char *buf, size_t blen,
                           struct xs_view *v, uint32_t *missing)
{
    int rc = ENOENT;

    *missing = 1;
    if ( strlen(path) >= blen )
        return EINVAL;
    strcpy(buf, path);
    while ( rc == ENOENT )
    {
        if ( (rc = xs_path_parent(buf, buf, blen)) )
            return rc;
        rc = xs_get(c, t, buf, v);
        if ( rc == ENOENT )
            (*missing)++;
    }
    return rc;
}

/* Look up path and check the caller has the permission bits need. */
int xs_get_checked(struct xs_conn *c, struct xs_txn *t, const char *path,
                   unsigned int need, struct xs_view *v)
{
    char buf[XS_ABS_PATH_MAX + 1];
    struct xs_view av;
    uint32_t missing;
    int rc = xs_get(c, t, path, v);

    if ( rc == ENOENT )
    {
        /* Do not reveal what lies below an unreadable node. */
        if ( !xs_get_ancestor(c, t, path, buf, sizeof(buf), &av, &missing) &&
             !(xs_perms_for(c, av.perms) & XS_PERM_READ) )
            return EACCES;
        return ENOENT;
    }
    if ( rc )
        return rc;
    return (xs_perms_for(c, v->perms) & need) == need ? 0 : EACCES;
}

static uint32_t xs_view_kids_bytes(const struct xs_view *v)
{
    return v->txe ? v->txe->kids_len : v->node->kids_bytes;
}

/* Write (or mkdir) an existing node. */
static int xs_write_existing(struct xs_conn *c, struct xs_txn *t,
                             const char *path, struct xs_view *v,
                             const char *value, uint32_t vlen)
{
    const struct xs_quota *q = &c->store->quota;
    struct xs_txe *e;
    char *nv;
    int rc = 0;

    if ( !c->priv &&
         xs_node_size(vlen, v->perms->n, xs_view_kids_bytes(v)) > q->node_size )
        return ENOSPC;
    if ( vlen > v->vlen && xs_dom_over(c, vlen - v->vlen, 0, &rc) )
        return rc;
    if ( !t )
    {
        if ( (rc = xs_node_set_value(c->store, v->node, value, vlen)) )
            return rc;
        xs_watch_fire(c->store, path, &v->node->perms);
        return 0;
    }
    if ( (rc = xs_txn_modify(t, path, v, &e)) )
        return rc;
    if ( !(nv = malloc(vlen ? vlen : 1)) )
        return ENOMEM;
    memcpy(nv, value, vlen);
    free(e->value);
    e->value = nv;
    e->vlen = vlen;
    e->val_set = e->fire = true;
    e->mod++;
    return 0;
}

/* May c create `missing` nodes under ancestor av with perms np? */
static int xs_create_check(struct xs_conn *c, struct xs_txn *t,
                           const char *path, const struct xs_view *av,
                           const struct xs_perms *np, uint32_t missing,
                           uint32_t vlen, uint32_t aplen)
{
    const struct xs_quota *q = &c->store->quota;
    size_t first_len = strcspn(path + aplen + (aplen > 1), "/") + 1;
    uint64_t mem = (uint64_t)missing * (64 + strlen(path) + 4 * np->n) + vlen;
    int err = 0;

    if ( !(xs_perms_for(c, av->perms) & XS_PERM_WRITE) )
        return EACCES;
    if ( c->priv )
        return 0;
    if ( xs_node_size(vlen, np->n, 0) > q->node_size ||
         xs_node_size(av->vlen, av->perms->n,
                      xs_view_kids_bytes(av) + (uint32_t)first_len) >
             q->node_size )
        return ENOSPC;
    if ( xs_dom_over(c, mem, missing + (t ? t->created : 0), &err) )
        return err;
    return 0;
}

/* Create path and its missing ancestors, top-down, all or nothing. */
static int xs_create(struct xs_conn *c, struct xs_txn *t, const char *path,
                     const char *value, uint32_t vlen)
{
    struct xs_store *s = c->store;
    char abuf[XS_ABS_PATH_MAX + 1], pbuf[XS_ABS_PATH_MAX + 1];
    struct xs_node *parent, *top = NULL;
    struct xs_perms np;
    struct xs_view av;
    uint32_t missing;
    size_t pos, alen;
    int rc;

    rc = xs_get_ancestor(c, t, path, abuf, sizeof(abuf), &av, &missing);
    if ( rc )
        return rc;
    alen = strlen(abuf);
    if ( xs_perms_inherit(s, &np, av.perms, ++s->gen) )
        return ENOMEM;
    if ( !c->priv )
    {
        np.p[0].domid = (uint16_t)c->domid;
        np.p[0].pad = 0;
    }
    rc = xs_create_check(c, t, path, &av, &np, missing, vlen, (uint32_t)alen);
    parent = av.node;
    for ( pos = alen + (alen > 1); !rc && pos <= strlen(path); pos++ )
    {
        bool leaf = path[pos] == '\0';

        if ( path[pos] != '/' && !leaf )
            continue;
        memcpy(pbuf, path, pos);
        pbuf[pos] = '\0';
        if ( t )
        {
            rc = xs_txn_create(t, pbuf, leaf ? value : "", leaf ? vlen : 0, &np,
                               leaf);
            if ( rc )
                t->stale = true; /* a half-made create fails the commit */
            continue;
        }
        parent = xs_node_new(s, parent, pbuf, leaf ? value : "",
                             leaf ? vlen : 0, &np);
        if ( !parent )
            rc = ENOMEM;
        else if ( !top )
            top = parent;
    }
    if ( rc && top )
        xs_node_delete(s, top); /* undo synchronously (XSA-414) */
    else if ( !rc && !t )
        xs_watch_fire(s, path, &parent->perms);
    free(np.p);
    return rc;
}

int xs_do_write(struct xs_conn *c, struct xs_txn *t, const char *path,
                const char *value, uint32_t vlen, bool mkdir)
{
    struct xs_view v;
    int rc = xs_get(c, t, path, &v);

    if ( rc == ENOENT )
        return xs_create(c, t, path, value, vlen);
    if ( rc )
        return rc;
    if ( !(xs_perms_for(c, v.perms) & XS_PERM_WRITE) )
        return EACCES;
    if ( mkdir )
        return 0;
    return xs_write_existing(c, t, path, &v, value, vlen);
}

int xs_do_rm(struct xs_conn *c, struct xs_txn *t, const char *path)
{
    char pbuf[XS_ABS_PATH_MAX + 1];
    struct xs_view v;
    int rc;

    if ( !strcmp(path, "/") )
        return EINVAL;
    rc = xs_get_checked(c, t, path, XS_PERM_WRITE, &v);
    if ( rc == ENOENT )
    {
        /* A missing leaf under an existing parent is removed already. */
        if ( xs_path_parent(path, pbuf, sizeof(pbuf)) ||
             xs_get(c, t, pbuf, &v) )
            return ENOENT;
        return 0;
    }
    if ( rc )
        return rc;
    if ( t )
        return xs_txn_delete(t, path);
    xs_watch_fire(c->store, path, &v.node->perms);
    xs_node_delete(c->store, v.node);
    return 0;
}

/* Decide a new permission list: owner rules, quota, domain records. */
static int xs_set_perms_check(struct xs_conn *c, const struct xs_view *v,
                              struct xs_perms *perms)
{
    struct xs_store *s = c->store;
    uint32_t i;
    int err = 0;

    if ( !c->priv )
    {
        if ( perms->n > s->quota.permissions )
            return ENOSPC;
        if ( perms->p[0].domid != v->perms->p[0].domid )
            return EPERM; /* only privileged callers change owners */
        if ( xs_node_size(v->vlen, perms->n, xs_view_kids_bytes(v)) >
             s->quota.node_size )
            return ENOSPC;
        if ( perms->n > v->perms->n &&
             xs_dom_over(c, 4 * (perms->n - v->perms->n), 0, &err) )
            return err;
    }
    if ( !xs_dom_find_or_make(s, perms->p[0].domid) )
        return ENOENT; /* the owner must exist */
    for ( i = 1; i < perms->n; i++ )
        xs_dom_find_or_make(s, perms->p[i].domid); /* missing: ignored */
    perms->gen = ++s->gen;
    return 0;
}

static int xs_set_perms_special(struct xs_conn *c, struct xs_special *sp,
                                struct xs_perms *perms)
{
    uint32_t i;

    if ( !c->priv )
        return EACCES;
    for ( i = 0; i < perms->n; i++ )
        xs_dom_find_or_make(c->store, perms->p[i].domid);
    free(sp->perms.p);
    sp->perms = *perms;
    sp->perms.gen = ++c->store->gen;
    perms->p = NULL;
    return 0;
}

int xs_do_set_perms(struct xs_conn *c, struct xs_txn *t, const char *path,
                    struct xs_perms *perms)
{
    struct xs_txe *e;
    struct xs_view v;
    int rc;

    if ( !strcmp(path, c->store->intro.path) )
        return xs_set_perms_special(c, &c->store->intro, perms);
    if ( !strcmp(path, c->store->release.path) )
        return xs_set_perms_special(c, &c->store->release, perms);
    if ( (rc = xs_get_checked(c, t, path, XS_PERM_WRITE, &v)) ||
         (rc = xs_set_perms_check(c, &v, perms)) )
        return rc;
    if ( !t )
    {
        if ( (rc = xs_node_set_perms(c->store, v.node, perms)) )
            return rc;
        xs_watch_fire(c->store, path, &v.node->perms);
        return 0;
    }
    if ( (rc = xs_txn_modify(t, path, &v, &e)) )
        return rc;
    free(e->perms.p);
    e->perms = *perms;
    perms->p = NULL;
    e->perms_set = e->fire = true;
    e->mod++;
    return 0;
}
