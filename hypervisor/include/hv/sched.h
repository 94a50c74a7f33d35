/*
 * Scheduling: which vCPU each CPU runs.
 *
 * The policy sits behind struct sched_ops (round-robin today; the credit
 * scheduler later).  Scheduling decisions are taken in schedule() on the way
 * back to a guest, when SCHEDULE_SOFTIRQ is pending.
 *
 * Locking: each CPU's run queue has its own lock, taken with interrupts
 * disabled; a vCPU's state is protected by the lock of its processor.
 */
#ifndef HV_SCHED_H
#define HV_SCHED_H

#include <hv/domain.h>

struct sched_ops
{
    const char *name;
    void (*insert)(unsigned int cpu, struct vcpu *v); /* make runnable */
    struct vcpu *(*pick)(unsigned int cpu);           /* dequeue next */
    void (*remove)(unsigned int cpu, struct vcpu *v); /* leave the queue */
};

extern const struct sched_ops sched_rr_ops;

#define SCHED_SLICE_NS 10000000LL /* 10 ms */

void sched_init_cpu(unsigned int cpu);
/* Place a new vCPU on a CPU (round-robin over online CPUs). */
void sched_add_vcpu(struct vcpu *v);
/* The vCPU is being freed (it is on no run queue). */
void sched_del_vcpu(struct vcpu *v);
/*
 * Move a vCPU that has never run (VCPU_DOWN, timers idle) to the online CPU
 * of mask (bit n = CPU n, nbits bits) with the fewest vCPUs placed on it.
 * Returns that CPU, -EINVAL when mask has no online CPU, -EBUSY when v has
 * run.
 */
int sched_place_vcpu(struct vcpu *v, const uint64_t *mask, unsigned int nbits);

/* v may run (online, domain running, not paused): queue it if idle. */
void vcpu_wake(struct vcpu *v);
/* The current vCPU waits for an event (SCHEDOP_block). */
void vcpu_block(struct vcpu *v);
/* Take v off the CPU (pause, down, shutdown); it is requeued on wake. */
void vcpu_sleep(struct vcpu *v);
void vcpu_yield(struct vcpu *v);
bool vcpu_runnable(const struct vcpu *v);

/*
 * Pick the next vCPU for this CPU and switch to it; with nothing runnable,
 * idle here until something is.  Called with interrupts disabled from the
 * return-to-guest path; returns with the vCPU to resume in current.
 */
void schedule(void);

/* Provided by the architecture. */
void context_switch(struct vcpu *prev, struct vcpu *next);
void cpu_idle_wait(void); /* irqs off: halt until work, run softirqs */
/* Refresh a vCPU's registered runstate copy (it must be current). */
void vcpu_runstate_publish(struct vcpu *v);
extern unsigned int nr_cpus_online;

#endif /* HV_SCHED_H */
