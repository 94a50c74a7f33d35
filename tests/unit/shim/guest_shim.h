/*
 * Guest memory for host unit tests (guest_shim.c): a guest virtual address
 * is a pointer into the test process, except in the window a test marks
 * bad, where every access fails with -EFAULT as an unmapped guest page
 * would.  Every copy is counted, so a test can check that a structure was
 * read once (no double fetch).
 */
#ifndef GUEST_SHIM_H
#define GUEST_SHIM_H

#include <hv/types.h>

/* Accesses overlapping [shim_guest_bad, shim_guest_bad + len) fail. */
extern uint64_t shim_guest_bad;
extern size_t shim_guest_bad_len;

/* copy_from_guest() / copy_to_guest() calls (failed ones included). */
extern unsigned int shim_guest_reads, shim_guest_writes;

/* Guest address of a test buffer. */
static inline uint64_t shim_gva(const void *p)
{
    return (uint64_t)(uintptr_t)p;
}

/* Forget the bad window and the counts. */
void shim_guest_reset(void);

#endif /* GUEST_SHIM_H */
