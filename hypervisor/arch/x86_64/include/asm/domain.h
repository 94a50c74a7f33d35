/*
 * x86-64 PV state of a vCPU and a domain.
 *
 * Locking: a vCPU's arch state is touched only by the CPU running it, or
 * by anyone while the vCPU is descheduled and its domain paused.
 */
#ifndef ASM_DOMAIN_H
#define ASM_DOMAIN_H

#include <hv/types.h>
#include <asm/regs.h>

struct virt_trap
{
    uint64_t address; /* 0 = no handler */
    uint8_t flags;    /* trap_info flags: DPL bits 0-1, mask events bit 2 */
};

struct arch_vcpu
{
    struct cpu_regs regs;     /* guest registers while not running */
    bool kernel_mode;         /* guest kernel (true) or guest user mode */
    paddr_t guest_table;      /* kernel L4, machine address */
    paddr_t guest_table_user; /* user L4, 0 = none */

    struct virt_trap trap[256];
    uint64_t event_callback, failsafe_callback, syscall_callback;
    bool failsafe_masks_events, syscall_masks_events;
    uint64_t kernel_sp;
    uint16_t kernel_ss;

    uint64_t fs_base, gs_base_kernel, gs_base_user;
    unsigned int iopl;             /* virtual IOPL (PHYSDEVOP_set_iopl) */
    uint64_t dr[8];                /* debug registers as the guest set them */
    struct page_info *pt_deferred; /* page-table work left by preemption */
    unsigned long gdt_frames[14];  /* set_gdt: seg_desc references held */
    unsigned int nr_gdt_frames;
    unsigned long ldt_frames[16]; /* MMUEXT_SET_LDT: seg_desc references */
    unsigned int nr_ldt_frames, ldt_ents;
    struct page_info *vcpu_info_pg; /* registered vcpu_info frame, referenced */

    /* FPU/SSE: lazily switched (CR0.TS). */
    uint8_t fpu[512] __attribute__((aligned(16)));
    bool fpu_initialised; /* has state of its own (else fninit on use) */
    bool fpu_virt_ts;     /* guest's virtual CR0.TS (fpu_taskswitch) */
};

struct arch_domain
{
    unsigned long vm_assist; /* VMASST_TYPE_* bits enabled */
};

#endif /* ASM_DOMAIN_H */
