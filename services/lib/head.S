/*
 * Start of day: the PV entry point and the Xen ELF notes
 *
 * Entered as a 64-bit PV kernel: RSI = start_info, RSP = the builder's
 * one-page boot stack, events masked.  Clears .bss (the builder zeroes it
 * too, but the contract is ours), moves to the runtime's own stack in .bss
 * and calls xen_start_c(start_info).
 */
#include <public/elfnote.h>

#define ELFNOTE(type, kind, desc)                  \
    .pushsection .note.Xen, "a", @note;            \
    .balign 4;                                     \
    .long 2f - 1f;                                 \
    .long 4f - 3f;                                 \
    .long type;                                    \
1:  .asciz "Xen";                                  \
2:  .balign 4;                                     \
3:  kind desc;                                     \
4:  .balign 4;                                     \
    .popsection

ELFNOTE(XEN_ELFNOTE_GUEST_OS, .asciz, "Tessera-rt")
ELFNOTE(XEN_ELFNOTE_GUEST_VERSION, .asciz, "1")
ELFNOTE(XEN_ELFNOTE_XEN_VERSION, .asciz, "xen-3.0")
ELFNOTE(XEN_ELFNOTE_LOADER, .asciz, "generic")
ELFNOTE(XEN_ELFNOTE_VIRT_BASE, .quad, __image_start)
ELFNOTE(XEN_ELFNOTE_PADDR_OFFSET, .quad, __image_start)
ELFNOTE(XEN_ELFNOTE_ENTRY, .quad, _start)

    .section .text.head, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    cld
    mov     %rsi, %rbx                  /* start_info survives the memset */
    lea     __bss_start(%rip), %rdi
    lea     __bss_end(%rip), %rcx
    sub     %rdi, %rcx
    xor     %eax, %eax
    rep stosb
    lea     __stack_top(%rip), %rsp
    xor     %ebp, %ebp
    mov     %rbx, %rdi
    call    xen_start_c
    ud2
    .size _start, . - _start

    .section .note.GNU-stack, "", @progbits
