/*
 * Descriptor validation (DESC_CHECK) for 64-bit PV guests, following
 * Xen's check_descriptor() (reference §1.6; the numbers below are its
 * rules).
 *
 * No base or limit is checked, as in Xen for 64-bit guests: in long mode
 * the CPU ignores the base and limit of CS, DS, ES and SS, and a base
 * loaded into FS or GS from a descriptor is only 32 bits wide, so no
 * descriptor can reach the hypervisor range [0xffff800000000000,
 * 0xffff880000000000).  Safety comes from DPL 3 (a guest runs at CPL 3
 * in both its kernel and user mode) and from refusing every system
 * descriptor that would hand out a privilege transition or a new
 * LDT/TSS.
 *
 * Locking: none; pure functions over the caller's copy of the slots.
 */
#include <hv/desc_check.h>
#include <hv/errno.h>
#include <public/xen.h>

/* Bits of the high 32-bit word b of a descriptor. */
#define SEG_P         (1U << 15)
#define SEG_DPL_SHIFT 13
#define SEG_DPL       (3U << SEG_DPL_SHIFT)
#define SEG_S         (1U << 12) /* code/data rather than system */
#define SEG_TYPE      (0xfU << 8)
#define TYPE_CALLGATE (0xcU << 8) /* 64-bit call gate */
#define GATE_RSVD     0xffU       /* b bits 0-7 of a 64-bit gate */

/* Xen's guest_gate_selector_okay() for a 64-bit guest. */
static bool gate_target_ok(uint16_t sel)
{
    return (sel >> 3) < FIRST_RESERVED_GDT_ENTRY || /* guest GDT area */
           sel == FLAT_KERNEL_CS ||                 /* Xen's flat code */
           (sel & 4);                               /* TI = 1: the LDT */
}

/* Decode only: the fixed-up value in *out, or false. */
static bool check(uint64_t desc, uint64_t *out)
{
    uint32_t a = (uint32_t)desc, b = desc >> 32;
    const uint32_t dpl = 3; /* every DPL below 3 is raised to 3 */
    uint16_t cs;

    *out = desc;
    /* Rule 1: a not-present descriptor always faults, so it is safe. */
    if ( !(b & SEG_P) )
        return true;

    /* Rule 2: raise the DPL to 3, the 64-bit guest kernel's RPL. */
    b = (b & ~SEG_DPL) | (dpl << SEG_DPL_SHIFT);

    /* Rule 3: code and data segments, 64-bit code included, are fine. */
    if ( b & SEG_S )
        goto good;

    /*
     * Rule 4a: system type 0 is invalid and harmless; it is the upper half
     * of a 16-byte call gate.  Xen accepts it unmodified.
     */
    if ( (b & SEG_TYPE) == 0 )
        return true;

    /* Rule 4c: every system type but the 64-bit call gate is refused. */
    if ( (b & SEG_TYPE) != TYPE_CALLGATE )
        return false;

    /* Rule 4b: a call gate to a guest-safe code selector... */
    cs = a >> 16;
    if ( !gate_target_ok(cs) )
        return false;
    /* ...gets DPL 0, so any use raises #GP; the DPL moves to cs's RPL. */
    b &= ~SEG_DPL;
    cs = (cs & ~3) | dpl;
    a = (a & 0xffffU) | ((uint32_t)cs << 16);
    /* ...and its reserved bits must be zero. */
    if ( b & GATE_RSVD )
        return false;

good:
    *out = ((uint64_t)b << 32) | a;
    return true;
}

bool desc_check(uint64_t *desc)
{
    uint64_t fixed;

    if ( !check(*desc, &fixed) )
        return false;
    *desc = fixed;
    return true;
}

int desc_check_table(uint64_t *table, unsigned int nr, unsigned int *bad)
{
    uint64_t fixed;
    unsigned int i;

    for ( i = 0; i < nr; i++ )
        if ( !check(table[i], &fixed) )
        {
            *bad = i;
            return -EINVAL;
        }
    for ( i = 0; i < nr; i++ )
    {
        check(table[i], &fixed);
        table[i] = fixed;
    }
    return 0;
}
