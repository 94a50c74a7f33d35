/*
 * hostile-vcpu: contexts and registrations that would hand the hardware a
 * guest-writable page table, or make the hypervisor fault in ring 0, are
 * refused: VCPUOP_initialise with CR3 or the user L4 on an ordinary data
 * page, with non-canonical FS/GS bases or rip, with reserved MXCSR bits;
 * VCPUOP_register_vcpu_info inside a page-table frame.  Every refusal is
 * -EINVAL and the domain carries on.
 */
#include <string.h>
#include <public/errno.h>
#include <public/vcpu.h>
#include <rt/rt.h>

#include "../lib/test.h"

const char test_title[] = "hostile-vcpu: impossible vCPU contexts refused";

#define NONCANON 0x8000000000000000ULL

static uint8_t data_page[4096] __attribute__((aligned(4096)));
static struct vcpu_guest_context ctx;

static void good_context(void)
{
    memset(&ctx, 0, sizeof(ctx));
    ctx.flags = VGCF_in_kernel;
    ctx.user_regs.rip = (uint64_t)&good_context;
    ctx.user_regs.rsp = (uint64_t)&data_page[4096];
    ctx.user_regs.cs = FLAT_KERNEL_CS;
    ctx.user_regs.ss = FLAT_KERNEL_SS;
    ctx.ctrlreg[3] = xen_virt_to_mfn((void *)xen_start_info->pt_base) << 12;
}

static void expect_refused(const char *what)
{
    test_expect_rc(HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, XEN_ARG(&ctx)),
                   -XEN_EINVAL, what);
}

void test_main(void)
{
    uint64_t data_mfn = xen_virt_to_mfn(data_page);
    /* The frame after the L4: one of the bootstrap page tables. */
    uint64_t pt_mfn = xen_virt_to_mfn((void *)(xen_start_info->pt_base + 4096));
    struct vcpu_register_vcpu_info ri = { .mfn = pt_mfn, .offset = 0 };
    uint32_t mxcsr = 0x10000; /* reserved bit 16 */

    test_expect_rc(
        HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, XEN_ARG(&ri)),
        -XEN_EINVAL, "register_vcpu_info in a page table");

    if ( HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, 0) < 0 )
    {
        test_info("one vCPU only: the VCPUOP_initialise checks did not run");
        test_pass_if_clean();
    }

    good_context();
    ctx.ctrlreg[3] = data_mfn << 12;
    expect_refused("initialise: CR3 on a data page");

    good_context();
    ctx.ctrlreg[1] = data_mfn << 12;
    expect_refused("initialise: user L4 on a data page");

    good_context();
    ctx.fs_base = NONCANON;
    expect_refused("initialise: non-canonical FS base");

    good_context();
    ctx.gs_base_user = NONCANON;
    expect_refused("initialise: non-canonical user GS base");

    good_context();
    ctx.user_regs.rip = NONCANON;
    expect_refused("initialise: non-canonical rip");

    good_context();
    ctx.flags |= VGCF_i387_valid;
    memcpy(ctx.fpu_ctxt.x + 24, &mxcsr, sizeof(mxcsr));
    expect_refused("initialise: reserved MXCSR bits");

    test_check(HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, 0) == 0,
               "vCPU 1 came up after refused contexts");

    test_expect_rc(
        HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, XEN_ARG(&ri)),
        -XEN_EINVAL, "register_vcpu_info in a page table");
    test_pass_if_clean();
}
