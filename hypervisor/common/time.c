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
