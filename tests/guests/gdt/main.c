/*
 * gdt: a guest GDT end to end - a read-only frame of descriptors becomes
 * the GDT (set_gdt), a selector from it loads the base it describes,
 * update_descriptor changes a descriptor in use, the frame cannot be made
 * writable while it is a GDT, a call gate to the hypervisor is refused,
 * and giving the GDT up makes the frame writable again; likewise an LDT
 * (MMUEXT_SET_LDT).
 */
#include <string.h>
#include <public/errno.h>
#include <public/xen.h>
#include <rt/rt.h>
#include <rt/traps.h>

#include "../lib/mm.h"
#include "../lib/test.h"

const char test_title[] = "gdt: set_gdt, selectors, update_descriptor";

#define PTE_P  0x1UL
#define PTE_RW 0x2UL
#define PTE_A  0x20UL
#define PTE_D  0x40UL

static uint64_t gdt_page[512] __attribute__((aligned(4096)));
static uint64_t ldt_page[512] __attribute__((aligned(4096)));
static volatile uint64_t target_a = 0x1111aaaa2222bbbbULL;
static volatile uint64_t target_b = 0x3333cccc4444ddddULL;

/*
 * A flat 4 GiB DPL-3 data descriptor with a 32-bit base, Accessed already
 * set: GDT frames are read-only, so the CPU could not set it when the
 * selector is loaded (on Xen or Tessera: a #PF at the GDT's address).
 */
static uint64_t data_desc(uint32_t base)
{
    return 0xffffULL | ((uint64_t)(base & 0xffffff) << 16) | (0xf3ULL << 40) |
           (0xcfULL << 48) | ((uint64_t)(base >> 24) << 56);
}

static uint64_t read_fs0(uint16_t sel)
{
    uint64_t v;

    asm volatile("mov %1, %%fs; mov %%fs:0, %0" : "=r"(v) : "r"(sel));
    return v;
}

static long remap(bool rw)
{
    uint64_t mfn = xen_virt_to_mfn(gdt_page);

    return HYPERVISOR_update_va_mapping(
        (unsigned long)gdt_page,
        (mfn << 12) | PTE_P | PTE_A | (rw ? PTE_RW | PTE_D : 0), UVMF_INVLPG);
}

static long set_ldt(uint64_t va, unsigned int ents)
{
    struct mmuext_op op = { .cmd = MMUEXT_SET_LDT };

    op.arg1.linear_addr = va;
    op.arg2.nr_ents = ents;
    return HYPERVISOR_mmuext_op(XEN_ARG(&op), 1, 0, DOMID_SELF);
}

static long remap_ldt(bool rw)
{
    uint64_t mfn = xen_virt_to_mfn(ldt_page);
    long rc = HYPERVISOR_update_va_mapping(
        (unsigned long)ldt_page,
        (mfn << 12) | PTE_P | PTE_A | (rw ? PTE_RW | PTE_D : 0), UVMF_INVLPG);

    asm volatile("" ::: "memory");
    return rc;
}

/* The LDT: a selector with TI set loads through it; refusals as the GDT. */
static void check_ldt(void)
{
    ldt_page[1] = data_desc((uint32_t)(uintptr_t)&target_a);
    /*
     * Tessera checks LDT pages at SET_LDT; Xen 4.17 maps them lazily and
     * accepts the call, failing only the first use of a writable page.
     */
    if ( on_tessera() )
        test_expect_rc(set_ldt((uint64_t)ldt_page, 512), -XEN_EINVAL,
                       "set_ldt on a writable page");
    else
        test_expect_rc(set_ldt((uint64_t)ldt_page, 512) ? -1 : set_ldt(0, 0), 0,
                       "set_ldt on a writable page (Xen: accepted)");
    test_expect_rc(set_ldt((uint64_t)ldt_page + 8, 1), -XEN_EINVAL,
                   "set_ldt misaligned");
    test_expect_rc(set_ldt((uint64_t)ldt_page, 8193), -XEN_EINVAL,
                   "set_ldt with 8193 entries");
    test_expect_rc(remap_ldt(false), 0, "LDT page read-only");
    test_expect_rc(set_ldt((uint64_t)ldt_page, 512), 0, "set_ldt");
    test_check(read_fs0(0x0f) == target_a, "fs:0 through the LDT");
    asm volatile("mov %0, %%fs" : : "r"(0));
    test_expect_rc(set_ldt(0, 0), 0, "set_ldt(0, 0)");
    test_expect_rc(remap_ldt(true), 0, "LDT page writable again");
}

void test_main(void)
{
    unsigned long mfn = xen_virt_to_mfn(gdt_page);
    uint64_t maddr = (uint64_t)mfn << 12;
    uint64_t gate = 0x0000ec0000000000ULL | (0xe008ULL << 16);

    test_check((uintptr_t)&target_a < (1UL << 32), "image above 4 GiB");
    gdt_page[1] = data_desc((uint32_t)(uintptr_t)&target_a);

    /* A writable frame cannot become a GDT. */
    test_expect_rc(HYPERVISOR_set_gdt(XEN_ARG(&mfn), 512), -XEN_EINVAL,
                   "set_gdt on a writable frame");
    test_expect_rc(remap(false), 0, "make the frame read-only");
    test_expect_rc(HYPERVISOR_set_gdt(XEN_ARG(&mfn), 512), 0, "set_gdt");
    test_check(read_fs0(0x0b) == target_a, "fs:0 through our descriptor");

    /* Change a descriptor in use. */
    test_expect_rc(HYPERVISOR_update_descriptor(
                       maddr + 8, data_desc((uint32_t)(uintptr_t)&target_b)),
                   0, "update_descriptor in use");
    test_check(read_fs0(0x0b) == target_b, "fs:0 after update_descriptor");
    test_expect_rc(HYPERVISOR_update_descriptor(maddr + 16, gate), -XEN_EINVAL,
                   "call gate into the hypervisor");

    /* While it is a GDT, the frame stays read-only. */
    test_check(remap(true) < 0, "writable mapping of a GDT frame allowed");

    /* Give it up: back to the flat selectors, the frame writable again. */
    asm volatile("mov %0, %%fs" : : "r"(0));
    test_expect_rc(HYPERVISOR_set_gdt(0, 0), 0, "set_gdt(0 entries)");
    test_expect_rc(remap(true), 0, "writable again after release");
    gdt_page[2] = gate;
    test_expect_rc(remap(false), 0, "read-only again");
    test_expect_rc(HYPERVISOR_set_gdt(XEN_ARG(&mfn), 512), -XEN_EINVAL,
                   "set_gdt with a call gate to the hypervisor");
    check_ldt();
    test_pass_if_clean();
}
