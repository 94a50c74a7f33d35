/*
 * hello: newlib stdio (printf with integers, strings and a double) and
 * malloc over the runtime's heap, printed through console_io
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rt/rt.h>

#include "../lib/test.h"

const char test_title[] = "hello: newlib printf and malloc on the PV runtime";

void test_main(void)
{
    char buf[64];
    volatile double x = 3.25;
    char *p;

    printf("Hello from a PV guest: start_info magic \"%s\", %lu pages\n",
           xen_start_info->magic, (unsigned long)xen_start_info->nr_pages);
    snprintf(buf, sizeof(buf), "%d %s %.3f %llx", -42, "str", x * 2,
             0x123456789abcdefULL);
    printf("formatted: %s\n", buf);
    if ( strcmp(buf, "-42 str 6.500 123456789abcdef") )
        test_fail("snprintf gave \"%s\"", buf);

    p = malloc(100000);
    if ( !p )
        test_fail("malloc(100000) failed");
    memset(p, 0x5a, 100000);
    if ( p[99999] != 0x5a || (char *)p < __heap_start ||
         (char *)p + 100000 > __heap_end )
        test_fail("malloc returned %p outside the heap [%p, %p)", (void *)p,
                  (void *)__heap_start, (void *)__heap_end);
    free(p);
    test_pass();
}
