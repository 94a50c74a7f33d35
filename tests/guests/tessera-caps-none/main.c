/*
 * tessera-caps-none: a domain the builder built without capabilities
 * (tests/builder/caps/none.cfg) tries every privileged path and gets
 * -EPERM from each: domctl on itself, its parent and a made-up child,
 * giving itself capabilities, another domain's memory, event channels and
 * the console.  Only looking at itself is allowed.  Tessera-only.
 */
#include <string.h>

#include <public/errno.h>
#include <public/event_channel.h>
#include <public/sched.h>
#include <rt/rt.h>

#include "../lib/tessera.h"
#include "../lib/test.h"

const char test_title[] = "tessera-caps-none: no capability, no privilege";

void test_main(void)
{
    static const uint32_t cmds[] = {
        TESSERA_DOMCTL_destroydomain, TESSERA_DOMCTL_pausedomain,
        TESSERA_DOMCTL_unpausedomain, TESSERA_DOMCTL_getdomaininfo,
        TESSERA_DOMCTL_max_mem,       TESSERA_DOMCTL_max_vcpus,
        TESSERA_DOMCTL_shutdown,      TESSERA_DOMCTL_set_caps,
        TESSERA_DOMCTL_seal,          TESSERA_DOMCTL_getvcpucontext,
    };
    struct tessera_domctl op;
    struct evtchn_alloc_unbound au;
    xen_pfn_t frame = 0;
    char buf[16];
    unsigned int i;

    /* Itself: it may look, and sees what the builder gave it. */
    memset(&op, 0, sizeof(op));
    test_expect_rc(tdomctl(&op, TESSERA_DOMCTL_getdomaininfo, DOMID_SELF), 0,
                   "getdomaininfo of itself");
    test_check(op.u.getdomaininfo.caps == 0 && op.u.getdomaininfo.parent == 0 &&
                   (op.u.getdomaininfo.flags & TESSERA_DOMINF_sealed),
               "itself: caps %#x parent %u flags %#x", op.u.getdomaininfo.caps,
               op.u.getdomaininfo.parent, op.u.getdomaininfo.flags);

    /* Nothing else: not on its parent, itself, or a domain it made up. */
    test_expect_rc(tdomctl0(TESSERA_DOMCTL_createdomain, 0), -XEN_EPERM,
                   "createdomain");
    test_expect_rc(tdomctl0(TESSERA_DOMCTL_physinfo, 0), -XEN_EPERM,
                   "physinfo");
    test_expect_rc(tdomctl0(TESSERA_DOMCTL_getdomaininfolist, 0), -XEN_EPERM,
                   "getdomaininfolist");
    for ( i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++ )
    {
        test_check(tdomctl0(cmds[i], 0) == -XEN_EPERM,
                   "domctl %u on domain 0: not -EPERM", cmds[i]);
        test_check(cmds[i] == TESSERA_DOMCTL_getdomaininfo ||
                       tdomctl0(cmds[i], DOMID_SELF) == -XEN_EPERM,
                   "domctl %u on itself: not -EPERM", cmds[i]);
        /* No existence oracle: a domain that does not exist, the same. */
        test_check(tdomctl0(cmds[i], 0x7fe0) == -XEN_EPERM,
                   "domctl %u on a missing domain: not -EPERM", cmds[i]);
    }
    test_expect_rc(tset_caps(DOMID_SELF, TESSERA_CAP_ALL), -XEN_EPERM,
                   "give itself every capability");

    /* Another domain's memory and ports. */
    test_expect_rc(tpopulate(0, &frame, 1), -XEN_EPERM, "populate domain 0");
    test_expect_rc(tmap_other(0, 0x100), -XEN_EPERM, "map a frame of domain 0");
    memset(&au, 0, sizeof(au));
    au.dom = 0;
    au.remote_dom = DOMID_SELF;
    test_expect_rc(
        HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, XEN_ARG(&au)),
        -XEN_EPERM, "alloc_unbound in domain 0");

    /* Stopping another domain is the build capability's. */
    {
        struct sched_remote_shutdown rs = { .domain_id = 0,
                                            .reason = SHUTDOWN_poweroff };

        test_expect_rc(
            HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, XEN_ARG(&rs)),
            -XEN_EPERM, "remote_shutdown of domain 0");
        rs.domain_id = 0x7fe0;
        test_expect_rc(
            HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, XEN_ARG(&rs)),
            -XEN_EPERM, "remote_shutdown of a missing domain");
    }

    /* The hypervisor console is the console capability's. */
    test_expect_rc(
        HYPERVISOR_console_io(CONSOLEIO_read, sizeof(buf), XEN_ARG(buf)),
        -XEN_EPERM, "console read");

    /* Still itself afterwards. */
    memset(&op, 0, sizeof(op));
    test_expect_rc(tdomctl(&op, TESSERA_DOMCTL_getdomaininfo, DOMID_SELF), 0,
                   "getdomaininfo of itself again");
    test_check(op.u.getdomaininfo.caps == 0, "caps now %#x",
               op.u.getdomaininfo.caps);
    test_pass_if_clean();
}
