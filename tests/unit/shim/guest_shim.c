/*
 * Host stand-in for asm/guest_access.h (see guest_shim.h).
 */
#include <string.h>

#include <hv/errno.h>
#include <asm/guest_access.h>

#include "guest_shim.h"

uint64_t shim_guest_bad;
size_t shim_guest_bad_len;
unsigned int shim_guest_reads, shim_guest_writes;

void shim_guest_reset(void)
{
    shim_guest_bad = 0;
    shim_guest_bad_len = 0;
    shim_guest_reads = 0;
    shim_guest_writes = 0;
}

bool guest_range_ok(uint64_t gva, size_t len)
{
    if ( gva < 4096 || gva + len < gva )
        return false; /* the null page, or wrapping */
    return !shim_guest_bad_len || gva + len <= shim_guest_bad ||
           gva >= shim_guest_bad + shim_guest_bad_len;
}

int copy_from_guest(void *dst, uint64_t gva, size_t len)
{
    shim_guest_reads++;
    if ( !guest_range_ok(gva, len) )
        return -EFAULT;
    memcpy(dst, (const void *)(uintptr_t)gva, len);
    return 0;
}

int copy_to_guest(uint64_t gva, const void *src, size_t len)
{
    shim_guest_writes++;
    if ( !guest_range_ok(gva, len) )
        return -EFAULT;
    memcpy((void *)(uintptr_t)gva, src, len);
    return 0;
}

int copy_string_from_guest(char *dst, uint64_t gva, size_t max)
{
    size_t i;

    shim_guest_reads++;
    for ( i = 0; i < max; i++ )
    {
        if ( !guest_range_ok(gva + i, 1) )
            return -EFAULT;
        dst[i] = *(const char *)(uintptr_t)(gva + i);
        if ( !dst[i] )
            return 0;
    }
    return -E2BIG;
}
