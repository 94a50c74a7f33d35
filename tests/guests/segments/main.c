/*
 * segments: set_segment_base for FS, kernel GS and user GS (seen through
 * %fs:/%gs: loads), non-canonical bases and unknown ops refused, the flat
 * selectors loadable, the hypervisor's ring-0 selectors not
 */
#include <public/errno.h>
#include <rt/rt.h>
#include <rt/traps.h>

#include "../lib/test.h"

const char test_title[] = "segments: FS/GS bases and flat selectors";

static uint64_t fs_word[2] = { 0x1122334455667788ULL, 0 };
static uint64_t gs_word[2] = { 0x99aabbccddeeff00ULL, 0 };

static uint64_t read_fs0(void)
{
    uint64_t v;

    asm volatile("mov %%fs:0, %0" : "=r"(v));
    return v;
}

static uint64_t read_gs0(void)
{
    uint64_t v;

    asm volatile("mov %%gs:0, %0" : "=r"(v));
    return v;
}

static void test_bases(void)
{
    long rc;

    rc = HYPERVISOR_set_segment_base(SEGBASE_FS, XEN_ARG(fs_word));
    test_expect_rc(rc, 0, "set FS base");
    test_check(read_fs0() == fs_word[0], "fs:0 = %#lx", read_fs0());

    rc = HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, XEN_ARG(gs_word));
    test_expect_rc(rc, 0, "set kernel GS base");
    test_check(read_gs0() == gs_word[0], "gs:0 = %#lx", read_gs0());

    /* The user GS base is the inactive one: gs: still sees the kernel's. */
    rc = HYPERVISOR_set_segment_base(SEGBASE_GS_USER, XEN_ARG(fs_word));
    test_expect_rc(rc, 0, "set user GS base");
    test_check(read_gs0() == gs_word[0], "user GS base leaked into gs:");

    test_expect_rc(
        HYPERVISOR_set_segment_base(SEGBASE_FS, 0x0000800000000000UL),
        -XEN_EINVAL, "non-canonical FS base");
    test_expect_rc(
        HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, 0x8000000000000000UL),
        -XEN_EINVAL, "non-canonical kernel GS base");
    test_expect_rc(HYPERVISOR_set_segment_base(4, 0), -XEN_EINVAL,
                   "set_segment_base op 4");
    test_expect_rc(HYPERVISOR_set_segment_base(~0UL, 0), -XEN_EINVAL,
                   "set_segment_base op ~0");
    test_check(read_fs0() == fs_word[0], "FS base changed by a failed call");

    /* Back to zero bases for the rest of the run. */
    HYPERVISOR_set_segment_base(SEGBASE_FS, 0);
    HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, 0);
    HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0);
}

static void test_selectors(void)
{
    uint16_t sel = 0;
    uint64_t n;

    asm volatile("mov %1, %%ds; mov %%ds, %0"
                 : "=r"(sel)
                 : "r"((uint16_t)FLAT_KERNEL_DS32));
    test_check(sel == FLAT_KERNEL_DS32, "ds = %#x after loading %#x", sel,
               FLAT_KERNEL_DS32);
    asm volatile("mov %0, %%ds" : : "r"((uint16_t)0));

    /* Xen's ring-0 data selector has DPL 0: #GP(selector). */
    n = xen_last_trap.count;
    asm volatile("1: mov %0, %%es; 2:" XEN_EXTABLE(1b, 2b)
                 :
                 : "r"((uint16_t)0xe010));
    test_check(
        xen_last_trap.count == n + 1 && xen_last_trap.vector == X86_EXC_GP &&
            xen_last_trap.error_code == 0xe010,
        "loading 0xe010: count %lu vector %lu ec %#lx", xen_last_trap.count - n,
        xen_last_trap.vector, xen_last_trap.error_code);
    asm volatile("mov %0, %%es" : : "r"((uint16_t)0));
}

void test_main(void)
{
    test_bases();
    test_selectors();
    test_pass_if_clean();
}
