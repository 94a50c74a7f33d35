/*
 * vcpus: a second vCPU - VCPUOP_is_up / initialise / up / down and their
 * error cases, the new vCPU running C code with the context it was given
 * (stack, FS/GS bases, events masked), IPI ports bound on each vCPU with
 * the upcall flagged in the target vCPU's vcpu_info and the handler run
 * there, a ping-pong between the two, runstate info for both, SSE state
 * kept per vCPU while both use SSE, and vCPU 1 taken down at the end.
 *
 * Needs two vCPUs: Tessera gives domain 0 one per CPU (--smp 2); on Xen
 * make test runs this guest with QEMU_SMP=2 (dom0 gets a vCPU per pCPU).
 */
#include <string.h>

#include <public/errno.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <rt/events.h>
#include <rt/rt.h>
#include <rt/smp.h>
#include <rt/time.h>

#include "../lib/test.h"

const char test_title[] = "vcpus: second vCPU, IPIs between vCPUs, runstate";

#define MS      1000000UL
#define TIMEOUT (3000 * MS)
#define ROUNDS  20

static struct vcpu_guest_context ctx;
static uint8_t stack1[64 * 1024] __attribute__((aligned(4096)));

/* What FS and GS bases of vCPU 1 point at (set through its context). */
static const uint64_t fs_word1 = 0xf5f5f5f500000001UL;
static const uint64_t gs_word1 = 0x6565656500000001UL;

/* vCPU 0 -> vCPU 1 requests: op, then seq; vCPU 1 answers with ack = seq. */
enum
{
    OP_ENABLE_EVENTS = 1,
    OP_DISABLE_EVENTS,
    OP_SEND_TO_0,
    OP_SSE,
    OP_IDLE,
};
static volatile int op, seq, ack;

/* Filled by vCPU 1. */
static volatile struct
{
    int started;
    unsigned int id;
    uint64_t fs0, gs0, rsp;
    uint8_t mask_at_start;
    long port;
    long send_rc;
    int sse_bad;
    int lost; /* gave up waiting for a request */
} v1;

static volatile long port0;
static volatile int hits[2], wrong_vcpu[2], pingpong;

/* Handler of both IPI ports; data = the vCPU the port was bound for. */
static void on_ipi(evtchn_port_t port, void *data)
{
    unsigned int want = (unsigned int)(uintptr_t)data;

    (void)port;
    if ( xen_vcpu_id() != want )
        __atomic_fetch_add(&wrong_vcpu[want], 1, __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&hits[want], 1, __ATOMIC_SEQ_CST);
    /* In the ping-pong, vCPU 1 answers every IPI with one to vCPU 0. */
    if ( want == 1 && pingpong )
        xen_evtchn_send(port0);
}

/* Spin (yielding) until *p == want or the timeout passes. */
static bool wait_eq(volatile int *p, int want, uint64_t timeout)
{
    uint64_t end = xen_system_time() + timeout;

    while ( *p != want )
    {
        if ( xen_system_time() > end )
            return false;
        HYPERVISOR_sched_op(SCHEDOP_yield, 0);
    }
    return true;
}

/*
 * SSE state on one vCPU: distinct xmm8-15 and MXCSR per vCPU, kept over
 * many yields (with events enabled, so upcalls run in between).  One asm
 * block with the hypercall made by syscall directly, so that no compiled
 * code touches the registers in between.  Returns the number of xmm
 * registers (or MXCSR) that changed.
 */
static int sse_keeps_state(unsigned int vcpu, long yields)
{
    static uint8_t in[2][8][16] __attribute__((aligned(16)));
    static uint8_t out[2][8][16] __attribute__((aligned(16)));
    uint32_t mxcsr_in = vcpu ? 0x7f80 : 0x3f80; /* rounding modes differ */
    uint32_t mxcsr_out = 0, mxcsr_saved;
    int bad = 0;

    for ( int i = 0; i < 8; i++ )
        for ( int j = 0; j < 16; j++ )
            in[vcpu][i][j] = (uint8_t)(0x40 * vcpu + 0x11 * i + j);
    asm volatile("stmxcsr %0" : "=m"(mxcsr_saved));
    asm volatile("ldmxcsr %[mi]\n\t"
                 "movdqa 0(%[i]), %%xmm8\n\tmovdqa 16(%[i]), %%xmm9\n\t"
                 "movdqa 32(%[i]), %%xmm10\n\tmovdqa 48(%[i]), %%xmm11\n\t"
                 "movdqa 64(%[i]), %%xmm12\n\tmovdqa 80(%[i]), %%xmm13\n\t"
                 "movdqa 96(%[i]), %%xmm14\n\tmovdqa 112(%[i]), %%xmm15\n\t"
                 "1: mov %[nr], %%eax\n\t"
                 "xor %%edi, %%edi\n\t"
                 "xor %%esi, %%esi\n\t"
                 "syscall\n\t"
                 "dec %[n]\n\t"
                 "jnz 1b\n\t"
                 "movdqa %%xmm8, 0(%[o])\n\tmovdqa %%xmm9, 16(%[o])\n\t"
                 "movdqa %%xmm10, 32(%[o])\n\tmovdqa %%xmm11, 48(%[o])\n\t"
                 "movdqa %%xmm12, 64(%[o])\n\tmovdqa %%xmm13, 80(%[o])\n\t"
                 "movdqa %%xmm14, 96(%[o])\n\tmovdqa %%xmm15, 112(%[o])\n\t"
                 "stmxcsr %[mo]"
                 : [n] "+r"(yields), [mo] "=m"(mxcsr_out)
                 : [i] "r"(in[vcpu]), [o] "r"(out[vcpu]), [mi] "m"(mxcsr_in),
                   [nr] "i"(__HYPERVISOR_sched_op)
                 : "rax", "rcx", "rdi", "rsi", "r11", "memory", "xmm8", "xmm9",
                   "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
    asm volatile("ldmxcsr %0" : : "m"(mxcsr_saved));
    for ( int i = 0; i < 8; i++ )
        bad += !!memcmp(in[vcpu][i], out[vcpu][i], 16);
    return bad + (mxcsr_out != mxcsr_in);
}

/* vCPU 1: report how it started, bind its IPI port, serve requests. */
static void vcpu1_main(void *arg)
{
    int last = 0;

    (void)arg;
    asm volatile("mov %%fs:0, %0" : "=r"(v1.fs0));
    asm volatile("mov %%gs:0, %0" : "=r"(v1.gs0));
    asm volatile("mov %%rsp, %0" : "=r"(v1.rsp));
    v1.id = xen_vcpu_id();
    v1.mask_at_start = xen_vcpu_info()->evtchn_upcall_mask;
    v1.port = xen_evtchn_bind_ipi(on_ipi, (void *)1UL);
    __atomic_store_n(&v1.started, 1, __ATOMIC_SEQ_CST);

    for ( ;; )
    {
        uint64_t end = xen_system_time() + 10 * TIMEOUT;
        int s;

        while ( (s = __atomic_load_n(&seq, __ATOMIC_SEQ_CST)) == last )
        {
            if ( xen_system_time() > end )
            {
                v1.lost = 1;
                return; /* the runtime takes this vCPU down */
            }
            HYPERVISOR_sched_op(SCHEDOP_yield, 0);
        }
        last = s;
        switch ( op )
        {
        case OP_ENABLE_EVENTS:
            xen_events_enable();
            break;
        case OP_DISABLE_EVENTS:
            xen_events_disable();
            break;
        case OP_SEND_TO_0:
            v1.send_rc = xen_evtchn_send(port0);
            break;
        case OP_SSE:
            /* Acknowledge first: vCPU 0 runs its own SSE loop meanwhile. */
            __atomic_store_n(&ack, s, __ATOMIC_SEQ_CST);
            v1.sse_bad = sse_keeps_state(1, 300) + 1; /* 1 = clean */
            continue;
        case OP_IDLE:
            break;
        }
        __atomic_store_n(&ack, s, __ATOMIC_SEQ_CST);
    }
}

/* Ask vCPU 1 to do o and wait for its answer. */
static bool request(int o, const char *what)
{
    int s = seq + 1;

    op = o;
    __atomic_store_n(&seq, s, __ATOMIC_SEQ_CST);
    if ( wait_eq(&ack, s, TIMEOUT) )
        return true;
    test_check(false, "vCPU 1 did not answer request '%s'", what);
    return false;
}

static long vcpu_op(int cmd, unsigned int id, void *arg)
{
    return HYPERVISOR_vcpu_op(cmd, id, XEN_ARG(arg));
}

static int runstate(unsigned int id, struct vcpu_runstate_info *r)
{
    memset(r, 0xa5, sizeof(*r));
    return vcpu_op(VCPUOP_get_runstate_info, id, r);
}

static bool sel_bit(unsigned int vcpu, evtchn_port_t port)
{
    return xen_shared_info()->vcpu_info[vcpu].evtchn_pending_sel &
           (1UL << (port / 64));
}

static uint8_t upcall_pending(unsigned int vcpu)
{
    return xen_shared_info()->vcpu_info[vcpu].evtchn_upcall_pending;
}

/* Before vCPU 1 exists as far as the guest is concerned. */
static unsigned int probe_and_errors(void)
{
    struct vcpu_runstate_info r;
    unsigned int n;
    long rc;

    test_expect_rc(vcpu_op(VCPUOP_is_up, 0, NULL), 1, "is_up(0)");
    for ( n = 1; n < 64; n++ )
        if ( vcpu_op(VCPUOP_is_up, n, NULL) == -XEN_ENOENT )
            break;
    test_info("domain has %u vCPUs", n);
    if ( n < 2 )
        test_fail("needs 2 vCPUs, has %u (Tessera: --smp 2; Xen: QEMU_SMP=2)",
                  n);
    test_expect_rc(vcpu_op(VCPUOP_is_up, 1, NULL), 0, "is_up(1) before up");

    /* Ids past the last vCPU do not exist, for every operation. */
    test_expect_rc(vcpu_op(VCPUOP_is_up, n, NULL), -XEN_ENOENT, "is_up(max)");
    test_expect_rc(vcpu_op(VCPUOP_up, n, NULL), -XEN_ENOENT, "up(max)");
    test_expect_rc(vcpu_op(VCPUOP_down, n, NULL), -XEN_ENOENT, "down(max)");
    test_expect_rc(vcpu_op(VCPUOP_initialise, n, &ctx), -XEN_ENOENT,
                   "initialise(max)");
    test_expect_rc(vcpu_op(VCPUOP_get_runstate_info, n, &r), -XEN_ENOENT,
                   "get_runstate_info(max)");
    test_expect_rc(vcpu_op(VCPUOP_is_up, 0xffffffffU, NULL), -XEN_ENOENT,
                   "is_up(0xffffffff)");

    /* Never initialised: up is refused (Xen and Tessera: -EINVAL). */
    test_expect_rc(vcpu_op(VCPUOP_up, 1, NULL), -XEN_EINVAL,
                   "up(1) before initialise");
    test_expect_rc(vcpu_op(VCPUOP_is_up, 1, NULL), 0,
                   "is_up(1) after a refused up");

    rc = runstate(1, &r);
    test_expect_rc(rc, 0, "get_runstate_info(1) while down");
    if ( !rc )
        test_check(r.state == RUNSTATE_offline, "vCPU 1 state %d, want %d",
                   r.state, RUNSTATE_offline);

    /* vCPU 0 runs: a valid context is refused with -EEXIST. */
    xen_vcpu_context(&ctx, 1, NULL, NULL, stack1, sizeof(stack1));
    test_expect_rc(vcpu_op(VCPUOP_initialise, 0, &ctx), -XEN_EEXIST,
                   "initialise(0) while running");
    return n;
}

static void bring_up(void)
{
    struct evtchn_status st = { .dom = DOMID_SELF };

    if ( xen_vcpu_context(&ctx, 1, vcpu1_main, NULL, stack1, sizeof(stack1)) )
        test_error("xen_vcpu_context refused vCPU 1");
    ctx.fs_base = (uint64_t)&fs_word1;
    ctx.gs_base_kernel = (uint64_t)&gs_word1;
    test_expect_rc(vcpu_op(VCPUOP_initialise, 1, &ctx), 0, "initialise(1)");
    /* Initialised without VGCF_online: still down until VCPUOP_up. */
    test_expect_rc(vcpu_op(VCPUOP_is_up, 1, NULL), 0,
                   "is_up(1) after initialise");
    test_check(!v1.started, "vCPU 1 ran before VCPUOP_up");
    test_expect_rc(vcpu_op(VCPUOP_up, 1, NULL), 0, "up(1)");
    test_expect_rc(vcpu_op(VCPUOP_is_up, 1, NULL), 1, "is_up(1) after up");
    if ( !wait_eq(&v1.started, 1, TIMEOUT) )
        test_fail("vCPU 1 never started");

    test_check(v1.id == 1, "vCPU 1 runs as vCPU %u", v1.id);
    test_check(v1.rsp >= (uint64_t)stack1 &&
                   v1.rsp < (uint64_t)stack1 + sizeof(stack1),
               "vCPU 1 rsp %#lx not on its stack", v1.rsp);
    test_check(v1.fs0 == fs_word1, "vCPU 1 %%fs:0 = %#lx, want %#lx", v1.fs0,
               fs_word1);
    test_check(v1.gs0 == gs_word1, "vCPU 1 %%gs:0 = %#lx, want %#lx", v1.gs0,
               gs_word1);
    test_check(v1.mask_at_start == 1, "vCPU 1 started with upcall mask %u",
               v1.mask_at_start);
    if ( v1.port <= 0 )
        test_fail("bind_ipi on vCPU 1: %ld", v1.port);
    st.port = v1.port;
    test_expect_rc(HYPERVISOR_event_channel_op(EVTCHNOP_status, XEN_ARG(&st)),
                   0, "status of vCPU 1's port");
    test_check(st.status == EVTCHNSTAT_ipi && st.vcpu == 1,
               "vCPU 1's port: status %u vcpu %u", st.status, st.vcpu);
}

/* 0 -> 1 while vCPU 1 is masked, then unmasked; then 1 -> 0 likewise. */
static void ipis(void)
{
    evtchn_port_t p1 = v1.port;

    /* vCPU 1 masked (as it started): only its vcpu_info is flagged. */
    xen_events_disable();
    test_expect_rc(xen_evtchn_send(p1), 0, "send to vCPU 1's port");
    test_check(upcall_pending(1), "vCPU 1's evtchn_upcall_pending not set");
    test_check(sel_bit(1, p1), "vCPU 1's pending_sel lacks the port's word");
    test_check(!upcall_pending(0), "vCPU 0's evtchn_upcall_pending set by an "
                                   "IPI to vCPU 1");
    test_check(hits[1] == 0, "vCPU 1's handler ran while it was masked");
    request(OP_ENABLE_EVENTS, "enable events");
    test_check(wait_eq(&hits[1], 1, TIMEOUT), "vCPU 1 never took its IPI");
    test_check(wrong_vcpu[1] == 0, "vCPU 1's port handled on vCPU 0");
    test_check(!upcall_pending(1), "vCPU 1's upcall left pending");

    /* vCPU 1 enabled and running: the event reaches it at once. */
    test_expect_rc(xen_evtchn_send(p1), 0, "send to running vCPU 1");
    test_check(wait_eq(&hits[1], 2, TIMEOUT), "running vCPU 1 missed an IPI");

    /* 1 -> 0 while vCPU 0 is masked. */
    request(OP_SEND_TO_0, "send to vCPU 0");
    test_expect_rc(v1.send_rc, 0, "send from vCPU 1");
    test_check(upcall_pending(0), "vCPU 0's evtchn_upcall_pending not set");
    test_check(sel_bit(0, port0), "vCPU 0's pending_sel lacks the word");
    test_check(hits[0] == 0, "vCPU 0's handler ran while it was masked");
    test_check(xen_wait_flag(&hits[0], TIMEOUT), "vCPU 0 never took its IPI");
    test_check(wrong_vcpu[0] == 0, "vCPU 0's port handled on vCPU 1");
    xen_events_disable();

    /* Ping-pong: every IPI to vCPU 1 is answered from its handler. */
    hits[0] = hits[1] = 0;
    pingpong = 1;
    xen_events_enable();
    for ( int i = 1; i <= ROUNDS; i++ )
    {
        xen_evtchn_send(p1);
        if ( !wait_eq(&hits[0], i, TIMEOUT) )
        {
            test_check(false, "ping-pong stopped at round %d (%d/%d)", i,
                       hits[1], hits[0]);
            break;
        }
    }
    xen_events_disable();
    pingpong = 0;
    test_check(hits[0] == ROUNDS && hits[1] == ROUNDS,
               "ping-pong: %d IPIs to vCPU 1, %d back, want %d", hits[1],
               hits[0], ROUNDS);
    test_check(!wrong_vcpu[0] && !wrong_vcpu[1],
               "ping-pong: handlers on the wrong vCPU (%d, %d)", wrong_vcpu[0],
               wrong_vcpu[1]);
}

static void sse_both(void)
{
    int bad0;

    request(OP_SSE, "SSE loop");
    xen_events_enable();
    bad0 = sse_keeps_state(0, 300);
    xen_events_disable();
    test_check(bad0 == 0, "vCPU 0: %d xmm registers / MXCSR changed", bad0);
    if ( !wait_eq((volatile int *)&v1.sse_bad, 1, TIMEOUT) )
        test_check(false, "vCPU 1: SSE loop: %d (1 = clean, 0 = unfinished)",
                   v1.sse_bad - 1);
}

static void runstates(void)
{
    struct vcpu_runstate_info r0, r1;
    uint64_t now;

    test_expect_rc(runstate(0, &r0), 0, "get_runstate_info(0)");
    test_expect_rc(runstate(1, &r1), 0, "get_runstate_info(1)");
    now = xen_system_time();
    test_check(r0.state == RUNSTATE_running, "vCPU 0 (the caller) state %d",
               r0.state);
    test_check(r1.state != RUNSTATE_offline, "vCPU 1 up but offline");
    test_check(r0.time[RUNSTATE_running] > 0 && r1.time[RUNSTATE_running] > 0,
               "running time %lu / %lu", r0.time[RUNSTATE_running],
               r1.time[RUNSTATE_running]);
    test_check(r0.state_entry_time <= now && r1.state_entry_time <= now,
               "state_entry_time %lu / %lu after now %lu", r0.state_entry_time,
               r1.state_entry_time, now);
}

static void take_down(void)
{
    struct vcpu_runstate_info r;
    uint64_t end;
    int before;
    long rc;

    request(OP_IDLE, "idle");
    test_expect_rc(vcpu_op(VCPUOP_down, 1, NULL), 0, "down(1)");
    test_expect_rc(vcpu_op(VCPUOP_is_up, 1, NULL), 0, "is_up(1) after down");
    /* Descheduling is asynchronous: wait (bounded) for offline. */
    end = xen_system_time() + TIMEOUT;
    while ( !(rc = runstate(1, &r)) && r.state != RUNSTATE_offline &&
            xen_system_time() < end )
        HYPERVISOR_sched_op(SCHEDOP_yield, 0);
    test_expect_rc(rc, 0, "get_runstate_info(1) after down");
    test_check(r.state == RUNSTATE_offline, "vCPU 1 state %d after down",
               r.state);

    /* A down vCPU runs nothing, not even its event handler. */
    before = hits[1];
    test_expect_rc(xen_evtchn_send(v1.port), 0, "send to the down vCPU");
    for ( int i = 0; i < 50; i++ )
        HYPERVISOR_sched_op(SCHEDOP_yield, 0);
    test_check(hits[1] == before, "down vCPU 1 handled an IPI");

    /* Initialised once: a second initialise is -EEXIST even while down. */
    test_expect_rc(vcpu_op(VCPUOP_initialise, 1, &ctx), -XEN_EEXIST,
                   "initialise(1) again after down");
    test_check(!v1.lost, "vCPU 1 gave up waiting for a request");
}

void test_main(void)
{
    xen_shared_info(); /* mapped once, before vCPU 1 can use it */
    probe_and_errors();
    port0 = xen_evtchn_bind_ipi(on_ipi, (void *)0UL);
    if ( port0 <= 0 )
        test_fail("bind_ipi on vCPU 0: %ld", port0);
    bring_up();
    ipis();
    sse_both();
    runstates();
    take_down();
    test_pass_if_clean();
}
