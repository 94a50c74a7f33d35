/*
 * Console output through HYPERVISOR_console_io(CONSOLEIO_write)
 *
 * Locking: none; single vCPU.  Long writes are split so that one hypercall
 * never carries more than CONSOLE_CHUNK bytes.
 */
#include <stdarg.h>
#include <stdio.h>

#include <rt/console.h>
#include <rt/rt.h>

#define CONSOLE_CHUNK 1024

long xen_console_write(const char *buf, size_t len)
{
    size_t done = 0;

    while ( done < len )
    {
        size_t n = len - done > CONSOLE_CHUNK ? CONSOLE_CHUNK : len - done;
        long rc =
            HYPERVISOR_console_io(CONSOLEIO_write, n, XEN_ARG(buf + done));

        if ( rc < 0 )
            return rc;
        done += n;
    }
    return (long)len;
}

int xen_printk(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if ( n < 0 )
        return n;
    if ( (size_t)n >= sizeof(buf) )
        n = sizeof(buf) - 1;
    xen_console_write(buf, n);
    return n;
}
