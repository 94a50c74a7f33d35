/*
 * libxc-min core (XCMIN): domctl wrappers, population, mapping and the
 * 64-bit PV start-of-day builder, over a backend's operations table.
 *
 * Locking: none; a handle belongs to one thread.
 *
 * The builder is hypervisor/arch/x86_64/dom0_build.c done from outside:
 * the image, the layout and the writers are the same code
 * (common/elf.c, common/pv_build.c), but memory comes from
 * populate_physmap, is written through a writable mapping of the child's
 * frames, and the page tables are validated by pinning the L4 with
 * foreigndom = child once every writable mapping is gone.
 */
#include <stdlib.h>

#include <hv/elf.h>
#include <hv/errno.h>
#include <hv/lib.h>
#include <hv/pv_build.h>

#include "xcmin.h"

#define POPULATE_BATCH 512UL

struct xcmin_handle
{
    const struct xcmin_ops *ops;
    void *ctx;
};

int xcmin_open_ops(const struct xcmin_ops *ops, void *ctx, xcmin_handle_t **h)
{
    xcmin_handle_t *n;

    if ( !ops || !ops->domctl || !ops->populate || !ops->map || !ops->unmap ||
         !ops->pin_l4 )
        return -EINVAL;
    n = calloc(1, sizeof(*n));
    if ( !n )
        return -ENOMEM;
    n->ops = ops;
    n->ctx = ctx;
    *h = n;
    return 0;
}

void xcmin_close(xcmin_handle_t *h)
{
    if ( !h )
        return;
    if ( h->ops->close )
        h->ops->close(h->ctx);
    free(h);
}

uint64_t xcmin_now_ns(xcmin_handle_t *h)
{
    return h->ops->now_ns ? h->ops->now_ns(h->ctx) : 0;
}

/* ---- domctl ------------------------------------------------------------ */

static void dc_init(struct tessera_domctl *op, uint32_t cmd, domid_t domid)
{
    memset(op, 0, sizeof(*op));
    op->cmd = cmd;
    op->interface_version = TESSERA_DOMCTL_INTERFACE_VERSION;
    op->domain = domid;
}

static int dc_simple(xcmin_handle_t *h, uint32_t cmd, domid_t domid)
{
    struct tessera_domctl op;

    dc_init(&op, cmd, domid);
    return h->ops->domctl(h->ctx, &op);
}

int xcmin_domain_create(xcmin_handle_t *h, uint32_t max_vcpus, domid_t *domid)
{
    struct tessera_domctl op;
    int rc;

    dc_init(&op, TESSERA_DOMCTL_createdomain, *domid);
    op.u.createdomain.max_vcpus = max_vcpus;
    rc = h->ops->domctl(h->ctx, &op);
    if ( !rc )
        *domid = op.domain;
    return rc;
}

int xcmin_domain_destroy(xcmin_handle_t *h, domid_t domid)
{
    return dc_simple(h, TESSERA_DOMCTL_destroydomain, domid);
}

int xcmin_domain_pause(xcmin_handle_t *h, domid_t domid)
{
    return dc_simple(h, TESSERA_DOMCTL_pausedomain, domid);
}

int xcmin_domain_unpause(xcmin_handle_t *h, domid_t domid)
{
    return dc_simple(h, TESSERA_DOMCTL_unpausedomain, domid);
}

int xcmin_domain_seal(xcmin_handle_t *h, domid_t domid)
{
    return dc_simple(h, TESSERA_DOMCTL_seal, domid);
}

int xcmin_domain_getinfo(xcmin_handle_t *h, domid_t domid,
                         xcmin_dominfo_t *info)
{
    struct tessera_domctl op;
    int rc;

    dc_init(&op, TESSERA_DOMCTL_getdomaininfo, domid);
    rc = h->ops->domctl(h->ctx, &op);
    if ( !rc )
        *info = op.u.getdomaininfo;
    return rc;
}

int xcmin_domain_getinfolist(xcmin_handle_t *h, domid_t first,
                             xcmin_dominfo_t *info, unsigned int max)
{
    struct tessera_domctl op;
    int rc;

    if ( max > 256 )
        max = 256;
    dc_init(&op, TESSERA_DOMCTL_getdomaininfolist, 0);
    op.u.getdomaininfolist.buffer = (uint64_t)(uintptr_t)info;
    op.u.getdomaininfolist.max_domains = max;
    op.u.getdomaininfolist.first_domain = first;
    rc = h->ops->domctl(h->ctx, &op);
    if ( rc )
        return rc;
    if ( op.u.getdomaininfolist.num_domains > max )
        return -EIO;
    return (int)op.u.getdomaininfolist.num_domains;
}

int xcmin_domain_max_mem(xcmin_handle_t *h, domid_t domid, uint64_t max_memkb)
{
    struct tessera_domctl op;

    dc_init(&op, TESSERA_DOMCTL_max_mem, domid);
    op.u.max_mem.max_memkb = max_memkb;
    return h->ops->domctl(h->ctx, &op);
}

int xcmin_domain_max_vcpus(xcmin_handle_t *h, domid_t domid, uint32_t max)
{
    struct tessera_domctl op;

    dc_init(&op, TESSERA_DOMCTL_max_vcpus, domid);
    op.u.max_vcpus.max = max;
    return h->ops->domctl(h->ctx, &op);
}

int xcmin_domain_shutdown(xcmin_handle_t *h, domid_t domid, uint32_t reason)
{
    struct tessera_domctl op;

    dc_init(&op, TESSERA_DOMCTL_shutdown, domid);
    op.u.shutdown.reason = reason;
    return h->ops->domctl(h->ctx, &op);
}

int xcmin_domain_set_caps(xcmin_handle_t *h, domid_t domid, uint32_t caps)
{
    struct tessera_domctl op;

    dc_init(&op, TESSERA_DOMCTL_set_caps, domid);
    op.u.set_caps.caps = caps;
    return h->ops->domctl(h->ctx, &op);
}

int xcmin_vcpu_setaffinity(xcmin_handle_t *h, domid_t domid, uint32_t vcpu,
                           const uint64_t cpumap[2], uint32_t *cpu)
{
    struct tessera_domctl op;
    int rc;

    dc_init(&op, TESSERA_DOMCTL_setvcpuaffinity, domid);
    op.u.vcpuaffinity.vcpu = vcpu;
    op.u.vcpuaffinity.cpumap[0] = cpumap[0];
    op.u.vcpuaffinity.cpumap[1] = cpumap[1];
    rc = h->ops->domctl(h->ctx, &op);
    if ( !rc && cpu )
        *cpu = op.u.vcpuaffinity.cpu;
    return rc;
}

int xcmin_physinfo(xcmin_handle_t *h, struct tessera_domctl_physinfo *info)
{
    struct tessera_domctl op;
    int rc;

    dc_init(&op, TESSERA_DOMCTL_physinfo, 0);
    rc = h->ops->domctl(h->ctx, &op);
    if ( !rc )
        *info = op.u.physinfo;
    return rc;
}

static int vcpu_ctx_op(xcmin_handle_t *h, uint32_t cmd, domid_t domid,
                       uint32_t vcpu, const struct vcpu_guest_context *c)
{
    struct tessera_domctl op;

    dc_init(&op, cmd, domid);
    op.u.vcpucontext.vcpu = vcpu;
    op.u.vcpucontext.ctxt = (uint64_t)(uintptr_t)c;
    return h->ops->domctl(h->ctx, &op);
}

int xcmin_vcpu_setcontext(xcmin_handle_t *h, domid_t domid, uint32_t vcpu,
                          const struct vcpu_guest_context *ctxt)
{
    return vcpu_ctx_op(h, TESSERA_DOMCTL_setvcpucontext, domid, vcpu, ctxt);
}

int xcmin_vcpu_getcontext(xcmin_handle_t *h, domid_t domid, uint32_t vcpu,
                          struct vcpu_guest_context *ctxt)
{
    return vcpu_ctx_op(h, TESSERA_DOMCTL_getvcpucontext, domid, vcpu, ctxt);
}

/* ---- memory ------------------------------------------------------------ */

int xcmin_populate_physmap(xcmin_handle_t *h, domid_t domid, uint64_t first_pfn,
                           unsigned long nr, uint64_t *mfns)
{
    unsigned long done = 0, i, n;
    long rc;

    while ( done < nr )
    {
        n = MIN(nr - done, POPULATE_BATCH);
        for ( i = 0; i < n; i++ )
            mfns[done + i] = first_pfn + done + i;
        rc = h->ops->populate(h->ctx, domid, mfns + done, n);
        if ( rc < 0 )
            return (int)rc;
        if ( (unsigned long)rc != n )
            return -ENOMEM;
        done += n;
    }
    return 0;
}

int xcmin_map(xcmin_handle_t *h, domid_t domid, const uint64_t *mfns,
              unsigned long nr, void **va)
{
    if ( !nr )
        return -EINVAL;
    return h->ops->map(h->ctx, domid, mfns, nr, va);
}

int xcmin_unmap(xcmin_handle_t *h, void *va, unsigned long nr)
{
    return h->ops->unmap(h->ctx, va, nr);
}

int xcmin_pin_l4(xcmin_handle_t *h, domid_t domid, uint64_t mfn)
{
    return h->ops->pin_l4(h->ctx, domid, mfn);
}

int xcmin_evtchn_alloc_unbound(xcmin_handle_t *h, domid_t domid, domid_t remote,
                               uint32_t *port)
{
    if ( !h->ops->alloc_unbound )
        return -ENOSYS;
    return h->ops->alloc_unbound(h->ctx, domid, remote, port);
}

/* ---- the PV builder ---------------------------------------------------- */

/* The child's start-of-day region, mapped at win (nr_win pages). */
struct build_mem
{
    uint8_t *win;
    uint64_t nr_win;
    uint64_t *mfns;
    uint64_t nr_pages;
    uint64_t virt_base;
};

static void *bm_map_pfn(void *ctx, uint64_t pfn)
{
    struct build_mem *m = ctx;

    return pfn < m->nr_win ? m->win + (pfn << PAGE_SHIFT) : NULL;
}

static uint64_t bm_pfn_to_mfn(void *ctx, uint64_t pfn)
{
    struct build_mem *m = ctx;

    return pfn < m->nr_pages ? m->mfns[pfn] : INVALID_MFN;
}

static int bm_write(void *ctx, uint64_t va, const void *src, size_t len)
{
    struct build_mem *m = ctx;
    uint64_t size = m->nr_win << PAGE_SHIFT, off = va - m->virt_base;

    if ( va < m->virt_base || off > size || len > size - off )
        return -EINVAL;
    if ( src )
        memcpy(m->win + off, src, len);
    else
        memset(m->win + off, 0, len);
    return 0;
}

static int fail(struct xcmin_pv_result *r, int rc, const char *what)
{
    hv_snprintf(r->error, sizeof(r->error), "%s (error %d)", what, rc);
    return rc;
}

int xcmin_build_pv(xcmin_handle_t *h, domid_t domid,
                   const struct xcmin_pv_args *a, struct xcmin_pv_result *res)
{
    static struct elf_image img; /* large; one build at a time */
    struct xcmin_pv_result local;
    struct xcmin_pv_result *r = res ? res : &local;
    struct build_mem bm;
    struct pv_mem pm = { &bm, bm_map_pfn, bm_pfn_to_mfn };
    struct pv_start_info_args si;
    struct pv_layout l;
    struct vcpu_guest_context *ctxt = NULL;
    xcmin_dominfo_t info;
    const char *why = "";
    void *win = NULL;
    int rc, rc2;

    memset(r, 0, sizeof(*r));
    memset(&bm, 0, sizeof(bm));
    if ( !a || !a->kernel || !a->nr_pages || (a->ramdisk_len && !a->ramdisk) )
        return fail(r, -EINVAL, "bad arguments");
    rc = elf_parse(a->kernel, a->kernel_len, &img);
    if ( rc )
    {
        hv_snprintf(r->error, sizeof(r->error), "kernel: %s", img.error);
        return rc;
    }
    rc = pv_layout_compute(&img.xen, a->ramdisk_len, a->nr_pages, a->with_rings,
                           &l, &why);
    if ( rc )
    {
        hv_snprintf(r->error, sizeof(r->error), "layout: %s", why);
        return rc;
    }
    rc = xcmin_domain_getinfo(h, domid, &info);
    if ( rc )
        return fail(r, rc, "getdomaininfo");

    bm.nr_pages = a->nr_pages;
    bm.virt_base = l.virt_base;
    bm.nr_win = (l.v_end - l.virt_base) >> PAGE_SHIFT;
    if ( a->nr_pages > SIZE_MAX / sizeof(uint64_t) )
        return fail(r, -ENOMEM, "p2m array");
    bm.mfns = malloc(a->nr_pages * sizeof(uint64_t));
    ctxt = calloc(1, sizeof(*ctxt));
    if ( !bm.mfns || !ctxt )
    {
        rc = fail(r, -ENOMEM, "out of builder memory");
        goto out;
    }
    rc = xcmin_populate_physmap(h, domid, 0, a->nr_pages, bm.mfns);
    if ( rc )
    {
        fail(r, rc, "populate_physmap");
        goto out;
    }
    rc = xcmin_map(h, domid, bm.mfns, bm.nr_win, &win);
    if ( rc )
    {
        fail(r, rc, "mapping the start-of-day region");
        goto out;
    }
    bm.win = win;
    memset(bm.win, 0, bm.nr_win << PAGE_SHIFT);

    rc = elf_load(&img, bm_write, &bm);
    if ( rc )
        fail(r, rc, "loading the kernel");
    if ( !rc && a->ramdisk_len )
    {
        rc = bm_write(&bm, l.mod_va, a->ramdisk, a->ramdisk_len);
        if ( rc )
            fail(r, rc, "loading the ramdisk");
    }
    if ( !rc )
    {
        memset(&si, 0, sizeof(si));
        si.shared_info_maddr = info.shared_info_frame << PAGE_SHIFT;
        si.flags = a->si_flags;
        si.cmdline = a->cmdline;
        if ( a->with_rings )
        {
            r->store_mfn = bm.mfns[pv_va_to_pfn(&l, l.store_va)];
            r->console_mfn = bm.mfns[pv_va_to_pfn(&l, l.console_va)];
            if ( a->store_evtchn )
            {
                si.store_mfn = r->store_mfn;
                si.store_evtchn = a->store_evtchn;
            }
            if ( a->console_evtchn )
            {
                si.console_mfn = r->console_mfn;
                si.console_evtchn = a->console_evtchn;
            }
        }
        rc = pv_write_p2m(&l, &pm);
        if ( !rc )
            rc = pv_write_start_info(&l, &pm, &si);
        if ( !rc )
            rc = pv_write_pagetables(&l, &pm, NULL);
        if ( rc )
            fail(r, rc, "writing the start-of-day image");
    }
    if ( !rc && img.xen.has_hypercall_page )
        pv_write_hypercall_page(bm.win +
                                (img.xen.hypercall_page - l.virt_base));

    /* No writable mapping of the page tables may remain when pinning. */
    rc2 = xcmin_unmap(h, win, bm.nr_win);
    bm.win = NULL;
    if ( !rc && rc2 )
        rc = fail(r, rc2, "unmapping the start-of-day region");
    if ( rc )
        goto out;

    r->l4_mfn = bm.mfns[pv_va_to_pfn(&l, l.pt_va)];
    rc = xcmin_pin_l4(h, domid, r->l4_mfn);
    if ( rc )
    {
        fail(r, rc, "pinning the L4 (the bootstrap tables do not validate)");
        goto out;
    }

    ctxt->flags = VGCF_in_kernel;
    ctxt->user_regs.rip = img.xen.virt_entry;
    ctxt->user_regs.rsp = l.stack_va + PAGE_SIZE;
    ctxt->user_regs.rsi = l.start_info_va;
    ctxt->user_regs.cs = FLAT_KERNEL_CS;
    ctxt->user_regs.ss = FLAT_KERNEL_SS;
    ctxt->user_regs.ds = ctxt->user_regs.es = FLAT_KERNEL_DS;
    ctxt->user_regs.saved_upcall_mask = 1; /* events masked */
    ctxt->user_regs.rflags = 0x2;          /* IF = !saved_upcall_mask */
    ctxt->kernel_ss = FLAT_KERNEL_SS;
    ctxt->kernel_sp = l.stack_va + PAGE_SIZE;
    ctxt->ctrlreg[3] = r->l4_mfn << PAGE_SHIFT;
    ctxt->debugreg[6] = 0xffff0ff0;
    ctxt->debugreg[7] = 0x400;
    rc = xcmin_vcpu_setcontext(h, domid, 0, ctxt);
    if ( rc )
    {
        fail(r, rc, "setvcpucontext");
        goto out;
    }

    r->entry = img.xen.virt_entry;
    r->start_info_va = l.start_info_va;
    r->stack_va = l.stack_va;
    r->pt_va = l.pt_va;
    r->nr_pt_frames = l.nr_pt_frames;
    r->shared_info_mfn = info.shared_info_frame;
    r->v_start = l.virt_base;
    r->v_end = l.v_end;

out:
    free(ctxt);
    free(bm.mfns);
    return rc;
}

int xcmin_create_pv(xcmin_handle_t *h, domid_t *domid, uint32_t max_vcpus,
                    uint64_t maxmem_kb, uint32_t caps,
                    const struct xcmin_pv_args *a, struct xcmin_pv_result *res)
{
    struct xcmin_pv_result local;
    struct xcmin_pv_result *r = res ? res : &local;
    int rc;

    memset(r, 0, sizeof(*r));
    rc = xcmin_domain_create(h, max_vcpus, domid);
    if ( rc )
        return fail(r, rc, "createdomain");
    rc = xcmin_domain_max_mem(h, *domid, maxmem_kb);
    if ( rc )
        fail(r, rc, "max_mem");
    if ( !rc && caps )
    {
        rc = xcmin_domain_set_caps(h, *domid, caps);
        if ( rc )
            fail(r, rc, "set_caps");
    }
    if ( !rc )
        rc = xcmin_build_pv(h, *domid, a, r);
    if ( rc )
        xcmin_domain_destroy(h, *domid);
    return rc;
}
