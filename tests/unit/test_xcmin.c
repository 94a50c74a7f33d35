/*
 * Unit tests for libxc-min (XCMIN) over the host backend: the exact call
 * sequence of building a domain, the start-of-day image it leaves in the
 * simulated memory (page tables walked to the right frames, start_info,
 * p2m, hypercall page, vCPU 0's context), clean-up after a failure at
 * every step, and hostile images.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hv/errno.h>
#include <public/elfnote.h>

#include "../../libxc-min/xcmin_host.h"

#define MB          (1UL << 20)
#define VBASE       (4 * MB)
#define KFILE       0x3000UL
#define KMEM        0x5000UL
#define HCPAGE      (VBASE + 0x1000)
#define NR_PAGES    2048UL /* 8 MiB */
#define MOD_LEN     5000UL
#define HOST_FRAMES 4096UL

/* ---- a minimal Xen ELF image ------------------------------------------ */

static uint8_t kimg[0x4000];
static size_t kimg_len;

static size_t note(uint8_t *p, uint32_t type, const void *d, uint32_t len)
{
    uint32_t h[3] = { 4, len, type };

    memcpy(p, h, 12);
    memcpy(p + 12, "Xen", 4);
    memcpy(p + 16, d, len);
    return 16 + ((len + 3) & ~3U);
}

static size_t note_str(uint8_t *p, uint32_t type, const char *s)
{
    return note(p, type, s, strlen(s) + 1);
}

static size_t note_num(uint8_t *p, uint32_t type, uint64_t v)
{
    return note(p, type, &v, 8);
}

static void make_kernel(void)
{
    uint8_t *n = kimg + 0x100, *ph = kimg + 64;
    size_t nl = 0;
    uint64_t v;
    uint16_t s;
    uint32_t w;

    memset(kimg, 0, sizeof(kimg));
    memcpy(kimg, "\177ELF\2\1\1", 7);
    s = 2, memcpy(kimg + 16, &s, 2);  /* ET_EXEC */
    s = 62, memcpy(kimg + 18, &s, 2); /* x86-64 */
    w = 1, memcpy(kimg + 20, &w, 4);
    v = VBASE + 0x10, memcpy(kimg + 24, &v, 8);
    v = 64, memcpy(kimg + 32, &v, 8);
    s = 64, memcpy(kimg + 52, &s, 2);
    s = 56, memcpy(kimg + 54, &s, 2);
    s = 2, memcpy(kimg + 56, &s, 2);

    nl += note_str(n + nl, XEN_ELFNOTE_GUEST_OS, "Tessera-rt");
    nl += note_str(n + nl, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    nl += note_str(n + nl, XEN_ELFNOTE_LOADER, "generic");
    nl += note_num(n + nl, XEN_ELFNOTE_VIRT_BASE, VBASE);
    nl += note_num(n + nl, XEN_ELFNOTE_PADDR_OFFSET, VBASE);
    nl += note_num(n + nl, XEN_ELFNOTE_ENTRY, VBASE + 0x10);
    nl += note_num(n + nl, XEN_ELFNOTE_HYPERCALL_PAGE, HCPAGE);

    w = 4, memcpy(ph, &w, 4); /* PT_NOTE */
    v = 0x100, memcpy(ph + 8, &v, 8);
    v = nl, memcpy(ph + 32, &v, 8), memcpy(ph + 40, &v, 8);
    ph += 56;
    w = 1, memcpy(ph, &w, 4); /* PT_LOAD */
    w = 7, memcpy(ph + 4, &w, 4);
    v = 0x1000, memcpy(ph + 8, &v, 8);
    v = VBASE, memcpy(ph + 16, &v, 8), memcpy(ph + 24, &v, 8);
    v = KFILE, memcpy(ph + 32, &v, 8);
    v = KMEM, memcpy(ph + 40, &v, 8);
    memset(kimg + 0x1000, 0xab, KFILE);
    kimg_len = 0x1000 + KFILE;
}

/* ---- fixtures ---------------------------------------------------------- */

static struct xcmin_host *x;
static xcmin_handle_t *h;
static uint8_t module[MOD_LEN];

static int setup(void **state)
{
    unsigned int i;

    (void)state;
    make_kernel();
    for ( i = 0; i < MOD_LEN; i++ )
        module[i] = (uint8_t)(i * 7 + 1);
    return xcmin_host_open(HOST_FRAMES, &x, &h) ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    xcmin_close(h);
    return 0;
}

static struct xcmin_pv_args args(void)
{
    struct xcmin_pv_args a = {
        .kernel = kimg,
        .kernel_len = kimg_len,
        .ramdisk = module,
        .ramdisk_len = MOD_LEN,
        .cmdline = "console=hvc0 test=1",
        .nr_pages = NR_PAGES,
        .with_rings = true,
    };
    return a;
}

/* Walk the child's page tables from its L4: the MFN va maps, or ~0. */
static uint64_t walk(uint64_t l4, uint64_t va, uint64_t *leaf)
{
    uint64_t mfn = l4, e = 0;
    int lvl;

    for ( lvl = 4; lvl >= 1; lvl-- )
    {
        const uint64_t *t = xcmin_host_frame(x, mfn);

        if ( !t )
            return ~0UL;
        e = t[(va >> (12 + 9 * (lvl - 1))) & 511];
        if ( !(e & 1) )
            return ~0UL;
        mfn = (e & 0x000ffffffffff000UL) >> 12;
    }
    if ( leaf )
        *leaf = e;
    return mfn;
}

static uint8_t *child_va(uint64_t l4, uint64_t va)
{
    uint64_t mfn = walk(l4, va, NULL);

    assert_int_not_equal(mfn, ~0UL);
    return (uint8_t *)xcmin_host_frame(x, mfn) + (va & 0xfff);
}

/* ---- tests ------------------------------------------------------------- */

static void test_build_sequence(void **state)
{
    static const char *const want[] = {
        "create",   "max_mem", "getinfo", "populate", "populate",   "populate",
        "populate", "map",     "unmap",   "pin_l4",   "setcontext", "unpause",
    };
    struct xcmin_pv_args a = args();
    struct xcmin_pv_result r;
    domid_t domid = 0;
    unsigned int i;

    (void)state;
    assert_int_equal(xcmin_create_pv(h, &domid, 2, NR_PAGES * 4, 0, &a, &r), 0);
    assert_int_equal(domid, 1);
    assert_int_equal(xcmin_domain_unpause(h, domid), 0);
    for ( i = 0; i < x->nr_log; i++ )
        printf("  call %u: %s dom %u a %#lx\n", i,
               xcmin_host_call_name(&x->log[i]), x->log[i].dom,
               (unsigned long)x->log[i].a);
    assert_int_equal(x->nr_log, sizeof(want) / sizeof(want[0]));
    for ( i = 0; i < x->nr_log; i++ )
    {
        assert_string_equal(xcmin_host_call_name(&x->log[i]), want[i]);
        if ( i > 0 && x->log[i].call != XH_UNMAP )
            assert_int_equal(x->log[i].dom, 1);
    }
    /* populate in batches of 512 pfns, starting at pfn 0 */
    assert_int_equal(x->log[3].a, 512);
    assert_int_equal(x->log[3].b, 0);
    assert_int_equal(x->log[6].b, 1536);
    /* the map covers exactly the region, the unmap the same */
    assert_int_equal(x->log[7].a, (r.v_end - r.v_start) >> 12);
    assert_int_equal(x->log[8].a, x->log[7].a);
    assert_int_equal(x->log[9].a, r.l4_mfn);
    for ( i = 0; i < HOST_FRAMES; i++ )
        assert_int_equal(x->mapped[i], 0);
    assert_int_equal(x->dom[1].tot_pages, NR_PAGES);
    assert_int_equal(x->dom[1].pinned_l4, r.l4_mfn);
    assert_true(x->dom[1].sealed);
}

static void test_start_of_day_image(void **state)
{
    struct xcmin_pv_args a = args();
    struct xcmin_pv_result r;
    const struct vcpu_guest_context *c;
    const struct start_info *si;
    const uint64_t *p2m;
    const uint8_t *p;
    uint64_t l4, va, leaf, pfn;
    domid_t domid = 0;
    unsigned int i;

    (void)state;
    assert_int_equal(xcmin_create_pv(h, &domid, 1, NR_PAGES * 4, 0, &a, &r), 0);
    c = &x->dom[domid].ctx0;
    assert_true(x->dom[domid].ctx_set);
    l4 = c->ctrlreg[3] >> 12;
    assert_int_equal(l4, r.l4_mfn);
    assert_int_equal(c->user_regs.rip, VBASE + 0x10);
    assert_int_equal(c->user_regs.rsp, r.stack_va + 4096);
    assert_int_equal(c->user_regs.rsi, r.start_info_va);
    assert_int_equal(c->user_regs.cs, FLAT_KERNEL_CS);
    assert_int_equal(c->user_regs.ss, FLAT_KERNEL_SS);
    assert_int_equal(c->user_regs.saved_upcall_mask, 1);
    assert_true(c->flags & VGCF_in_kernel);

    /* every page of the region maps the frame the p2m names */
    si = (const void *)child_va(l4, r.start_info_va);
    assert_string_equal(si->magic, "xen-3.0-x86_64");
    assert_int_equal(si->nr_pages, NR_PAGES);
    assert_int_equal(si->pt_base, r.pt_va);
    assert_int_equal(si->nr_pt_frames, r.nr_pt_frames);
    assert_int_equal(si->shared_info, x->dom[domid].shared_info_mfn << 12);
    assert_int_equal(si->mod_len, MOD_LEN);
    assert_string_equal(si->cmd_line, "console=hvc0 test=1");
    assert_int_equal(si->store_mfn, 0); /* no xenstored yet */
    assert_int_equal(si->console.domU.mfn, 0);
    for ( va = r.v_start; va < r.v_end; va += 4096 )
    {
        pfn = (va - r.v_start) >> 12;
        p2m = (const void *)child_va(l4, si->mfn_list + (pfn / 512) * 4096);
        assert_int_equal(walk(l4, va, &leaf), p2m[pfn % 512]);
        assert_int_equal(x->owner[p2m[pfn % 512]], domid + 1U);
        /* page tables read-only, everything else writable */
        assert_int_equal(
            !!(leaf & 2),
            !(va >= r.pt_va && va < r.pt_va + r.nr_pt_frames * 4096UL));
    }
    /* the p2m names every page of the domain, beyond the region too */
    p2m = (const void *)child_va(l4, si->mfn_list + 3 * 4096);
    assert_int_equal(x->owner[p2m[511]], domid + 1U);
    /* nothing mapped beyond the region */
    assert_int_equal(walk(l4, r.v_end, NULL), ~0UL);
    assert_int_equal(walk(l4, r.v_start - 4096, NULL), ~0UL);

    /* kernel: file bytes, bss zero, hypercall page filled */
    assert_int_equal(*child_va(l4, VBASE), 0xab);
    assert_int_equal(*child_va(l4, VBASE + KFILE - 1), 0xab);
    assert_int_equal(*child_va(l4, VBASE + KFILE), 0);
    assert_int_equal(*child_va(l4, VBASE + KMEM - 1), 0);
    p = child_va(l4, HCPAGE + 32); /* slot 1: push rcx; push r11; mov $1 */
    assert_int_equal(p[0], 0x51);
    assert_int_equal(p[3], 0xb8);
    assert_int_equal(p[4], 1);
    /* the module, byte for byte, across page boundaries */
    for ( i = 0; i < MOD_LEN; i++ )
        assert_int_equal(*child_va(l4, si->mod_start + i), module[i]);
    /* the rings are reserved pages of the region */
    assert_int_not_equal(r.store_mfn, 0);
    assert_int_not_equal(r.console_mfn, 0);
}

static void test_rings_given(void **state)
{
    struct xcmin_pv_args a = args();
    struct xcmin_pv_result r;
    const struct start_info *si;
    domid_t domid = 0;

    (void)state;
    a.store_evtchn = 3;
    a.console_evtchn = 4;
    assert_int_equal(xcmin_create_pv(h, &domid, 1, NR_PAGES * 4, 0, &a, &r), 0);
    si = (const void *)child_va(r.l4_mfn, r.start_info_va);
    assert_int_equal(si->store_mfn, r.store_mfn);
    assert_int_equal(si->store_evtchn, 3);
    assert_int_equal(si->console.domU.mfn, r.console_mfn);
    assert_int_equal(si->console.domU.evtchn, 4);
}

/* A failure at each call: an error, no mapping left, the child destroyed. */
static void test_fail_every_step(void **state)
{
    struct xcmin_pv_args a = args();
    struct xcmin_pv_result r;
    unsigned int step, i;
    domid_t domid;
    int rc;

    (void)state;
    for ( step = 0; step < 11; step++ )
    {
        x->nr_log = 0;
        x->fail_call = (int)step;
        domid = 0;
        rc = xcmin_create_pv(h, &domid, 1, NR_PAGES * 4, 0, &a, &r);
        x->fail_call = -1;
        assert_int_equal(rc, -EIO);
        assert_true(r.error[0] != 0);
        if ( step > 0 )
        {
            assert_string_equal(xcmin_host_call_name(&x->log[x->nr_log - 1]),
                                "destroy");
            assert_false(x->dom[1].exists);
        }
        if ( step == 8 ) /* the unmap failed: the mapping is still there */
        {
            assert_string_equal(xcmin_host_call_name(&x->log[8]), "unmap");
            assert_int_equal(xcmin_unmap(h, x->maps[0].va, x->maps[0].nr), 0);
        }
        for ( i = 0; i < HOST_FRAMES; i++ )
        {
            assert_int_equal(x->mapped[i], 0);
            if ( step > 0 )
                assert_true(x->owner[i] != 2U);
        }
    }
}

static void test_pin_refused_while_mapped(void **state)
{
    uint64_t mfns[16];
    void *va;
    domid_t domid = 0;

    (void)state;
    assert_int_equal(xcmin_domain_create(h, 1, &domid), 0);
    assert_int_equal(xcmin_domain_max_mem(h, domid, 64), 0);
    assert_int_equal(xcmin_populate_physmap(h, domid, 0, 4, mfns), 0);
    /* beyond max_mem */
    assert_int_equal(xcmin_populate_physmap(h, domid, 4, 16, mfns), -ENOMEM);
    assert_int_equal(xcmin_map(h, domid, mfns, 4, &va), 0);
    assert_int_equal(xcmin_pin_l4(h, domid, mfns[0]), -EBUSY);
    assert_int_equal(xcmin_unmap(h, va, 4), 0);
    assert_int_equal(xcmin_pin_l4(h, domid, mfns[0]), 0);
    /* sealed: no more mapping */
    assert_int_equal(xcmin_domain_unpause(h, domid), 0);
    assert_int_equal(xcmin_map(h, domid, mfns, 4, &va), -EPERM);
}

static void test_hostile_inputs(void **state)
{
    struct xcmin_pv_args a = args();
    struct xcmin_pv_result r;
    domid_t domid = 0;
    unsigned int i;

    (void)state;
    assert_int_equal(xcmin_domain_create(h, 1, &domid), 0);
    assert_int_equal(xcmin_domain_max_mem(h, domid, NR_PAGES * 4), 0);
    x->nr_log = 0;
    /* not an ELF */
    a.kernel = module;
    a.kernel_len = sizeof(module);
    assert_int_equal(xcmin_build_pv(h, domid, &a, &r), -ENOEXEC);
    assert_non_null(strstr(r.error, "kernel"));
    /* truncated image: every prefix fails cleanly */
    for ( i = 0; i < kimg_len; i += 97 )
    {
        a.kernel = kimg;
        a.kernel_len = i;
        assert_true(xcmin_build_pv(h, domid, &a, &r) < 0);
    }
    /* too little memory for the region */
    a = args();
    a.nr_pages = 64;
    assert_int_equal(xcmin_build_pv(h, domid, &a, &r), -ENOMEM);
    assert_non_null(strstr(r.error, "layout"));
    /* a module bigger than memory */
    a = args();
    a.ramdisk_len = 64 * MB;
    a.ramdisk = NULL;
    assert_int_equal(xcmin_build_pv(h, domid, &a, &r), -EINVAL);
    /* nothing reached the hypervisor but nothing */
    assert_int_equal(x->nr_log, 0);
    assert_int_equal(x->dom[domid].tot_pages, 0);
}

static void test_domctl_wrappers(void **state)
{
    xcmin_dominfo_t info;
    struct vcpu_guest_context c;
    struct tessera_domctl_physinfo before, during, after;
    domid_t domid = 0;

    (void)state;
    assert_int_equal(xcmin_physinfo(h, &before), 0);
    assert_int_equal(before.nr_domains, 1); /* the builder */
    assert_true(before.free_pages > 0 &&
                before.free_pages <= before.total_pages);
    assert_int_equal(xcmin_domain_create(h, 3, &domid), 0);
    assert_int_equal(xcmin_physinfo(h, &during), 0);
    assert_int_equal(during.nr_domains, 2);
    assert_int_equal(during.free_pages,
                     before.free_pages - 1); /* shared_info */
    assert_int_equal(xcmin_domain_set_caps(h, domid, TESSERA_CAP_CONSOLE), 0);
    assert_int_equal(xcmin_domain_getinfo(h, domid, &info), 0);
    assert_int_equal(info.caps, TESSERA_CAP_CONSOLE);
    assert_int_equal(info.max_vcpu_id, 2);
    assert_true(info.flags & TESSERA_DOMINF_paused);
    memset(&c, 0, sizeof(c));
    c.user_regs.rip = 0x1234;
    assert_int_equal(xcmin_vcpu_setcontext(h, domid, 0, &c), 0);
    memset(&c, 0, sizeof(c));
    assert_int_equal(xcmin_vcpu_getcontext(h, domid, 0, &c), 0);
    assert_int_equal(c.user_regs.rip, 0x1234);
    assert_int_equal(xcmin_vcpu_setcontext(h, domid, 3, &c), -EINVAL);
    {
        uint64_t none[2] = { 0, 0 }, high[2] = { 0, 1 }, two[2] = { 0xc, 0 };
        uint32_t cpu = ~0U;

        assert_int_equal(xcmin_vcpu_setaffinity(h, domid, 1, two, &cpu), 0);
        assert_int_equal(cpu, 2);
        assert_int_equal(xcmin_vcpu_setaffinity(h, domid, 0, none, &cpu),
                         -EINVAL);
        assert_int_equal(xcmin_vcpu_setaffinity(h, domid, 0, high, NULL),
                         -EINVAL);
        assert_int_equal(xcmin_vcpu_setaffinity(h, domid, 3, two, NULL),
                         -ENOENT);
    }
    assert_int_equal(xcmin_domain_seal(h, domid), 0);
    assert_int_equal(xcmin_domain_set_caps(h, domid, 0), -EPERM);
    {
        uint64_t one[2] = { 1, 0 };

        assert_int_equal(xcmin_vcpu_setaffinity(h, domid, 0, one, NULL),
                         -EPERM);
    }
    assert_int_equal(xcmin_domain_destroy(h, domid), 0);
    assert_int_equal(xcmin_domain_getinfo(h, domid, &info), -ESRCH);
    assert_int_equal(xcmin_physinfo(h, &after), 0);
    assert_int_equal(after.free_pages, before.free_pages);
    assert_int_equal(after.nr_domains, 1);
    /* every domctl carried the interface version (else -EACCES) */
    assert_int_equal(x->log[0].rc, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_build_sequence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_start_of_day_image, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rings_given, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fail_every_step, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pin_refused_while_mapped, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_hostile_inputs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_domctl_wrappers, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
