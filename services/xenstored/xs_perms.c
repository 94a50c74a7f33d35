/*
 * xenstored permissions: parsing, formatting and the access decision
 *
 * Locking: none (single-threaded core).  A permission list is
 * [owner+default, overrides...]; the owner always has read and write, other
 * domains get the first override naming them, else the default.  An entry
 * naming a domain whose record is younger than the list (a reused domid,
 * XSA-322) or that does not exist is ignored.
 */
#include <stdlib.h>
#include <string.h>
#include "xs_priv.h"

static int xs_perm_parse_one(const char *s, struct xs_perm *p)
{
    unsigned long v = 0;
    const char *d = s + 1;

    switch ( s[0] )
    {
    case 'n':
        p->bits = XS_PERM_NONE;
        break;
    case 'r':
        p->bits = XS_PERM_READ;
        break;
    case 'w':
        p->bits = XS_PERM_WRITE;
        break;
    case 'b':
        p->bits = XS_PERM_BOTH;
        break;
    default:
        return EINVAL;
    }
    if ( *d == '\0' )
        return EINVAL;
    for ( ; *d; d++ )
    {
        if ( *d < '0' || *d > '9' )
            return EINVAL;
        v = v * 10 + (unsigned long)(*d - '0');
        if ( v >= XS_DOMID_LIMIT )
            return EINVAL;
    }
    p->domid = (uint16_t)v;
    p->pad = 0;
    return 0;
}

/*
 * Parse n NUL-terminated entries from buf (len bytes).  0, EINVAL, ENOMEM.
 * On success out->p is allocated; out->gen is left 0.
 */
int xs_perms_parse(const char *buf, uint32_t len, uint32_t n,
                   struct xs_perms *out)
{
    const char *p = buf, *end = buf + len;
    uint32_t i;
    int rc;

    if ( n == 0 )
        return EINVAL;
    out->p = calloc(n, sizeof(*out->p));
    out->n = n;
    out->gen = 0;
    if ( !out->p )
        return ENOMEM;
    for ( i = 0; i < n; i++ )
    {
        const char *nul = memchr(p, '\0', (size_t)(end - p));

        rc = nul ? xs_perm_parse_one(p, &out->p[i]) : EINVAL;
        if ( rc )
        {
            free(out->p);
            out->p = NULL;
            return rc;
        }
        p = nul + 1;
    }
    return 0;
}

int xs_perms_copy(struct xs_perms *dst, const struct xs_perms *src)
{
    dst->p = malloc(src->n * sizeof(*dst->p));
    if ( !dst->p )
        return ENOMEM;
    memcpy(dst->p, src->p, src->n * sizeof(*dst->p));
    dst->n = src->n;
    dst->gen = src->gen;
    return 0;
}

/* Entries as "b0\0r5\0"; returns bytes needed (may exceed len). */
uint32_t xs_perms_format(const struct xs_perms *p, char *buf, uint32_t len)
{
    static const char letters[] = "nrwb";
    uint32_t i, off = 0;
    char tmp[8];

    for ( i = 0; i < p->n; i++ )
    {
        unsigned int v = p->p[i].domid, k = 0, j;

        do
        {
            tmp[k++] = (char)('0' + v % 10);
            v /= 10;
        } while ( v );
        if ( off + k + 2 <= len )
        {
            buf[off] = letters[p->p[i].bits & 3];
            for ( j = 0; j < k; j++ )
                buf[off + 1 + j] = tmp[k - 1 - j];
            buf[off + k + 1] = '\0';
        }
        off += k + 2;
    }
    return off;
}

/* What c may do to a node with permissions p: XS_PERM_* bits. */
unsigned int xs_perms_for(const struct xs_conn *c, const struct xs_perms *p)
{
    struct xs_store *s = c->store;
    unsigned int owner = p->p[0].domid;
    uint32_t i;

    if ( c->priv )
        return XS_PERM_BOTH;
    if ( xs_perm_entry_valid(s, p, 0) &&
         (owner == c->domid || (c->dom && c->dom->target == (int)owner)) )
        return XS_PERM_BOTH;
    for ( i = 1; i < p->n; i++ )
        if ( p->p[i].domid == c->domid )
            return xs_perm_entry_valid(s, p, i) ? p->p[i].bits : p->p[0].bits;
    return p->p[0].bits;
}

/*
 * Entry i counts when it is not marked ignored and its domain's record is
 * older than the list (XSA-322: a reused domid is a different domain).
 */
bool xs_perm_entry_valid(struct xs_store *s, const struct xs_perms *p,
                         uint32_t i)
{
    return !(p->p[i].pad & XS_PERM_IGNORE) &&
           xs_dom_valid_for(s, p->p[i].domid, p->gen);
}

/*
 * Copy a list for a new node (inheritance): entries that do not count under
 * the old generation are marked ignored, so the new generation cannot
 * revive them.  The copy gets generation gen.
 */
int xs_perms_inherit(struct xs_store *s, struct xs_perms *dst,
                     const struct xs_perms *src, uint64_t gen)
{
    uint32_t i;

    if ( xs_perms_copy(dst, src) )
        return ENOMEM;
    for ( i = 0; i < dst->n; i++ )
        if ( !xs_perm_entry_valid(s, src, i) )
            dst->p[i].pad |= XS_PERM_IGNORE;
    dst->gen = gen;
    return 0;
}
