/*
 * Internals shared by the typed-page objects (pagetype.c, pt_validate.c,
 * pt_update.c); see hv/pagetype.h.
 *
 * Locking: as hv/pagetype.h: the owner's page lock is held by the caller of
 * everything here.
 */
#ifndef PT_PRIVATE_H
#define PT_PRIVATE_H

#include <hv/pagetype.h>

/*
 * type_info is changed only under the owner's page lock; the accesses are
 * atomic (relaxed) so that lock-free readers (ptwr checks) never see a torn
 * value.
 */
static inline unsigned long ti_read(const struct page_info *pg)
{
    return __atomic_load_n(&pg->type_info, __ATOMIC_RELAXED);
}

static inline void ti_write(struct page_info *pg, unsigned long ti)
{
    __atomic_store_n(&pg->type_info, ti, __ATOMIC_RELAXED);
}

/* Page-table level (1-4) of a type_info value, 0 for any other type. */
static inline unsigned int pt_level(unsigned long ti)
{
    unsigned long t = ti & PGT_type_mask;

    if ( t < PGT_l1_page_table || t > PGT_l4_page_table )
        return 0;
    return t >> PGT_type_shift;
}

static inline bool pt_hv_slot(unsigned int level, unsigned int i)
{
    return level == 4 && i >= PT_HV_SLOT_FIRST && i <= PT_HV_SLOT_LAST;
}

static inline uint64_t *pt_table(const struct page_info *pg)
{
    return mfn_to_virt(page_to_mfn(pg));
}

static inline bool pt_should_stop(const struct pt_ctx *ctx)
{
    return ctx->preempt && ctx->preempt(ctx->preempt_arg);
}

/* pt_validate.c */
uint64_t pt_disallowed(unsigned int level, const struct pt_ctx *ctx);
uint64_t pt_adjust(unsigned int level, uint64_t e);
bool pt_fastpath(uint64_t old, uint64_t e);
int pt_get_entry(unsigned int level, uint64_t e, struct page_info *ptpg,
                 struct pt_ctx *ctx);
int pt_put_entry(unsigned int level, uint64_t e, struct page_info *ptpg,
                 struct pt_ctx *ctx);
int pt_validate(struct page_info *pg, unsigned int level, struct pt_ctx *ctx);
int pt_devalidate(struct page_info *pg, unsigned int level, struct pt_ctx *ctx);

/* pagetype.c */
int pt_finish_orphan(struct page_info *pg, struct pt_ctx *ctx);

#endif /* PT_PRIVATE_H */
