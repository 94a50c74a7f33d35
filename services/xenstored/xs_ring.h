/*
 * xenstored shared-ring transport: one domain's xs_ring_page
 *
 * Locking: the page is shared with a guest that may be hostile; the server
 * reads the guest's indexes once per poll with acquire ordering, checks
 * them, and publishes its own with release ordering.  One xs_ring is driven
 * from one thread.  The client helpers are for the guest side (and tests).
 */
#ifndef XS_RING_H
#define XS_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <public/io/xs_wire.h>
#include "xenstored.h"

struct xs_ring
{
    struct xs_ring_page *page;
    struct xs_conn *conn;
    void (*notify)(void *opaque); /* signal the event channel */
    void *opaque;
    bool broken; /* error field set: serve nothing until reconnection */
};

/* Attach a page to a connection; advertises RECONNECTION and ERROR. */
void xs_ring_init(struct xs_ring *r, struct xs_ring_page *page,
                  struct xs_conn *conn, void (*notify)(void *), void *opaque);
/*
 * Move requests into the core and replies/events out, until neither makes
 * progress.  Returns the number of bytes moved, or -1 when the ring is
 * broken (page->error says why).
 */
int xs_ring_poll(struct xs_ring *r);

/* Guest side: copy bytes into the request ring / out of the reply ring. */
size_t xs_ring_client_write(struct xs_ring_page *page, const void *buf,
                            size_t len);
size_t xs_ring_client_read(struct xs_ring_page *page, void *buf, size_t len);

#endif /* XS_RING_H */
