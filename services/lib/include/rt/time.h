/*
 * Time: system time from vcpu_time_info, wall clock from shared_info
 *
 * Locking: none; readers follow the version protocol (retry while the
 * version is odd or changed).
 */
#ifndef RT_TIME_H
#define RT_TIME_H

#include <stdint.h>

#include <public/xen.h>

static inline uint64_t xen_rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* Scale a TSC delta to ns the way the ABI says (shift, then 32.32 mul). */
uint64_t xen_tsc_to_ns(uint64_t delta, uint32_t mul, int8_t shift);

/* Consistent copy of the calling vCPU's time record. */
void xen_time_snapshot(struct vcpu_time_info *out);

/* ns since the hypervisor booted. */
uint64_t xen_system_time(void);

/* Wall clock at system time 0 (consistent copy). */
void xen_wallclock_base(uint64_t *sec, uint32_t *nsec);

/* Current wall-clock time. */
void xen_wallclock_now(uint64_t *sec, uint32_t *nsec);

#endif /* RT_TIME_H */
