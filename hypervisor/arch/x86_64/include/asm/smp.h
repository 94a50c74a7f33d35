/*
 * Per-CPU identity.
 *
 * As in Xen, a CPU finds its per-CPU data from its stack pointer: every CPU
 * owns a naturally aligned block of STACK_SIZE bytes holding its IST stacks
 * and its primary stack, with struct cpu_info at the very top.  This works
 * on any stack of the block (IST or primary) and never depends on %gs, which
 * belongs to PV guests.
 */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#include <hv/types.h>

#define NR_CPUS     64
#define STACK_ORDER 3
#define STACK_SIZE  (PAGE_SIZE << STACK_ORDER) /* 32 KiB */

/* Stack block layout, in pages from the block's base. */
#define STACK_PAGE_DF      1 /* IST1: double fault */
#define STACK_PAGE_NMI     2 /* IST2: NMI */
#define STACK_PAGE_MC      3 /* IST3: machine check */
#define STACK_PAGE_PRIMARY 4 /* pages 4..7: primary stack */

struct vcpu;

/*
 * At the top of each CPU's stack block.  The guest register frame (struct
 * cpu_regs) sits immediately below it: TSS.rsp0 points here, so every entry
 * from ring 3 builds its frame at the same place.  MSR_KERNEL_GS_BASE holds
 * this structure's address; only the syscall entry uses it (swapgs, two
 * moves, swapgs) and nothing else in the hypervisor touches %gs, so an NMI
 * in that window finds nothing inconsistent.  entry.S knows the offsets.
 */
struct cpu_info
{
    unsigned int cpu_id;
    unsigned int apic_id;
    struct vcpu *curr_vcpu; /* running vCPU, NULL when idle */
    unsigned long scratch;  /* syscall entry: the guest's rsp */
    unsigned long self;     /* this structure's address */
    unsigned long _pad[2];  /* keeps the frame below 16-byte aligned */
};
#define CPUINFO_scratch 16
#define CPUINFO_self    24
_Static_assert(__builtin_offsetof(struct cpu_info, scratch) == CPUINFO_scratch,
               "entry.S");
_Static_assert(__builtin_offsetof(struct cpu_info, self) == CPUINFO_self,
               "entry.S");
_Static_assert(sizeof(struct cpu_info) == 48, "head.S and entry.S");

static inline struct cpu_info *get_cpu_info(void)
{
    unsigned long sp;

    __asm__("mov %%rsp, %0" : "=r"(sp));
    return (struct cpu_info *)((sp | (STACK_SIZE - 1)) + 1 -
                               sizeof(struct cpu_info));
}

#define current (get_cpu_info()->curr_vcpu)

static inline unsigned int smp_processor_id(void)
{
    return get_cpu_info()->cpu_id;
}

#endif /* ASM_SMP_H */
