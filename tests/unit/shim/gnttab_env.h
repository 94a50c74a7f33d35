/*
 * A small world for the grant-table unit tests (gnttab_env.c): fake
 * domains with one vCPU each in a domain table (domain_get,
 * domain_get_dying, domain_put, destruction in the same steps as
 * common/domain.c), real frames from the buddy allocator and the real
 * typed-page references (pagetype.c), and the architecture's grant hooks
 * (arch_grant_*) over a fake page table per domain: ENV_SLOTS L1 slots for
 * the virtual addresses [ENV_VA, ENV_VA + ENV_SLOTS * PAGE_SIZE).  A slot
 * holds the references a real L1 entry holds: a general one on its frame
 * and a writable type unless read-only.  Every hook call is recorded and
 * can be made to fail; the preemption hooks can be forced.
 */
#ifndef GNTTAB_ENV_H
#define GNTTAB_ENV_H

#include <hv/domain.h>
#include <hv/grant_table.h>
#include <hv/mm.h>

#define ENV_RAM_FRAMES 1024UL
#define ENV_SLOTS      64
#define ENV_VA         0x7f0000000000UL
#define ENV_VA_OF(i)   (ENV_VA + (uint64_t)(i)*PAGE_SIZE)

/* One slot of a domain's fake L1 page table. */
struct env_pte
{
    bool present, rw;
    unsigned long mfn;
    domid_t frame_owner; /* whose type reference (the granter's id) */
};

/* Set up the fake RAM, frame table, allocator and domain table. */
void env_setup(void);
/* Destroy whatever domains remain (their structures go with the last
 * reference); env_free() then releases the frame table and the RAM. */
void env_teardown(void);
void env_free(void);

/*
 * A domain with one vCPU and a grant table (one frame); the domain table
 * holds its reference.  parent and caps feed the policy.
 */
struct domain *env_domain(domid_t id, domid_t parent, uint32_t caps);
/* Make d's vCPU 0 the current one. */
void env_run_as(struct domain *d);
/* A zeroed frame owned by d (PGC_allocated, no type). */
unsigned long env_frame(struct domain *d);
/* d gives frame mfn up (decrease_reservation): its allocation reference. */
void env_give_back(struct domain *d, unsigned long mfn);
/* Slot of d's fake page table mapping va, or NULL outside the window. */
struct env_pte *env_pte(struct domain *d, uint64_t va);
/* Map one of d's own frames at va (read-write, as a guest's own PTE). */
void env_map_own(struct domain *d, uint64_t va, unsigned long mfn);
/* Frames d's fake page tables map: the references they hold. */
unsigned int env_mapped(struct domain *d);

/*
 * Destruction as common/domain.c does it.  begin: DYING,
 * grant_table_destroy(), its page tables go (dropping the slots'
 * references), its frames' allocation references go.  end: it leaves the
 * domain table, frames still referenced become nobody's (DOMID_XEN), the
 * table's reference goes.  The structure is freed (grant_table_free) with
 * the last reference.
 */
void env_destroy_begin(struct domain *d);
void env_destroy_end(struct domain *d);
void env_destroy(struct domain *d);
/* Domains whose structure is still allocated. */
unsigned int env_live_domains(void);

/* ---- the architecture's grant hooks -------------------------------------- */

struct env_hooks
{
    unsigned int host_maps, host_unmaps, get_frames, put_frames;
    /* The last call of each. */
    struct env_call
    {
        domid_t ld, rd; /* DOMID_INVALID when NULL */
        uint64_t addr, new_addr;
        uint32_t flags;
        unsigned long mfn;
        bool readonly;
    } last_map, last_unmap, last_get, last_put;
    /* Nonzero: the next call of that hook returns it, doing nothing. */
    int16_t fail_map, fail_unmap, fail_get;
    /* Called at the start of arch_grant_host_map (a granter's rewrite). */
    void (*on_map)(void);
    /*
     * Called once, then cleared, by the next policy_subject_of(): what
     * happens on another CPU between a domain's lookup and its use.
     */
    void (*on_lookup)(void);
};
extern struct env_hooks env_hooks;

/* ---- preemption ----------------------------------------------------------- */

/* hypercall_preempt_check(): true from this many calls on (0: never). */
extern unsigned int env_preempt_after;
extern unsigned int env_preempt_checks;
/* hypercall_create_continuation(): calls and the last arguments. */
#define ENV_CONTINUATION 0x0c0ffee
extern unsigned int env_continuations;
extern unsigned long env_cont_nr, env_cont_args[5];
extern unsigned int env_cont_nargs;

#endif /* GNTTAB_ENV_H */
