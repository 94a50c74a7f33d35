/*
 * Traps: the IDT, interrupt dispatch, and the fatal-fault dump.
 *
 * A fault in ring 0 is a hypervisor bug: dump the registers, control
 * registers and a frame-pointer backtrace with symbol names, then panic.
 *
 * Locking: the IDT is written once on the boot CPU before any other CPU
 * starts and is read-only afterwards.
 */
#include <hv/console.h>
#include <hv/lib.h>
#include <hv/softirq.h>
#include <hv/timer.h>
#include <hv/tlb.h>
#include <asm/apic.h>
#include <asm/arch.h>
#include <asm/desc.h>
#include <asm/guest_access.h>
#include <asm/pv.h>
#include <asm/processor.h>
#include <asm/regs.h>
#include <asm/smp.h>

struct idt_gate
{
    uint16_t off_lo;
    uint16_t sel;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t off_mid;
    uint32_t off_hi;
    uint32_t _rsvd;
};
_Static_assert(sizeof(struct idt_gate) == 16, "hardware layout");

static struct idt_gate idt[256] __attribute__((aligned(16)));
extern const char interrupt_stubs[];

static const char *const exception_names[32] = {
    [0] = "#DE divide error",
    [1] = "#DB debug",
    [2] = "NMI",
    [3] = "#BP breakpoint",
    [4] = "#OF overflow",
    [5] = "#BR bound range",
    [6] = "#UD invalid opcode",
    [7] = "#NM device not available",
    [8] = "#DF double fault",
    [10] = "#TS invalid TSS",
    [11] = "#NP segment not present",
    [12] = "#SS stack fault",
    [13] = "#GP general protection",
    [14] = "#PF page fault",
    [16] = "#MF x87 error",
    [17] = "#AC alignment check",
    [18] = "#MC machine check",
    [19] = "#XM SIMD error",
    [20] = "#VE virtualization",
    [21] = "#CP control protection",
};

void idt_init(void)
{
    unsigned int v;

    for ( v = 0; v < 256; v++ )
    {
        unsigned long addr = (unsigned long)interrupt_stubs + 16 * v;

        idt[v].off_lo = addr & 0xffff;
        idt[v].off_mid = (addr >> 16) & 0xffff;
        idt[v].off_hi = addr >> 32;
        idt[v].sel = HV_CS;
        idt[v].type_attr = 0x8e; /* present, DPL 0, interrupt gate */
        idt[v].ist = 0;
    }
    /* int3, into and int $0x80 may be used from ring 3 (guests). */
    idt[3].type_attr = idt[4].type_attr = idt[0x80].type_attr = 0xee;
    idt[2].ist = IST_NMI;
    idt[8].ist = IST_DF;
    idt[18].ist = IST_MC;
}

void idt_load(void)
{
    struct __packed
    {
        uint16_t limit;
        uint64_t base;
    } idtr = { sizeof(idt) - 1, (uint64_t)idt };

    __asm__ volatile("lidt %0" ::"m"(idtr));
}

void show_registers(const struct cpu_regs *r)
{
    printk(XENLOG_ERR "RIP:    %04lx:[<%016lx>] %pS\n", (unsigned long)r->cs,
           (unsigned long)r->rip, (void *)r->rip);
    printk(XENLOG_ERR "RFLAGS: %016lx   CPU: %u\n", (unsigned long)r->rflags,
           smp_processor_id());
    printk(XENLOG_ERR "rax: %016lx   rbx: %016lx   rcx: %016lx\n",
           (unsigned long)r->rax, (unsigned long)r->rbx, (unsigned long)r->rcx);
    printk(XENLOG_ERR "rdx: %016lx   rsi: %016lx   rdi: %016lx\n",
           (unsigned long)r->rdx, (unsigned long)r->rsi, (unsigned long)r->rdi);
    printk(XENLOG_ERR "rbp: %016lx   rsp: %016lx   r8:  %016lx\n",
           (unsigned long)r->rbp, (unsigned long)r->rsp, (unsigned long)r->r8);
    printk(XENLOG_ERR "r9:  %016lx   r10: %016lx   r11: %016lx\n",
           (unsigned long)r->r9, (unsigned long)r->r10, (unsigned long)r->r11);
    printk(XENLOG_ERR "r12: %016lx   r13: %016lx   r14: %016lx\n",
           (unsigned long)r->r12, (unsigned long)r->r13, (unsigned long)r->r14);
    printk(XENLOG_ERR "r15: %016lx   cr0: %016lx   cr4: %016lx\n",
           (unsigned long)r->r15, read_cr0(), read_cr4());
    printk(XENLOG_ERR "cr3: %016lx   cr2: %016lx\n", read_cr3(), read_cr2());
    printk(XENLOG_ERR "ss: %04lx   cs: %04lx\n", (unsigned long)r->ss,
           (unsigned long)r->cs);
}

/*
 * Walk the frame-pointer chain.  Every frame must lie inside this CPU's
 * stack block and move upwards, so a corrupt chain ends the walk instead of
 * faulting.
 */
void show_backtrace(unsigned long rbp, unsigned long rip, unsigned long rsp)
{
    unsigned long lo = rbp & ~(STACK_SIZE - 1), hi = lo + STACK_SIZE;
    unsigned int depth = 0;

    printk(XENLOG_ERR "Backtrace:\n");
    printk(XENLOG_ERR "   [<%016lx>] %pS\n", rip, (void *)rip);
    /*
     * A leaf function may run without a frame of its own: then its caller
     * shows only as the return address on top of the stack.  Print that
     * word, marked '?', when it looks like code and the chain would skip it.
     */
    if ( (rsp & ~(STACK_SIZE - 1)) == lo && !(rsp & 7) && rsp + 8 <= hi )
    {
        unsigned long top = *(unsigned long *)rsp;

        if ( symbols_lookup(top, NULL, NULL) &&
             !(rbp >= lo && rbp + 16 <= hi &&
               ((unsigned long *)rbp)[1] == top) )
            printk(XENLOG_ERR " ? [<%016lx>] %pS\n", top, (void *)top);
    }
    while ( rbp >= lo && rbp + 16 <= hi && !(rbp & 7) && depth++ < 32 )
    {
        unsigned long next = ((unsigned long *)rbp)[0];
        unsigned long ret = ((unsigned long *)rbp)[1];

        if ( !ret )
            break;
        printk(XENLOG_ERR "   [<%016lx>] %pS\n", ret, (void *)ret);
        if ( next <= rbp )
            break;
        rbp = next;
    }
}

static void fatal_trap(const struct cpu_regs *r)
{
    unsigned int v = r->entry_vector;
    const char *name =
        v < 32 && exception_names[v] ? exception_names[v] : "unknown";

    console_force_unlock();
    printk(XENLOG_ERR "----[ CPU %u: fatal trap in the hypervisor ]----\n",
           smp_processor_id());
    printk(XENLOG_ERR "FATAL TRAP: vector %u (%s), error code %#x\n", v, name,
           r->error_code);
    if ( v == 14 )
        printk(XENLOG_ERR "Page fault at %016lx: %s, %s, %s%s\n", read_cr2(),
               r->error_code & 1 ? "protection violation" : "not present",
               r->error_code & 2 ? "write" : "read",
               r->error_code & 4 ? "user" : "supervisor",
               r->error_code & 16 ? ", instruction fetch" : "");
    show_registers(r);
    show_backtrace(r->rbp, r->rip, r->rsp);
    panic("fatal trap %u (%s) at %pS", v, name, (void *)r->rip);
}

extern void smp_ping_ack(void);

void do_trap(struct cpu_regs *r)
{
    unsigned int v = r->entry_vector;

    if ( v == 2 )
    {
        if ( smp_cpu_stopped_by_panic() )
            for ( ;; )
                halt();
        printk(XENLOG_WARNING "CPU %u: unexpected NMI at %pS\n",
               smp_processor_id(), (void *)r->rip);
        return;
    }
    if ( regs_from_guest(r) && (v < 32 || v == 0x80) )
    {
        if ( v == 8 || v == 18 )
            fatal_trap(r); /* #DF / #MC are never the guest's to handle */
        pv_do_trap(r);
        return;
    }
    if ( v < 32 )
    {
        unsigned long fixup = search_ex_table(r->rip);

        /*
         * A guest-memory access that faulted (-EFAULT), or the iretq to a
         * guest (#GP, #NP, #SS on a bad context): recover.
         */
        if ( fixup && (v == 14 || v == 13 || v == 11 || v == 12) )
        {
            r->rip = fixup;
            return;
        }
        fatal_trap(r);
    }

    switch ( v )
    {
    case VECTOR_TIMER:
        apic_eoi();
        raise_softirq(TIMER_SOFTIRQ);
        break;
    case VECTOR_IPI_PING:
        apic_eoi();
        smp_ping_ack();
        break;
    case VECTOR_IPI_FLUSH:
        apic_eoi();
        tlb_service();
        break;
    case VECTOR_IPI_WAKE:
        apic_eoi(); /* the kick itself is the message: softirqs pending */
        break;
    case VECTOR_SPURIOUS:
        break; /* no EOI for spurious interrupts */
    default:
        printk(XENLOG_WARNING "CPU %u: unexpected interrupt vector %u\n",
               smp_processor_id(), v);
        apic_eoi();
        break;
    }
}
