/*
 * Interrupt and exception entry.
 *
 * 256 stubs, 16 bytes apart, each pushing a zero error code when the CPU
 * does not push one, storing its vector next to the error code, and jumping
 * to common_interrupt, which saves the general registers in struct cpu_regs
 * order (asm/regs.h) and calls do_trap(regs) on a 16-byte aligned stack.
 * Guest entry paths (syscall, ring-3 exceptions) arrive with PV execution.
 */
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
        mov     %rsp, %rdi
        mov     %rsp, %rbx
        and     $-16, %rsp
        call    do_trap
        mov     %rbx, %rsp
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
        add     $8, %rsp                /* error code and vector */
        iretq
