/*
 * Time scales: counter ticks to nanoseconds (see hv/time.h).
 *
 * Locking: none; pure functions.
 */
#include <hv/time.h>

void time_scale_set(struct time_scale *ts, uint64_t ticks_per_sec)
{
    uint64_t tps = ticks_per_sec;
    int shift = 0;

    /* Bring the rate into (NSEC_PER_SEC, 2 * NSEC_PER_SEC] ... */
    while ( tps > 2 * NSEC_PER_SEC )
    {
        tps >>= 1;
        shift--;
    }
    while ( tps <= NSEC_PER_SEC )
    {
        tps <<= 1;
        shift++;
    }
    /* ... so that NSEC_PER_SEC / tps is a fraction below one. */
    ts->mul_frac = (uint32_t)((NSEC_PER_SEC << 32) / tps);
    ts->shift = shift;
}

uint64_t time_scale_delta(uint64_t delta, const struct time_scale *ts)
{
    if ( ts->shift < 0 )
        delta >>= -ts->shift;
    else
        delta <<= ts->shift;
    return (uint64_t)(((unsigned __int128)delta * ts->mul_frac) >> 32);
}

uint64_t time_mktime(unsigned int year, unsigned int mon, unsigned int day,
                     unsigned int hour, unsigned int min, unsigned int sec)
{
    /* Days from 1970-01-01 to year-mon-day, counting March as month 0. */
    uint64_t y = year - (mon <= 2), m = mon <= 2 ? mon + 9 : mon - 3;
    uint64_t days = 365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 +
                    day - 1 - 719468;

    return ((days * 24 + hour) * 60 + min) * 60 + sec;
}
