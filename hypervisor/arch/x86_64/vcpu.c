/*
 * x86-64 vCPU state: creation, VCPUOP_initialise, context switch, lazy FPU,
 * the guest's time record, and what happens when a domain stops.
 *
 * FPU/SSE: restored lazily (CR0.TS set whenever a vCPU is switched in; the
 * first FPU instruction traps with #NM and loads its state), saved eagerly
 * when a vCPU that used the FPU is switched out, so a vCPU may later run on
 * any CPU.  The hypervisor itself never uses the FPU (-mgeneral-regs-only).
 *
 * Locking: a vCPU's state is changed by the CPU running it; fpu_owner is
 * per CPU.
 */
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/event.h>
#include <hv/mm.h>
#include <hv/pagetype.h>
#include <hv/lib.h>
#include <hv/sched.h>
#include <hv/softirq.h>
#include <hv/time.h>
#include <asm/arch.h>
#include <asm/desc.h>
#include <asm/guest_access.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/smp.h>

#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101

#define FXSAVE_MXCSR  24     /* offset of MXCSR in the fxsave image */
#define MXCSR_DEFINED 0xffbf /* flags, masks, rounding, FZ; not DAZ */

static struct vcpu *fpu_owner[NR_CPUS];

static bool is_canonical(uint64_t a)
{
    return (uint64_t)((int64_t)(a << 16) >> 16) == a;
}

int arch_take_baseptr(struct vcpu *v, unsigned long mfn);
void arch_drop_baseptr(struct vcpu *v, unsigned long mfn);

static void clts(void)
{
    __asm__ volatile("clts" ::: "memory");
}

static void stts(void)
{
    write_cr0(read_cr0() | X86_CR0_TS);
}

static void fpu_save(struct vcpu *v)
{
    clts();
    __asm__ volatile("fxsave64 %0" : "=m"(v->arch.fpu));
    v->arch.fpu_initialised = true;
}

static void fpu_restore(struct vcpu *v)
{
    static const uint32_t mxcsr_default = 0x1f80;

    if ( v->arch.fpu_initialised )
        __asm__ volatile("fxrstor64 %0" ::"m"(v->arch.fpu));
    else
    {
        __asm__ volatile("fninit; ldmxcsr %0" ::"m"(mxcsr_default));
        v->arch.fpu_initialised = true;
    }
}

/* #NM from the guest: load its FPU state, or bounce if it set virtual TS. */
void pv_fpu_nm(struct vcpu *v, struct cpu_regs *r)
{
    unsigned int cpu = smp_processor_id();

    if ( v->arch.fpu_virt_ts )
    {
        pv_inject_trap(v, r, 7, -1);
        return;
    }
    clts();
    if ( fpu_owner[cpu] != v )
    {
        fpu_restore(v);
        fpu_owner[cpu] = v;
    }
}

void pv_fpu_set_virt_ts(struct vcpu *v, bool ts)
{
    v->arch.fpu_virt_ts = ts;
    if ( ts )
        stts();
    else if ( fpu_owner[smp_processor_id()] == v )
        clts();
}

void update_vcpu_time(struct vcpu *v)
{
    struct vcpu_time_info *t;
    struct time_scale ts;
    uint64_t tsc;
    s_time_t now;

    if ( !v->vcpu_info )
        return;
    t = &v->vcpu_info->time;
    arch_time_snapshot(&tsc, &now, &ts);
    /* Version protocol: odd while the record changes (reference §11.2). */
    __atomic_store_n(&t->version, (t->version + 1) | 1, __ATOMIC_RELEASE);
    smp_wmb();
    t->tsc_timestamp = tsc;
    t->system_time = now;
    t->tsc_to_system_mul = ts.mul_frac;
    t->tsc_shift = ts.shift;
    smp_wmb();
    __atomic_store_n(&t->version, t->version + 1, __ATOMIC_RELEASE);
}

/* Switch from prev to next (either may be NULL: the idle state). */
void context_switch(struct vcpu *prev, struct vcpu *next)
{
    struct cpu_regs *frame = guest_cpu_regs();
    unsigned int cpu = smp_processor_id();

    if ( prev )
    {
        prev->arch.regs = *frame;
        prev->arch.fs_base = rdmsr(MSR_FS_BASE);
        if ( prev->arch.kernel_mode )
            prev->arch.gs_base_kernel = rdmsr(MSR_GS_BASE);
        else
            prev->arch.gs_base_user = rdmsr(MSR_GS_BASE);
        if ( fpu_owner[cpu] == prev )
        {
            fpu_save(prev);
            fpu_owner[cpu] = NULL;
        }
    }
    get_cpu_info()->curr_vcpu = next;
    if ( !next )
    {
        write_cr3(paging_idle_cr3());
        gdt_show_guest_frames(NULL, 0);
        ldt_show_guest_frames(NULL, 0, 0);
        return;
    }
    *frame = next->arch.regs;
    gdt_show_guest_frames(next->arch.gdt_frames, next->arch.nr_gdt_frames);
    ldt_show_guest_frames(next->arch.ldt_frames, next->arch.nr_ldt_frames,
                          next->arch.ldt_ents);
    /* Flushes the previous domain's global user entries (mm_pv.c). */
    tlb_load_domain(next->domain, next->arch.kernel_mode
                                      ? next->arch.guest_table
                                      : next->arch.guest_table_user);
    wrmsr(MSR_FS_BASE, next->arch.fs_base);
    wrmsr(MSR_GS_BASE, next->arch.kernel_mode ? next->arch.gs_base_kernel
                                              : next->arch.gs_base_user);
    stts();
    update_vcpu_time(next);
    vcpu_runstate_publish(next);
}

void cpu_idle_wait(void)
{
    cpu_idle_once();
}

int arch_vcpu_create(struct vcpu *v)
{
    v->arch.kernel_mode = true;
    v->arch.dr[6] = 0xffff0ff0;
    v->arch.dr[7] = 0x400;
    return 0;
}

/*
 * VCPUOP_initialise: a vCPU's starting context, for secondary vCPUs.  The
 * context is copied once, then checked: selectors are forced to RPL 3,
 * addresses must be canonical and outside the hypervisor, the page table
 * must be a frame the domain owns.
 */
int arch_vcpu_initialise(struct vcpu *v, uint64_t gva)
{
    struct vcpu_guest_context *c;
    unsigned long cr3_mfn;
    unsigned int i;
    int rc = 0;

    if ( v->arch.guest_table )
        return -EEXIST; /* as Xen: once initialised, always initialised */
    c = xmalloc(struct vcpu_guest_context);
    if ( !c )
        return -ENOMEM;
    if ( copy_from_guest(c, gva, sizeof(*c)) )
    {
        rc = -EFAULT;
        goto out;
    }
    cr3_mfn = c->ctrlreg[3] >> PAGE_SHIFT;
    if ( !(c->flags & VGCF_in_kernel) && !c->ctrlreg[1] )
    {
        rc = -EINVAL;
        goto out;
    }
    if ( !is_canonical(c->user_regs.rip) )
    {
        rc = -EINVAL; /* a non-canonical rip would fault at iretq */
        goto out;
    }
    /* Bases are loaded with wrmsr: canonical only. */
    if ( !is_canonical(c->fs_base) || !is_canonical(c->gs_base_kernel) ||
         !is_canonical(c->gs_base_user) )
    {
        rc = -EINVAL;
        goto out;
    }
    if ( c->flags & VGCF_i387_valid )
    {
        uint32_t mxcsr;

        /* fxrstor would fault in ring 0 on reserved MXCSR bits. */
        memcpy(&mxcsr, c->fpu_ctxt.x + FXSAVE_MXCSR, sizeof(mxcsr));
        if ( mxcsr & ~MXCSR_DEFINED )
        {
            rc = -EINVAL;
            goto out;
        }
    }

    /*
     * The hardware will walk these frames as L4s: each must validate as one
     * (a type reference held for as long as it is this vCPU's table).
     * Taken last, so nothing else can fail after them.
     */
    if ( arch_take_baseptr(v, cr3_mfn) )
    {
        rc = -EINVAL;
        goto out;
    }
    if ( c->ctrlreg[1] && arch_take_baseptr(v, c->ctrlreg[1] >> PAGE_SHIFT) )
    {
        arch_drop_baseptr(v, cr3_mfn);
        rc = -EINVAL;
        goto out;
    }
    if ( c->gdt_ents > FIRST_RESERVED_GDT_ENTRY ||
         vcpu_set_gdt(v, (const unsigned long *)c->gdt_frames,
                      (c->gdt_ents + 511) / 512) )
    {
        if ( c->ctrlreg[1] )
            arch_drop_baseptr(v, c->ctrlreg[1] >> PAGE_SHIFT);
        arch_drop_baseptr(v, cr3_mfn);
        rc = -EINVAL;
        goto out;
    }

    /* Everything is checked: from here on nothing can fail. */
    memset(&v->arch.regs, 0, sizeof(v->arch.regs));
    v->arch.regs.rip = c->user_regs.rip;
    v->arch.regs.rsp = c->user_regs.rsp;
    v->arch.regs.rax = c->user_regs.rax;
    v->arch.regs.rbx = c->user_regs.rbx;
    v->arch.regs.rcx = c->user_regs.rcx;
    v->arch.regs.rdx = c->user_regs.rdx;
    v->arch.regs.rsi = c->user_regs.rsi;
    v->arch.regs.rdi = c->user_regs.rdi;
    v->arch.regs.rbp = c->user_regs.rbp;
    v->arch.regs.cs = FLAT_KERNEL_CS;
    v->arch.regs.ss = FLAT_KERNEL_SS;
    v->arch.regs.rflags =
        (c->user_regs.rflags & ~(X86_EFLAGS_IOPL | X86_EFLAGS_VM)) |
        X86_EFLAGS_IF | 2;
    for ( i = 0; i < 256; i++ )
        if ( c->trap_ctxt[i].address )
        {
            v->arch.trap[c->trap_ctxt[i].vector].address =
                c->trap_ctxt[i].address;
            v->arch.trap[c->trap_ctxt[i].vector].flags = c->trap_ctxt[i].flags;
        }
    v->arch.kernel_sp = c->kernel_sp;
    v->arch.kernel_ss = c->kernel_ss | 3;
    v->arch.event_callback = c->event_callback_eip;
    v->arch.failsafe_callback = c->failsafe_callback_eip;
    v->arch.syscall_callback = c->syscall_callback_eip;
    v->arch.fs_base = c->fs_base;
    v->arch.gs_base_kernel = c->gs_base_kernel;
    v->arch.gs_base_user = c->gs_base_user;
    v->arch.guest_table = cr3_mfn << PAGE_SHIFT;
    v->arch.guest_table_user = c->ctrlreg[1] & PAGE_MASK;
    v->arch.kernel_mode = true;
    if ( c->flags & VGCF_i387_valid )
    {
        memcpy(v->arch.fpu, c->fpu_ctxt.x, sizeof(v->arch.fpu));
        v->arch.fpu_initialised = true;
    }
out:
    xfree(c);
    return rc;
}

/*
 * When a domain stops.  In test mode the initial domain's end is the end of
 * the run: a clean poweroff passes, anything else fails.
 */
void arch_domain_shutdown_hook(struct domain *d)
{
    static const char *const reasons[] = {
        "poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset"
    };
    const char *why = d->shutdown_reason < ARRAY_SIZE(reasons)
                          ? reasons[d->shutdown_reason]
                          : "unknown";

    printk("d%u: shut down: %s (reason %u, code %u)\n", d->domain_id, why,
           d->shutdown_reason, d->shutdown_code);
    if ( !d->is_initial )
        return;
    if ( !test_mode )
    {
        printk("The initial domain (the builder) is gone: no domain can be "
               "built or restarted any more; the machine idles\n");
        return;
    }
    if ( d->shutdown_reason == SHUTDOWN_poweroff && d->shutdown_code == 0 )
        qemu_exit(QEMU_EXIT_PASS);
    qemu_exit(QEMU_EXIT_FAIL);
}

/* domctl getvcpucontext: v's context (v is not running) to the caller. */
int arch_get_vcpu_context(struct vcpu *v, uint64_t gva)
{
    struct vcpu_guest_context *c = xzalloc(struct vcpu_guest_context);
    const struct cpu_regs *r = &v->arch.regs;
    unsigned int i;
    int rc;

    if ( !c )
        return -ENOMEM;
    c->flags = (v->arch.kernel_mode ? VGCF_in_kernel : 0) |
               (v->online ? VGCF_online : 0) |
               (v->arch.fpu_initialised ? VGCF_i387_valid : 0);
    if ( v->arch.fpu_initialised )
        memcpy(c->fpu_ctxt.x, v->arch.fpu, sizeof(c->fpu_ctxt.x));
    c->user_regs.r15 = r->r15;
    c->user_regs.r14 = r->r14;
    c->user_regs.r13 = r->r13;
    c->user_regs.r12 = r->r12;
    c->user_regs.rbp = r->rbp;
    c->user_regs.rbx = r->rbx;
    c->user_regs.r11 = r->r11;
    c->user_regs.r10 = r->r10;
    c->user_regs.r9 = r->r9;
    c->user_regs.r8 = r->r8;
    c->user_regs.rax = r->rax;
    c->user_regs.rcx = r->rcx;
    c->user_regs.rdx = r->rdx;
    c->user_regs.rsi = r->rsi;
    c->user_regs.rdi = r->rdi;
    c->user_regs.rip = r->rip;
    c->user_regs.cs = r->cs;
    c->user_regs.rflags = r->rflags;
    c->user_regs.rsp = r->rsp;
    c->user_regs.ss = r->ss;
    for ( i = 0; i < 256; i++ )
    {
        c->trap_ctxt[i].vector = i;
        c->trap_ctxt[i].flags = v->arch.trap[i].flags;
        c->trap_ctxt[i].cs = FLAT_KERNEL_CS;
        c->trap_ctxt[i].address = v->arch.trap[i].address;
    }
    for ( i = 0; i < v->arch.nr_gdt_frames; i++ )
        c->gdt_frames[i] = v->arch.gdt_frames[i];
    c->gdt_ents = v->arch.nr_gdt_frames * 512;
    c->kernel_ss = v->arch.kernel_ss;
    c->kernel_sp = v->arch.kernel_sp;
    c->ctrlreg[3] = v->arch.guest_table;
    c->ctrlreg[1] = v->arch.guest_table_user;
    for ( i = 0; i < 8; i++ )
        c->debugreg[i] = v->arch.dr[i];
    c->event_callback_eip = v->arch.event_callback;
    c->failsafe_callback_eip = v->arch.failsafe_callback;
    c->syscall_callback_eip = v->arch.syscall_callback;
    c->vm_assist = v->domain->arch.vm_assist;
    c->fs_base = v->arch.fs_base;
    c->gs_base_kernel = v->arch.gs_base_kernel;
    c->gs_base_user = v->arch.gs_base_user;
    rc = copy_to_guest(gva, c, sizeof(*c)) ? -EFAULT : 0;
    xfree(c);
    return rc;
}
