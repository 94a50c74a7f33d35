/*
 * Host stand-in for asm/page.h: machine address 0 is shim_ram_base, a
 * buffer the test allocates (shim_ram_setup()); the direct map is that
 * buffer.
 */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#include <hv/types.h>

extern uint8_t *shim_ram_base;

static inline void *maddr_to_virt(paddr_t pa)
{
    return shim_ram_base + pa;
}

static inline paddr_t virt_to_maddr(const void *v)
{
    return (paddr_t)((uintptr_t)v - (uintptr_t)shim_ram_base);
}

#define mfn_to_virt(mfn) maddr_to_virt((paddr_t)(mfn) << PAGE_SHIFT)
#define virt_to_mfn(v)   (virt_to_maddr(v) >> PAGE_SHIFT)

#endif /* ASM_PAGE_H */
