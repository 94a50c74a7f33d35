/*
 * cpio archives (CPIO): the "newc" format (magic 070701) that Linux's
 * initramfs unpacker reads.  Each entry is a 110-byte ASCII header of
 * thirteen 8-digit hex fields, the NUL-terminated name padded to 4 bytes,
 * then the data padded to 4 bytes; a "TRAILER!!!" entry ends the archive.
 *
 * Locking: none; pure functions over the caller's buffers.
 */
#include <hv/cpio.h>
#include <hv/errno.h>
#include <hv/lib.h>

#define HDR_SIZE 110
#define TRAILER  "TRAILER!!!"
#define MODE_REG 0100644 /* S_IFREG | rw-r--r-- */

static bool name_ok(const char *name, size_t len)
{
    size_t i, start = 0;

    if ( len == 0 || len > CPIO_NAME_MAX )
        return false;
    if ( len == sizeof(TRAILER) - 1 && memcmp(name, TRAILER, len) == 0 )
        return false; /* would end the archive early */
    for ( i = 0; i <= len; i++ )
    {
        if ( i < len && name[i] == '\0' )
            return false;
        if ( i < len && name[i] != '/' )
            continue;
        /* A component [start, i): ".." would climb out of the root. */
        if ( i - start == 2 && name[start] == '.' && name[start + 1] == '.' )
            return false;
        start = i + 1;
    }
    return true;
}

static size_t entry_size(size_t name_len, size_t size)
{
    return ROUNDUP(HDR_SIZE + name_len + 1, 4) + ROUNDUP(size, 4);
}

int cpio_size(const struct cpio_member *m, unsigned int nr, size_t *size)
{
    size_t total = entry_size(sizeof(TRAILER) - 1, 0), e;
    unsigned int i;

    for ( i = 0; i < nr; i++ )
    {
        if ( !name_ok(m[i].name, m[i].name_len) )
            return -EINVAL;
        if ( m[i].size > CPIO_MEMBER_MAX )
            return -E2BIG;
        e = entry_size(m[i].name_len, m[i].size);
        if ( total + e < total )
            return -EOVERFLOW;
        total += e;
    }
    *size = total;
    return 0;
}

static char *put_hex(char *p, uint32_t v)
{
    static const char digits[] = "0123456789ABCDEF";
    int shift;

    for ( shift = 28; shift >= 0; shift -= 4 )
        *p++ = digits[(v >> shift) & 15];
    return p;
}

/* One entry at p; returns the byte after its padded data. */
static uint8_t *put_entry(uint8_t *p, uint32_t ino, uint32_t mode,
                          const char *name, size_t name_len, const void *data,
                          size_t size)
{
    uint32_t fields[13] = { ino,
                            mode,
                            0,
                            0,
                            1,
                            0,
                            (uint32_t)size,
                            0,
                            0,
                            0,
                            0,
                            (uint32_t)(name_len + 1),
                            0 };
    size_t pad_name = ROUNDUP(HDR_SIZE + name_len + 1, 4) - HDR_SIZE;
    char *h = (char *)p;
    unsigned int i;

    memcpy(h, "070701", 6);
    h += 6;
    for ( i = 0; i < ARRAY_SIZE(fields); i++ )
        h = put_hex(h, fields[i]);
    p += HDR_SIZE;
    memset(p, 0, pad_name);
    memcpy(p, name, name_len);
    p += pad_name;
    if ( size )
        memcpy(p, data, size);
    memset(p + size, 0, ROUNDUP(size, 4) - size);
    return p + ROUNDUP(size, 4);
}

int cpio_write(const struct cpio_member *m, unsigned int nr, void *buf,
               size_t buf_size, size_t *written)
{
    uint8_t *p = buf;
    size_t size;
    unsigned int i;
    int rc = cpio_size(m, nr, &size);

    if ( rc )
        return rc;
    if ( size > buf_size )
        return -ENOSPC;
    for ( i = 0; i < nr; i++ )
        p = put_entry(p, i + 1, MODE_REG, m[i].name, m[i].name_len, m[i].data,
                      m[i].size);
    put_entry(p, 0, 0, TRAILER, sizeof(TRAILER) - 1, NULL, 0);
    *written = size;
    return 0;
}

void cpio_name_from_cmdline(const char *cmdline, const char **name, size_t *len)
{
    const char *s = cmdline ? cmdline : "", *base;

    while ( *s == ' ' || *s == '\t' )
        s++;
    for ( base = s; *s && *s != ' ' && *s != '\t'; s++ )
        if ( *s == '/' )
            base = s + 1;
    *name = base;
    *len = s - base;
}
