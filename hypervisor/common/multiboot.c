/*
 * Boot information (MULTIBOOT): multiboot1 and multiboot2 parsers and the
 * cross-checks that turn the loader's data into struct boot_info.
 *
 * The loader's structures are untrusted input.  Every read goes through the
 * caller's phys_map_fn over exactly the bytes needed, every length is
 * checked against its container before use, and a problem ends parsing with
 * -EINVAL and a message in bi->error.  Reads use memcpy(), so no alignment
 * is assumed.
 *
 * Locking: none; used once at boot on the boot CPU.
 */
#include <hv/bootinfo.h>
#include <hv/errno.h>
#include <hv/lib.h>

#define MB1_FLAG_MEM     (1U << 0)
#define MB1_FLAG_CMDLINE (1U << 2)
#define MB1_FLAG_MODS    (1U << 3)
#define MB1_FLAG_MMAP    (1U << 6)
#define MB1_FLAG_LOADER  (1U << 9)
#define MB1_MOD_SIZE     16
#define MB1_MMAP_MIN     20      /* base, length, type after the size field */
#define MB1_MMAP_MAX     0x10000 /* bytes of memory map we accept */

#define MB2_TAG_END     0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER  2
#define MB2_TAG_MODULE  3
#define MB2_TAG_MMAP    6
#define MB2_INFO_MAX    0x100000 /* bytes of boot information we accept */
#define MB2_MMAP_ENTRY  24

static int fail(struct boot_info *bi, const char *fmt, ...) __printf(2, 3);

static int fail(struct boot_info *bi, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    hv_vsnprintf(bi->error, sizeof(bi->error), fmt, ap);
    va_end(ap);
    return -EINVAL;
}

static uint32_t rd32(const uint8_t *p, size_t off)
{
    uint32_t v;

    memcpy(&v, p + off, sizeof(v));
    return v;
}

static uint64_t rd64(const uint8_t *p, size_t off)
{
    uint64_t v;

    memcpy(&v, p + off, sizeof(v));
    return v;
}

/* Add [start, start+len) of the given type; zero-length ranges are dropped. */
static int add_range(struct boot_info *bi, uint64_t start, uint64_t len,
                     uint32_t type)
{
    if ( len == 0 )
        return 0;
    if ( start + len < start )
        return fail(bi, "memory range at %#lx wraps around (length %#lx)",
                    (unsigned long)start, (unsigned long)len);
    if ( bi->nr_mem >= BOOT_MAX_MEMRANGES )
        return fail(bi, "too many memory ranges (max %u)", BOOT_MAX_MEMRANGES);
    bi->mem[bi->nr_mem].start = start;
    bi->mem[bi->nr_mem].end = start + len;
    bi->mem[bi->nr_mem].type = type;
    bi->nr_mem++;
    return 0;
}

static int add_module(struct boot_info *bi, uint32_t start, uint32_t end)
{
    unsigned int i = bi->nr_mods;

    if ( i >= BOOT_MAX_MODULES )
        return fail(bi, "too many modules (max %u)", BOOT_MAX_MODULES);
    if ( end < start )
        return fail(bi, "module %u ends (%#x) before it starts (%#x)", i, end,
                    start);
    bi->mods[i].start = start;
    bi->mods[i].end = end;
    bi->mods[i].cmdline[0] = '\0';
    bi->nr_mods++;
    return 0;
}

/*
 * Copy a NUL-terminated string at physical pa into dst (size bytes), one
 * byte at a time so that nothing beyond the terminator is read.  A string
 * that does not fit is an error, unless truncate is set: then it is cut,
 * but must still end within PHYS_STRING_MAX bytes.
 */
#define PHYS_STRING_MAX 4096

static int copy_phys_string(struct boot_info *bi, phys_map_fn map, paddr_t pa,
                            char *dst, size_t size, const char *what,
                            bool truncate)
{
    size_t i, limit = truncate ? PHYS_STRING_MAX : size;

    for ( i = 0; i < limit; i++ )
    {
        const char *c = pa + i >= pa ? map(pa + i, 1) : NULL;

        if ( !c )
            return fail(bi, "%s at %#lx is not accessible", what,
                        (unsigned long)(pa + i));
        if ( i < size - 1 )
            dst[i] = *c;
        if ( *c == '\0' )
        {
            dst[MIN(i, size - 1)] = '\0';
            return 0;
        }
    }
    dst[size - 1] = '\0';
    return fail(bi, "%s at %#lx has no NUL within %zu bytes", what,
                (unsigned long)pa, limit);
}

/*
 * Copy a string that must end within len bytes at src (inside a tag) into
 * dst of size bytes.  truncate: cut an overlong string instead of failing.
 */
static int copy_tag_string(struct boot_info *bi, const uint8_t *src, size_t len,
                           char *dst, size_t size, const char *what,
                           bool truncate)
{
    size_t n = strnlen((const char *)src, len);

    if ( n == len )
        return fail(bi, "%s is not NUL-terminated within its tag", what);
    if ( n >= size && !truncate )
        return fail(bi, "%s is %zu bytes long (max %zu)", what, n, size - 1);
    n = MIN(n, size - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
    return 0;
}

/* ---- normalisation of the memory map ---------------------------------- */

static bool range_before(const struct boot_memrange *a,
                         const struct boot_memrange *b)
{
    return a->start < b->start || (a->start == b->start && a->end < b->end);
}

static void sort_ranges(struct boot_memrange *r, unsigned int n)
{
    unsigned int i, j;

    for ( i = 1; i < n; i++ )
    {
        struct boot_memrange x = r[i];

        for ( j = i; j > 0 && range_before(&x, &r[j - 1]); j-- )
            r[j] = r[j - 1];
        r[j] = x;
    }
}

/* Cut [s, e) out of the sorted, disjoint RAM list ram[0..*n). */
static int trim_ram(struct boot_info *bi, struct boot_memrange *ram,
                    unsigned int *n, paddr_t s, paddr_t e)
{
    unsigned int i;

    for ( i = 0; i < *n; i++ )
    {
        struct boot_memrange *r = &ram[i];

        if ( r->end <= s || r->start >= e )
            continue;
        if ( r->start < s && r->end > e )
        {
            /* Split: the tail becomes a new range right after r. */
            if ( *n >= BOOT_MAX_MEMRANGES )
                return fail(bi, "too many memory ranges after trimming");
            memmove(r + 2, r + 1, (*n - i - 1) * sizeof(*r));
            r[1] = *r;
            r[1].start = e;
            r->end = s;
            (*n)++;
            i++;
        }
        else if ( r->start < s )
            r->end = s;
        else if ( r->end > e )
            r->start = e;
        else
        {
            memmove(r, r + 1, (*n - i - 1) * sizeof(*r));
            (*n)--;
            i--;
        }
    }
    return 0;
}

/*
 * Sort the map; merge overlapping or adjacent RAM; cut every non-RAM range
 * out of RAM (reserved wins).  Idempotent.
 */
static int normalise_mem(struct boot_info *bi)
{
    struct boot_memrange ram[BOOT_MAX_MEMRANGES];
    unsigned int i, k, nram = 0, nres = 0;
    int rc;

    sort_ranges(bi->mem, bi->nr_mem);
    /* Merged RAM goes to ram[]; the rest moves to the front of bi->mem. */
    for ( i = 0; i < bi->nr_mem; i++ )
    {
        const struct boot_memrange *r = &bi->mem[i];

        if ( r->type != E820_RAM )
            bi->mem[nres++] = *r;
        else if ( nram && r->start <= ram[nram - 1].end )
            ram[nram - 1].end = MAX(ram[nram - 1].end, r->end);
        else
            ram[nram++] = *r;
    }
    for ( i = 0; i < nres; i++ )
    {
        rc = trim_ram(bi, ram, &nram, bi->mem[i].start, bi->mem[i].end);
        if ( rc )
            return rc;
    }
    if ( nres + nram > BOOT_MAX_MEMRANGES )
        return fail(bi, "too many memory ranges after trimming");

    /* Merge the two sorted lists from the back into bi->mem. */
    k = bi->nr_mem = nres + nram;
    while ( nram )
    {
        if ( nres && range_before(&ram[nram - 1], &bi->mem[nres - 1]) )
            bi->mem[--k] = bi->mem[--nres];
        else
            bi->mem[--k] = ram[--nram];
    }
    return 0;
}

/* ---- multiboot1 --------------------------------------------------------- */

static int mb1_modules(struct boot_info *bi, phys_map_fn map,
                       const uint8_t *info)
{
    uint32_t count = rd32(info, 20), addr = rd32(info, 24);
    const uint8_t *mods;
    char what[32];
    unsigned int i;
    int rc;

    if ( count > BOOT_MAX_MODULES )
        return fail(bi, "too many modules (%u, max %u)", count,
                    BOOT_MAX_MODULES);
    if ( count == 0 )
        return 0;
    mods = map(addr, count * MB1_MOD_SIZE);
    if ( !mods )
        return fail(bi, "module list at %#x (%u entries) is not accessible",
                    addr, count);
    for ( i = 0; i < count; i++ )
    {
        const uint8_t *m = mods + i * MB1_MOD_SIZE;
        uint32_t string = rd32(m, 8);

        rc = add_module(bi, rd32(m, 0), rd32(m, 4));
        if ( rc )
            return rc;
        if ( string == 0 )
            continue; /* no command line */
        hv_snprintf(what, sizeof(what), "module %u command line", i);
        rc = copy_phys_string(bi, map, string, bi->mods[i].cmdline,
                              BOOT_MODCMD_MAX, what, false);
        if ( rc )
            return rc;
    }
    return 0;
}

static int mb1_mmap(struct boot_info *bi, phys_map_fn map, const uint8_t *info)
{
    uint32_t len = rd32(info, 44), addr = rd32(info, 48);
    const uint8_t *mm;
    size_t off;
    unsigned int n;
    int rc;

    if ( len == 0 )
        return fail(bi, "memory map is empty (mmap_length 0)");
    if ( len > MB1_MMAP_MAX )
        return fail(bi, "memory map length %u too large (max %u)", len,
                    MB1_MMAP_MAX);
    mm = map(addr, len);
    if ( !mm )
        return fail(bi, "memory map at %#x (%u bytes) is not accessible", addr,
                    len);
    for ( off = 0, n = 0; off < len; n++ )
    {
        uint32_t size;

        if ( len - off < 4 )
            return fail(bi, "memory map entry %u is truncated", n);
        size = rd32(mm, off);
        if ( size < MB1_MMAP_MIN )
            return fail(bi, "memory map entry %u has size %u (min %u)", n, size,
                        MB1_MMAP_MIN);
        if ( size > len - off - 4 )
            return fail(bi,
                        "memory map entry %u (size %u) runs past the "
                        "map's end (%u bytes)",
                        n, size, len);
        rc = add_range(bi, rd64(mm, off + 4), rd64(mm, off + 12),
                       rd32(mm, off + 20));
        if ( rc )
            return rc;
        off += 4 + (size_t)size;
    }
    return 0;
}

/* Bytes of the information structure needed for the fields flags selects. */
static size_t mb1_info_size(uint32_t flags)
{
    if ( flags & MB1_FLAG_LOADER )
        return 68;
    if ( flags & MB1_FLAG_MMAP )
        return 52;
    if ( flags & MB1_FLAG_MODS )
        return 28;
    if ( flags & MB1_FLAG_CMDLINE )
        return 20;
    return 12;
}

int multiboot1_parse(paddr_t info_pa, phys_map_fn map, struct boot_info *bi)
{
    const uint8_t *info;
    uint32_t flags;
    int rc;

    memset(bi, 0, sizeof(*bi));
    bi->protocol = 1;
    info = map(info_pa, 4);
    if ( !info )
        return fail(bi, "multiboot1 information at %#lx is not accessible",
                    (unsigned long)info_pa);
    flags = rd32(info, 0);
    info = map(info_pa, mb1_info_size(flags));
    if ( !info )
        return fail(bi,
                    "multiboot1 information at %#lx (%zu bytes) is not "
                    "accessible",
                    (unsigned long)info_pa, mb1_info_size(flags));
    if ( !(flags & MB1_FLAG_MMAP) )
        return fail(bi, "no memory map (multiboot1 flags %#x lack bit 6)",
                    flags);

    if ( (flags & MB1_FLAG_CMDLINE) &&
         (rc = copy_phys_string(bi, map, rd32(info, 16), bi->cmdline,
                                sizeof(bi->cmdline), "command line", false)) )
        return rc;
    if ( (flags & MB1_FLAG_LOADER) &&
         (rc = copy_phys_string(bi, map, rd32(info, 64), bi->loader,
                                sizeof(bi->loader), "boot loader name", true)) )
        return rc;
    if ( (flags & MB1_FLAG_MODS) && (rc = mb1_modules(bi, map, info)) )
        return rc;
    rc = mb1_mmap(bi, map, info);
    return rc ? rc : normalise_mem(bi);
}

/* ---- multiboot2 --------------------------------------------------------- */

static int mb2_module(struct boot_info *bi, const uint8_t *tag, uint32_t size)
{
    char what[32];
    int rc;

    if ( size < 17 )
        return fail(bi, "module tag %u has size %u (min 17)", bi->nr_mods,
                    size);
    rc = add_module(bi, rd32(tag, 8), rd32(tag, 12));
    if ( rc )
        return rc;
    hv_snprintf(what, sizeof(what), "module %u command line", bi->nr_mods - 1);
    return copy_tag_string(bi, tag + 16, size - 16,
                           bi->mods[bi->nr_mods - 1].cmdline, BOOT_MODCMD_MAX,
                           what, false);
}

static int mb2_mmap(struct boot_info *bi, const uint8_t *tag, uint32_t size)
{
    uint32_t esize, off;
    int rc;

    if ( size < 16 )
        return fail(bi, "memory map tag has size %u (min 16)", size);
    esize = rd32(tag, 8);
    if ( esize < MB2_MMAP_ENTRY || esize % 8 )
        return fail(bi,
                    "memory map entry_size %u is invalid (min %u, a "
                    "multiple of 8)",
                    esize, MB2_MMAP_ENTRY);
    if ( (size - 16) % esize )
        return fail(bi,
                    "memory map tag size %u is not a whole number of "
                    "%u-byte entries",
                    size, esize);
    for ( off = 16; off < size; off += esize )
    {
        rc = add_range(bi, rd64(tag, off), rd64(tag, off + 8),
                       rd32(tag, off + 16));
        if ( rc )
            return rc;
    }
    return 0;
}

static int mb2_tag(struct boot_info *bi, uint32_t type, const uint8_t *tag,
                   uint32_t size, bool *have_mmap)
{
    switch ( type )
    {
    case MB2_TAG_CMDLINE:
        return copy_tag_string(bi, tag + 8, size - 8, bi->cmdline,
                               sizeof(bi->cmdline), "command line", false);
    case MB2_TAG_LOADER:
        return copy_tag_string(bi, tag + 8, size - 8, bi->loader,
                               sizeof(bi->loader), "boot loader name", true);
    case MB2_TAG_MODULE:
        return mb2_module(bi, tag, size);
    case MB2_TAG_MMAP:
        *have_mmap = true;
        return mb2_mmap(bi, tag, size);
    default:
        return 0; /* tags we do not use */
    }
}

/* Walk the tags of the total bytes at info up to the end tag. */
static int mb2_walk(struct boot_info *bi, const uint8_t *info, uint32_t total)
{
    bool have_mmap = false;
    size_t off = 8;
    int rc;

    for ( ;; )
    {
        uint32_t type, size;

        if ( off >= total || total - off < 8 )
            return fail(bi, "no end tag within total_size %u", total);
        type = rd32(info, off);
        size = rd32(info, off + 4);
        if ( size < 8 )
            return fail(bi, "tag type %u at offset %zu has size %u (min 8)",
                        type, off, size);
        if ( size > total - off )
            return fail(bi,
                        "tag type %u at offset %zu (size %u) runs past "
                        "total_size %u",
                        type, off, size, total);
        if ( type == MB2_TAG_END )
            break;
        rc = mb2_tag(bi, type, info + off, size, &have_mmap);
        if ( rc )
            return rc;
        off += ROUNDUP((size_t)size, 8);
    }
    if ( !have_mmap )
        return fail(bi, "no memory map tag");
    return 0;
}

int multiboot2_parse(paddr_t info_pa, phys_map_fn map, struct boot_info *bi)
{
    const uint8_t *info;
    uint32_t total;
    int rc;

    memset(bi, 0, sizeof(*bi));
    bi->protocol = 2;
    if ( info_pa & 7 )
        return fail(bi, "multiboot2 information at %#lx is not 8-byte aligned",
                    (unsigned long)info_pa);
    info = map(info_pa, 8);
    if ( !info )
        return fail(bi, "multiboot2 information at %#lx is not accessible",
                    (unsigned long)info_pa);
    total = rd32(info, 0);
    if ( total < 16 )
        return fail(bi, "multiboot2 total_size %u too small (min 16)", total);
    if ( total > MB2_INFO_MAX )
        return fail(bi, "multiboot2 total_size %u too large (max %u)", total,
                    MB2_INFO_MAX);
    info = map(info_pa, total);
    if ( !info )
        return fail(bi,
                    "multiboot2 information at %#lx (total_size %u) is "
                    "not accessible",
                    (unsigned long)info_pa, total);
    rc = mb2_walk(bi, info, total);
    return rc ? rc : normalise_mem(bi);
}

/* ---- cross-checks --------------------------------------------------------- */

uint64_t boot_info_ram_bytes(const struct boot_info *bi)
{
    uint64_t total = 0;
    unsigned int i;

    for ( i = 0; i < bi->nr_mem; i++ )
        if ( bi->mem[i].type == E820_RAM )
            total += bi->mem[i].end - bi->mem[i].start;
    return total;
}

paddr_t boot_info_ram_top(const struct boot_info *bi)
{
    paddr_t top = 0;
    unsigned int i;

    for ( i = 0; i < bi->nr_mem; i++ )
        if ( bi->mem[i].type == E820_RAM )
            top = MAX(top, bi->mem[i].end);
    return top;
}

static bool inside_ram(const struct boot_info *bi, paddr_t s, paddr_t e)
{
    unsigned int i;

    for ( i = 0; i < bi->nr_mem; i++ )
        if ( bi->mem[i].type == E820_RAM && bi->mem[i].start <= s &&
             e <= bi->mem[i].end )
            return true;
    return false;
}

static bool overlap(paddr_t s1, paddr_t e1, paddr_t s2, paddr_t e2)
{
    return s1 < e2 && s2 < e1;
}

static int check_module(struct boot_info *bi, unsigned int i, paddr_t img_s,
                        paddr_t img_e)
{
    const struct boot_module *m = &bi->mods[i];
    unsigned long s = m->start, e = m->end;
    unsigned int j;

    if ( e <= s )
        return fail(bi, "module %u (%.40s) is empty", i, m->cmdline);
    if ( !inside_ram(bi, s, e) )
        return fail(bi, "module %u (%.40s) at [%#lx, %#lx) is not inside RAM",
                    i, m->cmdline, s, e);
    if ( overlap(s, e, img_s, img_e) )
        return fail(bi,
                    "module %u (%.40s) at [%#lx, %#lx) overlaps the "
                    "hypervisor image",
                    i, m->cmdline, s, e);
    for ( j = 0; j < i; j++ )
        if ( overlap(s, e, bi->mods[j].start, bi->mods[j].end) )
            return fail(bi,
                        "module %u (%.40s) at [%#lx, %#lx) overlaps "
                        "module %u (%.40s)",
                        i, m->cmdline, s, e, j, bi->mods[j].cmdline);
    return 0;
}

int boot_info_check(struct boot_info *bi, paddr_t img_start, paddr_t img_end)
{
    unsigned int i;
    int rc;

    bi->error[0] = '\0';
    rc = normalise_mem(bi);
    if ( rc )
        return rc;
    if ( boot_info_ram_bytes(bi) == 0 )
        return fail(bi, "the memory map has no RAM");
    for ( i = 0; i < bi->nr_mods; i++ )
    {
        rc = check_module(bi, i, img_start, img_end);
        if ( rc )
            return rc;
    }
    return 0;
}
