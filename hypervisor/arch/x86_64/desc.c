/*
 * Per-CPU GDT and TSS.
 *
 * Each CPU's GDT spans 15 pages as in Xen: 14 pages a PV guest may fill
 * later, then the hypervisor's reserved page at byte 0xe000 holding the
 * ring-0 selectors, the ring-3 flat selectors of the PV ABI and the TSS.
 * The TSS gives every CPU its own IST stacks for #DF, NMI and #MC, inside
 * the CPU's stack block (asm/smp.h).
 *
 * The GDT register of a CPU points at its GDT area, a virtual window of 15
 * pages: pages 0-13 map the running vCPU's GDT frames read-only (set_gdt),
 * or a shared zero page where it has none; page 14 is the CPU's reserved
 * page.  Switching vCPUs remaps only the pages that change.
 *
 * Locking: each CPU builds, loads and remaps only its own tables.
 */
#include <hv/lib.h>
#include <hv/mm.h>
#include <asm/arch.h>
#include <asm/desc.h>
#include <asm/page.h>
#include <asm/smp.h>

#define GDT_ORDER 4 /* 16 pages: 15 used */

static uint64_t *gdt_of[NR_CPUS];
static unsigned long gdt_zero_mfn;
static unsigned long gdt_mapped[NR_CPUS][FIRST_RESERVED_GDT_PAGE];

/* 64 KiB of hypervisor address space per CPU, after the fixmap's 2 MiB. */
#define GDT_AREA(cpu) \
    (FIXMAP_VIRT_START + (2UL << 20) + (unsigned long)(cpu) * (16UL << 12))
/* Another 64 KiB per CPU for the LDT (8192 descriptors), after those. */
#define LDT_AREA(cpu) \
    (FIXMAP_VIRT_START + (6UL << 20) + (unsigned long)(cpu) * (16UL << 12))
#define LDT_SEL   0xe050 /* after the TSS, as in Xen's reserved page */
#define LDT_PAGES 16

static unsigned long ldt_mapped[NR_CPUS][LDT_PAGES];

/*
 * Show nr LDT frames (read-only) in this CPU's LDT area and load an LDT of
 * ents descriptors over them, or none when ents is 0.  The caller holds
 * seg_desc references on the frames while they are shown.
 */
void ldt_show_guest_frames(const unsigned long *frames, unsigned int nr,
                           unsigned int ents)
{
    unsigned int cpu = smp_processor_id(), i;
    uint64_t *slot = &gdt_of[cpu][LDT_SEL >> 3];
    uint64_t base = LDT_AREA(cpu), limit = ents * 8 - 1;

    for ( i = 0; i < nr; i++ )
        if ( ldt_mapped[cpu][i] != frames[i] )
        {
            paging_map_hv_page(LDT_AREA(cpu) + i * PAGE_SIZE, frames[i], false);
            ldt_mapped[cpu][i] = frames[i];
        }
    if ( !ents )
    {
        __asm__ volatile("lldt %w0" ::"r"(0));
        return;
    }
    /* A 16-byte LDT system descriptor (type 2), present, DPL 0. */
    slot[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x82UL << 40) |
              ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
    slot[1] = base >> 32;
    __asm__ volatile("lldt %w0" ::"r"(LDT_SEL));
}

/*
 * Show nr guest GDT frames (read-only) in this CPU's GDT area, the zero
 * page after them.  The caller holds references that keep the frames
 * descriptor pages while they are shown.
 */
void gdt_show_guest_frames(const unsigned long *frames, unsigned int nr)
{
    unsigned int cpu = smp_processor_id(), i;

    for ( i = 0; i < FIRST_RESERVED_GDT_PAGE; i++ )
    {
        unsigned long want = i < nr ? frames[i] : gdt_zero_mfn;

        if ( gdt_mapped[cpu][i] != want )
        {
            paging_map_hv_page(GDT_AREA(cpu) + i * PAGE_SIZE, want, false);
            gdt_mapped[cpu][i] = want;
        }
    }
}
static struct tss64 tss_of[NR_CPUS] __attribute__((aligned(128)));

static uint64_t *reserved_entry(uint64_t *gdt, unsigned int sel)
{
    return &gdt[sel >> 3];
}

static void set_tss_desc(uint64_t *slot, const struct tss64 *tss)
{
    uint64_t base = (uint64_t)tss, limit = sizeof(*tss) - 1;

    slot[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
              (0x89UL << 40) | /* present, 64-bit TSS */
              ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
    slot[1] = base >> 32;
}

void gdt_init_cpu(unsigned int cpu)
{
    struct page_info *pg;
    struct tss64 *tss = &tss_of[cpu];
    unsigned long block = (unsigned long)get_cpu_info() & ~(STACK_SIZE - 1);
    uint64_t *gdt = gdt_of[cpu];
    struct __packed
    {
        uint16_t limit;
        uint64_t base;
    } gdtr;

    if ( !gdt )
    {
        pg = alloc_pages(GDT_ORDER, ~0UL);
        if ( !pg )
            panic("CPU %u: no memory for its GDT", cpu);
        gdt = mfn_to_virt(page_to_mfn(pg));
        memset(gdt, 0, PAGE_SIZE << GDT_ORDER);
        gdt_of[cpu] = gdt;
    }

    *reserved_entry(gdt, HV_CS) = 0x00af9b000000ffffUL;
    *reserved_entry(gdt, HV_DS) = 0x00cf93000000ffffUL;
    *reserved_entry(gdt, HV_CS32) = 0x00cf9b000000ffffUL;
    *reserved_entry(gdt, RING3_CS32) = 0x00cffb000000ffffUL;
    *reserved_entry(gdt, RING3_DS) = 0x00cff3000000ffffUL;
    *reserved_entry(gdt, RING3_CS64) = 0x00affb000000ffffUL;

    memset(tss, 0, sizeof(*tss));
    tss->rsp[0] = (uint64_t)get_cpu_info();
    tss->ist[IST_DF - 1] = block + (STACK_PAGE_DF + 1) * PAGE_SIZE;
    tss->ist[IST_NMI - 1] = block + (STACK_PAGE_NMI + 1) * PAGE_SIZE;
    tss->ist[IST_MC - 1] = block + (STACK_PAGE_MC + 1) * PAGE_SIZE;
    tss->iomap_base = sizeof(*tss); /* no I/O bitmap */
    set_tss_desc(reserved_entry(gdt, TSS_SEL), tss);

    if ( !gdt_zero_mfn )
    {
        pg = alloc_pages(0, ~0UL);
        if ( !pg )
            panic("no memory for the zero GDT page");
        gdt_zero_mfn = page_to_mfn(pg);
        memset(mfn_to_virt(gdt_zero_mfn), 0, PAGE_SIZE);
    }
    gdt_show_guest_frames(NULL, 0);
    paging_map_hv_page(GDT_AREA(cpu) + FIRST_RESERVED_GDT_PAGE * PAGE_SIZE,
                       virt_to_mfn(gdt) + FIRST_RESERVED_GDT_PAGE, true);
    gdtr.limit = GDT_LIMIT;
    gdtr.base = GDT_AREA(cpu);
    __asm__ volatile("lgdt %0\n\t"
                     "pushq %1\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "mov %w2, %%ss\n\t"
                     "mov %w3, %%ds\n\t"
                     "mov %w3, %%es\n\t"
                     "ltr %w4"
                     :
                     : "m"(gdtr), "i"(HV_CS), "r"(HV_DS), "r"(0), "r"(TSS_SEL)
                     : "rax", "memory");
}
