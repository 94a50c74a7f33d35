/*
 * Test-guest library, memory: hypercall shorthands, page-table trees, fault
 * probes, the Tessera check
 *
 * Locking: none; see mm.h.
 */
#include <string.h>

#include <public/errno.h>
#include <public/version.h>
#include <rt/rt.h>
#include <rt/traps.h>

#include "mm.h"

long mmu1(uint64_t ptr, uint64_t val)
{
    struct mmu_update u = { .ptr = ptr, .val = val };

    return HYPERVISOR_mmu_update(XEN_ARG(&u), 1, 0, DOMID_SELF);
}

long mmuext2(unsigned int cmd, unsigned long arg1, unsigned long arg2)
{
    struct mmuext_op op = { .cmd = cmd };

    op.arg1.mfn = arg1;
    op.arg2.vcpumask = arg2;
    return HYPERVISOR_mmuext_op(XEN_ARG(&op), 1, 0, DOMID_SELF);
}

long mmuext1(unsigned int cmd, unsigned long arg1)
{
    return mmuext2(cmd, arg1, 0);
}

unsigned long boot_l4_mfn(void)
{
    return xen_virt_to_mfn((void *)xen_start_info->pt_base);
}

uint64_t tree_entry(const struct pt_tree *t, unsigned int level)
{
    return (t->mfn[level] << PAGE_SHIFT) + 8 * XEN_PT_INDEX(t->va, level + 1);
}

int tree_build(struct pt_tree *t, unsigned long va, unsigned long data_mfn,
               uint64_t flags)
{
    const uint64_t *l4 = (const uint64_t *)xen_start_info->pt_base;
    unsigned int i;
    long rc = 0;

    memset(t, 0, sizeof(*t));
    t->va = va;
    for ( i = 0; i < 4; i++ )
    {
        t->pfn[i] = xen_pfn_alloc_zeroed();
        if ( t->pfn[i] < 0 )
        {
            rc = t->pfn[i];
            t->pfn[i] = 0;
            tree_free(t);
            return (int)rc;
        }
        t->mfn[i] = xen_pfn_to_mfn(t->pfn[i]);
    }
    rc = mmu1(tree_entry(t, 0), (data_mfn << PAGE_SHIFT) | flags);
    for ( i = 1; i < 4 && !rc; i++ )
        rc = mmu1(tree_entry(t, i),
                  (t->mfn[i - 1] << PAGE_SHIFT) | XEN_PTE_TABLE);
    if ( !rc && XEN_PT_INDEX(va, 4) != 0 )
        rc = mmu1(t->mfn[3] << PAGE_SHIFT, l4[0]);
    if ( rc )
        tree_free(t);
    return (int)rc;
}

void tree_free(struct pt_tree *t)
{
    for ( unsigned int i = 0; i < 4; i++ )
        if ( t->pfn[i] > 0 )
        {
            xen_pfn_free(t->pfn[i]);
            t->pfn[i] = 0;
        }
}

const volatile uint64_t *map_ro(unsigned long pfn)
{
    if ( xen_pfn_map(pfn, XEN_PTE_P | XEN_PTE_A) )
        return NULL;
    return xen_pfn_to_virt(pfn);
}

bool read_faults(const volatile void *p)
{
    uint64_t before = xen_last_trap.count;

    asm volatile("1: movb (%0), %%al; 2:" XEN_EXTABLE(1b, 2b)
                 :
                 : "r"(p)
                 : "rax", "memory");
    return xen_last_trap.count == before + 1 &&
           xen_last_trap.vector == X86_EXC_PF;
}

bool write_faults(volatile void *p, uint64_t *ec)
{
    uint64_t before = xen_last_trap.count;

    asm volatile("1: movb $0x5a, (%0); 2:" XEN_EXTABLE(1b, 2b)
                 :
                 : "r"(p)
                 : "memory");
    if ( ec )
        *ec = xen_last_trap.error_code;
    return xen_last_trap.count == before + 1 &&
           xen_last_trap.vector == X86_EXC_PF;
}

bool on_tessera(void)
{
    char extra[16] = "";

    HYPERVISOR_xen_version(XENVER_extraversion, XEN_ARG(extra));
    return !strcmp(extra, "-tessera");
}
