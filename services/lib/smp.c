/*
 * Secondary vCPUs: their starting context and the current vCPU's id
 *
 * Locking: none; see rt/smp.h.  A slot is filled before the vCPU it names
 * is initialised and never changes while that vCPU can run.
 */
#include <string.h>

#include <public/sched.h>
#include <public/vcpu.h>
#include <rt/rt.h>
#include <rt/smp.h>

static struct
{
    uintptr_t lo, hi; /* the vCPU's stack */
    xen_vcpu_fn_t fn;
    void *arg;
} slots[XEN_RT_MAX_VCPUS];

/* Entry of a secondary vCPU (entry.S): aligns rsp, calls xen_vcpu_main. */
extern char xen_vcpu_entry[];
void xen_vcpu_main(void);

unsigned int xen_vcpu_id(void)
{
    uintptr_t sp;

    __asm__("mov %%rsp, %0" : "=r"(sp));
    for ( unsigned int i = 1; i < XEN_RT_MAX_VCPUS; i++ )
        if ( sp >= slots[i].lo && sp < slots[i].hi )
            return i;
    return 0;
}

int xen_vcpu_context(struct vcpu_guest_context *ctx, unsigned int id,
                     xen_vcpu_fn_t fn, void *arg, void *stack, size_t size)
{
    uintptr_t top = ((uintptr_t)stack + size) & ~15UL;

    if ( id == 0 || id >= XEN_RT_MAX_VCPUS || size < PAGE_SIZE )
        return -1;
    slots[id].lo = (uintptr_t)stack;
    slots[id].hi = (uintptr_t)stack + size;
    slots[id].fn = fn;
    slots[id].arg = arg;

    memset(ctx, 0, sizeof(*ctx));
    ctx->flags = VGCF_in_kernel;
    ctx->user_regs.rip = (uint64_t)xen_vcpu_entry;
    ctx->user_regs.rsp = top;
    ctx->user_regs.cs = FLAT_KERNEL_CS;
    ctx->user_regs.ss = FLAT_KERNEL_SS;
    ctx->user_regs.rflags = 0x202;
    ctx->kernel_ss = FLAT_KERNEL_SS;
    ctx->kernel_sp = top;
    /* CR3 format: the L4's machine frame << 12 (xen_pfn_to_cr3). */
    ctx->ctrlreg[3] = xen_virt_to_mfn((void *)xen_start_info->pt_base)
                      << PAGE_SHIFT;
    ctx->debugreg[6] = 0xffff0ff0;
    ctx->debugreg[7] = 0x400;
    xen_traps_fill_context(ctx);
    return 0;
}

void xen_vcpu_main(void)
{
    unsigned int id = xen_vcpu_id();

    if ( id == 0 || !slots[id].fn )
        xen_panic("secondary vCPU started on an unknown stack");
    slots[id].fn(slots[id].arg);
    for ( ;; )
        HYPERVISOR_vcpu_op(VCPUOP_down, id, 0);
}
