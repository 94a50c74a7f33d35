/*
 * Unit tests for common/multiboot.c: multiboot1 and multiboot2 parsers fed
 * well-formed and malformed structures, and boot_info_check().
 *
 * The fake physical memory hands out exact-size heap copies of what the
 * parser asks to map, so ASan reports any read beyond a requested range;
 * ranges outside the fake memory map to NULL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hv/bootinfo.h>
#include <hv/errno.h>
#include <hv/lib.h>

/* ---- fake physical memory ------------------------------------------------ */

struct region
{
    paddr_t pa;
    size_t len;
    uint8_t *data;
};

static struct region regions[16];
static unsigned int nr_regions;
static void **copies;
static size_t nr_copies, max_copies;

static void phys_add(paddr_t pa, const void *data, size_t len)
{
    struct region *r = &regions[nr_regions++];

    assert_true(nr_regions <= ARRAY_SIZE(regions));
    r->pa = pa;
    r->len = len;
    r->data = malloc(len ? len : 1);
    assert_non_null(r->data);
    memcpy(r->data, data, len);
}

static const void *phys_map(paddr_t pa, size_t len)
{
    unsigned int i;

    for ( i = 0; i < nr_regions; i++ )
    {
        const struct region *r = &regions[i];
        void *copy;

        if ( pa < r->pa || pa - r->pa > r->len || len > r->len - (pa - r->pa) )
            continue;
        if ( nr_copies == max_copies )
        {
            max_copies = max_copies ? max_copies * 2 : 256;
            copies = realloc(copies, max_copies * sizeof(*copies));
            assert_non_null(copies);
        }
        copy = malloc(len ? len : 1);
        assert_non_null(copy);
        memcpy(copy, r->data + (pa - r->pa), len);
        copies[nr_copies++] = copy;
        return copy;
    }
    return NULL;
}

static void phys_reset(void)
{
    while ( nr_regions )
        free(regions[--nr_regions].data);
    while ( nr_copies )
        free(copies[--nr_copies]);
}

static int teardown(void **state)
{
    (void)state;
    phys_reset();
    return 0;
}

static struct boot_info bi;

#define assert_error_has(rc, what)                                            \
    do                                                                        \
    {                                                                         \
        assert_int_equal(rc, -EINVAL);                                        \
        if ( !strstr(bi.error, what) )                                        \
            fail_msg("error \"%s\" does not mention \"%s\"", bi.error, what); \
    } while ( 0 )

/* ---- multiboot2 builder ---------------------------------------------------- */

#define MBI_PA 0x10000UL

static uint8_t mbi[8192];
static size_t mbi_len;

static void put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
    memcpy(p, &v, 8);
}

static void mb2_begin(void)
{
    memset(mbi, 0, sizeof(mbi));
    mbi_len = 8;
}

/* Append a tag with payload; the tag's size field is 8 + len. */
static uint8_t *mb2_tag(uint32_t type, const void *payload, size_t len)
{
    uint8_t *t = mbi + mbi_len;

    assert_true(mbi_len + 8 + len + 8 <= sizeof(mbi));
    put32(t, type);
    put32(t + 4, (uint32_t)(8 + len));
    if ( payload )
        memcpy(t + 8, payload, len);
    mbi_len += (8 + len + 7) & ~(size_t)7;
    return t;
}

static void mb2_string(uint32_t type, const char *s)
{
    mb2_tag(type, s, strlen(s) + 1);
}

static void mb2_module(uint32_t start, uint32_t end, const char *s)
{
    uint8_t p[400];

    put32(p, start);
    put32(p + 4, end);
    strcpy((char *)p + 8, s);
    mb2_tag(3, p, 8 + strlen(s) + 1);
}

struct e820
{
    uint64_t base, len;
    uint32_t type;
};

static void mb2_mmap(const struct e820 *e, size_t n)
{
    uint8_t p[8 + 24 * 200];
    size_t i;

    assert_true(n <= 200);
    put32(p, 24);
    put32(p + 4, 0);
    for ( i = 0; i < n; i++ )
    {
        put64(p + 8 + 24 * i, e[i].base);
        put64(p + 8 + 24 * i + 8, e[i].len);
        put32(p + 8 + 24 * i + 16, e[i].type);
        put32(p + 8 + 24 * i + 20, 0);
    }
    mb2_tag(6, p, 8 + 24 * n);
}

/* End tag, total_size, and place it in fake memory; returns total_size. */
static size_t mb2_finish(void)
{
    mb2_tag(0, NULL, 0);
    put32(mbi, (uint32_t)mbi_len);
    phys_add(MBI_PA, mbi, mbi_len);
    return mbi_len;
}

static const struct e820 pc_map[] = {
    { 0x100000, 0x1ff00000, 1 }, /* listed out of order on purpose */
    { 0, 0x9fc00, 1 },           { 0x9fc00, 0x400, 2 },
    { 0xf0000, 0x10000, 2 },     { 0xfffc0000, 0x40000, 2 },
};

static void mb2_standard(void)
{
    mb2_begin();
    mb2_string(1, "console=com1 loglvl=all");
    mb2_string(2, "GRUB 2.06");
    mb2_tag(4, "\x80\x02\0\0\0\xfc\x07\0", 8); /* basic meminfo: ignored */
    mb2_module(0x400000, 0x412345, "builder.elf");
    mb2_module(0x413000, 0x413001, "tiny arg=1,2");
    mb2_mmap(pc_map, ARRAY_SIZE(pc_map));
}

static void test_mb2_good(void **state)
{
    (void)state;
    mb2_standard();
    mb2_finish();
    assert_int_equal(multiboot2_parse(MBI_PA, phys_map, &bi), 0);
    assert_int_equal(bi.protocol, 2);
    assert_string_equal(bi.cmdline, "console=com1 loglvl=all");
    assert_string_equal(bi.loader, "GRUB 2.06");
    assert_int_equal(bi.nr_mods, 2);
    assert_int_equal(bi.mods[0].start, 0x400000);
    assert_int_equal(bi.mods[0].end, 0x412345);
    assert_string_equal(bi.mods[0].cmdline, "builder.elf");
    assert_int_equal(bi.mods[1].end - bi.mods[1].start, 1);
    assert_string_equal(bi.mods[1].cmdline, "tiny arg=1,2");
    /* Sorted by start. */
    assert_int_equal(bi.nr_mem, 5);
    assert_int_equal(bi.mem[0].start, 0);
    assert_int_equal(bi.mem[0].end, 0x9fc00);
    assert_int_equal(bi.mem[1].type, E820_RESERVED);
    assert_int_equal(bi.mem[3].start, 0x100000);
    assert_int_equal(bi.mem[3].end, 0x20000000);
    assert_int_equal(bi.mem[4].start, 0xfffc0000);
    assert_int_equal(boot_info_ram_bytes(&bi), 0x9fc00 + 0x1ff00000);
    assert_int_equal(boot_info_ram_top(&bi), 0x20000000);
    assert_int_equal(boot_info_check(&bi, 0x200000, 0x400000), 0);
    assert_string_equal(bi.error, "");
}

static void test_mb2_map_normalised(void **state)
{
    static const struct e820 map[] = {
        { 0x400000, 0xc00000, 1 },  /* [4M, 16M) overlaps the next */
        { 0x100000, 0x700000, 1 },  /* [1M, 8M) */
        { 0x1000000, 0x100000, 1 }, /* [16M, 17M) adjacent: merged */
        { 0x500000, 0x100000, 2 },  /* reserved inside RAM: split */
        { 0x1080000, 0x100000, 4 }, /* NVS across the end: trimmed */
        { 0x2000000, 0x100000, 1 }, /* [32M, 33M) */
        { 0x2000000, 0x100000, 3 }, /* fully covered by ACPI: dropped */
        { 0x3000000, 0, 1 },        /* zero length: dropped */
    };

    (void)state;
    mb2_begin();
    mb2_mmap(map, ARRAY_SIZE(map));
    mb2_finish();
    assert_int_equal(multiboot2_parse(MBI_PA, phys_map, &bi), 0);
    assert_int_equal(bi.nr_mem, 5);
    assert_int_equal(bi.mem[0].start, 0x100000);
    assert_int_equal(bi.mem[0].end, 0x500000);
    assert_int_equal(bi.mem[0].type, E820_RAM);
    assert_int_equal(bi.mem[1].start, 0x500000);
    assert_int_equal(bi.mem[1].type, E820_RESERVED);
    assert_int_equal(bi.mem[2].start, 0x600000);
    assert_int_equal(bi.mem[2].end, 0x1080000);
    assert_int_equal(bi.mem[2].type, E820_RAM);
    assert_int_equal(bi.mem[3].type, E820_NVS);
    assert_int_equal(bi.mem[4].start, 0x2000000);
    assert_int_equal(bi.mem[4].type, E820_ACPI);
    assert_int_equal(boot_info_ram_bytes(&bi), 0x400000 + 0xa80000);
    assert_int_equal(boot_info_ram_top(&bi), 0x1080000);
    /* boot_info_check() normalises again without changing anything. */
    assert_int_equal(boot_info_check(&bi, 0, 0), 0);
    assert_int_equal(bi.nr_mem, 5);
    assert_int_equal(bi.mem[2].end, 0x1080000);
}

static void test_mb2_total_size_lies(void **state)
{
    (void)state;
    mb2_standard();
    mb2_finish();
    /* Claims 64 bytes more than the loader's data really has. */
    put32(regions[0].data, (uint32_t)mbi_len + 64);
    assert_error_has(multiboot2_parse(MBI_PA, phys_map, &bi),
                     "is not accessible");
    /* Claims fewer: the tags run past it. */
    put32(regions[0].data, 30);
    assert_error_has(
        multiboot2_parse(MBI_PA, phys_map, &bi),
        "tag type 1 at offset 8 (size 32) runs past total_size 30");
    put32(regions[0].data, 8);
    assert_error_has(multiboot2_parse(MBI_PA, phys_map, &bi), "too small");
    put32(regions[0].data, 0);
    assert_error_has(multiboot2_parse(MBI_PA, phys_map, &bi), "too small");
    put32(regions[0].data, 0xffffffff);
    assert_error_has(multiboot2_parse(MBI_PA, phys_map, &bi), "too large");
}

static void test_mb2_bad_address(void **state)
{
    (void)state;
    mb2_standard();
    mb2_finish();
    assert_error_has(multiboot2_parse(MBI_PA + 4, phys_map, &bi),
                     "not 8-byte aligned");
    assert_error_has(multiboot2_parse(0x900000, phys_map, &bi),
                     "is not accessible");
}

static void test_mb2_zero_size_tag(void **state)
{
    uint8_t *t;

    (void)state;
    mb2_begin();
    t = mb2_tag(1, "x", 2);
    mb2_mmap(pc_map, 2);
    mb2_finish();
    put32(regions[0].data + (t - mbi) + 4, 0);
    assert_error_has(multiboot2_parse(MBI_PA, phys_map, &bi),
                     "tag type 1 at offset 8 has size 0");
    put32(regions[0].data + (t - mbi) + 4, 7);
    assert_error_has(multiboot2_parse(MBI_PA, phys_map, &bi), "has size 7");
}

static void test_mb2_no_end_tag(void **state)
{
    (void)state;
    mb2_begin();
    mb2_mmap(pc_map, 2);
    put32(mbi, (uint32_t)mbi_len); /* total_size ends with the last tag */
    phys_add(MBI_PA, mbi, mbi_len);
    assert_error_has(multiboot2_parse(MBI_PA, phys_map, &bi), "no end tag");
}

static void test_mb2_missing_mmap(void **state)
{
    (void)state;
    mb2_begin();
    mb2_string(1, "hello");
    mb2_finish();
    assert_error_has(multiboot2_parse(MBI_PA, phys_map, &bi),
                     "no memory map tag");
}

static void test_mb2_unterminated_strings(void **state)
{
    (void)state;
    mb2_begin();
    mb2_tag(1, "abcdefgh", 8); /* no NUL inside the tag */
    mb2_mmap(pc_map, 2);
    mb2_finish();
    assert_error_has(multiboot2_parse(MBI_PA, phys_map, &bi),
                     "command line is not NUL-terminated");
    phys_reset();

    mb2_begin();
    mb2_mmap(pc_map, 2);
    mb2_tag(3, "\0\0\x40\0\0\0\x41\0modname", 15);
    mb2_finish();
    assert_error_has(multiboot2_parse(MBI_PA, phys_map, &bi),
                     "module 0 command line is not NUL-terminated");
}

static void test_mb2_long_strings(void **state)
{
    char s[1100];

    (void)state;
    memset(s, 'm', 300);
    s[300] = '\0';
    mb2_begin();
    mb2_mmap(pc_map, 2);
    mb2_module(0x400000, 0x401000, s);
    mb2_finish();
    assert_error_has(multiboot2_parse(MBI_PA, phys_map, &bi),
                     "module 0 command line is 300 bytes long (max 255)");
    phys_reset();

    memset(s, 'c', 1024);
    s[1024] = '\0';
    mb2_begin();
    mb2_string(1, s);
    mb2_mmap(pc_map, 2);
    mb2_finish();
    assert_error_has(multiboot2_parse(MBI_PA, phys_map, &bi),
                     "command line is 1024 bytes long (max 1023)");
    phys_reset();

    /* An overlong loader name is only cut. */
    s[100] = '\0';
    mb2_begin();
    mb2_string(2, s);
    mb2_mmap(pc_map, 2);
    mb2_finish();
    assert_int_equal(multiboot2_parse(MBI_PA, phys_map, &bi), 0);
    assert_int_equal(strlen(bi.loader), 63);
}

static void test_mb2_bad_modules(void **state)
{
    unsigned int i;

    (void)state;
    mb2_begin();
    mb2_mmap(pc_map, 2);
    mb2_tag(3, "\0\0\x40\0\0\0\x41\0", 8); /* no room for a string */
    mb2_finish();
    assert_error_has(multiboot2_parse(MBI_PA, phys_map, &bi),
                     "module tag 0 has size 16 (min 17)");
    phys_reset();

    mb2_begin();
    mb2_mmap(pc_map, 2);
    mb2_module(0x500000, 0x400000, "backwards");
    mb2_finish();
    assert_error_has(multiboot2_parse(MBI_PA, phys_map, &bi),
                     "module 0 ends (0x400000) before it starts (0x500000)");
    phys_reset();

    mb2_begin();
    mb2_mmap(pc_map, 2);
    for ( i = 0; i <= BOOT_MAX_MODULES; i++ )
        mb2_module(0x400000 + i * 0x1000, 0x400000 + i * 0x1000 + 10, "m");
    mb2_finish();
    assert_error_has(multiboot2_parse(MBI_PA, phys_map, &bi),
                     "too many modules (max 32)");
}

static void test_mb2_bad_mmap(void **state)
{
    static const struct e820 wrap[] = { { 0xfffffffffffff000ULL, 0x2000, 1 } };
    struct e820 many[BOOT_MAX_MEMRANGES + 1];
    uint8_t *t;
    unsigned int i;

    (void)state;
    mb2_begin();
    mb2_mmap(pc_map, 2);
    t = mbi + 8;
    mb2_finish();
    put32(regions[0].data + 16, 0);
    assert_error_has(multiboot2_parse(MBI_PA, phys_map, &bi),
                     "entry_size 0 is invalid");
    put32(regions[0].data + 16, 20);
    assert_error_has(multiboot2_parse(MBI_PA, phys_map, &bi),
                     "entry_size 20 is invalid");
    put32(regions[0].data + 16, 32); /* 48 bytes of entries: 1.5 of 32 */
    assert_error_has(multiboot2_parse(MBI_PA, phys_map, &bi),
                     "not a whole number of 32-byte entries");
    put32(regions[0].data + (t - mbi) + 4, 12);
    assert_error_has(multiboot2_parse(MBI_PA, phys_map, &bi),
                     "memory map tag has size 12");
    phys_reset();

    mb2_begin();
    mb2_mmap(wrap, 1);
    mb2_finish();
    assert_error_has(multiboot2_parse(MBI_PA, phys_map, &bi), "wraps around");
    phys_reset();

    for ( i = 0; i < ARRAY_SIZE(many); i++ )
    {
        many[i].base = i * 0x2000ULL;
        many[i].len = 0x1000;
        many[i].type = 1;
    }
    mb2_begin();
    mb2_mmap(many, ARRAY_SIZE(many));
    mb2_finish();
    assert_error_has(multiboot2_parse(MBI_PA, phys_map, &bi),
                     "too many memory ranges (max 128)");
}

static void test_mb2_split_overflow(void **state)
{
    struct e820 m[BOOT_MAX_MEMRANGES];
    unsigned int i;

    (void)state;
    /* One RAM range cut by 127 reserved holes needs 128 + 127 entries. */
    m[0].base = 0;
    m[0].len = 0x10000000;
    m[0].type = 1;
    for ( i = 1; i < ARRAY_SIZE(m); i++ )
    {
        m[i].base = i * 0x100000ULL;
        m[i].len = 0x1000;
        m[i].type = 2;
    }
    mb2_begin();
    mb2_mmap(m, ARRAY_SIZE(m));
    mb2_finish();
    assert_error_has(multiboot2_parse(MBI_PA, phys_map, &bi),
                     "too many memory ranges after trimming");
}

/*
 * Every byte of a good structure set to a few hostile values, and every
 * shorter total_size: the parser may accept or reject, but must say why
 * when it rejects, and must never read outside what it mapped (ASan).
 */
static void test_mb2_corruption_never_crashes(void **state)
{
    static const uint8_t vals[] = { 0x00, 0x01, 0x07, 0x80, 0xff };
    size_t total, i, v;
    int rc;

    (void)state;
    mb2_standard();
    total = mb2_finish();
    for ( i = 0; i < total; i++ )
        for ( v = 0; v < ARRAY_SIZE(vals); v++ )
        {
            uint8_t saved = regions[0].data[i];

            regions[0].data[i] = vals[v];
            rc = multiboot2_parse(MBI_PA, phys_map, &bi);
            if ( rc == 0 )
                rc = boot_info_check(&bi, 0x200000, 0x400000);
            assert_true(rc == 0 || (rc == -EINVAL && bi.error[0]));
            regions[0].data[i] = saved;
            while ( nr_copies )
                free(copies[--nr_copies]);
        }
    for ( i = 0; i < total; i++ )
    {
        put32(regions[0].data, (uint32_t)i);
        assert_int_equal(multiboot2_parse(MBI_PA, phys_map, &bi), -EINVAL);
        assert_true(bi.error[0] != '\0');
    }
}

/* ---- multiboot1 --------------------------------------------------------- */

#define MB1_INFO 0x9000UL
#define MB1_STRS 0x9100UL
#define MB1_MODS 0x9400UL
#define MB1_MMAP 0x9500UL

static uint8_t info1[120];
static uint8_t mods1[16 * 40];
static uint8_t mmap1[64 * 24];
static size_t mmap1_len;

static void mb1_mmap_entry(uint32_t size, uint64_t base, uint64_t len,
                           uint32_t type)
{
    uint8_t *e = mmap1 + mmap1_len;

    put32(e, size);
    put64(e + 4, base);
    put64(e + 12, len);
    put32(e + 20, type);
    mmap1_len += 4 + size;
}

/* A typical QEMU -kernel structure, not yet placed in fake memory. */
static void mb1_build(void)
{
    static const char strs[] = "hv.elf loglvl=all\0QEMU\0builder.elf\0"
                               "guest.cfg x=1";

    memset(info1, 0, sizeof(info1));
    memset(mods1, 0, sizeof(mods1));
    mmap1_len = 0;
    put32(info1, (1 << 0) | (1 << 2) | (1 << 3) | (1 << 6) | (1 << 9));
    put32(info1 + 4, 639);
    put32(info1 + 8, 523136);
    put32(info1 + 16, MB1_STRS);
    put32(info1 + 20, 2);
    put32(info1 + 24, MB1_MODS);
    put32(info1 + 64, MB1_STRS + 18);
    put32(mods1, 0x400000);
    put32(mods1 + 4, 0x401000);
    put32(mods1 + 8, MB1_STRS + 23);
    put32(mods1 + 16, 0x401000);
    put32(mods1 + 20, 0x401800);
    put32(mods1 + 24, MB1_STRS + 35);
    mb1_mmap_entry(20, 0, 0x9fc00, 1);
    mb1_mmap_entry(20, 0x9fc00, 0x400, 2);
    mb1_mmap_entry(24, 0xf0000, 0x10000, 2); /* larger entry: skipped tail */
    mb1_mmap_entry(20, 0x100000, 0x1fee0000, 1);
    put32(info1 + 44, (uint32_t)mmap1_len);
    put32(info1 + 48, MB1_MMAP);
    phys_add(MB1_STRS, strs, sizeof(strs));
}

static void mb1_place(size_t info_len, size_t nr_mods)
{
    phys_add(MB1_INFO, info1, info_len);
    phys_add(MB1_MODS, mods1, nr_mods * 16);
    phys_add(MB1_MMAP, mmap1, mmap1_len);
}

static void test_mb1_good(void **state)
{
    (void)state;
    mb1_build();
    mb1_place(68, 2); /* exactly the bytes through boot_loader_name */
    assert_int_equal(multiboot1_parse(MB1_INFO, phys_map, &bi), 0);
    assert_int_equal(bi.protocol, 1);
    assert_string_equal(bi.cmdline, "hv.elf loglvl=all");
    assert_string_equal(bi.loader, "QEMU");
    assert_int_equal(bi.nr_mods, 2);
    assert_int_equal(bi.mods[0].start, 0x400000);
    assert_int_equal(bi.mods[0].end, 0x401000);
    assert_string_equal(bi.mods[0].cmdline, "builder.elf");
    assert_string_equal(bi.mods[1].cmdline, "guest.cfg x=1");
    assert_int_equal(bi.nr_mem, 4);
    assert_int_equal(bi.mem[2].start, 0xf0000);
    assert_int_equal(bi.mem[3].end, 0x1ffe0000);
    assert_int_equal(boot_info_ram_bytes(&bi), 0x9fc00 + 0x1fee0000);
    assert_int_equal(boot_info_check(&bi, 0x200000, 0x300000), 0);
}

static void test_mb1_minimal_flags(void **state)
{
    (void)state;
    mb1_build();
    put32(info1, 1 << 6); /* memory map only */
    mb1_place(52, 0);
    assert_int_equal(multiboot1_parse(MB1_INFO, phys_map, &bi), 0);
    assert_string_equal(bi.cmdline, "");
    assert_string_equal(bi.loader, "");
    assert_int_equal(bi.nr_mods, 0);
    assert_int_equal(bi.nr_mem, 4);
}

static void test_mb1_missing_mmap(void **state)
{
    (void)state;
    mb1_build();
    put32(info1, (1 << 0) | (1 << 2));
    mb1_place(20, 0);
    assert_error_has(multiboot1_parse(MB1_INFO, phys_map, &bi),
                     "no memory map (multiboot1 flags 0x5 lack bit 6)");
    assert_error_has(multiboot1_parse(0x123000, phys_map, &bi),
                     "is not accessible");
}

static void test_mb1_short_info(void **state)
{
    (void)state;
    mb1_build();
    mb1_place(60, 2); /* the loader-name field is missing */
    assert_error_has(multiboot1_parse(MB1_INFO, phys_map, &bi),
                     "(68 bytes) is not accessible");
}

static void test_mb1_bad_mmap(void **state)
{
    (void)state;
    mb1_build();
    put32(mmap1 + 24, 0); /* second entry's size field */
    mb1_place(68, 2);
    assert_error_has(multiboot1_parse(MB1_INFO, phys_map, &bi),
                     "memory map entry 1 has size 0 (min 20)");
    phys_reset();

    mb1_build();
    put32(mmap1 + 24, 0x1000); /* runs past mmap_length */
    mb1_place(68, 2);
    assert_error_has(multiboot1_parse(MB1_INFO, phys_map, &bi),
                     "memory map entry 1 (size 4096) runs past");
    phys_reset();

    mb1_build();
    mmap1_len += 2; /* a 2-byte tail after the last entry */
    put32(info1 + 44, (uint32_t)mmap1_len);
    mb1_place(68, 2);
    assert_error_has(multiboot1_parse(MB1_INFO, phys_map, &bi),
                     "memory map entry 4 is truncated");
    phys_reset();

    mb1_build();
    put32(info1 + 44, 0);
    mb1_place(68, 2);
    assert_error_has(multiboot1_parse(MB1_INFO, phys_map, &bi),
                     "memory map is empty");
    put32(regions[1].data + 44, 0x7fffffff);
    assert_error_has(multiboot1_parse(MB1_INFO, phys_map, &bi), "too large");
    phys_reset();

    mb1_build();
    put32(info1 + 44, (uint32_t)mmap1_len + 24); /* longer than the data */
    mb1_place(68, 2);
    assert_error_has(multiboot1_parse(MB1_INFO, phys_map, &bi),
                     "memory map at 0x9500");
}

static void test_mb1_bad_modules(void **state)
{
    (void)state;
    mb1_build();
    put32(info1 + 20, 1000);
    mb1_place(68, 2);
    assert_error_has(multiboot1_parse(MB1_INFO, phys_map, &bi),
                     "too many modules (1000, max 32)");
    phys_reset();

    mb1_build();
    put32(info1 + 20, 3); /* only two entries are there */
    mb1_place(68, 2);
    assert_error_has(multiboot1_parse(MB1_INFO, phys_map, &bi),
                     "module list at 0x9400 (3 entries) is not accessible");
    phys_reset();

    mb1_build();
    put32(mods1 + 24, 0x7000000); /* string pointer into nothing */
    mb1_place(68, 2);
    assert_error_has(multiboot1_parse(MB1_INFO, phys_map, &bi),
                     "module 1 command line at 0x7000000 is not accessible");
}

static void test_mb1_unterminated_strings(void **state)
{
    char s[2000];

    (void)state;
    /* The command line runs into the end of accessible memory. */
    mb1_build();
    put32(info1 + 16, 0x20000);
    mb1_place(68, 2);
    phys_add(0x20000, "abc", 3);
    assert_error_has(multiboot1_parse(MB1_INFO, phys_map, &bi),
                     "command line at 0x20003 is not accessible");
    phys_reset();

    /* No NUL within the 1024-byte buffer. */
    mb1_build();
    put32(info1 + 16, 0x20000);
    mb1_place(68, 2);
    memset(s, 'a', sizeof(s));
    phys_add(0x20000, s, sizeof(s));
    assert_error_has(multiboot1_parse(MB1_INFO, phys_map, &bi),
                     "command line at 0x20000 has no NUL within 1024 bytes");
    phys_reset();

    /* A boot loader name without NUL in 4 KiB of memory. */
    mb1_build();
    put32(info1 + 64, 0x20000);
    mb1_place(68, 2);
    phys_add(0x20000, s, sizeof(s));
    assert_error_has(multiboot1_parse(MB1_INFO, phys_map, &bi),
                     "boot loader name at 0x20");
}

/* ---- boot_info_check ------------------------------------------------------ */

static void good_mb2_with_modules(const uint32_t (*m)[2], unsigned int n)
{
    static const char *const names[] = { "zero", "one", "two", "three" };
    unsigned int i;

    mb2_begin();
    mb2_mmap(pc_map, ARRAY_SIZE(pc_map));
    for ( i = 0; i < n; i++ )
        mb2_module(m[i][0], m[i][1], names[i]);
    mb2_finish();
    assert_int_equal(multiboot2_parse(MBI_PA, phys_map, &bi), 0);
}

static void test_check_modules(void **state)
{
    static const uint32_t ok[][2] = { { 0x400000, 0x401000 },
                                      { 0x401000, 0x402000 },
                                      { 0x100000, 0x101000 } };
    static const uint32_t empty[][2] = { { 0x400000, 0x401000 },
                                         { 0x401000, 0x401000 } };
    static const uint32_t hole[][2] = { { 0x9f000, 0xa1000 } };
    static const uint32_t high[][2] = { { 0x1ffff000, 0x20001000 } };
    static const uint32_t img[][2] = { { 0x300000, 0x500000 } };
    static const uint32_t ovl[][2] = { { 0x400000, 0x402000 },
                                       { 0x500000, 0x501000 },
                                       { 0x401fff, 0x403000 } };

    (void)state;
    good_mb2_with_modules(ok, 3);
    assert_int_equal(boot_info_check(&bi, 0x200000, 0x400000), 0);
    phys_reset();

    good_mb2_with_modules(empty, 2);
    assert_error_has(boot_info_check(&bi, 0x200000, 0x400000),
                     "module 1 (one) is empty");
    phys_reset();

    good_mb2_with_modules(hole, 1);
    assert_error_has(boot_info_check(&bi, 0x200000, 0x400000),
                     "module 0 (zero) at [0x9f000, 0xa1000) is not inside RAM");
    phys_reset();

    good_mb2_with_modules(high, 1);
    assert_error_has(boot_info_check(&bi, 0x200000, 0x400000),
                     "module 0 (zero) at [0x1ffff000, 0x20001000) is not "
                     "inside RAM");
    phys_reset();

    good_mb2_with_modules(img, 1);
    assert_error_has(boot_info_check(&bi, 0x200000, 0x400000),
                     "module 0 (zero) at [0x300000, 0x500000) overlaps the "
                     "hypervisor image");
    phys_reset();

    good_mb2_with_modules(ovl, 3);
    assert_error_has(boot_info_check(&bi, 0x200000, 0x400000),
                     "module 2 (two) at [0x401fff, 0x403000) overlaps module "
                     "0 (zero)");
}

static void test_check_no_ram(void **state)
{
    static const struct e820 map[] = { { 0x100000, 0x100000, 2 } };

    (void)state;
    mb2_begin();
    mb2_mmap(map, 1);
    mb2_finish();
    assert_int_equal(multiboot2_parse(MBI_PA, phys_map, &bi), 0);
    assert_int_equal(boot_info_ram_bytes(&bi), 0);
    assert_int_equal(boot_info_ram_top(&bi), 0);
    assert_error_has(boot_info_check(&bi, 0, 0), "the memory map has no RAM");
}

#define T(f) cmocka_unit_test_teardown(f, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_mb2_good),
        T(test_mb2_map_normalised),
        T(test_mb2_total_size_lies),
        T(test_mb2_bad_address),
        T(test_mb2_zero_size_tag),
        T(test_mb2_no_end_tag),
        T(test_mb2_missing_mmap),
        T(test_mb2_unterminated_strings),
        T(test_mb2_long_strings),
        T(test_mb2_bad_modules),
        T(test_mb2_bad_mmap),
        T(test_mb2_split_overflow),
        T(test_mb2_corruption_never_crashes),
        T(test_mb1_good),
        T(test_mb1_minimal_flags),
        T(test_mb1_missing_mmap),
        T(test_mb1_short_info),
        T(test_mb1_bad_mmap),
        T(test_mb1_bad_modules),
        T(test_mb1_unterminated_strings),
        T(test_check_modules),
        T(test_check_no_ram),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
