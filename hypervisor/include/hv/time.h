/*
 * Converting counter ticks (TSC, LAPIC timer) to nanoseconds with the
 * multiply-and-shift pair Xen publishes to guests in vcpu_time_info:
 *   ns = ((delta << shift) * mul_frac) >> 32     (shift may be negative)
 * Guests compute exactly this, so the hypervisor uses the same routine.
 */
#ifndef HV_TIME_H
#define HV_TIME_H

#include <hv/types.h>

struct time_scale
{
    int shift;
    uint32_t mul_frac;
};

#define NSEC_PER_SEC 1000000000ULL

/* Set ts so time_scale_delta converts ticks at ticks_per_sec (> 0) to ns. */
void time_scale_set(struct time_scale *ts, uint64_t ticks_per_sec);
uint64_t time_scale_delta(uint64_t delta, const struct time_scale *ts);

#endif /* HV_TIME_H */
