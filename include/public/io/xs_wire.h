/*
 * XenStore wire protocol: message numbers, header, ring page (Xen 4.17 ABI)
 *
 * Locking: none; these are layouts shared with the other end of a socket or
 * of a shared ring page.  The numbers and offsets are Xen's, restated here in
 * Tessera's own words and pinned with _Static_assert.
 */
#ifndef PUBLIC_IO_XS_WIRE_H
#define PUBLIC_IO_XS_WIRE_H

#include <stdint.h>

/*
 * Message types.  One list, expanded into the numbers and the name table.
 * Number 20 once carried a "restrict" request; it stays unused and is
 * answered with ENOSYS, like every number not listed here.
 */
#define XS_MSG_LIST(X)          \
    X(0, CONTROL)               \
    X(1, DIRECTORY)             \
    X(2, READ)                  \
    X(3, GET_PERMS)             \
    X(4, WATCH)                 \
    X(5, UNWATCH)               \
    X(6, TRANSACTION_START)     \
    X(7, TRANSACTION_END)       \
    X(8, INTRODUCE)             \
    X(9, RELEASE)               \
    X(10, GET_DOMAIN_PATH)      \
    X(11, WRITE)                \
    X(12, MKDIR)                \
    X(13, RM)                   \
    X(14, SET_PERMS)            \
    X(15, WATCH_EVENT)          \
    X(16, ERROR)                \
    X(17, IS_DOMAIN_INTRODUCED) \
    X(18, RESUME)               \
    X(19, SET_TARGET)           \
    X(21, RESET_WATCHES)        \
    X(22, DIRECTORY_PART)

enum xs_msg_type
{
#define XS_MSG_ENUM(nr, name) XS_##name = nr,
    XS_MSG_LIST(XS_MSG_ENUM)
#undef XS_MSG_ENUM
    XS_DEBUG = XS_CONTROL, /* the older name of message 0 */
    XS_TYPE_COUNT = 23,    /* one past the highest number in use */
    XS_INVALID = 0xffff,   /* never a valid message type */
};

/*
 * Error replies carry the errno NAME as a string ("EINVAL"), never a
 * number.  The list is in Xen's order; the numbers are those of the C
 * library in use (errno.h), which only matters inside one program.
 */
#define XS_ERROR_LIST(X) \
    X(EINVAL)            \
    X(EACCES)            \
    X(EEXIST)            \
    X(EISDIR)            \
    X(ENOENT)            \
    X(ENOMEM)            \
    X(ENOSPC)            \
    X(EIO)               \
    X(ENOTEMPTY)         \
    X(ENOSYS)            \
    X(EROFS)             \
    X(EBUSY)             \
    X(EAGAIN)            \
    X(EISCONN)           \
    X(E2BIG)             \
    X(EPERM)

/* Every message starts with this header, followed by len payload bytes. */
struct xs_msg_hdr
{
    uint32_t type;   /* enum xs_msg_type */
    uint32_t req_id; /* chosen by the client, echoed in the reply */
    uint32_t tx_id;  /* transaction, 0 for none */
    uint32_t len;    /* payload bytes after the header */
};
_Static_assert(sizeof(struct xs_msg_hdr) == 16, "xs_msg_hdr size");

/* Payload and path limits. */
#define XS_PAYLOAD_MAX  4096 /* larger payloads are a protocol violation */
#define XS_ABS_PATH_MAX 3072 /* longest canonical absolute path */
#define XS_REL_PATH_MAX 2048 /* longest path relative to a domain's home */

/* Strings used by the WATCH_EVENT payload positions. */
#define XS_WATCH_PATH  0
#define XS_WATCH_TOKEN 1

/* The shared ring page between a guest (client) and the server. */
#define XS_RING_SIZE      1024
#define XS_RING_MASK(idx) ((idx) & (XS_RING_SIZE - 1))

typedef uint32_t xs_ring_idx_t;

struct xs_ring_page
{
    char req[XS_RING_SIZE];   /* client -> server bytes */
    char rsp[XS_RING_SIZE];   /* server -> client bytes (replies, events) */
    xs_ring_idx_t req_cons;   /* free-running; written by the server */
    xs_ring_idx_t req_prod;   /* free-running; written by the client */
    xs_ring_idx_t rsp_cons;   /* free-running; written by the client */
    xs_ring_idx_t rsp_prod;   /* free-running; written by the server */
    uint32_t server_features; /* XS_FEATURE_* offered by the server */
    uint32_t connection;      /* XS_CONN_* */
    uint32_t error;           /* XS_RING_ERR_*, set by the server */
};

/* server_features bits */
#define XS_FEATURE_RECONNECTION 1u /* the connection field is honoured */
#define XS_FEATURE_ERROR        2u /* the error field is filled in */

/* connection values: only the client sets RECONNECT, only the server 0 */
#define XS_CONN_CONNECTED 0u
#define XS_CONN_RECONNECT 1u

/* error values */
#define XS_RING_ERR_NONE    0u
#define XS_RING_ERR_COMM    1u /* communication problem */
#define XS_RING_ERR_RINGIDX 2u /* producer/consumer indexes inconsistent */
#define XS_RING_ERR_PROTO   3u /* protocol violation (e.g. oversize len) */

_Static_assert(__builtin_offsetof(struct xs_ring_page, req) == 0, "req");
_Static_assert(__builtin_offsetof(struct xs_ring_page, rsp) == 1024, "rsp");
_Static_assert(__builtin_offsetof(struct xs_ring_page, req_cons) == 2048,
               "req_cons");
_Static_assert(__builtin_offsetof(struct xs_ring_page, req_prod) == 2052,
               "req_prod");
_Static_assert(__builtin_offsetof(struct xs_ring_page, rsp_cons) == 2056,
               "rsp_cons");
_Static_assert(__builtin_offsetof(struct xs_ring_page, rsp_prod) == 2060,
               "rsp_prod");
_Static_assert(__builtin_offsetof(struct xs_ring_page, server_features) == 2064,
               "server_features");
_Static_assert(__builtin_offsetof(struct xs_ring_page, connection) == 2068,
               "connection");
_Static_assert(__builtin_offsetof(struct xs_ring_page, error) == 2072, "error");
_Static_assert(sizeof(struct xs_ring_page) == 2076, "xs_ring_page size");

#endif /* PUBLIC_IO_XS_WIRE_H */
