/*
 * PV execution: hypercall entry, return to the guest, bounce frames,
 * HYPERVISOR_iret and kernel/user mode switching (reference §2-§4).
 *
 * A guest kernel and its user space both run in ring 3; kernel mode is a
 * per-vCPU flag with its own page table and GS base.  Every entry from ring
 * 3 leaves through leave_to_guest(), which runs deferred work, may switch
 * vCPUs, and delivers a pending event upcall.
 *
 * Locking: a vCPU's frame and arch state are touched only by the CPU that
 * runs it.
 */
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/event.h>
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/sched.h>
#include <hv/softirq.h>
#include <public/callback.h>
#include <asm/guest_access.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/smp.h>

#define MSR_STAR           0xc0000081
#define MSR_LSTAR          0xc0000082
#define MSR_CSTAR          0xc0000083
#define MSR_SYSCALL_MASK   0xc0000084
#define MSR_FS_BASE        0xc0000100
#define MSR_GS_BASE        0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102

extern const char lstar_enter[];
bool hypercall_take_continuation(unsigned long *nr, unsigned long args[5]);

static bool is_canonical(uint64_t a)
{
    return (uint64_t)((int64_t)(a << 16) >> 16) == a;
}

/*
 * Defence in depth: if the iretq to a guest faults anyway, entry.S's fixup
 * lands here; the guest that supplied the context is crashed, never the
 * hypervisor.
 */
void pv_iret_fault(void)
{
    struct vcpu *v = current;

    if ( v )
    {
        domain_crash(v->domain,
                     "returning to its context faulted "
                     "(rip %#lx cs %#lx ss %#lx)",
                     (unsigned long)guest_cpu_regs()->rip,
                     (unsigned long)guest_cpu_regs()->cs,
                     (unsigned long)guest_cpu_regs()->ss);
        return;
    }
    panic("iretq to a guest faulted with no current vCPU");
}

struct cpu_regs *guest_cpu_regs(void)
{
    return (struct cpu_regs *)get_cpu_info() - 1;
}

void pv_cpu_init(void)
{
    /* syscall: CS/SS 0xe008/0xe010 in; sysret base 0xe023 -> 0xe033/0xe02b. */
    wrmsr(MSR_STAR, (0xe023UL << 48) | (0xe008UL << 32));
    wrmsr(MSR_LSTAR, (unsigned long)lstar_enter);
    wrmsr(MSR_CSTAR, (unsigned long)lstar_enter);
    wrmsr(MSR_SYSCALL_MASK, X86_EFLAGS_IF | X86_EFLAGS_TF | X86_EFLAGS_DF |
                                X86_EFLAGS_NT | X86_EFLAGS_AC);
    wrmsr(MSR_KERNEL_GS_BASE, (unsigned long)get_cpu_info());
    get_cpu_info()->self = (unsigned long)get_cpu_info();
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    /* Guests use SSE (newlib, Linux): FXSR state and SIMD exceptions. */
    write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
    write_cr0((read_cr0() | X86_CR0_MP | X86_CR0_NE) & ~X86_CR0_EM);
}

/* Switch between guest kernel and user mode: GS base and page table. */
void toggle_guest_mode(struct vcpu *v)
{
    struct arch_vcpu *a = &v->arch;

    if ( a->kernel_mode )
        a->gs_base_kernel = rdmsr(MSR_GS_BASE);
    else
        a->gs_base_user = rdmsr(MSR_GS_BASE);
    a->kernel_mode = !a->kernel_mode;
    wrmsr(MSR_GS_BASE, a->kernel_mode ? a->gs_base_kernel : a->gs_base_user);
    write_cr3(a->kernel_mode ? a->guest_table : a->guest_table_user);
}

void pv_show_guest_state(const struct vcpu *v, const struct cpu_regs *r)
{
    printk(XENLOG_ERR "d%uv%u: %s mode, rip %016lx rsp %016lx rflags %016lx\n",
           v->domain->domain_id, v->vcpu_id,
           v->arch.kernel_mode ? "kernel" : "user", (unsigned long)r->rip,
           (unsigned long)r->rsp, (unsigned long)r->rflags);
    printk(XENLOG_ERR "  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n",
           (unsigned long)r->rax, (unsigned long)r->rbx, (unsigned long)r->rcx,
           (unsigned long)r->rdx);
    printk(XENLOG_ERR "  rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n",
           (unsigned long)r->rsi, (unsigned long)r->rdi, (unsigned long)r->rbp,
           (unsigned long)r->r8);
    printk(XENLOG_ERR "  r9  %016lx r10 %016lx r11 %016lx r12 %016lx\n",
           (unsigned long)r->r9, (unsigned long)r->r10, (unsigned long)r->r11,
           (unsigned long)r->r12);
    printk(XENLOG_ERR "  r13 %016lx r14 %016lx r15 %016lx cr2 %016lx\n",
           (unsigned long)r->r13, (unsigned long)r->r14, (unsigned long)r->r15,
           v->vcpu_info ? (unsigned long)v->vcpu_info->arch.cr2 : 0UL);
}

bool pv_bounce(struct vcpu *v, struct cpu_regs *r, uint64_t target, long ec,
               bool mask_events)
{
    struct vcpu_info *vi = v->vcpu_info;
    uint8_t saved_mask = vi ? vi->evtchn_upcall_mask : 1;
    uint64_t frame[8], base, cs = r->cs, rflags;
    unsigned int n = 0;

    if ( !target )
    {
        domain_crash(v->domain, "no guest handler to deliver to");
        pv_show_guest_state(v, r);
        return false;
    }
    if ( !v->arch.kernel_mode )
    {
        toggle_guest_mode(v);
        base = v->arch.kernel_sp;
    }
    else
    {
        base = r->rsp;
        cs &= ~3UL; /* tell the guest it was in kernel mode */
    }
    base &= ~0xfUL;
    if ( base > HYPERVISOR_VIRT_START && base < HYPERVISOR_VIRT_END + 64 )
    {
        domain_crash(v->domain, "guest stack %#lx inside the hypervisor",
                     (unsigned long)base);
        return false;
    }

    rflags = (r->rflags & ~(X86_EFLAGS_IF | X86_EFLAGS_IOPL)) |
             (saved_mask ? 0 : X86_EFLAGS_IF);
    frame[n++] = r->rcx;
    frame[n++] = r->r11;
    if ( ec >= 0 )
        frame[n++] = (uint32_t)ec;
    frame[n++] = r->rip;
    frame[n++] = (cs & 0xffff) | ((uint64_t)saved_mask << 32);
    frame[n++] = rflags;
    frame[n++] = r->rsp;
    frame[n++] = r->ss;
    if ( copy_to_guest(base - n * 8, frame, n * 8) )
    {
        domain_crash(v->domain, "cannot write a bounce frame at %#lx",
                     (unsigned long)(base - n * 8));
        pv_show_guest_state(v, r);
        return false;
    }
    if ( mask_events && vi )
        vi->evtchn_upcall_mask = 1;

    r->rip = target;
    r->cs = FLAT_KERNEL_CS;
    r->ss = FLAT_KERNEL_SS;
    r->rsp = base - n * 8;
    r->rflags &= ~(X86_EFLAGS_AC | X86_EFLAGS_VM | X86_EFLAGS_RF |
                   X86_EFLAGS_NT | X86_EFLAGS_TF);
    r->entry_vector = 0;
    return true;
}

void pv_inject_trap(struct vcpu *v, struct cpu_regs *r, unsigned int vector,
                    long ec)
{
    const struct virt_trap *t = &v->arch.trap[vector];

    if ( !t->address )
    {
        domain_crash(v->domain, "unhandled trap %u (error code %ld) at %#lx",
                     vector, ec, (unsigned long)r->rip);
        pv_show_guest_state(v, r);
        return;
    }
    pv_bounce(v, r, t->address, ec, t->flags & 4);
}

/* A syscall from guest user mode goes to the guest kernel's callback. */
static void pv_syscall_from_user(struct vcpu *v, struct cpu_regs *r)
{
    if ( !v->arch.syscall_callback )
    {
        /* No callback: #UD at the syscall instruction (reference §3.3). */
        r->rip -= 2;
        pv_inject_trap(v, r, 6, -1);
        return;
    }
    r->rflags &= ~X86_EFLAGS_DF;
    pv_bounce(v, r, v->arch.syscall_callback, -1, v->arch.syscall_masks_events);
}

/*
 * HYPERVISOR_iret: pop the iret_context the guest left on its stack
 * (reference §3.4).  Never returns a value: the frame becomes the context.
 */
static void pv_iret(struct vcpu *v, struct cpu_regs *r)
{
    struct iret_context c;

    if ( copy_from_guest(&c, r->rsp, sizeof(c)) )
    {
        domain_crash(v->domain, "iret: cannot read the frame at %#lx",
                     (unsigned long)r->rsp);
        return;
    }
    /*
     * iretq would fault in ring 0 on a non-canonical rip or on a selector
     * the guest may not load: refuse them here (the only code and stack
     * selectors a guest has until set_gdt exists are the flat ones).
     */
    c.cs &= 0xffff; /* bits 32-39 may still hold a saved upcall mask */
    c.ss &= 0xffff;
    if ( !is_canonical(c.rip) ||
         ((c.cs | 3) != FLAT_RING3_CS64 && (c.cs | 3) != FLAT_RING3_CS32) ||
         (c.ss | 3) != FLAT_RING3_SS64 )
    {
        domain_crash(v->domain,
                     "iret to an impossible context: rip %#lx "
                     "cs %#lx ss %#lx",
                     (unsigned long)c.rip, (unsigned long)c.cs,
                     (unsigned long)c.ss);
        return;
    }
    if ( (c.cs & 3) == 3 && v->arch.kernel_mode )
    {
        if ( !v->arch.guest_table_user )
        {
            domain_crash(v->domain, "iret to user mode without a user "
                                    "page table");
            return;
        }
        toggle_guest_mode(v);
    }
    r->rip = c.rip;
    r->cs = c.cs | 3;
    r->rsp = c.rsp;
    r->ss = c.ss | 3;
    r->rflags =
        (c.rflags & ~(X86_EFLAGS_IOPL | X86_EFLAGS_VM)) | X86_EFLAGS_IF | 2;
    if ( !(c.flags & VGCF_in_syscall) )
    {
        r->r11 = c.r11;
        r->rcx = c.rcx;
    }
    else
    {
        /* What sysretq leaves, which is how Xen returns here. */
        r->rcx = r->rip;
        r->r11 = r->rflags;
    }
    if ( v->vcpu_info )
        v->vcpu_info->evtchn_upcall_mask = !(c.rflags & X86_EFLAGS_IF);
    r->rax = c.rax;
}

/* Called from lstar_enter with interrupts disabled. */
void do_syscall_entry(struct cpu_regs *r)
{
    struct vcpu *v = current;
    unsigned long args[5], nr;

    local_irq_enable();
    if ( !v->arch.kernel_mode )
    {
        pv_syscall_from_user(v, r);
        local_irq_disable();
        return;
    }
    if ( r->rax == __HYPERVISOR_iret )
    {
        pv_iret(v, r);
        local_irq_disable();
        return;
    }
    args[0] = r->rdi;
    args[1] = r->rsi;
    args[2] = r->rdx;
    args[3] = r->r10;
    args[4] = r->r8;
    r->rax = hypercall_dispatch(r->rax, args);
    if ( hypercall_take_continuation(&nr, args) )
    {
        /* Re-execute the syscall with the new arguments (reference §2.4). */
        r->rax = nr;
        r->rdi = args[0];
        r->rsi = args[1];
        r->rdx = args[2];
        r->r10 = args[3];
        r->r8 = args[4];
        r->rip -= 2;
    }
    local_irq_disable();
}

/*
 * Last stop before a guest runs (interrupts disabled): deferred work,
 * scheduling, event upcall.  Loops until nothing is left to do.
 */
void leave_to_guest(void)
{
    for ( ;; )
    {
        struct vcpu *v;

        process_pending_softirqs();
        if ( softirq_test_and_clear(SCHEDULE_SOFTIRQ) || !current ||
             current->state != VCPU_RUNNING )
        {
            schedule();
            continue;
        }
        v = current;
        if ( vcpu_event_deliverable(v) )
            pv_bounce(v, guest_cpu_regs(), v->arch.event_callback, -1, true);
        if ( softirq_pending(smp_processor_id()) )
            continue;
        return;
    }
}
