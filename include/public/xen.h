/*
 * Core PV ABI: hypercall numbers, domain ids, VIRQs, MMU commands,
 * start_info, shared_info, vcpu_info, time records (Xen 4.17 layouts)
 *
 * Locking: none; these are layouts shared between the hypervisor and a
 * guest (shared_info and vcpu_info are written concurrently by both sides;
 * see the comments at each field for who writes what).  Every structure is
 * pinned with _Static_assert.  The constants are usable from assembly
 * (__ASSEMBLY__).
 */
#ifndef PUBLIC_XEN_H
#define PUBLIC_XEN_H

#include "arch-x86_64.h"

/* Hypercall numbers, from the one list. */
#ifndef __ASSEMBLY__
enum
{
#define HYPERCALL(nr, name, nargs) __HYPERVISOR_##name = (nr),
#include "hypercall-list.h"
#undef HYPERCALL
};
#endif
#define __HYPERVISOR_arch_0 48
#define __HYPERVISOR_arch_1 49
#define __HYPERVISOR_arch_2 50
#define __HYPERVISOR_arch_3 51
#define __HYPERVISOR_arch_4 52
#define __HYPERVISOR_arch_5 53
#define __HYPERVISOR_arch_6 54
#define __HYPERVISOR_arch_7 55

/* Virtual IRQs: V = per vCPU, G = global (one handler domain). */
#define VIRQ_TIMER      0  /* V: single-shot or periodic timer expired */
#define VIRQ_DEBUG      1  /* V: dump debug state */
#define VIRQ_CONSOLE    2  /* G: input on the emergency console */
#define VIRQ_DOM_EXC    3  /* G: some domain changed state */
#define VIRQ_TBUF       4  /* G: trace buffer has records */
#define VIRQ_DEBUGGER   6  /* G: a domain paused for a debugger */
#define VIRQ_XENOPROF   7  /* V: profiling sample */
#define VIRQ_CON_RING   8  /* G: hypervisor console ring has data */
#define VIRQ_PCPU_STATE 9  /* G: a physical CPU changed state */
#define VIRQ_MEM_EVENT  10 /* G: memory event */
#define VIRQ_ARGO       11 /* G: Argo message */
#define VIRQ_ENOMEM     12 /* G: hypervisor low on memory */
#define VIRQ_XENPMU     13 /* V: PMU interrupt */
#define VIRQ_ARCH_0     16
#define VIRQ_ARCH_1     17
#define VIRQ_ARCH_2     18
#define VIRQ_ARCH_3     19
#define VIRQ_ARCH_4     20
#define VIRQ_ARCH_5     21
#define VIRQ_ARCH_6     22
#define VIRQ_ARCH_7     23
#define NR_VIRQS        24

/* mmu_update: the low 3 bits of ptr select the command. */
#define MMU_NORMAL_PT_UPDATE       0 /* *ptr = val, validated */
#define MMU_MACHPHYS_UPDATE        1 /* M2P[ptr >> 12] = val */
#define MMU_PT_UPDATE_PRESERVE_AD  2 /* like 0, keeping A/D already set */
#define MMU_PT_UPDATE_NO_TRANSLATE 3 /* like 0, ptr never translated */

/* mmuext_op commands. */
#define MMUEXT_PIN_L1_TABLE       0
#define MMUEXT_PIN_L2_TABLE       1
#define MMUEXT_PIN_L3_TABLE       2
#define MMUEXT_PIN_L4_TABLE       3
#define MMUEXT_UNPIN_TABLE        4
#define MMUEXT_NEW_BASEPTR        5
#define MMUEXT_TLB_FLUSH_LOCAL    6
#define MMUEXT_INVLPG_LOCAL       7
#define MMUEXT_TLB_FLUSH_MULTI    8
#define MMUEXT_INVLPG_MULTI       9
#define MMUEXT_TLB_FLUSH_ALL      10
#define MMUEXT_INVLPG_ALL         11
#define MMUEXT_FLUSH_CACHE        12
#define MMUEXT_SET_LDT            13
#define MMUEXT_NEW_USER_BASEPTR   15
#define MMUEXT_CLEAR_PAGE         16
#define MMUEXT_COPY_PAGE          17
#define MMUEXT_FLUSH_CACHE_GLOBAL 18
#define MMUEXT_MARK_SUPER         19
#define MMUEXT_UNMARK_SUPER       20

/* update_va_mapping flags: flush type in bits 0-1, target above. */
#define UVMF_NONE           0UL
#define UVMF_TLB_FLUSH      1UL
#define UVMF_INVLPG         2UL
#define UVMF_FLUSHTYPE_MASK 3UL
#define UVMF_MULTI          0UL /* ORed with a pointer to a vCPU bitmap */
#define UVMF_LOCAL          0UL
#define UVMF_ALL            4UL

/* console_io commands. */
#define CONSOLEIO_write 0
#define CONSOLEIO_read  1

/* vm_assist commands and types. */
#define VMASST_CMD_enable                0
#define VMASST_CMD_disable               1
#define VMASST_TYPE_4gb_segments         0
#define VMASST_TYPE_4gb_segments_notify  1
#define VMASST_TYPE_writable_pagetables  2
#define VMASST_TYPE_pae_extended_cr3     3
#define VMASST_TYPE_architectural_iopl   4
#define VMASST_TYPE_runstate_update_flag 5
#define VMASST_TYPE_m2p_strict           32

/* Domain ids; values from DOMID_FIRST_RESERVED up never name a domain. */
#define DOMID_FIRST_RESERVED 0x7FF0U
#define DOMID_SELF           0x7FF0U
#define DOMID_IO             0x7FF1U
#define DOMID_XEN            0x7FF2U
#define DOMID_COW            0x7FF3U
#define DOMID_INVALID        0x7FF4U
#define DOMID_IDLE           0x7FFFU
#define DOMID_MASK           0x7FFFU

/* Shutdown reasons (SCHEDOP_shutdown, SCHEDOP_shutdown_code). */
#define SHUTDOWN_poweroff   0 /* clean exit */
#define SHUTDOWN_reboot     1
#define SHUTDOWN_suspend    2
#define SHUTDOWN_crash      3
#define SHUTDOWN_watchdog   4
#define SHUTDOWN_soft_reset 5
#define SHUTDOWN_MAX        5

/* start_info.flags */
#define SIF_PRIVILEGED      (1 << 0) /* may touch hardware */
#define SIF_INITDOMAIN      (1 << 1) /* the initial domain */
#define SIF_MULTIBOOT_MOD   (1 << 2) /* mod_start is a multiboot module list */
#define SIF_MOD_START_PFN   (1 << 3) /* mod_start is a PFN, not a VA */
#define SIF_VIRT_P2M_4TOOLS (1 << 4) /* tools read the P2M virtually */
#define SIF_PM_MASK         (0xFF << 8)

#define XEN_LEGACY_MAX_VCPUS 32
#define MAX_GUEST_CMDLINE    1024

/* vcpu_time_info.flags */
#define XEN_PVCLOCK_TSC_STABLE_BIT (1 << 0)
#define XEN_PVCLOCK_GUEST_STOPPED  (1 << 1)

/* 2-level event channels: 64 words of 64 bits. */
#define EVTCHN_2L_NR_CHANNELS (8 * 8 * 64)

#ifndef __ASSEMBLY__

typedef uint16_t domid_t;

/* One mmu_update request. */
struct mmu_update
{
    uint64_t ptr; /* machine address of the entry | MMU_* command */
    uint64_t val;
};
typedef struct mmu_update mmu_update_t;
_Static_assert(sizeof(struct mmu_update) == 16, "mmu_update");

/* One mmuext_op request. */
struct mmuext_op
{
    uint32_t cmd; /* MMUEXT_* */
    uint32_t _pad0;
    union
    {
        xen_pfn_t mfn;
        xen_ulong_t linear_addr;
    } arg1;
    union
    {
        uint32_t nr_ents;  /* SET_LDT */
        uint64_t vcpumask; /* *_MULTI: guest handle of a vCPU bitmap */
        xen_pfn_t src_mfn; /* COPY_PAGE */
    } arg2;
};
typedef struct mmuext_op mmuext_op_t;
_Static_assert(sizeof(struct mmuext_op) == 24, "mmuext_op");
_Static_assert(offsetof(struct mmuext_op, arg1) == 8, "mmuext_op.arg1");
_Static_assert(offsetof(struct mmuext_op, arg2) == 16, "mmuext_op.arg2");

/* One multicall entry: the result of op(args[0..4]) lands in result. */
struct multicall_entry
{
    xen_ulong_t op;
    xen_ulong_t result;
    xen_ulong_t args[6];
};
typedef struct multicall_entry multicall_entry_t;
_Static_assert(sizeof(struct multicall_entry) == 64, "multicall_entry");
_Static_assert(offsetof(struct multicall_entry, args) == 16, "mc.args");

/*
 * Per-vCPU time record, written by the hypervisor with a version protocol:
 * version odd while an update is in progress.  System time now is
 * system_time + ((tsc - tsc_timestamp) << tsc_shift) * tsc_to_system_mul
 * >> 32 (a negative shift shifts right).
 */
struct vcpu_time_info
{
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time; /* ns since hypervisor boot at tsc_timestamp */
    uint32_t tsc_to_system_mul;
    int8_t tsc_shift;
    uint8_t flags; /* XEN_PVCLOCK_* */
    uint8_t pad1[2];
};
typedef struct vcpu_time_info vcpu_time_info_t;
_Static_assert(sizeof(struct vcpu_time_info) == 32, "vcpu_time_info");
_Static_assert(offsetof(struct vcpu_time_info, tsc_timestamp) == 8,
               "time.tsc_timestamp");
_Static_assert(offsetof(struct vcpu_time_info, system_time) == 16,
               "time.system_time");
_Static_assert(offsetof(struct vcpu_time_info, tsc_to_system_mul) == 24,
               "time.mul");
_Static_assert(offsetof(struct vcpu_time_info, tsc_shift) == 28, "time.shift");
_Static_assert(offsetof(struct vcpu_time_info, flags) == 29, "time.flags");

/*
 * Per-vCPU event state.  The hypervisor sets evtchn_upcall_pending and
 * evtchn_pending_sel bits; the guest clears them.  evtchn_upcall_mask is
 * the guest's virtual "interrupts disabled" flag.
 */
struct vcpu_info
{
    uint8_t evtchn_upcall_pending;
    uint8_t evtchn_upcall_mask;
    uint8_t _pad0[6];
    xen_ulong_t evtchn_pending_sel;
    struct arch_vcpu_info arch;
    struct vcpu_time_info time;
};
typedef struct vcpu_info vcpu_info_t;
_Static_assert(sizeof(struct vcpu_info) == 64, "vcpu_info");
_Static_assert(offsetof(struct vcpu_info, evtchn_upcall_mask) == 1,
               "vcpu_info.mask");
_Static_assert(offsetof(struct vcpu_info, evtchn_pending_sel) == 8,
               "vcpu_info.sel");
_Static_assert(offsetof(struct vcpu_info, arch) == 16, "vcpu_info.arch");
_Static_assert(offsetof(struct vcpu_info, time) == 32, "vcpu_info.time");

/*
 * The page shared by the hypervisor and a domain.  Wallclock (wc_*) uses
 * the same version protocol as vcpu_time_info and gives the wall time at
 * system time 0; seconds are wc_sec_hi << 32 | wc_sec.
 */
struct shared_info
{
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    xen_ulong_t evtchn_pending[64];
    xen_ulong_t evtchn_mask[64];
    uint32_t wc_version;
    uint32_t wc_sec;
    uint32_t wc_nsec;
    uint32_t wc_sec_hi;
    struct arch_shared_info arch;
};
typedef struct shared_info shared_info_t;
_Static_assert(sizeof(struct shared_info) == 3136, "shared_info");
_Static_assert(offsetof(struct shared_info, evtchn_pending) == 2048,
               "shared_info.evtchn_pending");
_Static_assert(offsetof(struct shared_info, evtchn_mask) == 2560,
               "shared_info.evtchn_mask");
_Static_assert(offsetof(struct shared_info, wc_version) == 3072,
               "shared_info.wc_version");
_Static_assert(offsetof(struct shared_info, wc_sec_hi) == 3084,
               "shared_info.wc_sec_hi");
_Static_assert(offsetof(struct shared_info, arch) == 3088, "shared_info.arch");

/*
 * What a PV domain finds at RSI on entry.  Addresses marked VA are guest
 * virtual addresses inside the bootstrap mapping; MFNs are machine frames.
 */
struct start_info
{
    char magic[32];       /* "xen-3.0-x86_64" */
    uint64_t nr_pages;    /* pages given to the domain */
    uint64_t shared_info; /* machine address of the shared_info page */
    uint32_t flags;       /* SIF_* */
    uint32_t _pad0;
    xen_pfn_t store_mfn; /* xenstore ring */
    uint32_t store_evtchn;
    uint32_t _pad1;
    union
    {
        struct
        {
            xen_pfn_t mfn; /* console ring */
            uint32_t evtchn;
            uint32_t _pad;
        } domU;
        struct
        {
            uint32_t info_off; /* dom0_vga_console_info from start_info */
            uint32_t info_size;
        } dom0;
    } console;
    uint64_t pt_base;      /* VA of the bootstrap L4 */
    uint64_t nr_pt_frames; /* bootstrap page-table frames */
    uint64_t mfn_list;     /* VA of the P2M list */
    uint64_t mod_start;    /* VA (or PFN, SIF_MOD_START_PFN) of the module */
    uint64_t mod_len;      /* module length in bytes */
    char cmd_line[MAX_GUEST_CMDLINE];
    uint64_t first_p2m_pfn; /* INIT_P2M: first PFN of the P2M and its tables */
    uint64_t nr_p2m_frames;
};
typedef struct start_info start_info_t;
_Static_assert(sizeof(struct start_info) == 1168, "start_info");
_Static_assert(offsetof(struct start_info, nr_pages) == 32, "si.nr_pages");
_Static_assert(offsetof(struct start_info, shared_info) == 40,
               "si.shared_info");
_Static_assert(offsetof(struct start_info, flags) == 48, "si.flags");
_Static_assert(offsetof(struct start_info, store_mfn) == 56, "si.store_mfn");
_Static_assert(offsetof(struct start_info, store_evtchn) == 64,
               "si.store_evtchn");
_Static_assert(offsetof(struct start_info, console) == 72, "si.console");
_Static_assert(offsetof(struct start_info, console.domU.evtchn) == 80,
               "si.console.domU.evtchn");
_Static_assert(offsetof(struct start_info, pt_base) == 88, "si.pt_base");
_Static_assert(offsetof(struct start_info, nr_pt_frames) == 96,
               "si.nr_pt_frames");
_Static_assert(offsetof(struct start_info, mfn_list) == 104, "si.mfn_list");
_Static_assert(offsetof(struct start_info, mod_start) == 112, "si.mod_start");
_Static_assert(offsetof(struct start_info, mod_len) == 120, "si.mod_len");
_Static_assert(offsetof(struct start_info, cmd_line) == 128, "si.cmd_line");
_Static_assert(offsetof(struct start_info, first_p2m_pfn) == 1152,
               "si.first_p2m_pfn");
_Static_assert(offsetof(struct start_info, nr_p2m_frames) == 1160,
               "si.nr_p2m_frames");

#endif /* __ASSEMBLY__ */

#endif /* PUBLIC_XEN_H */
