/*
 * Start of day on the boot CPU: from the loader's hand-off to all CPUs idle.
 *
 * Order: serial console, loader information, command line, memory (frame
 * table, allocator, final page tables), descriptor tables, local APIC and
 * time, other CPUs, self-checks, then the test selected by test= or the
 * idle heartbeat.
 *
 * Locking: runs on the boot CPU before any other CPU exists, except for
 * the self-checks at the end.
 */
#include <hv/bootinfo.h>
#include <hv/cmdline.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/sched.h>
#include <hv/timer.h>
#include <asm/apic.h>
#include <asm/arch.h>
#include <asm/desc.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/smp.h>
#include "selftest.h"
#include "version.h"

#define LOW_MEMORY_END 0x100000 /* BIOS area and the AP trampoline */
#define HEARTBEAT_NS   (10 * 1000000000LL)

extern const char __image_start[], __image_end[];
extern const char __build_id_start[], __build_id_end[];

bool test_mode;
static char opt_console[32] = "com1";
static char opt_test[32];
static unsigned int opt_maxcpus = NR_CPUS;
static uint64_t opt_mem;
static uint64_t opt_dom0_mem = 64ULL << 20;
static struct boot_info boot_info;

static int set_loglvl(const char *val)
{
    return val ? console_set_loglvl(val) : -EINVAL;
}

static int set_test(const char *val)
{
    if ( !val || !selftest_known(val) )
        return -EINVAL;
    hv_strlcpy(opt_test, val, sizeof(opt_test));
    test_mode = true;
    return 0;
}

static const struct kernel_param hv_params[] = {
    { "console", PARAM_STRING, opt_console, sizeof(opt_console), NULL },
    { "loglvl", PARAM_CUSTOM, NULL, 0, set_loglvl },
    { "maxcpus", PARAM_UINT, &opt_maxcpus, 0, NULL },
    { "mem", PARAM_SIZE, &opt_mem, 0, NULL },
    { "dom0_mem", PARAM_SIZE, &opt_dom0_mem, 0, NULL },
    { "test", PARAM_CUSTOM, NULL, 0, set_test },
};

static void report_param(const char *msg)
{
    printk(XENLOG_ERR "Command line: %s\n", msg);
}

void qemu_exit(unsigned int code)
{
    /* QEMU's isa-debug-exit device: exits with (code << 1) | 1. */
    outl(0xf4, code);
    for ( ;; )
        halt();
}

void panic(const char *fmt, ...)
{
    static bool panicking;
    char msg[256];
    va_list ap;

    local_irq_disable();
    if ( __atomic_exchange_n(&panicking, true, __ATOMIC_ACQ_REL) )
        for ( ;; )
            halt(); /* another CPU is already reporting */
    smp_stop_others();
    va_start(ap, fmt);
    hv_vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    console_force_unlock();
    printk(XENLOG_ERR "\n");
    printk(XENLOG_ERR "****************************************\n");
    printk(XENLOG_ERR "Panic on CPU %u:\n", smp_processor_id());
    printk(XENLOG_ERR "%s\n", msg);
    printk(XENLOG_ERR "****************************************\n");
    if ( test_mode )
        qemu_exit(QEMU_EXIT_PANIC);
    printk(XENLOG_ERR "System halted.\n");
    for ( ;; )
        halt();
}

static const void *boot_phys_map(paddr_t pa, size_t len)
{
    /* The boot page tables map the first 4 GiB at DIRECTMAP_START. */
    if ( len > (1ULL << 32) || pa > (1ULL << 32) - len )
        return NULL;
    return maddr_to_virt(pa);
}

/*
 * QEMU's multiboot loader puts the image's file name first on the command
 * line (GRUB does not); skip it so it is not taken for an option.
 */
static const char *cook_cmdline(const struct boot_info *bi)
{
    const char *p = bi->cmdline;

    if ( strcmp(bi->loader, "qemu") )
        return p;
    while ( *p && *p != ' ' )
        p++;
    while ( *p == ' ' )
        p++;
    return p;
}

const char *arch_changeset(void)
{
    return HV_CHANGESET;
}

const char *arch_compiler(void)
{
    return HV_COMPILER;
}

const char *arch_cmdline(void)
{
    return boot_info.cmdline;
}

const uint8_t *arch_build_id(size_t *len)
{
    *len = __build_id_end - __build_id_start >= 16 + 20 ? 20 : 0;
    return (const uint8_t *)__build_id_start + 16;
}

static void print_banner(void)
{
    const uint8_t *id = (const uint8_t *)__build_id_start;
    char hex[41] = "";
    size_t i, n = 0;

    /* The GNU build-id note: namesz, descsz, type, "GNU\0", id bytes. */
    if ( __build_id_end - __build_id_start >= 16 + 20 )
        for ( i = 0, n = 0; i < 20; i++ )
            n += hv_snprintf(hex + n, sizeof(hex) - n, "%02x", id[16 + i]);
    printk("Tessera %s (changeset %s, build-id %s)\n", HV_VERSION, HV_CHANGESET,
           n ? hex : "none");
    printk("Built with %s\n", HV_COMPILER);
}

static const char *e820_name(uint32_t type)
{
    switch ( type )
    {
    case E820_RAM:
        return "RAM";
    case E820_RESERVED:
        return "reserved";
    case E820_ACPI:
        return "ACPI data";
    case E820_NVS:
        return "ACPI NVS";
    case E820_UNUSABLE:
        return "unusable";
    default:
        return "unknown";
    }
}

/* Drop RAM above mem= (when given) from the memory map. */
static void apply_mem_limit(struct boot_info *bi)
{
    unsigned int i;

    if ( !opt_mem )
        return;
    for ( i = 0; i < bi->nr_mem; i++ )
    {
        if ( bi->mem[i].type != E820_RAM || bi->mem[i].end <= opt_mem )
            continue;
        bi->mem[i].end =
            bi->mem[i].start < opt_mem ? opt_mem : bi->mem[i].start;
    }
}

static void print_boot_info(const struct boot_info *bi)
{
    unsigned int i;

    printk("Boot loader: %s (multiboot%u)\n",
           bi->loader[0] ? bi->loader : "unnamed", bi->protocol);
    printk("Command line: %s\n", bi->cmdline);
    printk("Memory map:\n");
    for ( i = 0; i < bi->nr_mem; i++ )
        printk("  %016lx - %016lx %s\n", (unsigned long)bi->mem[i].start,
               (unsigned long)bi->mem[i].end, e820_name(bi->mem[i].type));
    printk("Memory: %lu KiB RAM, top of RAM %#lx\n",
           (unsigned long)(boot_info_ram_bytes(bi) >> 10),
           (unsigned long)boot_info_ram_top(bi));
    printk("Modules: %u\n", bi->nr_mods);
    for ( i = 0; i < bi->nr_mods; i++ )
        printk("  module %u: %#lx - %#lx, %lu bytes, '%s'\n", i,
               (unsigned long)bi->mods[i].start, (unsigned long)bi->mods[i].end,
               (unsigned long)(bi->mods[i].end - bi->mods[i].start),
               bi->mods[i].cmdline);
}

static void memory_init(struct boot_info *bi)
{
    struct mem_reservation resv[BOOT_MAX_MODULES + 4];
    unsigned int nr = 0, i;
    unsigned long frames, nr_frames;
    paddr_t ft;
    uint64_t ft_size;

    resv[nr++] = (struct mem_reservation){ 0, LOW_MEMORY_END,
                                           "low memory (BIOS, AP trampoline)" };
    resv[nr++] =
        (struct mem_reservation){ __pa_image(__image_start),
                                  __pa_image(__image_end), "hypervisor image" };
    for ( i = 0; i < bi->nr_mods; i++ )
        resv[nr++] = (struct mem_reservation){ bi->mods[i].start,
                                               bi->mods[i].end, "module" };

    nr_frames = boot_info_ram_top(bi) >> PAGE_SHIFT;
    ft_size = ROUNDUP(nr_frames * sizeof(struct page_info), PAGE_SIZE);
    ft = mm_find_free(bi, resv, nr, ft_size, PAGE_SIZE, 1ULL << 32);
    if ( !ft )
        panic("no room below 4 GiB for the frame table (%lu KiB)",
              (unsigned long)(ft_size >> 10));
    resv[nr++] = (struct mem_reservation){ ft, ft + ft_size, "frame table" };

    frames = page_alloc_init(maddr_to_virt(ft), nr_frames, bi, resv, nr);
    printk("Frame table: %lu frames at %#lx (%lu KiB); %lu frames (%lu KiB) "
           "free\n",
           nr_frames, (unsigned long)ft, (unsigned long)(ft_size >> 10), frames,
           frames * 4);
    if ( paging_init(bi) )
        panic("RAM beyond the direct map's %lu TiB", DIRECTMAP_SIZE >> 40);
    if ( m2p_init() )
        panic("no memory for the M2P table (%lu KiB)",
              (unsigned long)(nr_frames * 8 >> 10));
}

static void heartbeat(void *data)
{
    struct timer *t = data;

    printk("heartbeat: up %lu s, %u CPUs online\n",
           (unsigned long)(NOW() / 1000000000LL), nr_cpus_online);
    set_timer(t, t->expires + HEARTBEAT_NS);
}

/* Self-checks every boot runs; their results feed test=boot. */
static bool boot_checks(unsigned int cpus_expected)
{
    unsigned long checked, wx = paging_check_wx(&checked);
    int answered = smp_ping_all();
    bool ok = true;

    printk("W^X: %lu mappings checked, %lu both writable and executable\n",
           checked, wx);
    ok &= wx == 0 && checked > 0;
    printk("IPI: %d of %u other CPUs answered\n", answered, nr_cpus_online - 1);
    ok &= answered == (int)nr_cpus_online - 1;
    if ( nr_cpus_online != cpus_expected )
    {
        printk(XENLOG_ERR "SMP: %u CPUs online, expected %u\n", nr_cpus_online,
               cpus_expected);
        ok = false;
    }
    return ok;
}

/* Build domain 0 from the modules and start scheduling on this CPU. */
static void start_dom0(const struct boot_info *bi) __attribute__((noreturn));
static void start_dom0(const struct boot_info *bi)
{
    if ( opt_dom0_mem < (4ULL << 20) )
        panic("dom0_mem=%lu KiB is too small (at least 4 MiB)",
              (unsigned long)(opt_dom0_mem >> 10));
    if ( dom0_build(bi, opt_dom0_mem) )
        panic("could not build domain 0 from '%s' (see above)",
              bi->mods[0].cmdline);
    reset_stack_and_enter_guest();
}

void start_hv(uint32_t magic, uint32_t info) __attribute__((noreturn));
void start_hv(uint32_t magic, uint32_t info)
{
    struct boot_info *bi = &boot_info;
    static struct timer hb_timer;
    unsigned int ids[NR_CPUS], expected;
    int rc, found;

    uart_init("com1");
    print_banner();

    if ( magic == MULTIBOOT2_BOOTLOADER_MAGIC )
        rc = multiboot2_parse(info, boot_phys_map, bi);
    else if ( magic == MULTIBOOT1_BOOTLOADER_MAGIC )
        rc = multiboot1_parse(info, boot_phys_map, bi);
    else
    {
        hv_snprintf(bi->error, sizeof(bi->error),
                    "not started by a multiboot loader (magic %#x)", magic);
        rc = -EINVAL;
    }
    if ( !rc )
        rc = boot_info_check(bi, __pa_image(__image_start),
                             __pa_image(__image_end));
    if ( rc )
        panic("boot information: %s", bi->error);

    /* test= must be known before anything can panic, so parse first. */
    rc = cmdline_parse(cook_cmdline(bi), hv_params, ARRAY_SIZE(hv_params),
                       report_param);
    if ( uart_init(opt_console) )
        printk(XENLOG_ERR "Command line: bad console '%s' (use com1, com2, "
                          "comN,BAUD or none); staying on com1\n",
               opt_console);
    apply_mem_limit(bi);
    print_boot_info(bi);
    if ( rc )
        printk(XENLOG_WARNING "Command line: %d problem(s); see above\n", rc);

    /* Firmware tables lie outside RAM: read them while the boot map lasts. */
    found = acpi_find_cpus(ids, NR_CPUS);
    expected = found > 0 ? MIN((unsigned int)found, opt_maxcpus) : 1;
    if ( expected == 0 )
        expected = 1;
    memory_init(bi);
    gdt_init_cpu(0);
    idt_init();
    idt_load();
    pv_cpu_init();

    apic_init_bsp();
    if ( time_init() )
        panic("time: could not calibrate the TSC and LAPIC timer");
    if ( timer_cpu_init(0) )
        panic("time: no memory for the timer queue");
    sched_init_cpu(0);
    local_irq_enable();

    smp_boot_cpus(ids, found, opt_maxcpus ? opt_maxcpus : 1);
    printk("CPUs: %u online\n", nr_cpus_online);
    rc = boot_checks(expected);

    if ( test_mode && strcmp(opt_test, "dom0") )
        selftest_run(opt_test, rc); /* does not return */
    if ( bi->nr_mods )
        start_dom0(bi); /* does not return */

    printk("Idle: heartbeat every %lld s. Nothing else runs yet.\n",
           HEARTBEAT_NS / 1000000000LL);
    init_timer(&hb_timer, heartbeat, &hb_timer, 0);
    set_timer(&hb_timer, NOW() + HEARTBEAT_NS);
    cpu_idle_loop();
}
