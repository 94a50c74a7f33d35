/*
 * Unit tests for common/elf.c: images built here by a small ELF64 writer
 * (Linux-, XTF- and Mini-OS-style notes), then malformed ones.  Every
 * image is parsed from an exact-size heap copy, so ASan reports any read
 * past the end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hv/elf.h>
#include <hv/errno.h>
#include <hv/lib.h>

/* ---- ELF64 writer ---------------------------------------------------------- */

#define MAX_PH   24
#define NOTE_MAX (1 << 20)

struct seg
{
    uint32_t type, flags;
    uint64_t paddr, filesz, memsz;
    uint8_t fill; /* data byte */
};

static struct
{
    uint64_t entry;
    struct seg ph[MAX_PH];
    unsigned int nr_ph;
    uint8_t *notes;
    size_t notes_len;
} w;

/* Where the last image put things, for the malformed cases. */
static size_t ph_off, notes_off;
static uint8_t *img;
static size_t img_size;
static struct elf_image ei;

static void put16(uint8_t *p, uint16_t v)
{
    memcpy(p, &v, 2);
}

static void put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
    memcpy(p, &v, 8);
}

static void w_begin(uint64_t entry)
{
    free(w.notes);
    memset(&w, 0, sizeof(w));
    w.entry = entry;
    w.notes = calloc(1, NOTE_MAX);
    assert_non_null(w.notes);
}

static void w_load(uint64_t paddr, uint64_t filesz, uint64_t memsz,
                   uint8_t fill)
{
    assert_true(w.nr_ph < MAX_PH);
    w.ph[w.nr_ph++] = (struct seg){ 1, 5, paddr, filesz, memsz, fill };
}

static void w_note_raw(const char *name, uint32_t namesz, uint32_t type,
                       const void *desc, uint32_t descsz)
{
    uint8_t *p = w.notes + w.notes_len;

    assert_true(w.notes_len + 12 + 8 + ROUNDUP(descsz, 4) < NOTE_MAX);
    put32(p, namesz);
    put32(p + 4, descsz);
    put32(p + 8, type);
    memcpy(p + 12, name, MIN(namesz, 8));
    w.notes_len += 12 + ROUNDUP(MIN(namesz, 8), 4);
    if ( desc )
        memcpy(w.notes + w.notes_len, desc, descsz);
    w.notes_len += ROUNDUP(descsz, 4);
}

static void w_str(uint32_t type, const char *s)
{
    w_note_raw("Xen", 4, type, s, strlen(s) + 1);
}

static void w_num(uint32_t type, uint64_t v, uint32_t size)
{
    w_note_raw("Xen", 4, type, &v, size);
}

/*
 * Lay out: ELF header, program headers (PT_NOTE first when there are
 * notes), the notes, then each PT_LOAD's file data (16-byte aligned).
 */
static void w_finish(void)
{
    unsigned int nph = w.nr_ph + (w.notes_len != 0), i, k = 0;
    size_t off;

    free(img);
    ph_off = 64;
    notes_off = ph_off + nph * 56;
    off = ROUNDUP(notes_off + w.notes_len, 16);
    img_size = off;
    for ( i = 0; i < w.nr_ph; i++ )
        img_size += ROUNDUP(w.ph[i].filesz, 16);
    img = calloc(1, img_size);
    assert_non_null(img);
    memcpy(img, "\177ELF\2\1\1", 7);
    put16(img + 16, 2);
    put16(img + 18, 62);
    put32(img + 20, 1);
    put64(img + 24, w.entry);
    put64(img + 32, ph_off);
    put16(img + 52, 64);
    put16(img + 54, 56);
    put16(img + 56, nph);
    if ( w.notes_len )
    {
        uint8_t *ph = img + ph_off + 56 * k++;

        put32(ph, 4);
        put32(ph + 4, 4);
        put64(ph + 8, notes_off);
        put64(ph + 32, w.notes_len);
        put64(ph + 40, w.notes_len);
        memcpy(img + notes_off, w.notes, w.notes_len);
    }
    for ( i = 0; i < w.nr_ph; i++ )
    {
        uint8_t *ph = img + ph_off + 56 * k++;
        const struct seg *s = &w.ph[i];

        put32(ph, s->type);
        put32(ph + 4, s->flags);
        put64(ph + 8, off);
        put64(ph + 16, s->paddr); /* p_vaddr: ignored by the parser */
        put64(ph + 24, s->paddr);
        put64(ph + 32, s->filesz);
        put64(ph + 40, s->memsz);
        memset(img + off, s->fill, s->filesz);
        off += ROUNDUP(s->filesz, 16);
    }
}

/* Program header i of the last image (0 = PT_NOTE when notes exist). */
static uint8_t *phdr(unsigned int i)
{
    return img + ph_off + 56 * i;
}

static int parse(void)
{
    return elf_parse(img, img_size, &ei);
}

static int parse_size(size_t size)
{
    uint8_t *copy = malloc(size ? size : 1);
    int rc;

    memcpy(copy, img, size);
    rc = elf_parse(copy, size, &ei);
    free(copy);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    free(img);
    img = NULL;
    free(w.notes);
    w.notes = NULL;
    return 0;
}

#define assert_rc_error(rc_expr, want, what)                                  \
    do                                                                        \
    {                                                                         \
        int rc_ = (rc_expr);                                                  \
        if ( rc_ != (want) )                                                  \
            fail_msg("rc %d, want %d (error \"%s\")", rc_, want, ei.error);   \
        if ( !strstr(ei.error, what) )                                        \
            fail_msg("error \"%s\" does not mention \"%s\"", ei.error, what); \
    } while ( 0 )

/* ---- the three kinds of good image ---------------------------------------- */

#define LNX_BASE  0xffffffff80000000UL
#define LNX_ENTRY 0xffffffff81000200UL
#define LNX_HCALL 0xffffffff81002000UL

/* Linux 6.1 x86-64 notes (reference §6.2). */
static void linux_image(void)
{
    static const uint8_t l1_mfn_valid[16] = { 1, 0, 0, 0, 0, 0, 0, 0,
                                              1, 0, 0, 0, 0, 0, 0, 0 };

    w_begin(0x1000200);
    w_load(0x1000000, 0x3000, 0x3000, 0x90);
    w_load(0x1004000, 0x100, 0x2000, 0x11);
    w_str(6, "linux");
    w_str(7, "2.6");
    w_str(5, "xen-3.0");
    w_num(3, LNX_BASE, 8);
    w_num(4, 0, 8);
    w_num(1, LNX_ENTRY, 8);
    w_num(2, LNX_HCALL, 8);
    w_str(10, "!writable_page_tables");
    w_num(17, 1U << 0 | 1U << 11, 4);
    w_str(9, "yes");
    w_note_raw("Xen", 4, 13, l1_mfn_valid, 16);
    w_num(16, 1, 4);
    w_num(15, 0x8000000000UL, 8);
    w_str(8, "generic");
    w_note_raw("GNU", 4, 3, "build-id", 8);   /* not a Xen note */
    w_note_raw("Xen", 4, 0x1000001, NULL, 0); /* unknown type */
    w_finish();
}

static void test_linux(void **state)
{
    (void)state;
    linux_image();
    assert_int_equal(parse(), 0);
    assert_int_equal(ei.nr_segs, 2);
    assert_true(ei.xen.has_virt_base && ei.xen.has_paddr_offset);
    assert_true(ei.xen.has_entry && ei.xen.has_hypercall_page);
    assert_int_equal(ei.xen.virt_base, LNX_BASE);
    assert_int_equal(ei.xen.virt_offset, LNX_BASE);
    assert_int_equal(ei.segs[0].vaddr, 0xffffffff81000000UL);
    assert_int_equal(ei.segs[1].vaddr, 0xffffffff81004000UL);
    assert_int_equal(ei.segs[1].filesz, 0x100);
    assert_int_equal(ei.segs[1].memsz, 0x2000);
    assert_int_equal(ei.xen.virt_kstart, 0xffffffff81000000UL);
    assert_int_equal(ei.xen.virt_kend, 0xffffffff81006000UL);
    assert_int_equal(ei.xen.virt_entry, LNX_ENTRY); /* ENTRY beats e_entry */
    assert_int_equal(ei.e_entry, 0x1000200);
    assert_int_equal(ei.xen.hypercall_page, LNX_HCALL);
    assert_int_equal(ei.xen.init_p2m, 0x8000000000UL);
    assert_int_equal(ei.xen.mod_start_pfn, 1);
    assert_string_equal(ei.xen.guest_os, "linux");
    assert_string_equal(ei.xen.guest_version, "2.6");
    assert_string_equal(ei.xen.loader, "generic");
    assert_string_equal(ei.xen.features, "!writable_page_tables");
    assert_int_equal(ei.xen.f_supported, 1U << 0 | 1U << 11);
    assert_int_equal(ei.xen.f_required, 1U << 0);
}

/* XTF PV64: no VIRT_BASE/ENTRY, so virtual = pseudo-physical, e_entry. */
static void xtf_image(void)
{
    w_begin(0x1000);
    w_load(0x1000, 0x5000, 0x9000, 0xc3);
    w_str(6, "XTF");
    w_str(7, "0");
    w_str(8, "generic");
    w_num(2, 0x2000, 4);
    w_str(5, "xen-3.0");
    w_str(10, "!writable_page_tables|pae_pgdir_above_4gb");
    w_str(9, "yes");
    w_finish();
}

static void test_xtf(void **state)
{
    (void)state;
    xtf_image();
    assert_int_equal(parse(), 0);
    assert_false(ei.xen.has_virt_base || ei.xen.has_entry);
    assert_int_equal(ei.xen.virt_base, 0);
    assert_int_equal(ei.xen.virt_offset, 0);
    assert_int_equal(ei.segs[0].vaddr, 0x1000);
    assert_int_equal(ei.xen.virt_kstart, 0x1000);
    assert_int_equal(ei.xen.virt_kend, 0xa000);
    assert_int_equal(ei.xen.virt_entry, 0x1000);
    assert_int_equal(ei.xen.hypercall_page, 0x2000);
    assert_int_equal(ei.xen.f_supported, 1U << 0 | 1U << 4);
    assert_int_equal(ei.xen.f_required, 1U << 0);
}

/* Mini-OS: linked at 0, no FEATURES; a PT_NOTE at offset 0 is skipped. */
static void test_minios(void **state)
{
    (void)state;
    w_begin(0);
    w_load(0, 0x8000, 0x8000, 0x55);
    w_load(0x8000, 0x1000, 0x3000, 0x66);
    w_str(6, "Mini-OS");
    w_str(8, "generic");
    w_num(2, 0x1000, 8);
    w_str(5, "xen-3.0");
    w_finish();
    /* An extra (garbage) PT_NOTE at offset 0 must be ignored, as Xen does. */
    put32(phdr(2), 4);
    put64(phdr(2) + 8, 0);
    put64(phdr(2) + 32, 64);
    put64(phdr(2) + 40, 64);
    assert_int_equal(parse(), 0);
    assert_int_equal(ei.nr_segs, 1);
    assert_int_equal(ei.xen.virt_kstart, 0);
    assert_int_equal(ei.xen.virt_kend, 0x8000);
    assert_int_equal(ei.xen.virt_entry, 0);
    assert_int_equal(ei.xen.f_supported, 0);
    assert_string_equal(ei.xen.xen_version, "xen-3.0");
}

/* ---- loading ---------------------------------------------------------------- */

#define GUEST_LO 0xffffffff81000000UL
static uint8_t guest[0x8000];
static int fail_after;

static int guest_write(void *ctx, uint64_t va, const void *src, size_t len)
{
    (void)ctx;
    if ( fail_after-- == 0 )
        return -EFAULT;
    assert_true(va >= GUEST_LO && len <= sizeof(guest) &&
                va - GUEST_LO <= sizeof(guest) - len);
    if ( src )
        memcpy(guest + (va - GUEST_LO), src, len);
    else
        memset(guest + (va - GUEST_LO), 0, len);
    return 0;
}

static void test_load(void **state)
{
    size_t i;

    (void)state;
    linux_image();
    assert_int_equal(parse(), 0);
    memset(guest, 0xaa, sizeof(guest));
    fail_after = -1;
    assert_int_equal(elf_load(&ei, guest_write, NULL), 0);
    for ( i = 0; i < sizeof(guest); i++ )
    {
        uint8_t want = i < 0x3000   ? 0x90
                       : i < 0x4000 ? 0xaa /* gap between the segments */
                       : i < 0x4100 ? 0x11
                       : i < 0x6000 ? 0
                                    : 0xaa;

        if ( guest[i] != want )
            fail_msg("byte %#zx is %#x, want %#x", i, guest[i], want);
    }
    for ( i = 0; i < 3; i++ ) /* text, data, bss */
    {
        fail_after = i;
        assert_int_equal(elf_load(&ei, guest_write, NULL), -EFAULT);
    }
}

/* ---- malformed images ------------------------------------------------------- */

static void test_bad_header(void **state)
{
    (void)state;
    xtf_image();
    assert_rc_error(parse_size(0), -ENOEXEC, "truncated ELF header");
    assert_rc_error(parse_size(63), -ENOEXEC, "truncated ELF header");
    img[3] = 'X';
    assert_rc_error(parse(), -ENOEXEC, "not an ELF image");
    img[3] = 'F';
    img[4] = 1; /* ELFCLASS32 */
    assert_rc_error(parse(), -ENOEXEC, "not ELF64");
    img[4] = 2;
    img[5] = 2; /* big-endian */
    assert_rc_error(parse(), -ENOEXEC, "not ELF64");
    img[5] = 1;
    put16(img + 16, 3); /* ET_DYN */
    assert_rc_error(parse(), -ENOEXEC, "ET_EXEC");
    put16(img + 16, 2);
    put16(img + 18, 3); /* EM_386 */
    assert_rc_error(parse(), -ENOEXEC, "x86-64");
    put16(img + 18, 62);
    assert_int_equal(parse(), 0);
}

static void test_bad_phdrs(void **state)
{
    (void)state;
    xtf_image();
    put64(img + 32, img_size - 10);
    assert_rc_error(parse(), -EINVAL, "program headers outside the file");
    put64(img + 32, ~0UL - 8); /* offset + size wraps */
    assert_rc_error(parse(), -EINVAL, "program headers outside the file");
    put64(img + 32, ph_off);
    put16(img + 56, 0xffff);
    assert_rc_error(parse(), -EINVAL, "program headers outside the file");
    put16(img + 56, 0);
    assert_rc_error(parse(), -EINVAL, "no program headers");
    put16(img + 56, 2);
    put16(img + 54, 32);
    assert_rc_error(parse(), -EINVAL, "program header size");
    put16(img + 54, 56);
    /* Truncated just inside the program headers. */
    assert_rc_error(parse_size(ph_off + 56 + 20), -EINVAL,
                    "program headers outside the file");
    assert_int_equal(parse(), 0);
}

static void test_segment_outside_file(void **state)
{
    (void)state;
    xtf_image();
    put64(phdr(1) + 8, img_size - 0x100); /* p_offset */
    assert_rc_error(parse(), -EINVAL, "segment 1: data outside the file");
    put64(phdr(1) + 8, ~0UL - 0x10); /* offset + filesz wraps */
    assert_rc_error(parse(), -EINVAL, "segment 1: data outside the file");
    put64(phdr(1) + 8, notes_off);
    put64(phdr(1) + 32, 1UL << 63); /* huge filesz (memsz too) */
    put64(phdr(1) + 40, 1UL << 63);
    assert_rc_error(parse(), -EINVAL, "segment 1: data outside the file");
    /* The file cut inside the segment's data. */
    xtf_image();
    assert_rc_error(parse_size(img_size - 1), -EINVAL,
                    "segment 1: data outside the file");
}

static void test_filesz_gt_memsz(void **state)
{
    (void)state;
    xtf_image();
    put64(phdr(1) + 40, 0x4fff);
    assert_rc_error(parse(), -EINVAL, "filesz 0x5000 > memsz 0x4fff");
    /* Also for a PT_LOAD with memsz 0 (which is otherwise skipped). */
    put64(phdr(1) + 40, 0);
    assert_rc_error(parse(), -EINVAL, "filesz 0x5000 > memsz 0");
}

static void test_overlap(void **state)
{
    (void)state;
    w_begin(0x1000);
    w_load(0x1000, 0x1000, 0x3000, 1);
    w_load(0x3fff, 0x10, 0x10, 2); /* one byte into the first's bss */
    w_str(8, "generic");
    w_str(5, "xen-3.0");
    w_finish();
    assert_rc_error(parse(), -EINVAL, "segment 2 overlaps an earlier one");
    put64(phdr(2) + 24, 0x4000); /* now adjacent: fine */
    assert_int_equal(parse(), 0);
    put64(phdr(2) + 24, 0xff8); /* starts below, ends inside */
    assert_rc_error(parse(), -EINVAL, "overlaps");
    put64(phdr(2) + 24, 0x1000); /* same start */
    assert_rc_error(parse(), -EINVAL, "overlaps");
}

static void test_wrap(void **state)
{
    (void)state;
    xtf_image();
    put64(phdr(1) + 24, 0xfffffffffffff000UL); /* paddr + memsz wraps */
    assert_rc_error(parse(), -EINVAL, "address range wraps");

    /* paddr fine, paddr + virt_offset + memsz wraps. */
    linux_image();
    put64(phdr(2) + 24, 0x7ffff000);
    put64(phdr(1) + 24, 0x7fff0000);
    assert_rc_error(parse(), -EINVAL, "virtual range wraps");

    /* A segment ending at exactly 2^64 is refused too. */
    put64(phdr(2) + 24, 0x7fffe000);
    assert_rc_error(parse(), -EINVAL, "virtual range wraps");

    /* paddr below PADDR_OFFSET: VA below VIRT_BASE. */
    linux_image();
    put64(phdr(1) + 24, 0x80002000);
    put64(phdr(2) + 24, 0x80008000);
    assert_rc_error(parse(), -EINVAL, "VIRT_BASE above the kernel start");
}

static void test_huge_sizes(void **state)
{
    (void)state;
    xtf_image();
    put64(phdr(1) + 40, 1UL << 40); /* memsz 1 TiB */
    assert_rc_error(parse(), -EINVAL, "kernel spans");
    put64(phdr(1) + 40, ELF_MAX_KERNEL_SPAN + 1);
    assert_rc_error(parse(), -EINVAL, "kernel spans");
    put64(phdr(1) + 40, ELF_MAX_KERNEL_SPAN);
    assert_int_equal(parse(), 0);
    /* Segments far apart also make a huge span. */
    w_begin(0x1000);
    w_load(0x1000, 0x10, 0x10, 1);
    w_load(0x1000000000UL, 0x10, 0x10, 1);
    w_str(8, "generic");
    w_str(5, "xen-3.0");
    w_finish();
    assert_rc_error(parse(), -EINVAL, "kernel spans");
}

static void test_segment_counts(void **state)
{
    unsigned int i;

    (void)state;
    w_begin(0x1000);
    for ( i = 0; i < ELF_MAX_SEGS + 1; i++ )
        w_load(0x1000 + i * 0x1000, 0x10, 0x10, 1);
    w_str(8, "generic");
    w_str(5, "xen-3.0");
    w_finish();
    assert_rc_error(parse(), -EINVAL, "more than 16 loadable segments");
    put32(phdr(ELF_MAX_SEGS + 1) + 4, 0); /* no R/W/X: not loadable */
    assert_int_equal(parse(), 0);
    assert_int_equal(ei.nr_segs, ELF_MAX_SEGS);

    w_begin(0x1000);
    w_load(0x1000, 0x10, 0, 1);
    w_str(8, "generic");
    w_str(5, "xen-3.0");
    w_finish();
    assert_rc_error(parse(), -EINVAL, "filesz 0x10 > memsz 0");
    put64(phdr(1) + 32, 0); /* memsz 0 is skipped: nothing to load */
    assert_rc_error(parse(), -EINVAL, "no loadable segments");
}

static void test_notes_out_of_bounds(void **state)
{
    (void)state;
    xtf_image();
    put64(phdr(0) + 8, img_size - 8);
    assert_rc_error(parse(), -EINVAL, "PT_NOTE 0 outside the file");
    put64(phdr(0) + 8, ~0UL);
    assert_rc_error(parse(), -EINVAL, "PT_NOTE 0 outside the file");
    put64(phdr(0) + 8, notes_off);
    put64(phdr(0) + 32, img_size);
    assert_rc_error(parse(), -EINVAL, "PT_NOTE 0 outside the file");
    /* Segment shorter than its last note. */
    xtf_image();
    put64(phdr(0) + 32, w.notes_len - 4);
    assert_rc_error(parse(), -EINVAL, "runs past its segment");
}

static void test_note_sizes_lie(void **state)
{
    (void)state;
    xtf_image();
    put32(img + notes_off + 4, 0x1000); /* first note's descsz */
    assert_rc_error(parse(), -EINVAL, "runs past its segment");
    put32(img + notes_off + 4, 0xffffffff);
    assert_rc_error(parse(), -EINVAL, "runs past its segment");
    put32(img + notes_off + 4, 4);
    put32(img + notes_off, 0xfffffffd); /* namesz: rounds up past 2^32 */
    assert_rc_error(parse(), -EINVAL, "runs past its segment");
    /* The last note's descsz one byte too long. */
    w_begin(0x1000);
    w_load(0x1000, 0x10, 0x10, 1);
    w_str(8, "generic");
    w_num(1, 0x1000, 8);
    w_finish();
    put32(img + notes_off + w.notes_len - 24 + 4, 9); /* ENTRY's descsz */
    assert_rc_error(parse(), -EINVAL, "runs past its segment");
}

static void test_note_values(void **state)
{
    (void)state;
    w_begin(0x1000);
    w_load(0x1000, 0x10, 0x10, 1);
    w_str(8, "generic");
    w_note_raw("Xen", 4, 5, "xen-3.0x", 8); /* no NUL inside */
    w_finish();
    assert_rc_error(parse(), -EINVAL, "Xen note 5: string not NUL-terminated");

    w_begin(0x1000);
    w_load(0x1000, 0x10, 0x10, 1);
    w_str(8, "generic");
    w_str(5, "xen-3.0");
    w_num(3, 0, 3);
    w_finish();
    assert_rc_error(parse(), -EINVAL, "Xen note 3: numeric size 3 not 4 or 8");

    w_begin(0x1000);
    w_load(0x1000, 0x10, 0x10, 1);
    w_str(8, "generic");
    w_str(5, "xen-3.0");
    w_note_raw("Xen", 4, 1, NULL, 0); /* empty ENTRY */
    w_finish();
    assert_rc_error(parse(), -EINVAL, "numeric size 0");

    w_begin(0x1000);
    w_load(0x1000, 0x10, 0x10, 1);
    w_str(8, "generic");
    w_str(5, "xen-3.0");
    w_note_raw("Xen", 4, 17, "\1\0", 2);
    w_finish();
    assert_rc_error(parse(), -EINVAL, "SUPPORTED_FEATURES size 2");
}

static void test_note_count(void **state)
{
    unsigned int i;

    (void)state;
    w_begin(0x1000);
    w_load(0x1000, 0x10, 0x10, 1);
    w_str(8, "generic");
    w_str(5, "xen-3.0");
    for ( i = 0; i < 65536 - 2; i++ )
        w_note_raw("", 0, 0, NULL, 0);
    w_finish();
    assert_int_equal(parse(), 0);
    w_note_raw("", 0, 0, NULL, 0);
    w_finish();
    assert_rc_error(parse(), -EINVAL, "more than 65536 ELF notes");
}

static void features_image(const char *features)
{
    w_begin(0x1000);
    w_load(0x1000, 0x10, 0x10, 1);
    w_str(8, "generic");
    w_str(5, "xen-3.0");
    w_str(10, features);
    w_finish();
}

static void test_features(void **state)
{
    char long_name[80];

    (void)state;
    features_image("!frobnicate_tables");
    assert_rc_error(parse(), -EINVAL, "frobnicate_tables");
    features_image("writable_page_tables|!writable_descriptor_tables|!x");
    assert_rc_error(parse(), -EINVAL, "unknown required feature 'x'");

    features_image("frobnicate_tables|!writable_page_tables||dom0|");
    assert_int_equal(parse(), 0);
    assert_int_equal(ei.xen.f_supported, 1U << 0 | 1U << 11);
    assert_int_equal(ei.xen.f_required, 1U << 0);

    features_image("!supervisor_mode_kernel|hvm_callback_vector|"
                   "!auto_translated_physmap");
    assert_int_equal(parse(), 0);
    assert_int_equal(ei.xen.f_supported, 1U << 3 | 1U << 8 | 1U << 2);
    assert_int_equal(ei.xen.f_required, 1U << 3 | 1U << 2);

    /* Names are matched whole, not as prefixes. */
    features_image("!dom");
    assert_rc_error(parse(), -EINVAL, "'dom'");
    features_image("!dom0x");
    assert_rc_error(parse(), -EINVAL, "'dom0x'");
    features_image("!");
    assert_rc_error(parse(), -EINVAL, "unknown required feature ''");

    memset(long_name, 'a', 64);
    long_name[64] = '\0';
    features_image(long_name);
    assert_rc_error(parse(), -EINVAL, "longer than 63");
    long_name[63] = '\0';
    features_image(long_name);
    assert_int_equal(parse(), 0);

    assert_string_equal(xen_feature_name(0), "writable_page_tables");
    assert_string_equal(xen_feature_name(11), "dom0");
    assert_null(xen_feature_name(5));
    assert_null(xen_feature_name(32));
    assert_null(xen_feature_name(~0U));
}

static void test_acceptance(void **state)
{
    (void)state;
    /* Missing XEN_VERSION. */
    w_begin(0x1000);
    w_load(0x1000, 0x10, 0x10, 1);
    w_str(8, "generic");
    w_finish();
    assert_rc_error(parse(), -EINVAL, "XEN_VERSION");
    /* Wrong XEN_VERSION. */
    w_str(5, "xen-2.0");
    w_finish();
    assert_rc_error(parse(), -EINVAL, "XEN_VERSION");
    /* Wrong LOADER, GUEST_OS not linux. */
    w_begin(0x1000);
    w_load(0x1000, 0x10, 0x10, 1);
    w_str(8, "special");
    w_str(6, "Mini-OS");
    w_str(5, "xen-3.0");
    w_finish();
    assert_rc_error(parse(), -EINVAL, "LOADER");
    /* GUEST_OS linux* stands in for LOADER; prefixes are enough. */
    w_begin(0x1000);
    w_load(0x1000, 0x10, 0x10, 1);
    w_str(6, "linux-6.1");
    w_str(5, "xen-3.0-extra");
    w_finish();
    assert_int_equal(parse(), 0);
    /* Only non-Xen notes: not a Xen image. */
    w_begin(0x1000);
    w_load(0x1000, 0x10, 0x10, 1);
    w_note_raw("GNU", 4, 5, "xen-3.0", 8);
    w_note_raw("Xen0", 5, 8, "generic", 8);
    w_finish();
    assert_rc_error(parse(), -ENOEXEC, "no Xen notes");
    /* No notes at all. */
    w_begin(0x1000);
    w_load(0x1000, 0x10, 0x10, 1);
    w_finish();
    assert_rc_error(parse(), -ENOEXEC, "no Xen notes");
}

static void test_addresses(void **state)
{
    (void)state;
    /* PADDR_OFFSET without VIRT_BASE. */
    xtf_image();
    w_num(4, 0, 8);
    w_finish();
    assert_rc_error(parse(), -EINVAL, "PADDR_OFFSET without VIRT_BASE");
    /* PADDR_OFFSET moves segments: VA = paddr - offset + base. */
    w_num(3, 0x400000, 8);
    w_num(4, 0x800, 8);
    w_finish();
    assert_rc_error(parse(), -EINVAL, "entry 0x1000 outside"); /* e_entry */
    put64(img + 24, 0x400800);
    assert_int_equal(parse(), 0);
    assert_int_equal(ei.xen.virt_offset, 0x400000 - 0x800);
    assert_int_equal(ei.segs[0].vaddr, 0x400800);
    assert_int_equal(ei.xen.virt_entry, 0x400800); /* e_entry as given */
    /* ENTRY outside the kernel. */
    linux_image();
    w_num(1, 0xffffffff81006001UL, 8);
    w_finish();
    assert_rc_error(parse(), -EINVAL, "entry 0xffffffff81006001 outside");
    /* The end is still accepted (libelf's check is inclusive). */
    w_num(1, 0xffffffff81006000UL, 8);
    w_finish();
    assert_int_equal(parse(), 0);
    /* XTF with e_entry outside. */
    xtf_image();
    put64(img + 24, 0x800);
    assert_rc_error(parse(), -EINVAL, "entry 0x800 outside");
    /* INIT_P2M inside the kernel. */
    linux_image();
    w_num(15, 0xffffffff81001000UL, 8);
    w_finish();
    assert_rc_error(parse(), -EINVAL, "INIT_P2M inside the kernel");
}

/* Random corruption and every truncation: errors, never a crash. */
static void test_corruption_never_crashes(void **state)
{
    uint8_t *orig;
    size_t size, i;
    unsigned int n;

    (void)state;
    linux_image();
    size = img_size;
    orig = malloc(size);
    memcpy(orig, img, size);
    for ( i = 0; i <= size; i++ )
        (void)parse_size(i);
    srand(1);
    for ( n = 0; n < 20000; n++ )
    {
        unsigned int k, flips = 1 + rand() % 4;

        memcpy(img, orig, size);
        for ( k = 0; k < flips; k++ )
        {
            /* Mostly hit the headers and notes, where the structure is. */
            size_t at =
                rand() % 4 ? rand() % (notes_off + w.notes_len) : rand() % size;

            img[at] = rand() % 3 ? (uint8_t)rand() : 0xff;
        }
        if ( parse_size(size) == 0 )
        {
            assert_true(ei.nr_segs > 0 && ei.nr_segs <= ELF_MAX_SEGS);
            assert_true(ei.xen.virt_kstart < ei.xen.virt_kend);
        }
        else
            assert_true(ei.error[0] != '\0');
    }
    free(orig);
}

#define T(f) cmocka_unit_test_teardown(f, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_linux),
        T(test_xtf),
        T(test_minios),
        T(test_load),
        T(test_bad_header),
        T(test_bad_phdrs),
        T(test_segment_outside_file),
        T(test_filesz_gt_memsz),
        T(test_overlap),
        T(test_wrap),
        T(test_huge_sizes),
        T(test_segment_counts),
        T(test_notes_out_of_bounds),
        T(test_note_sizes_lie),
        T(test_note_values),
        T(test_note_count),
        T(test_features),
        T(test_acceptance),
        T(test_addresses),
        T(test_corruption_never_crashes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
