/*
 * Decoding the store instructions a PV kernel uses to write its own page
 * tables (the writable-page-table assist): mov, xchg and cmpxchg to
 * memory.  The instruction bytes come from the guest and are hostile:
 * decoding never reads past avail and refuses anything it does not fully
 * understand (the caller then delivers the original #PF).
 */
#ifndef HV_X86_STORE_H
#define HV_X86_STORE_H

#include <hv/types.h>

enum x86_store_kind
{
    X86_STORE_MOV,     /* memory = value */
    X86_STORE_XCHG,    /* memory = value; register reg = old memory */
    X86_STORE_CMPXCHG, /* if memory == rax: memory = value, else rax = memory */
};

/* General registers in hardware order: rax rcx rdx rbx rsp rbp rsi rdi r8-r15. */
#define X86_NR_GPRS 16

struct x86_store
{
    enum x86_store_kind kind;
    unsigned int len;  /* instruction length in bytes */
    unsigned int size; /* bytes written: 1, 2, 4 or 8 */
    uint64_t addr;     /* linear address written */
    uint64_t value;    /* the value to write (size bytes, zero-extended) */
    unsigned int reg;  /* source register (xchg/cmpxchg results) */
    bool high_byte;    /* reg names ah/ch/dh/bh (legacy 8-bit form) */
};

/*
 * Decode the instruction at insn (avail bytes, at address rip, registers
 * gpr[]) as a store.  Accepted: optional 0x66, 0xf0 (lock) and REX
 * prefixes; 88/89 (mov r/m, reg), c6/c7 /0 (mov r/m, imm), 86/87 (xchg),
 * 0f b0/b1 (cmpxchg); every memory form of ModRM/SIB incl. rip-relative.
 * Refused (-EOPNOTSUPP): segment overrides, register destinations, any
 * other opcode; -EINVAL: the instruction is longer than avail or 15 bytes.
 */
int x86_decode_store(const uint8_t *insn, size_t avail, uint64_t rip,
                     const uint64_t gpr[X86_NR_GPRS], struct x86_store *s);

#endif /* HV_X86_STORE_H */
