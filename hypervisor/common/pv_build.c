/*
 * PV start-of-day layout (PV_BUILD): the 64-bit PV bootstrap region of
 * Xen's public xen.h contract and the writers that fill it in a new
 * domain's memory (page tables, p2m list, start_info, hypercall page).
 *
 * One region [virt_base, v_end) maps pfn 0..N in order (VA = virt_base +
 * pfn * 4096): kernel, module, p2m list, start_info, xenstore and console
 * pages (domU), bootstrap page tables (L4 first, then the L3, the L2 and
 * the L1s), boot stack, padding to a 4 MiB boundary with at least 512 KiB
 * after the stack (reference §5.2).  The whole region lies in one
 * naturally aligned 1 GiB, so it takes exactly one L4, one L3 and one L2
 * page plus one L1 per 2 MiB spanned.
 *
 * Not supported yet, deliberately: XEN_ELFNOTE_INIT_P2M and
 * XEN_ELFNOTE_MOD_START_PFN are ignored.  The p2m list always lives in the
 * region (what both Xen builders do for a kernel without INIT_P2M; Linux
 * accepts an in-region mfn_list) and the module is always mapped, so
 * mod_start is a VA and SIF_MOD_START_PFN is never set.  start_info's
 * first_p2m_pfn and nr_p2m_frames are therefore 0, as libxenguest leaves
 * them without INIT_P2M.
 *
 * Locking: none; the caller owns the new domain's memory while building.
 */
#include <hv/errno.h>
#include <hv/lib.h>
#include <hv/pv_build.h>
#include <public/xen.h>

#define SZ_512K (512UL << 10)
#define SZ_4M   (4UL << 20)
#define SZ_1G   (1UL << 30)

#define L2_SHIFT 21
#define L3_SHIFT 30
#define L4_SHIFT 39

#define PTE_P    0x001UL
#define PTE_RW   0x002UL
#define PTE_USER 0x004UL
#define PTE_A    0x020UL
#define PTE_D    0x040UL

/* Flags of the bootstrap entries (reference §5.3). */
#define TABLE_FLAGS (PTE_P | PTE_RW | PTE_A | PTE_D | PTE_USER)
#define LEAF_FLAGS  (PTE_P | PTE_RW | PTE_A | PTE_USER)

/* The hypervisor's part of the address space (HYPERVISOR_VIRT_START/END). */
#define HV_VIRT_START 0xffff800000000000UL
#define HV_VIRT_END   0xffff880000000000UL

/* Canonical-address hole of 4-level paging. */
#define NONCANON_START 0x0000800000000000UL
#define NONCANON_END   0xffff800000000000UL

/* The L4, the L3 and the L2 precede the L1s in the page-table area. */
#define PT_FIXED 3

#define PT_ENTRY(va, shift) (((va) >> (shift)) & 511)

/* Tables of level 1 << shift needed to map [lo, hi), hi > lo. */
static uint64_t nr_tables(uint64_t lo, uint64_t hi, unsigned int shift)
{
    return ((hi - 1) >> shift) - (lo >> shift) + 1;
}

/* Page tables Xen's dom0 builder counts for [lo, hi): L4 + L3s + L2s + L1s. */
static uint64_t pt_needed(uint64_t lo, uint64_t hi)
{
    return 1 + nr_tables(lo, hi, L4_SHIFT) + nr_tables(lo, hi, L3_SHIFT) +
           nr_tables(lo, hi, L2_SHIFT);
}

static int bad(const char **why, int rc, const char *msg)
{
    *why = msg;
    return rc;
}

/*
 * Place the elements that precede the page tables, as offsets from
 * virt_base.  Every input is bounded to 1 GiB first, so no sum can wrap;
 * anything larger could not fit in one 1 GiB L2 anyway.
 */
static int place_front(const struct xen_elf_params *p, uint64_t mod_len,
                       uint64_t nr_pages, bool with_rings, struct pv_layout *l,
                       uint64_t *end, const char **why)
{
    uint64_t base = p->virt_base, off;

    if ( !IS_ALIGNED(base, PAGE_SIZE) )
        return bad(why, -EINVAL, "VIRT_BASE not page aligned");
    if ( p->virt_kstart < base || p->virt_kend <= p->virt_kstart ||
         p->virt_kend - base > SZ_1G )
        return bad(why, -EINVAL, "kernel not within 1 GiB above VIRT_BASE");
    if ( mod_len > SZ_1G )
        return bad(why, -EINVAL, "module larger than 1 GiB");
    if ( nr_pages > SZ_1G / sizeof(uint64_t) )
        return bad(why, -EINVAL, "p2m list larger than 1 GiB");
    l->kern_start = ROUNDDOWN(p->virt_kstart, PAGE_SIZE);
    off = ROUNDUP(p->virt_kend - base, PAGE_SIZE);
    l->kern_end = base + off;
    if ( mod_len )
    {
        l->mod_va = base + off;
        l->mod_len = mod_len;
        off += ROUNDUP(mod_len, PAGE_SIZE);
    }
    l->p2m_va = base + off;
    off += ROUNDUP(nr_pages * sizeof(uint64_t), PAGE_SIZE);
    l->start_info_va = base + off;
    off += PAGE_SIZE;
    if ( with_rings )
    {
        l->store_va = base + off;
        l->console_va = base + off + PAGE_SIZE;
        off += 2 * PAGE_SIZE;
    }
    *end = off;
    return 0;
}

static int check_region(const struct xen_elf_params *p,
                        const struct pv_layout *l, const char **why)
{
    uint64_t base = l->virt_base, last = l->v_end - 1;

    if ( base >= NONCANON_START && base < NONCANON_END )
        return bad(why, -EINVAL, "region not canonical");
    if ( (base >> L3_SHIFT) != (last >> L3_SHIFT) )
        return bad(why, -EINVAL, "region crosses a 1 GiB boundary");
    if ( base < HV_VIRT_END && last >= HV_VIRT_START )
        return bad(why, -EINVAL, "region overlaps the hypervisor range");
    if ( p->has_hypercall_page && (!IS_ALIGNED(p->hypercall_page, PAGE_SIZE) ||
                                   p->hypercall_page < l->kern_start ||
                                   p->hypercall_page >= l->kern_end) )
        return bad(why, -EINVAL, "hypercall page not a page of the kernel");
    if ( (l->v_end - base) >> PAGE_SHIFT > l->nr_pages )
        return bad(why, -ENOMEM, "region larger than the domain's memory");
    return 0;
}

int pv_layout_compute(const struct xen_elf_params *p, uint64_t mod_len,
                      uint64_t nr_pages, bool with_rings, struct pv_layout *l,
                      const char **why)
{
    uint64_t base = p->virt_base, pt_off, end, v_end;
    unsigned int nr_pt;
    int rc;

    memset(l, 0, sizeof(*l));
    l->virt_base = base;
    l->nr_pages = nr_pages;
    rc = place_front(p, mod_len, nr_pages, with_rings, l, &pt_off, why);
    if ( rc )
        return rc;

    /*
     * The tables map themselves: grow them until they cover the region
     * they end up in (Xen's dom0 loop; v_end is an absolute 4 MiB
     * boundary).  The first count that suffices is exact, as the need
     * only grows with the count.  pt_off < 3 GiB + 3 pages, so at most a
     * few thousand rounds.
     */
    for ( nr_pt = 1;; nr_pt++ )
    {
        end = base + pt_off + (uint64_t)(nr_pt + 1) * PAGE_SIZE; /* stack */
        v_end = ROUNDUP(end, SZ_4M);
        if ( v_end - end < SZ_512K )
            v_end += SZ_4M;
        if ( end <= base || v_end <= end )
            return bad(why, -EINVAL, "region wraps past 2^64");
        if ( pt_needed(base, v_end) <= nr_pt )
            break;
    }
    l->pt_va = base + pt_off;
    l->nr_pt_frames = nr_pt;
    l->stack_va = l->pt_va + (uint64_t)nr_pt * PAGE_SIZE;
    l->v_end = v_end;
    return check_region(p, l, why);
}

/* ---- writers ------------------------------------------------------------ */

static uint64_t *map_table(const struct pv_mem *m, uint64_t pfn)
{
    return m->map_pfn(m->ctx, pfn);
}

static uint64_t table_entry(const struct pv_mem *m, uint64_t pfn)
{
    return (m->pfn_to_mfn(m->ctx, pfn) << PAGE_SHIFT) | TABLE_FLAGS;
}

/*
 * Fill L1 number i (covering 2 MiB from l1_va): every page of the region
 * in it maps its pfn; the page-table frames themselves read-only.
 */
static int write_l1(const struct pv_layout *l, const struct pv_mem *m,
                    uint64_t l1_pfn, uint64_t l1_va)
{
    uint64_t pt_first = pv_va_to_pfn(l, l->pt_va);
    uint64_t pt_end = pt_first + l->nr_pt_frames;
    uint64_t va = MAX(l1_va, l->virt_base);
    uint64_t stop = MIN(l1_va + (1UL << L2_SHIFT) - 1, l->v_end - 1);
    uint64_t *t = map_table(m, l1_pfn);

    if ( !t )
        return -EFAULT;
    for ( ; va <= stop && va >= l1_va; va += PAGE_SIZE )
    {
        uint64_t pfn = pv_va_to_pfn(l, va);
        uint64_t flags = LEAF_FLAGS;

        if ( pfn >= pt_first && pfn < pt_end )
            flags &= ~PTE_RW;
        t[PT_ENTRY(va, PAGE_SHIFT)] =
            (m->pfn_to_mfn(m->ctx, pfn) << PAGE_SHIFT) | flags;
    }
    return 0;
}

int pv_write_pagetables(const struct pv_layout *l, const struct pv_mem *m,
                        void (*hv_slots)(void *ctx, uint64_t *l4))
{
    uint64_t pt = pv_va_to_pfn(l, l->pt_va);
    uint64_t nr_l1 = nr_tables(l->virt_base, l->v_end, L2_SHIFT);
    uint64_t l1_va = ROUNDDOWN(l->virt_base, 1UL << L2_SHIFT), i;
    uint64_t *t;
    int rc;

    /* A layout from pv_layout_compute() always passes this. */
    if ( nr_tables(l->virt_base, l->v_end, L3_SHIFT) != 1 ||
         PT_FIXED + nr_l1 > l->nr_pt_frames )
        return -EINVAL;
    for ( i = 0; i < l->nr_pt_frames; i++ )
    {
        t = map_table(m, pt + i);
        if ( !t )
            return -EFAULT;
        memset(t, 0, PAGE_SIZE);
    }
    for ( i = 0; i < nr_l1; i++ )
    {
        rc = write_l1(l, m, pt + PT_FIXED + i, l1_va + (i << L2_SHIFT));
        if ( rc )
            return rc;
    }
    t = map_table(m, pt + 2);
    if ( !t )
        return -EFAULT;
    for ( i = 0; i < nr_l1; i++ )
        t[PT_ENTRY(l1_va, L2_SHIFT) + i] = table_entry(m, pt + PT_FIXED + i);
    t = map_table(m, pt + 1);
    if ( !t )
        return -EFAULT;
    t[PT_ENTRY(l->virt_base, L3_SHIFT)] = table_entry(m, pt + 2);
    t = map_table(m, pt);
    if ( !t )
        return -EFAULT;
    t[PT_ENTRY(l->virt_base, L4_SHIFT)] = table_entry(m, pt + 1);
    if ( hv_slots )
        hv_slots(m->ctx, t);
    return 0;
}

int pv_write_p2m(const struct pv_layout *l, const struct pv_mem *m)
{
    uint64_t first = pv_va_to_pfn(l, l->p2m_va), pfn = 0;
    uint64_t nr =
        ROUNDUP(l->nr_pages * sizeof(uint64_t), PAGE_SIZE) >> PAGE_SHIFT;
    uint64_t i;
    unsigned int k;

    for ( i = 0; i < nr; i++ )
    {
        uint64_t *t = map_table(m, first + i);

        if ( !t )
            return -EFAULT;
        for ( k = 0; k < PAGE_SIZE / sizeof(uint64_t); k++, pfn++ )
            t[k] = pfn < l->nr_pages ? m->pfn_to_mfn(m->ctx, pfn) : ~0UL;
    }
    return 0;
}

int pv_write_start_info(const struct pv_layout *l, const struct pv_mem *m,
                        const struct pv_start_info_args *a)
{
    struct start_info *si =
        m->map_pfn(m->ctx, pv_va_to_pfn(l, l->start_info_va));

    if ( !si )
        return -EFAULT;
    memset(si, 0, PAGE_SIZE);
    hv_strlcpy(si->magic, "xen-3.0-x86_64", sizeof(si->magic));
    si->nr_pages = l->nr_pages;
    si->shared_info = a->shared_info_maddr;
    si->flags = a->flags;
    si->store_mfn = a->store_mfn;
    si->store_evtchn = a->store_evtchn;
    /* dom0's console.dom0 (VGA info) stays 0: there is none to give. */
    if ( !(a->flags & SIF_INITDOMAIN) )
    {
        si->console.domU.mfn = a->console_mfn;
        si->console.domU.evtchn = a->console_evtchn;
    }
    si->pt_base = l->pt_va;
    si->nr_pt_frames = l->nr_pt_frames;
    si->mfn_list = l->p2m_va;
    si->mod_start = l->mod_va;
    si->mod_len = l->mod_len;
    hv_strlcpy(si->cmd_line, a->cmdline ? a->cmdline : "",
               sizeof(si->cmd_line));
    return 0;
}

void pv_write_hypercall_page(void *page)
{
    /* push %rcx; push %r11; mov $n,%eax; syscall; pop %r11; pop %rcx; ret */
    static const uint8_t call[14] = {
        0x51, 0x41, 0x53, 0xb8, 0, 0, 0, 0, 0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3
    };
    /* push %rcx; push %r11; push %rax; mov $23,%eax; syscall */
    static const uint8_t iret[11] = { 0x51, 0x41, 0x53, 0x50, 0xb8, 23,
                                      0,    0,    0,    0x0f, 0x05 };
    uint8_t *p = page;
    uint32_t n;

    memset(p, 0xcc, PAGE_SIZE); /* int3 */
    for ( n = 0; n < PAGE_SIZE / 32; n++, p += 32 )
    {
        if ( n == __HYPERVISOR_iret )
        {
            memcpy(p, iret, sizeof(iret));
            continue;
        }
        memcpy(p, call, sizeof(call));
        memcpy(p + 4, &n, sizeof(n));
    }
}
