/*
 * x86-64 hypervisor address space (Xen-compatible).
 *
 * L4 slots 256-271 (0xffff800000000000-0xffff87ffffffffff) belong to the
 * hypervisor in every address space, as in Xen:
 *   slot 256  0xffff800000000000  read-only M2P for guests (later)
 *   slot 261  0xffff82d040000000  hypervisor image (HV_VIRT_START)
 *   slot 261  0xffff82d0c0000000  fixmap: LAPIC and other MMIO
 *   slots 262-271 0xffff830000000000  direct map of all RAM (5 TiB)
 */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#include <hv/types.h>

#define HV_VIRT_START     0xffff82d040000000UL /* maps physical 0 */
#define HV_LOAD_ADDR      0x200000UL           /* physical, 2 MiB */
#define FIXMAP_VIRT_START 0xffff82d0c0000000UL
#define DIRECTMAP_START   0xffff830000000000UL
#define DIRECTMAP_SIZE    (5UL << 40)
#define HV_RESERVED_START 0xffff800000000000UL
#define HV_RESERVED_END   0xffff880000000000UL

#define __pa_image(v) ((paddr_t)(v)-HV_VIRT_START)

static inline void *maddr_to_virt(paddr_t pa)
{
    return (void *)(DIRECTMAP_START + pa);
}

static inline paddr_t virt_to_maddr(const void *v)
{
    unsigned long va = (unsigned long)v;

    if ( va >= HV_VIRT_START && va < FIXMAP_VIRT_START )
        return va - HV_VIRT_START;
    return va - DIRECTMAP_START;
}

#define mfn_to_virt(mfn) maddr_to_virt((paddr_t)(mfn) << PAGE_SHIFT)
#define virt_to_mfn(v)   (virt_to_maddr(v) >> PAGE_SHIFT)

#endif /* ASM_PAGE_H */
