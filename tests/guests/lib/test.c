/*
 * Test-guest library: main(), the verdict line and the shutdown it implies
 *
 * Locking: none; single vCPU.  Exactly one verdict line is printed: once a
 * verdict is out, later ones (e.g. a panic while shutting down) only shut
 * the domain down.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <public/xen.h>
#include <rt/console.h>
#include <rt/rt.h>

#include "test.h"

unsigned int test_failures;
static int verdict_given;

static void __attribute__((noreturn))
verdict(const char *what, unsigned int reason, const char *fmt, va_list ap)
{
    char detail[200] = "";

    if ( verdict_given++ )
        xen_shutdown(SHUTDOWN_crash);
    if ( fmt )
        vsnprintf(detail, sizeof(detail), fmt, ap);
    fflush(stdout);
    fflush(stderr);
    xen_printk("TEST RESULT: %s%s%s\n", what, detail[0] ? " " : "", detail);
    xen_shutdown(reason);
}

void test_pass(void)
{
    va_list ap = { 0 };

    verdict("PASS", SHUTDOWN_poweroff, NULL, ap);
}

void test_skip(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    verdict("SKIP", SHUTDOWN_poweroff, fmt, ap);
}

void test_fail(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    verdict("FAIL", SHUTDOWN_crash, fmt, ap);
}

void test_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    verdict("ERROR", SHUTDOWN_crash, fmt, ap);
}

void test_info(const char *fmt, ...)
{
    char buf[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    xen_printk("  %s\n", buf);
}

void test_check_at(bool ok, const char *file, int line, const char *expr,
                   const char *fmt, ...)
{
    char buf[200];
    va_list ap;

    if ( ok )
        return;
    test_failures++;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    xen_printk("  check failed (%s:%d: %s): %s\n", file, line, expr, buf);
}

void test_pass_if_clean(void)
{
    if ( test_failures )
        test_fail("%u check(s) failed", test_failures);
    test_pass();
}

/* The runtime calls this before it crashes the domain. */
void xen_panic_hook(const char *msg)
{
    test_error("runtime panic: %s", msg);
}

int main(void)
{
    xen_printk("TEST TITLE: %s\n", test_title);
    test_main();
    test_error("test_main returned without a verdict");
}
