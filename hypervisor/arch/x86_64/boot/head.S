/*
 * Boot entry: multiboot1 and multiboot2 headers, 32-bit entry, long mode.
 *
 * Both loaders enter start32 in 32-bit protected mode with paging off,
 * EAX = loader magic and EBX = physical address of the loader's information
 * structure.  We switch to long mode on static boot page tables that map the
 * first 4 GiB three times (identity, the direct map, and the hypervisor image
 * window at HV_VIRT_START), jump to the upper half, clear .bss and call
 * start_hv(magic, info).  setup.c then builds the real page tables.
 */
#define HV_VIRT_START 0xffff82d040000000

#define MB1_MAGIC 0x1badb002
/* page-align modules, memory info, a.out-kludge load addresses */
#define MB1_FLAGS 0x00010003

#define MB2_MAGIC 0xe85250d6

#define CR0_PE 0x00000001
#define CR0_WP 0x00010000
#define CR0_PG 0x80000000
#define CR4_PAE 0x00000020
#define MSR_EFER 0xc0000080
#define EFER_LME 0x00000100
#define EFER_NXE 0x00000800

#define PHYS(sym) ((sym) - HV_VIRT_START)

        .section .text.header, "ax", @progbits
        .code32

        /* Multiboot 1: in the first 8 KiB, 4-byte aligned. */
        .balign 4
mb1_header:
        .long   MB1_MAGIC
        .long   MB1_FLAGS
        .long   -(MB1_MAGIC + MB1_FLAGS)
        .long   PHYS(mb1_header)        /* header_addr */
        .long   __load_start_phys       /* load_addr */
        .long   __load_end_phys         /* load_end_addr */
        .long   __bss_end_phys          /* bss_end_addr */
        .long   PHYS(start32)           /* entry_addr */

        /* Multiboot 2: in the first 32 KiB, 8-byte aligned. */
        .balign 8
mb2_header:
        .long   MB2_MAGIC
        .long   0                       /* architecture: i386 protected mode */
        .long   mb2_header_end - mb2_header
        .long   -(MB2_MAGIC + (mb2_header_end - mb2_header))
        /* entry address tag */
        .balign 8
        .short  3, 0
        .long   12
        .long   PHYS(start32)
        /* module alignment tag: page-aligned modules */
        .balign 8
        .short  6, 0
        .long   8
        /* end tag */
        .balign 8
        .short  0, 0
        .long   8
mb2_header_end:

        .balign 16
        .globl  start32
start32:
        cld
        cli
        mov     %eax, %edi              /* magic -> first argument */
        mov     %ebx, %esi              /* info  -> second argument */

        /* Long mode is required; without it hang with a message on COM1. */
        mov     $0x80000000, %eax
        cpuid
        cmp     $0x80000001, %eax
        jb      no_long_mode
        mov     $0x80000001, %eax
        cpuid
        bt      $29, %edx
        jnc     no_long_mode
        mov     %edx, %ebp              /* keep the NX bit (20) */

        lgdt    PHYS(boot_gdtr)

        mov     %cr4, %eax
        or      $CR4_PAE, %eax
        mov     %eax, %cr4
        mov     $PHYS(boot_l4), %eax
        mov     %eax, %cr3

        mov     $MSR_EFER, %ecx
        rdmsr
        or      $EFER_LME, %eax
        bt      $20, %ebp
        jnc     1f
        or      $EFER_NXE, %eax
1:      wrmsr

        mov     %cr0, %eax
        or      $(CR0_PE | CR0_WP | CR0_PG), %eax
        mov     %eax, %cr0

        ljmp    $0x08, $PHYS(start64_low)

no_long_mode:
        mov     $PHYS(msg_no_lm), %esi
        mov     $0x3f8, %dx
2:      lodsb
        test    %al, %al
        jz      3f
        out     %al, %dx
        jmp     2b
3:      hlt
        jmp     3b

        .code64
start64_low:
        /* Still running at the identity address: go to the upper half. */
        movabs  $start64_high, %rax
        jmp     *%rax

        .section .text.boot, "ax", @progbits
start64_high:
        xor     %eax, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        mov     %eax, %fs
        mov     %eax, %gs

        /* Clear .bss (the loaders zero it too; do not rely on it). */
        mov     %rdi, %r12
        mov     %rsi, %r13
        lea     __bss_start(%rip), %rdi
        lea     __bss_end(%rip), %rcx
        sub     %rdi, %rcx
        xor     %eax, %eax
        rep stosb

        /*
         * Boot CPU's stack block: 32 KiB, naturally aligned inside a 64 KiB
         * reservation (sections stay 4 KiB aligned so file offsets can
         * mirror physical addresses), with cpu_info at the top (smp.h).
         */
        lea     bsp_stack_area + 32767(%rip), %rsp
        and     $-32768, %rsp
        add     $(32768 - 48), %rsp    /* sizeof(struct cpu_info) */
        xor     %ebp, %ebp              /* terminates backtraces */
        mov     %r12, %rdi
        mov     %r13, %rsi
        call    start_hv
        ud2

        .section .rodata, "a", @progbits
msg_no_lm:
        .asciz  "tessera: this CPU has no long mode (x86-64); cannot boot\r\n"

        .section .data.boot, "aw", @progbits
        .balign 8
boot_gdt:
        .quad   0
        .quad   0x00af9a000000ffff      /* 0x08: 64-bit ring-0 code */
        .quad   0x00cf92000000ffff      /* 0x10: ring-0 data */
boot_gdt_end:
boot_gdtr:
        .word   boot_gdt_end - boot_gdt - 1
        .long   PHYS(boot_gdt)

        /*
         * Boot page tables.  One L3 maps the first 4 GiB with 2 MiB pages;
         * it serves both the identity map (L4 slot 0) and the direct map
         * (slot 262).  The image window (slot 261, L3 index 321) maps the
         * first GiB.
         */
        .balign 4096
        .globl  boot_l4
boot_l4:
        .quad   PHYS(boot_l3) + 0x3
        .fill   260, 8, 0
        .quad   PHYS(boot_l3_img) + 0x3 /* 261 */
        .quad   PHYS(boot_l3) + 0x3     /* 262 */
        .fill   249, 8, 0
boot_l3:
        .quad   PHYS(boot_l2) + 0x3
        .quad   PHYS(boot_l2) + 0x1000 + 0x3
        .quad   PHYS(boot_l2) + 0x2000 + 0x3
        .quad   PHYS(boot_l2) + 0x3000 + 0x3
        .fill   508, 8, 0
boot_l3_img:
        .fill   321, 8, 0
        .quad   PHYS(boot_l2) + 0x3
        .fill   190, 8, 0
boot_l2:
        .set    i, 0
        .rept   2048
        .quad   (i << 21) + 0x83        /* present, writable, 2 MiB */
        .set    i, i + 1
        .endr

        .section .bss.stack, "aw", @nobits
        .balign 4096
bsp_stack_area:
        .skip   65536
