/*
 * Local APIC (xAPIC mode, memory-mapped) and the legacy PIC.
 *
 * The 8259 PICs are masked for good; every interrupt the hypervisor takes
 * comes from the local APIC: its one-shot timer, IPIs and spurious vectors.
 *
 * Locking: each CPU touches only its own LAPIC; sending an IPI waits for
 * the previous one from this CPU to be accepted (ICR delivery status).
 */
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/lib.h>
#include <asm/apic.h>
#include <asm/arch.h>
#include <asm/processor.h>
#include <asm/system.h>

#define APIC_ID         0x020
#define APIC_VERSION    0x030
#define APIC_TPR        0x080
#define APIC_EOI        0x0b0
#define APIC_SVR        0x0f0
#define APIC_ESR        0x280
#define APIC_ICR_LO     0x300
#define APIC_ICR_HI     0x310
#define APIC_LVT_TIMER  0x320
#define APIC_LVT_LINT0  0x350
#define APIC_LVT_LINT1  0x360
#define APIC_LVT_ERROR  0x370
#define APIC_TIMER_INIT 0x380
#define APIC_TIMER_CUR  0x390
#define APIC_TIMER_DIV  0x3e0

#define APIC_SVR_ENABLE  (1U << 8)
#define APIC_LVT_MASKED  (1U << 16)
#define APIC_ICR_BUSY    (1U << 12)
#define APIC_ICR_ASSERT  (1U << 14)
#define APIC_ICR_LEVEL   (1U << 15)
#define APIC_DM_FIXED    (0U << 8)
#define APIC_DM_NMI      (4U << 8)
#define APIC_DM_INIT     (5U << 8)
#define APIC_DM_STARTUP  (6U << 8)
#define APIC_DEST_ALLBUT (3U << 18)

static volatile uint8_t *apic_base;

static inline uint32_t apic_read(unsigned int reg)
{
    return *(volatile uint32_t *)(apic_base + reg);
}

static inline void apic_write(unsigned int reg, uint32_t v)
{
    *(volatile uint32_t *)(apic_base + reg) = v;
}

static void pic_mask_all(void)
{
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
}

void apic_init_cpu(void)
{
    apic_write(APIC_TPR, 0);
    apic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);
    apic_write(APIC_LVT_ERROR, APIC_LVT_MASKED);
    apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | VECTOR_TIMER);
    apic_write(APIC_SVR, APIC_SVR_ENABLE | VECTOR_SPURIOUS);
    apic_write(APIC_ESR, 0);
}

void apic_init_bsp(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);

    if ( !(cpuid(1).edx & (1U << 9)) )
        panic("no local APIC: Tessera needs one for timers and SMP");
    wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
    apic_base = fixmap_map(FIX_APIC, base & 0xfffff000UL);
    pic_mask_all();
    apic_init_cpu();
    printk("APIC: local APIC at %#lx, version %#x, BSP APIC id %u\n",
           (unsigned long)(base & 0xfffff000UL), apic_read(APIC_VERSION) & 0xff,
           apic_id());
}

unsigned int apic_id(void)
{
    return apic_read(APIC_ID) >> 24;
}

void apic_eoi(void)
{
    apic_write(APIC_EOI, 0);
}

static void apic_icr_wait(void)
{
    while ( apic_read(APIC_ICR_LO) & APIC_ICR_BUSY )
        cpu_relax();
}

static void apic_icr(unsigned int dest, uint32_t lo)
{
    unsigned long flags = local_irq_save();

    apic_icr_wait();
    apic_write(APIC_ICR_HI, dest << 24);
    apic_write(APIC_ICR_LO, lo);
    apic_icr_wait();
    local_irq_restore(flags);
}

void apic_send_ipi(unsigned int dest, unsigned int vector)
{
    apic_icr(dest, APIC_DM_FIXED | APIC_ICR_ASSERT | vector);
}

void apic_send_nmi_allbutself(void)
{
    apic_write(APIC_ICR_HI, 0);
    apic_write(APIC_ICR_LO, APIC_DEST_ALLBUT | APIC_DM_NMI | APIC_ICR_ASSERT);
}

/* INIT, then two STARTUPs, with the delays the MP specification asks for. */
int apic_start_ap(unsigned int dest, paddr_t trampoline)
{
    if ( trampoline & ~0xff000UL )
        return -EINVAL;
    apic_write(APIC_ESR, 0);
    apic_icr(dest, APIC_DM_INIT | APIC_ICR_LEVEL | APIC_ICR_ASSERT);
    udelay(10000);
    apic_icr(dest, APIC_DM_STARTUP | (trampoline >> 12));
    udelay(200);
    apic_icr(dest, APIC_DM_STARTUP | (trampoline >> 12));
    udelay(200);
    return 0;
}

void apic_timer_setup(void)
{
    apic_write(APIC_TIMER_DIV, 0xb);          /* divide by 1 */
    apic_write(APIC_LVT_TIMER, VECTOR_TIMER); /* one-shot, unmasked */
}

void apic_timer_oneshot(uint32_t ticks)
{
    apic_write(APIC_TIMER_INIT, ticks);
}

uint32_t apic_timer_current(void)
{
    return apic_read(APIC_TIMER_CUR);
}
