/*
 * libxc-min host backend (XCMIN_HOST): see xcmin_host.h.
 *
 * Locking: none; single-threaded tests.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <hv/errno.h>

#include "xcmin_host.h"

#define PG 4096UL

static int record(struct xcmin_host *x, enum xcmin_host_call c, domid_t dom,
                  uint64_t a, uint64_t b)
{
    struct xcmin_host_rec *r;

    if ( x->nr_log >= XCMIN_HOST_LOG_MAX )
        return -ENOSPC;
    r = &x->log[x->nr_log];
    r->call = c;
    r->dom = dom;
    r->a = a;
    r->b = b;
    r->rc = 0;
    if ( x->fail_call == (int)x->nr_log++ )
        return r->rc = -EIO;
    return 0;
}

static struct xcmin_host_dom *child(struct xcmin_host *x, domid_t d)
{
    if ( d == 0 || d >= XCMIN_HOST_MAX_DOMS || !x->dom[d].exists )
        return NULL;
    return &x->dom[d];
}

static long take_frame(struct xcmin_host *x, domid_t d)
{
    while ( x->next_free > 0 )
    {
        uint64_t m = --x->next_free;

        if ( !x->owner[m] )
        {
            x->owner[m] = d + 1U;
            memset(x->mem + m * PG, 0, PG);
            return (long)m;
        }
    }
    return -ENOMEM;
}

static int h_domctl(void *ctx, struct tessera_domctl *op)
{
    struct xcmin_host *x = ctx;
    struct xcmin_host_dom *d;
    int rc = record(x, XH_DOMCTL, op->domain, op->cmd, 0);
    unsigned int i;
    long m;

    if ( rc )
        return rc;
    if ( op->interface_version != TESSERA_DOMCTL_INTERFACE_VERSION )
        return -EACCES;
    if ( op->cmd == TESSERA_DOMCTL_createdomain )
    {
        for ( i = 1; i < XCMIN_HOST_MAX_DOMS && x->dom[i].exists; i++ )
            ;
        if ( i == XCMIN_HOST_MAX_DOMS )
            return -ENOSPC;
        if ( op->u.createdomain.max_vcpus < 1 ||
             op->u.createdomain.max_vcpus > 128 )
            return -EINVAL;
        d = &x->dom[i];
        memset(d, 0, sizeof(*d));
        m = take_frame(x, (domid_t)i);
        if ( m < 0 )
            return (int)m;
        d->exists = d->paused = true;
        d->max_vcpus = op->u.createdomain.max_vcpus;
        d->shared_info_mfn = (uint64_t)m;
        op->domain = (domid_t)i;
        return 0;
    }
    if ( op->cmd == TESSERA_DOMCTL_physinfo )
    {
        memset(&op->u.physinfo, 0, sizeof(op->u.physinfo));
        op->u.physinfo.total_pages = x->nr_frames - 1; /* MFN 0 is kept */
        for ( i = 1; i < x->nr_frames; i++ )
            op->u.physinfo.free_pages += !x->owner[i];
        op->u.physinfo.nr_cpus = 1;
        for ( i = 0; i < XCMIN_HOST_MAX_DOMS; i++ )
            op->u.physinfo.nr_domains += x->dom[i].exists;
        return 0;
    }
    d = child(x, op->domain);
    if ( !d )
        return -ESRCH;
    switch ( op->cmd )
    {
    case TESSERA_DOMCTL_destroydomain:
        for ( i = 0; i < x->nr_frames; i++ )
            if ( x->owner[i] == op->domain + 1U )
                x->owner[i] = 0;
        x->next_free = x->nr_frames; /* search from the top again */
        d->exists = false;
        return 0;
    case TESSERA_DOMCTL_pausedomain:
        d->paused = true;
        return 0;
    case TESSERA_DOMCTL_unpausedomain:
        d->sealed = true;
        d->paused = false;
        return 0;
    case TESSERA_DOMCTL_seal:
        d->sealed = true;
        return 0;
    case TESSERA_DOMCTL_getdomaininfo:
        memset(&op->u.getdomaininfo, 0, sizeof(op->u.getdomaininfo));
        op->u.getdomaininfo.domain = op->domain;
        op->u.getdomaininfo.flags = (d->paused ? TESSERA_DOMINF_paused : 0) |
                                    (d->sealed ? TESSERA_DOMINF_sealed : 0);
        op->u.getdomaininfo.caps = d->caps;
        op->u.getdomaininfo.tot_pages = d->tot_pages;
        op->u.getdomaininfo.max_pages = d->max_pages;
        op->u.getdomaininfo.shared_info_frame = d->shared_info_mfn;
        op->u.getdomaininfo.max_vcpu_id = d->max_vcpus - 1;
        return 0;
    case TESSERA_DOMCTL_max_mem:
        d->max_pages = op->u.max_mem.max_memkb >> 2;
        return 0;
    case TESSERA_DOMCTL_set_caps:
        if ( d->sealed )
            return -EPERM;
        d->caps = op->u.set_caps.caps;
        return 0;
    case TESSERA_DOMCTL_setvcpucontext:
        if ( d->sealed )
            return -EPERM;
        if ( op->u.vcpucontext.vcpu >= d->max_vcpus )
            return -EINVAL;
        if ( op->u.vcpucontext.vcpu == 0 )
        {
            memcpy(&d->ctx0, (void *)(uintptr_t)op->u.vcpucontext.ctxt,
                   sizeof(d->ctx0));
            d->ctx_set = true;
        }
        return 0;
    case TESSERA_DOMCTL_setvcpuaffinity:
        /* The fake machine has CPUs 0..XCMIN_HOST_NR_CPUS-1; lowest wins. */
        if ( d->sealed )
            return -EPERM;
        if ( op->u.vcpuaffinity.vcpu >= d->max_vcpus )
            return -ENOENT;
        for ( i = 0; i < XCMIN_HOST_NR_CPUS; i++ )
            if ( (op->u.vcpuaffinity.cpumap[0] >> i) & 1 )
            {
                op->u.vcpuaffinity.cpu = i;
                return 0;
            }
        return -EINVAL;
    case TESSERA_DOMCTL_getvcpucontext:
        if ( op->u.vcpucontext.vcpu >= d->max_vcpus )
            return -EINVAL;
        memcpy((void *)(uintptr_t)op->u.vcpucontext.ctxt, &d->ctx0,
               sizeof(d->ctx0));
        return 0;
    default:
        return 0;
    }
}

static long h_populate(void *ctx, domid_t dom, uint64_t *frames,
                       unsigned long nr)
{
    struct xcmin_host *x = ctx;
    struct xcmin_host_dom *d = child(x, dom);
    int rc = record(x, XH_POPULATE, dom, nr, frames[0]);
    unsigned long i;
    long m;

    if ( rc )
        return rc;
    if ( !d )
        return -ESRCH;
    if ( d->sealed )
        return -EPERM;
    for ( i = 0; i < nr && d->tot_pages < d->max_pages; i++ )
    {
        m = take_frame(x, dom);
        if ( m < 0 )
            break;
        frames[i] = (uint64_t)m;
        d->tot_pages++;
    }
    return (long)i;
}

static int h_map(void *ctx, domid_t dom, const uint64_t *mfns, unsigned long nr,
                 void **va)
{
    struct xcmin_host *x = ctx;
    struct xcmin_host_dom *d = child(x, dom);
    int rc = record(x, XH_MAP, dom, nr, mfns[0]);
    unsigned long i, k;
    uint8_t *w;

    if ( rc )
        return rc;
    if ( !d )
        return -ESRCH;
    if ( d->sealed )
        return -EPERM;
    for ( i = 0; i < nr; i++ )
        if ( mfns[i] >= x->nr_frames || x->owner[mfns[i]] != dom + 1U )
            return -EPERM;
    w = mmap(NULL, nr * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if ( w == MAP_FAILED )
        return -ENOMEM;
    for ( i = 0; i < nr; i++ )
    {
        if ( mmap(w + i * PG, PG, PROT_READ | PROT_WRITE,
                  MAP_SHARED | MAP_FIXED, x->fd,
                  (off_t)(mfns[i] * PG)) == MAP_FAILED )
        {
            munmap(w, nr * PG);
            return -ENOMEM;
        }
    }
    for ( k = 0; k < XCMIN_HOST_MAX_MAPS && x->maps[k].va; k++ )
        ;
    if ( k == XCMIN_HOST_MAX_MAPS ||
         !(x->maps[k].mfns = malloc(nr * sizeof(*mfns))) )
    {
        munmap(w, nr * PG);
        return -ENOMEM;
    }
    memcpy(x->maps[k].mfns, mfns, nr * sizeof(*mfns));
    x->maps[k].va = w;
    x->maps[k].nr = nr;
    for ( i = 0; i < nr; i++ )
        x->mapped[mfns[i]]++;
    *va = w;
    return 0;
}

static int h_unmap(void *ctx, void *va, unsigned long nr)
{
    struct xcmin_host *x = ctx;
    unsigned long i, k;
    int rc = record(x, XH_UNMAP, 0, nr, 0);

    if ( rc )
        return rc;
    for ( k = 0; k < XCMIN_HOST_MAX_MAPS; k++ )
        if ( x->maps[k].va == va && x->maps[k].nr == nr )
            break;
    if ( k == XCMIN_HOST_MAX_MAPS )
        return -EINVAL;
    for ( i = 0; i < nr; i++ )
        x->mapped[x->maps[k].mfns[i]]--;
    munmap(va, nr * PG);
    free(x->maps[k].mfns);
    memset(&x->maps[k], 0, sizeof(x->maps[k]));
    return 0;
}

/* Every table frame reachable from an L4 (the region's tables). */
static int check_tables(struct xcmin_host *x, uint64_t mfn, unsigned int lvl,
                        domid_t dom)
{
    const uint64_t *t;
    unsigned int i;
    int rc;

    if ( mfn >= x->nr_frames || x->owner[mfn] != dom + 1U )
        return -EINVAL;
    if ( x->mapped[mfn] )
        return -EBUSY; /* a writable mapping of a page table */
    if ( lvl == 1 )
        return 0;
    t = (const uint64_t *)(x->mem + mfn * PG);
    for ( i = 0; i < 512; i++ )
        if ( t[i] & 1 )
        {
            rc = check_tables(x, (t[i] & 0x000ffffffffff000UL) >> 12, lvl - 1,
                              dom);
            if ( rc )
                return rc;
        }
    return 0;
}

static int h_pin_l4(void *ctx, domid_t dom, uint64_t mfn)
{
    struct xcmin_host *x = ctx;
    struct xcmin_host_dom *d = child(x, dom);
    int rc = record(x, XH_PIN_L4, dom, mfn, 0);

    if ( rc )
        return rc;
    if ( !d )
        return -ESRCH;
    if ( d->sealed )
        return -EPERM;
    rc = check_tables(x, mfn, 4, dom);
    if ( !rc )
        d->pinned_l4 = mfn;
    return rc;
}

static int h_alloc_unbound(void *ctx, domid_t dom, domid_t remote,
                           uint32_t *port)
{
    struct xcmin_host *x = ctx;
    int rc = record(x, XH_ALLOC_UNBOUND, dom, remote, 0);

    if ( !rc )
        *port = 1;
    return rc;
}

static uint64_t h_now(void *ctx)
{
    (void)ctx;
    return 0;
}

static void h_close(void *ctx)
{
    struct xcmin_host *x = ctx;
    unsigned int k;

    for ( k = 0; k < XCMIN_HOST_MAX_MAPS; k++ )
        if ( x->maps[k].va )
        {
            munmap(x->maps[k].va, x->maps[k].nr * PG);
            free(x->maps[k].mfns);
        }
    munmap(x->mem, x->nr_frames * PG);
    close(x->fd);
    free(x->owner);
    free(x->mapped);
    free(x);
}

static const struct xcmin_ops host_ops = {
    .name = "host",
    .domctl = h_domctl,
    .populate = h_populate,
    .map = h_map,
    .unmap = h_unmap,
    .pin_l4 = h_pin_l4,
    .alloc_unbound = h_alloc_unbound,
    .now_ns = h_now,
    .close = h_close,
};

int xcmin_host_open(uint64_t nr_frames, struct xcmin_host **host,
                    xcmin_handle_t **h)
{
    struct xcmin_host *x = calloc(1, sizeof(*x));
    int rc;

    if ( !x )
        return -ENOMEM;
    x->fd = memfd_create("xcmin-host", 0);
    if ( x->fd < 0 || ftruncate(x->fd, (off_t)(nr_frames * PG)) )
        goto nomem;
    x->mem = mmap(NULL, nr_frames * PG, PROT_READ | PROT_WRITE, MAP_SHARED,
                  x->fd, 0);
    x->owner = calloc(nr_frames, sizeof(*x->owner));
    x->mapped = calloc(nr_frames, sizeof(*x->mapped));
    if ( x->mem == MAP_FAILED || !x->owner || !x->mapped )
        goto nomem;
    x->nr_frames = x->next_free = nr_frames;
    x->owner[0] = 0xffff; /* MFN 0 is never handed out */
    x->fail_call = -1;
    x->dom[0].exists = true; /* the builder itself */
    rc = xcmin_open_ops(&host_ops, x, h);
    if ( rc )
    {
        h_close(x);
        return rc;
    }
    *host = x;
    return 0;

nomem:
    if ( x->fd >= 0 )
        close(x->fd);
    free(x->owner);
    free(x->mapped);
    free(x);
    return -ENOMEM;
}

void *xcmin_host_frame(struct xcmin_host *x, uint64_t mfn)
{
    return mfn < x->nr_frames ? x->mem + mfn * PG : NULL;
}

const char *xcmin_host_call_name(const struct xcmin_host_rec *r)
{
    static const char *const dc[] = {
        "?",          "create",      "destroy",  "pause",     "unpause",
        "getinfo",    "getinfolist", "max_mem",  "max_vcpus", "setcontext",
        "getcontext", "shutdown",    "set_caps", "seal",
    };

    switch ( r->call )
    {
    case XH_DOMCTL:
        return r->a < sizeof(dc) / sizeof(dc[0]) ? dc[r->a] : "domctl?";
    case XH_POPULATE:
        return "populate";
    case XH_MAP:
        return "map";
    case XH_UNMAP:
        return "unmap";
    case XH_PIN_L4:
        return "pin_l4";
    case XH_ALLOC_UNBOUND:
        return "alloc_unbound";
    }
    return "?";
}
