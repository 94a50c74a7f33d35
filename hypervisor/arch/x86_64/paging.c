/*
 * The hypervisor's own page tables.
 *
 * Built once on the boot CPU, replacing the static boot tables of head.S:
 *  - the image at HV_VIRT_START + physical, 4 KiB pages, W^X by section:
 *    text read-only and executable, rodata read-only, data and bss
 *    writable and never executable;
 *  - the direct map of every E820 RAM range at DIRECTMAP_START + physical,
 *    writable and never executable, 2 MiB pages where a whole aligned
 *    2 MiB is RAM, 4 KiB pages at the edges;
 *  - the fixmap for uncached MMIO pages (the local APIC).
 * Nothing else is mapped; the low identity map exists only while
 * application processors start (paging_map_trampoline).
 *
 * Locking: built before other CPUs run; the fixmap and the trampoline
 * mapping are changed only by the boot CPU during start-up.
 */
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <asm/arch.h>
#include <asm/page.h>
#include <asm/processor.h>

#define _PAGE_PRESENT (1UL << 0)
#define _PAGE_RW      (1UL << 1)
#define _PAGE_USER    (1UL << 2)
#define _PAGE_PWT     (1UL << 3)
#define _PAGE_PCD     (1UL << 4)
#define _PAGE_PSE     (1UL << 7)
#define _PAGE_GLOBAL  (1UL << 8)
#define _PAGE_NX      (1UL << 63)
#define PADDR_MASK    0x000ffffffffff000UL

#define L1_SHIFT       12
#define L2_SHIFT       21
#define L3_SHIFT       30
#define L4_SHIFT       39
#define IDX(va, shift) (((va) >> (shift)) & 511)

extern const char __text_start[], __text_end[], __rodata_start[],
    __rodata_end[], __data_start[], __image_end[];

static uint64_t *idle_l4;
static bool nx_ok;

static uint64_t *alloc_table(void)
{
    /* Below 4 GiB: reachable through the boot direct map while building. */
    struct page_info *pg = alloc_pages(0, 1UL << (32 - PAGE_SHIFT));
    uint64_t *t;

    if ( !pg )
        panic("paging: out of memory for page tables");
    t = mfn_to_virt(page_to_mfn(pg));
    memset(t, 0, PAGE_SIZE);
    return t;
}

static uint64_t *next_table(uint64_t *table, unsigned int idx)
{
    if ( !(table[idx] & _PAGE_PRESENT) )
        table[idx] = virt_to_maddr(alloc_table()) | _PAGE_PRESENT | _PAGE_RW;
    BUG_ON(table[idx] & _PAGE_PSE);
    return maddr_to_virt(table[idx] & PADDR_MASK);
}

static uint64_t nx(uint64_t flags)
{
    return nx_ok ? flags | _PAGE_NX : flags;
}

static void map_4k(unsigned long va, paddr_t pa, uint64_t flags)
{
    uint64_t *l3 = next_table(idle_l4, IDX(va, L4_SHIFT));
    uint64_t *l2 = next_table(l3, IDX(va, L3_SHIFT));
    uint64_t *l1 = next_table(l2, IDX(va, L2_SHIFT));

    l1[IDX(va, L1_SHIFT)] = pa | flags | _PAGE_PRESENT;
}

static void map_2m(unsigned long va, paddr_t pa, uint64_t flags)
{
    uint64_t *l3 = next_table(idle_l4, IDX(va, L4_SHIFT));
    uint64_t *l2 = next_table(l3, IDX(va, L3_SHIFT));

    l2[IDX(va, L2_SHIFT)] = pa | flags | _PAGE_PRESENT | _PAGE_PSE;
}

static void map_image(void)
{
    unsigned long va;

    for ( va = (unsigned long)__text_start; va < (unsigned long)__image_end;
          va += PAGE_SIZE )
    {
        uint64_t flags;

        if ( va < (unsigned long)__text_end )
            flags = 0; /* R-X */
        else if ( va < (unsigned long)__rodata_end )
            flags = nx(0); /* R-- */
        else
            flags = nx(_PAGE_RW); /* RW- */
        map_4k(va, va - HV_VIRT_START, flags | _PAGE_GLOBAL);
    }
}

static void map_direct(paddr_t start, paddr_t end)
{
    paddr_t pa = ROUNDUP(start, PAGE_SIZE);
    uint64_t flags = nx(_PAGE_RW) | _PAGE_GLOBAL;

    end = ROUNDDOWN(end, PAGE_SIZE);
    while ( pa < end )
    {
        if ( IS_ALIGNED(pa, 1UL << L2_SHIFT) && end - pa >= (1UL << L2_SHIFT) )
        {
            map_2m(DIRECTMAP_START + pa, pa, flags);
            pa += 1UL << L2_SHIFT;
        }
        else
        {
            map_4k(DIRECTMAP_START + pa, pa, flags);
            pa += PAGE_SIZE;
        }
    }
}

int paging_init(const struct boot_info *bi)
{
    unsigned int i;

    nx_ok = rdmsr(MSR_EFER) & EFER_NXE;
    if ( !nx_ok )
        printk(XENLOG_WARNING "paging: CPU has no NX; W^X is only W-or-R\n");

    idle_l4 = alloc_table();
    map_image();
    for ( i = 0; i < bi->nr_mem; i++ )
    {
        if ( bi->mem[i].type != E820_RAM )
            continue;
        if ( bi->mem[i].end > DIRECTMAP_SIZE )
            return -ERANGE;
        map_direct(bi->mem[i].start, bi->mem[i].end);
    }
    /* The fixmap's tables exist from now on; slots are filled later. */
    (void)next_table(
        next_table(next_table(idle_l4, IDX(FIXMAP_VIRT_START, L4_SHIFT)),
                   IDX(FIXMAP_VIRT_START, L3_SHIFT)),
        IDX(FIXMAP_VIRT_START, L2_SHIFT));

    write_cr4(read_cr4() | X86_CR4_PGE);
    write_cr3(virt_to_maddr(idle_l4));
    return 0;
}

/*
 * Map nr frames from mfn at va read-only for guests (USER at every level,
 * never writable or executable): the M2P table in L4 slot 256, which is
 * used for nothing else, so its intermediate tables may carry USER.
 */
void paging_map_guest_ro(unsigned long va, unsigned long mfn, unsigned long nr)
{
    unsigned long i;

    BUG_ON(IDX(va, L4_SHIFT) != 256 ||
           IDX(va + nr * PAGE_SIZE - 1, L4_SHIFT) != 256);
    for ( i = 0; i < nr; i++, va += PAGE_SIZE )
    {
        uint64_t *l3 = next_table(idle_l4, IDX(va, L4_SHIFT));
        uint64_t *l2, *l1;

        idle_l4[IDX(va, L4_SHIFT)] |= _PAGE_USER;
        l2 = next_table(l3, IDX(va, L3_SHIFT));
        l3[IDX(va, L3_SHIFT)] |= _PAGE_USER;
        l1 = next_table(l2, IDX(va, L2_SHIFT));
        l2[IDX(va, L2_SHIFT)] |= _PAGE_USER;
        l1[IDX(va, L1_SHIFT)] =
            ((mfn + i) << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_USER | nx(0);
    }
    flush_tlb_local();
}

/*
 * Map one page at a hypervisor address (the per-CPU GDT areas): never
 * executable, writable only when asked.  Local invlpg only: each CPU's
 * area is used by that CPU alone.
 */
void paging_map_hv_page(unsigned long va, unsigned long mfn, bool rw)
{
    map_4k(va, (paddr_t)mfn << PAGE_SHIFT, nx(rw ? _PAGE_RW : 0));
    invlpg(va);
}

/* The hypervisor's L4 slots 256-271, as every guest L4 must carry them. */
void paging_copy_hv_slots(uint64_t *l4)
{
    unsigned int i;

    for ( i = 256; i < 272; i++ )
        l4[i] = idle_l4[i];
}

paddr_t paging_idle_cr3(void)
{
    return virt_to_maddr(idle_l4);
}

void *fixmap_map(unsigned int slot, paddr_t pa)
{
    unsigned long va = FIXMAP_VIRT_START + slot * PAGE_SIZE;

    BUG_ON(slot >= 512);
    map_4k(va, pa & PAGE_MASK, nx(_PAGE_RW | _PAGE_PCD | _PAGE_PWT));
    invlpg(va);
    return (void *)(va + (pa & ~PAGE_MASK));
}

/*
 * Identity-map the first 2 MiB (read-only, executable) so an AP can run the
 * trampoline while it turns paging on; removed again once all APs are up.
 */
void paging_map_trampoline(bool map)
{
    static uint64_t *l3;

    if ( map )
    {
        l3 = alloc_table();
        uint64_t *l2 = alloc_table();

        l2[0] = 0 | _PAGE_PRESENT | _PAGE_PSE;
        l3[0] = virt_to_maddr(l2) | _PAGE_PRESENT | _PAGE_RW;
        idle_l4[0] = virt_to_maddr(l3) | _PAGE_PRESENT | _PAGE_RW;
    }
    else if ( idle_l4[0] )
    {
        uint64_t *l2 = maddr_to_virt(l3[0] & PADDR_MASK);

        idle_l4[0] = 0;
        free_pages(mfn_to_page(virt_to_mfn(l2)), 0);
        free_pages(mfn_to_page(virt_to_mfn(l3)), 0);
    }
    flush_tlb_local(); /* global entries too */
}

/*
 * Count present leaf mappings that are both writable and executable.
 * *checked receives the number of leaves examined.
 */
unsigned long paging_check_wx(unsigned long *checked)
{
    unsigned long bad = 0, n = 0;
    unsigned int i4, i3, i2, i1;

    for ( i4 = 0; i4 < 512; i4++ )
    {
        uint64_t e4 = idle_l4[i4], *l3;

        if ( !(e4 & _PAGE_PRESENT) )
            continue;
        l3 = maddr_to_virt(e4 & PADDR_MASK);
        for ( i3 = 0; i3 < 512; i3++ )
        {
            uint64_t *l2;

            if ( !(l3[i3] & _PAGE_PRESENT) )
                continue;
            l2 = maddr_to_virt(l3[i3] & PADDR_MASK);
            for ( i2 = 0; i2 < 512; i2++ )
            {
                uint64_t e2 = l2[i2], *l1;

                if ( !(e2 & _PAGE_PRESENT) )
                    continue;
                if ( e2 & _PAGE_PSE )
                {
                    n++;
                    bad += (e2 & _PAGE_RW) && !(e2 & _PAGE_NX);
                    continue;
                }
                l1 = maddr_to_virt(e2 & PADDR_MASK);
                for ( i1 = 0; i1 < 512; i1++ )
                {
                    if ( !(l1[i1] & _PAGE_PRESENT) )
                        continue;
                    n++;
                    bad += (l1[i1] & _PAGE_RW) && !(l1[i1] & _PAGE_NX);
                }
            }
        }
    }
    *checked = n;
    return bad;
}
