/*
 * Host stand-in for asm/smp.h: the "current CPU" is a global a test sets.
 */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#include <hv/types.h>

#define NR_CPUS 64

extern unsigned int shim_cpu_id;

static inline unsigned int smp_processor_id(void)
{
    return shim_cpu_id;
}

#endif /* ASM_SMP_H */
