/*
 * Library helpers (LIB): bounded string copy and number parsing.
 *
 * Locking: none; every function works only on its arguments.
 */
#include <hv/lib.h>

size_t hv_strlcpy(char *dst, const char *src, size_t size)
{
    size_t len = strlen(src);

    if ( size > 0 )
    {
        size_t n = len < size - 1 ? len : size - 1;

        memcpy(dst, src, n);
        dst[n] = '\0';
    }
    return len;
}

static int digit_value(char c)
{
    if ( c >= '0' && c <= '9' )
        return c - '0';
    if ( c >= 'a' && c <= 'z' )
        return c - 'a' + 10;
    if ( c >= 'A' && c <= 'Z' )
        return c - 'A' + 10;
    return 99;
}

/*
 * Work out the base and skip its prefix.  A "0x" with no hex digit after it
 * is the number 0 followed by 'x', as in C.
 */
static const char *number_prefix(const char *s, unsigned int *base)
{
    bool hex_next =
        s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) < 16;

    if ( *base == 0 )
    {
        if ( hex_next )
        {
            *base = 16;
            return s + 2;
        }
        *base = s[0] == '0' ? 8 : 10;
        return s;
    }
    if ( *base == 16 && hex_next )
        return s + 2;
    return s;
}

bool hv_strtoull(const char *s, const char **end, unsigned int base,
                 unsigned long long *val)
{
    unsigned long long v = 0;
    const char *p;
    bool any = false, overflow = false;
    int d;

    if ( end )
        *end = s;
    if ( base == 1 || base > 36 )
        return false;
    p = number_prefix(s, &base);

    for ( ; (d = digit_value(*p)) < (int)base; p++ )
    {
        any = true;
        if ( v > (~0ULL - (unsigned int)d) / base )
            overflow = true;
        v = v * base + (unsigned int)d;
    }
    if ( !any )
        return false;
    if ( end )
        *end = p;
    if ( overflow )
        return false;
    *val = v;
    return true;
}
