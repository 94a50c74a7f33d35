/*
 * xenstored unit-test harness: a store with a scriptable host, connections
 * acting as any domid, synchronous requests and captured watch events
 *
 * Locking: none; tests are single-threaded.
 */
#ifndef XT_H
#define XT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <public/io/xs_wire.h>
#include "xenstored.h"

#define XT_MAX_EVENTS 8192

struct xt_reply
{
    uint32_t type, req_id, tx_id, len;
    char data[XS_PAYLOAD_MAX + 16];
    char text[XS_PAYLOAD_MAX + 32]; /* "ERR:NAME" for errors, else payload */
};

/* The host's answer to domain_state(), per domid (default RUNNING). */
extern enum xs_dom_state xt_dom_state[XS_DOMID_LIMIT];
extern struct xs_store *xt_s;
extern struct xt_reply xt_last;
extern unsigned int xt_introduce_calls, xt_release_calls;

struct xs_store *xt_store(const struct xs_quota *q);
void xt_store_free(void);
struct xs_conn *xt_conn(unsigned int domid);
void xt_conn_free(struct xs_conn *c);

/* Raw request: returns the reply text ("ERR:EINVAL" style for errors). */
const char *xt_raw(struct xs_conn *c, uint32_t type, uint32_t tx,
                   const void *buf, uint32_t len);
/* Request with n NUL-terminated string arguments. */
const char *xt_call(struct xs_conn *c, uint32_t type, uint32_t tx,
                    unsigned int n, ...);
const char *xt_write(struct xs_conn *c, uint32_t tx, const char *path,
                     const char *val);
const char *xt_read(struct xs_conn *c, uint32_t tx, const char *path);
const char *xt_mkdir(struct xs_conn *c, uint32_t tx, const char *path);
const char *xt_rm(struct xs_conn *c, uint32_t tx, const char *path);
const char *xt_dir(struct xs_conn *c, uint32_t tx, const char *path);
const char *xt_perms(struct xs_conn *c, uint32_t tx, const char *path);
/* perms as one space-separated string: "b0 r5" */
const char *xt_setperms(struct xs_conn *c, uint32_t tx, const char *path,
                        const char *perms);
const char *xt_watch(struct xs_conn *c, const char *path, const char *tok);
const char *xt_unwatch(struct xs_conn *c, const char *path, const char *tok);
uint32_t xt_txn_start(struct xs_conn *c);
const char *xt_txn_end(struct xs_conn *c, uint32_t tx, int commit);
const char *xt_introduce(struct xs_conn *c, unsigned int domid);

/* Pull all queued output; events collect per connection. */
void xt_drain(struct xs_conn *c);
unsigned int xt_nevents(struct xs_conn *c);
/* Event i as "path token". */
const char *xt_event(struct xs_conn *c, unsigned int i);
void xt_clear_events(struct xs_conn *c);
/* Is "path token" among c's events? */
int xt_has_event(struct xs_conn *c, const char *ev);

#endif /* XT_H */
