/*
 * Application-processor trampoline: real mode -> long mode -> start_secondary.
 *
 * The blob is copied to TRAMPOLINE_PHYS (below 1 MiB, page aligned) and an AP
 * enters it at CS:IP = (TRAMPOLINE_PHYS >> 4):0 after INIT-SIPI-SIPI.  It is
 * position dependent on TRAMPOLINE_PHYS only.  The boot CPU patches the
 * trampoline_params block (CR3 below 4 GiB, EFER bits, stack, entry) before
 * each AP's SIPI; APs are started one at a time.
 */
#define TRAMPOLINE_PHYS 0x8000
#define T(sym) (TRAMPOLINE_PHYS + (sym) - trampoline_start)

        .section .rodata.trampoline, "a", @progbits
        .globl  trampoline_start, trampoline_end, trampoline_params
        .balign 16
trampoline_start:
        .code16
        cli
        cld
        mov     %cs, %ax
        mov     %ax, %ds
        lgdtl   (tramp_gdtr - trampoline_start)
        mov     %cr0, %eax
        or      $1, %eax
        mov     %eax, %cr0
        ljmpl   $0x08, $T(tramp32)

        .code32
tramp32:
        mov     $0x10, %ax
        mov     %ax, %ds
        mov     %ax, %es
        mov     %ax, %ss
        mov     %cr4, %eax
        or      $0x20, %eax             /* PAE */
        mov     %eax, %cr4
        mov     T(tp_cr3), %eax
        mov     %eax, %cr3
        mov     $0xc0000080, %ecx       /* EFER */
        rdmsr
        or      T(tp_efer), %eax
        wrmsr
        mov     %cr0, %eax
        or      $0x80010001, %eax       /* PG | WP | PE */
        mov     %eax, %cr0
        ljmp    $0x18, $T(tramp64)

        .code64
tramp64:
        mov     T(tp_stack), %rsp
        mov     T(tp_entry), %rax
        xor     %ebp, %ebp
        jmp     *%rax

        .balign 8
tramp_gdt:
        .quad   0
        .quad   0x00cf9a000000ffff      /* 0x08: 32-bit code */
        .quad   0x00cf92000000ffff      /* 0x10: data */
        .quad   0x00af9a000000ffff      /* 0x18: 64-bit code */
tramp_gdtr:
        .word   tramp_gdtr - tramp_gdt - 1
        .long   T(tramp_gdt)

        .balign 8
trampoline_params:
tp_cr3:   .long 0
tp_efer:  .long 0
tp_stack: .quad 0
tp_entry: .quad 0
trampoline_end:
