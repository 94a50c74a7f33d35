/*
 * Softirqs: work an interrupt handler defers to a safe point, run with
 * interrupts enabled and no locks held, on the way back to a guest or in
 * the idle loop.
 *
 * Locking: the pending mask is per CPU and changed with atomics; another
 * CPU may raise a softirq here (it then sends a wake IPI).
 */
#ifndef HV_SOFTIRQ_H
#define HV_SOFTIRQ_H

#include <hv/types.h>

enum softirq
{
    TIMER_SOFTIRQ = 0, /* run due timers */
    SCHEDULE_SOFTIRQ,  /* pick the next vCPU */
    NR_SOFTIRQS
};

void raise_softirq(enum softirq nr);                       /* this CPU */
void cpu_raise_softirq(unsigned int cpu, enum softirq nr); /* any CPU */
bool softirq_pending(unsigned int cpu);
bool softirq_test_and_clear(enum softirq nr); /* this CPU */

/*
 * Run pending softirqs of this CPU (except SCHEDULE, which the caller
 * handles) until none is left.  Called with interrupts disabled; enables
 * them while handlers run; returns with them disabled.
 */
void process_pending_softirqs(void);

/* Provided by the architecture: make cpu notice new softirqs. */
void arch_cpu_kick(unsigned int cpu);

#endif /* HV_SOFTIRQ_H */
