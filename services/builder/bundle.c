/*
 * The boot bundle (BUNDLE): cpio "newc" reader, see bundle.h.
 *
 * Locking: none.
 */
#include <string.h>

#include "bundle.h"

#define HDR_LEN 110

static int hex8(const uint8_t *p, uint32_t *v)
{
    unsigned int i;

    *v = 0;
    for ( i = 0; i < 8; i++ )
    {
        uint8_t c = p[i];
        uint32_t d;

        if ( c >= '0' && c <= '9' )
            d = c - '0';
        else if ( c >= 'a' && c <= 'f' )
            d = c - 'a' + 10;
        else if ( c >= 'A' && c <= 'F' )
            d = c - 'A' + 10;
        else
            return -1;
        *v = (*v << 4) | d;
    }
    return 0;
}

static size_t pad4(size_t x)
{
    return (x + 3) & ~(size_t)3;
}

static int bad(const char **why, const char *msg)
{
    *why = msg;
    return -1;
}

int bundle_read(const void *buf, size_t len, struct bundle *b, const char **why)
{
    const uint8_t *base = buf;
    size_t off = 0;

    b->nr = 0;
    for ( ;; )
    {
        const uint8_t *h = base + off;
        uint32_t namesize, filesize;
        size_t name_off, data_off;

        if ( off > len || len - off < HDR_LEN )
            return bad(why, "archive truncated (no TRAILER!!!)");
        if ( memcmp(h, "070701", 6) && memcmp(h, "070702", 6) )
            return bad(why, "bad cpio magic (not newc)");
        if ( hex8(h + 54, &filesize) || hex8(h + 94, &namesize) )
            return bad(why, "cpio header field is not hex");
        if ( namesize < 1 || namesize > 256 )
            return bad(why, "cpio member name length out of range");
        name_off = off + HDR_LEN;
        if ( len - name_off < namesize || h[HDR_LEN + namesize - 1] != 0 )
            return bad(why, "cpio member name outside the archive");
        if ( namesize == 11 && !memcmp(h + HDR_LEN, "TRAILER!!!", 11) )
            return 0;
        data_off = pad4(name_off + namesize);
        if ( data_off > len || len - data_off < filesize )
            return bad(why, "cpio member data outside the archive");
        if ( b->nr >= BUNDLE_MAX_MEMBERS )
            return bad(why, "too many members in the boot bundle");
        memcpy(b->m[b->nr].name, h + HDR_LEN, namesize);
        b->m[b->nr].data = base + data_off;
        b->m[b->nr].size = filesize;
        b->nr++;
        off = pad4(data_off + filesize);
    }
}

const struct bundle_member *bundle_find(const struct bundle *b,
                                        const char *name)
{
    unsigned int i;

    for ( i = 0; i < b->nr; i++ )
        if ( !strcmp(b->m[i].name, name) )
            return &b->m[i];
    return NULL;
}
