/*
 * Host heap shim (XMALLOC_LIBC): xmalloc over the C library for tests that
 * do not link xmalloc.c, with failure injection.
 *
 * Locking: none; unit tests are single-threaded.
 */
#include <stdlib.h>
#include <string.h>

#include <hv/mm.h>
#include "shim.h"

unsigned int shim_xmalloc_fail;
unsigned long shim_xmalloc_live;

void *xmalloc_bytes(size_t size)
{
    void *p;

    if ( size == 0 )
        return NULL;
    if ( shim_xmalloc_fail )
    {
        shim_xmalloc_fail--;
        return NULL;
    }
    p = aligned_alloc(16, (size + 15) & ~(size_t)15);
    if ( p )
        shim_xmalloc_live++;
    return p;
}

void *xzalloc_bytes(size_t size)
{
    void *p = xmalloc_bytes(size);

    if ( p )
        memset(p, 0, size);
    return p;
}

void xfree(void *p)
{
    if ( p )
        shim_xmalloc_live--;
    free(p);
}
