/*
 * xenstored connections: message framing, the output queue, error replies
 *
 * Locking: none (single-threaded core).  A connection belongs to its
 * transport, which alone frees it (once: XSA-233).  The core marks a
 * connection dead on a protocol violation or when its domain goes; the
 * transport then closes it.  Input is framed into one fixed buffer of
 * header + XS_PAYLOAD_MAX bytes, so a hostile peer cannot make the core
 * allocate more; oversize lengths kill the connection (as cxenstored does).
 */
#include <stdlib.h>
#include <string.h>
#include "xs_priv.h"

static const struct
{
    int err;
    const char *name;
} xs_errors[] = {
#define XS_ERROR_ENTRY(e) { e, #e },
    XS_ERROR_LIST(XS_ERROR_ENTRY)
#undef XS_ERROR_ENTRY
};

const char *xs_errno_name(int err)
{
    unsigned int i;

    for ( i = 0; i < sizeof(xs_errors) / sizeof(xs_errors[0]); i++ )
        if ( xs_errors[i].err == err )
            return xs_errors[i].name;
    return "EIO"; /* not in the protocol's list: report an I/O error */
}

struct xs_conn *xs_conn_new(struct xs_store *s, unsigned int domid,
                            void *opaque)
{
    struct xs_conn *c;
    struct xs_dom *d;

    if ( domid >= XS_DOMID_LIMIT )
        return NULL;
    c = calloc(1, sizeof(*c));
    d = c ? xs_dom_attach(s, domid) : NULL;
    if ( !d )
    {
        free(c);
        return NULL;
    }
    c->store = s;
    c->dom = d;
    c->domid = domid;
    c->priv = domid == 0;
    c->opaque = opaque;
    c->dnext = d->conn_first;
    if ( d->conn_first )
        d->conn_first->dprev = c;
    d->conn_first = c;
    return c;
}

static void xs_out_free_all(struct xs_conn *c)
{
    struct xs_out *o;

    while ( (o = c->out_first) )
    {
        c->out_first = o->next;
        free(o);
    }
    c->out_last = NULL;
    c->out_off = 0;
    c->outstanding = c->nevents = 0;
    if ( c->dom )
        xs_dom_charge(c->dom, -(int64_t)c->out_mem, 0);
    c->out_mem = 0;
}

static void xs_conn_detach(struct xs_conn *c)
{
    struct xs_dom *d = c->dom;

    if ( !d )
        return;
    if ( c->dprev )
        c->dprev->dnext = c->dnext;
    else
        d->conn_first = c->dnext;
    if ( c->dnext )
        c->dnext->dprev = c->dprev;
    c->dnext = c->dprev = NULL;
}

void xs_conn_free(struct xs_conn *c)
{
    if ( !c )
        return;
    xs_watch_del_all(c);
    xs_txn_free_all(c);
    xs_out_free_all(c);
    xs_conn_detach(c);
    free(c);
}

void *xs_conn_opaque(const struct xs_conn *c)
{
    return c->opaque;
}

unsigned int xs_conn_domid(const struct xs_conn *c)
{
    return c->domid;
}

bool xs_conn_dead(const struct xs_conn *c)
{
    return c->dead;
}

const char *xs_conn_dead_reason(const struct xs_conn *c)
{
    return c->dead_reason ? c->dead_reason : "";
}

void xs_conn_kill(struct xs_conn *c, const char *why)
{
    struct xs_store *s = c->store;

    if ( c->dead )
        return;
    c->dead = true;
    c->dead_reason = why;
    if ( s->ops->kick )
        s->ops->kick(s->opaque, c);
}

void xs_conn_reset(struct xs_conn *c)
{
    xs_watch_del_all(c);
    xs_txn_free_all(c);
    xs_out_free_all(c);
    c->in_have = 0;
}

static int xs_queue(struct xs_conn *c, uint32_t type, uint32_t req_id,
                    uint32_t tx_id, const void *p, uint32_t len, bool is_event)
{
    struct xs_out *o = malloc(sizeof(*o) + sizeof(struct xs_msg_hdr) + len);
    struct xs_msg_hdr h = {
        .type = type, .req_id = req_id, .tx_id = tx_id, .len = len
    };
    struct xs_store *s = c->store;

    if ( !o )
        return ENOMEM;
    memcpy(o->buf, &h, sizeof(h));
    memcpy(o->buf + sizeof(h), p, len);
    o->len = sizeof(h) + len;
    o->is_event = is_event;
    o->next = NULL;
    if ( c->out_last )
        c->out_last->next = o;
    else
        c->out_first = o;
    c->out_last = o;
    if ( s->ops->kick )
        s->ops->kick(s->opaque, c);
    return 0;
}

/* Queue a reply; payloads above XS_PAYLOAD_MAX become E2BIG (XSA-72). */
int xs_reply(struct xs_conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id,
             const void *p, uint32_t len)
{
    int rc;

    if ( len > XS_PAYLOAD_MAX )
        return xs_reply_error(c, req_id, tx_id, E2BIG);
    rc = xs_queue(c, type, req_id, tx_id, p, len, false);
    if ( rc )
        xs_conn_kill(c, "out of memory queueing a reply");
    else
        c->outstanding++;
    return rc;
}

int xs_reply_error(struct xs_conn *c, uint32_t req_id, uint32_t tx_id, int err)
{
    const char *name = xs_errno_name(err);

    return xs_reply(c, XS_ERROR, req_id, tx_id, name, strlen(name) + 1);
}

/*
 * Queue a watch event.  Dropped (and counted) when it would exceed the
 * payload limit (XSA-324), the connection's event queue, or the domain's
 * memory quota (XSA-326).  Returns 0 when queued.
 */
int xs_send_event(struct xs_conn *c, const char *path, const char *token)
{
    struct xs_store *s = c->store;
    size_t pl = strlen(path) + 1, tl = strlen(token) + 1;
    char buf[XS_PAYLOAD_MAX];
    uint32_t mem;

    if ( c->dead || !c->dom || pl + tl > XS_PAYLOAD_MAX ||
         c->nevents >= s->quota.watch_events )
        goto drop;
    mem =
        (uint32_t)(sizeof(struct xs_out) + sizeof(struct xs_msg_hdr) + pl + tl);
    if ( !c->priv && c->dom->mem + mem > s->quota.memory )
        goto drop;
    memcpy(buf, path, pl);
    memcpy(buf + pl, token, tl);
    if ( xs_queue(c, XS_WATCH_EVENT, 0, 0, buf, (uint32_t)(pl + tl), true) )
        goto drop;
    c->nevents++;
    c->out_mem += mem;
    xs_dom_charge(c->dom, mem, 0);
    return 0;

drop:
    s->events_dropped++;
    return ENOSPC;
}

size_t xs_conn_output(struct xs_conn *c, const void **buf)
{
    if ( !c->out_first )
        return 0;
    *buf = c->out_first->buf + c->out_off;
    return c->out_first->len - c->out_off;
}

void xs_conn_consume(struct xs_conn *c, size_t n)
{
    while ( n && c->out_first )
    {
        struct xs_out *o = c->out_first;
        size_t left = o->len - c->out_off;

        if ( n < left )
        {
            c->out_off += (uint32_t)n;
            return;
        }
        n -= left;
        c->out_off = 0;
        c->out_first = o->next;
        if ( !c->out_first )
            c->out_last = NULL;
        if ( o->is_event )
        {
            uint32_t mem = (uint32_t)(sizeof(struct xs_out) + o->len);

            c->nevents--;
            c->out_mem -= mem;
            if ( c->dom )
                xs_dom_charge(c->dom, -(int64_t)mem, 0);
        }
        else
            c->outstanding--;
        free(o);
    }
}

static void xs_conn_message(struct xs_conn *c)
{
    struct xs_req r = {
        .type = c->in_hdr.type,
        .req_id = c->in_hdr.req_id,
        .tx_id = c->in_hdr.tx_id,
        .len = c->in_hdr.len,
        .buf = c->in_buf,
    };

    c->in_buf[r.len] = '\0';
    xs_dispatch(c, &r);
}

size_t xs_conn_input(struct xs_conn *c, const void *buf, size_t len)
{
    const char *in = buf;
    size_t used = 0;
    const size_t hsz = sizeof(struct xs_msg_hdr);

    while ( !c->dead && c->dom )
    {
        size_t want, take;

        if ( c->in_have == 0 && c->outstanding >= c->store->quota.outstanding )
            break; /* back-pressure: the peer must read its replies */
        if ( c->in_have < hsz )
            want = hsz - c->in_have;
        else
            want = hsz + c->in_hdr.len - c->in_have;
        take = want < len - used ? want : len - used;
        if ( c->in_have < hsz )
            memcpy((char *)&c->in_hdr + c->in_have, in + used, take);
        else
            memcpy(c->in_buf + (c->in_have - hsz), in + used, take);
        c->in_have += (uint32_t)take;
        used += take;
        if ( c->in_have == hsz && c->in_hdr.len > XS_PAYLOAD_MAX )
        {
            xs_conn_kill(c, "payload length exceeds 4096 bytes");
            break;
        }
        if ( c->in_have >= hsz && c->in_have == hsz + c->in_hdr.len )
        {
            c->in_have = 0;
            xs_conn_message(c);
        }
        else if ( used == len )
            break;
    }
    return used;
}
