/*
 * xenstored wire-layer fuzz target (libFuzzer): arbitrary bytes from a
 * privileged and an unprivileged connection into one store
 *
 * Locking: none; single-threaded.  The input is split at its first byte:
 * the first part speaks as domain 0, the rest as domain 5, fed in chunks of
 * varying size.  Output is drained between chunks, so watch events, replies
 * and back-pressure all take part.  Memory use stays bounded by the quotas.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "xenstored.h"

static enum xs_dom_state fz_state(void *opaque, unsigned int domid)
{
    (void)opaque;
    return domid % 3 ? XS_DOM_RUNNING : XS_DOM_GONE;
}

static const struct xs_host_ops fz_ops = { .domain_state = fz_state };

static void fz_drain(struct xs_conn *c)
{
    const void *buf;
    size_t n;

    while ( (n = xs_conn_output(c, &buf)) )
        xs_conn_consume(c, n);
}

static void fz_feed(struct xs_conn *c, const uint8_t *p, size_t len)
{
    size_t off = 0, step = 1;

    while ( off < len && !xs_conn_dead(c) )
    {
        size_t n = len - off < step ? len - off : step, used;

        used = xs_conn_input(c, p + off, n);
        off += used;
        fz_drain(c);
        step = step * 3 + 1;
        if ( !used && xs_conn_dead(c) )
            break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct xs_store *s = xs_store_new(&fz_ops, NULL, NULL);
    struct xs_conn *c0, *c5;
    size_t split;

    if ( !s )
        return 0;
    c0 = xs_conn_new(s, 0, NULL);
    c5 = xs_conn_new(s, 5, NULL);
    split = size ? (size_t)data[0] * size / 256 : 0;
    if ( c0 && c5 && size )
    {
        fz_feed(c0, data + 1, split > 0 ? split - 1 : 0);
        fz_feed(c5, data + (split ? split : 1), size - (split ? split : 1));
        xs_store_check_domains(s);
        fz_drain(c0);
    }
    xs_conn_free(c0);
    xs_conn_free(c5);
    xs_store_free(s);
    return 0;
}
