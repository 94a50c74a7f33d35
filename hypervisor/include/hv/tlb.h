/*
 * TLB shootdown and the TLB clock (common/tlb.c).
 *
 * A CPU's TLB holds translations of the hypervisor and of the one domain
 * whose page tables it last loaded (tlb_enter_domain(), by domain uid):
 * the architecture flushes everything when that changes, since guest user
 * mappings are global and outlive a CR3 write.
 *
 * The TLB clock (as Xen's): every full flush takes a new tick before it
 * starts and records it per CPU when done.  A frame freed at tick s
 * (tlb_stamp()) may still be cached by exactly the CPUs whose last flush
 * has a tick <= s; the allocator calls tlb_flush_since(s) before handing
 * the frame out again.  Stamp 0 means never mapped.
 *
 * Every shootdown is synchronous: a request is a ticket in the target's
 * request counter; the target flushes after reading it (so its flush
 * follows the requester's change) and publishes the ticket as done.  The
 * requester waits for every ticket, serving requests addressed to itself
 * meanwhile (tlb_service()), and so does every spinlock waiter, so two
 * CPUs waiting on each other, or on a lock the other holds, cannot hang.
 */
#ifndef HV_TLB_H
#define HV_TLB_H

#include <hv/types.h>

/* A full flush of this CPU, on the clock. */
void tlb_flush_local(void);
/*
 * This CPU is about to load the page tables of domain uid: recorded
 * before the CR3 write (a flusher must see it before the CPU walks them).
 * Returns the uid it held; when different, the caller flushes after the
 * write (tlb_flush_local()).
 */
uint64_t tlb_enter_domain(uint64_t uid);
/* Do the flush other CPUs asked of this one, if any (IPI, lock waits). */
void tlb_service(void);

/* Flush, and wait for: the CPUs that may hold domain uid's entries. */
void tlb_flush_domain(uint64_t uid);
/* ... the CPUs that have not flushed since tick stamp (0: none). */
void tlb_flush_since(uint64_t stamp);
/* ... every CPU. */
void tlb_flush_every(void);
/* The tick now: a stamp for a frame being freed. */
uint64_t tlb_stamp(void);

/* Provided by the architecture. */
void arch_tlb_flush_local(void);          /* everything, global entries too */
void arch_tlb_send_ipi(unsigned int cpu); /* ends in tlb_service() there */

#endif /* HV_TLB_H */
