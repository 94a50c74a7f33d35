/*
 * Guest page-table updates: update_va_mapping, in the narrow form PV
 * execution needs before memory validation (issue #4) exists.
 *
 * Safe without reference counting because no guest can make or free a
 * frame yet: every page table a guest uses was written by a builder and
 * typed PGT_pagetable, frames never leave a domain while it lives, and so
 * the rules below keep the two invariants that matter:
 *   - an entry may map only a frame the calling domain owns (its memory and
 *     its shared_info page), never the hypervisor's or another domain's;
 *   - a page-table frame is never mapped writable.
 * Only the L1 that the domain's kernel page table uses for va is changed,
 * and only if that L1 is itself a page table of the domain.
 *
 * Locking: d->lock serialises page-table writes of one domain.
 */
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <asm/apic.h>
#include <asm/arch.h>
#include <asm/guest_access.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/smp.h>

#define _PAGE_PRESENT (1UL << 0)
#define _PAGE_RW      (1UL << 1)
#define _PAGE_USER    (1UL << 2)
#define _PAGE_PSE     (1UL << 7)
#define _PAGE_NX      (1UL << 63)
#define PADDR_MASK    0x000ffffffffff000UL
/* Bits a guest may set in an L1 entry: P RW US PWT PCD A D PAT G avail NX. */
#define L1_ALLOWED (0xfffUL | PADDR_MASK | _PAGE_NX)

static bool frame_of(const struct domain *d, unsigned long mfn)
{
    return mfn < max_page && mfn_to_page(mfn)->owner == d->domain_id;
}

/* The L1 entry mapping va in d's page table at cr3, or NULL. */
static uint64_t *find_l1e(const struct domain *d, paddr_t cr3, uint64_t va)
{
    uint64_t *t = maddr_to_virt(cr3 & PADDR_MASK);
    unsigned int shift;

    for ( shift = 39; shift >= 12; shift -= 9 )
    {
        uint64_t *e = &t[(va >> shift) & 511];
        unsigned long mfn = (*e & PADDR_MASK) >> PAGE_SHIFT;

        if ( shift == 12 )
            return e;
        if ( !(*e & _PAGE_PRESENT) || (*e & _PAGE_PSE) || !frame_of(d, mfn) ||
             !(mfn_to_page(mfn)->type_info & PGT_pagetable) )
            return NULL;
        t = mfn_to_virt(mfn);
    }
    return NULL;
}

static void flush_all_cpus(void)
{
    /* Every CPU reloads CR3 on its way back to a guest; kick them all. */
    unsigned int cpu;

    for ( cpu = 0; cpu < nr_cpus_online; cpu++ )
        if ( cpu != smp_processor_id() )
            apic_send_ipi(cpu_apic_id[cpu], VECTOR_IPI_FLUSH);
    flush_tlb_local();
}

/*
 * update_va_mapping(va, val, flags): set the L1 entry for va (in the current
 * kernel page table) to val, then flush as flags (UVMF_*) ask.
 */
long do_update_va_mapping(HYPERCALL_ARGS)
{
    struct vcpu *v = current;
    struct domain *d = v->domain;
    uint64_t va = a1, val = a2;
    unsigned long flags = a3, mfn = (val & PADDR_MASK) >> PAGE_SHIFT;
    uint64_t *l1e;

    if ( !guest_range_ok(va, 1) )
        return -EINVAL;
    if ( (flags & UVMF_FLUSHTYPE_MASK) == UVMF_FLUSHTYPE_MASK ||
         (flags & ~(UVMF_FLUSHTYPE_MASK | UVMF_ALL)) )
        return -EINVAL; /* vCPU-mask flushes (UVMF_MULTI): issue #4 */
    if ( val & _PAGE_PRESENT )
    {
        if ( val & ~L1_ALLOWED )
            return -EINVAL;
        /* Xen answers -EINVAL for both (get_page_from_l1e). */
        if ( !frame_of(d, mfn) )
            return -EINVAL;
        if ( (val & _PAGE_RW) && (mfn_to_page(mfn)->type_info & PGT_pagetable) )
            return -EINVAL;
        val |= _PAGE_USER;
    }

    spin_lock(&d->lock);
    l1e = find_l1e(d, v->arch.guest_table, va);
    if ( !l1e )
    {
        spin_unlock(&d->lock);
        return -EINVAL;
    }
    __atomic_store_n(l1e, val, __ATOMIC_RELEASE);
    spin_unlock(&d->lock);

    if ( flags & UVMF_ALL )
        flush_all_cpus();
    else if ( (flags & UVMF_FLUSHTYPE_MASK) == UVMF_INVLPG )
        invlpg(va);
    else if ( (flags & UVMF_FLUSHTYPE_MASK) == UVMF_TLB_FLUSH )
        flush_tlb_local();
    return 0;
}

/*
 * mmuext_op(ops, count, pdone, foreigndom), the subset PV execution needs
 * before memory validation: NEW_BASEPTR and NEW_USER_BASEPTR (only to an
 * L4 a builder wrote, so the hypervisor's slots are known to be in it),
 * TLB_FLUSH_LOCAL/ALL and INVLPG_LOCAL/ALL.  Other commands (pinning,
 * LDT, page copy/clear) answer -ENOSYS until issue #4; the batch stops at
 * the first failing op, *pdone counts the ops done, as in Xen.
 */
static bool is_builder_l4(const struct domain *d, unsigned long mfn)
{
    return frame_of(d, mfn) &&
           (mfn_to_page(mfn)->type_info & (PGT_pagetable | PGT_l4)) ==
               (PGT_pagetable | PGT_l4);
}

static long mmuext_one(struct vcpu *v, const struct mmuext_op *op)
{
    struct domain *d = v->domain;

    switch ( op->cmd )
    {
    case MMUEXT_NEW_BASEPTR:
        if ( !v->arch.kernel_mode )
            return -EINVAL;
        if ( !is_builder_l4(d, op->arg1.mfn) )
            return -EINVAL;
        v->arch.guest_table = (paddr_t)op->arg1.mfn << PAGE_SHIFT;
        write_cr3(v->arch.guest_table);
        return 0;
    case MMUEXT_NEW_USER_BASEPTR:
        if ( op->arg1.mfn && !is_builder_l4(d, op->arg1.mfn) )
            return -EINVAL;
        v->arch.guest_table_user = (paddr_t)op->arg1.mfn << PAGE_SHIFT;
        return 0;
    case MMUEXT_TLB_FLUSH_LOCAL:
        flush_tlb_local();
        return 0;
    case MMUEXT_INVLPG_LOCAL:
        if ( !guest_range_ok(op->arg1.linear_addr, 1) )
            return -EINVAL;
        invlpg(op->arg1.linear_addr);
        return 0;
    case MMUEXT_TLB_FLUSH_ALL:
    case MMUEXT_INVLPG_ALL:
        flush_all_cpus();
        return 0;
    default:
        return -ENOSYS;
    }
}

long do_mmuext_op(HYPERCALL_ARGS)
{
    struct vcpu *v = current;
    uint64_t ops = a1, pdone = a3;
    unsigned long count = a2, i;
    domid_t foreign = a4;
    struct mmuext_op op;
    long rc = 0;

    if ( count & 0x80000000UL )
        return -EINVAL; /* continuations of our own only: none yet */
    if ( foreign != DOMID_SELF && foreign != v->domain->domain_id )
        return -EPERM; /* foreign domains: with the build capability (#5) */
    for ( i = 0; i < count; i++ )
    {
        if ( copy_from_guest(&op, ops + i * sizeof(op), sizeof(op)) )
        {
            rc = -EFAULT;
            break;
        }
        rc = mmuext_one(v, &op);
        if ( rc )
            break;
    }
    if ( pdone && copy_to_guest(pdone, &i, sizeof(uint32_t)) )
        return -EFAULT;
    return rc;
}
