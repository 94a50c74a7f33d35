/*
 * Typed pages and validated PV page tables (PAGETYPE): general references,
 * type references, page-table validation and devalidation, entry updates
 * (the core of mmu_update), pinning and base pointers.  Xen's rules
 * (reference §7.1-§7.6), our code.  Theory of operation: docs/mm.md.
 *
 * Locking: general references (count_info) are atomic and may be taken and
 * dropped without any lock, also on another domain's frames (grants).
 * Everything that reads or changes type_info, nr_validated or
 * linear_pt_count of a domain's frame, or writes an entry of its page
 * tables, runs under that domain's page lock, held by the caller (every
 * function below that takes a struct pt_ctx).  put_page() may call
 * free_domheap_page() with the page lock held, so free_domheap_page() must
 * not take it (it takes the owner's page-allocation lock, an inner lock).
 */
#ifndef HV_PAGETYPE_H
#define HV_PAGETYPE_H

#include <hv/mm.h>
#include <hv/types.h>

/*
 * type_info: type in bits 60-63, flags in 56-59, type count in 0-39.
 * Type values are chosen so that xmalloc's tag (0x584d << 48: type 5) does
 * not decode as a valid type; every entry point also checks the frame's
 * owner first, and heap pages belong to DOMID_XEN.
 */
#define PGT_type_shift    60
#define PGT_type_mask     (0xfUL << PGT_type_shift)
#define PGT_none          (0UL << PGT_type_shift)
#define PGT_l1_page_table (1UL << PGT_type_shift)
#define PGT_l2_page_table (2UL << PGT_type_shift)
#define PGT_l3_page_table (3UL << PGT_type_shift)
#define PGT_l4_page_table (4UL << PGT_type_shift)
#define PGT_seg_desc_page (6UL << PGT_type_shift)
#define PGT_writable_page (7UL << PGT_type_shift)
#define PGT_lN(level)     ((unsigned long)(level) << PGT_type_shift) /* 1-4 */

#define PGT_validated (1UL << 59) /* contents checked; references held */
#define PGT_pinned    (1UL << 58) /* a pin holds one type and one general ref */
/*
 * A page table whose validation or devalidation stopped part-way: entries
 * [0, nr_validated) hold their references, the others hold none.  The page
 * then has type count 1 and one general reference that belong to nobody
 * (the "orphan"); whoever continues it takes them over: get_page_type() of
 * the same type continues validation, pt_finish_deferred() continues
 * devalidation.
 */
#define PGT_partial (1UL << 57)
/*
 * With PGT_partial: the child at entry nr_validated was left partial by
 * this page's own (de)validation; finishing the page finishes it first.
 */
#define PGT_partial_child (1UL << 56)
#define PGT_count_mask    ((1UL << 40) - 1)

/* Entries per table; the L4 slots the hypervisor owns (§7.3). */
#define PT_ENTRIES       512
#define PT_HV_SLOT_FIRST 256
#define PT_HV_SLOT_LAST  271

/* Page-table entry bits (x86-64). */
#define PT_PRESENT      (1UL << 0)
#define PT_RW           (1UL << 1)
#define PT_USER         (1UL << 2)
#define PT_PWT          (1UL << 3)
#define PT_PCD          (1UL << 4)
#define PT_ACCESSED     (1UL << 5)
#define PT_DIRTY        (1UL << 6)
#define PT_PSE          (1UL << 7) /* L2/L3; PAT in an L1 entry */
#define PT_PAT          (1UL << 7)
#define PT_GLOBAL       (1UL << 8)
#define PT_AVAIL        (7UL << 9)      /* bits 9-11 */
#define PT_GUEST_KERNEL (1UL << 52)     /* Xen's mark of a kernel L1 entry */
#define PT_AVAIL_HIGH   (0x7ffUL << 52) /* bits 52-62 */
#define PT_NX           (1UL << 63)
#define PT_ADDR_MASK    0x000ffffffffff000UL

#define pte_mfn(e) (((e)&PT_ADDR_MASK) >> PAGE_SHIFT)

/*
 * What a page-table operation runs for, and what it leaves to its caller.
 *
 * deferred: set by an operation that leaves a page with
 * references still to drop: a put whose devalidation was preempted
 * (-ERESTART), a failed validation whose unwinding was preempted (the
 * error is returned all the same), or an entry update whose old entry's
 * put was preempted (returns 0).  The caller must keep the page (Xen's
 * old_guest_table) and call pt_finish_deferred() until it returns 0 before
 * this vCPU starts another page-table operation, normally from a hypercall
 * continuation; that clears it.  An operation must not start with deferred
 * set (BUG).
 */
struct pt_ctx
{
    domid_t owner; /* the page owner: every frame mapped must be its */
    /*
     * A builder mapping a child's frames (foreigndom): L1 entries map
     * frames of pg_owner instead, each counted in the target's
     * foreign-map count (arch_foreign_map()).  The caller holds both page
     * locks, owner's first.
     */
    bool foreign;
    domid_t pg_owner;
    bool io_caps; /* owner may use cache attributes (PWT/PCD/PAT) in L1 */
    /* Should long work stop now (between L2-L4 entries)?  NULL: never. */
    bool (*preempt)(void *arg);
    void *preempt_arg;
    struct page_info *deferred;
};

/* ---- general references (atomic, no lock) -------------------------------- */

/*
 * Take a general reference on pg for owner.  Refused (false) for a frame
 * that is free, reserved, not RAM, without references (not allocated to
 * anyone), owned by anyone else (DOMID_XEN included), or whose count would
 * overflow.
 */
bool get_page(struct page_info *pg, domid_t owner);
/* The frame for mfn with a general reference for owner, or NULL. */
struct page_info *get_page_from_mfn(unsigned long mfn, domid_t owner);
/* One more general reference on a frame the caller holds one on. */
void get_page_light(struct page_info *pg);
/*
 * Drop a general reference.  The last one goes only after the owner gave
 * the frame up (PGC_allocated clear) and calls free_domheap_page(pg).
 */
void put_page(struct page_info *pg);

/*
 * Give a frame fresh from alloc_pages() to owner: the owner's reference
 * (PGC_allocated, count 1), no type.
 */
void page_set_allocated(struct page_info *pg, domid_t owner);
/*
 * The owner gives the frame up (decrease_reservation, destruction): clear
 * PGC_allocated and drop its reference.  False if it was already clear.
 */
bool page_release_allocated(struct page_info *pg);

/* ---- type references (owner's page lock held) ----------------------------- */

/*
 * Take a type reference of type (PGT_*) on pg, on which the caller holds a
 * general reference.  A type is taken only when the type count is 0 (the
 * type switches, with a stale-TLB flush if it had another type) or the page
 * already has it; the first reference of a page-table or seg_desc type
 * validates the contents.  Returns 0; -EINVAL for a type conflict, a count
 * overflow or contents that fail validation (ctx->deferred may be set);
 * -ERESTART when L2-L4 validation was preempted (the page is left partial;
 * calling again continues).
 */
int get_page_type(struct page_info *pg, unsigned long type, struct pt_ctx *ctx);
/*
 * Drop a type reference.  The last one of a validated page table
 * devalidates it (drops every entry's references).  Returns 0, or
 * -ERESTART when devalidation was preempted (ctx->deferred = pg).
 */
int put_page_type(struct page_info *pg, struct pt_ctx *ctx);

/* Both kinds: get_page(ctx->owner) then get_page_type(); -EINVAL if not owned. */
int get_page_and_type(struct page_info *pg, unsigned long type,
                      struct pt_ctx *ctx);
int put_page_and_type(struct page_info *pg, struct pt_ctx *ctx);

/*
 * Continue the work a deferred page (struct pt_ctx) still holds: if pg is
 * still partial and ctx->owner's, devalidate the rest of it.  Clears
 * ctx->deferred when pg is done.  Returns 0 or -ERESTART (call again).
 */
int pt_finish_deferred(struct page_info *pg, struct pt_ctx *ctx);

/* ---- operations behind the hypercalls (owner's page lock held) ------------ */

/*
 * MMUEXT_PIN_L<level>_TABLE: take a type reference of that level (and a
 * general one) and set PGT_pinned.  -EINVAL: mfn not a frame of the owner,
 * already pinned, type conflict, bad contents; -ERESTART: preempted
 * (calling again continues).
 */
int pt_pin(unsigned long mfn, unsigned int level, struct pt_ctx *ctx);
/*
 * MMUEXT_UNPIN_TABLE: -EINVAL when mfn is not the owner's or not pinned.
 * 0 when done; -ERESTART when the unpin is done but its devalidation was
 * preempted (ctx->deferred set; Xen reports success to the guest).
 */
int pt_unpin(unsigned long mfn, struct pt_ctx *ctx);
/*
 * NEW_BASEPTR / NEW_USER_BASEPTR: take an L4 type reference (validating)
 * on mfn and return its page in *out, or drop one (put returns as
 * put_page_and_type).  Errors as pt_pin() apart from "already pinned".
 */
int pt_get_baseptr(unsigned long mfn, struct pt_ctx *ctx,
                   struct page_info **out);
int pt_put_baseptr(struct page_info *pg, struct pt_ctx *ctx);

/*
 * The entry-update core of mmu_update (MMU_NORMAL_PT_UPDATE, and
 * MMU_PT_UPDATE_PRESERVE_AD when preserve_ad): write val to the 8-byte
 * entry at machine address ma (low 3 bits ignored) of a frame of
 * ctx->owner.  A validated page table: the new entry is checked and its
 * references taken, it is written atomically (preserve_ad keeps A/D the
 * hardware set in the old entry), then the old entry's references go.
 * Any other frame: written as data under a transient writable type.
 * Returns 0; -EINVAL (bad entry, frame not the owner's, L4 hypervisor
 * slot, writable type refused); -EBUSY/-EPERM from L1 entries as Xen;
 * -ERESTART when validating a new L3/L4 entry's target was preempted
 * (nothing written; calling again continues).
 */
int pt_update_entry(paddr_t ma, uint64_t val, bool preserve_ad,
                    struct pt_ctx *ctx);

/*
 * Domain destruction, per frame of the dying domain ctx->owner, after the
 * vCPUs' base-pointer references were dropped: unpin, finish a partial
 * page, drop the owner's reference.  Returns 0, or -ERESTART with
 * ctx->deferred set (finish it, then call again for the same frame).
 * Frames go back through free_domheap_page() as their last reference goes.
 */
int pt_relinquish_frame(struct page_info *pg, struct pt_ctx *ctx);

/* ---- hooks (architecture / domain code; shimmed in tests) ----------------- */

/* A frame of pg's owner gained (+1) or lost (-1) a mapping elsewhere. */
void arch_foreign_map(const struct page_info *pg, int delta);
/* Write the hypervisor's entries into slots 256-271 of a guest L4. */
void arch_fill_hv_l4_slots(uint64_t *l4);
/* Does the CPU support NX (may guests set bit 63)? */
bool arch_cpu_has_nx(void);
/*
 * pg changes type: flush the TLBs of every CPU that may still cache a
 * translation to or through it (the owner's dirty CPUs), before it is used
 * with the new type.
 */
void arch_flush_stale_tlb(const struct page_info *pg);
/*
 * The last general reference of a domain frame went: unlink it from its
 * owner's page list, uncount it, make sure no CPU still caches a mapping of
 * it, and free_pages() it.  Called possibly with the owner's page lock held.
 */
void free_domheap_page(struct page_info *pg);

#endif /* HV_PAGETYPE_H */
