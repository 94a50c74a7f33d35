/*
 * regress-iret: HYPERVISOR_iret with a context iretq cannot load (a
 * non-canonical rip, or a hypervisor code selector with RPL 3) must crash
 * this domain only.  Before the fix, iretq faulted in ring 0 and the
 * hypervisor panicked.  The guest's command line picks the context: "rip"
 * or "cs".  tests/boot/regress.sh expects the crash, not a verdict.
 */
#include <string.h>
#include <rt/rt.h>

#include "../lib/test.h"

const char test_title[] = "regress-iret: an impossible iret context";

void test_main(void)
{
    static uint64_t stack[64];
    bool bad_cs = strstr(xen_start_info->cmd_line, "cs") != NULL;
    /* iret_context: rax r11 rcx flags rip cs rflags rsp ss */
    uint64_t ctx[9] = { 0,        0,      0,     0,
                        0x400000, 0xe033, 0x202, (uint64_t)&stack[64],
                        0xe02b };

    if ( bad_cs )
        ctx[5] = 0xe008; /* the hypervisor's ring-0 code selector */
    else
        ctx[4] = 0x8000000000000000ULL; /* non-canonical */
    test_info("iret with %s", bad_cs ? "cs 0xe008" : "a non-canonical rip");
    asm volatile("mov %0, %%rsp; mov $23, %%eax; syscall"
                 :
                 : "r"(ctx)
                 : "memory");
    /* Not reached: the domain is crashed. */
}
