/*
 * One-shot software timers, per CPU.
 *
 * A timer belongs to one CPU and its function runs there, in the timer
 * softirq, with interrupts enabled and no locks held.  Each CPU keeps its
 * pending timers in a binary heap ordered by expiry; the earliest deadline
 * is programmed into the CPU's hardware timer through arch_timer_program().
 *
 * Locking: one lock per CPU protects its heap; a timer's fields are changed
 * only under the lock of the CPU it belongs to.
 */
#ifndef HV_TIMER_H
#define HV_TIMER_H

#include <hv/types.h>

struct timer
{
    s_time_t expires;
    void (*function)(void *data);
    void *data;
    unsigned int cpu;
    unsigned int heap_index; /* position in the CPU's heap, 0 = inactive,
                                TIMER_OVERFLOW = on the overflow list */
    uint64_t seq;            /* arming order: breaks ties in expires */
    struct timer *ovf_next;  /* overflow list link (heap full) */
};

#define TIMER_OVERFLOW (~0U)

/* Set up the per-CPU timer queue; call once per CPU before use. */
int timer_cpu_init(unsigned int cpu);

void init_timer(struct timer *t, void (*fn)(void *), void *data,
                unsigned int cpu);
/* (Re)arm t to fire at expires (system time, ns).  Never fails. */
void set_timer(struct timer *t, s_time_t expires);
void stop_timer(struct timer *t);
bool timer_is_active(const struct timer *t);

/*
 * Run every timer of this CPU whose expiry is at or before now, earliest
 * first (ties in arming order), then program the next deadline.  Called from
 * the timer interrupt path.
 */
void timer_run(unsigned int cpu, s_time_t now);

/* Earliest deadline of cpu, or STIME_MAX when nothing is pending. */
s_time_t timer_next_deadline(unsigned int cpu);

/* Provided by the architecture. */
s_time_t NOW(void);
void arch_timer_program(unsigned int cpu, s_time_t deadline);

#endif /* HV_TIMER_H */
