/*
 * Softirqs (see hv/softirq.h).
 *
 * Locking: pending masks are changed with atomic bit operations only.
 */
#include <hv/lib.h>
#include <hv/softirq.h>
#include <hv/timer.h>
#include <asm/smp.h>
#include <asm/system.h>

static unsigned long pending[NR_CPUS];

void cpu_raise_softirq(unsigned int cpu, enum softirq nr)
{
    /* Release: the work described before raising is visible to cpu. */
    __atomic_fetch_or(&pending[cpu], 1UL << nr, __ATOMIC_RELEASE);
    if ( cpu != smp_processor_id() )
        arch_cpu_kick(cpu);
}

void raise_softirq(enum softirq nr)
{
    __atomic_fetch_or(&pending[smp_processor_id()], 1UL << nr,
                      __ATOMIC_RELEASE);
}

bool softirq_test_and_clear(enum softirq nr)
{
    unsigned long m = 1UL << nr;

    return __atomic_fetch_and(&pending[smp_processor_id()], ~m,
                              __ATOMIC_ACQUIRE) &
           m;
}

bool softirq_pending(unsigned int cpu)
{
    return __atomic_load_n(&pending[cpu], __ATOMIC_ACQUIRE) != 0;
}

void process_pending_softirqs(void)
{
    unsigned int cpu = smp_processor_id();

    for ( ;; )
    {
        /* Acquire: pairs with the release in cpu_raise_softirq(). */
        unsigned long todo = __atomic_fetch_and(
            &pending[cpu], 1UL << SCHEDULE_SOFTIRQ, __ATOMIC_ACQUIRE);

        todo &= ~(1UL << SCHEDULE_SOFTIRQ);
        if ( !todo )
            return;
        local_irq_enable();
        if ( todo & (1UL << TIMER_SOFTIRQ) )
            timer_run(cpu, NOW());
        local_irq_disable();
    }
}
