/*
 * xen-version: every XENVER_* sub-op returns sane values, bad buffers and
 * unknown sub-ops give the documented errors; prints the cost of a null
 * hypercall (informational)
 */
#include <stdio.h>
#include <string.h>

#include <public/errno.h>
#include <public/features.h>
#include <public/version.h>
#include <rt/rt.h>
#include <rt/time.h>

#include "../lib/test.h"

const char test_title[] = "xen-version: every XENVER sub-op";

/* Unmapped (below the image) and hypervisor-owned addresses. */
#define BAD_LOW 0x1000UL
#define BAD_HYP HYPERVISOR_VIRT_START

static long xv(int cmd, const void *arg)
{
    return HYPERVISOR_xen_version(cmd, XEN_ARG(arg));
}

static bool terminated(const char *s, size_t size)
{
    return memchr(s, '\0', size) != NULL;
}

static void check_version(void)
{
    long v = xv(XENVER_version, NULL);

    test_info("version %ld.%ld", v >> 16, v & 0xffff);
    test_check(v > 0 && (v >> 16) >= 3, "XENVER_version = %#lx", v);
}

static void check_strings(void)
{
    static xen_extraversion_t extra;
    static struct xen_compile_info ci;
    static xen_capabilities_info_t caps;
    static xen_changeset_info_t cs;

    test_expect_rc(xv(XENVER_extraversion, extra), 0, "extraversion");
    test_check(terminated(extra, sizeof(extra)), "extraversion unterminated");
    test_expect_rc(xv(XENVER_compile_info, &ci), 0, "compile_info");
    test_check(terminated(ci.compiler, sizeof(ci.compiler)) &&
                   terminated(ci.compile_by, sizeof(ci.compile_by)) &&
                   terminated(ci.compile_domain, sizeof(ci.compile_domain)) &&
                   terminated(ci.compile_date, sizeof(ci.compile_date)),
               "compile_info strings unterminated");
    test_expect_rc(xv(XENVER_capabilities, caps), 0, "capabilities");
    test_check(terminated(caps, sizeof(caps)), "capabilities unterminated");
    test_check(strstr(caps, "xen-3.0-x86_64") != NULL,
               "capabilities \"%.100s\" lack xen-3.0-x86_64", caps);
    test_expect_rc(xv(XENVER_changeset, cs), 0, "changeset");
    test_check(terminated(cs, sizeof(cs)), "changeset unterminated");
    test_info("extraversion \"%s\" capabilities \"%s\"", extra, caps);
    test_info("compiler \"%s\" changeset \"%s\"", ci.compiler, cs);
}

static void check_platform_and_features(void)
{
    struct xen_platform_parameters pp = { .virt_start = 1 };
    struct xen_feature_info fi = { .submap_idx = 0, .submap = 0 };

    test_expect_rc(xv(XENVER_platform_parameters, &pp), 0, "platform_params");
    /* Release builds report the hole's start, debug builds 0. */
    test_check(pp.virt_start == HYPERVISOR_VIRT_START || pp.virt_start == 0,
               "virt_start %#lx", pp.virt_start);

    test_expect_rc(xv(XENVER_get_features, &fi), 0, "get_features(0)");
    test_info("features[0] = %#x", fi.submap);
    /*
     * Linux needs these two, and Xen 4.17 reports both.  A hypervisor must
     * not claim them before it implements them (Tessera: memory validation,
     * issue #4, and grant tables, issue #6), so their absence is reported,
     * not failed; a Linux boot test is what catches it.
     */
    if ( !(fi.submap & (1U << XENFEAT_mmu_pt_update_preserve_ad)) )
        test_info("mmu_pt_update_preserve_ad not offered (Linux needs it)");
    if ( !(fi.submap & (1U << XENFEAT_gnttab_map_avail_bits)) )
        test_info("gnttab_map_avail_bits not offered (Linux needs it)");
    test_check(!(fi.submap & ((1U << XENFEAT_writable_page_tables) |
                              (1U << XENFEAT_writable_descriptor_tables) |
                              (1U << XENFEAT_auto_translated_physmap) |
                              (1U << XENFEAT_supervisor_mode_kernel))),
               "features %#x claim a translated or ring-0 guest", fi.submap);
    fi.submap_idx = XENFEAT_NR_SUBMAPS;
    test_expect_rc(xv(XENVER_get_features, &fi), -XEN_EINVAL,
                   "get_features(submap 1)");
}

static void check_misc(void)
{
    static xen_domain_handle_t handle;
    static xen_commandline_t cmdline;
    static struct
    {
        struct xen_build_id id;
        uint8_t buf[256];
    } bid;
    long rc;

    test_expect_rc(xv(XENVER_pagesize, NULL), 4096, "pagesize");
    test_expect_rc(xv(XENVER_guest_handle, handle), 0, "guest_handle");

    /* Privileged: the initial domain may read it, others get -XEN_EPERM. */
    rc = xv(XENVER_commandline, cmdline);
    test_check(rc == 0 || rc == -XEN_EPERM, "commandline: %ld", rc);
    if ( rc == 0 )
    {
        test_check(terminated(cmdline, sizeof(cmdline)),
                   "commandline unterminated");
        test_info("hypervisor command line \"%.200s\"", cmdline);
    }

    bid.id.len = sizeof(bid.buf);
    rc = xv(XENVER_build_id, &bid);
    test_check((rc > 0 && rc <= (long)sizeof(bid.buf)) || rc == -XEN_EPERM ||
                   rc == -XEN_ENODATA,
               "build_id: %ld", rc);
    if ( rc > 0 )
    {
        test_info("build id: %ld bytes", rc);
        bid.id.len = 1;
        test_expect_rc(xv(XENVER_build_id, &bid), -XEN_ENOBUFS,
                       "build_id into a 1-byte buffer");
    }
}

static void check_errors(void)
{
    test_expect_rc(xv(11, NULL), -XEN_ENOSYS, "sub-op 11");
    test_expect_rc(xv(0x7fffffff, NULL), -XEN_ENOSYS, "sub-op 0x7fffffff");
    test_expect_rc(xv(XENVER_capabilities, (void *)BAD_LOW), -XEN_EFAULT,
                   "capabilities into an unmapped page");
    test_expect_rc(xv(XENVER_capabilities, (void *)BAD_HYP), -XEN_EFAULT,
                   "capabilities into the hypervisor hole");
    test_expect_rc(xv(XENVER_compile_info, (void *)BAD_LOW), -XEN_EFAULT,
                   "compile_info into an unmapped page");
    test_expect_rc(xv(XENVER_get_features, (void *)BAD_LOW), -XEN_EFAULT,
                   "get_features from an unmapped page");
    test_expect_rc(xv(XENVER_platform_parameters, (void *)BAD_HYP), -XEN_EFAULT,
                   "platform_parameters into the hypervisor hole");
    /* Straddling the start of the mapping: its first 16 bytes are not. */
    test_expect_rc(
        xv(XENVER_capabilities, (void *)((uintptr_t)__image_start - 16)),
        -XEN_EFAULT, "capabilities across the start of the mapping");
}

static void measure_null_hypercall(void)
{
    enum
    {
        ROUNDS = 5,
        CALLS = 2000
    };
    uint64_t best = ~0ULL;

    for ( int r = 0; r < ROUNDS; r++ )
    {
        uint64_t t0 = xen_rdtsc();

        for ( int i = 0; i < CALLS; i++ )
            xv(XENVER_version, NULL);
        t0 = (xen_rdtsc() - t0) / CALLS;
        if ( t0 < best )
            best = t0;
    }
    test_info("null hypercall (xen_version): %lu TSC cycles (best of %d x %d)",
              best, ROUNDS, CALLS);
}

void test_main(void)
{
    check_version();
    check_strings();
    check_platform_and_features();
    check_misc();
    check_errors();
    measure_null_hypercall();
    test_pass_if_clean();
}
