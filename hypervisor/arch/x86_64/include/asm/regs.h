/*
 * The register frame every interrupt and exception entry builds (entry.S).
 * The general registers are in Xen's struct cpu_user_regs order.
 */
#ifndef ASM_REGS_H
#define ASM_REGS_H

#include <hv/types.h>

struct cpu_regs
{
    uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    uint64_t rax, rcx, rdx, rsi, rdi;
    uint32_t error_code;
    uint32_t entry_vector;
    /* pushed by the CPU */
    uint64_t rip, cs, rflags, rsp, ss;
};

#define REGS_OFF_ERROR_CODE (15 * 8)
_Static_assert(__builtin_offsetof(struct cpu_regs, error_code) ==
                   REGS_OFF_ERROR_CODE,
               "entry.S builds this frame");
_Static_assert(sizeof(struct cpu_regs) == 21 * 8, "entry.S builds this frame");

static inline bool regs_from_guest(const struct cpu_regs *r)
{
    return (r->cs & 3) != 0;
}

#endif /* ASM_REGS_H */
