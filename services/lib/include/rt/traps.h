/*
 * Exceptions: the trap table, the frame handlers see, fault fix-ups
 *
 * Locking: none; single vCPU.  The runtime registers a handler for vectors
 * 0-19 and 0x80 (DPL 3 for int3, into and 0x80, 0 otherwise), all with
 * events masked on entry.  A fault is handled, in order, by: a fix-up entry
 * (XEN_EXTABLE) matching the frame's rip, a per-vector hook, else the
 * domain panics with a register dump.  Handlers return to the interrupted
 * context with HYPERVISOR_iret.
 */
#ifndef RT_TRAPS_H
#define RT_TRAPS_H

#include <stdint.h>

/* What the entry stubs save; a handler may change any field. */
struct trap_frame
{
    uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    uint64_t rax, rcx, rdx, rsi, rdi;
    uint64_t vector;     /* 0-255, or XEN_EVENT_VECTOR for an upcall */
    uint64_t error_code; /* 0 for vectors without one */
    uint64_t rip;
    uint64_t cs;     /* bits 32-39: saved upcall mask; RPL 0 = kernel */
    uint64_t rflags; /* IF = events were enabled */
    uint64_t rsp;
    uint64_t ss;
};

#define XEN_EVENT_VECTOR (~0ULL)

#define X86_EXC_DE  0
#define X86_EXC_DB  1
#define X86_EXC_NMI 2
#define X86_EXC_BP  3
#define X86_EXC_OF  4
#define X86_EXC_BR  5
#define X86_EXC_UD  6
#define X86_EXC_NM  7
#define X86_EXC_DF  8
#define X86_EXC_TS  10
#define X86_EXC_NP  11
#define X86_EXC_SS  12
#define X86_EXC_GP  13
#define X86_EXC_PF  14
#define X86_EXC_MF  16
#define X86_EXC_AC  17
#define X86_EXC_MC  18
#define X86_EXC_XM  19

/*
 * Fix-up table: when an exception's rip equals "from", execution resumes at
 * "to" and the exception is recorded in xen_last_trap.  For traps (int3,
 * into, int $n) rip is the address after the instruction.
 *
 *   asm volatile("1: ud2; 2:" XEN_EXTABLE(1b, 2b));
 */
#define XEN_EXTABLE(from, to)                                                 \
    "\n\t.pushsection .ex_table, \"a\"\n\t.balign 8\n\t.quad " #from ", " #to \
    "\n\t.popsection\n\t"

struct xen_trap_record
{
    uint64_t count; /* exceptions fixed up so far */
    uint64_t vector;
    uint64_t error_code;
    uint64_t rip;
    uint64_t cr2; /* #PF only: vcpu_info.arch.cr2 */
    uint64_t cs, rflags;
};
extern volatile struct xen_trap_record xen_last_trap;

/* Hook for a vector: return nonzero when the frame has been dealt with. */
typedef int (*xen_trap_hook_t)(struct trap_frame *frame);
void xen_trap_set_hook(unsigned int vector, xen_trap_hook_t hook);

void xen_traps_init(void);
void xen_dump_frame(const struct trap_frame *frame);

#endif /* RT_TRAPS_H */
