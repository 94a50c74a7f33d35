/*
 * Time: TSC and LAPIC-timer calibration, system time, the per-CPU one-shot
 * hardware timer behind common/timer.c.
 *
 * System time is nanoseconds since boot, from the TSC (assumed invariant and
 * synchronised across CPUs, as QEMU and modern hardware provide).  The TSC
 * rate comes from CPUID leaf 0x15 when it names the crystal, otherwise from
 * the PIT; the LAPIC timer rate is measured against the TSC.
 *
 * Locking: calibration runs once on the boot CPU; afterwards everything here
 * is read-only or per-CPU.
 */
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/lib.h>
#include <hv/time.h>
#include <hv/softirq.h>
#include <hv/timer.h>
#include <asm/apic.h>
#include <asm/arch.h>
#include <asm/processor.h>
#include <asm/smp.h>

#define PIT_HZ           1193182UL
#define PIT_CALIBRATE_MS 20

static uint64_t tsc_boot, tsc_hz, apic_hz;
static struct time_scale tsc_scale;
/* Ticks per nanosecond in 32.32 fixed point: ns -> ticks with no division. */
static uint64_t tsc_per_ns, apic_per_ns;

static uint64_t per_ns_mult(uint64_t hz)
{
    return ((hz / NSEC_PER_SEC) << 32) |
           (((hz % NSEC_PER_SEC) << 32) / NSEC_PER_SEC);
}

static uint64_t ns_to_ticks(uint64_t ns, uint64_t mult)
{
    return (uint64_t)(((unsigned __int128)ns * mult) >> 32);
}

s_time_t NOW(void)
{
    return (s_time_t)time_scale_delta(rdtsc() - tsc_boot, &tsc_scale);
}

/* The TSC, system time and scale at one instant, for a vcpu_time_info. */
void arch_time_snapshot(uint64_t *tsc, s_time_t *now, struct time_scale *ts)
{
    *tsc = rdtsc();
    *now = (s_time_t)time_scale_delta(*tsc - tsc_boot, &tsc_scale);
    *ts = tsc_scale;
}

static uint64_t boot_wallclock; /* seconds since the epoch at NOW() == 0 */

static unsigned int cmos_read(unsigned int reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

static unsigned int bcd(unsigned int v, bool is_bcd)
{
    return is_bcd ? (v & 0xf) + (v >> 4) * 10 : v;
}

/*
 * Read the RTC (UTC, as QEMU and most hypervisor hosts keep it), waiting
 * out an update in progress and reading twice until both reads agree.
 */
static uint64_t rtc_read(void)
{
    unsigned int r[6], prev[6], i, tries = 0;
    bool is_bcd;

    do
    {
        while ( (cmos_read(0x0a) & 0x80) && tries++ < 1000000 )
            cpu_relax();
        for ( i = 0; i < 6; i++ )
            prev[i] = cmos_read((const unsigned int[]){ 0, 2, 4, 7, 8, 9 }[i]);
        for ( i = 0; i < 6; i++ )
            r[i] = cmos_read((const unsigned int[]){ 0, 2, 4, 7, 8, 9 }[i]);
    } while ( memcmp(r, prev, sizeof(r)) && tries++ < 1000000 );
    is_bcd = !(cmos_read(0x0b) & 0x04);
    for ( i = 0; i < 6; i++ )
        r[i] = bcd(r[i] & (i == 2 ? 0x7f : 0xff), is_bcd);
    if ( r[4] < 1 || r[4] > 12 || r[3] < 1 || r[3] > 31 )
        return 0;
    return time_mktime(2000 + r[5], r[4], r[3], r[2], r[1], r[0]);
}

/* Wall-clock time at system time 0, for shared_info (reference §11.3). */
void arch_wallclock(uint32_t *sec, uint32_t *nsec, uint32_t *sec_hi)
{
    *sec = (uint32_t)boot_wallclock;
    *sec_hi = (uint32_t)(boot_wallclock >> 32);
    *nsec = 0;
}

uint64_t tsc_khz(void)
{
    return tsc_hz / 1000;
}

uint64_t apic_timer_khz(void)
{
    return apic_hz / 1000;
}

uint64_t ns_to_tsc(uint64_t ns)
{
    return ns_to_ticks(ns, tsc_per_ns);
}

void udelay(unsigned long us)
{
    uint64_t end = rdtsc() + ns_to_tsc(us * 1000ULL);

    while ( (int64_t)(rdtsc() - end) < 0 )
        cpu_relax();
}

/* TSC rate from CPUID 0x15 (crystal clock and ratio), 0 when not given. */
static uint64_t tsc_hz_from_cpuid(void)
{
    struct cpuid_regs r;

    if ( cpuid(0).eax < 0x15 )
        return 0;
    r = cpuid(0x15);
    if ( !r.eax || !r.ebx || !r.ecx )
        return 0;
    return (uint64_t)r.ecx * r.ebx / r.eax;
}

/*
 * Gate PIT channel 2 for PIT_CALIBRATE_MS and count TSC and LAPIC-timer
 * ticks over that window.
 */
static void calibrate_with_pit(uint64_t *tsc_ticks, uint64_t *apic_ticks)
{
    uint32_t count = PIT_HZ * PIT_CALIBRATE_MS / 1000;
    uint64_t t0, t1;
    uint32_t a0, a1;

    outb(0x61, (inb(0x61) & ~0x02) | 0x01); /* gate on, speaker off */
    outb(0x43, 0xb0);                       /* ch2, lo/hi, mode 0 */
    outb(0x42, count & 0xff);
    outb(0x42, count >> 8);

    apic_timer_oneshot(0xffffffffU);
    a0 = apic_timer_current();
    t0 = rdtsc();
    while ( !(inb(0x61) & 0x20) )
        ;
    t1 = rdtsc();
    a1 = apic_timer_current();
    apic_timer_oneshot(0);

    *tsc_ticks = t1 - t0;
    *apic_ticks = a0 - a1;
}

int time_init(void)
{
    uint64_t tsc_ticks, apic_ticks, cpuid_hz, window_ns;

    apic_timer_setup();
    apic_timer_oneshot(0);
    calibrate_with_pit(&tsc_ticks, &apic_ticks);

    cpuid_hz = tsc_hz_from_cpuid();
    tsc_hz = cpuid_hz ? cpuid_hz : tsc_ticks * 1000 / PIT_CALIBRATE_MS;
    if ( tsc_hz < 1000000 )
        return -ENODEV;
    time_scale_set(&tsc_scale, tsc_hz);
    tsc_per_ns = per_ns_mult(tsc_hz);
    boot_wallclock = rtc_read();
    /* LAPIC rate relative to the TSC over the same window. */
    window_ns = time_scale_delta(tsc_ticks, &tsc_scale);
    if ( window_ns == 0 )
        return -ENODEV;
    apic_hz = apic_ticks * NSEC_PER_SEC / window_ns;
    if ( apic_hz < 1000 )
        return -ENODEV;
    apic_per_ns = per_ns_mult(apic_hz);
    tsc_boot = rdtsc();
    printk("Time: wall clock %lu s since the epoch (RTC)\n",
           (unsigned long)boot_wallclock);
    printk("Time: TSC %lu.%03lu MHz (%s), LAPIC timer %lu.%03lu MHz\n",
           (unsigned long)(tsc_hz / 1000000),
           (unsigned long)(tsc_hz / 1000 % 1000),
           cpuid_hz ? "CPUID 0x15" : "PIT calibrated",
           (unsigned long)(apic_hz / 1000000),
           (unsigned long)(apic_hz / 1000 % 1000));
    return 0;
}

void time_init_cpu(void)
{
    apic_timer_setup();
    apic_timer_oneshot(0);
}

/*
 * Program cpu's one-shot timer for deadline.  Only the CPU itself can reach
 * its LAPIC, so another CPU's request raises that CPU's timer softirq,
 * whose run reprograms its timer.
 */
void arch_timer_program(unsigned int cpu, s_time_t deadline)
{
    s_time_t delta;
    uint64_t ticks;

    if ( cpu != smp_processor_id() )
    {
        cpu_raise_softirq(cpu, TIMER_SOFTIRQ);
        return;
    }
    if ( deadline == STIME_MAX )
    {
        apic_timer_oneshot(0);
        return;
    }
    delta = deadline - NOW();
    if ( delta < 1000 )
        delta = 1000; /* at least 1 us: fire promptly, never "never" */
    ticks = ns_to_ticks(delta, apic_per_ns);
    if ( ticks == 0 )
        ticks = 1;
    if ( ticks > 0xffffffffU )
        ticks = 0xffffffffU; /* re-armed from timer_run when it fires */
    apic_timer_oneshot((uint32_t)ticks);
}
