/*
 * x86-64 PV execution: entry and exit, bounce frames, emulation.
 */
#ifndef ASM_PV_H
#define ASM_PV_H

#include <hv/domain.h>
#include <asm/regs.h>

#define TRAP_syscall 256 /* entry_vector of a frame built by lstar_enter */

#define X86_EFLAGS_TF   (1UL << 8)
#define X86_EFLAGS_DF   (1UL << 10)
#define X86_EFLAGS_IOPL (3UL << 12)
#define X86_EFLAGS_NT   (1UL << 14)
#define X86_EFLAGS_RF   (1UL << 16)
#define X86_EFLAGS_VM   (1UL << 17)
#define X86_EFLAGS_AC   (1UL << 18)

/* The guest frame of this CPU: just below cpu_info. */
struct cpu_regs *guest_cpu_regs(void);

void pv_cpu_init(void); /* syscall MSRs, CR4 bits for guests */

/*
 * Build a bounce frame on the guest kernel stack and point the frame at
 * target (reference §4.2).  ec < 0: no error code.  Crashes the domain
 * (and returns false) when that is impossible.
 */
bool pv_bounce(struct vcpu *v, struct cpu_regs *r, uint64_t target, long ec,
               bool mask_events);
/* Deliver exception/interrupt vector through the guest's trap table. */
void pv_inject_trap(struct vcpu *v, struct cpu_regs *r, unsigned int vector,
                    long ec);
/* An exception taken in ring 3 (guest kernel or user). */
void pv_do_trap(struct cpu_regs *r);
void toggle_guest_mode(struct vcpu *v);
void pv_show_guest_state(const struct vcpu *v, const struct cpu_regs *r);

/* pv_emul.c */
bool pv_emulate_forced_cpuid(struct vcpu *v, struct cpu_regs *r);
bool pv_emulate_privileged(struct vcpu *v, struct cpu_regs *r);
void pv_cpuid(const struct vcpu *v, uint32_t leaf, uint32_t sub,
              uint32_t out[4]);

/* mm_pv.c */
int vcpu_set_ldt(struct vcpu *v, uint64_t va, unsigned int ents);
bool pv_ptwr_fault(struct vcpu *v, struct cpu_regs *r, uint64_t cr2,
                   uint32_t ec);
void flush_domain_tlbs(const struct domain *d);
void tlb_load_domain(const struct domain *d, paddr_t cr3);

/* pv_hypercalls.c */
int seg_desc_swap(struct domain *d, const unsigned long *frames,
                  unsigned int nr, unsigned long *held, unsigned int *nr_held);
int vcpu_set_gdt(struct vcpu *v, const unsigned long *frames, unsigned int nr);

/* vcpu.c */
void pv_fpu_nm(struct vcpu *v, struct cpu_regs *r);
void pv_fpu_set_virt_ts(struct vcpu *v, bool ts);
void update_vcpu_time(struct vcpu *v);

#endif /* ASM_PV_H */
