/*
 * xenstored core internals: nodes, domains, connections, watches, transactions
 *
 * Locking: none (single-threaded core, see xenstored.h).  Every object has
 * exactly one owner: nodes belong to the store's hash table and tree,
 * connections to their transport, watches and transactions to their
 * connection.
 */
#ifndef XS_PRIV_H
#define XS_PRIV_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <public/io/xs_wire.h>
#include "xenstored.h"

#define XS_PERM_NONE  0u
#define XS_PERM_READ  1u
#define XS_PERM_WRITE 2u
#define XS_PERM_BOTH  3u

#define XS_PERM_IGNORE 1u /* xs_perm.pad flag: entry no longer counts */

struct xs_perm
{
    uint16_t domid;
    uint8_t bits; /* XS_PERM_* */
    uint8_t pad;  /* XS_PERM_IGNORE */
};

/* A permission list with the generation it was written at (XSA-322). */
struct xs_perms
{
    struct xs_perm *p; /* p[0] is owner + default */
    uint32_t n;
    uint64_t gen;
};

struct xs_dom;

struct xs_node
{
    struct xs_node *hnext; /* store hash chain */
    struct xs_node *parent;
    struct xs_node *kid_first, *kid_last, *sib_next, *sib_prev;
    struct xs_node *own_next, *own_prev; /* owner domain's list */
    struct xs_dom *owner;                /* record of perms.p[0].domid */
    char *path;                          /* canonical absolute path */
    const char *name;                    /* last component, inside path */
    uint32_t hash;
    uint32_t nkids;
    uint32_t kids_bytes; /* sum of strlen(kid name) + 1 */
    uint32_t vlen;
    char *value;
    struct xs_perms perms;
    uint64_t gen; /* last change of value, perms or child list */
    uint32_t mem; /* bytes charged to owner */
};

struct xs_dom
{
    unsigned int domid;
    uint64_t gen; /* store generation when this record was made */
    bool introduced;
    bool shutdown_fired; /* @releaseDomain already fired for shutdown */
    int target;          /* SET_TARGET: acts for this domid, or -1 */
    uint32_t nodes, watches;
    uint64_t mem;
    struct xs_node *own_first; /* nodes owned */
    struct xs_conn *conn_first;
    struct xs_dom *next, *prev; /* all domain records */
};

struct xs_watch
{
    struct xs_watch *hnext;         /* store hash chain, by path */
    struct xs_watch *cnext, *cprev; /* connection's list */
    struct xs_conn *conn;
    char *path; /* absolute (or @special) */
    char *token;
    uint32_t hash;
    uint32_t strip; /* chars to strip from event paths (relative watch) */
    uint32_t mem;
};

/* One queued outgoing message (header + payload). */
struct xs_out
{
    struct xs_out *next;
    uint32_t len; /* header + payload */
    bool is_event;
    char buf[];
};

#define XS_TXE_READ    0 /* only observed: conflict check at commit */
#define XS_TXE_WRITTEN 1 /* node exists in the transaction's view */
#define XS_TXE_DELETED 2 /* node removed in the transaction's view */

/* A node as a transaction sees and changes it. */
struct xs_txe
{
    struct xs_txe *hnext, *next;
    char *path;
    uint32_t hash, seq, depth;
    uint8_t state;
    bool fire;      /* target of an operation: fire watches at commit */
    bool kids_gone; /* a child was removed: reconcile at commit */
    bool val_set;   /* value written in the transaction */
    bool perms_set; /* permissions written in the transaction */
    uint64_t base;  /* main node's gen at first access, 0 if absent */
    uint64_t mod;   /* changes made in the transaction */
    char *value;
    uint32_t vlen;
    struct xs_perms perms;
    char *kids; /* child names, each NUL-terminated */
    uint32_t kids_len, nkids;
};

struct xs_txn
{
    struct xs_txn *next; /* connection's list */
    struct xs_conn *conn;
    uint32_t id;
    uint64_t start_gen;
    bool stale; /* saw a change newer than its start: commit fails */
    uint32_t nentries, created, seq;
    struct xs_txe **htab;
    uint32_t hsize;
    struct xs_txe *first, *last;
};

struct xs_conn
{
    struct xs_store *store;
    struct xs_dom *dom;
    unsigned int domid;
    bool priv;
    bool dead;
    const char *dead_reason;
    void *opaque;
    struct xs_conn *dnext, *dprev; /* domain's connections */
    /* input framing */
    uint32_t in_have; /* bytes of header + payload received */
    struct xs_msg_hdr in_hdr;
    char in_buf[XS_PAYLOAD_MAX + 1];
    /* output queue */
    struct xs_out *out_first, *out_last;
    uint32_t out_off;
    uint32_t outstanding; /* replies queued */
    uint32_t nevents;     /* events queued */
    uint64_t out_mem;     /* bytes of queued events charged to dom */
    struct xs_watch *watch_first;
    struct xs_txn *txn_first;
    uint32_t ntxns;
};

struct xs_special
{
    const char *path;
    struct xs_perms perms;
};

struct xs_store
{
    const struct xs_host_ops *ops;
    void *opaque;
    struct xs_quota quota;
    struct xs_node **nhash;
    uint32_t nhash_size, nnodes;
    struct xs_watch **whash;
    uint32_t whash_size, nwatches;
    struct xs_dom **doms; /* indexed by domid */
    struct xs_dom *dom_first;
    uint32_t ndoms;
    uint64_t gen;
    uint32_t next_txid;
    uint64_t events_dropped;
    struct xs_node *root;
    struct xs_special intro, release;
};

/* A read-only look at a node, from the tree or a transaction. */
struct xs_view
{
    const char *value;
    uint32_t vlen;
    const struct xs_perms *perms;
    struct xs_node *node;
    struct xs_txe *txe;
    uint64_t gen;
};

/* Iterator over a view's child names. */
struct xs_kid_iter
{
    struct xs_node *n;
    const char *p, *end;
};

/* xs_tree.c */
uint32_t xs_hash(const char *s);
bool xs_path_valid(const char *path);
uint32_t xs_path_depth(const char *path);
int xs_path_parent(const char *path, char *buf, size_t len);
struct xs_node *xs_node_lookup(struct xs_store *s, const char *path);
struct xs_node *xs_node_new(struct xs_store *s, struct xs_node *parent,
                            const char *path, const char *value, uint32_t vlen,
                            const struct xs_perms *perms);
int xs_node_set_value(struct xs_store *s, struct xs_node *n, const char *value,
                      uint32_t vlen);
int xs_node_set_perms(struct xs_store *s, struct xs_node *n,
                      const struct xs_perms *perms);
void xs_node_delete(struct xs_store *s, struct xs_node *n);
uint32_t xs_node_size(uint32_t vlen, uint32_t nperms, uint32_t kids_bytes);
void xs_view_of_node(struct xs_node *n, struct xs_view *v);
const char *xs_kid_first(const struct xs_view *v, struct xs_kid_iter *it);
const char *xs_kid_next(struct xs_kid_iter *it);
int xs_tree_init(struct xs_store *s);
void xs_tree_free(struct xs_store *s);

/* xs_perms.c */
int xs_perms_parse(const char *buf, uint32_t len, uint32_t n,
                   struct xs_perms *out);
int xs_perms_copy(struct xs_perms *dst, const struct xs_perms *src);
uint32_t xs_perms_format(const struct xs_perms *p, char *buf, uint32_t len);
unsigned int xs_perms_for(const struct xs_conn *c, const struct xs_perms *p);
bool xs_perm_entry_valid(struct xs_store *s, const struct xs_perms *p,
                         uint32_t i);
int xs_perms_inherit(struct xs_store *s, struct xs_perms *dst,
                     const struct xs_perms *src, uint64_t gen);

/* xs_domain.c */
struct xs_dom *xs_dom_get(struct xs_store *s, unsigned int domid);
struct xs_dom *xs_dom_attach(struct xs_store *s, unsigned int domid);
struct xs_dom *xs_dom_find_or_make(struct xs_store *s, unsigned int domid);
bool xs_dom_valid_for(struct xs_store *s, unsigned int domid, uint64_t gen);
int xs_dom_introduce(struct xs_conn *c, unsigned int domid, uint64_t gfn,
                     uint32_t evtchn);
int xs_dom_release(struct xs_store *s, unsigned int domid);
void xs_dom_charge(struct xs_dom *d, int64_t mem, int32_t nodes);
bool xs_dom_over(const struct xs_conn *c, uint64_t more_mem,
                 uint32_t more_nodes, int *err);
void xs_dom_free_all(struct xs_store *s);

/* xs_conn.c */
int xs_reply(struct xs_conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id,
             const void *p, uint32_t len);
int xs_reply_error(struct xs_conn *c, uint32_t req_id, uint32_t tx_id, int err);
int xs_send_event(struct xs_conn *c, const char *path, const char *token);
const char *xs_errno_name(int err);
void xs_conn_kill(struct xs_conn *c, const char *why);

/* xs_watch.c */
int xs_watch_add(struct xs_conn *c, const char *path, const char *token,
                 uint32_t strip);
int xs_watch_del(struct xs_conn *c, const char *path, const char *token);
void xs_watch_del_all(struct xs_conn *c);
void xs_watch_fire(struct xs_store *s, const char *path,
                   const struct xs_perms *perms);
void xs_watch_fire_exact(struct xs_store *s, const char *path,
                         const struct xs_perms *perms);
void xs_watch_fire_special(struct xs_store *s, struct xs_special *sp);

/* xs_txn.c */
struct xs_txn *xs_txn_find(struct xs_conn *c, uint32_t id);
int xs_txn_start(struct xs_conn *c, uint32_t *id);
int xs_txn_end(struct xs_conn *c, struct xs_txn *t, bool commit);
void xs_txn_free_all(struct xs_conn *c);
int xs_txn_get(struct xs_txn *t, const char *path, struct xs_view *v);
int xs_txn_modify(struct xs_txn *t, const char *path, const struct xs_view *v,
                  struct xs_txe **out);
int xs_txn_create(struct xs_txn *t, const char *path, const char *value,
                  uint32_t vlen, const struct xs_perms *perms, bool fire);
int xs_txn_delete(struct xs_txn *t, const char *path);
void xs_txe_free_data(struct xs_txe *e);

/* xs_commit.c */
int xs_txn_commit(struct xs_conn *c, struct xs_txn *t);

/* xs_access.c: the operations shared by the tree and transactions */
int xs_get(struct xs_conn *c, struct xs_txn *t, const char *path,
           struct xs_view *v);
int xs_get_checked(struct xs_conn *c, struct xs_txn *t, const char *path,
                   unsigned int need, struct xs_view *v);
int xs_canonical(const struct xs_conn *c, const char *in, char *out, size_t len,
                 uint32_t *strip);
int xs_do_write(struct xs_conn *c, struct xs_txn *t, const char *path,
                const char *value, uint32_t vlen, bool mkdir);
int xs_do_rm(struct xs_conn *c, struct xs_txn *t, const char *path);
int xs_do_set_perms(struct xs_conn *c, struct xs_txn *t, const char *path,
                    struct xs_perms *perms);

/* xs_ops.c / xs_ops_dom.c: message handlers */
struct xs_req
{
    uint32_t type, req_id, tx_id, len;
    char *buf; /* len bytes, followed by a NUL the client did not send */
    struct xs_txn *txn;
};
void xs_dispatch(struct xs_conn *c, struct xs_req *r);
int xs_req_args(const struct xs_req *r, const char **argv, unsigned int n);
int xs_parse_domid(const char *s, unsigned int *domid);
int xs_ops_control(struct xs_conn *c, struct xs_req *r);
int xs_ops_introduce(struct xs_conn *c, struct xs_req *r);
int xs_ops_release(struct xs_conn *c, struct xs_req *r);
int xs_ops_is_introduced(struct xs_conn *c, struct xs_req *r);
int xs_ops_resume(struct xs_conn *c, struct xs_req *r);
int xs_ops_set_target(struct xs_conn *c, struct xs_req *r);
int xs_ops_get_domain_path(struct xs_conn *c, struct xs_req *r);

#endif /* XS_PRIV_H */
