/*
 * x86-64 processor primitives: CPUID, MSRs, control registers, port I/O.
 */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

#include <hv/types.h>
#include <asm/system.h>

#define X86_CR0_PE (1UL << 0)
#define X86_CR0_MP (1UL << 1)
#define X86_CR0_EM (1UL << 2)
#define X86_CR0_TS (1UL << 3)
#define X86_CR0_NE (1UL << 5)
#define X86_CR0_WP (1UL << 16)
#define X86_CR0_PG (1UL << 31)

#define X86_CR4_PAE        (1UL << 5)
#define X86_CR4_PGE        (1UL << 7)
#define X86_CR4_OSFXSR     (1UL << 9)
#define X86_CR4_OSXMMEXCPT (1UL << 10)
#define X86_CR4_SMEP       (1UL << 20)

#define MSR_EFER         0xc0000080
#define EFER_SCE         (1UL << 0)
#define EFER_LME         (1UL << 8)
#define EFER_NXE         (1UL << 11)
#define MSR_APIC_BASE    0x0000001b
#define APIC_BASE_ENABLE (1UL << 11)
#define APIC_BASE_BSP    (1UL << 8)

#define X86_EFLAGS_IF (1UL << 9)

struct cpuid_regs
{
    uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid_count(uint32_t leaf, uint32_t sub)
{
    struct cpuid_regs r;

    __asm__ volatile("cpuid"
                     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                     : "0"(leaf), "2"(sub));
    return r;
}

static inline struct cpuid_regs cpuid(uint32_t leaf)
{
    return cpuid_count(leaf, 0);
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t val)
{
    __asm__ volatile("wrmsr" ::"c"(msr), "a"((uint32_t)val),
                     "d"((uint32_t)(val >> 32)));
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

#define DEFINE_CR(n)                                             \
    static inline unsigned long read_cr##n(void)                 \
    {                                                            \
        unsigned long v;                                         \
        __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));        \
        return v;                                                \
    }                                                            \
    static inline void write_cr##n(unsigned long v)              \
    {                                                            \
        __asm__ volatile("mov %0, %%cr" #n ::"r"(v) : "memory"); \
    }
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;

    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port));
}

static inline void halt(void)
{
    __asm__ volatile("hlt" ::: "memory");
}

/* Enable interrupts and halt atomically (sti's one-instruction shadow). */
static inline void safe_halt(void)
{
    __asm__ volatile("sti; hlt" ::: "memory");
}

static inline void invlpg(unsigned long va)
{
    __asm__ volatile("invlpg (%0)" ::"r"(va) : "memory");
}

/*
 * Flush this CPU's TLB, global entries included: guest user mappings are
 * global (as under Xen), so a CR3 write alone would keep them.  Toggling
 * CR4.PGE drops everything; interrupts stay off between the two writes.
 */
static inline void flush_tlb_local(void)
{
    unsigned long flags = local_irq_save();
    unsigned long cr4 = read_cr4();

    if ( cr4 & X86_CR4_PGE )
    {
        write_cr4(cr4 & ~X86_CR4_PGE);
        write_cr4(cr4);
    }
    else
        write_cr3(read_cr3());
    local_irq_restore(flags);
}

#endif /* ASM_PROCESSOR_H */
