/*
 * Time: system time from vcpu_time_info, wall clock from shared_info
 *
 * Locking: none; both records are written by the hypervisor with a version
 * counter that is odd during an update, so readers copy and retry.
 */
#include <rt/events.h>
#include <rt/rt.h>
#include <rt/time.h>

uint64_t xen_tsc_to_ns(uint64_t delta, uint32_t mul, int8_t shift)
{
    if ( shift < 0 )
        delta >>= -shift;
    else
        delta <<= shift;
    return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

void xen_time_snapshot(struct vcpu_time_info *out)
{
    volatile struct vcpu_time_info *t = &xen_vcpu_info()->time;
    uint32_t version;

    do
    {
        version = t->version;
        rmb();
        out->tsc_timestamp = t->tsc_timestamp;
        out->system_time = t->system_time;
        out->tsc_to_system_mul = t->tsc_to_system_mul;
        out->tsc_shift = t->tsc_shift;
        out->flags = t->flags;
        rmb();
    } while ( (version & 1) || version != t->version );
    out->version = version;
}

uint64_t xen_system_time(void)
{
    struct vcpu_time_info t;
    uint64_t tsc;

    xen_time_snapshot(&t);
    tsc = xen_rdtsc();
    if ( tsc < t.tsc_timestamp )
        return t.system_time;
    return t.system_time + xen_tsc_to_ns(tsc - t.tsc_timestamp,
                                         t.tsc_to_system_mul, t.tsc_shift);
}

void xen_wallclock_base(uint64_t *sec, uint32_t *nsec)
{
    volatile shared_info_t *s = xen_shared_info();
    uint32_t version;

    do
    {
        version = s->wc_version;
        rmb();
        *sec = ((uint64_t)s->wc_sec_hi << 32) | s->wc_sec;
        *nsec = s->wc_nsec;
        rmb();
    } while ( (version & 1) || version != s->wc_version );
}

void xen_wallclock_now(uint64_t *sec, uint32_t *nsec)
{
    uint64_t base_sec, ns;
    uint32_t base_nsec;

    xen_wallclock_base(&base_sec, &base_nsec);
    ns = xen_system_time() + base_nsec;
    *sec = base_sec + ns / 1000000000ULL;
    *nsec = ns % 1000000000ULL;
}
