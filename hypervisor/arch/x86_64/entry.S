/*
 * Interrupt and exception entry.
 *
 * 256 stubs, 16 bytes apart, each pushing a zero error code when the CPU
 * does not push one, storing its vector next to the error code, and jumping
 * to common_interrupt, which saves the general registers in struct cpu_regs
 * order (asm/regs.h) and calls do_trap(regs) on a 16-byte aligned stack.
 *
 * From ring 3 the CPU switches to TSS.rsp0 = this CPU's cpu_info, so every
 * guest entry builds its frame at the same place, just below cpu_info:
 * exceptions and interrupts through the stubs, hypercalls and guest
 * syscalls through lstar_enter, which builds the same frame by hand.  Both
 * leave through ret_to_guest, which runs softirqs, scheduling and event
 * delivery (leave_to_guest) before restoring the (possibly new) frame.
 * NMI, #DF and #MC run on IST stacks and always return directly.
 */
#define TRAP_syscall 256
#define CPUINFO_scratch 16
#define CPUINFO_self 24
#define REGS_cs (16 * 8 + 8)      /* offsetof(struct cpu_regs, cs) */
#define REGS_vector (15 * 8 + 4)  /* offsetof(struct cpu_regs, entry_vector) */
#define FRAME_SIZE (21 * 8)       /* sizeof(struct cpu_regs) */

.macro SAVE_ALL
        push    %rdi
        push    %rsi
        push    %rdx
        push    %rcx
        push    %rax
        push    %r8
        push    %r9
        push    %r10
        push    %r11
        push    %rbx
        push    %rbp
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        cld
.endm

.macro RESTORE_ALL
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbp
        pop     %rbx
        pop     %r11
        pop     %r10
        pop     %r9
        pop     %r8
        pop     %rax
        pop     %rcx
        pop     %rdx
        pop     %rsi
        pop     %rdi
.endm
        .section .text, "ax", @progbits
        .balign 16
        .globl  interrupt_stubs
interrupt_stubs:
        .set    vec, 0
        .rept   256
        .balign 16
        .if !((vec == 8) || ((vec >= 10) && (vec <= 14)) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30))
        pushq   $0
        .endif
        movl    $vec, 4(%rsp)
        jmp     common_interrupt
        .set    vec, vec + 1
        .endr

common_interrupt:
        SAVE_ALL
        mov     %rsp, %rdi
        mov     %rsp, %rbx
        and     $-16, %rsp
        call    do_trap
        mov     %rbx, %rsp
        testb   $3, REGS_cs(%rsp)
        jz      restore_and_iret        /* interrupted the hypervisor */
        movl    REGS_vector(%rsp), %eax
        cmp     $2, %eax                /* IST vectors: not the guest frame */
        je      restore_and_iret
        cmp     $8, %eax
        je      restore_and_iret
        cmp     $18, %eax
        je      restore_and_iret
        jmp     ret_to_guest

restore_and_iret:
        RESTORE_ALL
        add     $8, %rsp                /* error code and vector */
        iretq

/*
 * syscall from ring 3: a hypercall from guest kernel mode, or a guest
 * user-mode system call to bounce to the guest kernel.  Interrupts are off
 * (FMASK).  Find this CPU's frame through MSR_KERNEL_GS_BASE, then build
 * the frame an exception would have built.
 */
        .balign 16
        .globl  lstar_enter
lstar_enter:
        swapgs
        mov     %rsp, %gs:CPUINFO_scratch
        mov     %gs:CPUINFO_self, %rsp
        swapgs
        pushq   $0xe02b                 /* ss: FLAT_KERNEL_SS */
        pushq   CPUINFO_scratch + 8(%rsp) /* rsp (address taken before push) */
        push    %r11                    /* rflags */
        pushq   $0xe033                 /* cs: FLAT_KERNEL_CS */
        push    %rcx                    /* rip */
        pushq   $0
        movl    $TRAP_syscall, 4(%rsp)
        SAVE_ALL
        mov     %rsp, %rdi
        sub     $8, %rsp                /* frame base is 8 mod 16 */
        call    do_syscall_entry
        add     $8, %rsp
        /* fall through */

/* Leave to the current vCPU; %rsp is this CPU's guest frame. */
        .globl  ret_to_guest
ret_to_guest:
        cli
        sub     $8, %rsp
        call    leave_to_guest
        add     $8, %rsp
        RESTORE_ALL
        add     $8, %rsp
1:      iretq
        .section .ex_table, "a", @progbits
        .quad   1b, iret_fault_fixup
        .previous

/*
 * The iretq above faulted (a context the guest managed to make invalid):
 * we are in ring 0 on this CPU's stack.  Crash the guest's domain and
 * leave through ret_to_guest again, which schedules something else.
 */
iret_fault_fixup:
        mov     %rsp, %rax
        or      $(32768 - 1), %rax
        sub     $(48 + FRAME_SIZE - 1), %rax   /* cpu_info - frame */
        mov     %rax, %rsp
        sub     $8, %rsp
        call    pv_iret_fault
        add     $8, %rsp
        jmp     ret_to_guest

/* Abandon the current stack and enter ret_to_guest on this CPU's frame. */
        .globl  reset_stack_and_enter_guest
reset_stack_and_enter_guest:
        cli
        mov     %rsp, %rax
        or      $(32768 - 1), %rax
        sub     $(48 + FRAME_SIZE - 1), %rax   /* cpu_info - frame */
        mov     %rax, %rsp
        xor     %ebp, %ebp
        jmp     ret_to_guest

/*
 * unsigned long copy_guest_raw(void *dst, const void *src, size_t n):
 * copy with fault recovery; returns the number of bytes NOT copied.
 * Callers check the guest address range first (guest_access.c).
 */
        .globl  copy_guest_raw
copy_guest_raw:
        mov     %rdx, %rcx
1:      rep movsb
2:      mov     %rcx, %rax
        ret
        .section .ex_table, "a", @progbits
        .quad   1b, 2b
        .previous
