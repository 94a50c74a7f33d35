/*
 * xenstored shared-ring transport (docs/misc/xenstore-ring.txt semantics)
 *
 * Locking: see xs_ring.h.  Indexes are free-running 32-bit counters; an
 * entry sits at idx & (XS_RING_SIZE - 1).  The guest's producer index is
 * read once (acquire) before its bytes; our consumer index is published
 * (release) after we have copied them.  A producer more than a ring ahead of
 * the consumer is a broken guest: error = RINGIDX and the ring is ignored
 * until the guest asks for reconnection.
 */
#include <string.h>
#include "xs_ring.h"

#define XS_LOAD(p)     __atomic_load_n(&(p), __ATOMIC_ACQUIRE)
#define XS_STORE(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELEASE)

void xs_ring_init(struct xs_ring *r, struct xs_ring_page *page,
                  struct xs_conn *conn, void (*notify)(void *), void *opaque)
{
    r->page = page;
    r->conn = conn;
    r->notify = notify;
    r->opaque = opaque;
    r->broken = false;
    XS_STORE(page->error, XS_RING_ERR_NONE);
    XS_STORE(page->server_features, XS_FEATURE_RECONNECTION | XS_FEATURE_ERROR);
}

static void xs_ring_break(struct xs_ring *r, uint32_t err)
{
    r->broken = true;
    XS_STORE(r->page->error, err);
    if ( r->notify )
        r->notify(r->opaque);
}

/* The guest asked to reconnect: forget everything, zero the indexes. */
static void xs_ring_reconnect(struct xs_ring *r)
{
    struct xs_ring_page *p = r->page;

    xs_conn_reset(r->conn);
    XS_STORE(p->req_cons, 0);
    XS_STORE(p->req_prod, 0);
    XS_STORE(p->rsp_cons, 0);
    XS_STORE(p->rsp_prod, 0);
    XS_STORE(p->error, XS_RING_ERR_NONE);
    r->broken = false;
    XS_STORE(p->connection, XS_CONN_CONNECTED);
    if ( r->notify )
        r->notify(r->opaque);
}

static size_t xs_ring_take_requests(struct xs_ring *r)
{
    struct xs_ring_page *p = r->page;
    xs_ring_idx_t cons = p->req_cons, prod = XS_LOAD(p->req_prod);
    size_t moved = 0;

    if ( prod - cons > XS_RING_SIZE )
    {
        xs_ring_break(r, XS_RING_ERR_RINGIDX);
        return 0;
    }
    while ( cons != prod )
    {
        uint32_t off = XS_RING_MASK(cons), n = prod - cons, used;

        if ( n > XS_RING_SIZE - off )
            n = XS_RING_SIZE - off;
        used = (uint32_t)xs_conn_input(r->conn, p->req + off, n);
        cons += used;
        moved += used;
        if ( used < n )
            break; /* back-pressure or a dead connection */
    }
    if ( moved )
        XS_STORE(p->req_cons, cons);
    return moved;
}

static size_t xs_ring_put_replies(struct xs_ring *r)
{
    struct xs_ring_page *p = r->page;
    xs_ring_idx_t prod = p->rsp_prod, cons = XS_LOAD(p->rsp_cons);
    size_t moved = 0;
    const void *buf;
    size_t avail;

    if ( prod - cons > XS_RING_SIZE )
    {
        xs_ring_break(r, XS_RING_ERR_RINGIDX);
        return 0;
    }
    while ( prod - cons < XS_RING_SIZE &&
            (avail = xs_conn_output(r->conn, &buf)) )
    {
        uint32_t off = XS_RING_MASK(prod);
        uint32_t n = XS_RING_SIZE - (prod - cons);

        if ( n > XS_RING_SIZE - off )
            n = XS_RING_SIZE - off;
        if ( n > avail )
            n = (uint32_t)avail;
        memcpy(p->rsp + off, buf, n);
        xs_conn_consume(r->conn, n);
        prod += n;
        moved += n;
    }
    if ( moved )
        XS_STORE(p->rsp_prod, prod);
    return moved;
}

int xs_ring_poll(struct xs_ring *r)
{
    size_t total = 0, step;

    if ( XS_LOAD(r->page->connection) == XS_CONN_RECONNECT )
        xs_ring_reconnect(r);
    if ( r->broken )
        return -1;
    do
    {
        step = xs_ring_take_requests(r);
        if ( !r->broken && xs_conn_dead(r->conn) )
            xs_ring_break(r, XS_RING_ERR_PROTO);
        if ( r->broken )
            return -1;
        step += xs_ring_put_replies(r);
        total += step;
    } while ( step && !r->broken );
    if ( r->broken )
        return -1;
    if ( total && r->notify )
        r->notify(r->opaque);
    return (int)(total > 0x7fffffff ? 0x7fffffff : total);
}

size_t xs_ring_client_write(struct xs_ring_page *page, const void *buf,
                            size_t len)
{
    xs_ring_idx_t prod = page->req_prod, cons = XS_LOAD(page->req_cons);
    const char *in = buf;
    size_t done = 0;

    while ( done < len && prod - cons < XS_RING_SIZE )
    {
        uint32_t off = XS_RING_MASK(prod);
        size_t n = XS_RING_SIZE - (prod - cons);

        if ( n > XS_RING_SIZE - off )
            n = XS_RING_SIZE - off;
        if ( n > len - done )
            n = len - done;
        memcpy(page->req + off, in + done, n);
        prod += (xs_ring_idx_t)n;
        done += n;
    }
    XS_STORE(page->req_prod, prod);
    return done;
}

size_t xs_ring_client_read(struct xs_ring_page *page, void *buf, size_t len)
{
    xs_ring_idx_t cons = page->rsp_cons, prod = XS_LOAD(page->rsp_prod);
    char *out = buf;
    size_t done = 0;

    while ( done < len && cons != prod )
    {
        uint32_t off = XS_RING_MASK(cons);
        size_t n = prod - cons;

        if ( n > XS_RING_SIZE - off )
            n = XS_RING_SIZE - off;
        if ( n > len - done )
            n = len - done;
        memcpy(out + done, page->rsp + off, n);
        cons += (xs_ring_idx_t)n;
        done += n;
    }
    XS_STORE(page->rsp_cons, cons);
    return done;
}
