/*
 * Tessera domctl: the builder's control interface (hypercall 36)
 *
 * Locking: none; layouts shared between the hypervisor and the builder.
 *
 * This interface is Tessera's own, internal to Tessera: only the builder
 * (libxc-min) uses it, it is NOT Xen's unstable domctl (same hypercall
 * slot, different commands and layouts), and it carries its own version,
 * TESSERA_DOMCTL_INTERFACE_VERSION, which every call must pass in
 * interface_version (anything else is -EACCES, as Xen answers a domctl
 * version mismatch).  HYPERVISOR_domctl(struct tessera_domctl *op); the
 * hypervisor copies the whole structure in, validates it, and copies it
 * back on success (OUT fields).  Every command is checked by the capability
 * policy (hypervisor/include/hv/policy.h); the capability bits are here
 * because the builder sets them.  Every structure is pinned with
 * _Static_assert; the constants are usable from assembly (__ASSEMBLY__).
 */
#ifndef PUBLIC_DOMCTL_H
#define PUBLIC_DOMCTL_H

#include "xen.h"

/* "TD" + revision; bumped on any change of a command or layout. */
#define TESSERA_DOMCTL_INTERFACE_VERSION 0x54440001U

/*
 * Capability bits of a domain (TESSERA_DOMCTL_set_caps, getdomaininfo).
 * What each bit gates is listed in hv/policy.h and docs/config.md.
 */
#define TESSERA_CAP_BUILD    (1U << 0) /* create and manage child domains */
#define TESSERA_CAP_CONSOLE  (1U << 1) /* hypervisor console and log ring */
#define TESSERA_CAP_XENSTORE (1U << 2) /* XenStore service: see all domains */
#define TESSERA_CAP_DEVICE   (1U << 3) /* device access: physdev, I/O, PIRQ */
#define TESSERA_CAP_ALL      0xfU      /* every defined bit */

/* Commands (tessera_domctl.cmd).  0 is never a command. */
#define TESSERA_DOMCTL_createdomain      1  /* u.createdomain */
#define TESSERA_DOMCTL_destroydomain     2  /* no argument; preemptible */
#define TESSERA_DOMCTL_pausedomain       3  /* no argument */
#define TESSERA_DOMCTL_unpausedomain     4  /* no argument; seals first */
#define TESSERA_DOMCTL_getdomaininfo     5  /* u.getdomaininfo (OUT) */
#define TESSERA_DOMCTL_getdomaininfolist 6  /* u.getdomaininfolist */
#define TESSERA_DOMCTL_max_mem           7  /* u.max_mem */
#define TESSERA_DOMCTL_max_vcpus         8  /* u.max_vcpus */
#define TESSERA_DOMCTL_setvcpucontext    9  /* u.vcpucontext */
#define TESSERA_DOMCTL_getvcpucontext    10 /* u.vcpucontext */
#define TESSERA_DOMCTL_shutdown          11 /* u.shutdown */
#define TESSERA_DOMCTL_set_caps          12 /* u.set_caps */
#define TESSERA_DOMCTL_seal              13 /* no argument */
#define TESSERA_DOMCTL_physinfo          14 /* u.physinfo (OUT); no domain */
#define TESSERA_DOMCTL_setvcpuaffinity   15 /* u.vcpuaffinity */
#define TESSERA_DOMCTL_MAX               15

/* getdomaininfo.flags */
#define TESSERA_DOMINF_dying    (1U << 0) /* being destroyed */
#define TESSERA_DOMINF_shutdown (1U << 1) /* shut down: see shutdown_reason */
#define TESSERA_DOMINF_paused   (1U << 2) /* paused (or never unpaused) */
#define TESSERA_DOMINF_blocked  (1U << 3) /* every online vCPU blocked */
#define TESSERA_DOMINF_running  (1U << 4) /* some vCPU on a CPU now */
#define TESSERA_DOMINF_sealed   (1U << 5) /* nobody may map its memory */

#ifndef __ASSEMBLY__

/*
 * createdomain: a new, paused domain with max_vcpus vCPUs (all down), no
 * memory (max_pages 0) and no capabilities, whose parent is the caller.
 * IN tessera_domctl.domain: the domid wanted, or 0 for the lowest free one
 * (0 is the builder's and never free); OUT: the new domain's id.
 * -EEXIST if the domid is in use, -EINVAL if it is reserved
 * (>= DOMID_FIRST_RESERVED), flags != 0 or max_vcpus is 0 or too big.
 */
struct tessera_domctl_createdomain
{
    uint8_t handle[16]; /* IN: the toolstack's UUID (XENVER_guest_handle) */
    uint32_t flags;     /* IN: must be 0 */
    uint32_t max_vcpus; /* IN: 1..128 */
};
typedef struct tessera_domctl_createdomain tessera_domctl_createdomain_t;
_Static_assert(sizeof(struct tessera_domctl_createdomain) == 24,
               "domctl_createdomain");
_Static_assert(offsetof(struct tessera_domctl_createdomain, flags) == 16,
               "createdomain.flags");
_Static_assert(offsetof(struct tessera_domctl_createdomain, max_vcpus) == 20,
               "createdomain.max_vcpus");

/*
 * getdomaininfo: OUT, the state of tessera_domctl.domain.  Also the element
 * of getdomaininfolist's buffer.
 */
struct tessera_domctl_getdomaininfo
{
    uint16_t domain;            /* OUT */
    uint16_t parent;            /* OUT: who created it (DOMID_XEN: ring 0) */
    uint32_t flags;             /* OUT: TESSERA_DOMINF_* */
    uint32_t shutdown_reason;   /* OUT: SHUTDOWN_*, if DOMINF_shutdown */
    uint32_t caps;              /* OUT: TESSERA_CAP_* */
    uint64_t tot_pages;         /* OUT: frames it owns */
    uint64_t max_pages;         /* OUT: its memory limit in frames */
    uint64_t shared_info_frame; /* OUT: MFN of its shared_info */
    uint64_t cpu_time;          /* OUT: ns run, all vCPUs */
    uint32_t nr_online_vcpus;   /* OUT */
    uint32_t max_vcpu_id;       /* OUT: max_vcpus - 1 */
    uint8_t handle[16];         /* OUT: createdomain's handle */
};
typedef struct tessera_domctl_getdomaininfo tessera_domctl_getdomaininfo_t;
_Static_assert(sizeof(struct tessera_domctl_getdomaininfo) == 72,
               "domctl_getdomaininfo");
_Static_assert(offsetof(struct tessera_domctl_getdomaininfo, flags) == 4,
               "getdomaininfo.flags");
_Static_assert(offsetof(struct tessera_domctl_getdomaininfo, caps) == 12,
               "getdomaininfo.caps");
_Static_assert(offsetof(struct tessera_domctl_getdomaininfo, tot_pages) == 16,
               "getdomaininfo.tot_pages");
_Static_assert(offsetof(struct tessera_domctl_getdomaininfo, cpu_time) == 40,
               "getdomaininfo.cpu_time");
_Static_assert(offsetof(struct tessera_domctl_getdomaininfo, nr_online_vcpus) ==
                   48,
               "getdomaininfo.nr_online_vcpus");
_Static_assert(offsetof(struct tessera_domctl_getdomaininfo, handle) == 56,
               "getdomaininfo.handle");

/*
 * getdomaininfolist: the domains with id >= first_domain that the caller
 * may see, in id order, at most max_domains of them (<= 256 per call),
 * written to buffer; num_domains says how many.  tessera_domctl.domain is
 * ignored.
 */
struct tessera_domctl_getdomaininfolist
{
    uint64_t buffer;       /* IN: guest handle of getdomaininfo[] */
    uint32_t max_domains;  /* IN: elements in buffer */
    uint32_t num_domains;  /* OUT: elements written */
    uint16_t first_domain; /* IN */
    uint16_t _pad0[3];
};
typedef struct tessera_domctl_getdomaininfolist
    tessera_domctl_getdomaininfolist_t;
_Static_assert(sizeof(struct tessera_domctl_getdomaininfolist) == 24,
               "domctl_getdomaininfolist");
_Static_assert(offsetof(struct tessera_domctl_getdomaininfolist, max_domains) ==
                   8,
               "getdomaininfolist.max_domains");
_Static_assert(offsetof(struct tessera_domctl_getdomaininfolist, num_domains) ==
                   12,
               "getdomaininfolist.num_domains");
_Static_assert(offsetof(struct tessera_domctl_getdomaininfolist,
                        first_domain) == 16,
               "getdomaininfolist.first_domain");

/* max_mem: the domain's memory limit in KiB (rounded down to frames). */
struct tessera_domctl_max_mem
{
    uint64_t max_memkb; /* IN */
};
typedef struct tessera_domctl_max_mem tessera_domctl_max_mem_t;
_Static_assert(sizeof(struct tessera_domctl_max_mem) == 8, "domctl_max_mem");

/* max_vcpus: raise the number of vCPUs (before sealing only). */
struct tessera_domctl_max_vcpus
{
    uint32_t max; /* IN: 1..128, not below the current number */
    uint32_t _pad0;
};
typedef struct tessera_domctl_max_vcpus tessera_domctl_max_vcpus_t;
_Static_assert(sizeof(struct tessera_domctl_max_vcpus) == 8,
               "domctl_max_vcpus");

/*
 * setvcpucontext / getvcpucontext: one vCPU's register file (before
 * sealing only).  set validates the context as VCPUOP_initialise does.
 */
struct tessera_domctl_vcpucontext
{
    uint32_t vcpu; /* IN: vCPU id */
    uint32_t _pad0;
    uint64_t ctxt; /* IN: guest handle of a struct vcpu_guest_context */
};
typedef struct tessera_domctl_vcpucontext tessera_domctl_vcpucontext_t;
_Static_assert(sizeof(struct tessera_domctl_vcpucontext) == 16,
               "domctl_vcpucontext");
_Static_assert(offsetof(struct tessera_domctl_vcpucontext, ctxt) == 8,
               "vcpucontext.ctxt");

/* shutdown: stop another domain with a reason, as SCHEDOP_shutdown. */
struct tessera_domctl_shutdown
{
    uint32_t reason; /* IN: SHUTDOWN_* */
    uint32_t _pad0;
};
typedef struct tessera_domctl_shutdown tessera_domctl_shutdown_t;
_Static_assert(sizeof(struct tessera_domctl_shutdown) == 8, "domctl_shutdown");

/*
 * set_caps: replace a child's capabilities (before sealing only); a parent
 * gives only bits it holds itself.
 */
struct tessera_domctl_set_caps
{
    uint32_t caps; /* IN: TESSERA_CAP_* */
    uint32_t _pad0;
};
typedef struct tessera_domctl_set_caps tessera_domctl_set_caps_t;
_Static_assert(sizeof(struct tessera_domctl_set_caps) == 8, "domctl_set_caps");

/*
 * physinfo: the machine's memory and CPUs, for a builder checking that a
 * domain fits before building it (and tests checking nothing leaked).
 * Needs the build capability; op->domain is ignored.
 */
struct tessera_domctl_physinfo
{
    uint64_t total_pages; /* OUT: RAM frames the hypervisor manages */
    uint64_t free_pages;  /* OUT: frames free now */
    uint32_t nr_cpus;     /* OUT: CPUs online */
    uint32_t nr_domains;  /* OUT: domains that exist (any state) */
};
typedef struct tessera_domctl_physinfo tessera_domctl_physinfo_t;
_Static_assert(sizeof(struct tessera_domctl_physinfo) == 24, "domctl_physinfo");
_Static_assert(offsetof(struct tessera_domctl_physinfo, nr_cpus) == 16,
               "domctl_physinfo.nr_cpus");

/*
 * setvcpuaffinity: the physical CPUs one vCPU may run on (bit n = CPU n).
 * Before the seal only: a vCPU stays on the CPU chosen here, the online
 * CPU of the set that has had the fewest vCPUs placed on it.
 */
struct tessera_domctl_vcpuaffinity
{
    uint32_t vcpu;      /* IN */
    uint32_t cpu;       /* OUT: the CPU it will run on */
    uint64_t cpumap[2]; /* IN: CPUs 0..127 */
};
typedef struct tessera_domctl_vcpuaffinity tessera_domctl_vcpuaffinity_t;
_Static_assert(sizeof(struct tessera_domctl_vcpuaffinity) == 24,
               "domctl_vcpuaffinity");
_Static_assert(offsetof(struct tessera_domctl_vcpuaffinity, cpumap) == 8,
               "domctl_vcpuaffinity.cpumap");

struct tessera_domctl
{
    uint32_t cmd;               /* TESSERA_DOMCTL_* */
    uint32_t interface_version; /* TESSERA_DOMCTL_INTERFACE_VERSION */
    domid_t domain;             /* target (createdomain: IN/OUT) */
    uint16_t _pad0[3];          /* must be 0 */
    union
    {
        struct tessera_domctl_createdomain createdomain;
        struct tessera_domctl_getdomaininfo getdomaininfo;
        struct tessera_domctl_getdomaininfolist getdomaininfolist;
        struct tessera_domctl_max_mem max_mem;
        struct tessera_domctl_max_vcpus max_vcpus;
        struct tessera_domctl_vcpucontext vcpucontext;
        struct tessera_domctl_shutdown shutdown;
        struct tessera_domctl_set_caps set_caps;
        struct tessera_domctl_physinfo physinfo;
        struct tessera_domctl_vcpuaffinity vcpuaffinity;
        uint8_t pad[128]; /* room for future commands */
    } u;
};
typedef struct tessera_domctl tessera_domctl_t;
_Static_assert(sizeof(struct tessera_domctl) == 144, "tessera_domctl");
_Static_assert(offsetof(struct tessera_domctl, interface_version) == 4,
               "domctl.interface_version");
_Static_assert(offsetof(struct tessera_domctl, domain) == 8, "domctl.domain");
_Static_assert(offsetof(struct tessera_domctl, u) == 16, "domctl.u");
_Static_assert(sizeof(((struct tessera_domctl *)0)->u) == 128, "domctl.u size");

#endif /* __ASSEMBLY__ */

#endif /* PUBLIC_DOMCTL_H */
