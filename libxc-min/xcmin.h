/*
 * libxc-min (XCMIN): the builder's small control library.
 *
 * Locking: none; one handle is used by one thread.
 *
 * Domain lifecycle and information over Tessera's domctl (public/domctl.h),
 * memory population and mapping of an unsealed child's frames, vCPU
 * context, and the 64-bit PV start-of-day builder (xcmin_build_pv), which
 * uses the ELF loader and layout writers the ring-0 builder uses
 * (hypervisor/common/elf.c and pv_build.c, compiled in).  Two backends
 * behind one operations table: the stub-domain one (hypercalls through
 * services/lib, xcmin_open_stub) and a host one for unit tests that
 * records every call and simulates memory (xcmin_host.h).
 *
 * Every function returns 0 (or a count where said) or a negative Xen
 * errno (public/errno.h values, which are also hv/errno.h's); they are
 * NOT newlib errno values.  Every input (image, module, lengths) is
 * treated as hostile.  docs/builder.md describes the build sequence.
 */
#ifndef XCMIN_H
#define XCMIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <public/domctl.h>
#include <public/xen.h>

/* Bumped on any incompatible change of this header. */
#define XCMIN_API_VERSION 1

typedef struct xcmin_handle xcmin_handle_t;
typedef struct tessera_domctl_getdomaininfo xcmin_dominfo_t;

/*
 * What a backend does; the library adds the interface version, batching
 * and the build logic.  Each returns 0 or -errno unless said otherwise.
 */
struct xcmin_ops
{
    const char *name;
    /* One domctl; the structure is updated with the OUT fields. */
    int (*domctl)(void *ctx, struct tessera_domctl *op);
    /*
     * populate_physmap for domid: frames[0..nr) hold pfns on entry and
     * MFNs on return.  Returns the number of frames done (>= 0) or -errno.
     */
    long (*populate)(void *ctx, domid_t domid, uint64_t *frames,
                     unsigned long nr);
    /* Map nr child MFNs writable, contiguously, at a caller VA (*va). */
    int (*map)(void *ctx, domid_t domid, const uint64_t *mfns, unsigned long nr,
               void **va);
    /* Remove a mapping made by map() (all of it) and flush the TLB. */
    int (*unmap)(void *ctx, void *va, unsigned long nr);
    /* mmuext_op PIN_L4_TABLE with foreigndom = domid. */
    int (*pin_l4)(void *ctx, domid_t domid, uint64_t mfn);
    /* EVTCHNOP_alloc_unbound: a port of domid, for remote; *port OUT. */
    int (*alloc_unbound)(void *ctx, domid_t domid, domid_t remote,
                         uint32_t *port);
    /* Wall-clock-ish time in ns (build-time logs). */
    uint64_t (*now_ns)(void *ctx);
    void (*close)(void *ctx);
};

/* A handle over any backend (ctx is the backend's). */
int xcmin_open_ops(const struct xcmin_ops *ops, void *ctx, xcmin_handle_t **h);
void xcmin_close(xcmin_handle_t *h);
/* The stub-domain backend (only in images linked with services/lib). */
int xcmin_open_stub(xcmin_handle_t **h);
uint64_t xcmin_now_ns(xcmin_handle_t *h);

/* ---- domains ----------------------------------------------------------- */

/* *domid: IN the domid wanted (0 = the lowest free), OUT the new one. */
int xcmin_domain_create(xcmin_handle_t *h, uint32_t max_vcpus, domid_t *domid);
int xcmin_domain_destroy(xcmin_handle_t *h, domid_t domid);
int xcmin_domain_pause(xcmin_handle_t *h, domid_t domid);
/* Unpausing seals the domain first (hypervisor side). */
int xcmin_domain_unpause(xcmin_handle_t *h, domid_t domid);
int xcmin_domain_seal(xcmin_handle_t *h, domid_t domid);
int xcmin_domain_getinfo(xcmin_handle_t *h, domid_t domid,
                         xcmin_dominfo_t *info);
/* Domains with id >= first, at most max; returns the number written. */
int xcmin_domain_getinfolist(xcmin_handle_t *h, domid_t first,
                             xcmin_dominfo_t *info, unsigned int max);
int xcmin_domain_max_mem(xcmin_handle_t *h, domid_t domid, uint64_t max_memkb);
int xcmin_domain_max_vcpus(xcmin_handle_t *h, domid_t domid, uint32_t max);
int xcmin_domain_shutdown(xcmin_handle_t *h, domid_t domid, uint32_t reason);
int xcmin_domain_set_caps(xcmin_handle_t *h, domid_t domid, uint32_t caps);
/* The machine's total and free frames, CPUs and domains. */
int xcmin_physinfo(xcmin_handle_t *h, struct tessera_domctl_physinfo *info);

/* ---- memory ------------------------------------------------------------ */

/*
 * Give domid the pfns [first_pfn, first_pfn + nr) and write their MFNs to
 * mfns[0..nr).  All or an error (-ENOMEM when not all could be given).
 */
int xcmin_populate_physmap(xcmin_handle_t *h, domid_t domid, uint64_t first_pfn,
                           unsigned long nr, uint64_t *mfns);
/* Map a run of a child's MFNs writable at one caller VA window. */
int xcmin_map(xcmin_handle_t *h, domid_t domid, const uint64_t *mfns,
              unsigned long nr, void **va);
int xcmin_unmap(xcmin_handle_t *h, void *va, unsigned long nr);
int xcmin_pin_l4(xcmin_handle_t *h, domid_t domid, uint64_t mfn);
int xcmin_evtchn_alloc_unbound(xcmin_handle_t *h, domid_t domid, domid_t remote,
                               uint32_t *port);

/* ---- vCPUs ------------------------------------------------------------- */

int xcmin_vcpu_setcontext(xcmin_handle_t *h, domid_t domid, uint32_t vcpu,
                          const struct vcpu_guest_context *ctxt);
int xcmin_vcpu_getcontext(xcmin_handle_t *h, domid_t domid, uint32_t vcpu,
                          struct vcpu_guest_context *ctxt);
/*
 * Hard affinity of one vCPU (before the seal): cpumap bit n = CPU n.
 * *cpu (may be NULL) is the CPU it will run on.  -EINVAL when no CPU of
 * the set is online.
 */
int xcmin_vcpu_setaffinity(xcmin_handle_t *h, domid_t domid, uint32_t vcpu,
                           const uint64_t cpumap[2], uint32_t *cpu);

/* ---- the PV builder ---------------------------------------------------- */

struct xcmin_pv_args
{
    const void *kernel; /* ELF image */
    size_t kernel_len;
    const void *ramdisk; /* module (may be NULL) */
    size_t ramdisk_len;
    const char *cmdline; /* may be NULL */
    uint64_t nr_pages;   /* memory of the domain, in frames */
    bool with_rings;     /* reserve the xenstore and console pages */
    uint32_t store_evtchn, console_evtchn; /* 0: none (mfn left 0) */
    uint32_t si_flags;                     /* start_info flags (SIF_*) */
};

/* What a successful build produced (for logs and tests). */
struct xcmin_pv_result
{
    uint64_t entry, start_info_va, stack_va, pt_va;
    uint64_t l4_mfn, shared_info_mfn;
    uint64_t store_mfn, console_mfn; /* 0 without with_rings */
    uint64_t v_start, v_end;
    unsigned int nr_pt_frames;
    char error[160]; /* why it failed (set on failure) */
};

/*
 * Build a 64-bit PV domain into domid (created, paused, unsealed, max_mem
 * already set): populate nr_pages, map the start-of-day region, load the
 * image, write the module, p2m list, start_info, page tables and hypercall
 * page, unmap everything, pin the L4 and set vCPU 0's context.  Does not
 * unpause.  res may be NULL.
 */
int xcmin_build_pv(xcmin_handle_t *h, domid_t domid,
                   const struct xcmin_pv_args *a, struct xcmin_pv_result *res);

/*
 * Everything for one domain: create (max_vcpus), max_mem (memkb of memory,
 * maxmem_kb the limit), set_caps if caps, build_pv; destroys it on
 * failure.  *domid IN/OUT as xcmin_domain_create.
 */
int xcmin_create_pv(xcmin_handle_t *h, domid_t *domid, uint32_t max_vcpus,
                    uint64_t maxmem_kb, uint32_t caps,
                    const struct xcmin_pv_args *a, struct xcmin_pv_result *res);

#endif /* XCMIN_H */
