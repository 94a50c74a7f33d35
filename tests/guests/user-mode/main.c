/*
 * user-mode: a tiny ring-3 "process" inside the test guest proves the
 * two-mode model.  The guest kernel registers its own syscall callback and
 * trap-table entries, a kernel stack (stack_switch), the user page table
 * (MMUEXT_NEW_USER_BASEPTR, the L4 the kernel runs on) and distinct
 * kernel/user GS bases, then enters user mode with HYPERVISOR_iret (CS RPL
 * 3).  The process makes syscalls (the callback sees Xen's bounce frame:
 * rcx = rip, r11 = rflags, CS RPL 3, kernel GS base, events masked, DF
 * clear, on the stack_switch stack) and gets answers through iret with and
 * without VGCF_in_syscall; faults (#UD, #PF with the U bit), int $0x80 and
 * int3 reach the trap table from user mode; an event upcall taken in user
 * mode runs on the kernel stack; an "exit" syscall returns to the kernel
 * for good.
 *
 * The process itself only records what it sees (it cannot make
 * hypercalls); the kernel checks everything afterwards.
 *
 * ABI fact (reference §3.4 step 6): iret with VGCF_in_syscall does not
 * restore rcx/r11 from the context; Xen returns with sysretq, so user mode
 * resumes with rcx = the return rip and r11 = its rflags.
 */
#include <setjmp.h>
#include <string.h>

#include <public/callback.h>
#include <public/errno.h>
#include <rt/console.h>
#include <rt/events.h>
#include <rt/rt.h>
#include <rt/traps.h>

#include "../lib/test.h"

const char test_title[] = "user-mode: a ring-3 process, syscalls, faults, iret";

#define UNMAPPED 0x1000UL

/* User syscall numbers (rax). */
#define SYS_ADD   1 /* rdi + rsi, back through iret with VGCF_in_syscall */
#define SYS_RAW   2 /* rdi * 2, back through iret without it */
#define SYS_IPI   3 /* send ourselves an IPI, then return to user mode */
#define SYS_EXIT  60
#define RAW_RCX   0x1111222233334444UL
#define RAW_R11   0x5555666677778888UL
#define EXIT_CODE 42

static uint8_t kstack[32 * 1024] __attribute__((aligned(16)));
static uint8_t ustack[16 * 1024] __attribute__((aligned(16)));
#define KTOP ((uint64_t)kstack + sizeof(kstack))
#define UTOP ((uint64_t)ustack + sizeof(ustack))

static const uint64_t kgs_word = 0x4b4b4b4b00000000UL; /* "KKKK" */
static const uint64_t ugs_word = 0x5555555500000000UL; /* "UUUU" */
static const uint64_t fs_word = 0x4646464600000000UL;

static jmp_buf kernel_ctx;

/* Entry stubs of the runtime (entry.S) this guest's trap table names. */
extern char xen_entry_bp[], xen_entry_ud[], xen_entry_pf[], xen_entry_int80[];
extern char xen_iret_entry[];
/* This guest's syscall callback and user-mode entry (asm below). */
extern char um_syscall_entry[];
void um_enter_user(void (*rip)(void), uint64_t rsp) __attribute__((noreturn));

/*
 * What the syscall callback finds on the kernel stack, lowest address
 * first: what the entry code pushed, then Xen's bounce frame.
 */
struct sc_frame
{
    uint64_t rbx, r10, r9, r8, rdx, rsi, rdi, rax;
    uint64_t hw_rflags; /* RFLAGS the callback was entered with */
    /* The bounce frame. */
    uint64_t rcx, r11, rip, cs, rflags, rsp, ss;
};

/*
 * The syscall callback: save what C may clobber, call um_syscall(frame),
 * which sets frame->rax and returns the iret flags (0 or VGCF_in_syscall);
 * restore, take rcx and r11 from the frame (used when flags is 0), and
 * return with HYPERVISOR_iret over the rest of the bounce frame.  Events
 * are masked (CALLBACKF_mask_events), so nothing is written below rsp.
 */
asm(".text\n"
    ".globl um_syscall_entry\n"
    "um_syscall_entry:\n\t"
    "pushfq\n\t"
    "cld\n\t"
    "push %rax\n\tpush %rdi\n\tpush %rsi\n\tpush %rdx\n\t"
    "push %r8\n\tpush %r9\n\tpush %r10\n\tpush %rbx\n\t"
    "mov %rsp, %rbx\n\t"
    "mov %rsp, %rdi\n\t"
    "and $~15, %rsp\n\t"
    "call um_syscall\n\t"
    "mov %rbx, %rsp\n\t"
    "mov %rax, 64(%rsp)\n\t" /* the iret flags, in the hw_rflags slot */
    "pop %rbx\n\tpop %r10\n\tpop %r9\n\tpop %r8\n\t"
    "pop %rdx\n\tpop %rsi\n\tpop %rdi\n\tpop %rax\n\t"
    "add $8, %rsp\n\t"
    "pop %rcx\n\t"
    "pop %r11\n\t"
    "push -24(%rsp)\n\t" /* flags word: rip, cs, rflags, rsp, ss above */
    "jmp xen_iret_entry\n"
    ".globl um_enter_user\n"
    "um_enter_user:\n\t" /* rdi = user rip, rsi = user rsp */
    "push $0xe02b\n\t"   /* ss: FLAT_USER_SS */
    "push %rsi\n\t"
    "push $0x202\n\t"  /* rflags: IF, so events are enabled in user mode */
    "push $0xe033\n\t" /* cs: FLAT_USER_CS, RPL 3 = user mode */
    "push %rdi\n\t"
    "push $0\n\t" /* flags */
    "jmp xen_iret_entry\n");

/* ---- what the process records (user mode: no hypercalls, no stdio) --- */

struct fault_seen
{
    uint64_t count, vector, error_code, rip, cr2, cs;
};

static volatile struct
{
    uint64_t gs0, fs0;
    long add_ret;
    uint64_t add_rcx, add_after;
    long raw_ret;
    uint64_t raw_rcx, raw_r11;
    struct fault_seen ud_none; /* must not be an extable entry */
    struct fault_seen pf_read, pf_write, pf_ro, int80, int3;
    uint64_t ud_after, int80_after, int3_after;
    uint64_t ipi_spins;
    long ipi_rc;
    int ipi_seen;
} user;

/* ---- what the kernel sees --------------------------------------------- */

static volatile struct
{
    int syscalls, bad_frames;
    uint64_t last_frame_addr;
    int exit_code;
    int ud_hooked, ud_frame_ok;
    int ipi_hits, ipi_on_kstack, ipi_kgs;
} kern;

static volatile long ipi_port = -1;

static uint64_t read_gs0(void)
{
    uint64_t v;

    asm volatile("mov %%gs:0, %0" : "=r"(v));
    return v;
}

static uint64_t read_fs0(void)
{
    uint64_t v;

    asm volatile("mov %%fs:0, %0" : "=r"(v));
    return v;
}

static bool on_kstack(uint64_t addr)
{
    return addr >= (uint64_t)kstack && addr < KTOP;
}

/* Checks common to every user syscall; the kernel records, prints later. */
static void check_frame(struct sc_frame *f)
{
    bool ok = true;

    /* Xen's frame: kernel_sp aligned to 16, then 7 words. */
    ok &= (uint64_t)&f->rcx == (KTOP & ~15UL) - 7 * 8;
    ok &= (f->cs & 0xffff) == FLAT_USER_CS; /* RPL 3: from user */
    ok &= ((f->cs >> 32) & 0xff) == 0;      /* user had events on */
    ok &= (f->rflags & 0x200) != 0;         /* IF = !saved mask */
    ok &= (f->ss & 0xffff) == FLAT_USER_SS;
    ok &= f->rsp > (uint64_t)ustack && f->rsp <= UTOP; /* the user stack */
    ok &= f->rcx == f->rip;                            /* rcx = return rip */
    ok &= f->rip == f->rdx;                            /* user passed it */
    ok &= !(f->hw_rflags & 0x400);                     /* DF cleared */
    ok &= read_gs0() == kgs_word;                      /* kernel GS base */
    ok &= xen_vcpu_info()->evtchn_upcall_mask == 1;    /* mask_events */
    if ( !ok )
    {
        kern.bad_frames++;
        xen_printk("bad syscall frame at %p: rcx %#lx r11 %#lx rip %#lx cs "
                   "%#lx rflags %#lx rsp %#lx ss %#lx hw_rflags %#lx gs:0 "
                   "%#lx mask %u\n",
                   (void *)&f->rcx, f->rcx, f->r11, f->rip, f->cs, f->rflags,
                   f->rsp, f->ss, f->hw_rflags, read_gs0(),
                   xen_vcpu_info()->evtchn_upcall_mask);
    }
}

uint64_t um_syscall(struct sc_frame *f);
uint64_t um_syscall(struct sc_frame *f)
{
    kern.syscalls++;
    kern.last_frame_addr = (uint64_t)&f->rcx;
    check_frame(f);
    switch ( f->rax )
    {
    case SYS_ADD:
        f->rax = f->rdi + f->rsi;
        return VGCF_in_syscall;
    case SYS_RAW:
        /* Without VGCF_in_syscall, iret restores rcx and r11 as given. */
        f->rax = f->rdi * 2;
        f->rcx = RAW_RCX;
        f->r11 = RAW_R11;
        return 0;
    case SYS_IPI:
        /* Pending now, delivered once iret re-enables events in user mode. */
        f->rax = xen_evtchn_send(ipi_port);
        return VGCF_in_syscall;
    case SYS_EXIT:
        kern.exit_code = (int)f->rdi;
        longjmp(kernel_ctx, 1);
    default:
        f->rax = -XEN_ENOSYS;
        return VGCF_in_syscall;
    }
}

/* #UD from user mode with no fix-up: a hook checks where it runs. */
static int ud_hook(struct trap_frame *f)
{
    uint64_t here = (uint64_t)&f;

    kern.ud_hooked++;
    kern.ud_frame_ok = (f->cs & 3) == 3 && on_kstack((uint64_t)f) &&
                       on_kstack(here) && read_gs0() == kgs_word &&
                       f->rsp > (uint64_t)ustack && f->rsp <= UTOP;
    f->rip += 2; /* skip the ud2 */
    return 1;
}

static void on_ipi(evtchn_port_t port, void *data)
{
    uint64_t here = (uint64_t)&port;

    (void)data;
    kern.ipi_hits++;
    kern.ipi_on_kstack = on_kstack(here);
    kern.ipi_kgs = read_gs0() == kgs_word;
    __atomic_store_n(&user.ipi_seen, 1, __ATOMIC_SEQ_CST);
}

/* ---- the process ------------------------------------------------------- */

static void copy_trap(volatile struct fault_seen *s)
{
    s->count = xen_last_trap.count;
    s->vector = xen_last_trap.vector;
    s->error_code = xen_last_trap.error_code;
    s->rip = xen_last_trap.rip;
    s->cr2 = xen_last_trap.cr2;
    s->cs = xen_last_trap.cs;
}

static void __attribute__((noreturn)) user_main(void)
{
    register uint64_t r11 asm("r11");
    uint64_t rcx, after;
    long ret;

    user.gs0 = read_gs0();
    user.fs0 = read_fs0();

    /* A syscall answered through iret with VGCF_in_syscall. */
    asm volatile("lea 1f(%%rip), %%rdx\n\t"
                 "syscall\n"
                 "1:"
                 : "=a"(ret), "=c"(rcx), "=r"(r11), "=d"(after)
                 : "a"(SYS_ADD), "D"(40), "S"(2)
                 : "memory");
    user.add_ret = ret;
    user.add_rcx = rcx;
    user.add_after = after;

    /* One answered without it: rcx and r11 come from the frame. */
    asm volatile("lea 1f(%%rip), %%rdx\n\t"
                 "syscall\n"
                 "1:"
                 : "=a"(ret), "=c"(rcx), "=r"(r11), "=d"(after)
                 : "a"(SYS_RAW), "D"(21)
                 : "memory");
    user.raw_ret = ret;
    user.raw_rcx = rcx;
    user.raw_r11 = r11;

    /* DF set at the syscall: the callback must run with DF clear. */
    asm volatile("std\n\t"
                 "lea 1f(%%rip), %%rdx\n\t"
                 "syscall\n"
                 "1: cld"
                 : "=a"(ret), "=c"(rcx), "=r"(r11), "=d"(after)
                 : "a"(SYS_ADD), "D"(1), "S"(1)
                 : "memory");

    /* #UD handled by a hook (kernel stack, kernel GS), no fix-up entry. */
    asm volatile("ud2\n\t"
                 "lea 0(%%rip), %0"
                 : "=r"(user.ud_after));

    /* #PF: not present read / write, present write (the read-only L4). */
    asm volatile("1: mov (%1), %0; 2:" XEN_EXTABLE(1b, 2b)
                 : "=r"(ret)
                 : "r"(UNMAPPED));
    copy_trap(&user.pf_read);
    asm volatile("1: movq $1, (%0); 2:" XEN_EXTABLE(1b, 2b)
                 :
                 : "r"(UNMAPPED + 8)
                 : "memory");
    copy_trap(&user.pf_write);
    asm volatile("mov (%0), %%rax\n\t"
                 "1: mov %%rax, (%0); 2:" XEN_EXTABLE(1b, 2b)
                 :
                 : "r"(xen_start_info->pt_base + 8)
                 : "rax", "memory");
    copy_trap(&user.pf_ro);

    /* Software interrupts through DPL-3 entries: rip after the insn. */
    asm volatile("int $0x80; 1: lea 1b(%%rip), %0" XEN_EXTABLE(1b, 1b)
                 : "=r"(user.int80_after));
    copy_trap(&user.int80);
    asm volatile("int3; 1: lea 1b(%%rip), %0" XEN_EXTABLE(1b, 1b)
                 : "=r"(user.int3_after));
    copy_trap(&user.int3);

    /* An event upcall while in user mode (bounded spin, no time source). */
    asm volatile("lea 1f(%%rip), %%rdx\n\t"
                 "syscall\n"
                 "1:"
                 : "=a"(ret), "=d"(after)
                 : "a"(SYS_IPI)
                 : "rcx", "r11", "memory");
    user.ipi_rc = ret;
    for ( user.ipi_spins = 0;
          !__atomic_load_n(&user.ipi_seen, __ATOMIC_SEQ_CST) &&
          user.ipi_spins < 100000000;
          user.ipi_spins++ )
        asm volatile("pause");

    user.gs0 = user.gs0 == read_gs0() ? user.gs0 : 0; /* still the user's */

    asm volatile("lea 1f(%%rip), %%rdx\n\t"
                 "syscall\n"
                 "1: ud2"
                 :
                 : "a"(SYS_EXIT), "D"(EXIT_CODE)
                 : "rcx", "r11", "memory");
    for ( ;; )
        ;
}

/* ---- the kernel -------------------------------------------------------- */

static void expect_fault(const char *what, volatile struct fault_seen *s,
                         uint64_t before, uint64_t vector, uint64_t ec)
{
    test_check(s->count == before + 1, "%s: %lu exceptions, want 1", what,
               s->count - before);
    test_check(s->vector == vector, "%s: vector %lu, want %lu", what, s->vector,
               vector);
    test_check(s->error_code == ec, "%s: error code %#lx, want %#lx", what,
               s->error_code, ec);
    test_check((s->cs & 0xffff) == FLAT_USER_CS,
               "%s: frame cs %#lx, want RPL 3", what, s->cs & 0xffff);
}

static void setup(void)
{
    static const struct trap_info table[] = {
        { 3, 4 | 3, FLAT_KERNEL_CS, 0, (uint64_t)xen_entry_bp },
        { 6, 4, FLAT_KERNEL_CS, 0, (uint64_t)xen_entry_ud },
        { 14, 4, FLAT_KERNEL_CS, 0, (uint64_t)xen_entry_pf },
        { 0x80, 4 | 3, FLAT_KERNEL_CS, 0, (uint64_t)xen_entry_int80 },
        { 0, 0, 0, 0, 0 },
    };
    struct callback_register cb = { .type = CALLBACKTYPE_syscall,
                                    .flags = CALLBACKF_mask_events,
                                    .address = (uint64_t)um_syscall_entry };
    struct mmuext_op op = {
        .cmd = MMUEXT_NEW_USER_BASEPTR,
        .arg1.mfn = xen_virt_to_mfn((void *)xen_start_info->pt_base),
    };
    unsigned int done = 0;

    test_expect_rc(HYPERVISOR_set_trap_table(XEN_ARG(table)), 0,
                   "set_trap_table");
    test_expect_rc(HYPERVISOR_callback_op(CALLBACKOP_register, XEN_ARG(&cb)), 0,
                   "register the syscall callback");
    test_expect_rc(HYPERVISOR_stack_switch(FLAT_KERNEL_SS, KTOP), 0,
                   "stack_switch");
    test_expect_rc(
        HYPERVISOR_mmuext_op(XEN_ARG(&op), 1, XEN_ARG(&done), DOMID_SELF), 0,
        "mmuext_op(NEW_USER_BASEPTR, the running L4)");
    test_check(done == 1, "mmuext_op: %u done", done);
    test_expect_rc(
        HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, (uint64_t)&kgs_word), 0,
        "kernel GS base");
    test_expect_rc(
        HYPERVISOR_set_segment_base(SEGBASE_GS_USER, (uint64_t)&ugs_word), 0,
        "user GS base");
    test_expect_rc(HYPERVISOR_set_segment_base(SEGBASE_FS, (uint64_t)&fs_word),
                   0, "FS base");
    test_check(read_gs0() == kgs_word, "kernel %%gs:0 = %#lx", read_gs0());
    xen_trap_set_hook(X86_EXC_UD, ud_hook);
    ipi_port = xen_evtchn_bind_ipi(on_ipi, NULL);
    test_check(ipi_port > 0, "bind_ipi: %ld", ipi_port);
    if ( test_failures )
        test_fail("set-up failed: no user mode");
}

static void check_results(uint64_t traps_before)
{
    uint64_t n = traps_before;

    test_check(kern.exit_code == EXIT_CODE, "exit code %d", kern.exit_code);
    test_check(kern.syscalls == 5, "%d syscalls, want 5", kern.syscalls);
    test_check(kern.bad_frames == 0, "%d bad syscall frames (see above)",
               kern.bad_frames);
    test_check(user.gs0 == ugs_word, "user %%gs:0 = %#lx, want %#lx", user.gs0,
               ugs_word);
    test_check(user.fs0 == fs_word, "user %%fs:0 = %#lx (FS is not switched)",
               user.fs0);
    test_check(user.add_ret == 42, "SYS_ADD returned %ld", user.add_ret);
    test_check(user.add_rcx == user.add_after,
               "VGCF_in_syscall: rcx %#lx, want the return rip %#lx",
               user.add_rcx, user.add_after);
    test_check(user.raw_ret == 42, "SYS_RAW returned %ld", user.raw_ret);
    test_check(user.raw_rcx == RAW_RCX && user.raw_r11 == RAW_R11,
               "iret flags 0: rcx %#lx r11 %#lx, want the frame's",
               user.raw_rcx, user.raw_r11);
    test_check(kern.ud_hooked == 1 && kern.ud_frame_ok,
               "#UD from user: %d hooks, frame/stack/GS ok %d", kern.ud_hooked,
               kern.ud_frame_ok);
    test_check(user.ud_after != 0, "user mode did not resume after #UD");

    /* U bit (4) in every #PF error code from user mode. */
    expect_fault("user read of an unmapped page", &user.pf_read, n++,
                 X86_EXC_PF, 4);
    test_check(user.pf_read.cr2 == UNMAPPED, "cr2 %#lx", user.pf_read.cr2);
    expect_fault("user write to an unmapped page", &user.pf_write, n++,
                 X86_EXC_PF, 6);
    test_check(user.pf_write.cr2 == UNMAPPED + 8, "cr2 %#lx",
               user.pf_write.cr2);
    expect_fault("user write to the read-only L4", &user.pf_ro, n++, X86_EXC_PF,
                 7);
    expect_fault("user int $0x80", &user.int80, n++, 0x80, 0);
    test_check(user.int80.rip == user.int80_after, "int $0x80: rip %#lx",
               user.int80.rip);
    expect_fault("user int3", &user.int3, n++, X86_EXC_BP, 0);
    test_check(user.int3.rip == user.int3_after, "int3: rip %#lx",
               user.int3.rip);

    test_check(user.ipi_rc == 0, "send from the syscall: %ld", user.ipi_rc);
    test_check(kern.ipi_hits == 1, "upcall in user mode: %d handler runs",
               kern.ipi_hits);
    test_check(kern.ipi_on_kstack && kern.ipi_kgs,
               "upcall from user mode: on kernel stack %d, kernel GS %d",
               kern.ipi_on_kstack, kern.ipi_kgs);
    test_info("upcall after %lu user spins", user.ipi_spins);
}

void test_main(void)
{
    uint64_t traps_before;

    xen_shared_info(); /* CR2 and the event mask live in vcpu_info */
    setup();
    traps_before = xen_last_trap.count;
    if ( setjmp(kernel_ctx) == 0 )
        um_enter_user(user_main, UTOP);

    /* Back for good, through the exit syscall: kernel mode again. */
    test_check(HYPERVISOR_xen_version(0, 0) > 0,
               "hypercall after exit does not work");
    test_check(read_gs0() == kgs_word, "kernel %%gs:0 after exit = %#lx",
               read_gs0());
    xen_events_disable();
    check_results(traps_before);
    HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, 0);
    HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0);
    HYPERVISOR_set_segment_base(SEGBASE_FS, 0);
    xen_trap_set_hook(X86_EXC_UD, NULL);
    test_pass_if_clean();
}
