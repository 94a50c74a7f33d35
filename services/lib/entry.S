/*
 * Trap, event, failsafe and syscall entry from the hypervisor's bounce frames
 *
 * The hypervisor enters a handler with rcx and r11 (and, for some vectors,
 * an error code) pushed below rip, cs, rflags, rsp, ss.  Each stub restores
 * rcx and r11, pushes a zero error code where the CPU has none, then the
 * vector, and trap_common saves the general registers and the FPU/SSE state
 * (handlers are C compiled with SSE; not for #NM, where CR0.TS is set and
 * an #NM hook must end it with fpu_taskswitch(0) before touching SSE) and
 * calls xen_trap_handler(frame).  The
 * way back is HYPERVISOR_iret with flags 0: rax, r11, rcx, rip, cs, rflags,
 * rsp, ss come from the frame, and the event mask from rflags.IF.
 */
    .text

.macro TRAP_NOEC vec, name
    .globl \name
\name:
    pop     %rcx
    pop     %r11
    push    $0
    push    $\vec
    jmp     trap_common
.endm

.macro TRAP_EC vec, name
    .globl \name
\name:
    pop     %rcx
    pop     %r11
    push    $\vec
    jmp     trap_common
.endm

TRAP_NOEC 0, xen_entry_de
TRAP_NOEC 1, xen_entry_db
TRAP_NOEC 2, xen_entry_nmi
TRAP_NOEC 3, xen_entry_bp
TRAP_NOEC 4, xen_entry_of
TRAP_NOEC 5, xen_entry_br
TRAP_NOEC 6, xen_entry_ud
TRAP_NOEC 7, xen_entry_nm
TRAP_EC   8, xen_entry_df
TRAP_NOEC 9, xen_entry_cso
TRAP_EC   10, xen_entry_ts
TRAP_EC   11, xen_entry_np
TRAP_EC   12, xen_entry_ss
TRAP_EC   13, xen_entry_gp
TRAP_EC   14, xen_entry_pf
TRAP_NOEC 15, xen_entry_spurious
TRAP_NOEC 16, xen_entry_mf
TRAP_EC   17, xen_entry_ac
TRAP_NOEC 18, xen_entry_mc
TRAP_NOEC 19, xen_entry_xm
TRAP_NOEC 0x80, xen_entry_int80
TRAP_NOEC -1, xen_entry_event           /* vector = XEN_EVENT_VECTOR */

trap_common:
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
    mov     %rsp, %rbx                  /* struct trap_frame */
    and     $~15, %rsp
    sub     $512, %rsp
    /* #NM means CR0.TS is set: fxsave would fault again. */
    cmpq    $7, 15*8(%rbx)
    je      1f
    fxsave64 (%rsp)
1:  mov     %rbx, %rdi
    call    xen_trap_handler
    cmpq    $7, 15*8(%rbx)
    je      2f
    fxrstor64 (%rsp)
2:  mov     %rbx, %rsp
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
    add     $16, %rsp                   /* vector, error code */
    push    $0                          /* iret flags: not VGCF_in_syscall */
    jmp     xen_iret_entry

/*
 * Failsafe: a segment register could not be reloaded.  Frame: rcx, r11,
 * ds, es, fs, gs, rip, cs, rflags, rsp, ss.  Not recoverable here.
 */
    .globl xen_entry_failsafe
xen_entry_failsafe:
    mov     %rsp, %rdi
    and     $~15, %rsp
    call    xen_failsafe_handler
    ud2

/*
 * First instruction of a secondary vCPU (rt/smp.h): rsp is the top of its
 * stack; align it as a call would and run xen_vcpu_main().
 */
    .globl xen_vcpu_entry
xen_vcpu_entry:
    xor     %ebp, %ebp
    and     $~15, %rsp
    call    xen_vcpu_main
    ud2

/*
 * syscall from guest user mode: the runtime has no user mode; a program
 * with one registers its own syscall callback.
 */
    .globl xen_entry_syscall
xen_entry_syscall:
    mov     %rsp, %rdi
    and     $~15, %rsp
    call    xen_syscall_handler
    ud2

    .section .note.GNU-stack, "", @progbits
