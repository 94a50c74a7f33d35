/*
 * Hypercalls through the hypercall page (the default)
 *
 * The XEN_ELFNOTE_HYPERCALL_PAGE note names hypercall_page; the builder
 * fills it with one 32-byte stub per hypercall number before the domain
 * runs.  Each C stub moves the fourth argument from rcx (C ABI) to r10
 * (hypercall ABI) and tail-jumps to its slot, whose ret returns to the
 * caller.  xen_iret_entry jumps to slot 23 with the iret frame on the stack.
 */
#include <public/elfnote.h>

    .pushsection .note.Xen, "a", @note
    .balign 4
    .long 4, 8, XEN_ELFNOTE_HYPERCALL_PAGE
    .asciz "Xen"
    .balign 4
    .quad hypercall_page
    .popsection

    .section .text.hypercall_page, "ax", @progbits
    .balign 4096
    .globl hypercall_page
    .type hypercall_page, @object
hypercall_page:
    .fill 4096, 1, 0xcc                 /* int3 until the builder fills it */
    .size hypercall_page, 4096

.macro HYPERCALL_STUB nr, name
.ifnc \name, iret
    .globl HYPERVISOR_\name
    .type HYPERVISOR_\name, @function
HYPERVISOR_\name:
    mov     %rcx, %r10
    jmp     hypercall_page + \nr * 32
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
    jmp     hypercall_page + 23 * 32
    .size xen_iret_entry, . - xen_iret_entry

    .section .rodata
    .globl xen_hypercall_via_page
    .balign 4
xen_hypercall_via_page:
    .long 1

    .section .note.GNU-stack, "", @progbits
