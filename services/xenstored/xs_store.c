/*
 * xenstored store: creation, teardown, quota settings, statistics
 *
 * Locking: none (single-threaded core).  The store owns the node tree, the
 * watch index and the domain records; connections belong to the transport.
 */
#include <stdlib.h>
#include <string.h>
#include "xs_priv.h"

#define XS_WHASH_INITIAL 256u

void xs_quota_defaults(struct xs_quota *q)
{
#define XS_QUOTA_DEFAULT(name, def, doc) q->name = def;
    XS_QUOTA_LIST(XS_QUOTA_DEFAULT)
#undef XS_QUOTA_DEFAULT
}

/* Compare a quota name, treating '-' and '_' alike. */
static bool xs_quota_name_is(const char *arg, size_t len, const char *name)
{
    size_t i;

    if ( strlen(name) != len )
        return false;
    for ( i = 0; i < len; i++ )
        if ( arg[i] != name[i] && !(arg[i] == '-' && name[i] == '_') )
            return false;
    return true;
}

int xs_quota_parse(struct xs_quota *q, const char *arg, const char **why)
{
    const char *eq = strchr(arg, '=');
    unsigned long long v = 0;
    const char *d;
    size_t len;

    if ( !eq )
    {
        *why = "expected NAME=VALUE";
        return EINVAL;
    }
    len = (size_t)(eq - arg);
    if ( eq[1] == '\0' )
    {
        *why = "empty value";
        return EINVAL;
    }
    for ( d = eq + 1; *d; d++ )
    {
        if ( *d < '0' || *d > '9' )
        {
            *why = "value is not a decimal number";
            return EINVAL;
        }
        v = v * 10 + (unsigned long long)(*d - '0');
        if ( v > UINT32_MAX )
        {
            *why = "value too large";
            return EINVAL;
        }
    }
#define XS_QUOTA_SET(name, def, doc)         \
    if ( xs_quota_name_is(arg, len, #name) ) \
    {                                        \
        q->name = (uint32_t)v;               \
        return 0;                            \
    }
    XS_QUOTA_LIST(XS_QUOTA_SET)
#undef XS_QUOTA_SET
    *why = "unknown quota name";
    return EINVAL;
}

static int xs_special_init(struct xs_store *s, struct xs_special *sp,
                           const char *path)
{
    sp->path = path;
    sp->perms.p = calloc(1, sizeof(*sp->perms.p));
    if ( !sp->perms.p )
        return ENOMEM;
    sp->perms.n = 1;
    sp->perms.gen = ++s->gen;
    return 0;
}

struct xs_store *xs_store_new(const struct xs_host_ops *ops, void *opaque,
                              const struct xs_quota *quota)
{
    struct xs_store *s = calloc(1, sizeof(*s));
    struct xs_dom *d0;

    if ( !s )
        return NULL;
    s->ops = ops;
    s->opaque = opaque;
    if ( quota )
        s->quota = *quota;
    else
        xs_quota_defaults(&s->quota);
    s->next_txid = 1;
    s->doms = calloc(XS_DOMID_LIMIT, sizeof(*s->doms));
    s->whash_size = XS_WHASH_INITIAL;
    s->whash = calloc(s->whash_size, sizeof(*s->whash));
    d0 = s->doms && s->whash ? calloc(1, sizeof(*d0)) : NULL;
    if ( !d0 )
        goto fail;
    d0->gen = ++s->gen;
    d0->target = -1;
    d0->introduced = true;
    s->doms[0] = s->dom_first = d0;
    s->ndoms = 1;
    if ( xs_tree_init(s) || xs_special_init(s, &s->intro, "@introduceDomain") ||
         xs_special_init(s, &s->release, "@releaseDomain") )
        goto fail;
    return s;

fail:
    xs_store_free(s);
    return NULL;
}

void xs_store_free(struct xs_store *s)
{
    if ( !s )
        return;
    if ( s->doms )
        xs_dom_free_all(s);
    free(s->intro.perms.p);
    free(s->release.perms.p);
    free(s->doms);
    free(s->whash);
    free(s);
}

void xs_store_stats(const struct xs_store *s, struct xs_stats *st)
{
    st->nodes = s->nnodes;
    st->watches = s->nwatches;
    st->domains = s->ndoms;
    st->events_dropped = s->events_dropped;
}
