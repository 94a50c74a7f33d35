/*
 * Domains and vCPUs.
 *
 * A domain owns frames (linked through page_info.next/prev), a shared_info
 * page, an event-channel table and its vCPUs.  Domains live in a table
 * indexed by domid; a domain is freed only when its last reference goes.
 *
 * Locking: domlist_lock protects the domid table; d->lock protects the
 * domain's state; d->page_lock the types of its frames and its page tables
 * (hv/pagetype.h); d->page_alloc_lock its page list and tot_pages;
 * d->event_lock its event channels.  Order: domlist_lock, d->lock,
 * d->page_lock, d->page_alloc_lock, heap_lock; d->event_lock before the
 * scheduler's per-CPU locks.
 */
#ifndef HV_DOMAIN_H
#define HV_DOMAIN_H

#include <hv/spinlock.h>
#include <hv/timer.h>
#include <hv/types.h>
#include <public/xen.h>
#include <asm/domain.h>

#define DOMID_MAX 0x7fefU /* highest id an ordinary domain may have */

enum vcpu_state
{
    VCPU_DOWN,     /* not started (VCPUOP_up) or taken down */
    VCPU_RUNNABLE, /* waiting in a run queue */
    VCPU_RUNNING,  /* on a CPU */
    VCPU_BLOCKED,  /* waiting for an event or its poll timeout */
};

enum domain_state
{
    DOMAIN_PAUSED, /* created, not yet running, or paused */
    DOMAIN_RUNNING,
    DOMAIN_SHUTDOWN, /* shut down with a reason; frames still held */
    DOMAIN_DYING,    /* being destroyed */
};

struct evtchn;

struct vcpu
{
    unsigned int vcpu_id;
    struct domain *domain;
    enum vcpu_state state; /* scheduler lock of v->processor */
    unsigned int processor;
    struct vcpu *rq_next; /* run-queue link */
    bool online;          /* up (runs when its domain runs) */
    unsigned int pause_count;

    struct vcpu_info *vcpu_info; /* in shared_info or registered */

    struct timer singleshot_timer; /* set_timer_op, VCPUOP singleshot */
    struct timer periodic_timer;
    s_time_t periodic_period; /* 0 = off */
    struct timer poll_timer;  /* SCHEDOP_poll timeout */
    uint16_t virq_to_port[NR_VIRQS];
    unsigned long poll_mask[64]; /* ports polled, SCHEDOP_poll */
    bool polling;

    uint64_t runstate_area;    /* guest VA of its runstate copy, or 0 */
    s_time_t runstate_entry;   /* when the current state began */
    s_time_t runstate_time[4]; /* time spent in each vcpu_state */

    struct arch_vcpu arch;
};

#define DOMAIN_CONSOLE_LINE 160 /* longer lines are printed in pieces */

struct domain
{
    domid_t domain_id;
    enum domain_state state;
    unsigned int refcnt;
    spinlock_t lock;

    unsigned int max_vcpus;
    struct vcpu **vcpu;

    struct shared_info *shared_info;
    unsigned long shared_info_mfn;

    unsigned long tot_pages, max_pages;
    unsigned long page_head;    /* first owned frame, INVALID_MFN if none */
    spinlock_t page_lock;       /* types and page tables of d's frames */
    spinlock_t page_alloc_lock; /* the page list and tot_pages (inner) */

    bool is_initial;            /* the domain ring 0 built (domid 0) */
    domid_t parent;             /* its creator; DOMID_XEN for domain 0 */
    unsigned int nr_children;   /* live domains it created (domctl_lock) */
    uint32_t caps;              /* TESSERA_CAP_* (hv/policy.h) */
    bool sealed;                /* first unpaused: nobody may map its memory */
    unsigned long foreign_maps; /* entries elsewhere mapping its frames */
    uint8_t handle[16];         /* the builder's UUID for it */
    unsigned int shutdown_reason;
    unsigned int shutdown_code;

    spinlock_t event_lock;
    struct evtchn *evtchn;
    unsigned int nr_evtchns;

    struct grant_table *grant_table;
    uint64_t uid; /* unique for the hypervisor's lifetime (ids are reused) */

    /*
     * console_io output (version.c): a token bucket and the line being
     * assembled, printed whole with its "(dN) " prefix so that lines of
     * different domains never interleave.  Guarded by lock.
     */
    struct
    {
        s_time_t last;
        uint32_t tokens;
        bool started;
        bool dropping; /* over the rate; said so once */
        unsigned int len;
        char line[DOMAIN_CONSOLE_LINE];
    } con;

    /* Destruction in steps (domain_destroy_step); guarded by domctl_lock. */
    struct
    {
        bool started, shared_info_done;
        unsigned long *list; /* snapshot of its frames */
        unsigned long n, done;
        unsigned int preemptions;
    } relinq;

    struct arch_domain arch;
};

/* Create a domain (paused) with max_vcpus vCPUs, all down. */
int domain_create(domid_t domid, unsigned int max_vcpus, struct domain **out);
struct domain *domain_get(domid_t domid); /* takes a reference, or NULL */
void domain_put(struct domain *d);
/* Another reference to a domain the caller already holds one on. */
static inline void domain_get_ref(struct domain *d)
{
    __atomic_fetch_add(&d->refcnt, 1, __ATOMIC_ACQUIRE);
}
/* A hypercall's domain argument: self for DOMID_SELF or its own id. */
static inline struct domain *domain_get_or_self(struct domain *self, domid_t id)
{
    if ( id == DOMID_SELF || id == self->domain_id )
    {
        domain_get_ref(self);
        return self;
    }
    return domain_get(id);
}
/* Give page (allocated, owner DOMID_XEN) to d; -ENOMEM over max_pages. */
int domain_assign_page(struct domain *d, unsigned long mfn);
void domain_unpause(struct domain *d);
/*
 * Stop a domain with a reason (SHUTDOWN_*): its vCPUs stop running; its
 * memory is kept until it is destroyed.  domain_crash() is shutdown with
 * SHUTDOWN_crash after logging why.
 */
void domain_shutdown(struct domain *d, unsigned int reason);
void domain_crash(struct domain *d, const char *fmt, ...) __printf(2, 3);
/*
 * Destroy d in steps.  The first step stops it for good (DYING: domain_get
 * no longer finds it, but its id stays taken until the end); each step
 * gives back frames until all are back (0) or, when preemptible, a
 * preemption is due (-ERESTART: call again with the same d).  The last
 * step drops the domain table's reference.
 */
int domain_destroy_step(struct domain *d, bool preemptible);
/* domain_destroy_step to the end, without preemption. */
void domain_destroy(struct domain *d);
/* A reference to d even while it is being destroyed (destroy's own use). */
struct domain *domain_get_dying(domid_t domid);
/* The id is taken (possibly by a domain being destroyed). */
bool domain_id_in_use(domid_t domid);
/* Print what d wrote to console_io without a final newline yet. */
void domain_console_flush(struct domain *d);

/* Provided by the architecture. */
int arch_vcpu_create(struct vcpu *v);
void arch_wallclock(uint32_t *sec, uint32_t *nsec, uint32_t *sec_hi);
/* Drop what a vCPU holds on its domain's frames (base pointers, ...). */
void arch_vcpu_release(struct vcpu *v);
void m2p_clear(unsigned long mfn);
void arch_domain_shutdown_hook(struct domain *d);

#endif /* HV_DOMAIN_H */
