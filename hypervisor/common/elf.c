/*
 * ELF kernel images (ELF): ELF64 x86-64 parsing, Xen ELF notes and loading.
 *
 * The image is untrusted: every structure is read with memcpy() from a
 * range that was checked against the file first, every sum is checked for
 * wrap-around, and the first problem ends parsing with a message in
 * img->error.  -ENOEXEC means "not an ELF64 LE x86-64 ET_EXEC image with
 * Xen notes"; -EINVAL means a malformed or unacceptable one.
 *
 * Notes are read from PT_NOTE program headers only.  Xen falls back to
 * SHT_NOTE sections and then to the legacy __xen_guest section when the
 * program headers hold no Xen note; the guests Tessera runs (Linux, XTF,
 * Mini-OS) all carry PT_NOTE, so neither fallback is implemented and such
 * an image is rejected as "no Xen notes".
 *
 * Locking: none; pure functions over the caller's image and result.
 */
#include <hv/elf.h>
#include <hv/errno.h>
#include <hv/lib.h>
#include <public/elfnote.h>
#include <public/features.h>

#define EHDR_SIZE   64
#define PHDR_SIZE   56
#define ET_EXEC     2
#define EM_X86_64   62
#define PT_LOAD     1
#define PT_NOTE     4
#define PF_RWX      7
#define NOTE_HDR    12
#define NOTES_MAX   65536 /* Xen's ELF_MAX_TOTAL_NOTE_COUNT */
#define FEATURE_MAX 63    /* longest FEATURES token */

/*
 * The names libelf's FEATURES parser knows (elf_xen_feature_names); a
 * name outside this table is "unknown" even if public features.h has it.
 */
static const char *const feature_names[XEN_FEATURE_NAMES_MAX] = {
    [XENFEAT_writable_page_tables] = "writable_page_tables",
    [XENFEAT_writable_descriptor_tables] = "writable_descriptor_tables",
    [XENFEAT_auto_translated_physmap] = "auto_translated_physmap",
    [XENFEAT_supervisor_mode_kernel] = "supervisor_mode_kernel",
    [XENFEAT_pae_pgdir_above_4gb] = "pae_pgdir_above_4gb",
    [XENFEAT_hvm_callback_vector] = "hvm_callback_vector",
    [XENFEAT_dom0] = "dom0",
};

const char *xen_feature_name(unsigned int bit)
{
    return bit < ARRAY_SIZE(feature_names) ? feature_names[bit] : NULL;
}

static int fail(struct elf_image *img, int rc, const char *fmt, ...)
    __printf(3, 4);

static int fail(struct elf_image *img, int rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    hv_vsnprintf(img->error, sizeof(img->error), fmt, ap);
    va_end(ap);
    return rc;
}

static uint16_t rd16(const uint8_t *p)
{
    uint16_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

static uint32_t rd32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

/* Is [off, off + len) inside the file?  No wrap-around possible. */
static bool in_file(const struct elf_image *img, uint64_t off, uint64_t len)
{
    return off <= img->size && len <= img->size - off;
}

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* ---- FEATURES ----------------------------------------------------------- */

static int feature_lookup(const char *name, size_t len)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(feature_names); i++ )
        if ( feature_names[i] && strlen(feature_names[i]) == len &&
             memcmp(feature_names[i], name, len) == 0 )
            return i;
    return -1;
}

/*
 * '|'-separated names; "!name" is required (both sets).  An unknown
 * required name rejects the image (libelf's rule); unknown optional names
 * and empty tokens are ignored.  Xen silently splits a token longer than
 * 63 characters; no known name is that long, so it is rejected here.
 */
static int parse_features(struct elf_image *img, const char *s)
{
    struct xen_elf_params *p = &img->xen;

    while ( *s )
    {
        const char *end = strchr(s, '|');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        bool required = len > 0 && s[0] == '!';
        const char *name = s + required;
        size_t nlen = len - required;
        int bit;

        if ( len > FEATURE_MAX )
            return fail(img, -EINVAL, "FEATURES token longer than %u chars",
                        FEATURE_MAX);
        bit = feature_lookup(name, nlen);
        if ( bit >= 0 )
        {
            p->f_supported |= 1U << bit;
            if ( required )
                p->f_required |= 1U << bit;
        }
        else if ( required )
            return fail(img, -EINVAL, "unknown required feature '%.*s'",
                        (int)nlen, name);
        s += len + (end != NULL);
    }
    return 0;
}

/* ---- notes -------------------------------------------------------------- */

static int note_numeric(struct elf_image *img, unsigned int type,
                        const uint8_t *desc, uint64_t descsz, uint64_t *val)
{
    if ( descsz == 4 )
        *val = rd32(desc);
    else if ( descsz == 8 )
        *val = rd64(desc);
    else
        return fail(img, -EINVAL, "Xen note %u: numeric size %lu not 4 or 8",
                    type, (unsigned long)descsz);
    return 0;
}

static int note_string(struct elf_image *img, unsigned int type,
                       const uint8_t *desc, uint64_t descsz, char *buf,
                       size_t bufsz)
{
    if ( strnlen((const char *)desc, descsz) == descsz )
        return fail(img, -EINVAL, "Xen note %u: string not NUL-terminated",
                    type);
    /* Informational and prefix-checked strings: truncation is harmless. */
    hv_strlcpy(buf, (const char *)desc, bufsz);
    return 0;
}

/* One Xen note; unknown types (and those not used for 64-bit PV) ignored. */
static int note_one(struct elf_image *img, unsigned int type,
                    const uint8_t *desc, uint64_t descsz)
{
    struct xen_elf_params *p = &img->xen;
    int rc = 0;

    switch ( type )
    {
    case XEN_ELFNOTE_ENTRY:
        rc = note_numeric(img, type, desc, descsz, &p->entry);
        p->has_entry = true;
        break;
    case XEN_ELFNOTE_HYPERCALL_PAGE:
        rc = note_numeric(img, type, desc, descsz, &p->hypercall_page);
        p->has_hypercall_page = true;
        break;
    case XEN_ELFNOTE_VIRT_BASE:
        rc = note_numeric(img, type, desc, descsz, &p->virt_base);
        p->has_virt_base = true;
        break;
    case XEN_ELFNOTE_PADDR_OFFSET:
        rc = note_numeric(img, type, desc, descsz, &p->paddr_offset);
        p->has_paddr_offset = true;
        break;
    case XEN_ELFNOTE_INIT_P2M:
        rc = note_numeric(img, type, desc, descsz, &p->init_p2m);
        break;
    case XEN_ELFNOTE_MOD_START_PFN:
        rc = note_numeric(img, type, desc, descsz, &p->mod_start_pfn);
        break;
    case XEN_ELFNOTE_SUPPORTED_FEATURES:
        /* An array of u32 submaps; Xen has one (XENFEAT_NR_SUBMAPS). */
        if ( descsz < 4 || descsz % 4 )
            return fail(img, -EINVAL, "SUPPORTED_FEATURES size %lu",
                        (unsigned long)descsz);
        p->f_supported |= rd32(desc);
        break;
    case XEN_ELFNOTE_XEN_VERSION:
        return note_string(img, type, desc, descsz, p->xen_version,
                           sizeof(p->xen_version));
    case XEN_ELFNOTE_GUEST_OS:
        return note_string(img, type, desc, descsz, p->guest_os,
                           sizeof(p->guest_os));
    case XEN_ELFNOTE_GUEST_VERSION:
        return note_string(img, type, desc, descsz, p->guest_version,
                           sizeof(p->guest_version));
    case XEN_ELFNOTE_LOADER:
        return note_string(img, type, desc, descsz, p->loader,
                           sizeof(p->loader));
    case XEN_ELFNOTE_FEATURES:
        rc = note_string(img, type, desc, descsz, p->features,
                         sizeof(p->features));
        if ( !rc && strlen((const char *)desc) >= sizeof(p->features) )
            return fail(img, -EINVAL, "FEATURES longer than %zu chars",
                        sizeof(p->features) - 1);
        break;
    }
    return rc;
}

/*
 * Walk the notes of one PT_NOTE segment [off, off + len).  Each note is a
 * 12-byte header (namesz, descsz, type), the name and the descriptor, each
 * padded to 4 bytes; all of it must lie inside the segment.
 */
static int notes_segment(struct elf_image *img, uint64_t off, uint64_t len,
                         unsigned int *count, unsigned int *nr_xen)
{
    const uint8_t *seg = img->data + off;
    uint64_t pos = 0;

    while ( len - pos >= NOTE_HDR )
    {
        uint64_t namesz = rd32(seg + pos), descsz = rd32(seg + pos + 4);
        unsigned int type = rd32(seg + pos + 8);
        /* 32-bit sizes: the 64-bit sums below cannot wrap. */
        uint64_t name_pad = ROUNDUP(namesz, 4), desc_pad = ROUNDUP(descsz, 4);
        const uint8_t *name = seg + pos + NOTE_HDR;

        if ( ++*count > NOTES_MAX )
            return fail(img, -EINVAL, "more than %u ELF notes", NOTES_MAX);
        if ( name_pad + desc_pad > len - pos - NOTE_HDR )
            return fail(img, -EINVAL,
                        "ELF note at offset %#lx runs past its segment",
                        (unsigned long)(off + pos));
        pos += NOTE_HDR + name_pad + desc_pad;
        if ( namesz != 4 || memcmp(name, "Xen", 4) != 0 )
            continue;
        ++*nr_xen;
        if ( note_one(img, type, name + name_pad, descsz) )
            return -EINVAL;
    }
    return 0;
}

static int parse_notes(struct elf_image *img, uint64_t phoff,
                       unsigned int phnum)
{
    unsigned int i, count = 0, nr_xen = 0;
    int rc;

    for ( i = 0; i < phnum; i++ )
    {
        const uint8_t *ph = img->data + phoff + (uint64_t)i * PHDR_SIZE;
        uint64_t off = rd64(ph + 8), filesz = rd64(ph + 32);

        /* Xen skips notes at offset 0 (a binutils quirk). */
        if ( rd32(ph) != PT_NOTE || off == 0 )
            continue;
        if ( !in_file(img, off, filesz) )
            return fail(img, -EINVAL, "PT_NOTE %u outside the file", i);
        rc = notes_segment(img, off, filesz, &count, &nr_xen);
        if ( rc )
            return rc;
    }
    if ( nr_xen == 0 )
        return fail(img, -ENOEXEC, "not a Xen-ELF image (no Xen notes)");
    return 0;
}

/* ---- segments ----------------------------------------------------------- */

static int add_segment(struct elf_image *img, unsigned int i, const uint8_t *ph)
{
    struct elf_segment *s;
    uint64_t off = rd64(ph + 8), paddr = rd64(ph + 24);
    uint64_t filesz = rd64(ph + 32), memsz = rd64(ph + 40);
    unsigned int j;

    if ( filesz > memsz )
        return fail(img, -EINVAL, "segment %u: filesz %#lx > memsz %#lx", i,
                    (unsigned long)filesz, (unsigned long)memsz);
    if ( !in_file(img, off, filesz) )
        return fail(img, -EINVAL, "segment %u: data outside the file", i);
    if ( paddr + memsz < paddr )
        return fail(img, -EINVAL, "segment %u: address range wraps", i);
    /* Xen's elf_phdr_is_loadable(): PT_LOAD with some of R/W/X. */
    if ( memsz == 0 || !(rd32(ph + 4) & PF_RWX) )
        return 0;
    for ( j = 0; j < img->nr_segs; j++ )
        if ( paddr < img->segs[j].paddr + img->segs[j].memsz &&
             img->segs[j].paddr < paddr + memsz )
            return fail(img, -EINVAL, "segment %u overlaps an earlier one", i);
    if ( img->nr_segs == ELF_MAX_SEGS )
        return fail(img, -EINVAL, "more than %u loadable segments",
                    ELF_MAX_SEGS);
    s = &img->segs[img->nr_segs++];
    s->offset = off;
    s->filesz = filesz;
    s->memsz = memsz;
    s->paddr = paddr;
    s->flags = rd32(ph + 4);
    return 0;
}

static int parse_segments(struct elf_image *img, uint64_t phoff,
                          unsigned int phnum)
{
    unsigned int i;
    int rc;

    for ( i = 0; i < phnum; i++ )
    {
        const uint8_t *ph = img->data + phoff + (uint64_t)i * PHDR_SIZE;

        if ( rd32(ph) != PT_LOAD )
            continue;
        rc = add_segment(img, i, ph);
        if ( rc )
            return rc;
    }
    if ( img->nr_segs == 0 )
        return fail(img, -EINVAL, "no loadable segments");
    return 0;
}

/* ---- header and derived addresses --------------------------------------- */

static int parse_header(struct elf_image *img, uint64_t *phoff,
                        unsigned int *phnum)
{
    const uint8_t *e = img->data;

    if ( img->size < EHDR_SIZE )
        return fail(img, -ENOEXEC, "truncated ELF header (%zu bytes)",
                    img->size);
    if ( memcmp(e, "\177ELF", 4) != 0 )
        return fail(img, -ENOEXEC, "not an ELF image");
    if ( e[4] != 2 || e[5] != 1 || e[6] != 1 )
        return fail(img, -ENOEXEC, "not ELF64 little-endian version 1");
    if ( rd16(e + 16) != ET_EXEC || rd16(e + 18) != EM_X86_64 )
        return fail(img, -ENOEXEC, "not an x86-64 ET_EXEC image");
    *phoff = rd64(e + 32);
    *phnum = rd16(e + 56);
    if ( *phnum == 0 )
        return fail(img, -EINVAL, "no program headers");
    if ( rd16(e + 54) != PHDR_SIZE )
        return fail(img, -EINVAL, "program header size %u", rd16(e + 54));
    if ( !in_file(img, *phoff, (uint64_t)*phnum * PHDR_SIZE) )
        return fail(img, -EINVAL, "program headers outside the file");
    img->e_entry = rd64(e + 24);
    return 0;
}

/* Acceptance as libelf's elf_xen_note_check(). */
static int check_xen(struct elf_image *img)
{
    const struct xen_elf_params *p = &img->xen;

    if ( !has_prefix(p->loader, "generic") &&
         !has_prefix(p->guest_os, "linux") )
        return fail(img, -EINVAL,
                    "neither LOADER 'generic' nor GUEST_OS 'linux'");
    if ( !has_prefix(p->xen_version, "xen-3.0") )
        return fail(img, -EINVAL, "XEN_VERSION missing or not 'xen-3.0'");
    if ( p->has_paddr_offset && !p->has_virt_base )
        return fail(img, -EINVAL, "PADDR_OFFSET without VIRT_BASE");
    return 0;
}

/* Addresses as libelf's elf_xen_addr_calc_check(), plus a span limit. */
static int derive(struct elf_image *img)
{
    struct xen_elf_params *p = &img->xen;
    uint64_t kstart = ~0UL, kend = 0;
    unsigned int i;

    p->virt_offset = p->virt_base - p->paddr_offset;
    for ( i = 0; i < img->nr_segs; i++ )
    {
        struct elf_segment *s = &img->segs[i];

        s->vaddr = s->paddr + p->virt_offset;
        /* memsz > 0, so this also refuses an end of exactly 2^64. */
        if ( s->vaddr + s->memsz <= s->vaddr )
            return fail(img, -EINVAL, "segment %u: virtual range wraps", i);
        kstart = MIN(kstart, s->vaddr);
        kend = MAX(kend, s->vaddr + s->memsz);
    }
    p->virt_kstart = kstart;
    p->virt_kend = kend;
    p->virt_entry = p->has_entry ? p->entry : img->e_entry;
    if ( kend - kstart > ELF_MAX_KERNEL_SPAN )
        return fail(img, -EINVAL, "kernel spans %#lx bytes (max %#lx)",
                    (unsigned long)(kend - kstart), ELF_MAX_KERNEL_SPAN);
    if ( p->virt_base > kstart )
        return fail(img, -EINVAL, "VIRT_BASE above the kernel start");
    if ( p->virt_entry < kstart || p->virt_entry > kend )
        return fail(img, -EINVAL, "entry %#lx outside the kernel",
                    (unsigned long)p->virt_entry);
    if ( p->init_p2m && p->init_p2m >= kstart && p->init_p2m < kend )
        return fail(img, -EINVAL, "INIT_P2M inside the kernel");
    return 0;
}

int elf_parse(const void *data, size_t size, struct elf_image *img)
{
    uint64_t phoff = 0;
    unsigned int phnum = 0;
    int rc;

    memset(img, 0, sizeof(*img));
    img->data = data;
    img->size = size;
    rc = parse_header(img, &phoff, &phnum);
    if ( !rc )
        rc = parse_segments(img, phoff, phnum);
    if ( !rc )
        rc = parse_notes(img, phoff, phnum);
    if ( !rc && img->xen.features[0] )
        rc = parse_features(img, img->xen.features);
    if ( !rc )
        rc = check_xen(img);
    if ( !rc )
        rc = derive(img);
    return rc;
}

int elf_load(const struct elf_image *img,
             int (*write)(void *ctx, uint64_t va, const void *src, size_t len),
             void *ctx)
{
    unsigned int i;
    int rc;

    for ( i = 0; i < img->nr_segs; i++ )
    {
        const struct elf_segment *s = &img->segs[i];

        if ( s->filesz )
        {
            rc = write(ctx, s->vaddr, img->data + s->offset, s->filesz);
            if ( rc )
                return rc;
        }
        if ( s->memsz > s->filesz )
        {
            rc = write(ctx, s->vaddr + s->filesz, NULL, s->memsz - s->filesz);
            if ( rc )
                return rc;
        }
    }
    return 0;
}
