/*
 * Memory hypercalls of PV guests: mmu_update, mmuext_op, update_va_mapping
 * (and _otherdomain), and the writable-page-table assist.  The rules live
 * in common/pt_*.c (hv/pagetype.h); this file decodes the guest's requests,
 * takes the owner's page lock, drives preemption through continuations
 * and does the TLB flushing.
 *
 * Preemption: an operation that stops part-way leaves a page in
 * pt_ctx.deferred; it is kept in v->arch.pt_deferred and finished first
 * when the vCPU next makes a memory hypercall (the hypercall is continued
 * until then), as Xen does with old_guest_table.
 *
 * Locking: the page owner's d->page_lock around every validator call; the
 * vCPU's own state is changed only by that vCPU.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/grant_table.h>
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/pagetype.h>
#include <hv/policy.h>
#include <hv/sched.h>
#include <hv/tlb.h>
#include <hv/x86_store.h>
#include <public/xen.h>
#include <asm/apic.h>
#include <asm/arch.h>
#include <asm/desc.h>
#include <asm/guest_access.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/smp.h>

#define MMU_UPDATE_PREEMPTED 0x80000000UL /* count flag of a continuation */
#define MMU_CMD_MASK         7UL /* the low bits of ptr, as Xen reads them */

static bool preempt_hook(void *arg)
{
    (void)arg;
    return hypercall_preempt_check();
}

static void pt_ctx_init(struct pt_ctx *ctx, const struct domain *owner)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->owner = owner->domain_id;
    ctx->preempt = preempt_hook;
}

/*
 * Finish what an earlier preempted operation left.  Returns 0 when nothing
 * is left, -ERESTART when the caller must continue its hypercall.
 */
static int finish_deferred(struct vcpu *v)
{
    struct domain *d = v->domain;
    struct pt_ctx ctx;
    int rc;

    if ( !v->arch.pt_deferred )
        return 0;
    pt_ctx_init(&ctx, d);
    ctx.deferred = v->arch.pt_deferred;
    spin_lock(&d->page_lock);
    rc = pt_finish_deferred(v->arch.pt_deferred, &ctx);
    spin_unlock(&d->page_lock);
    if ( !rc )
        v->arch.pt_deferred = NULL;
    return rc;
}

static void keep_deferred(struct vcpu *v, const struct pt_ctx *ctx)
{
    if ( ctx->deferred )
        v->arch.pt_deferred = ctx->deferred;
}

/* ---- TLB shootdown (common/tlb.c) --------------------------------------- */

void arch_tlb_flush_local(void)
{
    flush_tlb_local();
}

void arch_tlb_send_ipi(unsigned int cpu)
{
    apic_send_ipi(cpu_apic_id[cpu], VECTOR_IPI_FLUSH);
}

void tlb_load_domain(const struct domain *d, paddr_t cr3)
{
    uint64_t was = tlb_enter_domain(d->uid);

    write_cr3(cr3);
    if ( was != d->uid )
        tlb_flush_local();
}

void flush_domain_tlbs(const struct domain *d)
{
    tlb_flush_domain(d->uid);
}

void m2p_clear(unsigned long mfn)
{
    m2p_set(mfn, ~0UL);
}

/* A dying vCPU gives back its base pointers and registered pages. */
void arch_vcpu_release(struct vcpu *v)
{
    struct domain *d = v->domain;
    struct pt_ctx ctx;

    pt_ctx_init(&ctx, d);
    ctx.preempt = NULL;
    spin_lock(&d->page_lock);
    if ( v->arch.pt_deferred )
    {
        ctx.deferred = v->arch.pt_deferred;
        pt_finish_deferred(v->arch.pt_deferred, &ctx);
        v->arch.pt_deferred = NULL;
    }
    if ( v->arch.guest_table )
        pt_put_baseptr(mfn_to_page(v->arch.guest_table >> PAGE_SHIFT), &ctx);
    if ( v->arch.guest_table_user )
        pt_put_baseptr(mfn_to_page(v->arch.guest_table_user >> PAGE_SHIFT),
                       &ctx);
    v->arch.guest_table = v->arch.guest_table_user = 0;
    while ( v->arch.nr_ldt_frames )
        put_page_and_type(
            mfn_to_page(v->arch.ldt_frames[--v->arch.nr_ldt_frames]), &ctx);
    v->arch.ldt_ents = 0;
    while ( v->arch.nr_gdt_frames )
        put_page_and_type(
            mfn_to_page(v->arch.gdt_frames[--v->arch.nr_gdt_frames]), &ctx);
    if ( v->arch.vcpu_info_pg )
    {
        put_page_type(v->arch.vcpu_info_pg, &ctx);
        put_page(v->arch.vcpu_info_pg);
        v->arch.vcpu_info_pg = NULL;
    }
    spin_unlock(&d->page_lock);
}

/*
 * Take an L4 base-pointer reference for a new vCPU context (no preemption:
 * VCPUOP_initialise validates the whole tree at once).  0 or -EINVAL.
 */
int arch_take_baseptr(struct vcpu *v, unsigned long mfn)
{
    struct domain *d = v->domain;
    struct page_info *pg;
    struct pt_ctx ctx;
    int rc;

    pt_ctx_init(&ctx, d);
    ctx.preempt = NULL;
    spin_lock(&d->page_lock);
    rc = pt_get_baseptr(mfn, &ctx, &pg);
    spin_unlock(&d->page_lock);
    return rc ? -EINVAL : 0;
}

void arch_drop_baseptr(struct vcpu *v, unsigned long mfn)
{
    struct domain *d = v->domain;
    struct pt_ctx ctx;

    pt_ctx_init(&ctx, d);
    ctx.preempt = NULL;
    spin_lock(&d->page_lock);
    pt_put_baseptr(mfn_to_page(mfn), &ctx);
    spin_unlock(&d->page_lock);
}

/* ---- hooks the validator calls ----------------------------------------- */

void arch_fill_hv_l4_slots(uint64_t *l4)
{
    paging_copy_hv_slots(l4);
}

bool arch_cpu_has_nx(void)
{
    return rdmsr(MSR_EFER) & EFER_NXE;
}

/*
 * pg changes type: a writable translation of a future page table must be
 * gone everywhere before it is validated, whoever held it (its owner, a
 * grant mapper, a builder), so every CPU flushes and we wait.
 */
void arch_flush_stale_tlb(const struct page_info *pg)
{
    (void)pg;
    tlb_flush_every();
}

/* ---- the foreign-domain rule (the policy arrives with issue #5) -------- */

/*
 * The domain whose frames a request with foreigndom may touch: oneself, or
 * (with issue #5) a child the caller may still build.  Referenced.
 */
static long pg_owner_of(struct domain *d, domid_t foreigndom,
                        struct domain **out)
{
    if ( foreigndom == DOMID_SELF || foreigndom == d->domain_id )
    {
        domain_get_ref(d);
        *out = d;
        return 0;
    }
    *out = domain_get(foreigndom);
    if ( !*out )
        return -ESRCH;
    {
        struct policy_subject cs = policy_subject_of(d);
        struct policy_subject ts = policy_subject_of(*out);
        int rc = policy_map_foreign(&cs, &ts);

        if ( rc )
        {
            domain_put(*out);
            *out = NULL;
            return rc;
        }
    }
    return 0;
}

/* The tables are d's, the frames pg_owner's: both page locks, d's first. */
/*
 * Two domains' page locks, the lower domain id first: a builder locks its
 * child and two domains mapping each other's grants lock each other, so
 * only one global order is safe.
 */
static void lock_both(struct domain *d, struct domain *pg_owner)
{
    struct domain *first = d, *second = pg_owner;

    if ( pg_owner == d )
    {
        spin_lock(&d->page_lock);
        return;
    }
    if ( pg_owner->domain_id < d->domain_id )
    {
        first = pg_owner;
        second = d;
    }
    spin_lock(&first->page_lock);
    spin_lock(&second->page_lock);
}

static void unlock_both(struct domain *d, struct domain *pg_owner)
{
    if ( pg_owner != d )
        spin_unlock(&pg_owner->page_lock);
    spin_unlock(&d->page_lock);
}

static void pt_ctx_foreign(struct pt_ctx *ctx, const struct domain *d,
                           const struct domain *pg_owner)
{
    pt_ctx_init(ctx, d);
    ctx->foreign = pg_owner != d;
    ctx->pg_owner = pg_owner->domain_id;
}

/* ---- mmu_update ----------------------------------------------------------- */

static long mmu_one(struct domain *pg_owner, const struct mmu_update *req,
                    struct pt_ctx *ctx)
{
    unsigned long mfn;
    struct page_info *pg;

    switch ( req->ptr & MMU_CMD_MASK )
    {
    case MMU_NORMAL_PT_UPDATE:
    case MMU_PT_UPDATE_PRESERVE_AD:
    case MMU_PT_UPDATE_NO_TRANSLATE: /* PV frames are untranslated anyway */
        return pt_update_entry(
            req->ptr & ~7UL, req->val,
            (req->ptr & MMU_CMD_MASK) == MMU_PT_UPDATE_PRESERVE_AD, ctx);
    case MMU_MACHPHYS_UPDATE:
        mfn = req->ptr >> PAGE_SHIFT;
        pg = get_page_from_mfn(mfn, pg_owner->domain_id);
        if ( !pg )
            return -EINVAL;
        m2p_set(mfn, req->val);
        put_page(pg);
        return 0;
    default:
        return -ENOSYS;
    }
}

long do_mmu_update(HYPERCALL_ARGS)
{
    struct vcpu *v = current;
    uint64_t reqs = a1, pdone = a3;
    unsigned long count = a2, i;
    uint32_t done = 0;
    struct domain *pg_owner;
    struct mmu_update req;
    struct pt_ctx ctx;
    long rc;

    if ( finish_deferred(v) )
        goto continue_same;
    if ( count & MMU_UPDATE_PREEMPTED )
    {
        count &= ~MMU_UPDATE_PREEMPTED;
        if ( pdone && copy_from_guest(&done, pdone, sizeof(done)) )
            return -EFAULT;
    }
    rc = pg_owner_of(v->domain, a4, &pg_owner);
    if ( rc )
        return rc;
    /* The tables updated are the caller's; the frames mapped pg_owner's. */
    pt_ctx_foreign(&ctx, v->domain, pg_owner);

    for ( i = 0, rc = 0; i < count; i++ )
    {
        if ( i && hypercall_preempt_check() )
        {
            rc = -ERESTART;
            break;
        }
        if ( copy_from_guest(&req, reqs + i * sizeof(req), sizeof(req)) )
        {
            rc = -EFAULT;
            break;
        }
        lock_both(v->domain, pg_owner);
        rc = mmu_one(pg_owner, &req, &ctx);
        unlock_both(v->domain, pg_owner);
        keep_deferred(v, &ctx);
        if ( rc == 0 && ctx.deferred )
        {
            i++; /* this one is done; its old entry's put is not */
            rc = -ERESTART;
        }
        if ( rc )
            break;
    }
    domain_put(pg_owner);

    if ( rc == -ERESTART )
    {
        unsigned long args[5] = { reqs + i * sizeof(req),
                                  (count - i) | MMU_UPDATE_PREEMPTED, pdone,
                                  a4 };

        done += i;
        if ( pdone && copy_to_guest(pdone, &done, sizeof(done)) )
            return -EFAULT;
        return hypercall_create_continuation(__HYPERVISOR_mmu_update, 4, args);
    }
    done += i;
    if ( pdone && copy_to_guest(pdone, &done, sizeof(done)) )
        return -EFAULT;
    return rc;

continue_same:
{
    unsigned long args[5] = { a1, a2, a3, a4 };

    return hypercall_create_continuation(__HYPERVISOR_mmu_update, 4, args);
}
}

/* ---- mmuext_op ------------------------------------------------------------ */

/* Replace a base pointer: take the new L4's reference, then drop the old. */
static int set_baseptr(struct vcpu *v, bool user, unsigned long mfn,
                       struct pt_ctx *ctx)
{
    struct domain *d = v->domain;
    paddr_t *slot = user ? &v->arch.guest_table_user : &v->arch.guest_table;
    struct page_info *new = NULL;
    paddr_t old = *slot;
    int rc = 0;

    spin_lock(&d->page_lock);
    if ( mfn )
        rc = pt_get_baseptr(mfn, ctx, &new);
    if ( !rc )
    {
        *slot = (paddr_t)mfn << PAGE_SHIFT;
        if ( old )
            rc = pt_put_baseptr(mfn_to_page(old >> PAGE_SHIFT), ctx);
        if ( rc == -ERESTART )
            rc = 0; /* done; the devalidation continues (ctx->deferred) */
    }
    spin_unlock(&d->page_lock);
    if ( !rc && v->arch.kernel_mode != user )
        write_cr3(*slot ? *slot : paging_idle_cr3());
    return rc;
}

/* The CPUs whose TLBs an *_MULTI op names (a guest vCPU bitmap). */
static int flush_multi(struct vcpu *v, uint64_t mask_gva, uint64_t va, bool one)
{
    uint64_t mask;

    if ( copy_from_guest(&mask, mask_gva, sizeof(mask)) )
        return -EFAULT;
    /* Every CPU that may hold the domain's entries (a superset). */
    if ( one )
        invlpg(va);
    flush_domain_tlbs(v->domain);
    return 0;
}

static int copy_or_clear(struct domain *d, const struct mmuext_op *op,
                         struct pt_ctx *ctx)
{
    struct page_info *dst, *src = NULL;
    int rc;

    dst = get_page_from_mfn(op->arg1.mfn, d->domain_id);
    if ( !dst )
        return -EINVAL;
    rc = get_page_type(dst, PGT_writable_page, ctx);
    if ( rc )
    {
        put_page(dst);
        return rc;
    }
    if ( op->cmd == MMUEXT_COPY_PAGE )
    {
        src = get_page_from_mfn(op->arg2.src_mfn, d->domain_id);
        if ( !src )
            rc = -EINVAL;
        else
            memcpy(mfn_to_virt(op->arg1.mfn), mfn_to_virt(op->arg2.src_mfn),
                   PAGE_SIZE);
    }
    else
        memset(mfn_to_virt(op->arg1.mfn), 0, PAGE_SIZE);
    if ( src )
        put_page(src);
    put_page_type(dst, ctx);
    put_page(dst);
    return rc;
}

static long mmuext_one(struct vcpu *v, struct domain *pg_owner,
                       const struct mmuext_op *op, struct pt_ctx *ctx)
{
    struct domain *d = v->domain;
    int rc;

    switch ( op->cmd )
    {
    case MMUEXT_PIN_L1_TABLE:
    case MMUEXT_PIN_L2_TABLE:
    case MMUEXT_PIN_L3_TABLE:
    case MMUEXT_PIN_L4_TABLE:
        spin_lock(&pg_owner->page_lock);
        rc = pt_pin(op->arg1.mfn, op->cmd - MMUEXT_PIN_L1_TABLE + 1, ctx);
        spin_unlock(&pg_owner->page_lock);
        return rc;
    case MMUEXT_UNPIN_TABLE:
        spin_lock(&pg_owner->page_lock);
        rc = pt_unpin(op->arg1.mfn, ctx);
        spin_unlock(&pg_owner->page_lock);
        return rc == -ERESTART ? 0 : rc; /* unpinned; the rest is deferred */
    case MMUEXT_NEW_BASEPTR:
        if ( pg_owner != d || !v->arch.kernel_mode )
            return -EINVAL;
        return set_baseptr(v, false, op->arg1.mfn, ctx);
    case MMUEXT_NEW_USER_BASEPTR:
        if ( pg_owner != d )
            return -EINVAL;
        return set_baseptr(v, true, op->arg1.mfn, ctx);
    case MMUEXT_TLB_FLUSH_LOCAL:
        flush_tlb_local();
        return 0;
    case MMUEXT_INVLPG_LOCAL:
        if ( guest_range_ok(op->arg1.linear_addr, 1) )
            invlpg(op->arg1.linear_addr);
        return 0;
    case MMUEXT_TLB_FLUSH_MULTI:
        return flush_multi(v, op->arg2.vcpumask, 0, false);
    case MMUEXT_INVLPG_MULTI:
        return flush_multi(v, op->arg2.vcpumask, op->arg1.linear_addr, true);
    case MMUEXT_TLB_FLUSH_ALL:
    case MMUEXT_INVLPG_ALL:
        flush_domain_tlbs(d);
        return 0;
    case MMUEXT_FLUSH_CACHE:
    case MMUEXT_FLUSH_CACHE_GLOBAL:
        return -EACCES; /* needs I/O access, which no domain has yet */
    case MMUEXT_SET_LDT:
        if ( pg_owner != d )
            return -EINVAL;
        return vcpu_set_ldt(v, op->arg1.linear_addr, op->arg2.nr_ents);
    case MMUEXT_COPY_PAGE:
    case MMUEXT_CLEAR_PAGE:
        if ( pg_owner != d )
            return -EPERM;
        spin_lock(&d->page_lock);
        rc = copy_or_clear(d, op, ctx);
        spin_unlock(&d->page_lock);
        return rc;
    default:
        return -ENOSYS;
    }
}

long do_mmuext_op(HYPERCALL_ARGS)
{
    struct vcpu *v = current;
    uint64_t ops = a1, pdone = a3;
    unsigned long count = a2, i;
    uint32_t done = 0;
    struct domain *pg_owner;
    struct mmuext_op op;
    struct pt_ctx ctx;
    long rc;

    if ( finish_deferred(v) )
    {
        unsigned long args[5] = { a1, a2, a3, a4 };

        return hypercall_create_continuation(__HYPERVISOR_mmuext_op, 4, args);
    }
    if ( count & MMU_UPDATE_PREEMPTED )
    {
        count &= ~MMU_UPDATE_PREEMPTED;
        if ( pdone && copy_from_guest(&done, pdone, sizeof(done)) )
            return -EFAULT;
    }
    rc = pg_owner_of(v->domain, a4, &pg_owner);
    if ( rc )
        return rc;
    pt_ctx_init(&ctx, pg_owner);

    for ( i = 0, rc = 0; i < count; i++ )
    {
        if ( i && hypercall_preempt_check() )
        {
            rc = -ERESTART;
            break;
        }
        if ( copy_from_guest(&op, ops + i * sizeof(op), sizeof(op)) )
        {
            rc = -EFAULT;
            break;
        }
        rc = mmuext_one(v, pg_owner, &op, &ctx);
        keep_deferred(v, &ctx);
        if ( rc == 0 && ctx.deferred )
        {
            i++;
            rc = -ERESTART;
        }
        if ( rc )
            break;
    }
    domain_put(pg_owner);
    done += i;
    if ( pdone && copy_to_guest(pdone, &done, sizeof(done)) )
        return -EFAULT;
    if ( rc == -ERESTART )
    {
        unsigned long args[5] = { ops + i * sizeof(op),
                                  (count - i) | MMU_UPDATE_PREEMPTED, pdone,
                                  a4 };

        return hypercall_create_continuation(__HYPERVISOR_mmuext_op, 4, args);
    }
    return rc;
}

static paddr_t l1e_maddr(paddr_t cr3, uint64_t va);

/* ---- LDT -------------------------------------------------------------------- */

/*
 * MMUEXT_SET_LDT(va, ents): the LDT is ents descriptors at guest address
 * va (page aligned, at most 8192).  Each of its pages must be mapped in the
 * kernel page table and takes a seg_desc type reference (descriptors
 * checked; refused while any writable mapping exists), all or nothing; the
 * old LDT's references go.  ents 0 removes the LDT.
 */
int vcpu_set_ldt(struct vcpu *v, uint64_t va, unsigned int ents)
{
    unsigned long frames[16];
    unsigned int nr = (ents * 8 + PAGE_SIZE - 1) / PAGE_SIZE, i;
    int rc;

    if ( (va & ~PAGE_MASK) || ents > 8192 ||
         (ents && !guest_range_ok(va, ents * 8)) )
        return -EINVAL;
    spin_lock(&v->domain->page_lock);
    for ( i = 0; i < nr; i++ )
    {
        paddr_t ma = l1e_maddr(v->arch.guest_table, va + i * PAGE_SIZE);
        uint64_t e = ma ? *(uint64_t *)maddr_to_virt(ma) : 0;

        frames[i] = (e & PT_PRESENT) ? pte_mfn(e) : ~0UL;
    }
    spin_unlock(&v->domain->page_lock);
    rc = seg_desc_swap(v->domain, frames, nr, v->arch.ldt_frames,
                       &v->arch.nr_ldt_frames);
    if ( rc )
        return rc;
    v->arch.ldt_ents = ents;
    if ( v == current )
        ldt_show_guest_frames(frames, nr, ents);
    return 0;
}

/* ---- update_va_mapping ------------------------------------------------- */

/* The machine address of the L1 entry for va in the table at cr3, or 0. */
static paddr_t l1e_maddr(paddr_t cr3, uint64_t va)
{
    uint64_t *t = maddr_to_virt(cr3 & PT_ADDR_MASK);
    unsigned int shift;

    for ( shift = 39; shift > 12; shift -= 9 )
    {
        uint64_t e = t[(va >> shift) & 511];

        if ( !(e & PT_PRESENT) || (e & PT_PSE) )
            return 0;
        t = maddr_to_virt(e & PT_ADDR_MASK);
    }
    return virt_to_maddr(&t[(va >> 12) & 511]);
}

static long uvm_flush(struct vcpu *v, uint64_t va, unsigned long flags)
{
    /* Flush type 3 is not defined; Xen accepts it: we flush (superset). */
    if ( (flags & UVMF_FLUSHTYPE_MASK) == UVMF_NONE )
        return 0;
    if ( flags & UVMF_ALL )
        flush_domain_tlbs(v->domain);
    else if ( flags & ~(UVMF_FLUSHTYPE_MASK | UVMF_ALL) )
        return flush_multi(v, flags & ~(UVMF_FLUSHTYPE_MASK | UVMF_ALL), va,
                           (flags & UVMF_FLUSHTYPE_MASK) == UVMF_INVLPG);
    else if ( (flags & UVMF_FLUSHTYPE_MASK) == UVMF_INVLPG )
        invlpg(va);
    else
        flush_tlb_local();
    return 0;
}

static long update_va_mapping(struct vcpu *v, uint64_t va, uint64_t val,
                              unsigned long flags, domid_t foreign)
{
    struct domain *pg_owner;
    struct pt_ctx ctx;
    paddr_t ma;
    long rc;

    if ( finish_deferred(v) )
        return -ERESTART;
    if ( !guest_range_ok(va, 1) )
        return -EINVAL;
    rc = pg_owner_of(v->domain, foreign, &pg_owner);
    if ( rc )
        return rc;
    pt_ctx_foreign(&ctx, v->domain, pg_owner);
    lock_both(v->domain, pg_owner);
    ma = l1e_maddr(v->arch.guest_table, va);
    rc = ma ? pt_update_entry(ma, val, false, &ctx) : -EINVAL;
    unlock_both(v->domain, pg_owner);
    keep_deferred(v, &ctx);
    domain_put(pg_owner);
    if ( rc )
        return rc;
    return uvm_flush(v, va, flags);
}

long do_update_va_mapping(HYPERCALL_ARGS)
{
    long rc = update_va_mapping(current, a1, a2, a3, DOMID_SELF);

    if ( rc == -ERESTART )
    {
        unsigned long args[5] = { a1, a2, a3 };

        return hypercall_create_continuation(__HYPERVISOR_update_va_mapping, 3,
                                             args);
    }
    return rc;
}

long do_update_va_mapping_otherdomain(HYPERCALL_ARGS)
{
    long rc = update_va_mapping(current, a1, a2, a3, a4);

    if ( rc == -ERESTART )
    {
        unsigned long args[5] = { a1, a2, a3, a4 };

        return hypercall_create_continuation(
            __HYPERVISOR_update_va_mapping_otherdomain, 4, args);
    }
    return rc;
}

/* ---- writable page tables (reference §7.8) -------------------------------- */

/*
 * A guest-kernel write that faulted on a read-only mapping of one of the
 * domain's own L1 page tables: emulate it like an mmu_update of that entry.
 * Returns true when handled (rip advanced), false to deliver the #PF.
 */
bool pv_ptwr_fault(struct vcpu *v, struct cpu_regs *r, uint64_t cr2,
                   uint32_t ec)
{
    struct domain *d = v->domain;
    uint64_t gpr[X86_NR_GPRS], cur, new, mask;
    unsigned int shift;
    uint8_t insn[15];
    struct x86_store s;
    struct page_info *l1;
    struct pt_ctx ctx;
    paddr_t ma, pte_ma;
    int rc;

    /*
     * Xen 4.17 emulates these writes whether or not the guest enabled
     * VMASST_TYPE_writable_pagetables (observed; the mm-ptwr guest checks
     * it on both), so the assist flag is accepted but not required.
     */
    if ( !v->arch.kernel_mode || (ec & 0x1b) != 0x3 )
        return false; /* only present + write, not user/reserved/fetch */
    ma = l1e_maddr(v->arch.guest_table, cr2);
    if ( !ma )
        return false;
    cur = *(uint64_t *)maddr_to_virt(ma);
    if ( !(cur & PT_PRESENT) || (cur & PT_RW) )
        return false;
    l1 = mfn_to_page(pte_mfn(cur));
    if ( pte_mfn(cur) >= max_page || l1->owner != d->domain_id ||
         (l1->type_info & PGT_type_mask) != PGT_l1_page_table )
        return false;

    memset(insn, 0, sizeof(insn));
    if ( copy_from_guest(insn, r->rip, 1) )
        return false;
    for ( rc = 1; rc < (int)sizeof(insn); rc++ )
        if ( copy_from_guest(&insn[rc], r->rip + rc, 1) )
            break;
    memcpy(gpr,
           &(uint64_t[]){ r->rax, r->rcx, r->rdx, r->rbx, r->rsp, r->rbp,
                          r->rsi, r->rdi, r->r8, r->r9, r->r10, r->r11, r->r12,
                          r->r13, r->r14, r->r15 },
           sizeof(gpr));
    if ( x86_decode_store(insn, rc, r->rip, gpr, &s) ||
         (s.addr & ~PAGE_MASK) != (cr2 & ~PAGE_MASK) ||
         (s.addr & (s.size - 1)) || s.high_byte )
        return false;

    /* The 8-byte entry the write falls in, merged with what is there. */
    pte_ma = (pte_mfn(cur) << PAGE_SHIFT) | (s.addr & ~PAGE_MASK & ~7UL);
    shift = 8 * (s.addr & 7);
    mask = s.size == 8 ? ~0UL : ((1UL << (8 * s.size)) - 1) << shift;
    pt_ctx_init(&ctx, d);
    spin_lock(&d->page_lock);
    cur = *(volatile uint64_t *)maddr_to_virt(pte_ma);
    if ( s.kind == X86_STORE_CMPXCHG &&
         ((cur & mask) >> shift) != (r->rax & (mask >> shift)) )
    {
        /* A failed cmpxchg: report the current value, as hardware does. */
        spin_unlock(&d->page_lock);
        r->rax = (cur & mask) >> shift;
        r->rflags &= ~0x40UL; /* ZF */
        r->rip += s.len;
        return true;
    }
    new = (cur & ~mask) | ((s.value << shift) & mask);
    rc = pt_update_entry(pte_ma, new, false, &ctx);
    spin_unlock(&d->page_lock);
    keep_deferred(v, &ctx);
    if ( rc )
        return false;
    if ( s.kind == X86_STORE_XCHG )
    {
        uint64_t *regs[16] = { &r->rax, &r->rcx, &r->rdx, &r->rbx,
                               &r->rsp, &r->rbp, &r->rsi, &r->rdi,
                               &r->r8,  &r->r9,  &r->r10, &r->r11,
                               &r->r12, &r->r13, &r->r14, &r->r15 };

        *regs[s.reg] =
            (*regs[s.reg] & ~(mask >> shift)) | ((cur & mask) >> shift);
    }
    else if ( s.kind == X86_STORE_CMPXCHG )
        r->rflags |= 0x40UL; /* ZF: exchanged */
    r->rip += s.len;
    return true;
}

/* ---- grant mappings (hv/grant_table.h) ------------------------------------ */

/* Is the frame of machine address ma a validated L1 table of d? */
static bool is_l1_of(const struct domain *d, paddr_t ma)
{
    unsigned long mfn = ma >> PAGE_SHIFT;
    const struct page_info *pg;

    if ( !ma || mfn >= max_page )
        return false;
    pg = mfn_to_page(mfn);
    return pg->owner == d->domain_id &&
           (pg->type_info & (PGT_type_mask | PGT_validated)) ==
               (PGT_l1_page_table | PGT_validated);
}

/*
 * The machine address of the L1 entry a grant op names (ld's page lock
 * held): host_addr itself with GNTMAP_contains_pte, else the entry for
 * the virtual address host_addr in the current vCPU's tables.  0 if it is
 * not an entry of one of ld's validated L1 tables.
 */
static paddr_t grant_pte(const struct domain *ld, uint64_t host_addr,
                         uint32_t flags)
{
    paddr_t ma;

    if ( flags & GNTMAP_contains_pte )
        ma = (host_addr & 7) ? 0 : host_addr;
    else if ( (host_addr & ~PAGE_MASK) || !guest_range_ok(host_addr, 1) )
        ma = 0;
    else
        ma = l1e_maddr(current->arch.guest_table, host_addr);
    return is_l1_of(ld, ma) ? ma : 0;
}

static void grant_lock(struct domain *ld, struct domain *rd)
{
    if ( rd )
        lock_both(ld, rd);
    else
        spin_lock(&ld->page_lock);
}

static void grant_unlock(struct domain *ld, struct domain *rd)
{
    if ( rd )
        unlock_both(ld, rd);
    else
        spin_unlock(&ld->page_lock);
}

int16_t arch_grant_host_map(struct domain *ld, struct domain *rd,
                            uint64_t host_addr, uint32_t flags,
                            unsigned long mfn)
{
    uint64_t val =
        ((uint64_t)mfn << PAGE_SHIFT) | PT_PRESENT | PT_ACCESSED | PT_DIRTY;
    struct pt_ctx ctx;
    paddr_t ma;
    int rc;

    if ( !(flags & GNTMAP_readonly) )
        val |= PT_RW;
    if ( flags & GNTMAP_application_map )
        val |= PT_USER;
    if ( arch_cpu_has_nx() )
        val |= PT_NX;
    /* XENFEAT_gnttab_map_avail_bits: the guest's bits into bits 9-11. */
    val |= (uint64_t)((flags >> _GNTMAP_guest_avail0) & 7) << 9;
    pt_ctx_foreign(&ctx, ld, rd);
    grant_lock(ld, rd);
    ma = grant_pte(ld, host_addr, flags);
    rc = ma ? pt_update_entry(ma, val, false, &ctx) : -EINVAL;
    grant_unlock(ld, rd);
    BUG_ON(ctx.deferred); /* L1 entries never defer */
    if ( !ma )
        return (flags & GNTMAP_contains_pte) ? GNTST_general_error
                                             : GNTST_bad_virt_addr;
    if ( rc )
        return GNTST_general_error;
    if ( !(flags & GNTMAP_contains_pte) )
        invlpg(host_addr);
    return GNTST_okay;
}

int16_t arch_grant_host_unmap(struct domain *ld, struct domain *rd,
                              uint64_t host_addr, uint32_t flags,
                              unsigned long mfn, uint64_t new_addr)
{
    paddr_t ma, nma = 0;
    uint64_t e, ne = 0;
    struct page_info *pg;
    struct pt_ctx ctx;
    int rc = 0;

    pt_ctx_init(&ctx, ld);
    grant_lock(ld, rd);
    ma = grant_pte(ld, host_addr, flags);
    if ( new_addr )
        nma = grant_pte(ld, new_addr, 0);
    if ( !ma || (new_addr && !nma) )
    {
        grant_unlock(ld, rd);
        return GNTST_bad_virt_addr;
    }
    e = *(volatile uint64_t *)maddr_to_virt(ma);
    if ( !(e & PT_PRESENT) || pte_mfn(e) != mfn )
    {
        /* Not (any more) this grant's mapping: nothing is touched. */
        grant_unlock(ld, rd);
        return GNTST_general_error;
    }
    /*
     * Hold the frame until every TLB is flushed: the entry's reference may
     * be the last (the granter died), and a freed frame must not be
     * reachable through a stale translation once it is reused.
     */
    pg = mfn_to_page(mfn);
    get_page_light(pg);
    if ( nma )
    {
        ne = *(volatile uint64_t *)maddr_to_virt(nma);
        /* The replacement must be one of ld's own mappings. */
        rc = pt_update_entry(ma, ne, false, &ctx);
        if ( !rc )
            rc = pt_update_entry(nma, 0, false, &ctx);
    }
    else
        rc = pt_update_entry(ma, 0, false, &ctx);
    grant_unlock(ld, rd);
    BUG_ON(ctx.deferred);
    /*
     * End of access must be true when the granter checks: every CPU that
     * may hold ld's entries has flushed before we return.
     */
    flush_domain_tlbs(ld);
    put_page(pg);
    return rc ? GNTST_general_error : GNTST_okay;
}

int16_t arch_grant_get_frame(struct domain *rd, unsigned long mfn,
                             bool readonly)
{
    struct page_info *pg = get_page_from_mfn(mfn, rd->domain_id);
    struct pt_ctx ctx;
    int rc = 0;

    if ( !pg || (pg->count_info & PGC_xen_shared) )
    {
        if ( pg )
            put_page(pg);
        return GNTST_bad_page; /* not a frame of rd's own */
    }
    if ( !readonly )
    {
        pt_ctx_init(&ctx, rd);
        spin_lock(&rd->page_lock);
        rc = get_page_type(pg, PGT_writable_page, &ctx);
        spin_unlock(&rd->page_lock);
    }
    if ( rc )
    {
        put_page(pg);
        return GNTST_general_error; /* a page table or descriptor page */
    }
    return GNTST_okay;
}

void arch_grant_put_frame(struct domain *rd, unsigned long mfn, bool readonly)
{
    struct page_info *pg = mfn_to_page(mfn);
    struct pt_ctx ctx = { .owner = rd ? rd->domain_id : DOMID_XEN };

    if ( !readonly )
    {
        if ( rd )
            spin_lock(&rd->page_lock);
        put_page_type(pg, &ctx); /* writable: never deferred */
        if ( rd )
            spin_unlock(&rd->page_lock);
    }
    put_page(pg);
}
