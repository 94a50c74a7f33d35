/*
 * Console output through HYPERVISOR_console_io(CONSOLEIO_write)
 *
 * Locking: none.  Output goes to the hypervisor's console directly (the
 * console ring comes later).  newlib's stdout and stderr end up here.
 */
#ifndef RT_CONSOLE_H
#define RT_CONSOLE_H

#include <stddef.h>

/* Write len bytes; returns len, or a negative Xen errno. */
long xen_console_write(const char *buf, size_t len);

/* printf to the console without going through stdio buffers. */
int xen_printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* RT_CONSOLE_H */
