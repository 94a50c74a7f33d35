/*
 * SMP: starting the application processors, IPIs, stopping CPUs on panic.
 *
 * The boot CPU starts APs one at a time: it prepares the AP's stack block
 * (cpu_info at the top), timer queue and trampoline parameters, sends
 * INIT-SIPI-SIPI and waits (bounded) until the AP reports itself online.
 *
 * Locking: cpu_online and ping counters are written with atomics; the
 * trampoline parameters are written only while no AP is starting.
 */
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/sched.h>
#include <hv/softirq.h>
#include <hv/timer.h>
#include <asm/apic.h>
#include <asm/arch.h>
#include <asm/desc.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/smp.h>

#define TRAMPOLINE_PHYS     0x8000
#define AP_START_TIMEOUT_US 1000000

struct trampoline_params
{
    uint32_t cr3;
    uint32_t efer;
    uint64_t stack;
    uint64_t entry;
};

extern const char trampoline_start[], trampoline_end[], trampoline_params[];

unsigned int nr_cpus_online = 1;
unsigned int cpu_apic_id[NR_CPUS];
static bool cpu_online[NR_CPUS];
static unsigned int ping_count[NR_CPUS];
static bool panic_stop;

static void start_secondary(void) __attribute__((noreturn));
static void start_secondary(void)
{
    unsigned int cpu = smp_processor_id();

    gdt_init_cpu(cpu);
    idt_load();
    write_cr4(read_cr4() | X86_CR4_PGE);
    apic_init_cpu();
    time_init_cpu();
    pv_cpu_init();
    __atomic_store_n(&cpu_online[cpu], true, __ATOMIC_RELEASE);
    reset_stack_and_enter_guest(); /* idles in the scheduler */
}

static int start_cpu(unsigned int cpu, unsigned int apic)
{
    struct page_info *pg = alloc_pages(STACK_ORDER, ~0UL);
    struct trampoline_params *tp;
    struct cpu_info *ci;
    unsigned long block;
    uint64_t deadline;
    int rc;

    if ( !pg )
        return -ENOMEM;
    block = (unsigned long)mfn_to_virt(page_to_mfn(pg));
    memset((void *)block, 0, STACK_SIZE);
    ci = (struct cpu_info *)(block + STACK_SIZE - sizeof(*ci));
    ci->cpu_id = cpu;
    ci->apic_id = apic;
    cpu_apic_id[cpu] = apic;
    rc = timer_cpu_init(cpu);
    if ( rc )
        return rc;
    sched_init_cpu(cpu);

    tp =
        maddr_to_virt(TRAMPOLINE_PHYS + (trampoline_params - trampoline_start));
    tp->cr3 = (uint32_t)paging_idle_cr3();
    tp->efer = (uint32_t)(rdmsr(MSR_EFER) & (EFER_LME | EFER_NXE | EFER_SCE));
    tp->stack = (uint64_t)ci;
    tp->entry = (uint64_t)start_secondary;
    smp_wmb();

    rc = apic_start_ap(apic, TRAMPOLINE_PHYS);
    if ( rc )
        return rc;
    deadline = rdtsc() + ns_to_tsc(AP_START_TIMEOUT_US * 1000ULL);
    while ( !__atomic_load_n(&cpu_online[cpu], __ATOMIC_ACQUIRE) )
    {
        if ( (int64_t)(rdtsc() - deadline) > 0 )
            return -ETIMEDOUT;
        cpu_relax();
    }
    return 0;
}

/*
 * Start every CPU in ids[0..n) (the MADT's list, n < 0 when there was
 * none), up to max_cpus in all.  Returns the number of CPUs online; a CPU
 * that fails to start is reported and skipped.
 */
int smp_boot_cpus(const unsigned int *ids, int n, unsigned int max_cpus)
{
    unsigned int bsp = apic_id(), i, cpu = 1;

    cpu_apic_id[0] = bsp;
    get_cpu_info()->apic_id = bsp;
    cpu_online[0] = true;
    if ( n < 0 )
    {
        printk(XENLOG_WARNING
               "SMP: no ACPI MADT; running on the boot CPU only\n");
        return 1;
    }
    if ( max_cpus > NR_CPUS )
        max_cpus = NR_CPUS;

    memcpy(maddr_to_virt(TRAMPOLINE_PHYS), trampoline_start,
           trampoline_end - trampoline_start);
    paging_map_trampoline(true);
    for ( i = 0; i < (unsigned int)n; i++ )
    {
        int rc;

        if ( ids[i] == bsp )
            continue;
        if ( cpu >= max_cpus )
        {
            printk("SMP: CPU with APIC id %u not started (maxcpus=%u)\n",
                   ids[i], max_cpus);
            continue;
        }
        rc = start_cpu(cpu, ids[i]);
        if ( rc )
        {
            printk(XENLOG_ERR "SMP: CPU %u (APIC id %u) failed to start: %d\n",
                   cpu, ids[i], rc);
            continue;
        }
        cpu++;
        nr_cpus_online = cpu;
    }
    paging_map_trampoline(false);
    return nr_cpus_online;
}

void smp_ping_ack(void)
{
    __atomic_fetch_add(&ping_count[smp_processor_id()], 1, __ATOMIC_RELEASE);
}

/*
 * Send a ping IPI to every other online CPU and wait (bounded) for each to
 * answer from its interrupt handler.  Returns the number that answered.
 */
int smp_ping_all(void)
{
    unsigned int cpu, answered = 0;

    for ( cpu = 1; cpu < nr_cpus_online; cpu++ )
    {
        unsigned int before =
            __atomic_load_n(&ping_count[cpu], __ATOMIC_ACQUIRE);
        uint64_t deadline = rdtsc() + ns_to_tsc(100000000ULL);

        apic_send_ipi(cpu_apic_id[cpu], VECTOR_IPI_PING);
        while ( __atomic_load_n(&ping_count[cpu], __ATOMIC_ACQUIRE) == before )
        {
            if ( (int64_t)(rdtsc() - deadline) > 0 )
                break;
            cpu_relax();
        }
        if ( __atomic_load_n(&ping_count[cpu], __ATOMIC_ACQUIRE) != before )
            answered++;
        else
            printk(XENLOG_ERR "SMP: CPU %u did not answer a ping IPI\n", cpu);
    }
    return answered;
}

bool smp_cpu_stopped_by_panic(void)
{
    return __atomic_load_n(&panic_stop, __ATOMIC_ACQUIRE);
}

/* Make every other CPU halt for good (NMI reaches CPUs with IF clear). */
void smp_stop_others(void)
{
    __atomic_store_n(&panic_stop, true, __ATOMIC_RELEASE);
    if ( nr_cpus_online > 1 )
        apic_send_nmi_allbutself();
}

void arch_cpu_kick(unsigned int cpu)
{
    apic_send_ipi(cpu_apic_id[cpu], VECTOR_IPI_WAKE);
}

/* Idle until something is pending, then run it (interrupts disabled). */
void cpu_idle_once(void)
{
    local_irq_disable();
    if ( !softirq_pending(smp_processor_id()) )
        safe_halt(); /* sti; hlt: no wake-up is lost in between */
    local_irq_disable();
    process_pending_softirqs();
}

void cpu_idle_loop(void)
{
    for ( ;; )
        cpu_idle_once();
}
