/*
 * xenstored message handlers for nodes, watches and transactions, and the
 * dispatch table for every message type
 *
 * Locking: none (single-threaded core).  Each handler parses its payload
 * (decode), then calls one operation (commit) and queues exactly one reply;
 * a non-zero return becomes an ERROR reply carrying the errno name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xs_priv.h"

#define XS_OK "OK"

/* Exactly n NUL-terminated strings fill the payload: 0 or EINVAL. */
int xs_req_args(const struct xs_req *r, const char **argv, unsigned int n)
{
    uint32_t off = 0;
    unsigned int i;

    for ( i = 0; i < n; i++ )
    {
        const char *nul = memchr(r->buf + off, '\0', r->len - off);

        if ( off >= r->len || !nul )
            return EINVAL;
        argv[i] = r->buf + off;
        off = (uint32_t)(nul - r->buf) + 1;
    }
    return off == r->len ? 0 : EINVAL;
}

static int xs_reply_ok(struct xs_conn *c, const struct xs_req *r)
{
    return xs_reply(c, r->type, r->req_id, r->tx_id, XS_OK, sizeof(XS_OK));
}

/* One path argument, canonicalised. */
static int xs_path_arg(struct xs_conn *c, const struct xs_req *r, char *path)
{
    const char *arg;
    uint32_t strip;
    int rc = xs_req_args(r, &arg, 1);

    return rc ? rc : xs_canonical(c, arg, path, XS_ABS_PATH_MAX + 1, &strip);
}

static int xs_op_directory(struct xs_conn *c, struct xs_req *r)
{
    char path[XS_ABS_PATH_MAX + 1], out[XS_PAYLOAD_MAX];
    struct xs_kid_iter it;
    struct xs_view v;
    const char *k;
    uint32_t len = 0;
    int rc;

    if ( (rc = xs_path_arg(c, r, path)) ||
         (rc = xs_get_checked(c, r->txn, path, XS_PERM_READ, &v)) )
        return rc;
    for ( k = xs_kid_first(&v, &it); k; k = xs_kid_next(&it) )
    {
        size_t l = strlen(k) + 1;

        if ( len + l > sizeof(out) )
            return E2BIG; /* the client falls back to DIRECTORY_PART */
        memcpy(out + len, k, l);
        len += (uint32_t)l;
    }
    return xs_reply(c, r->type, r->req_id, r->tx_id, out, len);
}

/* <path>|<offset>| -> <gen>|<names from offset>|...[extra NUL at the end] */
static int xs_op_directory_part(struct xs_conn *c, struct xs_req *r)
{
    char path[XS_ABS_PATH_MAX + 1], out[XS_PAYLOAD_MAX];
    const char *argv[2], *k;
    unsigned long long off = 0, pos = 0;
    struct xs_kid_iter it;
    struct xs_view v;
    uint32_t strip, len;
    int rc;

    if ( (rc = xs_req_args(r, argv, 2)) ||
         (rc = xs_canonical(c, argv[0], path, sizeof(path), &strip)) )
        return rc;
    if ( !argv[1][0] || strspn(argv[1], "0123456789") != strlen(argv[1]) ||
         strlen(argv[1]) > 9 )
        return EINVAL;
    off = strtoull(argv[1], NULL, 10);
    if ( (rc = xs_get_checked(c, r->txn, path, XS_PERM_READ, &v)) )
        return rc;
    len = (uint32_t)snprintf(out, sizeof(out), "%llu",
                             (unsigned long long)v.gen) +
          1;
    for ( k = xs_kid_first(&v, &it); k && pos < off; k = xs_kid_next(&it) )
        pos += strlen(k) + 1;
    if ( pos != off )
        return EINVAL; /* not the start of a name */
    for ( ; k; k = xs_kid_next(&it) )
    {
        size_t l = strlen(k) + 1;

        if ( len + l + 1 > sizeof(out) )
            break;
        memcpy(out + len, k, l);
        len += (uint32_t)l;
    }
    if ( !k )
        out[len++] = '\0'; /* the list is complete */
    return xs_reply(c, r->type, r->req_id, r->tx_id, out, len);
}

static int xs_op_read(struct xs_conn *c, struct xs_req *r)
{
    char path[XS_ABS_PATH_MAX + 1];
    struct xs_view v;
    int rc;

    if ( (rc = xs_path_arg(c, r, path)) ||
         (rc = xs_get_checked(c, r->txn, path, XS_PERM_READ, &v)) )
        return rc;
    return xs_reply(c, r->type, r->req_id, r->tx_id, v.value, v.vlen);
}

static int xs_op_get_perms(struct xs_conn *c, struct xs_req *r)
{
    char path[XS_ABS_PATH_MAX + 1], out[XS_PAYLOAD_MAX + 1];
    const struct xs_perms *perms;
    const char *arg;
    struct xs_view v;
    uint32_t len;
    int rc;

    if ( (rc = xs_req_args(r, &arg, 1)) )
        return rc;
    if ( !strcmp(arg, c->store->intro.path) )
        perms = &c->store->intro.perms;
    else if ( !strcmp(arg, c->store->release.path) )
        perms = &c->store->release.perms;
    else
    {
        if ( (rc = xs_path_arg(c, r, path)) ||
             (rc = xs_get_checked(c, r->txn, path, XS_PERM_READ, &v)) )
            return rc;
        perms = v.perms;
    }
    len = xs_perms_format(perms, out, sizeof(out));
    if ( len > sizeof(out) )
        return E2BIG;
    return xs_reply(c, r->type, r->req_id, r->tx_id, out, len);
}

/* Watch paths: absolute, relative (events come back relative) or @name. */
static int xs_watch_path(struct xs_conn *c, const char *in, char *out,
                         uint32_t *strip)
{
    size_t l = strlen(in);

    *strip = 0;
    if ( in[0] != '@' )
        return xs_canonical(c, in, out, XS_ABS_PATH_MAX + 1, strip);
    if ( l < 2 || l > XS_REL_PATH_MAX || strchr(in, '/') )
        return EINVAL;
    out[0] = '/'; /* check the characters as if it were a path */
    memcpy(out + 1, in + 1, l);
    if ( !xs_path_valid(out) )
        return EINVAL;
    memcpy(out, in, l + 1);
    return 0;
}

static int xs_op_watch(struct xs_conn *c, struct xs_req *r)
{
    char path[XS_ABS_PATH_MAX + 1];
    const char *argv[2];
    uint32_t strip;
    int rc;

    if ( (rc = xs_req_args(r, argv, 2)) ||
         (rc = xs_watch_path(c, argv[0], path, &strip)) ||
         (rc = xs_watch_add(c, path, argv[1], strip)) )
        return rc;
    xs_reply_ok(c, r);
    /* The first event fires at registration, whatever the permissions. */
    xs_send_event(c, argv[0], argv[1]);
    return 0;
}

static int xs_op_unwatch(struct xs_conn *c, struct xs_req *r)
{
    char path[XS_ABS_PATH_MAX + 1];
    const char *argv[2];
    uint32_t strip;
    int rc;

    if ( (rc = xs_req_args(r, argv, 2)) ||
         (rc = xs_watch_path(c, argv[0], path, &strip)) ||
         (rc = xs_watch_del(c, path, argv[1])) )
        return rc;
    return xs_reply_ok(c, r);
}

static int xs_op_transaction_start(struct xs_conn *c, struct xs_req *r)
{
    char out[16];
    uint32_t id;
    int rc;

    if ( r->tx_id )
        return xs_txn_find(c, r->tx_id) ? EBUSY : ENOENT;
    if ( (rc = xs_txn_start(c, &id)) )
        return rc;
    rc = snprintf(out, sizeof(out), "%u", id);
    return xs_reply(c, r->type, r->req_id, r->tx_id, out, (uint32_t)rc + 1);
}

static int xs_op_transaction_end(struct xs_conn *c, struct xs_req *r)
{
    const char *arg;
    int rc;

    if ( !r->txn )
        return ENOENT;
    if ( (rc = xs_req_args(r, &arg, 1)) )
        return rc;
    if ( strcmp(arg, "T") && strcmp(arg, "F") )
        return EINVAL;
    if ( (rc = xs_txn_end(c, r->txn, arg[0] == 'T')) )
        return rc;
    return xs_reply_ok(c, r);
}

static int xs_op_write(struct xs_conn *c, struct xs_req *r)
{
    char path[XS_ABS_PATH_MAX + 1];
    const char *nul = memchr(r->buf, '\0', r->len);
    uint32_t strip, off;
    int rc;

    if ( !nul )
        return EINVAL;
    off = (uint32_t)(nul - r->buf) + 1;
    if ( (rc = xs_canonical(c, r->buf, path, sizeof(path), &strip)) ||
         (rc =
              xs_do_write(c, r->txn, path, r->buf + off, r->len - off, false)) )
        return rc;
    return xs_reply_ok(c, r);
}

static int xs_op_mkdir(struct xs_conn *c, struct xs_req *r)
{
    char path[XS_ABS_PATH_MAX + 1];
    int rc;

    if ( (rc = xs_path_arg(c, r, path)) ||
         (rc = xs_do_write(c, r->txn, path, "", 0, true)) )
        return rc;
    return xs_reply_ok(c, r);
}

static int xs_op_rm(struct xs_conn *c, struct xs_req *r)
{
    char path[XS_ABS_PATH_MAX + 1];
    int rc;

    if ( (rc = xs_path_arg(c, r, path)) || (rc = xs_do_rm(c, r->txn, path)) )
        return rc;
    return xs_reply_ok(c, r);
}

static int xs_op_set_perms(struct xs_conn *c, struct xs_req *r)
{
    char path[XS_ABS_PATH_MAX + 1];
    const char *nul = memchr(r->buf, '\0', r->len), *p;
    struct xs_perms perms = { 0 };
    uint32_t n = 0, strip, off;
    int rc;

    if ( !nul || r->len == 0 || r->buf[r->len - 1] != '\0' )
        return EINVAL;
    off = (uint32_t)(nul - r->buf) + 1;
    for ( p = r->buf + off; p < r->buf + r->len; p += strlen(p) + 1 )
        n++;
    if ( r->buf[0] == '@' )
        rc = strlen(r->buf) < sizeof(path) ? (strcpy(path, r->buf), 0) : EINVAL;
    else
        rc = xs_canonical(c, r->buf, path, sizeof(path), &strip);
    if ( !rc )
        rc = xs_perms_parse(r->buf + off, r->len - off, n, &perms);
    if ( !rc )
        rc = xs_do_set_perms(c, r->txn, path, &perms);
    free(perms.p);
    return rc ? rc : xs_reply_ok(c, r);
}

static int xs_op_reset_watches(struct xs_conn *c, struct xs_req *r)
{
    xs_watch_del_all(c);
    xs_txn_free_all(c); /* safe inside a transaction too (XSA-484) */
    return xs_reply_ok(c, r);
}

struct xs_handler
{
    int (*fn)(struct xs_conn *c, struct xs_req *r);
    bool uses_txn; /* tx_id names a transaction (else it is ignored) */
};

static const struct xs_handler xs_handlers[XS_TYPE_COUNT] = {
    [XS_CONTROL] = { xs_ops_control, false },
    [XS_DIRECTORY] = { xs_op_directory, true },
    [XS_READ] = { xs_op_read, true },
    [XS_GET_PERMS] = { xs_op_get_perms, true },
    [XS_WATCH] = { xs_op_watch, false },
    [XS_UNWATCH] = { xs_op_unwatch, false },
    [XS_TRANSACTION_START] = { xs_op_transaction_start, false },
    [XS_TRANSACTION_END] = { xs_op_transaction_end, true },
    [XS_INTRODUCE] = { xs_ops_introduce, false },
    [XS_RELEASE] = { xs_ops_release, false },
    [XS_GET_DOMAIN_PATH] = { xs_ops_get_domain_path, false },
    [XS_WRITE] = { xs_op_write, true },
    [XS_MKDIR] = { xs_op_mkdir, true },
    [XS_RM] = { xs_op_rm, true },
    [XS_SET_PERMS] = { xs_op_set_perms, true },
    [XS_IS_DOMAIN_INTRODUCED] = { xs_ops_is_introduced, false },
    [XS_RESUME] = { xs_ops_resume, false },
    [XS_SET_TARGET] = { xs_ops_set_target, false },
    [XS_RESET_WATCHES] = { xs_op_reset_watches, false },
    [XS_DIRECTORY_PART] = { xs_op_directory_part, true },
};

void xs_dispatch(struct xs_conn *c, struct xs_req *r)
{
    const struct xs_handler *h =
        r->type < XS_TYPE_COUNT ? &xs_handlers[r->type] : NULL;
    int rc;

    if ( !h || !h->fn )
        rc = ENOSYS; /* WATCH_EVENT, ERROR, 20 and unknown numbers */
    else if ( h->uses_txn && r->tx_id && !(r->txn = xs_txn_find(c, r->tx_id)) )
        rc = ENOENT;
    else
        rc = h->fn(c, r);
    if ( rc )
        xs_reply_error(c, r->req_id, r->tx_id, rc);
}
