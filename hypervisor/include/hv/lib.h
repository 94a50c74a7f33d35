/*
 * Small library routines: strings, formatting, assertions, panic.
 *
 * In the hypervisor the string routines come from common/string.c; in host
 * unit tests from the host C library (the prototypes are the standard ones).
 * Formatting uses hv_-prefixed names so a test binary never interposes on the
 * host's printf family.
 */
#ifndef HV_LIB_H
#define HV_LIB_H

#include <hv/types.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

/* Bounded copy that always NUL-terminates (when size > 0); returns strlen(src). */
size_t hv_strlcpy(char *dst, const char *src, size_t size);

/*
 * Parse an unsigned number in base 10, 16 (0x prefix) or 8 (0 prefix) when
 * base is 0.  *end is set past the last digit.  Returns false on no digits or
 * overflow.
 */
bool hv_strtoull(const char *s, const char **end, unsigned int base,
                 unsigned long long *val);

/*
 * vsnprintf subset: flags "-0+ #", width and precision (incl. '*'), length
 * modifiers hh h l ll z t, conversions d i u x X o c s p %.  %p prints
 * 0x-prefixed 16-digit hex.  %pS prints a symbol name for a code address
 * ("func+0x12/0x40") through symbols_lookup().  Returns the length the full
 * output would have had, like C99; always NUL-terminates when size > 0.
 */
int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int hv_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/*
 * Symbol lookup for backtraces and %pS: provided by the generated symbol
 * table in the hypervisor and by a shim in host tests.  Returns the name of
 * the function containing addr and its start and size, or NULL.
 */
const char *symbols_lookup(unsigned long addr, unsigned long *start,
                           unsigned long *size);

/* Stop every CPU after printing the message; never returns. */
void panic(const char *fmt, ...) __printf(1, 2) __attribute__((noreturn));

#define BUG() panic("BUG at %s:%d", __FILE__, __LINE__)
#define BUG_ON(cond)                                                 \
    do                                                               \
    {                                                                \
        if ( unlikely(cond) )                                        \
            panic("BUG_ON(%s) at %s:%d", #cond, __FILE__, __LINE__); \
    } while ( 0 )
#define ASSERT(cond) BUG_ON(!(cond))

#define BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)

#endif /* HV_LIB_H */
