/*
 * multicall: a batch runs every entry and stores each result in its own
 * entry, failures included; an unreadable list is -EFAULT; an empty batch
 * is a no-op
 */
#include <string.h>

#include <public/errno.h>
#include <public/version.h>
#include <rt/rt.h>

#include "../lib/test.h"

const char test_title[] = "multicall: per-entry results";

static xen_capabilities_info_t caps;
static multicall_entry_t calls[6];

static void set_call(multicall_entry_t *mc, unsigned long op, unsigned long a0,
                     unsigned long a1)
{
    memset(mc, 0, sizeof(*mc));
    mc->op = op;
    mc->result = 0xdeadbeef;
    mc->args[0] = a0;
    mc->args[1] = a1;
}

void test_main(void)
{
    long version = HYPERVISOR_xen_version(XENVER_version, 0);
    long rc;

    set_call(&calls[0], __HYPERVISOR_xen_version, XENVER_version, 0);
    set_call(&calls[1], __HYPERVISOR_xen_version, XENVER_pagesize, 0);
    set_call(&calls[2], __HYPERVISOR_xen_version, XENVER_capabilities,
             XEN_ARG(caps));
    set_call(&calls[3], __HYPERVISOR_xen_version, XENVER_capabilities, 0x1000);
    set_call(&calls[4], 11, 0, 0);  /* unused number */
    set_call(&calls[5], 200, 0, 0); /* beyond the table */

    rc = HYPERVISOR_multicall(XEN_ARG(calls), ARRAY_SIZE(calls));
    test_expect_rc(rc, 0, "multicall of 6");
    test_expect_rc(calls[0].result, version, "entry 0 (version)");
    test_expect_rc(calls[1].result, 4096, "entry 1 (pagesize)");
    test_expect_rc(calls[2].result, 0, "entry 2 (capabilities)");
    test_check(strstr(caps, "xen-3.0-x86_64") != NULL,
               "entry 2 did not fill the buffer");
    test_expect_rc(calls[3].result, -XEN_EFAULT, "entry 3 (bad buffer)");
    test_expect_rc(calls[4].result, -XEN_ENOSYS, "entry 4 (hypercall 11)");
    test_expect_rc(calls[5].result, -XEN_ENOSYS, "entry 5 (hypercall 200)");

    test_expect_rc(HYPERVISOR_multicall(0x1000, 2), -XEN_EFAULT,
                   "multicall of an unmapped list");
    test_expect_rc(HYPERVISOR_multicall(XEN_ARG(HYPERVISOR_VIRT_START), 1),
                   -XEN_EFAULT, "multicall of a list in the hypervisor");
    calls[0].result = 0x1234;
    test_expect_rc(HYPERVISOR_multicall(XEN_ARG(calls), 0), 0,
                   "multicall of 0 entries");
    test_expect_rc(calls[0].result, 0x1234, "empty batch wrote a result");
    test_pass_if_clean();
}
