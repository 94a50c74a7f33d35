/*
 * fpu: SSE and x87 state (all 16 xmm registers, MXCSR, an x87 value)
 * survive yields, exceptions and timer upcalls whose handler uses SSE;
 * fpu_taskswitch(1) makes the next SSE instruction raise #NM, and after
 * fpu_taskswitch(0) in the handler the instruction completes
 */
#include <string.h>

#include <public/sched.h>
#include <public/vcpu.h>
#include <rt/events.h>
#include <rt/rt.h>
#include <rt/time.h>
#include <rt/traps.h>

#include "../lib/test.h"

const char test_title[] = "fpu: SSE/x87 state across yields, traps, events";

static uint8_t in[16][16] __attribute__((aligned(16)));
static uint8_t out[16][16] __attribute__((aligned(16)));

#define LOAD_XMM                                             \
    "movdqa 0(%0), %%xmm0\n\tmovdqa 16(%0), %%xmm1\n\t"      \
    "movdqa 32(%0), %%xmm2\n\tmovdqa 48(%0), %%xmm3\n\t"     \
    "movdqa 64(%0), %%xmm4\n\tmovdqa 80(%0), %%xmm5\n\t"     \
    "movdqa 96(%0), %%xmm6\n\tmovdqa 112(%0), %%xmm7\n\t"    \
    "movdqa 128(%0), %%xmm8\n\tmovdqa 144(%0), %%xmm9\n\t"   \
    "movdqa 160(%0), %%xmm10\n\tmovdqa 176(%0), %%xmm11\n\t" \
    "movdqa 192(%0), %%xmm12\n\tmovdqa 208(%0), %%xmm13\n\t" \
    "movdqa 224(%0), %%xmm14\n\tmovdqa 240(%0), %%xmm15\n\t"
#define STORE_XMM                                            \
    "movdqa %%xmm0, 0(%1)\n\tmovdqa %%xmm1, 16(%1)\n\t"      \
    "movdqa %%xmm2, 32(%1)\n\tmovdqa %%xmm3, 48(%1)\n\t"     \
    "movdqa %%xmm4, 64(%1)\n\tmovdqa %%xmm5, 80(%1)\n\t"     \
    "movdqa %%xmm6, 96(%1)\n\tmovdqa %%xmm7, 112(%1)\n\t"    \
    "movdqa %%xmm8, 128(%1)\n\tmovdqa %%xmm9, 144(%1)\n\t"   \
    "movdqa %%xmm10, 160(%1)\n\tmovdqa %%xmm11, 176(%1)\n\t" \
    "movdqa %%xmm12, 192(%1)\n\tmovdqa %%xmm13, 208(%1)\n\t" \
    "movdqa %%xmm14, 224(%1)\n\tmovdqa %%xmm15, 240(%1)\n\t"
#define XMM_CLOBBERS                                                        \
    "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", \
        "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15"
#define CALL_CLOBBERS \
    "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory"

static void fill(uint8_t seed)
{
    for ( int i = 0; i < 16; i++ )
        for ( int j = 0; j < 16; j++ )
            in[i][j] = (uint8_t)(seed + i * 16 + j);
    memset(out, 0, sizeof(out));
}

static void compare(const char *what)
{
    test_check(!memcmp(in, out, sizeof(in)), "%s: xmm registers changed", what);
}

/* Load, yield n times (events enabled), store. */
static void xmm_across_yields(long n)
{
    /* Callee-saved registers: they survive the calls in the loop. */
    register void *pin asm("rbx") = in;
    register void *pout asm("r12") = out;
    register long count asm("r13") = n;

    fill(0x10);
    asm volatile(LOAD_XMM "1:\n\t"
                          "xor %%edi, %%edi\n\t"
                          "xor %%esi, %%esi\n\t"
                          "call HYPERVISOR_sched_op\n\t"
                          "dec %2\n\t"
                          "jnz 1b\n\t" STORE_XMM
                 : "+r"(pin), "+r"(pout), "+r"(count)
                 :
                 : XMM_CLOBBERS, CALL_CLOBBERS);
    compare("across SCHEDOP_yield");
}

static void xmm_across_trap(void)
{
    fill(0x40);
    asm volatile(LOAD_XMM "1: ud2\n\t2:\n\t" STORE_XMM XEN_EXTABLE(1b, 2b)
                 :
                 : "r"(in), "r"(out)
                 : XMM_CLOBBERS, "memory");
    compare("across a #UD");
}

static volatile double sink;
static volatile uint64_t ticks;

/* A timer handler that uses SSE (double arithmetic) on purpose. */
static void on_timer(evtchn_port_t port, void *data)
{
    volatile double x = 1.5;

    (void)port, (void)data;
    for ( int i = 0; i < 8; i++ )
        x = x * 1.25 + 0.5;
    sink = x;
    ticks++;
}

static void xmm_across_events(void)
{
    struct vcpu_set_periodic_timer pt = { .period_ns = 1000000 };
    uint64_t spins = 0, deadline;

    if ( xen_evtchn_bind_virq(VIRQ_TIMER, on_timer, NULL) < 0 )
        test_fail("bind_virq(VIRQ_TIMER) failed");
    HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, XEN_ARG(&pt));
    xen_events_enable();
    fill(0x80);
    deadline = xen_system_time() + 100000000; /* 100 ms of upcalls */
    /* Spin with the registers live; upcalls arrive in the middle. */
    while ( ticks < 20 && xen_system_time() < deadline )
    {
        asm volatile(LOAD_XMM "mov $20000, %%ecx\n\t"
                              "1: pause\n\t"
                              "dec %%ecx\n\t"
                              "jnz 1b\n\t" STORE_XMM
                     :
                     : "r"(in), "r"(out)
                     : XMM_CLOBBERS, "rcx", "memory");
        compare("across event upcalls");
        spins++;
    }
    HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, 0);
    xen_events_disable();
    test_info("%lu timer upcalls over %lu spins", ticks, spins);
    test_check(ticks > 0, "no timer upcall arrived");
}

static void mxcsr_and_x87(void)
{
    uint32_t mxcsr = 0x3f80 | 0x2000, got = 0; /* round down */
    double pi = 0.0;

    asm volatile("ldmxcsr %0" : : "m"(mxcsr));
    asm volatile("fldpi" ::: "st");
    for ( int i = 0; i < 20; i++ )
        HYPERVISOR_sched_op(SCHEDOP_yield, 0);
    asm volatile("1: ud2\n\t2:" XEN_EXTABLE(1b, 2b));
    asm volatile("stmxcsr %0" : "=m"(got));
    asm volatile("fstpl %0" : "=m"(pi) : : "st");
    test_check(got == mxcsr, "MXCSR %#x, want %#x", got, mxcsr);
    test_check(pi > 3.14159 && pi < 3.1416, "x87 pi became %f", pi);
    mxcsr = 0x1f80;
    asm volatile("ldmxcsr %0" : : "m"(mxcsr));
}

static volatile int nm_hits;

static int nm_hook(struct trap_frame *f)
{
    (void)f;
    nm_hits++;
    HYPERVISOR_fpu_taskswitch(0);
    return 1;
}

static void lazy_fpu(void)
{
    static const double a[2] __attribute__((aligned(16))) = { 1.5, 2.5 };
    static double r[2] __attribute__((aligned(16)));

    register const void *pa asm("rbx") = a;
    register void *pr asm("r12") = r;

    xen_trap_set_hook(X86_EXC_NM, nm_hook);
    asm volatile("mov $1, %%edi\n\t"
                 "call HYPERVISOR_fpu_taskswitch\n\t"
                 "movapd (%0), %%xmm0\n\t" /* #NM here */
                 "addpd %%xmm0, %%xmm0\n\t"
                 "movapd %%xmm0, (%1)\n\t"
                 : "+r"(pa), "+r"(pr)
                 :
                 : "xmm0", CALL_CLOBBERS);
    xen_trap_set_hook(X86_EXC_NM, NULL);
    test_check(nm_hits == 1, "fpu_taskswitch(1): %d #NM, want 1", nm_hits);
    test_check(r[0] == 3.0 && r[1] == 5.0, "SSE after #NM: %f %f", r[0], r[1]);
}

void test_main(void)
{
    HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, 0);
    xmm_across_yields(50);
    xmm_across_trap();
    mxcsr_and_x87();
    lazy_fpu();
    xmm_across_events();
    test_pass_if_clean();
}
