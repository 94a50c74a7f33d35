/*
 * Grant tables for guests (GNTTAB, v1): share own frames, map and copy
 * other domains' grants.  Used by services and test guests alike.
 *
 * Locking: none; one vCPU.  Status results are GNTST_* (0 = okay),
 * setup errors -XEN_E* values.
 */
#ifndef RT_GNTTAB_H
#define RT_GNTTAB_H

#include <stdbool.h>
#include <stdint.h>

#include <public/grant_table.h>

/* Set up and map this domain's table (one frame); 0 or -errno. */
int xen_gnttab_init(void);
/* The mapped table (xen_gnttab_init first). */
struct grant_entry_v1 *xen_gnttab_table(void);

/*
 * Grant frame mfn to domain to (readonly or not) at a free ref (the
 * reserved refs 0-7 are never handed out); the ref, or -XEN_ENOSPC.
 * Fixed refs for protocols that agree on them: xen_gnttab_grant_at.
 */
long xen_gnttab_grant(domid_t to, unsigned long mfn, bool readonly);
void xen_gnttab_grant_at(grant_ref_t ref, domid_t to, unsigned long mfn,
                         bool readonly);
/*
 * End access: succeeds (0) only when the other side has no mapping and no
 * copy in flight (GTF_reading/GTF_writing clear), atomically with the
 * check; -XEN_EBUSY otherwise (try again later).  The ref is free again.
 */
int xen_gnttab_end(grant_ref_t ref);

/* Map dom's ref at page-aligned address at (which has an L1 entry). */
int16_t xen_gnttab_map(domid_t dom, grant_ref_t ref, void *at, bool readonly,
                       grant_handle_t *handle);
int16_t xen_gnttab_unmap(void *at, grant_handle_t handle);
/* Copy len bytes between dom's ref (at off) and an own frame. */
int16_t xen_gnttab_copy(domid_t dom, grant_ref_t ref, uint16_t off,
                        unsigned long mfn, uint16_t mfn_off, uint16_t len,
                        bool from_grant);

/* A page-aligned address with an L1 entry but no mapping, or NULL. */
void *xen_va_hole(void);

#endif /* RT_GNTTAB_H */
