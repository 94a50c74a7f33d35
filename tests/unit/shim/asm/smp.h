/*
 * Host stand-in for asm/smp.h: the "current CPU" and the current vCPU are
 * globals a test sets.
 */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#include <hv/types.h>

#define NR_CPUS 64

extern __thread unsigned int shim_cpu_id;

/* The vCPU the hypervisor is running for: a test sets it per call. */
struct vcpu;
extern struct vcpu *shim_current;
#define current shim_current

static inline unsigned int smp_processor_id(void)
{
    return shim_cpu_id;
}

#endif /* ASM_SMP_H */
