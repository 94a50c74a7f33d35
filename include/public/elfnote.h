/*
 * Xen ELF note types a PV kernel uses to describe itself to its builder
 *
 * Locking: none; constants.  A note has name "Xen" and one of these types;
 * numeric values are 4 or 8 bytes, strings are NUL-terminated.
 */
#ifndef PUBLIC_ELFNOTE_H
#define PUBLIC_ELFNOTE_H

#define XEN_ELFNOTE_INFO               0 /* legacy NAME=VALUE, unused */
#define XEN_ELFNOTE_ENTRY              1 /* virtual entry point */
#define XEN_ELFNOTE_HYPERCALL_PAGE     2 /* VA of the page to fill */
#define XEN_ELFNOTE_VIRT_BASE          3 /* VA of pfn 0; default 0 */
#define XEN_ELFNOTE_PADDR_OFFSET       4 /* subtracted from p_paddr */
#define XEN_ELFNOTE_XEN_VERSION        5 /* "xen-3.0" */
#define XEN_ELFNOTE_GUEST_OS           6 /* e.g. "linux" */
#define XEN_ELFNOTE_GUEST_VERSION      7
#define XEN_ELFNOTE_LOADER             8  /* "generic" */
#define XEN_ELFNOTE_PAE_MODE           9  /* 32-bit only */
#define XEN_ELFNOTE_FEATURES           10 /* "name|!required|..." */
#define XEN_ELFNOTE_BSD_SYMTAB         11
#define XEN_ELFNOTE_HV_START_LOW       12 /* 32-bit only */
#define XEN_ELFNOTE_L1_MFN_VALID       13
#define XEN_ELFNOTE_SUSPEND_CANCEL     14
#define XEN_ELFNOTE_INIT_P2M           15 /* VA for the P2M list */
#define XEN_ELFNOTE_MOD_START_PFN      16 /* accepts an unmapped module */
#define XEN_ELFNOTE_SUPPORTED_FEATURES 17 /* bitmap of XENFEAT_* */
#define XEN_ELFNOTE_PHYS32_ENTRY       18 /* PVH only */
#define XEN_ELFNOTE_PHYS32_RELOC       19 /* PVH only (newer Xen) */

/* Notes in crash and dump-core files, never loader input. */
#define XEN_ELFNOTE_CRASH_INFO              0x1000001
#define XEN_ELFNOTE_CRASH_REGS              0x1000002
#define XEN_ELFNOTE_DUMPCORE_NONE           0x2000000
#define XEN_ELFNOTE_DUMPCORE_HEADER         0x2000001
#define XEN_ELFNOTE_DUMPCORE_XEN_VERSION    0x2000002
#define XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION 0x2000003

#endif /* PUBLIC_ELFNOTE_H */
