/*
 * Grant pins (GNTPIN): the state machine of one grant entry — the
 * granter's shared entry and the hypervisor's active entry — apart from
 * tables, domains and frames, so that the host unit tests can drive it.
 *
 * Locking: the caller holds the granter's grant-table lock; the shared
 * entry is the granter's memory and changes under us at any time, so it
 * is only read and updated with atomics.
 */
#ifndef HV_GRANT_PIN_H
#define HV_GRANT_PIN_H

#include <hv/types.h>
#include <public/grant_table.h>

/* Pin counts of an active entry: host/device, read/write, 8 bits each. */
#define GNTPIN_hstr_inc (1U << 0)
#define GNTPIN_hstw_inc (1U << 8)
#define GNTPIN_devr_inc (1U << 16)
#define GNTPIN_devw_inc (1U << 24)
#define GNTPIN_cnt_mask 0xffU
#define GNTPIN_writers  ((GNTPIN_cnt_mask << 8) | (GNTPIN_cnt_mask << 24))

/* Compare-and-exchange attempts before an entry counts as unstable. */
#define GNTPIN_TRIES 4

struct active_grant
{
    uint32_t pin;      /* GNTPIN_* counts; 0: not in use */
    domid_t domid;     /* who pinned it */
    unsigned long mfn; /* the frame, read once at the first pin */
};

/*
 * Pin entry e (active entry act) for domain ld: the entry must permit ld
 * access, and writing unless readonly; a map (not a copy) also refuses a
 * GTF_sub_page entry, as Xen does.  GTF_reading (GTF_writing) is set
 * with one compare-and-exchange of flags and domid together, so the entry
 * cannot change between the check and the set; at the first pin the frame
 * is read once and must satisfy frame_ok (a frame the granter owns).  On
 * success inc is added and *mfn is the pinned frame.  Returns GNTST_okay,
 * GNTST_general_error (wrong type or domain, readonly, pinned by another
 * domain, a pin count at 128, an entry that kept changing) or
 * GNTST_bad_page (frame_ok said no; the bits set are cleared again).
 */
int16_t gnt_pin(struct grant_entry_v1 *e, struct active_grant *act, domid_t ld,
                bool readonly, bool map, uint32_t inc,
                bool (*frame_ok)(unsigned long frame, void *arg), void *arg,
                unsigned long *mfn);
/* Drop inc; clear GTF_writing with the last writer, GTF_reading last. */
void gnt_unpin(struct grant_entry_v1 *e, struct active_grant *act,
               uint32_t inc);

#endif /* HV_GRANT_PIN_H */
