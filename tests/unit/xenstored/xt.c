/*
 * xenstored unit-test harness (see xt.h)
 *
 * Locking: none; tests are single-threaded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xt.h"

enum xs_dom_state xt_dom_state[XS_DOMID_LIMIT];
struct xs_store *xt_s;
struct xt_reply xt_last;
unsigned int xt_introduce_calls, xt_release_calls;

struct xt_peer
{
    struct xs_conn *c;
    unsigned int nev;
    char *ev[XT_MAX_EVENTS];
    int have_reply;
    struct xt_reply reply;
};

static enum xs_dom_state xt_state(void *opaque, unsigned int domid)
{
    (void)opaque;
    return xt_dom_state[domid];
}

static int xt_host_introduce(void *opaque, unsigned int domid, uint64_t gfn,
                             uint32_t evtchn)
{
    (void)opaque;
    (void)domid;
    (void)gfn;
    (void)evtchn;
    xt_introduce_calls++;
    return 0;
}

static void xt_host_release(void *opaque, unsigned int domid)
{
    (void)opaque;
    (void)domid;
    xt_release_calls++;
}

static const struct xs_host_ops xt_ops = {
    .domain_state = xt_state,
    .introduce = xt_host_introduce,
    .release = xt_host_release,
};

struct xs_store *xt_store(const struct xs_quota *q)
{
    memset(xt_dom_state, 0, sizeof(xt_dom_state));
    xt_introduce_calls = xt_release_calls = 0;
    xt_s = xs_store_new(&xt_ops, NULL, q);
    assert_non_null(xt_s);
    return xt_s;
}

static struct xt_peer *xt_peers[256];

void xt_store_free(void)
{
    unsigned int i;

    for ( i = 0; i < 256; i++ )
        if ( xt_peers[i] )
            xt_conn_free(xt_peers[i]->c);
    xs_store_free(xt_s);
    xt_s = NULL;
}

struct xs_conn *xt_conn(unsigned int domid)
{
    struct xt_peer *p = calloc(1, sizeof(*p));
    unsigned int i;

    assert_non_null(p);
    p->c = xs_conn_new(xt_s, domid, p);
    assert_non_null(p->c);
    for ( i = 0; i < 256 && xt_peers[i]; i++ )
        ;
    assert_true(i < 256);
    xt_peers[i] = p;
    return p->c;
}

void xt_conn_free(struct xs_conn *c)
{
    struct xt_peer *p = xs_conn_opaque(c);
    unsigned int i;

    for ( i = 0; i < 256; i++ )
        if ( xt_peers[i] == p )
            xt_peers[i] = NULL;
    xt_clear_events(c);
    xs_conn_free(c);
    free(p);
}

static void xt_take(struct xt_peer *p, const char *m)
{
    struct xs_msg_hdr h;

    memcpy(&h, m, sizeof(h));
    if ( h.type == XS_WATCH_EVENT )
    {
        char *ev = malloc(h.len + 1);
        uint32_t i;

        assert_non_null(ev);
        assert_true(p->nev < XT_MAX_EVENTS);
        memcpy(ev, m + sizeof(h), h.len);
        ev[h.len] = '\0';
        /* "path\0token\0" -> "path token" */
        assert_true(h.len >= 2 && ev[h.len - 1] == '\0');
        for ( i = 0; i + 1 < h.len; i++ )
            if ( ev[i] == '\0' )
                ev[i] = ' ';
        p->ev[p->nev++] = ev;
        return;
    }
    p->have_reply = 1;
    p->reply.type = h.type;
    p->reply.req_id = h.req_id;
    p->reply.tx_id = h.tx_id;
    p->reply.len = h.len;
    memcpy(p->reply.data, m + sizeof(h), h.len);
    p->reply.data[h.len] = '\0';
    if ( h.type == XS_ERROR )
        snprintf(p->reply.text, sizeof(p->reply.text), "ERR:%s", p->reply.data);
    else
        memcpy(p->reply.text, p->reply.data, h.len + 1);
}

void xt_drain(struct xs_conn *c)
{
    struct xt_peer *p = xs_conn_opaque(c);
    const void *buf;
    size_t n;

    while ( (n = xs_conn_output(c, &buf)) )
    {
        /* The core hands out one whole message at a time. */
        assert_true(n >= sizeof(struct xs_msg_hdr));
        xt_take(p, buf);
        xs_conn_consume(c, n);
    }
}

const char *xt_raw(struct xs_conn *c, uint32_t type, uint32_t tx,
                   const void *buf, uint32_t len)
{
    static uint32_t req_id = 100;
    struct xt_peer *p = xs_conn_opaque(c);
    struct xs_msg_hdr h = {
        .type = type, .req_id = ++req_id, .tx_id = tx, .len = len
    };

    p->have_reply = 0;
    assert_int_equal(xs_conn_input(c, &h, sizeof(h)), sizeof(h));
    assert_int_equal(xs_conn_input(c, buf, len), len);
    xt_drain(c);
    assert_true(p->have_reply);
    assert_int_equal(p->reply.req_id, req_id);
    assert_int_equal(p->reply.tx_id, tx);
    if ( p->reply.type != XS_ERROR )
        assert_int_equal(p->reply.type, type);
    xt_last = p->reply;
    return xt_last.text;
}

const char *xt_call(struct xs_conn *c, uint32_t type, uint32_t tx,
                    unsigned int n, ...)
{
    static char buf[XS_PAYLOAD_MAX * 2];
    uint32_t len = 0;
    unsigned int i;
    va_list ap;

    va_start(ap, n);
    for ( i = 0; i < n; i++ )
    {
        const char *a = va_arg(ap, const char *);
        size_t l = strlen(a) + 1;

        assert_true(len + l <= sizeof(buf));
        memcpy(buf + len, a, l);
        len += (uint32_t)l;
    }
    va_end(ap);
    return xt_raw(c, type, tx, buf, len);
}

const char *xt_write(struct xs_conn *c, uint32_t tx, const char *path,
                     const char *val)
{
    static char buf[XS_PAYLOAD_MAX * 2];
    size_t pl = strlen(path) + 1, vl = strlen(val);

    assert_true(pl + vl <= sizeof(buf));
    memcpy(buf, path, pl);
    memcpy(buf + pl, val, vl);
    return xt_raw(c, XS_WRITE, tx, buf, (uint32_t)(pl + vl));
}

const char *xt_read(struct xs_conn *c, uint32_t tx, const char *path)
{
    return xt_call(c, XS_READ, tx, 1, path);
}

const char *xt_mkdir(struct xs_conn *c, uint32_t tx, const char *path)
{
    return xt_call(c, XS_MKDIR, tx, 1, path);
}

const char *xt_rm(struct xs_conn *c, uint32_t tx, const char *path)
{
    return xt_call(c, XS_RM, tx, 1, path);
}

/* Directory listing as "a b c" (or the error). */
const char *xt_dir(struct xs_conn *c, uint32_t tx, const char *path)
{
    uint32_t i;

    xt_call(c, XS_DIRECTORY, tx, 1, path);
    if ( xt_last.type == XS_DIRECTORY )
    {
        for ( i = 0; i + 1 < xt_last.len; i++ )
            if ( xt_last.text[i] == '\0' )
                xt_last.text[i] = ' ';
        if ( xt_last.len )
            xt_last.text[xt_last.len - 1] = '\0';
    }
    return xt_last.text;
}

const char *xt_perms(struct xs_conn *c, uint32_t tx, const char *path)
{
    uint32_t i;

    xt_call(c, XS_GET_PERMS, tx, 1, path);
    if ( xt_last.type == XS_GET_PERMS )
    {
        for ( i = 0; i + 1 < xt_last.len; i++ )
            if ( xt_last.text[i] == '\0' )
                xt_last.text[i] = ' ';
    }
    return xt_last.text;
}

const char *xt_setperms(struct xs_conn *c, uint32_t tx, const char *path,
                        const char *perms)
{
    char buf[XS_PAYLOAD_MAX];
    size_t pl = strlen(path) + 1, ql = strlen(perms) + 1, i;

    assert_true(pl + ql <= sizeof(buf));
    memcpy(buf, path, pl);
    memcpy(buf + pl, perms, ql);
    for ( i = pl; i < pl + ql; i++ )
        if ( buf[i] == ' ' )
            buf[i] = '\0';
    return xt_raw(c, XS_SET_PERMS, tx, buf, (uint32_t)(pl + ql));
}

const char *xt_watch(struct xs_conn *c, const char *path, const char *tok)
{
    return xt_call(c, XS_WATCH, 0, 2, path, tok);
}

const char *xt_unwatch(struct xs_conn *c, const char *path, const char *tok)
{
    return xt_call(c, XS_UNWATCH, 0, 2, path, tok);
}

uint32_t xt_txn_start(struct xs_conn *c)
{
    const char *r = xt_call(c, XS_TRANSACTION_START, 0, 1, "");

    if ( xt_last.type == XS_ERROR )
        return 0;
    return (uint32_t)strtoul(r, NULL, 10);
}

const char *xt_txn_end(struct xs_conn *c, uint32_t tx, int commit)
{
    return xt_call(c, XS_TRANSACTION_END, tx, 1, commit ? "T" : "F");
}

const char *xt_introduce(struct xs_conn *c, unsigned int domid)
{
    char d[16];

    snprintf(d, sizeof(d), "%u", domid);
    return xt_call(c, XS_INTRODUCE, 0, 3, d, "4096", "7");
}

unsigned int xt_nevents(struct xs_conn *c)
{
    xt_drain(c);
    return ((struct xt_peer *)xs_conn_opaque(c))->nev;
}

const char *xt_event(struct xs_conn *c, unsigned int i)
{
    struct xt_peer *p = xs_conn_opaque(c);

    xt_drain(c);
    assert_true(i < p->nev);
    return p->ev[i];
}

void xt_clear_events(struct xs_conn *c)
{
    struct xt_peer *p = xs_conn_opaque(c);
    unsigned int i;

    xt_drain(c);
    for ( i = 0; i < p->nev; i++ )
        free(p->ev[i]);
    p->nev = 0;
}

int xt_has_event(struct xs_conn *c, const char *ev)
{
    struct xt_peer *p = xs_conn_opaque(c);
    unsigned int i;

    xt_drain(c);
    for ( i = 0; i < p->nev; i++ )
        if ( !strcmp(p->ev[i], ev) )
            return 1;
    return 0;
}
