/*
 * Hypercalls by executing syscall directly (images without the page)
 *
 * Same C ABI as hypercall_page.S.  syscall destroys rcx and r11, which the
 * C ABI lets a callee clobber.  xen_iret_entry does what the page's slot 23
 * does: push rcx, r11, rax on top of the guest's iret frame and syscall.
 */
.macro HYPERCALL_STUB nr, name
.ifnc \name, iret
    .globl HYPERVISOR_\name
    .type HYPERVISOR_\name, @function
HYPERVISOR_\name:
    mov     %rcx, %r10
    mov     $\nr, %eax
    syscall
    ret
    .size HYPERVISOR_\name, . - HYPERVISOR_\name
.endif
.endm

    .text
#define HYPERCALL(nr, name, nargs) HYPERCALL_STUB nr, name
#include <public/hypercall-list.h>
#undef HYPERCALL

    .globl xen_iret_entry
    .type xen_iret_entry, @function
xen_iret_entry:
    push    %rcx
    push    %r11
    push    %rax
    mov     $23, %eax
    syscall
    ud2                                 /* iret never returns */
    .size xen_iret_entry, . - xen_iret_entry

    .section .rodata
    .globl xen_hypercall_via_page
    .balign 4
xen_hypercall_via_page:
    .long 0

    .section .note.GNU-stack, "", @progbits
