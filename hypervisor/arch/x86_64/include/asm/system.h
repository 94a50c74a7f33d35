/*
 * x86-64 interrupt-flag and barrier primitives.
 */
#ifndef ASM_SYSTEM_H
#define ASM_SYSTEM_H

#include <hv/types.h>

static inline void cpu_relax(void)
{
    __asm__ volatile("pause" ::: "memory");
}

/*
 * A spinlock waiter also does the TLB flushes other CPUs asked of it
 * (hv/tlb.h): a CPU that waits for our flush while holding the lock we
 * spin on, perhaps with interrupts off on our side, then still gets it.
 */
void tlb_service(void);

static inline void lock_relax(void)
{
    tlb_service();
    cpu_relax();
}

static inline unsigned long local_irq_save(void)
{
    unsigned long flags;

    __asm__ volatile("pushf; pop %0; cli" : "=r"(flags)::"memory");
    return flags;
}

static inline void local_irq_restore(unsigned long flags)
{
    __asm__ volatile("push %0; popf" ::"r"(flags) : "memory", "cc");
}

static inline void local_irq_enable(void)
{
    __asm__ volatile("sti" ::: "memory");
}

static inline void local_irq_disable(void)
{
    __asm__ volatile("cli" ::: "memory");
}

static inline bool local_irq_is_enabled(void)
{
    unsigned long flags;

    __asm__ volatile("pushf; pop %0" : "=r"(flags));
    return flags & (1UL << 9);
}

#define smp_mb()  __asm__ volatile("mfence" ::: "memory")
#define smp_rmb() __asm__ volatile("" ::: "memory") /* x86 TSO */
#define smp_wmb() __asm__ volatile("" ::: "memory") /* x86 TSO */
#define barrier() __asm__ volatile("" ::: "memory")

#endif /* ASM_SYSTEM_H */
