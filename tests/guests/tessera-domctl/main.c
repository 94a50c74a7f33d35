/*
 * tessera-domctl: the builder's control interface and its policy, as
 * domain 0 (which holds every capability): create a child, give it memory,
 * map one of its frames, see that sealing is refused while the mapping
 * exists, seal, and that nothing can map or populate it afterwards; bad
 * versions, commands and capability bits are refused; destroying the child
 * returns everything.  Tessera-only: Xen's domctl is a different interface.
 */
#include <string.h>
#include <public/domctl.h>
#include <public/errno.h>
#include <public/sched.h>
#include <rt/mm.h>
#include <rt/rt.h>

#include "../lib/tessera.h"
#include "../lib/test.h"

const char test_title[] = "tessera-domctl: domains, memory, sealing, policy";

/*
 * A 128 MiB child: its destruction gives back 32768 frames in preemptible
 * steps (the hypervisor logs how many preemptions it took), and every
 * frame is back afterwards.
 */
static void big_child(void)
{
    static xen_pfn_t big[32768];
    struct tessera_domctl op;
    struct tessera_domctl_physinfo before;
    domid_t child;
    long rc;

    memset(&op, 0, sizeof(op));
    test_expect_rc(tdomctl(&op, TESSERA_DOMCTL_physinfo, 0), 0, "physinfo");
    before = op.u.physinfo;
    memset(&op, 0, sizeof(op));
    op.u.createdomain.max_vcpus = 1;
    test_expect_rc(tdomctl(&op, TESSERA_DOMCTL_createdomain, 0), 0,
                   "create a 128 MiB child");
    child = op.domain;
    memset(&op, 0, sizeof(op));
    op.u.max_mem.max_memkb = 128 * 1024;
    test_expect_rc(tdomctl(&op, TESSERA_DOMCTL_max_mem, child), 0, "max_mem");
    rc = tpopulate(child, big, 32768);
    test_expect_rc(rc, 32768, "populate 32768 frames");
    test_expect_rc(tdomctl0(TESSERA_DOMCTL_destroydomain, child), 0,
                   "destroy the 128 MiB child");
    test_expect_rc(tdomctl0(TESSERA_DOMCTL_getdomaininfo, child), -XEN_ESRCH,
                   "the big child is gone");
    memset(&op, 0, sizeof(op));
    test_expect_rc(tdomctl(&op, TESSERA_DOMCTL_physinfo, 0), 0, "physinfo");
    test_check(op.u.physinfo.free_pages == before.free_pages,
               "free frames: %lu before, %lu after",
               (unsigned long)before.free_pages,
               (unsigned long)op.u.physinfo.free_pages);
}

/* A child of nr frames (max_mem set, populated); its domid, 0 on failure. */
static domid_t child_with(xen_pfn_t *frames, unsigned long nr)
{
    struct tessera_domctl op;
    domid_t d;

    memset(&op, 0, sizeof(op));
    op.u.createdomain.max_vcpus = 1;
    if ( tdomctl(&op, TESSERA_DOMCTL_createdomain, 0) )
        return 0;
    d = op.domain;
    memset(&op, 0, sizeof(op));
    op.u.max_mem.max_memkb = nr * 4;
    if ( tdomctl(&op, TESSERA_DOMCTL_max_mem, d) ||
         tpopulate(d, frames, nr) != (long)nr )
    {
        tdomctl0(TESSERA_DOMCTL_destroydomain, d);
        return 0;
    }
    return d;
}

/*
 * No data crosses domains through recycled frames: a child fills its
 * frames and is destroyed; the next child's frames (largely the same ones:
 * the allocator reuses what was just freed) are all zero.
 */
static void scrubbed(void)
{
    static xen_pfn_t frames[64];
    unsigned long i, j, dirty = 0, reused = 0;
    xen_pfn_t first[64];
    domid_t a, b;

    a = child_with(frames, 64);
    test_check(a != 0, "child A with 64 frames");
    for ( i = 0; a && i < 64; i++ )
    {
        first[i] = frames[i];
        if ( tmap_other(a, frames[i]) )
            break;
        memset(tessera_window, 0xa5, sizeof(tessera_window));
    }
    test_check(i == 64, "A's frames filled: %lu of 64", i);
    tmap_other(a, 0);
    test_expect_rc(tdomctl0(TESSERA_DOMCTL_destroydomain, a), 0, "destroy A");
    b = child_with(frames, 64);
    test_check(b != 0, "child B with 64 frames");
    for ( i = 0; b && i < 64; i++ )
    {
        const uint64_t *w = (const uint64_t *)tessera_window;

        for ( j = 0; j < 64; j++ )
            reused += frames[i] == first[j];
        if ( tmap_other(b, frames[i]) )
            break;
        for ( j = 0; j < 512; j++ )
            if ( w[j] )
            {
                dirty++;
                break;
            }
    }
    tmap_other(b, 0);
    test_check(dirty == 0, "%lu of B's 64 frames not zeroed (%lu reused)",
               dirty, reused);
    test_info("B reused %lu of A's frames", reused);
    tdomctl0(TESSERA_DOMCTL_destroydomain, b);
}

static unsigned long free_frames(void)
{
    struct tessera_domctl op;

    memset(&op, 0, sizeof(op));
    return tdomctl(&op, TESSERA_DOMCTL_physinfo, 0) ? 0
                                                    : op.u.physinfo.free_pages;
}

/*
 * A child destroyed while its builder still maps one of its frames: the
 * frame outlives the child (orphaned), a new domain may take the child's
 * id, and the frame goes back when the builder's mapping goes.
 */
static void destroyed_while_mapped(void)
{
    static xen_pfn_t frames[4];
    unsigned long before = free_frames(), mid;
    domid_t a = child_with(frames, 4), b;

    test_check(a != 0, "child with 4 frames");
    test_expect_rc(tmap_other(a, frames[2]), 0, "map one of its frames");
    memcpy(tessera_window, "kept", 5);
    test_expect_rc(tdomctl0(TESSERA_DOMCTL_destroydomain, a), 0,
                   "destroy it while mapped");
    mid = free_frames();
    test_check(mid == before - 1, "one frame held by the mapping: %lu, %lu",
               before, mid);
    test_check(!memcmp(tessera_window, "kept", 5), "the mapping still works");
    b = child_with(frames, 4);
    test_check(b == a, "the id %u is reused (got %u)", a, b);
    test_expect_rc(tdomctl0(TESSERA_DOMCTL_destroydomain, b), 0,
                   "destroy the new domain with that id");
    test_expect_rc(HYPERVISOR_update_va_mapping((unsigned long)tessera_window,
                                                0, UVMF_INVLPG),
                   0, "drop the mapping");
    test_check(free_frames() == before, "every frame back: %lu, %lu", before,
               free_frames());
}

void test_main(void)
{
    struct tessera_domctl op;
    xen_pfn_t frames[16];
    domid_t child;
    long rc;

    memset(&op, 0, sizeof(op));
    op.u.createdomain.max_vcpus = 1;
    test_expect_rc(tdomctl(&op, TESSERA_DOMCTL_createdomain, 0), 0, "create");
    child = op.domain;
    test_check(child != 0, "child got domid 0");

    memset(&op, 0, sizeof(op));
    test_expect_rc(tdomctl(&op, TESSERA_DOMCTL_getdomaininfo, child), 0,
                   "getdomaininfo");
    test_check(op.u.getdomaininfo.parent == 0 &&
                   (op.u.getdomaininfo.flags & TESSERA_DOMINF_paused) &&
                   !(op.u.getdomaininfo.flags & TESSERA_DOMINF_sealed) &&
                   op.u.getdomaininfo.tot_pages == 0,
               "new child: parent %u flags %#x pages %lu",
               op.u.getdomaininfo.parent, op.u.getdomaininfo.flags,
               (unsigned long)op.u.getdomaininfo.tot_pages);

    /* Memory: nothing before max_mem, then up to it. */
    test_expect_rc(tpopulate(child, frames, 1), 0, "populate before max_mem");
    memset(&op, 0, sizeof(op));
    op.u.max_mem.max_memkb = 16 * 4;
    test_expect_rc(tdomctl(&op, TESSERA_DOMCTL_max_mem, child), 0, "max_mem");
    test_expect_rc(tpopulate(child, frames, 16), 16, "populate 16 frames");
    test_expect_rc(tpopulate(child, frames, 1), 0, "populate past max_mem");

    /* Affinity: an online CPU of the set, before the seal only. */
    memset(&op, 0, sizeof(op));
    op.u.vcpuaffinity.cpumap[0] = 1UL << 1;
    test_expect_rc(tdomctl(&op, TESSERA_DOMCTL_setvcpuaffinity, child), 0,
                   "affinity CPU 1");
    test_check(op.u.vcpuaffinity.cpu == 1, "placed on CPU %u",
               op.u.vcpuaffinity.cpu);
    op.u.vcpuaffinity.cpumap[0] = 0;
    op.u.vcpuaffinity.cpumap[1] = ~0UL; /* CPUs 64..127: none online */
    test_expect_rc(tdomctl(&op, TESSERA_DOMCTL_setvcpuaffinity, child),
                   -XEN_EINVAL, "affinity to offline CPUs");
    op.u.vcpuaffinity.vcpu = 1;
    op.u.vcpuaffinity.cpumap[0] = 1;
    test_expect_rc(tdomctl(&op, TESSERA_DOMCTL_setvcpuaffinity, child),
                   -XEN_ENOENT, "affinity of a vCPU it does not have");

    /* A mapping held by the builder blocks the seal. */
    test_expect_rc(tmap_other(child, frames[3]), 0, "map a child frame");
    memcpy(tessera_window, "tessera", 8);
    memset(&op, 0, sizeof(op));
    test_expect_rc(tdomctl(&op, TESSERA_DOMCTL_seal, child), -XEN_EBUSY,
                   "seal while mapped");
    test_expect_rc(tmap_other(child, 0), 0, "unmap");
    test_expect_rc(tdomctl(&op, TESSERA_DOMCTL_seal, child), 0, "seal");

    /* Sealed: no mapping, no memory, no context, no caps. */
    test_expect_rc(tmap_other(child, frames[3]), -XEN_EPERM, "map when sealed");
    test_expect_rc(tpopulate(child, frames, 1), -XEN_EPERM,
                   "populate when sealed");
    test_expect_rc(tset_caps(child, 0), -XEN_EPERM, "set_caps when sealed");
    memset(&op, 0, sizeof(op));
    op.u.vcpuaffinity.cpumap[0] = 1;
    test_expect_rc(tdomctl(&op, TESSERA_DOMCTL_setvcpuaffinity, child),
                   -XEN_EPERM, "affinity when sealed");

    /* Bad requests. */
    memset(&op, 0, sizeof(op));
    op.cmd = TESSERA_DOMCTL_getdomaininfo;
    op.interface_version = 0x12345678;
    op.domain = child;
    test_expect_rc(HYPERVISOR_domctl(XEN_ARG(&op)), -XEN_EACCES,
                   "wrong interface version");
    test_expect_rc(tdomctl(&op, 99, child), -XEN_ENOSYS, "unknown command");
    test_expect_rc(tdomctl(&op, TESSERA_DOMCTL_getdomaininfo, 0x7fe0),
                   -XEN_ESRCH, "no such domain");
    test_expect_rc(HYPERVISOR_domctl(0x1000), -XEN_EFAULT, "bad pointer");
    memset(&op, 0, sizeof(op));
    op.u.createdomain.max_vcpus = 1;
    test_expect_rc(tdomctl(&op, TESSERA_DOMCTL_createdomain, 0), 0,
                   "create a second child");
    {
        domid_t second = op.domain;
        test_expect_rc(tset_caps(second, 0x10), -XEN_EINVAL,
                       "undefined capability bit");
        test_expect_rc(tset_caps(second, TESSERA_CAP_XENSTORE), 0, "set_caps");
        test_expect_rc(tdomctl(&op, TESSERA_DOMCTL_destroydomain, second), 0,
                       "destroy the second child");
    }

    /* SCHEDOP_remote_shutdown: a child, never oneself. */
    {
        struct sched_remote_shutdown rs = { .domain_id = child,
                                            .reason = SHUTDOWN_reboot };

        test_expect_rc(
            HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, XEN_ARG(&rs)), 0,
            "remote_shutdown of the child");
        memset(&op, 0, sizeof(op));
        test_expect_rc(tdomctl(&op, TESSERA_DOMCTL_getdomaininfo, child), 0,
                       "getdomaininfo after remote_shutdown");
        test_check((op.u.getdomaininfo.flags & TESSERA_DOMINF_shutdown) &&
                       op.u.getdomaininfo.shutdown_reason == SHUTDOWN_reboot,
                   "child flags %#x reason %u", op.u.getdomaininfo.flags,
                   op.u.getdomaininfo.shutdown_reason);
        rs.domain_id = DOMID_SELF;
        test_expect_rc(
            HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, XEN_ARG(&rs)),
            -XEN_EINVAL, "remote_shutdown of oneself");
        rs.domain_id = 0x7fe0;
        test_expect_rc(
            HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, XEN_ARG(&rs)),
            -XEN_ESRCH, "remote_shutdown of a missing domain");
    }

    /* Destroying the child returns its frames. */
    test_expect_rc(tdomctl(&op, TESSERA_DOMCTL_destroydomain, child), 0,
                   "destroy");
    memset(&op, 0, sizeof(op));
    rc = tdomctl(&op, TESSERA_DOMCTL_getdomaininfo, child);
    test_check(rc == -XEN_ESRCH, "getdomaininfo after destroy: %ld", rc);

    big_child();
    scrubbed();
    destroyed_while_mapped();
    test_pass_if_clean();
}
