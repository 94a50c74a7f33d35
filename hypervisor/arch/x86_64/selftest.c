/*
 * Self-tests run instead of the idle loop when test= is given.
 *
 * Each prints one verdict line "TEST RESULT: PASS|FAIL <name>" and ends the
 * QEMU run through isa-debug-exit; the fault tests end it through panic().
 *   boot      every boot self-check passed (W^X, IPIs, all CPUs online)
 *   timer     a 100 Hz software timer ticks the right number of times over
 *             one second of TSC time
 *   fault-pf  a ring-0 page fault: the dump must name the faulting function
 *   fault-ud  a ring-0 invalid opcode, likewise
 *   domains   create and destroy 100 domains holding memory: every frame
 *             comes back (free-frame count unchanged)
 *   dom0      run domain 0 from the modules; its shutdown ends the run
 *             (poweroff with code 0 passes, anything else fails)
 *
 * Locking: boot CPU only, after all CPUs are up.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/timer.h>
#include <asm/arch.h>
#include <asm/processor.h>
#include "selftest.h"

#define TIMER_PERIOD_NS 10000000LL   /* 100 Hz */
#define TIMER_RUN_NS    1000000000LL /* one second */

static const char *const tests[] = { "boot",     "timer", "fault-pf",
                                     "fault-ud", "dom0",  "domains" };

bool selftest_known(const char *name)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(tests); i++ )
        if ( !strcmp(name, tests[i]) )
            return true;
    return false;
}

static void verdict(const char *name, bool pass) __attribute__((noreturn));
static void verdict(const char *name, bool pass)
{
    printk("TEST RESULT: %s %s\n", pass ? "PASS" : "FAIL", name);
    qemu_exit(pass ? QEMU_EXIT_PASS : QEMU_EXIT_FAIL);
}

static volatile unsigned long ticks;

static void tick(void *data)
{
    struct timer *t = data;

    ticks++;
    set_timer(t, t->expires + TIMER_PERIOD_NS);
}

static bool timer_test(void)
{
    static struct timer t;
    uint64_t tsc0, tsc1, us;
    unsigned long got, expected, slack;
    s_time_t start;

    init_timer(&t, tick, &t, 0);
    start = NOW();
    tsc0 = rdtsc();
    set_timer(&t, start + TIMER_PERIOD_NS);
    while ( NOW() < start + TIMER_RUN_NS )
        cpu_idle_once();
    got = ticks;
    tsc1 = rdtsc();
    stop_timer(&t);

    /* The interval as the TSC measured it, independent of NOW()'s scale. */
    us = (tsc1 - tsc0) * 1000 / tsc_khz();
    expected = us * 1000 / TIMER_PERIOD_NS;
    slack = expected / 20 + 1; /* 5 %, and at least one tick */
    printk("timer: %lu ticks in %lu us of TSC time (expected %lu +- %lu)\n",
           got, (unsigned long)us, expected, slack);
    return got + slack >= expected && got <= expected + slack;
}

void __attribute__((noinline)) selftest_page_fault(void)
{
    printk("selftest: writing to an unmapped hypervisor address\n");
    /* The fixmap's last slot is never mapped. */
    *(volatile unsigned long *)0xffff82d0c01ff000UL = 0x7e55e7a;
}

void __attribute__((noinline)) selftest_invalid_opcode(void)
{
    printk("selftest: executing ud2\n");
    __asm__ volatile("ud2");
}

/*
 * Domains come and go without losing a frame: 100 rounds of creating a
 * domain with two vCPUs, giving it 64 frames, and destroying it.
 */
static bool domains_test(void)
{
    unsigned long before = page_alloc_free_frames(), after;
    unsigned int round, i;

    for ( round = 0; round < 100; round++ )
    {
        struct domain *d;

        if ( domain_create(1 + round, 2, &d) )
        {
            printk("domains: create of d%u failed\n", 1 + round);
            return false;
        }
        d->max_pages = 64;
        for ( i = 0; i < 64; i++ )
        {
            struct page_info *pg = alloc_pages(0, ~0UL);

            if ( !pg || domain_assign_page(d, page_to_mfn(pg)) )
            {
                printk("domains: d%u: no frame %u\n", 1 + round, i);
                return false;
            }
        }
        domain_destroy(d);
    }
    after = page_alloc_free_frames();
    printk("domains: 100 domains created and destroyed; free frames %lu "
           "before, %lu after\n",
           before, after);
    return after == before;
}

void selftest_run(const char *name, bool boot_checks_ok)
{
    if ( !strcmp(name, "boot") )
        verdict(name, boot_checks_ok);
    if ( !strcmp(name, "timer") )
        verdict(name, boot_checks_ok && timer_test());
    if ( !strcmp(name, "domains") )
        verdict(name, boot_checks_ok && domains_test());
    if ( !strcmp(name, "fault-pf") )
        selftest_page_fault();
    else if ( !strcmp(name, "fault-ud") )
        selftest_invalid_opcode();
    /* The fault tests end in panic(); reaching here is a failure. */
    verdict(name, false);
}
