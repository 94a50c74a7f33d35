/*
 * Grant pins (hv/grant_pin.h): one entry's state machine, plain C.
 *
 * Locking: the granter's grant-table lock, held by the caller; atomics on
 * the shared entry.
 */
#include <hv/grant_pin.h>

/* The top bit of each of the four 8-bit pin counts. */
#define GNTPIN_count_top 0x80808080U

/* Flags (low 16 bits) and domid (high 16) of a v1 entry, as one word. */
static uint32_t *status_word(struct grant_entry_v1 *e)
{
    return (uint32_t *)(void *)e;
}

int16_t gnt_pin(struct grant_entry_v1 *e, struct active_grant *act, domid_t ld,
                bool readonly, bool map, uint32_t inc,
                bool (*frame_ok)(unsigned long frame, void *arg), void *arg,
                unsigned long *mfn)
{
    uint32_t *w = status_word(e), old = 0, set;
    bool first = act->pin == 0;
    unsigned int tries;

    /*
     * Xen answers GNTST_general_error to each of these refusals.  A count
     * that reached 128 refuses every further pin, as Xen does: an 8-bit
     * count must never carry into its neighbour (256 read-only pins would
     * read as one writer, and a writable pin would skip GTF_readonly).
     */
    if ( !first && (act->domid != ld || (act->pin & GNTPIN_count_top)) )
        return GNTST_general_error;
    if ( first || (!readonly && !(act->pin & GNTPIN_writers)) )
    {
        set = GTF_reading | (readonly ? 0 : GTF_writing);
        for ( tries = 0;; tries++ )
        {
            uint16_t flags;

            old = __atomic_load_n(w, __ATOMIC_ACQUIRE);
            flags = (uint16_t)old;
            if ( (flags & GTF_type_mask) != GTF_permit_access ||
                 (domid_t)(old >> 16) != ld || (map && (flags & GTF_sub_page)) )
                return GNTST_general_error;
            if ( !readonly && (flags & GTF_readonly) )
                return GNTST_general_error;
            if ( __atomic_compare_exchange_n(w, &old, old | set, false,
                                             __ATOMIC_ACQ_REL,
                                             __ATOMIC_ACQUIRE) )
                break;
            if ( tries + 1 == GNTPIN_TRIES )
                return GNTST_general_error; /* the granter keeps changing it */
        }
        if ( first )
        {
            unsigned long frame = __atomic_load_n(&e->frame, __ATOMIC_ACQUIRE);

            if ( !frame_ok(frame, arg) )
            {
                /* Not a frame of the granter's own: undo what we set. */
                __atomic_fetch_and(w, ~(uint32_t)(set & ~old),
                                   __ATOMIC_ACQ_REL);
                return GNTST_bad_page; /* as Xen 4.17 answers */
            }
            act->mfn = frame;
            act->domid = ld;
        }
    }
    act->pin += inc;
    *mfn = act->mfn;
    return GNTST_okay;
}

void gnt_unpin(struct grant_entry_v1 *e, struct active_grant *act, uint32_t inc)
{
    uint32_t *w = status_word(e);

    act->pin -= inc;
    if ( !(act->pin & GNTPIN_writers) )
        __atomic_fetch_and(w, ~(uint32_t)GTF_writing, __ATOMIC_ACQ_REL);
    if ( !act->pin )
        __atomic_fetch_and(w, ~(uint32_t)GTF_reading, __ATOMIC_ACQ_REL);
}
