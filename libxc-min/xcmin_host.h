/*
 * libxc-min host backend (XCMIN_HOST): a simulated hypervisor for unit
 * tests.
 *
 * Locking: none; single-threaded tests.
 *
 * Machine memory is an array of frames (a memfd, so a mapping of a frame
 * really aliases it); MFNs are handed out from the top down, so pfn and
 * mfn never coincide.  Domains are simulated as far as the builder needs
 * (create, max_mem, populate, getdomaininfo, vCPU context, caps, seal on
 * unpause, destroy).  Every backend call is appended to a log that a test
 * compares with the sequence it expects.
 */
#ifndef XCMIN_HOST_H
#define XCMIN_HOST_H

#include "xcmin.h"

#define XCMIN_HOST_MAX_DOMS 8
#define XCMIN_HOST_LOG_MAX  4096
#define XCMIN_HOST_MAX_MAPS 16

enum xcmin_host_call
{
    XH_DOMCTL,   /* a = cmd, dom */
    XH_POPULATE, /* dom, a = nr */
    XH_MAP,      /* dom, a = nr, b = first mfn */
    XH_UNMAP,    /* a = nr */
    XH_PIN_L4,   /* dom, a = mfn */
    XH_ALLOC_UNBOUND,
};

struct xcmin_host_rec
{
    enum xcmin_host_call call;
    domid_t dom;
    uint64_t a, b;
    int rc;
};

struct xcmin_host_dom
{
    bool exists, sealed, paused;
    uint32_t max_vcpus, caps;
    uint64_t max_pages, tot_pages;
    uint64_t shared_info_mfn;
    bool ctx_set;
    struct vcpu_guest_context ctx0;
    uint64_t pinned_l4;
};

#define XCMIN_HOST_NR_CPUS 4 /* CPUs the fake machine has */

struct xcmin_host
{
    uint8_t *mem; /* nr_frames frames; MFN n is at mem + n * 4096 */
    uint64_t nr_frames, next_free; /* frames below next_free are free */
    int fd;
    uint32_t *owner;  /* per frame: domid + 1, 0 = free */
    uint32_t *mapped; /* per frame: writable mappings now */
    struct xcmin_host_dom dom[XCMIN_HOST_MAX_DOMS];
    struct
    {
        void *va;
        unsigned long nr;
        uint64_t *mfns;
    } maps[XCMIN_HOST_MAX_MAPS]; /* live mappings */
    unsigned int nr_log;
    struct xcmin_host_rec log[XCMIN_HOST_LOG_MAX];
    int fail_call; /* >= 0: the call of this log index fails with -EIO */
};

/* A host backend of nr_frames frames of memory, and a handle over it. */
int xcmin_host_open(uint64_t nr_frames, struct xcmin_host **host,
                    xcmin_handle_t **h);
void *xcmin_host_frame(struct xcmin_host *host, uint64_t mfn);
const char *xcmin_host_call_name(const struct xcmin_host_rec *r);

#endif /* XCMIN_HOST_H */
