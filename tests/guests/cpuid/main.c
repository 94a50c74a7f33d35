/*
 * cpuid: the forced-emulation prefix (ud2; .ascii "xen"; cpuid) returns the
 * guest's CPUID policy - Xen leaves at 0x40000000 ("XenVMMXenVMM"), the
 * version leaf, the hypercall-page leaf, the hypervisor bit - and hides
 * VMX/SVM from a PV guest; a ud2 not followed by the signature stays #UD
 */
#include <string.h>

#include <public/xen.h>
#include <rt/rt.h>
#include <rt/traps.h>

#include "../lib/test.h"

const char test_title[] = "cpuid: forced-emulation CPUID and the Xen leaves";

struct regs4
{
    uint32_t a, b, c, d;
};

static struct regs4 pv_cpuid(uint32_t leaf, uint32_t subleaf)
{
    struct regs4 r;

    asm volatile(XEN_CPUID
                 : "=a"(r.a), "=b"(r.b), "=c"(r.c), "=d"(r.d)
                 : "0"(leaf), "2"(subleaf));
    return r;
}

static void test_xen_leaves(void)
{
    struct regs4 r = pv_cpuid(XEN_CPUID_FIRST_LEAF, 0);
    char sig[13];
    uint32_t max = r.a;

    memcpy(sig, &r.b, 4);
    memcpy(sig + 4, &r.c, 4);
    memcpy(sig + 8, &r.d, 4);
    sig[12] = '\0';
    test_info("leaf 0x40000000: max %#x signature \"%s\"", max, sig);
    test_check(!strcmp(sig, "XenVMMXenVMM"), "signature \"%s\"", sig);
    test_check(max >= XEN_CPUID_LEAF(2) && max <= XEN_CPUID_LEAF(5),
               "max leaf %#x", max);

    r = pv_cpuid(XEN_CPUID_LEAF(1), 0);
    test_info("leaf 0x40000001: version %u.%u", r.a >> 16, r.a & 0xffff);
    test_check((r.a >> 16) >= 3, "version leaf %#x", r.a);
    test_check(r.a == (uint32_t)HYPERVISOR_xen_version(0, 0),
               "version leaf %#x != XENVER_version", r.a);

    r = pv_cpuid(XEN_CPUID_LEAF(2), 0);
    test_check(r.a == 1, "hypercall pages %u, want 1", r.a);
    test_check(r.b == 0x40000000, "hypercall MSR %#x", r.b);

    r = pv_cpuid(max + 1, 0);
    test_check(!r.a && !r.b && !r.c && !r.d, "leaf above max not zero");
}

static void test_policy(void)
{
    struct regs4 r = pv_cpuid(1, 0), raw;

    test_check(r.c & (1U << 31), "leaf 1 ecx %#x lacks the hypervisor bit",
               r.c);
    test_check(!(r.c & (1U << 5)), "VMX visible to a PV guest");
    test_check((r.b >> 24) == 0, "initial APIC id %u, want 0", r.b >> 24);
    r = pv_cpuid(0x80000001, 0);
    test_check(!(r.c & (1U << 2)), "SVM visible to a PV guest");

    /* Plain cpuid runs natively (or faulting): it must not crash. */
    asm volatile("cpuid"
                 : "=a"(raw.a), "=b"(raw.b), "=c"(raw.c), "=d"(raw.d)
                 : "0"(0), "2"(0));
    test_check(raw.a >= 1, "native leaf 0 max %#x", raw.a);
}

static void test_not_the_prefix(void)
{
    uint64_t n = xen_last_trap.count;

    /* ud2 followed by other bytes is an ordinary #UD. */
    asm volatile("1: ud2; .ascii \"xyz\"; 2:" XEN_EXTABLE(1b, 2b));
    test_check(xen_last_trap.count == n + 1 &&
                   xen_last_trap.vector == X86_EXC_UD,
               "ud2 + \"xyz\": no #UD");
}

void test_main(void)
{
    test_xen_leaves();
    test_policy();
    test_not_the_prefix();
    test_pass_if_clean();
}
