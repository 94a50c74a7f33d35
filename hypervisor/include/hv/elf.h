/*
 * ELF64 kernel images and Xen's ELF notes.
 *
 * The image is untrusted input: every header, segment and note is
 * bounds-checked against the file, sizes are checked for overflow, and a
 * bad image gives -EINVAL (or -ENOEXEC for "not an ELF64 x86-64 Xen image")
 * with img->error saying what is wrong.  Shared by the ring-0 builder and
 * libxc-min.
 */
#ifndef HV_ELF_H
#define HV_ELF_H

#include <hv/types.h>

#define ELF_MAX_SEGS 16

/*
 * Largest [virt_kstart, virt_kend) accepted: the whole start-of-day region
 * must fit in one 1 GiB L2 anyway (pv_build.h), and the limit keeps every
 * later sum far from wrapping.
 */
#define ELF_MAX_KERNEL_SPAN (1UL << 30)

struct elf_segment
{
    uint64_t offset, filesz, memsz, paddr, vaddr;
    uint32_t flags; /* PF_R/W/X */
};

/* XENFEAT bit numbers the FEATURES string may name (public features.h). */
#define XEN_FEATURE_NAMES_MAX 32

struct xen_elf_params
{
    bool has_entry, has_virt_base, has_paddr_offset, has_hypercall_page;
    uint64_t entry, virt_base, paddr_offset, hypercall_page;
    uint64_t init_p2m;      /* 0 when absent */
    uint64_t mod_start_pfn; /* 0 when absent */
    char guest_os[32], guest_version[32], xen_version[32], loader[32];
    char features[256];   /* the FEATURES string as given */
    uint32_t f_supported; /* XENFEAT bits (FEATURES and SUPPORTED_FEATURES) */
    uint32_t f_required;  /* XENFEAT bits marked '!' in FEATURES */

    /* Derived by elf_parse (Xen's rules, reference §5.1 and §6): */
    uint64_t virt_offset; /* virt_base - paddr_offset */
    uint64_t virt_kstart; /* lowest segment VA */
    uint64_t virt_kend;   /* end of the highest segment VA (exclusive) */
    uint64_t virt_entry;  /* ENTRY note, else e_entry */
};

struct elf_image
{
    const uint8_t *data;
    size_t size;
    uint64_t e_entry;
    unsigned int nr_segs; /* PT_LOAD segments with memsz > 0 */
    struct elf_segment segs[ELF_MAX_SEGS];
    struct xen_elf_params xen;
    char error[160];
};

/*
 * Parse and check an image: ELF64, little-endian, x86-64, ET_EXEC; program
 * headers inside the file; PT_LOAD segments inside the file, filesz <=
 * memsz, no overflow, not overlapping each other; Xen notes from PT_NOTE
 * segments (name "Xen"), numeric notes of 4 or 8 bytes, strings
 * NUL-terminated within the note; acceptance as Xen does it (LOADER
 * "generic*" or GUEST_OS "linux*", and XEN_VERSION "xen-3.0*"); FEATURES
 * parsed: an unknown name marked '!' rejects the image, unknown optional
 * names are ignored.  Segment VAs are set to paddr + virt_offset; the
 * entry must lie in [virt_kstart, virt_kend], VIRT_BASE at or below
 * virt_kstart, INIT_P2M outside the kernel, and the kernel span at most
 * ELF_MAX_KERNEL_SPAN.  Notes come from PT_NOTE headers only (no SHT_NOTE
 * or legacy __xen_guest fallback).
 * Returns 0; -ENOEXEC when the data is not an ELF64 LE x86-64 ET_EXEC
 * image or has no Xen note at all; -EINVAL for anything malformed or
 * unacceptable.  img->error says what is wrong (and names an unknown
 * required feature).
 */
int elf_parse(const void *data, size_t size, struct elf_image *img);

/*
 * Copy every segment into the guest: write(ctx, va, src, len) copies len
 * bytes to guest virtual address va; src == NULL means write zeros (the
 * bss part).  Returns 0 or the first error write() returned.
 */
int elf_load(const struct elf_image *img,
             int (*write)(void *ctx, uint64_t va, const void *src, size_t len),
             void *ctx);

/* Name of XENFEAT bit n as FEATURES spells it, or NULL. */
const char *xen_feature_name(unsigned int bit);

#endif /* HV_ELF_H */
