/*
 * Grant tables, version 1 (GNTTAB): a domain shares its own frames with
 * another by writing entries (flags, domid, frame) into its grant table;
 * the other maps them into its page tables or copies through them, and the
 * hypervisor keeps the granter's GTF_reading / GTF_writing bits true while
 * it does.  Theory of operation and the refusal rules: docs/grant.md.
 *
 * Locking: a domain's gt->lock guards its active entries and the status
 * bits the hypervisor sets in its shared entries; a domain's maptrack has
 * gt->maptrack_lock.  Neither is held while page tables are written (the
 * two domains' page locks, lock_both()); the grant lock is an inner lock of
 * nothing and nests nothing.
 */
#ifndef HV_GRANT_TABLE_H
#define HV_GRANT_TABLE_H

#include <hv/types.h>
#include <public/grant_table.h>

struct domain;

#define GT_MAX_FRAMES       32    /* 16384 v1 entries */
#define GT_ENTRIES_PER_PAGE 512   /* v1 entries are 8 bytes */
#define GT_MAX_MAPTRACK     16384 /* mappings one domain may hold */

/* A domain's grant table (created with it, one frame). */
int grant_table_init(struct domain *d);
/*
 * d is being destroyed: give back the pins its mappings hold in other
 * domains' tables (its page tables, and with them its mapping references,
 * go with its frames), and its grant-table frames.
 */
void grant_table_destroy(struct domain *d);
/* Free what grant_table_init allocated (domain free). */
void grant_table_free(struct domain *d);

/*
 * Provided by the architecture: put or take a host mapping of a granted
 * frame into ld's page tables.  host_addr is a virtual address in ld's
 * current address space, or with GNTMAP_contains_pte the machine address
 * of an entry of one of ld's L1 page tables.  The mapping takes its own
 * references on mfn (a writable type too unless GNTMAP_readonly); rd is
 * the granter, or NULL once it is gone (unmap only).  Unmap checks that
 * host_addr maps mfn, removes it (new_addr != 0: moves the entry at
 * new_addr there instead and clears new_addr) and flushes every TLB.
 * Return GNTST_* codes.
 */
int16_t arch_grant_host_map(struct domain *ld, struct domain *rd,
                            uint64_t host_addr, uint32_t flags,
                            unsigned long mfn);
int16_t arch_grant_host_unmap(struct domain *ld, struct domain *rd,
                              uint64_t host_addr, uint32_t flags,
                              unsigned long mfn, uint64_t new_addr);
/* A general reference, and a writable type unless readonly, for rd. */
int16_t arch_grant_get_frame(struct domain *rd, unsigned long mfn,
                             bool readonly);
void arch_grant_put_frame(struct domain *rd, unsigned long mfn, bool readonly);

#endif /* HV_GRANT_TABLE_H */
