/*
 * libxc-min glue (XCMIN_GLUE): the two hooks the shared hypervisor
 * library code (common/lib.c, vsprintf.c, elf.c) expects, for a stub
 * domain.  Host unit tests get them from tests/unit/shim instead.
 *
 * Locking: none.
 */
#include <stdarg.h>
#include <stddef.h>

#include <rt/rt.h>

/* From hv/lib.h, which does not mix with rt/rt.h (PAGE_SIZE). */
int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
const char *symbols_lookup(unsigned long addr, unsigned long *start,
                           unsigned long *size);
void panic(const char *fmt, ...) __attribute__((noreturn));

const char *symbols_lookup(unsigned long addr, unsigned long *start,
                           unsigned long *size)
{
    (void)addr;
    (void)start;
    (void)size;
    return NULL;
}

void panic(const char *fmt, ...)
{
    char buf[256];
    va_list ap;

    va_start(ap, fmt);
    hv_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    xen_panic("%s", buf);
}
