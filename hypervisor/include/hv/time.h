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

/*
 * Seconds since 1970-01-01 00:00:00 UTC for a date in the proleptic
 * Gregorian calendar (year >= 1970, mon 1-12, day 1-31).  No validation
 * beyond that: callers check what the RTC gave them.
 */
uint64_t time_mktime(unsigned int year, unsigned int mon, unsigned int day,
                     unsigned int hour, unsigned int min, unsigned int sec);

#endif /* HV_TIME_H */
