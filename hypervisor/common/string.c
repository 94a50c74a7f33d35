/*
 * String and memory routines (STRING) for the freestanding hypervisor.
 *
 * Host unit tests use the C library's versions instead; test_string.c
 * compiles this file under other names to test it.
 *
 * Locking: none; every function works only on its arguments.
 */
#include <hv/lib.h>

/*
 * The compiler turns copy and fill loops into calls to memcpy()/memset();
 * inside those functions that would recurse forever.
 */
#define no_libcall \
    __attribute__((__optimize__("no-tree-loop-distribute-patterns")))

/* A word that may alias any object, for the aligned part of memcpy(). */
typedef unsigned long __attribute__((__may_alias__)) word_t;

no_libcall void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    while ( n >= sizeof(word_t) &&
            !(((unsigned long)d | (unsigned long)s) & (sizeof(word_t) - 1)) )
    {
        *(word_t *)d = *(const word_t *)s;
        d += sizeof(word_t);
        s += sizeof(word_t);
        n -= sizeof(word_t);
    }
    while ( n-- )
        *d++ = *s++;
    return dst;
}

no_libcall void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if ( d == s || n == 0 )
        return dst;
    if ( d < s || d >= s + n )
        return memcpy(dst, src, n);
    /* Overlapping with dst above src: copy backwards. */
    while ( n-- )
        d[n] = s[n];
    return dst;
}

/*
 * Bytes up to an 8-byte boundary, then 8-byte stores (scrubbing a domain's
 * frames is a 4 KiB memset each), then the tail.
 */
no_libcall void *memset(void *s, int c, size_t n)
{
    unsigned char *p = s;
    uint64_t w = 0x0101010101010101ULL * (unsigned char)c;

    for ( ; n && ((uintptr_t)p & 7); n-- )
        *p++ = (unsigned char)c;
    for ( ; n >= 8; n -= 8, p += 8 )
        *(uint64_t *)(void *)p = w;
    while ( n-- )
        *p++ = (unsigned char)c;
    return s;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;

    for ( ; n; n--, x++, y++ )
        if ( *x != *y )
            return *x < *y ? -1 : 1;
    return 0;
}

size_t strlen(const char *s)
{
    const char *p = s;

    while ( *p )
        p++;
    return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;

    while ( n < max && s[n] )
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a;
    const unsigned char *y = (const unsigned char *)b;

    while ( *x && *x == *y )
    {
        x++;
        y++;
    }
    return *x == *y ? 0 : (*x < *y ? -1 : 1);
}

int strncmp(const char *a, const char *b, size_t n)
{
    const unsigned char *x = (const unsigned char *)a;
    const unsigned char *y = (const unsigned char *)b;

    for ( ; n; n--, x++, y++ )
    {
        if ( *x != *y )
            return *x < *y ? -1 : 1;
        if ( !*x )
            break;
    }
    return 0;
}

char *strchr(const char *s, int c)
{
    for ( ;; s++ )
    {
        if ( *s == (char)c )
            return (char *)s;
        if ( !*s )
            return NULL;
    }
}
