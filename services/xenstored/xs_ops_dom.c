/*
 * xenstored message handlers for domains and control: INTRODUCE, RELEASE,
 * GET_DOMAIN_PATH, IS_DOMAIN_INTRODUCED, RESUME, SET_TARGET, CONTROL
 *
 * Locking: none (single-threaded core).  Everything here except
 * GET_DOMAIN_PATH is for privileged callers only (EACCES otherwise).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xs_priv.h"

/* A decimal number below limit: 0 or EINVAL. */
static int xs_parse_ull(const char *s, unsigned long long limit,
                        unsigned long long *out)
{
    unsigned long long v = 0;

    if ( !*s )
        return EINVAL;
    for ( ; *s; s++ )
    {
        if ( *s < '0' || *s > '9' )
            return EINVAL;
        if ( v > (limit - (unsigned long long)(*s - '0')) / 10 )
            return EINVAL;
        v = v * 10 + (unsigned long long)(*s - '0');
    }
    *out = v;
    return 0;
}

int xs_parse_domid(const char *s, unsigned int *domid)
{
    unsigned long long v;

    if ( xs_parse_ull(s, XS_DOMID_LIMIT - 1, &v) )
        return EINVAL;
    *domid = (unsigned int)v;
    return 0;
}

static int xs_reply_ok(struct xs_conn *c, const struct xs_req *r)
{
    return xs_reply(c, r->type, r->req_id, r->tx_id, "OK", 3);
}

/* Privileged caller and one domid argument. */
static int xs_priv_domid_arg(struct xs_conn *c, const struct xs_req *r,
                             unsigned int *domid)
{
    const char *arg;

    if ( !c->priv )
        return EACCES;
    if ( xs_req_args(r, &arg, 1) )
        return EINVAL;
    return xs_parse_domid(arg, domid);
}

int xs_ops_introduce(struct xs_conn *c, struct xs_req *r)
{
    unsigned long long gfn, port;
    const char *argv[3];
    unsigned int domid;
    int rc;

    if ( !c->priv )
        return EACCES;
    if ( xs_req_args(r, argv, 3) || xs_parse_domid(argv[0], &domid) ||
         xs_parse_ull(argv[1], UINT64_MAX, &gfn) ||
         xs_parse_ull(argv[2], UINT32_MAX, &port) )
        return EINVAL;
    if ( (rc = xs_dom_introduce(c, domid, gfn, (uint32_t)port)) )
        return rc;
    return xs_reply_ok(c, r);
}

int xs_ops_release(struct xs_conn *c, struct xs_req *r)
{
    unsigned int domid;
    int rc;

    if ( (rc = xs_priv_domid_arg(c, r, &domid)) ||
         (rc = xs_dom_release(c->store, domid)) )
        return rc;
    return xs_reply_ok(c, r);
}

int xs_ops_get_domain_path(struct xs_conn *c, struct xs_req *r)
{
    char out[32];
    const char *arg;
    unsigned int domid;
    int len;

    if ( xs_req_args(r, &arg, 1) || xs_parse_domid(arg, &domid) )
        return EINVAL;
    len = snprintf(out, sizeof(out), "/local/domain/%u", domid);
    return xs_reply(c, r->type, r->req_id, r->tx_id, out, (uint32_t)len + 1);
}

int xs_ops_is_introduced(struct xs_conn *c, struct xs_req *r)
{
    struct xs_dom *d;
    unsigned int domid;
    int rc;

    if ( (rc = xs_priv_domid_arg(c, r, &domid)) )
        return rc;
    d = xs_dom_get(c->store, domid);
    return xs_reply(c, r->type, r->req_id, r->tx_id,
                    d && d->introduced ? "T" : "F", 2);
}

int xs_ops_resume(struct xs_conn *c, struct xs_req *r)
{
    struct xs_dom *d;
    unsigned int domid;
    int rc;

    if ( (rc = xs_priv_domid_arg(c, r, &domid)) )
        return rc;
    d = xs_dom_get(c->store, domid);
    if ( !d || !d->introduced )
        return ENOENT;
    d->shutdown_fired = false; /* @releaseDomain may fire again */
    return xs_reply_ok(c, r);
}

int xs_ops_set_target(struct xs_conn *c, struct xs_req *r)
{
    unsigned int domid, tdomid;
    const char *argv[2];
    struct xs_dom *d;

    if ( !c->priv )
        return EACCES;
    if ( xs_req_args(r, argv, 2) || xs_parse_domid(argv[0], &domid) ||
         xs_parse_domid(argv[1], &tdomid) )
        return EINVAL;
    d = xs_dom_find_or_make(c->store, domid);
    if ( !d || !xs_dom_find_or_make(c->store, tdomid) )
        return ENOENT;
    d->target = (int)tdomid;
    return xs_reply_ok(c, r);
}

/* "quota": the limits; "quota <domid>": that domain's use of them. */
static int xs_control_quota(struct xs_conn *c, struct xs_req *r,
                            const char *arg)
{
    const struct xs_quota *q = &c->store->quota;
    char out[XS_PAYLOAD_MAX];
    unsigned int domid;
    struct xs_dom *d;
    int len = 0;

    if ( !arg )
    {
#define XS_QUOTA_PRINT(name, def, doc)                                         \
    len += snprintf(out + len, sizeof(out) - (size_t)len, "%-18s %u\n", #name, \
                    q->name);
        XS_QUOTA_LIST(XS_QUOTA_PRINT)
#undef XS_QUOTA_PRINT
        return xs_reply(c, r->type, r->req_id, r->tx_id, out,
                        (uint32_t)len + 1);
    }
    if ( xs_parse_domid(arg, &domid) )
        return EINVAL;
    if ( !(d = xs_dom_get(c->store, domid)) )
        return ENOENT;
    len = snprintf(out, sizeof(out),
                   "domain %u\nnodes %u/%u\nwatches %u/%u\n"
                   "memory %llu/%u\nintroduced %s\n",
                   domid, d->nodes, q->nodes, d->watches, q->watches,
                   (unsigned long long)d->mem, q->memory,
                   d->introduced ? "yes" : "no");
    return xs_reply(c, r->type, r->req_id, r->tx_id, out, (uint32_t)len + 1);
}

int xs_ops_control(struct xs_conn *c, struct xs_req *r)
{
    const char *argv[2];

    if ( !c->priv )
        return EACCES;
    if ( !xs_req_args(r, argv, 1) && !strcmp(argv[0], "quota") )
        return xs_control_quota(c, r, NULL);
    if ( !xs_req_args(r, argv, 2) && !strcmp(argv[0], "quota") )
        return xs_control_quota(c, r, argv[1]);
    return EINVAL;
}
