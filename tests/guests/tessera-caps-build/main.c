/*
 * tessera-caps-build: a domain the builder built with only the build
 * capability (tests/builder/caps/build.cfg) builds a child of its own.
 * It may manage that child, give it the capabilities it holds and map its
 * memory until the seal, but it cannot give a capability it lacks, touch
 * its own parent or reach the memory of any domain but its unsealed
 * child.  It leaves a second child behind, which its own destruction
 * must take along (tests/boot/builder-caps.sh).  Tessera-only.
 */
#include <string.h>

#include <public/errno.h>
#include <rt/rt.h>

#include "../lib/tessera.h"
#include "../lib/test.h"

const char test_title[] =
    "tessera-caps-build: a sub-builder gives only what it holds";

void test_main(void)
{
    struct tessera_domctl op;
    xen_pfn_t frames[4];
    domid_t child;

    /* physinfo is the build capability's (free frames are global). */
    test_expect_rc(tdomctl0(TESSERA_DOMCTL_physinfo, 0), 0, "physinfo");

    memset(&op, 0, sizeof(op));
    op.u.createdomain.max_vcpus = 1;
    test_expect_rc(tdomctl(&op, TESSERA_DOMCTL_createdomain, 0), 0,
                   "create a child");
    child = op.domain;
    test_info("created domain %u", child);

    /* Capabilities: only its own. */
    test_expect_rc(tset_caps(child, TESSERA_CAP_XENSTORE), -XEN_EPERM,
                   "give the child xenstore (not held)");
    test_expect_rc(tset_caps(child, TESSERA_CAP_BUILD | TESSERA_CAP_CONSOLE),
                   -XEN_EPERM,
                   "give the child build+console (console not held)");
    test_expect_rc(tset_caps(DOMID_SELF, TESSERA_CAP_ALL), -XEN_EPERM,
                   "give itself every capability");
    test_expect_rc(tset_caps(child, TESSERA_CAP_BUILD), 0,
                   "give the child build (held)");
    memset(&op, 0, sizeof(op));
    test_expect_rc(tdomctl(&op, TESSERA_DOMCTL_getdomaininfo, child), 0,
                   "getdomaininfo of the child");
    test_check(op.u.getdomaininfo.caps == TESSERA_CAP_BUILD &&
                   op.u.getdomaininfo.parent != 0,
               "child: caps %#x parent %u", op.u.getdomaininfo.caps,
               op.u.getdomaininfo.parent);

    /* Its parent and the parent's memory are out of reach. */
    test_expect_rc(tdomctl0(TESSERA_DOMCTL_getdomaininfo, 0), -XEN_EPERM,
                   "getdomaininfo of its parent");
    test_expect_rc(tdomctl0(TESSERA_DOMCTL_pausedomain, 0), -XEN_EPERM,
                   "pause its parent");
    test_expect_rc(tdomctl0(TESSERA_DOMCTL_destroydomain, 0), -XEN_EPERM,
                   "destroy its parent");
    test_expect_rc(tmap_other(0, 0x100), -XEN_EPERM,
                   "map a frame of its parent");
    test_expect_rc(tpopulate(0, frames, 1), -XEN_EPERM, "populate its parent");

    /* The child's memory: until the seal. */
    memset(&op, 0, sizeof(op));
    op.u.max_mem.max_memkb = 4 * 4;
    test_expect_rc(tdomctl(&op, TESSERA_DOMCTL_max_mem, child), 0, "max_mem");
    test_expect_rc(tpopulate(child, frames, 4), 4, "populate the child");
    test_expect_rc(tmap_other(child, frames[0]), 0, "map a child frame");
    memcpy(tessera_window, "sub", 4);
    test_expect_rc(tmap_other(child, 0), 0, "unmap");
    test_expect_rc(tdomctl0(TESSERA_DOMCTL_seal, child), 0, "seal");
    test_expect_rc(tmap_other(child, frames[0]), -XEN_EPERM,
                   "map a sealed child's frame");
    test_expect_rc(tpopulate(child, frames, 1), -XEN_EPERM,
                   "populate a sealed child");
    test_expect_rc(tset_caps(child, 0), -XEN_EPERM, "set_caps after the seal");

    test_expect_rc(tdomctl0(TESSERA_DOMCTL_destroydomain, child), 0,
                   "destroy the child");
    test_expect_rc(tdomctl0(TESSERA_DOMCTL_getdomaininfo, child), -XEN_ESRCH,
                   "the child is gone");

    /* One left behind: destroying this domain must take it along. */
    memset(&op, 0, sizeof(op));
    op.u.createdomain.max_vcpus = 1;
    test_expect_rc(tdomctl(&op, TESSERA_DOMCTL_createdomain, 0), 0,
                   "create a child to leave behind");
    test_info("leaving domain %u behind", op.domain);
    test_pass_if_clean();
}
