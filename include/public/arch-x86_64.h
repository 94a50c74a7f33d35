/*
 * x86-64 PV guest ABI: selectors, address-space hole, register frames,
 * trap table, vCPU context (Xen 4.17 numbers and layouts)
 *
 * Locking: none; these are layouts shared between the hypervisor and a
 * guest.  Every structure is pinned with _Static_assert so a change of
 * layout breaks the build instead of a guest.  Usable from C (freestanding
 * or hosted) and, for the constants, from assembly (__ASSEMBLY__).
 */
#ifndef PUBLIC_ARCH_X86_64_H
#define PUBLIC_ARCH_X86_64_H

#ifndef __ASSEMBLY__
#include <stddef.h>
#include <stdint.h>
#endif

/*
 * Flat segments a 64-bit PV guest may load.  They live in the hypervisor's
 * reserved GDT page, so they exist before the guest installs a GDT.  Kernel
 * and user share them: the RPL in a saved CS is what says which mode a frame
 * came from.
 */
#define FLAT_RING3_CS32  0xe023 /* ring-3 compatibility-mode code */
#define FLAT_RING3_CS64  0xe033 /* ring-3 64-bit code */
#define FLAT_RING3_DS32  0xe02b /* ring-3 flat data */
#define FLAT_RING3_DS64  0x0000 /* the NULL selector */
#define FLAT_RING3_SS32  0xe02b
#define FLAT_RING3_SS64  0xe02b
#define FLAT_KERNEL_DS64 FLAT_RING3_DS64
#define FLAT_KERNEL_DS32 FLAT_RING3_DS32
#define FLAT_KERNEL_DS   FLAT_KERNEL_DS64
#define FLAT_KERNEL_CS64 FLAT_RING3_CS64
#define FLAT_KERNEL_CS32 FLAT_RING3_CS32
#define FLAT_KERNEL_CS   FLAT_KERNEL_CS64
#define FLAT_KERNEL_SS64 FLAT_RING3_SS64
#define FLAT_KERNEL_SS32 FLAT_RING3_SS32
#define FLAT_KERNEL_SS   FLAT_KERNEL_SS64
#define FLAT_USER_DS64   FLAT_RING3_DS64
#define FLAT_USER_DS32   FLAT_RING3_DS32
#define FLAT_USER_DS     FLAT_USER_DS64
#define FLAT_USER_CS64   FLAT_RING3_CS64
#define FLAT_USER_CS32   FLAT_RING3_CS32
#define FLAT_USER_CS     FLAT_USER_CS64
#define FLAT_USER_SS64   FLAT_RING3_SS64
#define FLAT_USER_SS32   FLAT_RING3_SS32
#define FLAT_USER_SS     FLAT_USER_SS64

/* The hypervisor's GDT page: guest entries end where it begins. */
#define FIRST_RESERVED_GDT_PAGE  14
#define FIRST_RESERVED_GDT_BYTE  (FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY (FIRST_RESERVED_GDT_BYTE / 8)

/* The range no guest may map: L4 slots 256..271. */
#define HYPERVISOR_VIRT_START 0xFFFF800000000000UL
#define HYPERVISOR_VIRT_END   0xFFFF880000000000UL
/* The read-only machine-to-phys table at the start of that range. */
#define MACH2PHYS_VIRT_START 0xFFFF800000000000UL
#define MACH2PHYS_VIRT_END   0xFFFF804000000000UL
#define MACH2PHYS_NR_ENTRIES ((MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) >> 3)

/* HYPERVISOR_set_segment_base() operations. */
#define SEGBASE_FS          0
#define SEGBASE_GS_USER     1
#define SEGBASE_GS_KERNEL   2
#define SEGBASE_GS_USER_SEL 3 /* load a selector into the user GS */

/* HYPERVISOR_iret() flags word: return the way a syscall returns. */
#define _VGCF_in_syscall 8
#define VGCF_in_syscall  (1 << _VGCF_in_syscall)
#define VGCF_IN_SYSCALL  VGCF_in_syscall

/* vcpu_guest_context.flags */
#define _VGCF_i387_valid               0
#define VGCF_i387_valid                (1 << _VGCF_i387_valid)
#define VGCF_I387_VALID                VGCF_i387_valid
#define _VGCF_in_kernel                2
#define VGCF_in_kernel                 (1 << _VGCF_in_kernel)
#define VGCF_IN_KERNEL                 VGCF_in_kernel
#define _VGCF_failsafe_disables_events 3
#define VGCF_failsafe_disables_events  (1 << _VGCF_failsafe_disables_events)
#define _VGCF_syscall_disables_events  4
#define VGCF_syscall_disables_events   (1 << _VGCF_syscall_disables_events)
#define _VGCF_online                   5
#define VGCF_online                    (1 << _VGCF_online)

/*
 * trap_info.flags: bits 0-1 are the DPL a software "int $n" needs, bit 2
 * masks events on entry (an "interrupt gate").
 */
#define TI_GET_DPL(_ti)       ((_ti)->flags & 3)
#define TI_GET_IF(_ti)        ((_ti)->flags & 4)
#define TI_SET_DPL(_ti, _dpl) ((_ti)->flags = ((_ti)->flags & ~3) | (_dpl))
#define TI_SET_IF(_ti, _if) \
    ((_ti)->flags = ((_ti)->flags & ~4) | ((!!(_if)) << 2))

/* CPUID leaves of the hypervisor (forced-emulation CPUID sees them). */
#define XEN_CPUID_FIRST_LEAF     0x40000000
#define XEN_CPUID_LEAF(i)        (XEN_CPUID_FIRST_LEAF + (i))
#define XEN_CPUID_SIGNATURE_EBX  0x566e6558 /* "XenV" */
#define XEN_CPUID_SIGNATURE_ECX  0x65584d4d /* "MMXe" */
#define XEN_CPUID_SIGNATURE_EDX  0x4d4d566e /* "nVMM" */
#define XEN_CPUID_MAX_NUM_LEAVES 5

/*
 * "ud2; .ascii xen" before an instruction makes the hypervisor emulate it;
 * with cpuid this yields the guest's CPUID policy instead of raw hardware.
 */
#define XEN_EMULATE_PREFIX ".byte 0x0f,0x0b,0x78,0x65,0x6e ; "
#define XEN_CPUID          XEN_EMULATE_PREFIX "cpuid"

#ifndef __ASSEMBLY__

typedef uint64_t xen_ulong_t;
typedef uint64_t xen_pfn_t;
typedef uint64_t xen_callback_t;

/* One trap-table entry (HYPERVISOR_set_trap_table); address 0 ends a list. */
struct trap_info
{
    uint8_t vector;
    uint8_t flags;
    uint16_t cs;
    uint32_t _pad0;
    uint64_t address;
};
typedef struct trap_info trap_info_t;
_Static_assert(sizeof(struct trap_info) == 16, "trap_info");
_Static_assert(offsetof(struct trap_info, address) == 8, "trap_info.address");

/*
 * What the guest leaves on its stack when it jumps to the iret slot of the
 * hypercall page (the slot pushes rcx, r11, rax itself).
 */
struct iret_context
{
    uint64_t rax, r11, rcx, flags, rip, cs, rflags, rsp, ss;
};
_Static_assert(sizeof(struct iret_context) == 72, "iret_context");
_Static_assert(offsetof(struct iret_context, flags) == 24, "iret.flags");
_Static_assert(offsetof(struct iret_context, ss) == 64, "iret.ss");

/* A vCPU's register file as the ABI exposes it (vcpu_guest_context). */
struct cpu_user_regs
{
    uint64_t r15;
    uint64_t r14;
    uint64_t r13;
    uint64_t r12;
    uint64_t rbp;
    uint64_t rbx;
    uint64_t r11;
    uint64_t r10;
    uint64_t r9;
    uint64_t r8;
    uint64_t rax;
    uint64_t rcx;
    uint64_t rdx;
    uint64_t rsi;
    uint64_t rdi;
    uint32_t error_code;
    uint32_t entry_vector;
    uint64_t rip;
    uint16_t cs;
    uint16_t _pad0[1];
    uint8_t saved_upcall_mask;
    uint8_t _pad1[3];
    uint64_t rflags; /* rflags.IF == !saved_upcall_mask */
    uint64_t rsp;
    uint16_t ss;
    uint16_t _pad2[3];
    uint16_t es;
    uint16_t _pad3[3];
    uint16_t ds;
    uint16_t _pad4[3];
    uint16_t fs;
    uint16_t _pad5[3];
    uint16_t gs;
    uint16_t _pad6[3];
};
typedef struct cpu_user_regs cpu_user_regs_t;
_Static_assert(sizeof(struct cpu_user_regs) == 200, "cpu_user_regs");
_Static_assert(offsetof(struct cpu_user_regs, rdi) == 112, "regs.rdi");
_Static_assert(offsetof(struct cpu_user_regs, error_code) == 120, "regs.ec");
_Static_assert(offsetof(struct cpu_user_regs, entry_vector) == 124, "regs.ev");
_Static_assert(offsetof(struct cpu_user_regs, rip) == 128, "regs.rip");
_Static_assert(offsetof(struct cpu_user_regs, cs) == 136, "regs.cs");
_Static_assert(offsetof(struct cpu_user_regs, saved_upcall_mask) == 140,
               "regs.saved_upcall_mask");
_Static_assert(offsetof(struct cpu_user_regs, rflags) == 144, "regs.rflags");
_Static_assert(offsetof(struct cpu_user_regs, rsp) == 152, "regs.rsp");
_Static_assert(offsetof(struct cpu_user_regs, ss) == 160, "regs.ss");
_Static_assert(offsetof(struct cpu_user_regs, gs) == 192, "regs.gs");

/* Per-vCPU architectural part of vcpu_info. */
struct arch_vcpu_info
{
    uint64_t cr2; /* address of the last #PF delivered */
    uint64_t pad;
};
typedef struct arch_vcpu_info arch_vcpu_info_t;
_Static_assert(sizeof(struct arch_vcpu_info) == 16, "arch_vcpu_info");

/* Architectural part of shared_info; the hypervisor only writes nmi_reason. */
struct arch_shared_info
{
    uint64_t max_pfn;
    xen_pfn_t pfn_to_mfn_frame_list_list;
    uint64_t nmi_reason;
    uint64_t p2m_cr3;
    uint64_t p2m_vaddr;
    uint64_t p2m_generation;
};
typedef struct arch_shared_info arch_shared_info_t;
_Static_assert(sizeof(struct arch_shared_info) == 48, "arch_shared_info");
_Static_assert(offsetof(struct arch_shared_info, nmi_reason) == 16,
               "arch_shared_info.nmi_reason");
_Static_assert(offsetof(struct arch_shared_info, p2m_generation) == 40,
               "arch_shared_info.p2m_generation");

/* A whole vCPU (VCPUOP_initialise): FXSAVE image, registers, tables. */
struct vcpu_guest_context
{
    struct
    {
        uint8_t x[512];
    } fpu_ctxt;
    uint64_t flags; /* VGCF_* */
    struct cpu_user_regs user_regs;
    struct trap_info trap_ctxt[256];
    uint64_t ldt_base, ldt_ents;
    uint64_t gdt_frames[16], gdt_ents;
    uint64_t kernel_ss, kernel_sp;
    uint64_t ctrlreg[8]; /* CR3 = ctrlreg[3], user L4 = ctrlreg[1] */
    uint64_t debugreg[8];
    uint64_t event_callback_eip;
    uint64_t failsafe_callback_eip;
    uint64_t syscall_callback_eip;
    uint64_t vm_assist;
    uint64_t fs_base;
    uint64_t gs_base_kernel;
    uint64_t gs_base_user;
};
typedef struct vcpu_guest_context vcpu_guest_context_t;
_Static_assert(sizeof(struct vcpu_guest_context) == 5168, "vcpu_guest_ctx");
_Static_assert(offsetof(struct vcpu_guest_context, flags) == 512, "vgc.flags");
_Static_assert(offsetof(struct vcpu_guest_context, user_regs) == 520,
               "vgc.user_regs");
_Static_assert(offsetof(struct vcpu_guest_context, trap_ctxt) == 720,
               "vgc.trap_ctxt");
_Static_assert(offsetof(struct vcpu_guest_context, ldt_base) == 4816,
               "vgc.ldt_base");
_Static_assert(offsetof(struct vcpu_guest_context, gdt_frames) == 4832,
               "vgc.gdt_frames");
_Static_assert(offsetof(struct vcpu_guest_context, gdt_ents) == 4960,
               "vgc.gdt_ents");
_Static_assert(offsetof(struct vcpu_guest_context, kernel_ss) == 4968,
               "vgc.kernel_ss");
_Static_assert(offsetof(struct vcpu_guest_context, ctrlreg) == 4984,
               "vgc.ctrlreg");
_Static_assert(offsetof(struct vcpu_guest_context, debugreg) == 5048,
               "vgc.debugreg");
_Static_assert(offsetof(struct vcpu_guest_context, event_callback_eip) == 5112,
               "vgc.event_callback_eip");
_Static_assert(offsetof(struct vcpu_guest_context, vm_assist) == 5136,
               "vgc.vm_assist");
_Static_assert(offsetof(struct vcpu_guest_context, fs_base) == 5144,
               "vgc.fs_base");
_Static_assert(offsetof(struct vcpu_guest_context, gs_base_user) == 5160,
               "vgc.gs_base_user");

#endif /* __ASSEMBLY__ */

#endif /* PUBLIC_ARCH_X86_64_H */
