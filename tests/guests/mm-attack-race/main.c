/*
 * mm-attack-race: two vCPUs race batches of mmu_update on the same pinned
 * L1 (the same entries, writable mappings of the same frames and clears)
 * - every valid update succeeds on both, the table ends with only valid
 * entries, and once cleared no reference is left behind: every mapped
 * frame can become a page table again and the L1 a plain frame
 *
 * Needs two vCPUs: on Xen make test runs it with QEMU_SMP=2 (as vcpus).
 */
#include <public/errno.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <rt/mm.h>
#include <rt/rt.h>
#include <rt/smp.h>
#include <rt/time.h>

#include "../lib/mm.h"
#include "../lib/test.h"

const char test_title[] =
    "mm-attack-race: two vCPUs racing mmu_update on one L1";

#define ROUNDS  3000
#define BATCH   8
#define ENTRIES 64
#define FRAMES  8
#define TIMEOUT (20 * 1000000000UL)

static struct vcpu_guest_context ctx;
static uint8_t stack1[64 * 1024] __attribute__((aligned(4096)));
static long l1_pfn, frame_pfn[FRAMES];
static unsigned long l1_mfn, frame_mfn[FRAMES];
static volatile int go, finished[2];
static volatile unsigned long ok[2], failed[2];
static volatile long first_error[2];

static void race(unsigned int me)
{
    struct mmu_update u[BATCH];
    unsigned long seed = 0x9e3779b97f4a7c15UL * (me + 1);

    for ( unsigned int r = 0; r < ROUNDS; r++ )
    {
        uint32_t done = 0;
        long rc;

        for ( unsigned int i = 0; i < BATCH; i++ )
        {
            unsigned int idx, f;

            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            idx = (seed >> 33) % ENTRIES;
            f = (seed >> 45) % FRAMES;
            u[i].ptr = ((l1_mfn << PAGE_SHIFT) + 8 * idx) |
                       ((seed >> 60) & 1 ? MMU_PT_UPDATE_PRESERVE_AD
                                         : MMU_NORMAL_PT_UPDATE);
            u[i].val = (seed >> 61) & 1
                           ? 0
                           : (frame_mfn[f] << PAGE_SHIFT) | XEN_PTE_DATA;
        }
        rc = HYPERVISOR_mmu_update(XEN_ARG(u), BATCH, XEN_ARG(&done),
                                   DOMID_SELF);
        ok[me] += done;
        if ( rc )
        {
            failed[me]++;
            if ( !first_error[me] )
                first_error[me] = rc;
        }
    }
}

static void vcpu1_main(void *arg)
{
    uint64_t end = xen_system_time() + TIMEOUT;

    (void)arg;
    while ( !go && xen_system_time() < end )
        __builtin_ia32_pause();
    if ( go )
        race(1);
    __atomic_store_n(&finished[1], 1, __ATOMIC_SEQ_CST);
}

void test_main(void)
{
    const volatile uint64_t *view;
    unsigned int i, bad = 0;
    uint64_t end;
    long rc;

    l1_pfn = xen_pfn_alloc_zeroed();
    if ( l1_pfn < 0 )
        test_error("no frame");
    l1_mfn = xen_pfn_to_mfn(l1_pfn);
    for ( i = 0; i < FRAMES; i++ )
    {
        frame_pfn[i] = xen_pfn_alloc_zeroed();
        if ( frame_pfn[i] < 0 )
            test_error("no frame");
        frame_mfn[i] = xen_pfn_to_mfn(frame_pfn[i]);
    }
    test_expect_rc(mmuext1(MMUEXT_PIN_L1_TABLE, l1_mfn), 0, "pin the L1");

    if ( xen_vcpu_context(&ctx, 1, vcpu1_main, NULL, stack1, sizeof(stack1)) )
        test_error("vCPU 1 context");
    rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, XEN_ARG(&ctx));
    if ( rc )
        test_error("VCPUOP_initialise(1): %ld (one vCPU only?)", rc);
    test_expect_rc(HYPERVISOR_vcpu_op(VCPUOP_up, 1, 0), 0, "VCPUOP_up(1)");
    __atomic_store_n(&go, 1, __ATOMIC_SEQ_CST);
    race(0);
    end = xen_system_time() + TIMEOUT;
    while ( !finished[1] && xen_system_time() < end )
        HYPERVISOR_sched_op(SCHEDOP_yield, 0);
    if ( !finished[1] )
        test_fail("vCPU 1 did not finish");
    test_info("vCPU 0: %lu updates, vCPU 1: %lu", ok[0], ok[1]);
    test_check(ok[0] == ROUNDS * BATCH && ok[1] == ROUNDS * BATCH,
               "updates done: %lu + %lu of %u each (failed batches %lu %lu, "
               "first errors %ld %ld)",
               ok[0], ok[1], ROUNDS * BATCH, failed[0], failed[1],
               first_error[0], first_error[1]);

    /* Only valid entries: nothing, or one of the frames, writable. */
    view = map_ro(l1_pfn);
    if ( !view )
        test_fail("cannot map the L1 read-only");
    for ( i = 0; i < 512; i++ )
    {
        uint64_t e = view[i];
        /* PRESERVE_AD of a clear leaves A/D in a non-present entry. */
        bool valid = !(e & XEN_PTE_P) && !(e & ~(XEN_PTE_A | XEN_PTE_D));

        for ( unsigned int f = 0; f < FRAMES && !valid; f++ )
            valid = (e & XEN_PTE_ADDR) >> PAGE_SHIFT == frame_mfn[f] &&
                    (e & XEN_PTE_DATA) == XEN_PTE_DATA && i < ENTRIES;
        bad += !valid;
    }
    test_check(bad == 0, "%u entries of the L1 are not valid", bad);
    /* The table validates: pinning it again is refused only as a repeat. */
    test_expect_rc(mmuext1(MMUEXT_PIN_L1_TABLE, l1_mfn), -XEN_EINVAL,
                   "pin the L1 twice");

    /* Clear it: every writable reference must be gone. */
    for ( i = 0; i < ENTRIES; i++ )
        test_expect_rc(mmu1((l1_mfn << PAGE_SHIFT) + 8 * i, 0), 0, "clear");
    for ( i = 0; i < FRAMES; i++ )
    {
        test_expect_rc(mmuext1(MMUEXT_PIN_L1_TABLE, frame_mfn[i]), 0,
                       "a frame mapped in the race becomes an L1");
        test_expect_rc(mmuext1(MMUEXT_UNPIN_TABLE, frame_mfn[i]), 0, "unpin");
        xen_pfn_free(frame_pfn[i]);
    }
    test_expect_rc(xen_pfn_unmap(l1_pfn), 0, "unmap the view");
    test_expect_rc(mmuext1(MMUEXT_UNPIN_TABLE, l1_mfn), 0, "unpin the L1");
    test_expect_rc(xen_pfn_map(l1_pfn, XEN_PTE_DATA), 0,
                   "the L1 is a plain frame again");
    test_expect_rc(xen_pfn_unmap(l1_pfn), 0, "unmap");
    xen_pfn_free(l1_pfn);
    test_pass_if_clean();
}
