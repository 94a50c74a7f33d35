/*
 * Unit tests for common/pv_build.c: the start-of-day layout for several
 * kernels, module sizes and memory sizes (every invariant of reference
 * §5.2 checked), its error cases, and the writers over fake guest memory
 * (mfn = pfn + MFN_BIAS) with the page tables walked as a CPU would.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hv/errno.h>
#include <hv/lib.h>
#include <hv/pv_build.h>

#define MFN_BIAS 0x1000UL
#define SZ_512K  (512UL << 10)
#define SZ_2M    (2UL << 20)
#define SZ_4M    (4UL << 20)
#define SZ_1G    (1UL << 30)

#define PTE_P    0x001UL
#define PTE_RW   0x002UL
#define PTE_USER 0x004UL
#define PTE_A    0x020UL
#define PTE_D    0x040UL
#define PTE_ADDR 0x000ffffffffff000UL

/* ---- kernels --------------------------------------------------------------- */

static struct xen_elf_params kernel(uint64_t base, uint64_t kstart,
                                    uint64_t kend)
{
    struct xen_elf_params p = { 0 };

    p.virt_base = base;
    p.has_virt_base = base != 0;
    p.virt_kstart = kstart;
    p.virt_kend = kend;
    p.virt_entry = kstart;
    return p;
}

#define LNX_BASE 0xffffffff80000000UL

static struct xen_elf_params linux_kernel(void)
{
    struct xen_elf_params p = kernel(LNX_BASE, LNX_BASE + 0x1000000,
                                     LNX_BASE + 0x1000000 + 0x1a3c123);

    p.has_hypercall_page = true;
    p.hypercall_page = LNX_BASE + 0x1002000;
    p.init_p2m = 0x8000000000UL; /* ignored */
    return p;
}

static struct xen_elf_params xtf_kernel(void)
{
    struct xen_elf_params p = kernel(0, 0x1000, 0xa000);

    p.has_hypercall_page = true;
    p.hypercall_page = 0x2000;
    return p;
}

static struct xen_elf_params minios_kernel(void)
{
    return kernel(0, 0, 0x7a123);
}

/* ---- layout ---------------------------------------------------------------- */

static uint64_t pages(uint64_t bytes)
{
    return ROUNDUP(bytes, PAGE_SIZE) >> PAGE_SHIFT;
}

/* Independent count: L4 + L3 + L2 + one L1 per 2 MiB the region spans. */
static uint64_t tables_for(uint64_t lo, uint64_t hi)
{
    return 3 + (ROUNDUP(hi - ROUNDDOWN(lo, SZ_2M), SZ_2M) >> 21);
}

static void check_layout(const struct xen_elf_params *p, uint64_t mod_len,
                         uint64_t nr_pages, bool rings,
                         const struct pv_layout *l)
{
    uint64_t va, stack_end = l->stack_va + PAGE_SIZE;

    assert_int_equal(l->virt_base, p->virt_base);
    assert_int_equal(l->nr_pages, nr_pages);
    assert_int_equal(l->kern_start, ROUNDDOWN(p->virt_kstart, PAGE_SIZE));
    assert_int_equal(l->kern_end, ROUNDUP(p->virt_kend, PAGE_SIZE));
    va = l->kern_end;
    if ( mod_len )
    {
        assert_int_equal(l->mod_va, va);
        assert_int_equal(l->mod_len, mod_len);
        va += pages(mod_len) * PAGE_SIZE;
    }
    else
        assert_int_equal(l->mod_va | l->mod_len, 0);
    assert_int_equal(l->p2m_va, va);
    va += pages(nr_pages * 8) * PAGE_SIZE;
    assert_int_equal(l->start_info_va, va);
    va += PAGE_SIZE;
    if ( rings )
    {
        assert_int_equal(l->store_va, va);
        assert_int_equal(l->console_va, va + PAGE_SIZE);
        va += 2 * PAGE_SIZE;
    }
    else
        assert_int_equal(l->store_va | l->console_va, 0);
    assert_int_equal(l->pt_va, va);
    va += l->nr_pt_frames * PAGE_SIZE;
    assert_int_equal(l->stack_va, va);
    assert_true(IS_ALIGNED(l->kern_start | l->p2m_va | l->start_info_va |
                               l->pt_va | l->stack_va | l->mod_va,
                           PAGE_SIZE));

    /* Padding: 4 MiB aligned, >= 512 KiB, and not more than needed. */
    assert_true(IS_ALIGNED(l->v_end, SZ_4M));
    assert_true(l->v_end - stack_end >= SZ_512K);
    assert_true(l->v_end - stack_end < SZ_4M + SZ_512K);

    /* Inside the memory, inside one 1 GiB, tables cover the region. */
    assert_true(l->kern_start >= l->virt_base);
    assert_true((l->v_end - l->virt_base) / PAGE_SIZE <= nr_pages);
    assert_int_equal(l->virt_base / SZ_1G, (l->v_end - 1) / SZ_1G);
    assert_int_equal(l->nr_pt_frames, tables_for(l->virt_base, l->v_end));
    assert_int_equal(pv_va_to_pfn(l, l->virt_base), 0);
}

static void test_layout_matrix(void **state)
{
    static const uint64_t mods[] = { 0,          1, 4096, 4097, 5 * SZ_2M + 3,
                                     300UL << 20 };
    static const uint64_t mems[] = { 1024,   2048,    8192,   65536,
                                     262144, 1 << 20, 8 << 20 };
    struct xen_elf_params ks[3] = { linux_kernel(), xtf_kernel(),
                                    minios_kernel() };
    unsigned int k, i, j, r, ok = 0, nomem = 0;

    (void)state;
    for ( k = 0; k < 3; k++ )
        for ( i = 0; i < ARRAY_SIZE(mods); i++ )
            for ( j = 0; j < ARRAY_SIZE(mems); j++ )
                for ( r = 0; r < 2; r++ )
                {
                    struct pv_layout l;
                    const char *why = NULL;
                    int rc = pv_layout_compute(&ks[k], mods[i], mems[j], r, &l,
                                               &why);

                    if ( rc == -ENOMEM )
                    {
                        assert_string_equal(
                            why, "region larger than the domain's memory");
                        assert_true((l.v_end - l.virt_base) / PAGE_SIZE >
                                    mems[j]);
                        nomem++;
                        continue;
                    }
                    if ( rc )
                        fail_msg("kernel %u mod %#lx mem %#lx: %d %s", k,
                                 mods[i], mems[j], rc, why);
                    check_layout(&ks[k], mods[i], mems[j], r, &l);
                    ok++;
                }
    assert_true(ok > 150 && nomem > 20);
}

/* Numbers worked out by hand for the XTF kernel. */
static void test_layout_exact(void **state)
{
    struct xen_elf_params p = xtf_kernel();
    struct pv_layout l;
    const char *why;

    (void)state;
    assert_int_equal(pv_layout_compute(&p, 0, 8192, false, &l, &why), 0);
    assert_int_equal(l.kern_end, 0xa000);
    assert_int_equal(l.p2m_va, 0xa000); /* 64 KiB of p2m */
    assert_int_equal(l.start_info_va, 0x1a000);
    assert_int_equal(l.pt_va, 0x1b000);
    assert_int_equal(l.nr_pt_frames, 5); /* L4, L3, L2, 2 L1s for 4 MiB */
    assert_int_equal(l.stack_va, 0x20000);
    assert_int_equal(l.v_end, 0x400000);

    /*
     * With 5 tables the stack would end 512 KiB - 4 KiB before 4 MiB: add
     * 4 MiB, which needs 2 more L1s, which move the stack 8 KiB on.
     */
    p = kernel(0, 0, 0x372000);
    assert_int_equal(pv_layout_compute(&p, 0, 4096, false, &l, &why), 0);
    assert_int_equal(l.nr_pt_frames, 7);
    assert_int_equal(l.stack_va + PAGE_SIZE, 0x400000 - SZ_512K + 0x3000);
    assert_int_equal(l.v_end, 0x800000);
    /* One page less: exactly 512 KiB of padding is enough. */
    p.virt_kend -= 0x1000;
    assert_int_equal(pv_layout_compute(&p, 0, 4096, false, &l, &why), 0);
    assert_int_equal(l.nr_pt_frames, 5);
    assert_int_equal(l.v_end - l.stack_va - PAGE_SIZE, SZ_512K);
    assert_int_equal(l.v_end, 0x400000);
}

static void test_layout_errors(void **state)
{
    struct xen_elf_params p;
    struct pv_layout l;
    const char *why;

    (void)state;
    /* Region larger than the memory. */
    p = linux_kernel();
    assert_int_equal(pv_layout_compute(&p, 0, 512, false, &l, &why), -ENOMEM);
    assert_string_equal(why, "region larger than the domain's memory");

    /* Kernel near the end of the 1 GiB: the region crosses it. */
    p = kernel(LNX_BASE, LNX_BASE + SZ_1G - SZ_2M, LNX_BASE + SZ_1G - 0x1000);
    assert_int_equal(pv_layout_compute(&p, 0, 1 << 20, false, &l, &why),
                     -EINVAL);
    assert_string_equal(why, "region crosses a 1 GiB boundary");
    p = xtf_kernel();
    assert_int_equal(
        pv_layout_compute(&p, SZ_1G - SZ_4M, 1 << 20, false, &l, &why),
        -EINVAL);
    assert_string_equal(why, "region crosses a 1 GiB boundary");
    /* Too big a module or p2m is refused before any arithmetic. */
    assert_int_equal(pv_layout_compute(&p, 1UL << 63, 1 << 20, false, &l, &why),
                     -EINVAL);
    assert_string_equal(why, "module larger than 1 GiB");
    assert_int_equal(pv_layout_compute(&p, 0, 1UL << 62, false, &l, &why),
                     -EINVAL);
    assert_string_equal(why, "p2m list larger than 1 GiB");
    /* Both too big for memory and crossing: the geometry error wins. */
    assert_int_equal(
        pv_layout_compute(&p, SZ_1G - PAGE_SIZE, 1024, false, &l, &why),
        -EINVAL);
    assert_string_equal(why, "region crosses a 1 GiB boundary");

    /* The hypervisor range, its first and last 1 GiB; just after is fine. */
    p = kernel(0xffff800000000000UL, 0xffff800000001000UL,
               0xffff800000010000UL);
    assert_int_equal(pv_layout_compute(&p, 0, 4096, false, &l, &why), -EINVAL);
    assert_string_equal(why, "region overlaps the hypervisor range");
    p = kernel(0xffff87ffc0000000UL, 0xffff87ffc0000000UL,
               0xffff87ffc0010000UL);
    assert_int_equal(pv_layout_compute(&p, 0, 4096, false, &l, &why), -EINVAL);
    assert_string_equal(why, "region overlaps the hypervisor range");
    p = kernel(0xffff880000000000UL, 0xffff880000000000UL,
               0xffff880000010000UL);
    assert_int_equal(pv_layout_compute(&p, 0, 4096, false, &l, &why), 0);

    /* Non-canonical; wrapping past 2^64. */
    p = kernel(0x0000800000000000UL, 0x0000800000000000UL,
               0x0000800000010000UL);
    assert_int_equal(pv_layout_compute(&p, 0, 4096, false, &l, &why), -EINVAL);
    assert_string_equal(why, "region not canonical");
    p = kernel(0xffffffffc0000000UL, 0xffffffffffe00000UL,
               0xffffffffffe10000UL);
    assert_int_equal(pv_layout_compute(&p, 0, 1 << 20, false, &l, &why),
                     -EINVAL);
    assert_string_equal(why, "region wraps past 2^64");

    /* Kernel and VIRT_BASE. */
    p = kernel(LNX_BASE + 0x800, LNX_BASE + 0x1000, LNX_BASE + 0x2000);
    assert_int_equal(pv_layout_compute(&p, 0, 4096, false, &l, &why), -EINVAL);
    assert_string_equal(why, "VIRT_BASE not page aligned");
    p = kernel(LNX_BASE, LNX_BASE - 0x1000, LNX_BASE + 0x2000);
    assert_int_equal(pv_layout_compute(&p, 0, 4096, false, &l, &why), -EINVAL);
    assert_string_equal(why, "kernel not within 1 GiB above VIRT_BASE");
    p = kernel(0, 0xffffffff81000000UL, 0xffffffff82000000UL); /* no base */
    assert_int_equal(pv_layout_compute(&p, 0, 4096, false, &l, &why), -EINVAL);
    assert_string_equal(why, "kernel not within 1 GiB above VIRT_BASE");

    /* Hypercall page outside the kernel or unaligned. */
    p = linux_kernel();
    p.hypercall_page = LNX_BASE + 0x1000000 - 0x1000;
    assert_int_equal(pv_layout_compute(&p, 0, 1 << 20, false, &l, &why),
                     -EINVAL);
    assert_string_equal(why, "hypercall page not a page of the kernel");
    p.hypercall_page = ROUNDUP(p.virt_kend, PAGE_SIZE);
    assert_int_equal(pv_layout_compute(&p, 0, 1 << 20, false, &l, &why),
                     -EINVAL);
    p.hypercall_page = ROUNDUP(p.virt_kend, PAGE_SIZE) - PAGE_SIZE;
    assert_int_equal(pv_layout_compute(&p, 0, 1 << 20, false, &l, &why), 0);
    p.hypercall_page += 8;
    assert_int_equal(pv_layout_compute(&p, 0, 1 << 20, false, &l, &why),
                     -EINVAL);
}

/* ---- fake guest memory ----------------------------------------------------- */

struct guest
{
    uint8_t *mem;
    uint64_t nr_pages;
    unsigned int maps, hv_calls;
    bool fail_maps;
};

static struct guest g;

static void *g_map(void *ctx, uint64_t pfn)
{
    struct guest *gg = ctx;

    assert_ptr_equal(gg, &g);
    assert_true(pfn < gg->nr_pages);
    gg->maps++;
    return gg->fail_maps ? NULL : gg->mem + pfn * PAGE_SIZE;
}

static uint64_t g_mfn(void *ctx, uint64_t pfn)
{
    (void)ctx;
    return pfn + MFN_BIAS;
}

static const struct pv_mem gmem = { &g, g_map, g_mfn };

static void g_setup(uint64_t nr_pages)
{
    g.nr_pages = nr_pages;
    g.mem = aligned_alloc(PAGE_SIZE, nr_pages * PAGE_SIZE);
    assert_non_null(g.mem);
    memset(g.mem, 0xa5, nr_pages * PAGE_SIZE); /* garbage, as fresh RAM */
    g.maps = g.hv_calls = 0;
    g.fail_maps = false;
}

static int teardown(void **state)
{
    (void)state;
    free(g.mem);
    g.mem = NULL;
    return 0;
}

static uint64_t *g_table(uint64_t entry)
{
    uint64_t mfn = (entry & PTE_ADDR) >> PAGE_SHIFT;

    assert_true(mfn >= MFN_BIAS && mfn - MFN_BIAS < g.nr_pages);
    return (uint64_t *)(g.mem + (mfn - MFN_BIAS) * PAGE_SIZE);
}

/* Walk from the L4 (pfn l4_pfn): the L1 entry for va, or 0 if absent. */
static uint64_t walk(uint64_t l4_pfn, uint64_t va, const struct pv_layout *l)
{
    uint64_t e = ((l4_pfn + MFN_BIAS) << PAGE_SHIFT) | PTE_P;
    unsigned int shift;

    for ( shift = 39; shift >= 21; shift -= 9 )
    {
        uint64_t pt_pfn;

        e = g_table(e)[(va >> shift) & 511];
        if ( !(e & PTE_P) )
            return 0;
        /* Intermediate tables: P|RW|A|D|USER, and inside the table area. */
        assert_int_equal(e & ~PTE_ADDR,
                         PTE_P | PTE_RW | PTE_A | PTE_D | PTE_USER);
        pt_pfn = ((e & PTE_ADDR) >> PAGE_SHIFT) - MFN_BIAS;
        assert_true(pt_pfn > pv_va_to_pfn(l, l->pt_va) &&
                    pt_pfn < pv_va_to_pfn(l, l->pt_va) + l->nr_pt_frames);
    }
    return g_table(e)[(va >> 12) & 511];
}

static void hv_slots(void *ctx, uint64_t *l4)
{
    unsigned int i;

    assert_ptr_equal(ctx, &g);
    g.hv_calls++;
    for ( i = 256; i < 272; i++ )
        l4[i] = 0xdead000UL | PTE_P; /* never followed by the walker */
}

/* Build everything for kernel p and check it through the page tables. */
static void build_and_walk(const struct xen_elf_params *p, uint64_t mod_len,
                           uint64_t nr_pages)
{
    struct pv_layout l;
    const char *why;
    uint64_t va, l4, pt_first, present = 0, pfn;
    uint64_t *l4t;
    unsigned int i;

    g_setup(nr_pages);
    assert_int_equal(pv_layout_compute(p, mod_len, nr_pages, false, &l, &why),
                     0);
    assert_int_equal(pv_write_pagetables(&l, &gmem, hv_slots), 0);
    assert_int_equal(g.hv_calls, 1);
    l4 = pt_first = pv_va_to_pfn(&l, l.pt_va); /* the L4 comes first */

    /* Only the region's slot and the hypervisor's are present in the L4. */
    l4t = (uint64_t *)(g.mem + l4 * PAGE_SIZE);
    for ( i = 0; i < 512; i++ )
        if ( i != ((l.virt_base >> 39) & 511) && (i < 256 || i >= 272) )
            assert_int_equal(l4t[i], 0);

    for ( va = l.virt_base; va != l.v_end; va += PAGE_SIZE )
    {
        uint64_t e = walk(l4, va, &l);
        bool pt = va >= l.pt_va && va < l.stack_va;

        pfn = pv_va_to_pfn(&l, va);
        assert_int_equal(e, ((pfn + MFN_BIAS) << PAGE_SHIFT) | PTE_P | PTE_A |
                                PTE_USER | (pt ? 0 : PTE_RW));
        present++;
    }
    assert_int_equal(present, (l.v_end - l.virt_base) >> PAGE_SHIFT);
    /* Nothing beyond the region (same L1 or a fresh L2 slot). */
    assert_int_equal(walk(l4, l.v_end, &l), 0);
    assert_int_equal(walk(l4, l.v_end + SZ_2M, &l), 0);
    if ( l.virt_base )
        assert_int_equal(walk(l4, l.virt_base - PAGE_SIZE, &l), 0);

    /* Exactly the region's pages are present in the L1s. */
    present = 0;
    for ( pfn = pt_first + 3; pfn < pt_first + l.nr_pt_frames; pfn++ )
        for ( i = 0; i < 512; i++ )
            present += ((uint64_t *)(g.mem + pfn * PAGE_SIZE))[i] & PTE_P;
    assert_int_equal(present, (l.v_end - l.virt_base) >> PAGE_SHIFT);

    /* The p2m, read through the mapping. */
    assert_int_equal(pv_write_p2m(&l, &gmem), 0);
    for ( pfn = 0; pfn < ROUNDUP(nr_pages, 512); pfn++ )
    {
        uint64_t e = walk(l4, l.p2m_va + pfn * 8, &l);
        uint64_t v;

        memcpy(&v, g_table(e) + ((l.p2m_va + pfn * 8) & 0xfff) / 8, 8);
        assert_int_equal(v, pfn < nr_pages ? pfn + MFN_BIAS : ~0UL);
    }
    free(g.mem);
    g.mem = NULL;
}

static void test_pagetables(void **state)
{
    struct xen_elf_params p;

    (void)state;
    p = linux_kernel();
    build_and_walk(&p, 5 * SZ_2M + 3, 32768);
    p = xtf_kernel();
    build_and_walk(&p, 0, 2048);
    p = minios_kernel();
    build_and_walk(&p, 4097, 1500);
    /* A base that is not 2 MiB aligned: the first L1 is partly empty. */
    p = kernel(LNX_BASE + 0x3ff000, LNX_BASE + 0x400000, LNX_BASE + 0x500000);
    build_and_walk(&p, 0, 4096);
    /* A large module: many L1s. */
    p = xtf_kernel();
    build_and_walk(&p, 100 << 20, 30000);
}

static void test_write_failures(void **state)
{
    struct xen_elf_params p = xtf_kernel();
    struct pv_layout l;
    struct pv_start_info_args a = { 0 };
    const char *why;

    (void)state;
    g_setup(2048);
    assert_int_equal(pv_layout_compute(&p, 0, 2048, false, &l, &why), 0);
    g.fail_maps = true;
    assert_int_equal(pv_write_pagetables(&l, &gmem, NULL), -EFAULT);
    assert_int_equal(pv_write_p2m(&l, &gmem), -EFAULT);
    assert_int_equal(pv_write_start_info(&l, &gmem, &a), -EFAULT);
    g.fail_maps = false;
    /* A layout that does not fit its page-table count. */
    l.nr_pt_frames = 3;
    assert_int_equal(pv_write_pagetables(&l, &gmem, NULL), -EINVAL);
}

/* ---- start_info and the hypercall page ------------------------------------- */

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, 8);
    return v;
}

static uint32_t rd32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, 4);
    return v;
}

static void test_start_info(void **state)
{
    struct xen_elf_params p = linux_kernel();
    struct pv_layout l;
    const char *why;
    char cmdline[2000];
    struct pv_start_info_args a = {
        .shared_info_maddr = 0x12345000,
        .flags = 3, /* SIF_PRIVILEGED | SIF_INITDOMAIN */
        .cmdline = "console=hvc0 earlyprintk=xen",
        .store_mfn = 0x777,
        .store_evtchn = 5,
        .console_mfn = 0x888,
        .console_evtchn = 6,
    };
    const uint8_t *si;
    unsigned int i;

    (void)state;
    g_setup(32768);
    assert_int_equal(pv_layout_compute(&p, 0x5000, 32768, true, &l, &why), 0);
    assert_int_equal(pv_write_start_info(&l, &gmem, &a), 0);
    si = g.mem + pv_va_to_pfn(&l, l.start_info_va) * PAGE_SIZE;
    assert_memory_equal(si, "xen-3.0-x86_64\0", 15);
    for ( i = 15; i < 32; i++ )
        assert_int_equal(si[i], 0);
    assert_int_equal(rd64(si + 32), 32768);
    assert_int_equal(rd64(si + 40), 0x12345000);
    assert_int_equal(rd32(si + 48), 3);
    assert_int_equal(rd64(si + 56), 0x777);
    assert_int_equal(rd32(si + 64), 5);
    assert_int_equal(rd64(si + 72), 0); /* dom0: no VGA console info */
    assert_int_equal(rd32(si + 80), 0);
    assert_int_equal(rd64(si + 88), l.pt_va);
    assert_int_equal(rd64(si + 96), l.nr_pt_frames);
    assert_int_equal(rd64(si + 104), l.p2m_va);
    assert_int_equal(rd64(si + 112), l.mod_va);
    assert_int_equal(rd64(si + 112), l.kern_end);
    assert_int_equal(rd64(si + 120), 0x5000);
    assert_string_equal((const char *)si + 128, a.cmdline);
    assert_int_equal(rd64(si + 1152), 0);
    assert_int_equal(rd64(si + 1160), 0);
    for ( i = 128 + strlen(a.cmdline); i < PAGE_SIZE; i++ )
        assert_int_equal(si[i], 0);

    /* domU: console.domU; an over-long command line is cut to 1023. */
    memset(cmdline, 'x', sizeof(cmdline) - 1);
    cmdline[sizeof(cmdline) - 1] = '\0';
    a.flags = 0;
    a.cmdline = cmdline;
    assert_int_equal(pv_write_start_info(&l, &gmem, &a), 0);
    assert_int_equal(rd32(si + 48), 0);
    assert_int_equal(rd64(si + 72), 0x888);
    assert_int_equal(rd32(si + 80), 6);
    assert_int_equal(strlen((const char *)si + 128), 1023);
    assert_int_equal(rd64(si + 1152), 0);
    /* No command line. */
    a.cmdline = NULL;
    assert_int_equal(pv_write_start_info(&l, &gmem, &a), 0);
    assert_int_equal(si[128], 0);
}

static void test_hypercall_page(void **state)
{
    static const uint8_t slot0[14] = {
        0x51, 0x41, 0x53, 0xb8, 0, 0, 0, 0, 0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3
    };
    static const uint8_t slot1[14] = {
        0x51, 0x41, 0x53, 0xb8, 1, 0, 0, 0, 0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3
    };
    static const uint8_t slot127[14] = { 0x51, 0x41, 0x53, 0xb8, 127,
                                         0,    0,    0,    0x0f, 0x05,
                                         0x41, 0x5b, 0x59, 0xc3 };
    static const uint8_t slot23[11] = { 0x51, 0x41, 0x53, 0x50, 0xb8, 0x17,
                                        0,    0,    0,    0x0f, 0x05 };
    uint8_t *page = malloc(PAGE_SIZE);
    unsigned int n, i;

    (void)state;
    memset(page, 0, PAGE_SIZE);
    pv_write_hypercall_page(page);
    assert_memory_equal(page, slot0, 14);
    assert_memory_equal(page + 32, slot1, 14);
    assert_memory_equal(page + 23 * 32, slot23, 11);
    assert_memory_equal(page + 127 * 32, slot127, 14);
    for ( n = 0; n < 128; n++ )
    {
        unsigned int used = n == 23 ? 11 : 14;

        for ( i = used; i < 32; i++ )
            assert_int_equal(page[n * 32 + i], 0xcc);
        if ( n != 23 )
            assert_int_equal(rd32(page + n * 32 + 4), n);
    }
    free(page);
}

#define T(f) cmocka_unit_test_teardown(f, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_layout_matrix),  T(test_layout_exact),   T(test_layout_errors),
        T(test_pagetables),     T(test_write_failures), T(test_start_info),
        T(test_hypercall_page),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
