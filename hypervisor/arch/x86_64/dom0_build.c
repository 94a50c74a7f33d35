/*
 * The ring-0 PV builder: builds the initial domain (domid 0) from the first
 * boot module, with Xen's 64-bit PV start-of-day layout, and hands it every
 * other module as one cpio archive.  The layout and page-table writing are
 * common/pv_build.c (shared with libxc-min); this file finds memory, loads
 * the image and sets up vCPU 0.
 *
 * Domain 0's memory is one physically contiguous block, so its module and
 * image land in machine memory that the direct map reaches in one piece.
 *
 * Locking: runs on the boot CPU before scheduling starts.
 */
#include <hv/console.h>
#include <hv/cpio.h>
#include <hv/domain.h>
#include <hv/elf.h>
#include <hv/errno.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/pagetype.h>
#include <hv/pv_build.h>
#include <hv/sched.h>
#include <public/domctl.h>
#include <public/xen.h>
#include <asm/arch.h>
#include <asm/page.h>
#include <asm/pv.h>

struct dom0_mem
{
    unsigned long base_mfn;
    unsigned long nr_pages;
    uint64_t virt_base;
};

static void *d0_map_pfn(void *ctx, uint64_t pfn)
{
    struct dom0_mem *m = ctx;

    return pfn < m->nr_pages ? mfn_to_virt(m->base_mfn + pfn) : NULL;
}

static uint64_t d0_pfn_to_mfn(void *ctx, uint64_t pfn)
{
    struct dom0_mem *m = ctx;

    return m->base_mfn + pfn;
}

static int d0_write(void *ctx, uint64_t va, const void *src, size_t len)
{
    struct dom0_mem *m = ctx;
    uint64_t off = va - m->virt_base;
    uint8_t *dst;

    if ( va < m->virt_base || off > (m->nr_pages << PAGE_SHIFT) ||
         len > (m->nr_pages << PAGE_SHIFT) - off )
        return -EINVAL;
    dst = (uint8_t *)mfn_to_virt(m->base_mfn) + off;
    if ( src )
        memcpy(dst, src, len);
    else
        memset(dst, 0, len);
    return 0;
}

static void d0_hv_slots(void *ctx, uint64_t *l4)
{
    (void)ctx;
    paging_copy_hv_slots(l4);
}

/* Allocate exactly nr contiguous frames: a power-of-two block, tail freed. */
static long alloc_contig(unsigned long nr)
{
    unsigned int order = 0;
    struct page_info *pg;
    unsigned long base, end, p;

    while ( (1UL << order) < nr )
        order++;
    if ( order > MAX_ORDER )
        return -ENOMEM;
    pg = alloc_pages(order, ~0UL);
    if ( !pg )
        return -ENOMEM;
    base = page_to_mfn(pg);
    end = base + (1UL << order);
    /* Give back [base + nr, end) in the largest aligned blocks that fit. */
    for ( p = base + nr; p < end; )
    {
        unsigned int o = 0;

        while ( p + (2UL << o) <= end && !(p & ((2UL << o) - 1)) )
            o++;
        free_pages(mfn_to_page(p), o);
        p += 1UL << o;
    }
    return base;
}

/* The guest command line: the module's, without its first word (the name). */
static const char *guest_cmdline(const char *c)
{
    while ( *c && *c != ' ' )
        c++;
    while ( *c == ' ' )
        c++;
    return c;
}

static int build_cpio(const struct boot_info *bi, struct cpio_member *m,
                      size_t *size)
{
    unsigned int i;

    for ( i = 1; i < bi->nr_mods; i++ )
    {
        cpio_name_from_cmdline(bi->mods[i].cmdline, &m[i - 1].name,
                               &m[i - 1].name_len);
        if ( !m[i - 1].name_len )
        {
            printk(XENLOG_ERR "d0: module %u has no name: its command line "
                              "'%s' must start with one\n",
                   i, bi->mods[i].cmdline);
            return -EINVAL;
        }
        m[i - 1].data = maddr_to_virt(bi->mods[i].start);
        m[i - 1].size = bi->mods[i].end - bi->mods[i].start;
    }
    if ( bi->nr_mods <= 1 )
    {
        *size = 0;
        return 0;
    }
    return cpio_size(m, bi->nr_mods - 1, size);
}

static void show_image(const struct elf_image *img, const char *name)
{
    const struct xen_elf_params *x = &img->xen;

    printk("d0: kernel '%s': GUEST_OS '%s', LOADER '%s', XEN_VERSION '%s'\n",
           name, x->guest_os, x->loader, x->xen_version);
    printk("d0: virt_base %#lx, entry %#lx, hypercall page %s%#lx, "
           "FEATURES '%s'\n",
           (unsigned long)x->virt_base, (unsigned long)x->virt_entry,
           x->has_hypercall_page ? "" : "none ",
           (unsigned long)x->hypercall_page, x->features);
}

int dom0_build(const struct boot_info *bi, uint64_t mem_bytes)
{
    static struct cpio_member members[BOOT_MAX_MODULES];
    const struct boot_module *km = &bi->mods[0];
    struct elf_image img;
    struct pv_layout l;
    struct dom0_mem m;
    struct pv_mem pm = { &m, d0_map_pfn, d0_pfn_to_mfn };
    struct pv_start_info_args si;
    struct domain *d;
    struct vcpu *v;
    size_t mod_len, written;
    const char *why;
    unsigned long i, l4_mfn;
    long base;
    int rc;

    rc = elf_parse(maddr_to_virt(km->start), km->end - km->start, &img);
    if ( rc )
    {
        printk(XENLOG_ERR "d0: kernel '%s': %s\n", km->cmdline, img.error);
        return rc;
    }
    show_image(&img, km->cmdline);
    rc = build_cpio(bi, members, &mod_len);
    if ( rc )
    {
        printk(XENLOG_ERR "d0: cannot pack modules 1-%u into a cpio "
                          "archive: error %d (a name too long or with '..',"
                          " or a module over 4 GiB)\n",
               bi->nr_mods - 1, rc);
        return rc;
    }
    m.nr_pages = mem_bytes >> PAGE_SHIFT;
    m.virt_base = img.xen.virt_base;
    rc = pv_layout_compute(&img.xen, mod_len, m.nr_pages, false, &l, &why);
    if ( rc )
    {
        printk(XENLOG_ERR "d0: start-of-day layout: %s\n", why);
        return rc;
    }
    base = alloc_contig(m.nr_pages);
    if ( base < 0 )
    {
        printk(XENLOG_ERR "d0: no %lu MiB of contiguous memory\n",
               m.nr_pages >> 8);
        return -ENOMEM;
    }
    m.base_mfn = base;
    memset(mfn_to_virt(m.base_mfn), 0, m.nr_pages << PAGE_SHIFT);

    rc = domain_create(0, nr_cpus_online, &d);
    if ( rc )
        return rc;
    d->is_initial = true;
    d->parent = DOMID_XEN;
    d->caps = TESSERA_CAP_ALL; /* it hands subsets to the services */
    d->max_pages = m.nr_pages;
    for ( i = 0; i < m.nr_pages; i++ )
    {
        domain_assign_page(d, m.base_mfn + i);
        m2p_set(m.base_mfn + i, i);
    }

    rc = elf_load(&img, d0_write, &m);
    if ( !rc && mod_len )
        rc = cpio_write(members, bi->nr_mods - 1,
                        (uint8_t *)mfn_to_virt(m.base_mfn) +
                            (l.mod_va - l.virt_base),
                        mod_len, &written);
    if ( rc )
        goto fail;

    memset(&si, 0, sizeof(si));
    si.shared_info_maddr = (uint64_t)d->shared_info_mfn << PAGE_SHIFT;
    si.flags = SIF_INITDOMAIN | SIF_PRIVILEGED;
    si.cmdline = guest_cmdline(km->cmdline);
    rc = pv_write_p2m(&l, &pm);
    if ( !rc )
        rc = pv_write_start_info(&l, &pm, &si);
    if ( !rc )
        rc = pv_write_pagetables(&l, &pm, d0_hv_slots);
    if ( rc )
        goto fail;
    if ( img.xen.has_hypercall_page )
        pv_write_hypercall_page((uint8_t *)mfn_to_virt(m.base_mfn) +
                                (img.xen.hypercall_page - l.virt_base));

    /*
     * Validate the bootstrap tables as any L4 would be: pinned (as Xen's
     * builders leave them) and referenced as vCPU 0's base pointer.
     */
    l4_mfn = m.base_mfn + pv_va_to_pfn(&l, l.pt_va);
    {
        struct pt_ctx ctx = { .owner = d->domain_id };
        struct page_info *l4;

        spin_lock(&d->page_lock);
        rc = pt_pin(l4_mfn, 4, &ctx);
        if ( !rc )
            rc = pt_get_baseptr(l4_mfn, &ctx, &l4);
        spin_unlock(&d->page_lock);
        if ( rc )
        {
            printk(XENLOG_ERR "d0: the bootstrap page tables do not "
                              "validate: %d\n",
                   rc);
            goto fail;
        }
    }

    v = d->vcpu[0];
    memset(&v->arch.regs, 0, sizeof(v->arch.regs));
    v->arch.regs.rip = img.xen.virt_entry;
    v->arch.regs.rsp = l.stack_va + PAGE_SIZE;
    v->arch.regs.rsi = l.start_info_va;
    v->arch.regs.cs = FLAT_KERNEL_CS;
    v->arch.regs.ss = FLAT_KERNEL_SS;
    v->arch.regs.rflags = 0x202;
    v->arch.guest_table = (paddr_t)l4_mfn << PAGE_SHIFT;
    v->arch.kernel_mode = true;
    v->online = true;

    printk("d0: %lu MiB at mfn %#lx, image %#lx-%#lx, module %zu bytes, "
           "%u page-table frames, %u vCPUs, command line '%s'\n",
           m.nr_pages >> 8, m.base_mfn, (unsigned long)l.kern_start,
           (unsigned long)l.kern_end, mod_len, l.nr_pt_frames, d->max_vcpus,
           si.cmdline);
    domain_unpause(d);
    return 0;

fail:
    printk(XENLOG_ERR "d0: writing the start-of-day image failed: %d\n", rc);
    domain_destroy(d);
    return rc;
}
