/*
 * Start of day: from the PV entry to main(), and the ways out
 *
 * Locking: none; runs on vCPU 0 before anything else.  head.S has cleared
 * .bss and moved to the runtime stack; here we check start_info, install
 * the trap table and callbacks, run newlib's constructors and call main().
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <public/sched.h>
#include <rt/console.h>
#include <rt/rt.h>
#include <rt/traps.h>

start_info_t *xen_start_info;

void __libc_init_array(void);
void xen_start_c(start_info_t *si);

unsigned long xen_virt_to_pfn(const void *va)
{
    return ((unsigned long)va - (unsigned long)__image_start) >> PAGE_SHIFT;
}

unsigned long xen_virt_to_mfn(const void *va)
{
    const uint64_t *p2m = (const uint64_t *)xen_start_info->mfn_list;

    return p2m[xen_virt_to_pfn(va)];
}

void xen_shutdown(unsigned int reason)
{
    struct sched_shutdown sd = { .reason = reason };

    for ( ;; )
        HYPERVISOR_sched_op(SCHEDOP_shutdown, XEN_ARG(&sd));
}

__attribute__((weak)) void xen_panic_hook(const char *msg)
{
    (void)msg;
}

static void __attribute__((noreturn))
vpanic(const struct trap_frame *frame, const char *fmt, va_list ap)
{
    static int nested;
    char msg[256];

    if ( nested++ )
        xen_shutdown(SHUTDOWN_crash);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    xen_printk("PANIC: %s\n", msg);
    if ( frame )
        xen_dump_frame(frame);
    xen_panic_hook(msg);
    xen_shutdown(SHUTDOWN_crash);
}

void xen_panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vpanic(NULL, fmt, ap);
}

void xen_panic_frame(const struct trap_frame *frame, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vpanic(frame, fmt, ap);
}

void xen_start_c(start_info_t *si)
{
    static const char magic[] = "xen-3.0-x86_64";

    xen_start_info = si;
    if ( memcmp(si->magic, magic, sizeof(magic)) )
    {
        static const char msg[] = "rt: bad start_info magic\n";

        xen_console_write(msg, sizeof(msg) - 1);
        xen_shutdown(SHUTDOWN_crash);
    }
    xen_traps_init();
    __libc_init_array();
    exit(main());
}
