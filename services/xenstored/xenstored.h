/*
 * xenstored core: the transport-free XenStore server interface
 *
 * Locking: none.  The core is single-threaded; a transport calls it from one
 * event loop.  It never blocks and never calls the operating system: bytes
 * come in through xs_conn_input(), replies and watch events leave through
 * xs_conn_output()/xs_conn_consume(), and the question "does domain N exist"
 * goes through struct xs_host_ops.
 */
#ifndef XENSTORED_H
#define XENSTORED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xs_store;
struct xs_conn;

/* Lowest domid that does not name a real domain (Xen's DOMID_FIRST_RESERVED) */
#define XS_DOMID_LIMIT 0x7ff0u

enum xs_dom_state
{
    XS_DOM_RUNNING,  /* exists and runs */
    XS_DOM_SHUTDOWN, /* exists, shut down (may be resumed) */
    XS_DOM_GONE,     /* dying or destroyed: its nodes must go */
};

struct xs_host_ops
{
    /* State of a domain in the hypervisor (the host build: a stand-in). */
    enum xs_dom_state (*domain_state)(void *opaque, unsigned int domid);
    /*
     * INTRODUCE from a privileged caller: attach the transport of domid's
     * ring page (gfn) and event channel.  Returns 0 or a positive errno.
     * May be NULL: the domain is then known to the store without a ring.
     */
    int (*introduce)(void *opaque, unsigned int domid, uint64_t gfn,
                     uint32_t evtchn);
    /* The domain was released or died: drop its transport.  May be NULL. */
    void (*release)(void *opaque, unsigned int domid);
    /* Output became available on a connection (or it died).  May be NULL. */
    void (*kick)(void *opaque, struct xs_conn *conn);
};

/* Per-domain limits, applied to unprivileged domains (see docs/xenstore.md) */
#define XS_QUOTA_LIST(X)                                                  \
    X(nodes, 1000, "nodes owned by one domain")                           \
    X(watches, 128, "watches registered by one domain")                   \
    X(transactions, 10, "transactions open on one connection")            \
    X(outstanding, 20, "replies queued before input is paused")           \
    X(transaction_nodes, 1024, "nodes one transaction may touch")         \
    X(node_size, 2048, "bytes of one node record (value+perms+children)") \
    X(permissions, 5, "entries in one permission list")                   \
    X(memory, 2621440, "bytes of nodes, watches and queued events")       \
    X(watch_events, 1024, "watch events queued on one connection")

struct xs_quota
{
#define XS_QUOTA_FIELD(name, def, doc) uint32_t name;
    XS_QUOTA_LIST(XS_QUOTA_FIELD)
#undef XS_QUOTA_FIELD
};

void xs_quota_defaults(struct xs_quota *q);
/* "name=value" (dashes or underscores); 0 or EINVAL with *why set. */
int xs_quota_parse(struct xs_quota *q, const char *arg, const char **why);

/* A new store with the initial tree (/, /tool, /tool/xenstored). */
struct xs_store *xs_store_new(const struct xs_host_ops *ops, void *opaque,
                              const struct xs_quota *quota);
void xs_store_free(struct xs_store *s);

/*
 * A connection speaking for domid.  Domain 0 is privileged.  The domain is
 * marked introduced (the transport has a ring or socket for it).  Returns
 * NULL for a reserved domid or when out of memory.
 */
struct xs_conn *xs_conn_new(struct xs_store *s, unsigned int domid,
                            void *opaque);
/* Frees the connection, its watches, transactions and queued output. */
void xs_conn_free(struct xs_conn *c);
void *xs_conn_opaque(const struct xs_conn *c);
unsigned int xs_conn_domid(const struct xs_conn *c);

/*
 * Feed received bytes.  Complete requests are handled at once.  Returns the
 * number of bytes consumed: fewer than len when the connection has too many
 * unread replies (offer the rest again after consuming output) or died.
 */
size_t xs_conn_input(struct xs_conn *c, const void *buf, size_t len);
/* Bytes ready to send (contiguous); 0 when nothing is queued. */
size_t xs_conn_output(struct xs_conn *c, const void **buf);
void xs_conn_consume(struct xs_conn *c, size_t n);
/* Dead connections must be closed by the transport (reason says why). */
bool xs_conn_dead(const struct xs_conn *c);
const char *xs_conn_dead_reason(const struct xs_conn *c);
/* Ring reconnection: drop partial input, output, watches, transactions. */
void xs_conn_reset(struct xs_conn *c);

/* VIRQ_DOM_EXC: ask ops->domain_state about every known domain. */
void xs_store_check_domains(struct xs_store *s);
/* The transport learned that domid is gone: clean it up now. */
void xs_store_domain_gone(struct xs_store *s, unsigned int domid);

/* Statistics for tests and CONTROL. */
struct xs_stats
{
    uint32_t nodes;
    uint32_t watches;
    uint32_t domains;
    uint64_t events_dropped;
};
void xs_store_stats(const struct xs_store *s, struct xs_stats *st);
/* Nodes currently owned by domid (0 when unknown). */
uint32_t xs_domain_nodes(const struct xs_store *s, unsigned int domid);

#endif /* XENSTORED_H */
