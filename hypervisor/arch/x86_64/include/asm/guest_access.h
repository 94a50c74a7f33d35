/*
 * Access to guest memory from the hypervisor.
 *
 * Guest pointers are hostile: a range is accepted only when it lies wholly
 * in the guest's part of the address space (below the canonical hole, or
 * above the hypervisor's reserved range), and the copy itself recovers from
 * faults (unmapped pages, read-only pages such as the guest's page tables)
 * through the exception-fixup table.  Each returns 0 or -EFAULT.
 *
 * Copy a guest structure once into hypervisor memory, then validate and use
 * the copy: never read the same guest field twice.
 */
#ifndef ASM_GUEST_ACCESS_H
#define ASM_GUEST_ACCESS_H

#include <hv/types.h>

bool guest_range_ok(uint64_t gva, size_t len);
int copy_from_guest(void *dst, uint64_t gva, size_t len);
int copy_to_guest(uint64_t gva, const void *src, size_t len);
/* Copy a NUL-terminated string of at most max-1 bytes; -E2BIG if longer. */
int copy_string_from_guest(char *dst, uint64_t gva, size_t max);

/* Exception fixup: the recovery address for a faulting rip, or 0. */
unsigned long search_ex_table(unsigned long rip);

#endif /* ASM_GUEST_ACCESS_H */
