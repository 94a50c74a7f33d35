/*
 * Grant tables, version 1 (GNTTAB).  Xen's ABI and rules (reference §9,
 * the interface manual's "Grant tables"), our code; docs/grant.md.
 *
 * Locking (hv/grant_table.h): gt->lock for the active entries and the
 * status bits of a granter; gt->maptrack_lock for a mapper's handles; the
 * page locks (lock_both, in the architecture's hooks) only with neither
 * held.  An active entry pinned for a domain stays its until the last pin
 * goes; a shared entry is read once per pin and validated before use.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/grant_pin.h>
#include <hv/grant_table.h>
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/pagetype.h>
#include <hv/policy.h>
#include <hv/sched.h>
#include <hv/spinlock.h>
#include <asm/guest_access.h>
#include <asm/smp.h>

#define MAPTRACK_CHUNK  256
#define MAPTRACK_CHUNKS (GT_MAX_MAPTRACK / MAPTRACK_CHUNK)
#define MAPTRACK_NONE   UINT32_MAX

struct maptrack_entry
{
    uint64_t uid; /* the granter's domain_uid; 0: free */
    domid_t dom;  /* the granter */
    grant_ref_t ref;
    uint32_t flags; /* GNTMAP_* of the mapping */
    unsigned long mfn;
    uint32_t next; /* free list */
};

struct grant_table
{
    spinlock_t lock;
    unsigned int nr_frames;
    bool released; /* destroyed: the frames are gone, no entry is touched */
    unsigned long mfn[GT_MAX_FRAMES];
    struct active_grant *active[GT_MAX_FRAMES]; /* one array per frame */

    spinlock_t maptrack_lock;
    struct maptrack_entry *maptrack[MAPTRACK_CHUNKS];
    unsigned int maptrack_limit; /* handles allocated so far */
    uint32_t maptrack_free;
    unsigned int maptrack_used;
};

static unsigned int nr_entries(const struct grant_table *gt)
{
    return gt->nr_frames * GT_ENTRIES_PER_PAGE;
}

static struct grant_entry_v1 *shared_entry(struct grant_table *gt,
                                           grant_ref_t ref)
{
    struct grant_entry_v1 *page =
        mfn_to_virt(gt->mfn[ref / GT_ENTRIES_PER_PAGE]);

    return &page[ref % GT_ENTRIES_PER_PAGE];
}

static struct active_grant *active_entry(struct grant_table *gt,
                                         grant_ref_t ref)
{
    return &gt->active[ref / GT_ENTRIES_PER_PAGE][ref % GT_ENTRIES_PER_PAGE];
}

/* ---- table frames ------------------------------------------------------- */

/* Grow d's table to nr frames (gt->lock held).  0 or -ENOMEM. */
static int grow_table(struct domain *d, unsigned int nr)
{
    struct grant_table *gt = d->grant_table;

    while ( gt->nr_frames < nr )
    {
        unsigned int i = gt->nr_frames;
        struct page_info *pg = alloc_pages(0, ~0UL);

        if ( !pg )
            return -ENOMEM;
        gt->active[i] = xzalloc_array(struct active_grant, GT_ENTRIES_PER_PAGE);
        if ( !gt->active[i] )
        {
            free_pages(pg, 0);
            return -ENOMEM;
        }
        memset(mfn_to_virt(page_to_mfn(pg)), 0, PAGE_SIZE);
        /* The owner maps it (writable); it is on no page list. */
        page_set_allocated(pg, d->domain_id);
        __atomic_fetch_or(&pg->count_info, PGC_xen_shared, __ATOMIC_RELAXED);
        gt->mfn[i] = page_to_mfn(pg);
        gt->nr_frames++;
    }
    return 0;
}

int grant_table_init(struct domain *d)
{
    struct grant_table *gt = xzalloc(struct grant_table);
    int rc;

    if ( !gt )
        return -ENOMEM;
    spin_lock_init(&gt->lock);
    spin_lock_init(&gt->maptrack_lock);
    gt->maptrack_free = MAPTRACK_NONE;
    d->grant_table = gt;
    spin_lock(&gt->lock);
    rc = grow_table(d, 1);
    spin_unlock(&gt->lock);
    return rc;
}

void grant_table_free(struct domain *d)
{
    struct grant_table *gt = d->grant_table;
    unsigned int i;

    if ( !gt )
        return;
    for ( i = 0; i < GT_MAX_FRAMES; i++ )
        xfree(gt->active[i]);
    for ( i = 0; i < MAPTRACK_CHUNKS; i++ )
        xfree(gt->maptrack[i]);
    /* A domain freed without destruction (creation failed): nobody else
     * can hold its table frames. */
    if ( d->state != DOMAIN_DYING )
        for ( i = 0; i < gt->nr_frames; i++ )
            page_release_allocated(mfn_to_page(gt->mfn[i]));
    xfree(gt);
    d->grant_table = NULL;
}

/* ---- pins and the shared entries --------------------------------------- */

/* A frame the granter owns, and not one it shares with the hypervisor. */
static bool granter_frame(unsigned long frame, void *arg)
{
    const struct domain *rd = arg;
    struct page_info *pg = get_page_from_mfn(frame, rd->domain_id);
    bool ok = pg && !(pg->count_info & PGC_xen_shared);

    if ( pg )
        put_page(pg);
    return ok;
}

/* Pin ref of rd for ld (rd's gt->lock held): hv/grant_pin.h. */
static int16_t pin_grant(struct domain *rd, grant_ref_t ref, domid_t ld,
                         bool readonly, bool map, uint32_t inc,
                         unsigned long *mfn)
{
    struct grant_table *gt = rd->grant_table;

    if ( gt->released )
        return GNTST_bad_domain; /* it died after we found it */
    return gnt_pin(shared_entry(gt, ref), active_entry(gt, ref), ld, readonly,
                   map, inc, granter_frame, rd, mfn);
}

/*
 * Drop a pin (rd's gt->lock held).  Once rd's table is released (it is
 * dying) its frames may belong to anyone: nothing is written to them.
 */
static void unpin_grant(struct domain *rd, grant_ref_t ref, uint32_t inc)
{
    struct grant_table *gt = rd->grant_table;

    if ( gt->released )
        return;
    gnt_unpin(shared_entry(gt, ref), active_entry(gt, ref), inc);
}

static uint32_t pin_inc(uint32_t flags)
{
    bool ro = flags & GNTMAP_readonly;
    uint32_t inc = 0;

    if ( flags & GNTMAP_host_map )
        inc += ro ? GNTPIN_hstr_inc : GNTPIN_hstw_inc;
    if ( flags & GNTMAP_device_map )
        inc += ro ? GNTPIN_devr_inc : GNTPIN_devw_inc;
    return inc;
}

/* ---- maptrack ----------------------------------------------------------- */

static struct maptrack_entry *maptrack_entry(struct grant_table *gt, uint32_t h)
{
    return &gt->maptrack[h / MAPTRACK_CHUNK][h % MAPTRACK_CHUNK];
}

/* A free handle of gt, or MAPTRACK_NONE when it has GT_MAX_MAPTRACK. */
static uint32_t maptrack_get(struct grant_table *gt)
{
    uint32_t h = MAPTRACK_NONE;

    spin_lock(&gt->maptrack_lock);
    if ( gt->maptrack_free == MAPTRACK_NONE &&
         gt->maptrack_limit < GT_MAX_MAPTRACK )
    {
        unsigned int c = gt->maptrack_limit / MAPTRACK_CHUNK, i;

        gt->maptrack[c] = xzalloc_array(struct maptrack_entry, MAPTRACK_CHUNK);
        if ( gt->maptrack[c] )
        {
            for ( i = 0; i < MAPTRACK_CHUNK; i++ )
                gt->maptrack[c][i].next = i + 1 < MAPTRACK_CHUNK
                                              ? gt->maptrack_limit + i + 1
                                              : MAPTRACK_NONE;
            gt->maptrack_free = gt->maptrack_limit;
            gt->maptrack_limit += MAPTRACK_CHUNK;
        }
    }
    if ( gt->maptrack_free != MAPTRACK_NONE )
    {
        h = gt->maptrack_free;
        gt->maptrack_free = maptrack_entry(gt, h)->next;
        gt->maptrack_used++;
    }
    spin_unlock(&gt->maptrack_lock);
    return h;
}

static void maptrack_put(struct grant_table *gt, uint32_t h)
{
    struct maptrack_entry *m = maptrack_entry(gt, h);

    spin_lock(&gt->maptrack_lock);
    m->uid = 0;
    m->next = gt->maptrack_free;
    gt->maptrack_free = h;
    gt->maptrack_used--;
    spin_unlock(&gt->maptrack_lock);
}

/*
 * The in-use entry for handle h of gt, copied out (no lock held while it is
 * used: only its owner frees it, and a vCPU of the owner is here), or
 * false.
 */
static bool maptrack_lookup(struct grant_table *gt, uint32_t h,
                            struct maptrack_entry *out)
{
    bool ok;

    spin_lock(&gt->maptrack_lock);
    ok = h < gt->maptrack_limit && maptrack_entry(gt, h)->uid;
    if ( ok )
        *out = *maptrack_entry(gt, h);
    spin_unlock(&gt->maptrack_lock);
    return ok;
}

/* The granter of a mapping if it still exists (referenced), else NULL. */
static struct domain *granter_of(const struct maptrack_entry *m)
{
    struct domain *rd = domain_get_dying(m->dom);

    if ( rd && rd->uid != m->uid )
    {
        domain_put(rd);
        rd = NULL;
    }
    return rd;
}

/* ---- map / unmap -------------------------------------------------------- */

/* The GNTMAP_* bits a map uses; Xen ignores the others, so do we. */
#define GNTMAP_KNOWN                                         \
    (GNTMAP_device_map | GNTMAP_host_map | GNTMAP_readonly | \
     GNTMAP_application_map | GNTMAP_contains_pte | GNTMAP_guest_avail_mask)

static void map_one(struct domain *ld, struct gnttab_map_grant_ref *op)
{
    uint32_t flags = op->flags & GNTMAP_KNOWN;
    bool ro = flags & GNTMAP_readonly;
    uint32_t inc = pin_inc(flags), h;
    struct maptrack_entry *m;
    unsigned long mfn = 0;
    struct domain *rd;
    int16_t st;

    op->handle = ~0U;
    op->dev_bus_addr = 0;
    if ( !(flags & (GNTMAP_host_map | GNTMAP_device_map)) )
    {
        op->status = GNTST_bad_gntref;
        return;
    }
    if ( (flags & GNTMAP_host_map) && !op->host_addr )
    {
        op->status = GNTST_bad_virt_addr;
        return;
    }
    rd = domain_get_or_self(ld, op->dom);
    if ( !rd )
    {
        op->status = GNTST_bad_domain;
        return;
    }
    spin_lock(&rd->grant_table->lock);
    st = op->ref < nr_entries(rd->grant_table)
             ? pin_grant(rd, op->ref, ld->domain_id, ro, true, inc, &mfn)
             : GNTST_bad_gntref;
    spin_unlock(&rd->grant_table->lock);
    if ( st )
        goto out;

    h = maptrack_get(ld->grant_table);
    if ( h == MAPTRACK_NONE )
    {
        st = GNTST_no_space; /* as Xen since 4.16 */
        goto unpin;
    }
    if ( flags & GNTMAP_device_map )
    {
        st = arch_grant_get_frame(rd, mfn, ro);
        if ( st )
            goto untrack;
    }
    if ( flags & GNTMAP_host_map )
    {
        st = arch_grant_host_map(ld, rd, op->host_addr, flags, mfn);
        if ( st )
        {
            if ( flags & GNTMAP_device_map )
                arch_grant_put_frame(rd, mfn, ro);
            goto untrack;
        }
    }
    m = maptrack_entry(ld->grant_table, h);
    m->dom = rd->domain_id;
    m->ref = op->ref;
    m->flags = flags;
    m->mfn = mfn;
    __atomic_store_n(&m->uid, rd->uid, __ATOMIC_RELEASE);
    op->handle = h;
    /* Every mapping, as Xen: Linux takes a host mapping's MFN from here. */
    op->dev_bus_addr = (uint64_t)mfn << PAGE_SHIFT;
    goto out;

untrack:
    maptrack_put(ld->grant_table, h);
unpin:
    spin_lock(&rd->grant_table->lock);
    unpin_grant(rd, op->ref, inc);
    spin_unlock(&rd->grant_table->lock);
out:
    domain_put(rd);
    op->status = st;
}

/*
 * Unmap handle h: its host mapping at host_addr (replaced by the entry at
 * new_addr when nonzero), its device mapping, its pin.  The granter may be
 * gone: its frame then belongs to nobody and goes when the last mapping
 * does.
 */
static int16_t unmap_one(struct domain *ld, uint32_t h, uint64_t host_addr,
                         uint64_t dev_bus_addr, uint64_t new_addr)
{
    struct maptrack_entry m;
    struct domain *rd;
    bool ro;
    int16_t st = GNTST_okay;

    if ( !maptrack_lookup(ld->grant_table, h, &m) )
        return GNTST_bad_handle;
    ro = m.flags & GNTMAP_readonly;
    if ( (m.flags & GNTMAP_device_map) && dev_bus_addr &&
         dev_bus_addr != (uint64_t)m.mfn << PAGE_SHIFT )
        return GNTST_general_error; /* as Xen */
    rd = granter_of(&m);
    if ( m.flags & GNTMAP_host_map )
    {
        st = host_addr ? arch_grant_host_unmap(ld, rd, host_addr, m.flags,
                                               m.mfn, new_addr)
                       : GNTST_bad_virt_addr;
        if ( st )
            goto out;
    }
    if ( m.flags & GNTMAP_device_map )
        arch_grant_put_frame(rd, m.mfn, ro);
    if ( rd )
    {
        spin_lock(&rd->grant_table->lock);
        unpin_grant(rd, m.ref, pin_inc(m.flags));
        spin_unlock(&rd->grant_table->lock);
    }
    maptrack_put(ld->grant_table, h);
out:
    if ( rd )
        domain_put(rd);
    return st;
}

void grant_table_destroy(struct domain *d)
{
    struct grant_table *gt = d->grant_table;
    uint32_t h;
    unsigned int i;

    if ( !gt )
        return;
    /* Its own mappings of others' grants: their pins go back. */
    for ( h = 0; h < gt->maptrack_limit; h++ )
    {
        struct maptrack_entry m;
        struct domain *rd;

        if ( !maptrack_lookup(gt, h, &m) )
            continue;
        rd = granter_of(&m);
        if ( m.flags & GNTMAP_device_map )
            arch_grant_put_frame(rd, m.mfn, m.flags & GNTMAP_readonly);
        if ( rd )
        {
            spin_lock(&rd->grant_table->lock);
            unpin_grant(rd, m.ref, pin_inc(m.flags));
            spin_unlock(&rd->grant_table->lock);
            domain_put(rd);
        }
        maptrack_put(gt, h);
    }
    /*
     * Its table frames: they go when nobody maps them any more.  Mappers
     * still find d (dying) until its destruction ends; their unmaps must
     * not write the status bits into frames that may be reused by then.
     */
    spin_lock(&gt->lock);
    gt->released = true;
    spin_unlock(&gt->lock);
    for ( i = 0; i < gt->nr_frames; i++ )
        page_release_allocated(mfn_to_page(gt->mfn[i]));
}

/* ---- copy --------------------------------------------------------------- */

struct copy_side
{
    struct domain *d; /* referenced */
    unsigned long mfn;
    grant_ref_t ref;
    bool granted, readonly;
};

/* Take one side of a copy: a grant of ptr->domid, or a frame of ld's. */
static int16_t copy_acquire(struct domain *ld, const struct gnttab_copy_ptr *p,
                            bool gref, bool readonly, struct copy_side *s)
{
    int16_t st;

    s->granted = gref;
    s->readonly = readonly;
    if ( gref )
    {
        s->d = domain_get_or_self(ld, p->domid);
        if ( !s->d )
            return GNTST_bad_domain;
        s->ref = p->u.ref;
        spin_lock(&s->d->grant_table->lock);
        st = s->ref < nr_entries(s->d->grant_table)
                 ? pin_grant(s->d, s->ref, ld->domain_id, readonly, false,
                             readonly ? GNTPIN_hstr_inc : GNTPIN_hstw_inc,
                             &s->mfn)
                 : GNTST_bad_gntref;
        spin_unlock(&s->d->grant_table->lock);
    }
    else
    {
        /* An own frame: for a PV domain, its machine frame number. */
        if ( p->domid != DOMID_SELF && p->domid != ld->domain_id )
            return GNTST_permission_denied;
        s->d = ld;
        domain_get_ref(ld);
        s->mfn = p->u.gmfn;
        st = GNTST_okay;
    }
    if ( !st )
    {
        st = arch_grant_get_frame(s->d, s->mfn, readonly);
        if ( st && gref )
        {
            spin_lock(&s->d->grant_table->lock);
            unpin_grant(s->d, s->ref,
                        readonly ? GNTPIN_hstr_inc : GNTPIN_hstw_inc);
            spin_unlock(&s->d->grant_table->lock);
        }
    }
    if ( st )
    {
        domain_put(s->d);
        s->d = NULL;
    }
    return st;
}

static void copy_release(struct copy_side *s)
{
    if ( !s->d )
        return;
    arch_grant_put_frame(s->d, s->mfn, s->readonly);
    if ( s->granted )
    {
        spin_lock(&s->d->grant_table->lock);
        unpin_grant(s->d, s->ref,
                    s->readonly ? GNTPIN_hstr_inc : GNTPIN_hstw_inc);
        spin_unlock(&s->d->grant_table->lock);
    }
    domain_put(s->d);
    s->d = NULL;
}

static int16_t copy_one(struct domain *ld, const struct gnttab_copy *op)
{
    struct copy_side src = { 0 }, dst = { 0 };
    int16_t st;

    if ( op->flags & ~(GNTCOPY_source_gref | GNTCOPY_dest_gref) )
        return GNTST_bad_copy_arg;
    if ( op->source.offset + (unsigned int)op->len > PAGE_SIZE ||
         op->dest.offset + (unsigned int)op->len > PAGE_SIZE )
        return GNTST_bad_copy_arg;
    st = copy_acquire(ld, &op->source, op->flags & GNTCOPY_source_gref, true,
                      &src);
    if ( st )
        return st;
    st =
        copy_acquire(ld, &op->dest, op->flags & GNTCOPY_dest_gref, false, &dst);
    if ( !st )
        memmove((uint8_t *)mfn_to_virt(dst.mfn) + op->dest.offset,
                (const uint8_t *)mfn_to_virt(src.mfn) + op->source.offset,
                op->len);
    copy_release(&dst);
    copy_release(&src);
    return st;
}

/* ---- the one-off operations --------------------------------------------- */

/* The domain a table operation is about: itself, or an unsealed child. */
static struct domain *table_domain(struct domain *ld, domid_t dom, int16_t *st)
{
    struct policy_subject cs, ts;
    struct domain *d = domain_get_or_self(ld, dom);

    *st = GNTST_okay;
    if ( !d )
    {
        *st = GNTST_bad_domain;
        return NULL;
    }
    cs = policy_subject_of(ld);
    ts = policy_subject_of(d);
    if ( d != ld && policy_populate_foreign(&cs, &ts) )
    {
        domain_put(d);
        *st = GNTST_permission_denied;
        return NULL;
    }
    return d;
}

static long setup_table(struct domain *ld, uint64_t arg)
{
    struct gnttab_setup_table op;
    struct domain *d;
    unsigned int i;
    int16_t st;

    if ( copy_from_guest(&op, arg, sizeof(op)) )
        return -EFAULT;
    d = table_domain(ld, op.dom, &st);
    if ( d )
    {
        if ( op.nr_frames > GT_MAX_FRAMES )
            st = GNTST_general_error;
        else
        {
            spin_lock(&d->grant_table->lock);
            /* Found alive, dying since: its frames are released. */
            if ( d->grant_table->released )
                st = GNTST_bad_domain;
            else if ( grow_table(d, op.nr_frames) )
                st = GNTST_general_error;
            spin_unlock(&d->grant_table->lock);
        }
        for ( i = 0; !st && i < op.nr_frames; i++ )
        {
            xen_pfn_t f = d->grant_table->mfn[i];

            if ( copy_to_guest(op.frame_list + i * sizeof(f), &f, sizeof(f)) )
                st = GNTST_bad_virt_addr;
        }
        domain_put(d);
    }
    op.status = st;
    return copy_to_guest(arg, &op, sizeof(op)) ? -EFAULT : 0;
}

static long query_size(struct domain *ld, uint64_t arg)
{
    struct gnttab_query_size op;
    struct domain *d;

    if ( copy_from_guest(&op, arg, sizeof(op)) )
        return -EFAULT;
    d = table_domain(ld, op.dom, &op.status);
    if ( d )
    {
        op.nr_frames = d->grant_table->nr_frames;
        op.max_nr_frames = GT_MAX_FRAMES;
        domain_put(d);
    }
    return copy_to_guest(arg, &op, sizeof(op)) ? -EFAULT : 0;
}

static long get_version(struct domain *ld, uint64_t arg)
{
    struct gnttab_get_version op;
    struct domain *d;
    int16_t st;

    if ( copy_from_guest(&op, arg, sizeof(op)) )
        return -EFAULT;
    d = table_domain(ld, op.dom, &st);
    if ( !d )
        return st == GNTST_bad_domain ? -ESRCH : -EPERM;
    domain_put(d);
    op.version = 1;
    return copy_to_guest(arg, &op, sizeof(op)) ? -EFAULT : 0;
}

static long set_version(uint64_t arg)
{
    struct gnttab_set_version op;
    long rc;

    if ( copy_from_guest(&op, arg, sizeof(op)) )
        return -EFAULT;
    /* Version 2 is not offered: guests keep (or fall back to) version 1. */
    rc = op.version == 1 ? 0 : -EINVAL;
    op.version = 1;
    return copy_to_guest(arg, &op, sizeof(op)) ? -EFAULT : rc;
}

static long dump_table(struct domain *ld, uint64_t arg)
{
    struct gnttab_dump_table op;
    struct grant_table *gt;
    struct domain *d;
    unsigned int ref, shown = 0;

    if ( copy_from_guest(&op, arg, sizeof(op)) )
        return -EFAULT;
    d = table_domain(ld, op.dom, &op.status);
    if ( d )
    {
        gt = d->grant_table;
        spin_lock(&gt->lock);
        if ( gt->released )
            op.status = GNTST_bad_domain; /* dying since it was found */
        else
            printk("d%u: grant table: %u frames, %u entries; %u mappings "
                   "held\n",
                   d->domain_id, gt->nr_frames, nr_entries(gt),
                   gt->maptrack_used);
        for ( ref = 0; !gt->released && ref < nr_entries(gt); ref++ )
        {
            struct grant_entry_v1 *e = shared_entry(gt, ref);
            struct active_grant *act = active_entry(gt, ref);

            if ( !e->flags && !act->pin )
                continue;
            if ( shown++ == 64 )
            {
                printk("d%u:   (more entries not shown)\n", d->domain_id);
                break;
            }
            printk("d%u:   ref %u: flags %#x domid %u frame %#x pin %#x\n",
                   d->domain_id, ref, e->flags, e->domid, e->frame, act->pin);
        }
        spin_unlock(&gt->lock);
        domain_put(d);
    }
    return copy_to_guest(arg, &op, sizeof(op)) ? -EFAULT : 0;
}

/* ---- the hypercall ------------------------------------------------------ */

/* Ops between preemption checks in a batch. */
#define GNTTAB_BATCH 16

long do_grant_table_op(HYPERCALL_ARGS)
{
    struct domain *ld = current->domain;
    unsigned int cmd = a1, count = a3, i;
    uint64_t uop = a2;
    size_t size;

    switch ( cmd )
    {
    case GNTTABOP_setup_table:
    case GNTTABOP_query_size:
    case GNTTABOP_set_version:
    case GNTTABOP_get_version:
    case GNTTABOP_dump_table:
        if ( count != 1 )
            return -EINVAL;
        if ( cmd == GNTTABOP_setup_table )
            return setup_table(ld, uop);
        if ( cmd == GNTTABOP_query_size )
            return query_size(ld, uop);
        if ( cmd == GNTTABOP_set_version )
            return set_version(uop);
        if ( cmd == GNTTABOP_get_version )
            return get_version(ld, uop);
        return dump_table(ld, uop);
    case GNTTABOP_map_grant_ref:
        size = sizeof(struct gnttab_map_grant_ref);
        break;
    case GNTTABOP_unmap_grant_ref:
        size = sizeof(struct gnttab_unmap_grant_ref);
        break;
    case GNTTABOP_unmap_and_replace:
        size = sizeof(struct gnttab_unmap_and_replace);
        break;
    case GNTTABOP_copy:
        size = sizeof(struct gnttab_copy);
        break;
    default:
        return -ENOSYS; /* transfer, swap, cache_flush, v2 status frames */
    }
    if ( count > 0x10000 || !guest_range_ok(uop, (uint64_t)count * size) )
        return -EFAULT;

    for ( i = 0; i < count; i++ )
    {
        uint64_t p = uop + (uint64_t)i * size;
        union
        {
            struct gnttab_map_grant_ref map;
            struct gnttab_unmap_grant_ref unmap;
            struct gnttab_unmap_and_replace rep;
            struct gnttab_copy copy;
        } u;

        if ( i && i % GNTTAB_BATCH == 0 && hypercall_preempt_check() )
        {
            unsigned long args[5] = { cmd, p, count - i };

            return hypercall_create_continuation(__HYPERVISOR_grant_table_op, 3,
                                                 args);
        }
        /* Each op is copied in once; only its OUT fields go back. */
        if ( copy_from_guest(&u, p, size) )
            return -EFAULT;
        switch ( cmd )
        {
        case GNTTABOP_map_grant_ref:
            map_one(ld, &u.map);
            break;
        case GNTTABOP_unmap_grant_ref:
            u.unmap.status = unmap_one(ld, u.unmap.handle, u.unmap.host_addr,
                                       u.unmap.dev_bus_addr, 0);
            break;
        case GNTTABOP_unmap_and_replace:
            u.rep.status = u.rep.new_addr
                               ? unmap_one(ld, u.rep.handle, u.rep.host_addr, 0,
                                           u.rep.new_addr)
                               : GNTST_general_error;
            break;
        case GNTTABOP_copy:
            u.copy.status = copy_one(ld, &u.copy);
            break;
        }
        if ( copy_to_guest(p, &u, size) )
            return -EFAULT;
    }
    return 0;
}
