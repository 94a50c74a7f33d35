/*
 * TLB shootdown and the TLB clock: see hv/tlb.h.
 *
 * Locking: none; per-CPU words written by their CPU (tlb_domain,
 * flushed_at, flush_done) or by atomic increments (flush_req, clock).
 */
#include <hv/sched.h>
#include <hv/tlb.h>
#include <asm/smp.h>
#include <asm/system.h>

static uint64_t tlb_domain[NR_CPUS];
static uint64_t tlb_clock = 1;
static uint64_t flushed_at[NR_CPUS];
static uint64_t flush_req[NR_CPUS], flush_done[NR_CPUS];

void tlb_flush_local(void)
{
    unsigned int me = smp_processor_id();
    uint64_t t = __atomic_add_fetch(&tlb_clock, 1, __ATOMIC_SEQ_CST);

    arch_tlb_flush_local();
    __atomic_store_n(&flushed_at[me], t, __ATOMIC_RELEASE);
}

uint64_t tlb_stamp(void)
{
    return __atomic_load_n(&tlb_clock, __ATOMIC_SEQ_CST);
}

uint64_t tlb_enter_domain(uint64_t uid)
{
    unsigned int me = smp_processor_id();
    uint64_t was = tlb_domain[me];

    __atomic_store_n(&tlb_domain[me], uid, __ATOMIC_RELAXED);
    smp_mb(); /* a flusher sees uid before this CPU walks the tables */
    return was;
}

void tlb_service(void)
{
    unsigned int me = smp_processor_id();
    unsigned long flags;
    uint64_t req;

    if ( me >= NR_CPUS )
        return;
    flags = local_irq_save();
    req = __atomic_load_n(&flush_req[me], __ATOMIC_ACQUIRE);
    if ( req != flush_done[me] )
    {
        tlb_flush_local();
        __atomic_store_n(&flush_done[me], req, __ATOMIC_RELEASE);
    }
    local_irq_restore(flags);
}

/* Which CPUs a shootdown is for. */
enum flush_who
{
    FLUSH_EVERY,
    FLUSH_DOMAIN, /* whose TLB may hold domain uid arg's entries */
    FLUSH_SINCE,  /* that have not flushed since tick arg */
};

static bool wanted(unsigned int cpu, enum flush_who who, uint64_t arg)
{
    switch ( who )
    {
    case FLUSH_DOMAIN:
        return __atomic_load_n(&tlb_domain[cpu], __ATOMIC_RELAXED) == arg;
    case FLUSH_SINCE:
        return __atomic_load_n(&flushed_at[cpu], __ATOMIC_ACQUIRE) <= arg;
    default:
        return true;
    }
}

static void shootdown(enum flush_who who, uint64_t arg)
{
    uint64_t ticket[NR_CPUS];
    unsigned int cpu, me = smp_processor_id();

    smp_mb(); /* the page-table change is visible before CPUs are chosen */
    for ( cpu = 0; cpu < nr_cpus_online; cpu++ )
    {
        ticket[cpu] = 0;
        if ( cpu == me || !wanted(cpu, who, arg) )
            continue;
        ticket[cpu] = __atomic_add_fetch(&flush_req[cpu], 1, __ATOMIC_SEQ_CST);
        arch_tlb_send_ipi(cpu);
    }
    if ( who != FLUSH_SINCE || wanted(me, who, arg) )
        tlb_flush_local();
    for ( cpu = 0; cpu < nr_cpus_online; cpu++ )
        while ( ticket[cpu] &&
                (int64_t)(__atomic_load_n(&flush_done[cpu], __ATOMIC_ACQUIRE) -
                          ticket[cpu]) < 0 )
        {
            tlb_service();
            cpu_relax();
        }
}

void tlb_flush_domain(uint64_t uid)
{
    shootdown(FLUSH_DOMAIN, uid);
}

void tlb_flush_since(uint64_t stamp)
{
    if ( stamp )
        shootdown(FLUSH_SINCE, stamp);
}

void tlb_flush_every(void)
{
    shootdown(FLUSH_EVERY, 0);
}
