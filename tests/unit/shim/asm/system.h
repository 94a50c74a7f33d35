/*
 * Host stand-in for asm/system.h: interrupts do not exist in a test process,
 * so the interrupt-flag operations do nothing; barriers are compiler fences.
 */
#ifndef ASM_SYSTEM_H
#define ASM_SYSTEM_H

#include <hv/types.h>

static inline void cpu_relax(void)
{
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
}

/* No other CPU asks this process for TLB flushes. */
static inline void lock_relax(void)
{
    cpu_relax();
}

static inline unsigned long local_irq_save(void)
{
    return 0;
}

static inline void local_irq_restore(unsigned long flags)
{
    (void)flags;
}

static inline void local_irq_enable(void)
{
}

static inline void local_irq_disable(void)
{
}

static inline bool local_irq_is_enabled(void)
{
    return true;
}

#define smp_mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define barrier() __asm__ volatile("" ::: "memory")

#endif /* ASM_SYSTEM_H */
