/*
 * modules: what the initial domain learns about its boot modules -
 * start_info.flags (SIF_INITDOMAIN | SIF_PRIVILEGED), cmd_line (the
 * module's command line without its first word) and the module at
 * mod_start (a VA inside the bootstrap region, between the image and the
 * P2M list) / mod_len.
 *
 * The guest's command line says what to expect, so nothing is written down
 * twice:
 *
 *   (nothing)                     no module: mod_len must be 0
 *   initrd=cpio expect=M;M...     Tessera: every boot module after the
 *                                 first arrives as ONE cpio "newc" archive,
 *                                 members named after their modules
 *   initrd=raw expect=M;M...      Xen 4.17: only the first extra module is
 *                                 passed, as it is, as the initrd
 *
 * where M = name:size:cksum (POSIX cksum CRC of the contents).  Xen and
 * Tessera deliberately differ here (Tessera's archive is an initramfs a
 * Linux dom0 would unpack), so each run checks what its hypervisor does:
 * tests/boot/modules-dom0.sh runs the cpio case on Tessera,
 * tests/guests/modules/xen.sh the raw case on Xen, and the boot-everything
 * tests (tests/boot/guests.sh, no modules) the first case.  The newc
 * parser is bounds-checked: a malformed archive is a failed check, never a
 * fault.
 */
#include <stdlib.h>
#include <string.h>

#include <rt/rt.h>

#include "../lib/test.h"

const char test_title[] = "modules: start_info cmd_line, flags, the module(s)";

#define MAX_EXPECT 8
#define NAME_MAX_  64

struct member
{
    char name[NAME_MAX_];
    unsigned long size;
    unsigned long cksum;
};

static struct member expect[MAX_EXPECT];
static unsigned int nr_expect;

/* POSIX cksum: CRC-32 (0x04c11db7, MSB first) over data, then length. */
static uint32_t crc_byte(uint32_t crc, uint8_t b)
{
    crc ^= (uint32_t)b << 24;
    for ( int i = 0; i < 8; i++ )
        crc = (crc & 0x80000000U) ? (crc << 1) ^ 0x04c11db7U : crc << 1;
    return crc;
}

static uint32_t posix_cksum(const uint8_t *p, unsigned long len)
{
    uint32_t crc = 0;

    for ( unsigned long i = 0; i < len; i++ )
        crc = crc_byte(crc, p[i]);
    for ( unsigned long n = len; n; n >>= 8 )
        crc = crc_byte(crc, n & 0xff);
    return ~crc;
}

/* The value of word "key=" in the command line (up to a space), or NULL. */
static const char *arg(const char *cmd, const char *key, size_t *len)
{
    size_t klen = strlen(key);

    for ( const char *p = cmd; *p; )
    {
        while ( *p == ' ' )
            p++;
        if ( !strncmp(p, key, klen) )
        {
            *len = strcspn(p + klen, " ");
            return p + klen;
        }
        p += strcspn(p, " ");
    }
    return NULL;
}

/* expect=name:size:cksum;... into expect[]; false if malformed. */
static bool parse_expect(const char *v, size_t len)
{
    char buf[512], *save = NULL;

    if ( len >= sizeof(buf) )
        return false;
    memcpy(buf, v, len);
    buf[len] = '\0';
    for ( char *m = strtok_r(buf, ";", &save); m;
          m = strtok_r(NULL, ";", &save) )
    {
        char *size = strchr(m, ':'), *sum, *end;

        if ( !size || nr_expect == MAX_EXPECT ||
             (size_t)(size - m) >= NAME_MAX_ || size == m )
            return false;
        sum = strchr(size + 1, ':');
        if ( !sum )
            return false;
        memcpy(expect[nr_expect].name, m, size - m);
        expect[nr_expect].name[size - m] = '\0';
        expect[nr_expect].size = strtoul(size + 1, &end, 10);
        if ( end != sum )
            return false;
        expect[nr_expect].cksum = strtoul(sum + 1, &end, 10);
        if ( *end )
            return false;
        nr_expect++;
    }
    return nr_expect > 0;
}

/* 8 hex digits at p into *v. */
static bool hex8(const uint8_t *p, uint32_t *v)
{
    *v = 0;
    for ( int i = 0; i < 8; i++ )
    {
        uint8_t c = p[i];
        unsigned int d;

        if ( c >= '0' && c <= '9' )
            d = c - '0';
        else if ( c >= 'a' && c <= 'f' )
            d = c - 'a' + 10;
        else if ( c >= 'A' && c <= 'F' )
            d = c - 'A' + 10;
        else
            return false;
        *v = (*v << 4) | d;
    }
    return true;
}

#define NEWC_HDR  110
#define ALIGN4(x) (((x) + 3UL) & ~3UL)

/* Walk the newc archive [a, a + len) and check it against expect[]. */
static void check_cpio(const uint8_t *a, unsigned long len)
{
    unsigned long off = 0;
    unsigned int n = 0;
    bool trailer = false;

    while ( !trailer )
    {
        uint32_t f[13];
        unsigned long name_off, data_off, end;
        const char *name;

        if ( off > len || len - off < NEWC_HDR )
        {
            test_check(false, "cpio: header %u past the end (offset %lu)", n,
                       off);
            return;
        }
        if ( memcmp(a + off, "070701", 6) )
        {
            test_check(false, "cpio: bad magic at offset %lu", off);
            return;
        }
        for ( int i = 0; i < 13; i++ )
            if ( !hex8(a + off + 6 + 8 * i, &f[i]) )
            {
                test_check(false, "cpio: bad hex field %d at %lu", i, off);
                return;
            }
        /* f[1] mode, f[6] filesize, f[11] namesize (with the NUL). */
        name_off = off + NEWC_HDR;
        if ( f[11] == 0 || f[11] > len - name_off ||
             a[name_off + f[11] - 1] != '\0' )
        {
            test_check(false, "cpio: bad name size %u at %lu", f[11], off);
            return;
        }
        name = (const char *)a + name_off;
        data_off = ALIGN4(name_off + f[11]);
        if ( data_off > len || f[6] > len - data_off )
        {
            test_check(false, "cpio: '%s': %u bytes past the end", name, f[6]);
            return;
        }
        end = ALIGN4(data_off + f[6]);
        if ( !strcmp(name, "TRAILER!!!") )
        {
            trailer = true;
            test_check(f[6] == 0, "cpio: trailer with %u bytes", f[6]);
        }
        else if ( n >= nr_expect )
            test_check(false, "cpio: unexpected member %u '%s'", n, name);
        else
        {
            const struct member *m = &expect[n];
            uint32_t sum = posix_cksum(a + data_off, f[6]);

            test_check(!strcmp(name, m->name),
                       "cpio member %u: '%s', want "
                       "'%s'",
                       n, name, m->name);
            test_check(f[6] == m->size, "cpio '%s': %u bytes, want %lu", name,
                       f[6], m->size);
            test_check(sum == m->cksum, "cpio '%s': cksum %u, want %lu", name,
                       sum, m->cksum);
            test_check((f[1] & 0170000) == 0100000,
                       "cpio '%s': mode %#o, not a regular file", name, f[1]);
            test_info("member '%s': %u bytes, cksum %u", name, f[6], sum);
        }
        if ( !trailer )
            n++;
        off = end;
        if ( off > len )
            off = len; /* the next header check fails */
    }
    test_check(n == nr_expect, "cpio: %u members, want %u", n, nr_expect);
    test_check(off == len, "cpio: archive ends at %lu, mod_len %lu", off, len);
}

void test_main(void)
{
    const start_info_t *si = xen_start_info;
    const char *cmd = (const char *)si->cmd_line;
    const uint8_t *mod = (const uint8_t *)si->mod_start;
    const char *v;
    size_t len;

    test_info("cmd_line '%s'", cmd);
    test_info("flags %#x, mod_start %#lx, mod_len %lu", si->flags,
              si->mod_start, si->mod_len);
    test_check((si->flags & (SIF_INITDOMAIN | SIF_PRIVILEGED)) ==
                   (SIF_INITDOMAIN | SIF_PRIVILEGED),
               "flags %#x lack SIF_INITDOMAIN|SIF_PRIVILEGED", si->flags);
    test_check(!(si->flags & SIF_MOD_START_PFN),
               "SIF_MOD_START_PFN without the ELF note asking for it");
    test_check(memchr(cmd, '\0', sizeof(si->cmd_line)) != NULL,
               "cmd_line not NUL-terminated");
    /* The first word of the module's line is its name: not passed on. */
    test_check(!strstr(cmd, "modules.elf"), "cmd_line kept the image name");
    test_check(cmd[0] != ' ', "cmd_line starts with a space");

    v = arg(cmd, "expect=", &len);
    if ( v && !parse_expect(v, len) )
        test_error("malformed expect= on the command line");
    v = arg(cmd, "initrd=", &len);
    if ( !v )
    {
        test_check(!nr_expect, "expect= without initrd=");
        test_check(si->mod_len == 0, "no module given, mod_len %lu",
                   si->mod_len);
        test_check(si->mod_start == 0, "no module given, mod_start %#lx",
                   si->mod_start);
        test_pass_if_clean();
    }
    if ( !nr_expect )
        test_error("initrd= without expect=");

    /* Inside the bootstrap region: after the image, before the P2M list. */
    test_check(si->mod_len > 0, "mod_len 0");
    test_check(!(si->mod_start & (PAGE_SIZE - 1)), "mod_start %#lx unaligned",
               si->mod_start);
    test_check(si->mod_start >= (uint64_t)__image_end &&
                   si->mod_start + si->mod_len <= si->mfn_list,
               "module [%#lx, +%#lx) not between the image end %p and the "
               "P2M list %#lx",
               si->mod_start, si->mod_len, (void *)__image_end, si->mfn_list);
    if ( test_failures )
        test_pass_if_clean(); /* do not touch a module we cannot trust */

    if ( len == 4 && !strncmp(v, "cpio", 4) )
        check_cpio(mod, si->mod_len);
    else if ( len == 3 && !strncmp(v, "raw", 3) )
    {
        /* Xen: the first extra module only, byte for byte. */
        uint32_t sum = posix_cksum(mod, si->mod_len);

        test_check(si->mod_len == expect[0].size, "mod_len %lu, want %lu",
                   si->mod_len, expect[0].size);
        test_check(sum == expect[0].cksum, "module cksum %u, want %lu", sum,
                   expect[0].cksum);
        test_info("raw module '%s': %lu bytes, cksum %u (of %u given)",
                  expect[0].name, si->mod_len, sum, nr_expect);
    }
    else
        test_error("initrd= must be cpio or raw");
    test_pass_if_clean();
}
