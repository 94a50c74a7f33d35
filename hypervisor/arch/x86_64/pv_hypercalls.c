/*
 * x86-64 PV hypercalls that set up a vCPU's trap and callback state:
 * set_trap_table, set_callbacks, callback_op, stack_switch,
 * set_segment_base, fpu_taskswitch, physdev_op (set_iopl),
 * set_debugreg / get_debugreg.
 *
 * Locking: each touches only the calling vCPU's state.
 */
#include <hv/desc_check.h>
#include <hv/errno.h>
#include <hv/mm.h>
#include <hv/pagetype.h>
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <public/callback.h>
#include <public/physdev.h>
#include <asm/desc.h>
#include <asm/guest_access.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/smp.h>

#define MSR_FS_BASE      0xc0000100
#define MSR_GS_BASE      0xc0000101
#define TRAP_TABLE_BATCH 16

static bool is_canonical(uint64_t a)
{
    return (uint64_t)((int64_t)(a << 16) >> 16) == a;
}

static bool guest_addr_ok(uint64_t a)
{
    /* A handler must be canonical and outside the hypervisor's range. */
    return is_canonical(a) &&
           !(a >= HYPERVISOR_VIRT_START && a < HYPERVISOR_VIRT_END);
}

/*
 * set_trap_table(list): entries until one with address 0; NULL clears all.
 * Entries before a bad one stay applied (as Xen).  Preemptible.
 */
long do_set_trap_table(HYPERCALL_ARGS)
{
    struct vcpu *v = current;
    uint64_t list = a1;
    unsigned int n;
    struct trap_info ti;

    if ( !list )
    {
        memset(v->arch.trap, 0, sizeof(v->arch.trap));
        return 0;
    }
    for ( n = 0;; n++, list += sizeof(ti) )
    {
        if ( n == TRAP_TABLE_BATCH && hypercall_preempt_check() )
        {
            unsigned long args[5] = { list };

            return hypercall_create_continuation(__HYPERVISOR_set_trap_table, 1,
                                                 args);
        }
        if ( copy_from_guest(&ti, list, sizeof(ti)) )
            return -EFAULT;
        if ( ti.address == 0 )
            return 0;
        if ( !guest_addr_ok(ti.address) )
            return -EINVAL;
        v->arch.trap[ti.vector].address = ti.address;
        v->arch.trap[ti.vector].flags = ti.flags;
    }
}

static long register_callback(struct vcpu *v,
                              const struct callback_register *cb)
{
    bool mask = cb->flags & CALLBACKF_mask_events;

    if ( !guest_addr_ok(cb->address) )
        return -EINVAL;
    switch ( cb->type )
    {
    case CALLBACKTYPE_event:
        v->arch.event_callback = cb->address;
        return 0;
    case CALLBACKTYPE_failsafe:
        v->arch.failsafe_callback = cb->address;
        v->arch.failsafe_masks_events = mask;
        return 0;
    case CALLBACKTYPE_syscall:
        v->arch.syscall_callback = cb->address;
        v->arch.syscall_masks_events = mask;
        return 0;
    case CALLBACKTYPE_nmi:
        v->arch.trap[2].address = cb->address;
        v->arch.trap[2].flags = 4;
        return 0;
    default:
        return -ENOSYS; /* sysenter / syscall32: no 32-bit PV */
    }
}

long do_callback_op(HYPERCALL_ARGS)
{
    struct vcpu *v = current;
    unsigned int cmd = a1;

    switch ( cmd )
    {
    case CALLBACKOP_register:
    {
        struct callback_register cb;

        if ( copy_from_guest(&cb, a2, sizeof(cb)) )
            return -EFAULT;
        return register_callback(v, &cb);
    }
    case CALLBACKOP_unregister:
    {
        struct callback_unregister cb;

        if ( copy_from_guest(&cb, a2, sizeof(cb)) )
            return -EFAULT;
        if ( cb.type != CALLBACKTYPE_nmi )
            return -EINVAL;
        v->arch.trap[2].address = 0;
        return 0;
    }
    default:
        return -ENOSYS;
    }
}

/* Legacy set_callbacks(event, failsafe, syscall): no mask flags. */
long do_set_callbacks(HYPERCALL_ARGS)
{
    struct callback_register cb = { 0 };

    cb.type = CALLBACKTYPE_event;
    cb.address = a1;
    register_callback(current, &cb);
    cb.type = CALLBACKTYPE_failsafe;
    cb.address = a2;
    register_callback(current, &cb);
    cb.type = CALLBACKTYPE_syscall;
    cb.address = a3;
    register_callback(current, &cb);
    return 0;
}

long do_stack_switch(HYPERCALL_ARGS)
{
    current->arch.kernel_ss = a1 | 3;
    current->arch.kernel_sp = a2;
    return 0;
}

long do_set_segment_base(HYPERCALL_ARGS)
{
    struct vcpu *v = current;
    unsigned int which = a1;
    uint64_t base = a2;

    if ( which != SEGBASE_GS_USER_SEL && !is_canonical(base) )
        return -EINVAL;
    switch ( which )
    {
    case SEGBASE_FS:
        wrmsr(MSR_FS_BASE, base);
        v->arch.fs_base = base;
        return 0;
    case SEGBASE_GS_USER:
        if ( v->arch.kernel_mode )
            v->arch.gs_base_user = base;
        else
            wrmsr(MSR_GS_BASE, base);
        return 0;
    case SEGBASE_GS_KERNEL:
        if ( v->arch.kernel_mode )
            wrmsr(MSR_GS_BASE, base);
        v->arch.gs_base_kernel = base;
        return 0;
    case SEGBASE_GS_USER_SEL:
        /* Only the null selector until guest GDTs exist (set_gdt). */
        if ( (base & 0xffff) > 3 )
            return -EINVAL;
        v->arch.gs_base_user = 0;
        return 0;
    default:
        return -EINVAL;
    }
}

long do_fpu_taskswitch(HYPERCALL_ARGS)
{
    pv_fpu_set_virt_ts(current, a1 != 0);
    return 0;
}

long do_physdev_op(HYPERCALL_ARGS)
{
    unsigned int cmd = a1;
    struct physdev_set_iopl op;

    switch ( cmd )
    {
    case PHYSDEVOP_set_iopl:
        if ( copy_from_guest(&op, a2, sizeof(op)) )
            return -EFAULT;
        if ( op.iopl > 3 )
            return -EINVAL;
        current->arch.iopl = op.iopl;
        return 0;
    default:
        return -ENOSYS; /* device access arrives with the backends */
    }
}

/*
 * Debug registers: the values are validated and kept; breakpoints are not
 * armed in hardware yet (the vCPU reads back what it wrote).
 */
long do_set_debugreg(HYPERCALL_ARGS)
{
    unsigned long reg = a1;
    uint64_t val = a2;

    if ( reg == 4 || reg == 5 )
        reg += 2; /* DR4/DR5 alias DR6/DR7 (CR4.DE is clear) */
    switch ( reg )
    {
    case 0:
    case 1:
    case 2:
    case 3:
        if ( !guest_addr_ok(val) )
            return -EPERM;
        break;
    case 6:
        val = (val & 0xe00f) | 0xffff0ff0;
        break;
    case 7:
        if ( val >> 32 )
            return -EPERM;
        /* No I/O breakpoints, no general-detect. */
        if ( val & (1UL << 13) )
            return -EPERM;
        val |= 0x400;
        break;
    default:
        return -ENODEV;
    }
    current->arch.dr[reg] = val;
    return 0;
}

long do_get_debugreg(HYPERCALL_ARGS)
{
    unsigned long reg = a1;

    if ( reg == 4 || reg == 5 )
        reg += 2; /* DR4/DR5 alias DR6/DR7 (CR4.DE is clear) */
    if ( reg > 7 )
        return -ENODEV;
    return current->arch.dr[reg];
}

/*
 * update_descriptor(maddr, desc): write one checked descriptor into a frame
 * of the caller.  As in Xen, the frame may be any of its ordinary pages;
 * a page-table frame is refused.  (Frames in use as a GDT arrive with
 * set_gdt.)
 */
long do_update_descriptor(HYPERCALL_ARGS)
{
    struct domain *d = current->domain;
    uint64_t pa = a1, desc = a2;
    unsigned long mfn = pa >> PAGE_SHIFT;

    struct pt_ctx ctx = { .owner = d->domain_id };
    struct page_info *pg;
    int rc;

    if ( pa & 7 || !desc_check(&desc) )
        return -EINVAL;
    pg = get_page_from_mfn(mfn, d->domain_id);
    if ( !pg || mfn == d->shared_info_mfn )
    {
        if ( pg )
            put_page(pg);
        return -EINVAL;
    }
    /* As Xen: a descriptor page in use, or else any writable page. */
    spin_lock(&d->page_lock);
    rc = get_page_type(pg,
                       (pg->type_info & PGT_type_mask) == PGT_seg_desc_page
                           ? PGT_seg_desc_page
                           : PGT_writable_page,
                       &ctx);
    if ( !rc )
    {
        __atomic_store_n(
            (uint64_t *)((uint8_t *)mfn_to_virt(mfn) + (pa & ~PAGE_MASK)), desc,
            __ATOMIC_RELEASE);
        put_page_type(pg, &ctx);
    }
    spin_unlock(&d->page_lock);
    put_page(pg);
    return rc ? -EINVAL : 0;
}

/*
 * Replace the descriptor frames a vCPU holds (held[0..*nr_held), its GDT
 * or LDT) with frames[0..nr): each new one takes a seg_desc type
 * reference (descriptors checked and fixed up as Xen's check_descriptor;
 * refused while writable), then the old ones' references go.  All or
 * nothing: -EINVAL.
 */
int seg_desc_swap(struct domain *d, const unsigned long *frames,
                  unsigned int nr, unsigned long *held, unsigned int *nr_held)
{
    struct pt_ctx ctx = { .owner = d->domain_id };
    unsigned int i, j;

    spin_lock(&d->page_lock);
    for ( i = 0; i < nr; i++ )
    {
        struct page_info *pg = get_page_from_mfn(frames[i], d->domain_id);

        if ( !pg || frames[i] == d->shared_info_mfn ||
             get_page_type(pg, PGT_seg_desc_page, &ctx) )
        {
            if ( pg )
                put_page(pg);
            for ( j = 0; j < i; j++ )
                put_page_and_type(mfn_to_page(frames[j]), &ctx);
            spin_unlock(&d->page_lock);
            return -EINVAL;
        }
    }
    for ( j = 0; j < *nr_held; j++ )
        put_page_and_type(mfn_to_page(held[j]), &ctx);
    memcpy(held, frames, nr * sizeof(frames[0]));
    *nr_held = nr;
    spin_unlock(&d->page_lock);
    return 0;
}

int vcpu_set_gdt(struct vcpu *v, const unsigned long *frames, unsigned int nr)
{
    int rc = seg_desc_swap(v->domain, frames, nr, v->arch.gdt_frames,
                           &v->arch.nr_gdt_frames);

    if ( !rc && v == current )
        gdt_show_guest_frames(v->arch.gdt_frames, nr);
    return rc;
}

/*
 * set_gdt(frames, entries): up to 14 frames of descriptors (7168 entries)
 * become the vCPU's GDT, below the hypervisor's reserved page.  A frame
 * must be the caller's and provably read-only to it: the seg_desc type is
 * refused while any writable mapping exists.
 */
long do_set_gdt(HYPERCALL_ARGS)
{
    uint64_t list = a1;
    unsigned long entries = a2, nr = (entries + 511) / 512;
    xen_ulong_t frames[FIRST_RESERVED_GDT_PAGE];
    unsigned long f[FIRST_RESERVED_GDT_PAGE];
    unsigned int i;

    if ( entries > FIRST_RESERVED_GDT_ENTRY )
        return -EINVAL;
    if ( copy_from_guest(frames, list, nr * sizeof(frames[0])) )
        return -EFAULT;
    for ( i = 0; i < nr; i++ )
        f[i] = frames[i];
    return vcpu_set_gdt(current, f, nr);
}
