/*
 * Guest memory access with range checks and fault recovery.
 *
 * Locking: none; runs on the guest's page tables (the current vCPU's).
 */
#include <hv/errno.h>
#include <hv/lib.h>
#include <public/xen.h>
#include <asm/guest_access.h>

#define GUEST_LOW_END 0x0000800000000000UL /* end of the lower half */

struct ex_entry
{
    unsigned long insn, fixup;
};

extern const struct ex_entry __start_ex_table[], __stop_ex_table[];
unsigned long copy_guest_raw(void *dst, const void *src, size_t n);

unsigned long search_ex_table(unsigned long rip)
{
    const struct ex_entry *e;

    for ( e = __start_ex_table; e < __stop_ex_table; e++ )
        if ( e->insn == rip )
            return e->fixup;
    return 0;
}

bool guest_range_ok(uint64_t gva, size_t len)
{
    uint64_t end = gva + len;

    if ( end < gva )
        return false; /* wraps */
    if ( len == 0 )
        return true;
    /* Lower half, or upper half above the hypervisor's reserved range. */
    return end <= GUEST_LOW_END || gva >= HYPERVISOR_VIRT_END;
}

int copy_from_guest(void *dst, uint64_t gva, size_t len)
{
    if ( !guest_range_ok(gva, len) )
        return -EFAULT;
    return copy_guest_raw(dst, (const void *)gva, len) ? -EFAULT : 0;
}

int copy_to_guest(uint64_t gva, const void *src, size_t len)
{
    if ( !guest_range_ok(gva, len) )
        return -EFAULT;
    return copy_guest_raw((void *)gva, src, len) ? -EFAULT : 0;
}

int copy_string_from_guest(char *dst, uint64_t gva, size_t max)
{
    size_t i;

    for ( i = 0; i < max; i++ )
    {
        if ( copy_from_guest(&dst[i], gva + i, 1) )
            return -EFAULT;
        if ( !dst[i] )
            return 0;
    }
    dst[max - 1] = '\0';
    return -E2BIG;
}
