/*
 * Unit tests for common/grant_table.c (grant tables v1) through
 * do_grant_table_op(), over tests/unit/shim/gnttab_env.c: fake domains,
 * real frames and typed-page references, the arch_grant_* hooks recorded.
 * Every operation and its refusals, the status bits and pin counts, the
 * maptrack, copy bounds and per-op status, preemption, a granter that
 * rewrites or revokes an entry while it is mapped, and the destruction of
 * either side while mapped.  Every test ends by destroying every domain and
 * checking that every frame, every heap allocation and every domain
 * structure went back.  The granter's pin counts are read from
 * GNTTABOP_dump_table's output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hv/errno.h>
#include <hv/grant_pin.h>
#include <hv/hypercall.h>
#include <hv/pagetype.h>
#include <hv/policy.h>
#include "gnttab_env.h"
#include "guest_shim.h"
#include "pt_shim.h"
#include "shim.h"

#define DA  1  /* the granter */
#define DB  2  /* the mapper */
#define DC  3  /* a third domain */
#define DBL 10 /* a builder (BUILD capability) */
#define DCH 11 /* its unsealed child */
#define DSE 12 /* its sealed child */
#define DNO 99 /* no such domain */

#define REF       8 /* the first ref a guest allocates */
#define PERM      GTF_permit_access
#define RO        GNTMAP_readonly
#define HOST      GNTMAP_host_map
#define DEV       GNTMAP_device_map
#define NO_HANDLE 0xffffffffU

static struct domain *A, *B, *C;
static unsigned long start_free, heap_base;

static int setup(void **state)
{
    (void)state;
    env_setup();
    start_free = page_alloc_free_frames();
    heap_base = shim_xmalloc_live;
    A = env_domain(DA, 0, 0);
    B = env_domain(DB, 0, 0);
    C = env_domain(DC, 0, 0);
    return 0;
}

static int teardown(void **state)
{
    unsigned long mfn;

    (void)state;
    env_teardown();
    /* Nothing leaks: domains, heap, frames and their counts. */
    assert_int_equal(env_live_domains(), 0);
    assert_int_equal(shim_xmalloc_live, heap_base);
    assert_int_equal(page_alloc_free_frames(), start_free);
    for ( mfn = 1; mfn < ENV_RAM_FRAMES; mfn++ )
    {
        assert_int_equal(frame_table[mfn].count_info & PGC_count_mask, 0);
        assert_int_equal(frame_table[mfn].type_info & PGT_count_mask, 0);
    }
    env_free();
    return 0;
}

/* ---- helpers -------------------------------------------------------------- */

static long gnttab(struct domain *as, unsigned int cmd, void *ops,
                   unsigned int count)
{
    env_run_as(as);
    return do_grant_table_op(cmd, shim_gva(ops), count, 0, 0);
}

static unsigned int table_frames(struct domain *d, xen_pfn_t *frames)
{
    struct gnttab_query_size q = { .dom = DOMID_SELF };
    struct gnttab_setup_table s = { .dom = DOMID_SELF };

    assert_int_equal(gnttab(d, GNTTABOP_query_size, &q, 1), 0);
    assert_int_equal(q.status, GNTST_okay);
    s.nr_frames = q.nr_frames;
    s.frame_list = shim_gva(frames);
    assert_int_equal(gnttab(d, GNTTABOP_setup_table, &s, 1), 0);
    assert_int_equal(s.status, GNTST_okay);
    return q.nr_frames;
}

/* d's shared entry ref, as d sees it in its table frames. */
static struct grant_entry_v1 *entry(struct domain *d, grant_ref_t ref)
{
    xen_pfn_t frames[GT_MAX_FRAMES];
    unsigned int n = table_frames(d, frames);

    assert_true(ref < n * GT_ENTRIES_PER_PAGE);
    return (struct grant_entry_v1 *)mfn_to_virt(
               frames[ref / GT_ENTRIES_PER_PAGE]) +
           ref % GT_ENTRIES_PER_PAGE;
}

/* The granter publishes an entry (frame and domid, then flags). */
static struct grant_entry_v1 *grant(struct domain *d, grant_ref_t ref,
                                    domid_t to, unsigned long frame,
                                    uint16_t flags)
{
    struct grant_entry_v1 *e = entry(d, ref);

    e->domid = to;
    e->frame = (uint32_t)frame;
    e->flags = flags;
    return e;
}

static struct gnttab_map_grant_ref map(struct domain *ld, domid_t dom,
                                       grant_ref_t ref, uint32_t flags,
                                       uint64_t addr)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = addr,
        .flags = flags,
        .ref = ref,
        .dom = dom,
        .status = 0x5555,
        .handle = 0x12345678,
        .dev_bus_addr = 0x5555,
    };

    assert_int_equal(gnttab(ld, GNTTABOP_map_grant_ref, &op, 1), 0);
    return op;
}

/* Map and expect success; returns the handle. */
static uint32_t map_ok(struct domain *ld, domid_t dom, grant_ref_t ref,
                       uint32_t flags, uint64_t addr)
{
    struct gnttab_map_grant_ref op = map(ld, dom, ref, flags, addr);

    assert_int_equal(op.status, GNTST_okay);
    assert_int_not_equal(op.handle, NO_HANDLE);
    return op.handle;
}

static int16_t unmap(struct domain *ld, uint32_t handle, uint64_t addr,
                     uint64_t dev)
{
    struct gnttab_unmap_grant_ref op = {
        .host_addr = addr,
        .dev_bus_addr = dev,
        .handle = handle,
        .status = 0x5555,
    };

    assert_int_equal(gnttab(ld, GNTTABOP_unmap_grant_ref, &op, 1), 0);
    return op.status;
}

/*
 * The granter's pin count of ref from dump_table's line for it ("ref R:
 * ... pin P"), 0 when the line is missing (neither flags nor pins).
 */
static unsigned int pin_of(struct domain *d, grant_ref_t ref)
{
    struct gnttab_dump_table op = { .dom = DOMID_SELF, .status = 0x5555 };
    char key[32];
    const char *l, *p;
    unsigned int pin;

    shim_console_reset();
    assert_int_equal(gnttab(d, GNTTABOP_dump_table, &op, 1), 0);
    assert_int_equal(op.status, GNTST_okay);
    snprintf(key, sizeof(key), " ref %u: ", ref);
    l = strstr(shim_console, key);
    if ( !l )
        return 0;
    p = strstr(l, " pin ");
    assert_non_null(p);
    assert_int_equal(sscanf(p, " pin %x", &pin), 1);
    return pin;
}

static unsigned long refs(unsigned long mfn)
{
    return frame_table[mfn].count_info & PGC_count_mask;
}

static unsigned long type_refs(unsigned long mfn)
{
    return frame_table[mfn].type_info & PGT_count_mask;
}

static bool is_free(unsigned long mfn)
{
    return frame_table[mfn].count_info & PGC_free;
}

static void fill(unsigned long mfn, uint8_t v)
{
    memset(mfn_to_virt(mfn), v, PAGE_SIZE);
}

static uint8_t *bytes(unsigned long mfn)
{
    return mfn_to_virt(mfn);
}

/* ---- setup_table, query_size ---------------------------------------------- */

static void test_setup_table_grows_own_table_and_lists_its_frames(void **state)
{
    struct gnttab_setup_table s = { .dom = DOMID_SELF, .nr_frames = 3 };
    struct gnttab_query_size q = { .dom = DA };
    xen_pfn_t first[1], frames[4] = { 0 };
    unsigned int i;

    (void)state;
    assert_int_equal(table_frames(A, first), 1);
    s.frame_list = shim_gva(frames);
    assert_int_equal(gnttab(A, GNTTABOP_setup_table, &s, 1), 0);
    assert_int_equal(s.status, GNTST_okay);
    assert_int_equal(frames[0], first[0]); /* grows, keeps frame 0 */
    assert_int_equal(frames[3], 0);        /* writes nr_frames entries */
    for ( i = 0; i < 3; i++ )
    {
        /* The owner's, shared with the hypervisor. */
        assert_int_equal(frame_table[frames[i]].owner, DA);
        assert_true(frame_table[frames[i]].count_info & PGC_xen_shared);
        assert_true(frame_table[frames[i]].count_info & PGC_allocated);
    }
    assert_int_not_equal(frames[1], frames[2]);
    /* Its own id works as DOMID_SELF does. */
    assert_int_equal(gnttab(A, GNTTABOP_query_size, &q, 1), 0);
    assert_int_equal(q.status, GNTST_okay);
    assert_int_equal(q.nr_frames, 3);
    assert_int_equal(q.max_nr_frames, GT_MAX_FRAMES);
    /* Asking for fewer lists fewer and never shrinks the table. */
    memset(frames, 0, sizeof(frames));
    s.nr_frames = 1;
    assert_int_equal(gnttab(A, GNTTABOP_setup_table, &s, 1), 0);
    assert_int_equal(s.status, GNTST_okay);
    assert_int_equal(frames[0], first[0]);
    assert_int_equal(frames[1], 0);
    assert_int_equal(table_frames(A, frames), 3);
    /* An entry in the third frame is usable. */
    grant(A, 2 * GT_ENTRIES_PER_PAGE + 7, DB, env_frame(A), PERM);
    (void)map_ok(B, DA, 2 * GT_ENTRIES_PER_PAGE + 7, DEV | RO, 0);
}

static void test_setup_table_too_many_frames_general_error(void **state)
{
    struct gnttab_setup_table s = { .dom = DOMID_SELF };
    xen_pfn_t frames[GT_MAX_FRAMES + 1] = { 0 };

    (void)state;
    s.frame_list = shim_gva(frames);
    s.nr_frames = GT_MAX_FRAMES + 1;
    assert_int_equal(gnttab(A, GNTTABOP_setup_table, &s, 1), 0);
    assert_int_equal(s.status, GNTST_general_error);
    assert_int_equal(frames[0], 0);
    assert_int_equal(table_frames(A, frames), 1);
    s.nr_frames = 0xffffffffU;
    assert_int_equal(gnttab(A, GNTTABOP_setup_table, &s, 1), 0);
    assert_int_equal(s.status, GNTST_general_error);
    /* The maximum itself is fine. */
    s.nr_frames = GT_MAX_FRAMES;
    assert_int_equal(gnttab(A, GNTTABOP_setup_table, &s, 1), 0);
    assert_int_equal(s.status, GNTST_okay);
    assert_int_equal(table_frames(A, frames), GT_MAX_FRAMES);
}

static void test_setup_table_allocation_failure_general_error(void **state)
{
    struct gnttab_setup_table s = { .dom = DOMID_SELF, .nr_frames = 2 };
    xen_pfn_t frames[2];

    (void)state;
    s.frame_list = shim_gva(frames);
    shim_xmalloc_fail = 1; /* the active entries of the new frame */
    assert_int_equal(gnttab(A, GNTTABOP_setup_table, &s, 1), 0);
    assert_int_equal(s.status, GNTST_general_error);
    assert_int_equal(table_frames(A, frames), 1); /* its frame went back */
}

static void test_setup_table_bad_domain(void **state)
{
    struct gnttab_setup_table s = { .dom = DNO, .nr_frames = 1 };
    struct gnttab_query_size q = { .dom = DNO };
    xen_pfn_t frames[1] = { 0 };

    (void)state;
    s.frame_list = shim_gva(frames);
    assert_int_equal(gnttab(A, GNTTABOP_setup_table, &s, 1), 0);
    assert_int_equal(s.status, GNTST_bad_domain);
    assert_int_equal(frames[0], 0);
    assert_int_equal(gnttab(A, GNTTABOP_query_size, &q, 1), 0);
    assert_int_equal(q.status, GNTST_bad_domain);
    /* Reserved ids are no domain either. */
    s.dom = DOMID_XEN;
    assert_int_equal(gnttab(A, GNTTABOP_setup_table, &s, 1), 0);
    assert_int_equal(s.status, GNTST_bad_domain);
}

static void test_setup_table_of_child_needs_build_on_unsealed(void **state)
{
    struct domain *bl = env_domain(DBL, 0, TESSERA_CAP_BUILD);
    struct domain *ch = env_domain(DCH, DBL, 0);
    struct domain *se = env_domain(DSE, DBL, 0);
    struct gnttab_setup_table s = { .dom = DCH, .nr_frames = 2 };
    struct gnttab_query_size q = { .dom = DCH };
    xen_pfn_t frames[2] = { 0 };

    (void)state;
    se->sealed = true;
    s.frame_list = shim_gva(frames);
    /* The builder on its unsealed child: the child's frames. */
    assert_int_equal(gnttab(bl, GNTTABOP_setup_table, &s, 1), 0);
    assert_int_equal(s.status, GNTST_okay);
    assert_int_equal(frame_table[frames[0]].owner, DCH);
    assert_int_equal(frame_table[frames[1]].owner, DCH);
    assert_int_equal(gnttab(bl, GNTTABOP_query_size, &q, 1), 0);
    assert_int_equal(q.status, GNTST_okay);
    assert_int_equal(q.nr_frames, 2);
    /* Sealed: refused, and the table stays as it was. */
    s.dom = DSE;
    s.nr_frames = 3;
    assert_int_equal(gnttab(bl, GNTTABOP_setup_table, &s, 1), 0);
    assert_int_equal(s.status, GNTST_permission_denied);
    q.dom = DSE;
    assert_int_equal(gnttab(bl, GNTTABOP_query_size, &q, 1), 0);
    assert_int_equal(q.status, GNTST_permission_denied);
    assert_int_equal(table_frames(se, frames), 1);
    /* A domain without BUILD, even the parent, and a non-parent. */
    bl->caps = 0;
    s.dom = DCH;
    assert_int_equal(gnttab(bl, GNTTABOP_setup_table, &s, 1), 0);
    assert_int_equal(s.status, GNTST_permission_denied);
    assert_int_equal(gnttab(A, GNTTABOP_setup_table, &s, 1), 0);
    assert_int_equal(s.status, GNTST_permission_denied);
    s.dom = DB;
    assert_int_equal(gnttab(A, GNTTABOP_setup_table, &s, 1), 0);
    assert_int_equal(s.status, GNTST_permission_denied);
    q.dom = DB;
    assert_int_equal(gnttab(A, GNTTABOP_query_size, &q, 1), 0);
    assert_int_equal(q.status, GNTST_permission_denied);
    assert_int_equal(table_frames(ch, frames), 2);
    assert_int_equal(table_frames(B, frames), 1);
}

static void test_setup_table_faults(void **state)
{
    struct gnttab_setup_table s = { .dom = DOMID_SELF, .nr_frames = 1 };
    xen_pfn_t frames[1];

    (void)state;
    /* An unwritable frame list: the op's status says so. */
    s.frame_list = shim_gva(frames);
    shim_guest_bad = shim_gva(frames);
    shim_guest_bad_len = sizeof(frames);
    assert_int_equal(gnttab(A, GNTTABOP_setup_table, &s, 1), 0);
    assert_int_equal(s.status, GNTST_bad_virt_addr);
    /* An unreadable op: -EFAULT. */
    shim_guest_bad = shim_gva(&s);
    shim_guest_bad_len = sizeof(s);
    assert_int_equal(gnttab(A, GNTTABOP_setup_table, &s, 1), -EFAULT);
    shim_guest_reset();
}

static void test_single_ops_need_count_one(void **state)
{
    static const unsigned int cmds[] = {
        GNTTABOP_setup_table, GNTTABOP_query_size, GNTTABOP_set_version,
        GNTTABOP_get_version, GNTTABOP_dump_table,
    };
    uint8_t buf[64];
    unsigned int i;

    (void)state;
    for ( i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++ )
    {
        memset(buf, 0xa5, sizeof(buf));
        assert_int_equal(gnttab(A, cmds[i], buf, 0), -EINVAL);
        assert_int_equal(gnttab(A, cmds[i], buf, 2), -EINVAL);
        assert_int_equal(buf[0], 0xa5); /* nothing written */
        assert_int_equal(buf[8], 0xa5);
    }
}

static void test_unsupported_ops_enosys(void **state)
{
    static const unsigned int cmds[] = {
        GNTTABOP_transfer,
        GNTTABOP_get_status_frames,
        GNTTABOP_swap_grant_ref,
        GNTTABOP_cache_flush,
        13,
        63,
        0x100,
    };
    uint8_t buf[64] = { 0 };
    unsigned int i;

    (void)state;
    for ( i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++ )
        assert_int_equal(gnttab(A, cmds[i], buf, 1), -ENOSYS);
}

/* ---- versions, dump_table --------------------------------------------------- */

static void test_set_version_only_1(void **state)
{
    struct gnttab_set_version sv = { .version = 1 };
    struct gnttab_get_version gv = { .dom = DOMID_SELF };

    (void)state;
    assert_int_equal(gnttab(A, GNTTABOP_set_version, &sv, 1), 0);
    assert_int_equal(sv.version, 1);
    sv.version = 2;
    assert_int_equal(gnttab(A, GNTTABOP_set_version, &sv, 1), -EINVAL);
    assert_int_equal(sv.version, 1); /* the version in force */
    sv.version = 0;
    assert_int_equal(gnttab(A, GNTTABOP_set_version, &sv, 1), -EINVAL);
    assert_int_equal(sv.version, 1);
    gv.version = 77;
    assert_int_equal(gnttab(A, GNTTABOP_get_version, &gv, 1), 0);
    assert_int_equal(gv.version, 1);
    shim_guest_bad = shim_gva(&sv);
    shim_guest_bad_len = sizeof(sv);
    assert_int_equal(gnttab(A, GNTTABOP_set_version, &sv, 1), -EFAULT);
    shim_guest_reset();
}

static void test_get_version_errors(void **state)
{
    struct domain *bl = env_domain(DBL, 0, TESSERA_CAP_BUILD);
    struct gnttab_get_version gv = { .dom = DA, .version = 77 };

    (void)state;
    env_domain(DCH, DBL, 0);
    assert_int_equal(gnttab(A, GNTTABOP_get_version, &gv, 1), 0);
    assert_int_equal(gv.version, 1);
    gv.dom = DNO;
    gv.version = 77;
    assert_int_equal(gnttab(A, GNTTABOP_get_version, &gv, 1), -ESRCH);
    gv.dom = DB;
    assert_int_equal(gnttab(A, GNTTABOP_get_version, &gv, 1), -EPERM);
    assert_int_equal(gv.version, 77);
    gv.dom = DCH;
    assert_int_equal(gnttab(bl, GNTTABOP_get_version, &gv, 1), 0);
    assert_int_equal(gv.version, 1);
}

static void test_dump_table_lists_entries_and_pins(void **state)
{
    struct gnttab_dump_table op = { .dom = DOMID_SELF };
    unsigned long f = env_frame(A);

    (void)state;
    grant(A, REF, DB, f, PERM);
    grant(A, REF + 1, DC, f, PERM | GTF_readonly);
    (void)map_ok(B, DA, REF, HOST, ENV_VA_OF(0));
    shim_console_reset();
    assert_int_equal(gnttab(A, GNTTABOP_dump_table, &op, 1), 0);
    assert_int_equal(op.status, GNTST_okay);
    assert_non_null(strstr(shim_console, "1 frames, 512 entries"));
    assert_non_null(strstr(shim_console, " ref 8: flags 0x19 domid 2"));
    assert_non_null(strstr(shim_console, " ref 9: flags 0x5 domid 3"));
    assert_null(strstr(shim_console, " ref 10:"));
    assert_int_equal(pin_of(A, REF), GNTPIN_hstw_inc);
    assert_int_equal(pin_of(A, REF + 1), 0);
    /* Another domain's table: refused; a missing one: bad domain. */
    op.dom = DA;
    assert_int_equal(gnttab(B, GNTTABOP_dump_table, &op, 1), 0);
    assert_int_equal(op.status, GNTST_permission_denied);
    op.dom = DNO;
    assert_int_equal(gnttab(B, GNTTABOP_dump_table, &op, 1), 0);
    assert_int_equal(op.status, GNTST_bad_domain);
}

/* ---- map_grant_ref ---------------------------------------------------------- */

static void test_map_host_rw_sets_reading_and_writing(void **state)
{
    unsigned long f = env_frame(A);
    struct grant_entry_v1 *e = grant(A, REF, DB, f, PERM);
    struct gnttab_map_grant_ref op;
    struct env_pte *p = env_pte(B, ENV_VA_OF(3));

    (void)state;
    op = map(B, DA, REF, HOST | (1U << 16) | (1U << 18), ENV_VA_OF(3));
    assert_int_equal(op.status, GNTST_okay);
    assert_int_not_equal(op.handle, NO_HANDLE);
    /* Xen returns the frame's machine address for every mapping. */
    assert_int_equal(op.dev_bus_addr, (uint64_t)f << PAGE_SHIFT);
    assert_int_equal(e->flags, PERM | GTF_reading | GTF_writing);
    assert_int_equal(e->domid, DB);
    /* The architecture was asked for exactly this mapping. */
    assert_int_equal(env_hooks.host_maps, 1);
    assert_int_equal(env_hooks.last_map.ld, DB);
    assert_int_equal(env_hooks.last_map.rd, DA);
    assert_int_equal(env_hooks.last_map.addr, ENV_VA_OF(3));
    assert_int_equal(env_hooks.last_map.mfn, f);
    assert_int_equal(env_hooks.last_map.flags, HOST | (1U << 16) | (1U << 18));
    assert_false(env_hooks.last_map.readonly);
    assert_int_equal(env_hooks.get_frames, 0);
    assert_true(p->present && p->rw);
    assert_int_equal(p->mfn, f);
    assert_int_equal(refs(f), 2);      /* allocation + mapping */
    assert_int_equal(type_refs(f), 1); /* writable */
    assert_int_equal(pin_of(A, REF), GNTPIN_hstw_inc);
    /* Unmap: everything back. */
    assert_int_equal(unmap(B, op.handle, ENV_VA_OF(3), 0), GNTST_okay);
    assert_int_equal(e->flags, PERM);
    assert_false(p->present);
    assert_int_equal(refs(f), 1);
    assert_int_equal(type_refs(f), 0);
    assert_int_equal(pin_of(A, REF), 0);
    assert_int_equal(env_hooks.last_unmap.mfn, f);
    assert_int_equal(env_hooks.last_unmap.rd, DA);
}

static void test_map_host_ro_sets_reading_only(void **state)
{
    unsigned long f = env_frame(A);
    struct grant_entry_v1 *e = grant(A, REF, DB, f, PERM);
    uint32_t h;

    (void)state;
    h = map_ok(B, DA, REF, HOST | RO, ENV_VA_OF(0));
    assert_int_equal(e->flags, PERM | GTF_reading);
    assert_true(env_hooks.last_map.readonly);
    assert_false(env_pte(B, ENV_VA_OF(0))->rw);
    assert_int_equal(refs(f), 2);
    assert_int_equal(type_refs(f), 0); /* no writable type */
    assert_int_equal(pin_of(A, REF), GNTPIN_hstr_inc);
    assert_int_equal(unmap(B, h, ENV_VA_OF(0), 0), GNTST_okay);
    assert_int_equal(e->flags, PERM);
    assert_int_equal(refs(f), 1);
}

static void test_map_readonly_grant_refuses_rw_map(void **state)
{
    unsigned long f = env_frame(A);
    struct grant_entry_v1 *e = grant(A, REF, DB, f, PERM | GTF_readonly);
    struct gnttab_map_grant_ref op;
    uint32_t h;

    (void)state;
    op = map(B, DA, REF, HOST, ENV_VA_OF(0));
    assert_int_equal(op.status, GNTST_general_error);
    assert_int_equal(op.handle, NO_HANDLE);
    assert_int_equal(e->flags, PERM | GTF_readonly);
    assert_int_equal(env_hooks.host_maps, 0);
    op = map(B, DA, REF, DEV, 0);
    assert_int_equal(op.status, GNTST_general_error);
    assert_int_equal(env_hooks.get_frames, 0);
    /* Read-only is fine, and does not open the way to a writer. */
    h = map_ok(B, DA, REF, HOST | RO, ENV_VA_OF(0));
    assert_int_equal(e->flags, PERM | GTF_readonly | GTF_reading);
    op = map(B, DA, REF, HOST, ENV_VA_OF(1));
    assert_int_equal(op.status, GNTST_general_error);
    assert_int_equal(e->flags, PERM | GTF_readonly | GTF_reading);
    assert_int_equal(pin_of(A, REF), GNTPIN_hstr_inc);
    assert_false(env_pte(B, ENV_VA_OF(1))->present);
    assert_int_equal(unmap(B, h, ENV_VA_OF(0), 0), GNTST_okay);
    assert_int_equal(e->flags, PERM | GTF_readonly);
}

static void test_map_ref_beyond_table_bad_gntref(void **state)
{
    struct gnttab_setup_table s = { .dom = DOMID_SELF, .nr_frames = 2 };
    xen_pfn_t frames[2];
    struct gnttab_map_grant_ref op;

    (void)state;
    op = map(B, DA, GT_ENTRIES_PER_PAGE, HOST, ENV_VA_OF(0));
    assert_int_equal(op.status, GNTST_bad_gntref);
    assert_int_equal(op.handle, NO_HANDLE);
    op = map(B, DA, 0xffffffffU, DEV, 0);
    assert_int_equal(op.status, GNTST_bad_gntref);
    assert_int_equal(env_hooks.host_maps + env_hooks.get_frames, 0);
    /* Within the grown table, the same ref is an entry. */
    s.frame_list = shim_gva(frames);
    assert_int_equal(gnttab(A, GNTTABOP_setup_table, &s, 1), 0);
    grant(A, GT_ENTRIES_PER_PAGE, DB, env_frame(A), PERM);
    (void)map_ok(B, DA, GT_ENTRIES_PER_PAGE, HOST, ENV_VA_OF(0));
    op = map(B, DA, 2 * GT_ENTRIES_PER_PAGE, HOST, ENV_VA_OF(1));
    assert_int_equal(op.status, GNTST_bad_gntref);
}

static void test_map_entry_for_another_domain_refused(void **state)
{
    unsigned long f = env_frame(A);
    struct grant_entry_v1 *e = grant(A, REF, DC, f, PERM);
    struct gnttab_map_grant_ref op;
    unsigned int i;

    (void)state;
    for ( i = 0; i < 3; i++ ) /* every time */
    {
        op = map(B, DA, REF, HOST | RO, ENV_VA_OF(0));
        assert_int_equal(op.status, GNTST_general_error);
        assert_int_equal(e->flags, PERM);
    }
    assert_int_equal(env_hooks.host_maps, 0);
    assert_int_equal(refs(f), 1);
    /* The grantee itself can; B still cannot while C holds it. */
    (void)map_ok(C, DA, REF, HOST | RO, ENV_VA_OF(0));
    op = map(B, DA, REF, HOST | RO, ENV_VA_OF(0));
    assert_int_equal(op.status, GNTST_general_error);
    assert_int_equal(pin_of(A, REF), GNTPIN_hstr_inc);
}

static void test_map_bad_entry_flags_refused(void **state)
{
    static const uint16_t bad[] = {
        GTF_invalid,
        GTF_accept_transfer,
        GTF_transitive,
        GTF_invalid | GTF_readonly,
        GTF_accept_transfer | GTF_readonly | GTF_reading,
    };
    unsigned long f = env_frame(A);
    struct grant_entry_v1 *e;
    struct gnttab_map_grant_ref op;
    unsigned int i;

    (void)state;
    for ( i = 0; i < sizeof(bad) / sizeof(bad[0]); i++ )
    {
        e = grant(A, REF, DB, f, bad[i]);
        op = map(B, DA, REF, HOST | RO, ENV_VA_OF(0));
        assert_int_equal(op.status, GNTST_general_error);
        assert_int_equal(e->flags, bad[i]);
        op = map(B, DA, REF, DEV, 0);
        assert_int_equal(op.status, GNTST_general_error);
        assert_int_equal(e->flags, bad[i]);
    }
    /* A never-written entry is GTF_invalid too. */
    op = map(B, DA, REF + 1, HOST | RO, ENV_VA_OF(0));
    assert_int_equal(op.status, GNTST_general_error);
    assert_int_equal(entry(A, REF + 1)->flags, 0);
    assert_int_equal(env_hooks.host_maps + env_hooks.get_frames, 0);
}

static void test_map_bad_domain(void **state)
{
    struct gnttab_map_grant_ref op;

    (void)state;
    grant(A, REF, DB, env_frame(A), PERM);
    op = map(B, DNO, REF, HOST, ENV_VA_OF(0));
    assert_int_equal(op.status, GNTST_bad_domain);
    assert_int_equal(op.handle, NO_HANDLE);
    op = map(B, DOMID_XEN, REF, HOST, ENV_VA_OF(0));
    assert_int_equal(op.status, GNTST_bad_domain);
    op = map(B, DOMID_IO, REF, DEV, 0);
    assert_int_equal(op.status, GNTST_bad_domain);
    /* A dying granter is no longer found. */
    env_destroy_begin(A);
    op = map(B, DA, REF, HOST, ENV_VA_OF(0));
    assert_int_equal(op.status, GNTST_bad_domain);
    assert_int_equal(env_hooks.host_maps + env_hooks.get_frames, 0);
}

static void test_map_bad_flags_and_address(void **state)
{
    struct grant_entry_v1 *e = grant(A, REF, DB, env_frame(A), PERM);
    struct gnttab_map_grant_ref op;
    uint32_t h;

    (void)state;
    /* Neither host nor device. */
    op = map(B, DA, REF, RO, ENV_VA_OF(0));
    assert_int_equal(op.status, GNTST_bad_gntref);
    assert_int_equal(op.handle, NO_HANDLE);
    op = map(B, DA, REF, 0, ENV_VA_OF(0));
    assert_int_equal(op.status, GNTST_bad_gntref);
    /* A host mapping at address 0. */
    op = map(B, DA, REF, HOST, 0);
    assert_int_equal(op.status, GNTST_bad_virt_addr);
    /* An address no L1 maps (the architecture's answer), unwound. */
    op = map(B, DA, REF, HOST, 0x1000);
    assert_int_equal(op.status, GNTST_bad_virt_addr);
    assert_int_equal(op.handle, NO_HANDLE);
    assert_int_equal(e->flags, PERM);
    assert_int_equal(pin_of(A, REF), 0);
    /* Bits no GNTMAP_* names are ignored, as Xen ignores them. */
    h = map_ok(B, DA, REF, HOST | (1U << 7) | (1U << 15), ENV_VA_OF(0));
    assert_int_equal(env_hooks.last_map.flags, HOST);
    assert_int_equal(unmap(B, h, ENV_VA_OF(0), 0), GNTST_okay);
    assert_int_equal(e->flags, PERM);
}

static void test_map_frame_not_granters_bad_page(void **state)
{
    xen_pfn_t tf[1];
    struct grant_entry_v1 *e;
    struct gnttab_map_grant_ref op;

    (void)state;
    table_frames(A, tf);
    /* A frame of the mapper's, a free frame, a table frame, frame 0. */
    e = grant(A, REF, DB, env_frame(B), PERM);
    op = map(B, DA, REF, HOST, ENV_VA_OF(0));
    assert_int_equal(op.status, GNTST_bad_page);
    assert_int_equal(e->flags, PERM);
    e = grant(A, REF, DB, tf[0], PERM);
    op = map(B, DA, REF, HOST | RO, ENV_VA_OF(0));
    assert_int_equal(op.status, GNTST_bad_page);
    assert_int_equal(e->flags, PERM);
    e = grant(A, REF, DB, 0, PERM);
    op = map(B, DA, REF, DEV | RO, 0);
    assert_int_equal(op.status, GNTST_bad_page);
    assert_int_equal(e->flags, PERM);
    e = grant(A, REF, DB, ENV_RAM_FRAMES + 5, PERM);
    op = map(B, DA, REF, DEV | RO, 0);
    assert_int_equal(op.status, GNTST_bad_page);
    assert_int_equal(e->flags, PERM);
    assert_int_equal(env_hooks.host_maps + env_hooks.get_frames, 0);
    assert_int_equal(pin_of(A, REF), 0);
}

static void test_map_host_failure_unwinds_pin_and_handle(void **state)
{
    unsigned long f = env_frame(A);
    struct grant_entry_v1 *e = grant(A, REF, DB, f, PERM);
    struct gnttab_map_grant_ref op;
    uint32_t h;

    (void)state;
    env_hooks.fail_map = GNTST_general_error;
    op = map(B, DA, REF, HOST, ENV_VA_OF(0));
    assert_int_equal(op.status, GNTST_general_error);
    assert_int_equal(op.handle, NO_HANDLE);
    assert_int_equal(op.dev_bus_addr, 0);
    assert_int_equal(e->flags, PERM);
    assert_int_equal(pin_of(A, REF), 0);
    assert_int_equal(refs(f), 1);
    /* The handle went back: the next mapping gets the first one. */
    h = map_ok(B, DA, REF, HOST, ENV_VA_OF(0));
    assert_int_equal(h, 0);
    /* A failed map of a pinned entry leaves the other pins alone. */
    env_hooks.fail_map = GNTST_general_error;
    op = map(B, DA, REF, HOST | RO, ENV_VA_OF(1));
    assert_int_equal(op.status, GNTST_general_error);
    assert_int_equal(e->flags, PERM | GTF_reading | GTF_writing);
    assert_int_equal(pin_of(A, REF), GNTPIN_hstw_inc);
}

static void test_map_device_returns_dev_bus_addr(void **state)
{
    unsigned long f = env_frame(A);
    struct grant_entry_v1 *e = grant(A, REF, DB, f, PERM);
    struct gnttab_map_grant_ref op;
    uint32_t hd, hb;

    (void)state;
    op = map(B, DA, REF, DEV, 0);
    assert_int_equal(op.status, GNTST_okay);
    hd = op.handle;
    assert_int_equal(op.dev_bus_addr, (uint64_t)f << PAGE_SHIFT);
    assert_int_equal(env_hooks.host_maps, 0);
    assert_int_equal(env_hooks.get_frames, 1);
    assert_int_equal(env_hooks.last_get.mfn, f);
    assert_false(env_hooks.last_get.readonly);
    assert_int_equal(e->flags, PERM | GTF_reading | GTF_writing);
    assert_int_equal(refs(f), 2);
    assert_int_equal(type_refs(f), 1);
    assert_int_equal(pin_of(A, REF), GNTPIN_devw_inc);
    /* Device and host at once: both references, one handle. */
    op = map(B, DA, REF, DEV | HOST | RO, ENV_VA_OF(2));
    assert_int_equal(op.status, GNTST_okay);
    hb = op.handle;
    assert_int_equal(op.dev_bus_addr, (uint64_t)f << PAGE_SHIFT);
    assert_int_equal(refs(f), 4);
    assert_int_equal(pin_of(A, REF),
                     GNTPIN_devw_inc + GNTPIN_devr_inc + GNTPIN_hstr_inc);
    /* Unmapping with another bus address is refused, changes nothing. */
    assert_int_equal(unmap(B, hd, 0, (uint64_t)(f + 1) << PAGE_SHIFT),
                     GNTST_general_error);
    assert_int_equal(refs(f), 4);
    assert_int_equal(unmap(B, hd, 0, (uint64_t)f << PAGE_SHIFT), GNTST_okay);
    assert_int_equal(env_hooks.put_frames, 1);
    assert_int_equal(e->flags, PERM | GTF_reading); /* last writer gone */
    assert_int_equal(refs(f), 3);
    assert_int_equal(type_refs(f), 0);
    /* Bus address 0: not checked. */
    assert_int_equal(unmap(B, hb, ENV_VA_OF(2), 0), GNTST_okay);
    assert_int_equal(env_hooks.put_frames, 2);
    assert_int_equal(env_hooks.host_unmaps, 1);
    assert_int_equal(e->flags, PERM);
    assert_int_equal(refs(f), 1);
    assert_int_equal(pin_of(A, REF), 0);
}

static void test_map_device_failures_unwind(void **state)
{
    unsigned long f = env_frame(A);
    struct grant_entry_v1 *e = grant(A, REF, DB, f, PERM);
    struct gnttab_map_grant_ref op;

    (void)state;
    env_hooks.fail_get = GNTST_general_error;
    op = map(B, DA, REF, DEV, 0);
    assert_int_equal(op.status, GNTST_general_error);
    assert_int_equal(op.dev_bus_addr, 0);
    assert_int_equal(e->flags, PERM);
    assert_int_equal(pin_of(A, REF), 0);
    /* The device reference taken goes when the host mapping fails. */
    env_hooks.fail_map = GNTST_bad_virt_addr;
    op = map(B, DA, REF, DEV | HOST, ENV_VA_OF(0));
    assert_int_equal(op.status, GNTST_bad_virt_addr);
    assert_int_equal(op.dev_bus_addr, 0);
    assert_int_equal(op.handle, NO_HANDLE);
    assert_int_equal(env_hooks.put_frames, 1);
    assert_int_equal(refs(f), 1);
    assert_int_equal(type_refs(f), 0);
    assert_int_equal(e->flags, PERM);
    assert_int_equal(pin_of(A, REF), 0);
}

static void test_map_handles_distinct_and_reused(void **state)
{
    unsigned long f = env_frame(A);
    uint32_t h[4];
    unsigned int i;

    (void)state;
    grant(A, REF, DB, f, PERM);
    for ( i = 0; i < 4; i++ )
        h[i] = map_ok(B, DA, REF, HOST | RO, ENV_VA_OF(i));
    for ( i = 1; i < 4; i++ )
        assert_int_not_equal(h[i], h[i - 1]);
    assert_int_not_equal(h[0], h[2]);
    assert_int_equal(pin_of(A, REF), 4 * GNTPIN_hstr_inc);
    assert_int_equal(unmap(B, h[2], ENV_VA_OF(2), 0), GNTST_okay);
    assert_int_equal(map_ok(B, DA, REF, HOST | RO, ENV_VA_OF(2)), h[2]);
    /* Handles are per mapper: C's first is its own. */
    grant(A, REF + 1, DC, f, PERM);
    assert_int_equal(map_ok(C, DA, REF + 1, HOST | RO, ENV_VA_OF(0)), 0);
}

static void test_maptrack_exhaustion_no_space(void **state)
{
    /* 128 pins per ref at most: GT_MAX_MAPTRACK / 128 refs. */
    const unsigned int per_ref = 128, nr_refs = GT_MAX_MAPTRACK / 128;
    static struct gnttab_map_grant_ref ops[GT_MAX_MAPTRACK + 1];
    static struct gnttab_unmap_grant_ref un[GT_MAX_MAPTRACK];
    unsigned long f = env_frame(A);
    unsigned int i;

    (void)state;
    for ( i = 0; i < nr_refs; i++ )
        grant(A, REF + i, DB, f, PERM);
    memset(ops, 0, sizeof(ops));
    memset(un, 0, sizeof(un));
    for ( i = 0; i <= GT_MAX_MAPTRACK; i++ )
    {
        ops[i].flags = DEV | RO;
        ops[i].dom = DA;
        ops[i].ref = REF + (i < GT_MAX_MAPTRACK ? i / per_ref : 0);
    }
    assert_int_equal(gnttab(B, GNTTABOP_map_grant_ref, ops, GT_MAX_MAPTRACK),
                     0);
    for ( i = 0; i < GT_MAX_MAPTRACK; i++ )
        assert_int_equal(ops[i].status, GNTST_okay);
    assert_int_equal(refs(f), 1 + GT_MAX_MAPTRACK);
    /* One more (of a ref with room: ref REF + nr_refs). */
    grant(A, REF + nr_refs, DB, f, PERM);
    ops[GT_MAX_MAPTRACK].ref = REF + nr_refs;
    assert_int_equal(
        gnttab(B, GNTTABOP_map_grant_ref, &ops[GT_MAX_MAPTRACK], 1), 0);
    assert_int_equal(ops[GT_MAX_MAPTRACK].status, GNTST_no_space);
    assert_int_equal(ops[GT_MAX_MAPTRACK].handle, NO_HANDLE);
    assert_int_equal(entry(A, REF + nr_refs)->flags, PERM);
    /* One handle back, one more mapping. */
    assert_int_equal(unmap(B, ops[5].handle, 0, 0), GNTST_okay);
    assert_int_equal(
        gnttab(B, GNTTABOP_map_grant_ref, &ops[GT_MAX_MAPTRACK], 1), 0);
    assert_int_equal(ops[GT_MAX_MAPTRACK].status, GNTST_okay);
    assert_int_equal(ops[GT_MAX_MAPTRACK].handle, ops[5].handle);
    /* Unmap them all in one batch. */
    ops[5] = ops[GT_MAX_MAPTRACK];
    for ( i = 0; i < GT_MAX_MAPTRACK; i++ )
        un[i].handle = ops[i].handle;
    assert_int_equal(gnttab(B, GNTTABOP_unmap_grant_ref, un, GT_MAX_MAPTRACK),
                     0);
    for ( i = 0; i < GT_MAX_MAPTRACK; i++ )
        assert_int_equal(un[i].status, GNTST_okay);
    assert_int_equal(refs(f), 1);
    for ( i = 0; i <= nr_refs; i++ )
        assert_int_equal(entry(A, REF + i)->flags, PERM);
}

static void test_maptrack_allocation_failure_no_space(void **state)
{
    struct grant_entry_v1 *e = grant(A, REF, DB, env_frame(A), PERM);
    struct gnttab_map_grant_ref op;

    (void)state;
    shim_xmalloc_fail = 1; /* B's first maptrack chunk */
    op = map(B, DA, REF, HOST, ENV_VA_OF(0));
    assert_int_equal(op.status, GNTST_no_space);
    assert_int_equal(e->flags, PERM);
    assert_int_equal(pin_of(A, REF), 0);
    (void)map_ok(B, DA, REF, HOST, ENV_VA_OF(0));
}

static void test_pin_count_overflow_refused(void **state)
{
    unsigned long f = env_frame(A);
    struct grant_entry_v1 *e = grant(A, REF, DB, f, PERM | GTF_readonly);
    static struct gnttab_map_grant_ref ops[300];
    unsigned int i, ok = 0;

    (void)state;
    /* 300 read-only pins of one entry: a count never wraps. */
    memset(ops, 0, sizeof(ops));
    for ( i = 0; i < 300; i++ )
    {
        ops[i].flags = DEV | RO;
        ops[i].dom = DA;
        ops[i].ref = REF;
    }
    assert_int_equal(gnttab(B, GNTTABOP_map_grant_ref, ops, 300), 0);
    for ( i = 0; i < 300; i++ )
    {
        if ( ops[i].status == GNTST_okay )
            ok++;
        else
            assert_int_equal(ops[i].status, GNTST_general_error);
    }
    assert_int_equal(ok, 128); /* as Xen: refused once a count has 128 */
    assert_int_equal(pin_of(A, REF), 128 * GNTPIN_devr_inc);
    /* A read-only entry never becomes writable, whatever the counts. */
    assert_int_equal(map(B, DA, REF, DEV, 0).status, GNTST_general_error);
    assert_int_equal(map(B, DA, REF, HOST, ENV_VA_OF(0)).status,
                     GNTST_general_error);
    assert_int_equal(e->flags, PERM | GTF_readonly | GTF_reading);
    assert_int_equal(type_refs(f), 0);
}

/* ---- unmap_grant_ref -------------------------------------------------------- */

static void test_unmap_bad_handle(void **state)
{
    uint32_t h;

    (void)state;
    assert_int_equal(unmap(B, 0, ENV_VA_OF(0), 0), GNTST_bad_handle);
    assert_int_equal(unmap(B, NO_HANDLE, ENV_VA_OF(0), 0), GNTST_bad_handle);
    grant(A, REF, DB, env_frame(A), PERM);
    h = map_ok(B, DA, REF, HOST, ENV_VA_OF(0));
    /* Allocated but free, beyond the allocated ones, another's. */
    assert_int_equal(unmap(B, h + 1, ENV_VA_OF(0), 0), GNTST_bad_handle);
    assert_int_equal(unmap(B, 1000000, ENV_VA_OF(0), 0), GNTST_bad_handle);
    assert_int_equal(unmap(C, h, ENV_VA_OF(0), 0), GNTST_bad_handle);
    assert_int_equal(env_hooks.host_unmaps, 0);
    /* Double unmap. */
    assert_int_equal(unmap(B, h, ENV_VA_OF(0), 0), GNTST_okay);
    assert_int_equal(unmap(B, h, ENV_VA_OF(0), 0), GNTST_bad_handle);
    assert_int_equal(env_hooks.host_unmaps, 1);
    assert_int_equal(pin_of(A, REF), 0);
}

static void test_unmap_wrong_address_changes_nothing(void **state)
{
    unsigned long f = env_frame(A);
    struct grant_entry_v1 *e = grant(A, REF, DB, f, PERM);
    uint32_t h;

    (void)state;
    env_map_own(B, ENV_VA_OF(1), env_frame(B));
    h = map_ok(B, DA, REF, HOST, ENV_VA_OF(0));
    /* An empty slot, another mapping, no L1 at all, address 0. */
    assert_int_equal(unmap(B, h, ENV_VA_OF(2), 0), GNTST_general_error);
    assert_int_equal(unmap(B, h, ENV_VA_OF(1), 0), GNTST_general_error);
    assert_int_equal(unmap(B, h, 0x1000, 0), GNTST_bad_virt_addr);
    assert_int_equal(unmap(B, h, 0, 0), GNTST_bad_virt_addr);
    assert_true(env_pte(B, ENV_VA_OF(0))->present);
    assert_true(env_pte(B, ENV_VA_OF(1))->present);
    assert_int_equal(e->flags, PERM | GTF_reading | GTF_writing);
    assert_int_equal(pin_of(A, REF), GNTPIN_hstw_inc);
    assert_int_equal(refs(f), 2);
    /* The architecture refusing: the same. */
    env_hooks.fail_unmap = GNTST_general_error;
    assert_int_equal(unmap(B, h, ENV_VA_OF(0), 0), GNTST_general_error);
    assert_int_equal(e->flags, PERM | GTF_reading | GTF_writing);
    /* The handle still works. */
    assert_int_equal(unmap(B, h, ENV_VA_OF(0), 0), GNTST_okay);
    assert_int_equal(e->flags, PERM);
    assert_int_equal(refs(f), 1);
}

static void test_unmap_status_bits_go_with_last_pin(void **state)
{
    unsigned long f = env_frame(A);
    struct grant_entry_v1 *e = grant(A, REF, DB, f, PERM);
    uint32_t w1, w2, r1;

    (void)state;
    w1 = map_ok(B, DA, REF, HOST, ENV_VA_OF(0));
    r1 = map_ok(B, DA, REF, HOST | RO, ENV_VA_OF(1));
    w2 = map_ok(B, DA, REF, DEV, 0);
    assert_int_equal(pin_of(A, REF),
                     GNTPIN_hstw_inc + GNTPIN_hstr_inc + GNTPIN_devw_inc);
    assert_int_equal(e->flags, PERM | GTF_reading | GTF_writing);
    assert_int_equal(unmap(B, w1, ENV_VA_OF(0), 0), GNTST_okay);
    assert_int_equal(e->flags, PERM | GTF_reading | GTF_writing);
    assert_int_equal(unmap(B, w2, 0, 0), GNTST_okay);
    assert_int_equal(e->flags, PERM | GTF_reading); /* last writer */
    assert_int_equal(pin_of(A, REF), GNTPIN_hstr_inc);
    assert_int_equal(type_refs(f), 0);
    /* A writer again while a reader holds it. */
    w1 = map_ok(B, DA, REF, HOST, ENV_VA_OF(2));
    assert_int_equal(e->flags, PERM | GTF_reading | GTF_writing);
    assert_int_equal(unmap(B, r1, ENV_VA_OF(1), 0), GNTST_okay);
    assert_int_equal(e->flags, PERM | GTF_reading | GTF_writing);
    assert_int_equal(unmap(B, w1, ENV_VA_OF(2), 0), GNTST_okay);
    assert_int_equal(e->flags, PERM); /* last pin */
    assert_int_equal(pin_of(A, REF), 0);
    assert_int_equal(refs(f), 1);
}

static void test_unmap_and_replace_moves_own_mapping(void **state)
{
    unsigned long f = env_frame(A), own = env_frame(B);
    struct grant_entry_v1 *e = grant(A, REF, DB, f, PERM);
    struct gnttab_unmap_and_replace op = { 0 };
    uint32_t h;

    (void)state;
    h = map_ok(B, DA, REF, HOST, ENV_VA_OF(0));
    env_map_own(B, ENV_VA_OF(1), own);
    /* new_addr 0: refused, nothing changes. */
    op.host_addr = ENV_VA_OF(0);
    op.handle = h;
    assert_int_equal(gnttab(B, GNTTABOP_unmap_and_replace, &op, 1), 0);
    assert_int_equal(op.status, GNTST_general_error);
    assert_int_equal(env_hooks.host_unmaps, 0);
    /* new_addr no L1 maps: refused, nothing changes. */
    op.new_addr = 0x2000;
    assert_int_equal(gnttab(B, GNTTABOP_unmap_and_replace, &op, 1), 0);
    assert_int_equal(op.status, GNTST_bad_virt_addr);
    assert_int_equal(env_pte(B, ENV_VA_OF(0))->mfn, f);
    assert_int_equal(e->flags, PERM | GTF_reading | GTF_writing);
    /* Replace: the own mapping moves over the grant's. */
    op.new_addr = ENV_VA_OF(1);
    assert_int_equal(gnttab(B, GNTTABOP_unmap_and_replace, &op, 1), 0);
    assert_int_equal(op.status, GNTST_okay);
    assert_int_equal(env_hooks.last_unmap.new_addr, ENV_VA_OF(1));
    assert_int_equal(env_pte(B, ENV_VA_OF(0))->mfn, own);
    assert_false(env_pte(B, ENV_VA_OF(1))->present);
    assert_int_equal(e->flags, PERM);
    assert_int_equal(pin_of(A, REF), 0);
    assert_int_equal(refs(f), 1);
    assert_int_equal(refs(own), 2);
    /* The handle is gone. */
    assert_int_equal(gnttab(B, GNTTABOP_unmap_and_replace, &op, 1), 0);
    assert_int_equal(op.status, GNTST_bad_handle);
}

/* ---- copy ------------------------------------------------------------------- */

static struct gnttab_copy cp(bool sref, uint64_t s, domid_t sdom, uint16_t soff,
                             bool dref, uint64_t d, domid_t ddom, uint16_t doff,
                             uint16_t len)
{
    struct gnttab_copy op = { 0 };

    op.source.u.gmfn = s;
    op.source.domid = sdom;
    op.source.offset = soff;
    op.dest.u.gmfn = d;
    op.dest.domid = ddom;
    op.dest.offset = doff;
    op.len = len;
    op.flags =
        (sref ? GNTCOPY_source_gref : 0) | (dref ? GNTCOPY_dest_gref : 0);
    op.status = 0x5555;
    return op;
}

static int16_t copy1(struct domain *ld, struct gnttab_copy op)
{
    assert_int_equal(gnttab(ld, GNTTABOP_copy, &op, 1), 0);
    return op.status;
}

/* Bytes [off, off + len) of mfn hold v, the others hold other. */
static void check_range(unsigned long mfn, unsigned int off, unsigned int len,
                        uint8_t v, uint8_t other)
{
    unsigned int i;

    for ( i = 0; i < PAGE_SIZE; i++ )
        assert_int_equal(bytes(mfn)[i], i >= off && i < off + len ? v : other);
}

static void test_copy_grant_to_own_frame(void **state)
{
    unsigned long f = env_frame(A), own = env_frame(B);
    struct grant_entry_v1 *e = grant(A, REF, DB, f, PERM | GTF_readonly);

    (void)state;
    fill(f, 0xab);
    assert_int_equal(
        copy1(B, cp(true, REF, DA, 100, false, own, DOMID_SELF, 200, 300)),
        GNTST_okay);
    check_range(own, 200, 300, 0xab, 0);
    /* The grant was held only for the copy. */
    assert_int_equal(e->flags, PERM | GTF_readonly);
    assert_int_equal(pin_of(A, REF), 0);
    assert_int_equal(refs(f), 1);
    assert_int_equal(refs(own), 1);
    assert_int_equal(type_refs(own), 0);
    assert_int_equal(env_hooks.get_frames, 2);
    assert_int_equal(env_hooks.put_frames, 2);
    /* The own side named by its own domid works too. */
    assert_int_equal(copy1(B, cp(true, REF, DA, 0, false, own, DB, 0, 1)),
                     GNTST_okay);
    assert_int_equal(bytes(own)[0], 0xab);
}

static void test_copy_own_frame_to_grant(void **state)
{
    unsigned long f = env_frame(A), own = env_frame(B);
    struct grant_entry_v1 *e = grant(A, REF, DB, f, PERM);

    (void)state;
    fill(own, 0x5a);
    assert_int_equal(
        copy1(B, cp(false, own, DOMID_SELF, 0, true, REF, DA, 4000, 96)),
        GNTST_okay);
    check_range(f, 4000, 96, 0x5a, 0);
    assert_int_equal(e->flags, PERM);
    assert_int_equal(type_refs(f), 0);
    assert_int_equal(refs(f), 1);
}

static void test_copy_grant_to_grant_and_own_to_own(void **state)
{
    unsigned long fa = env_frame(A), fc = env_frame(C);
    unsigned long o1 = env_frame(B), o2 = env_frame(B);

    (void)state;
    grant(A, REF, DB, fa, PERM | GTF_readonly);
    grant(C, REF + 3, DB, fc, PERM);
    fill(fa, 0x11);
    assert_int_equal(
        copy1(B, cp(true, REF, DA, 0, true, REF + 3, DC, 0, PAGE_SIZE)),
        GNTST_okay);
    check_range(fc, 0, PAGE_SIZE, 0x11, 0);
    assert_int_equal(entry(A, REF)->flags, PERM | GTF_readonly);
    assert_int_equal(entry(C, REF + 3)->flags, PERM);
    fill(o1, 0x22);
    assert_int_equal(
        copy1(B, cp(false, o1, DOMID_SELF, 10, false, o2, DOMID_SELF, 20, 30)),
        GNTST_okay);
    check_range(o2, 20, 30, 0x22, 0);
    /* Overlapping within one frame (memmove). */
    memcpy(bytes(o1), "0123456789", 10);
    assert_int_equal(
        copy1(B, cp(false, o1, DOMID_SELF, 0, false, o1, DOMID_SELF, 2, 8)),
        GNTST_okay);
    assert_memory_equal(bytes(o1), "0101234567", 10);
}

static void test_copy_bounds_per_op(void **state)
{
    unsigned long f = env_frame(A), own = env_frame(B);
    struct gnttab_copy ops[9];
    static const int16_t want[9] = {
        GNTST_okay,         GNTST_bad_copy_arg, GNTST_bad_copy_arg,
        GNTST_okay,         GNTST_okay,         GNTST_okay,
        GNTST_bad_copy_arg, GNTST_bad_copy_arg, GNTST_okay,
    };
    unsigned int i;

    (void)state;
    grant(A, REF, DB, f, PERM);
    fill(f, 0x77);
    ops[0] = cp(true, REF, DA, 0, false, own, DOMID_SELF, 0, 16);
    ops[1] = cp(true, REF, DA, 4000, false, own, DOMID_SELF, 100, 97);
    ops[2] = cp(true, REF, DA, 0, false, own, DOMID_SELF, 4095, 2);
    ops[3] = cp(true, REF, DA, 4095, false, own, DOMID_SELF, 4095, 1);
    ops[4] = cp(true, REF, DA, 0, false, own, DOMID_SELF, 1000, 0);
    ops[5] = cp(true, REF, DA, 4096, false, own, DOMID_SELF, 4096, 0);
    ops[6] = cp(true, REF, DA, 0xffff, false, own, DOMID_SELF, 0, 0xffff);
    ops[7] = cp(true, REF, DA, 0, false, own, DOMID_SELF, 1, 4096);
    ops[8] = cp(true, REF, DA, 0, false, own, DOMID_SELF, 2000, 8);
    assert_int_equal(gnttab(B, GNTTABOP_copy, ops, 9), 0);
    for ( i = 0; i < 9; i++ )
        assert_int_equal(ops[i].status, want[i]);
    /* Only the accepted ops wrote: [0,16), 4095, [2000,2008). */
    for ( i = 0; i < PAGE_SIZE; i++ )
    {
        bool w = i < 16 || i == 4095 || (i >= 2000 && i < 2008);

        assert_int_equal(bytes(own)[i], w ? 0x77 : 0);
    }
    /* Refused ops took nothing: 5 accepted ops, two sides each. */
    assert_int_equal(env_hooks.get_frames, 10);
    assert_int_equal(env_hooks.put_frames, 10);
    assert_int_equal(entry(A, REF)->flags, PERM);
}

static void test_copy_readonly_grant_as_destination_refused(void **state)
{
    unsigned long fs = env_frame(A), fd = env_frame(A);
    struct grant_entry_v1 *es = grant(A, REF, DB, fs, PERM);
    struct grant_entry_v1 *ed = grant(A, REF + 1, DB, fd, PERM | GTF_readonly);

    (void)state;
    fill(fs, 0x99);
    assert_int_equal(copy1(B, cp(true, REF, DA, 0, true, REF + 1, DA, 0, 64)),
                     GNTST_general_error);
    check_range(fd, 0, 0, 0, 0);
    /* The source side taken first was given back. */
    assert_int_equal(es->flags, PERM);
    assert_int_equal(ed->flags, PERM | GTF_readonly);
    assert_int_equal(pin_of(A, REF), 0);
    assert_int_equal(refs(fs), 1);
    assert_int_equal(refs(fd), 1);
}

static void test_copy_refusals(void **state)
{
    unsigned long f = env_frame(A), own = env_frame(B), cf = env_frame(C);
    struct gnttab_copy op;

    (void)state;
    grant(A, REF, DB, f, PERM);
    grant(A, REF + 1, DC, f, PERM);
    /* Ungranted, granted to another, beyond the table, no domain. */
    assert_int_equal(
        copy1(B, cp(true, REF + 2, DA, 0, false, own, DOMID_SELF, 0, 8)),
        GNTST_general_error);
    assert_int_equal(
        copy1(B, cp(true, REF + 1, DA, 0, false, own, DOMID_SELF, 0, 8)),
        GNTST_general_error);
    assert_int_equal(
        copy1(B, cp(false, own, DOMID_SELF, 0, true, 512, DA, 0, 8)),
        GNTST_bad_gntref);
    assert_int_equal(
        copy1(B, cp(true, REF, DNO, 0, false, own, DOMID_SELF, 0, 8)),
        GNTST_bad_domain);
    /* An "own" frame that is not the caller's, or of another domid. */
    assert_int_equal(
        copy1(B, cp(true, REF, DA, 0, false, cf, DOMID_SELF, 0, 8)),
        GNTST_bad_page);
    assert_int_equal(copy1(B, cp(false, cf, DC, 0, true, REF, DA, 0, 8)),
                     GNTST_permission_denied);
    /* A table frame (hypervisor-shared) as an own frame. */
    {
        xen_pfn_t tf[1];

        table_frames(B, tf);
        assert_int_equal(
            copy1(B, cp(false, tf[0], DOMID_SELF, 0, true, REF, DA, 0, 8)),
            GNTST_bad_page);
    }
    /* Unknown copy flags. */
    op = cp(true, REF, DA, 0, false, own, DOMID_SELF, 0, 8);
    op.flags |= 4;
    assert_int_equal(copy1(B, op), GNTST_bad_copy_arg);
    check_range(own, 0, 0, 0, 0);
    check_range(cf, 0, 0, 0, 0);
    assert_int_equal(entry(A, REF)->flags, PERM);
    assert_int_equal(pin_of(A, REF), 0);
    assert_int_equal(refs(f), 1);
    assert_int_equal(refs(cf), 1);
}

/* ---- batches ---------------------------------------------------------------- */

static void test_batch_per_op_status_each_op_copied_once(void **state)
{
    struct gnttab_map_grant_ref ops[3] = { 0 };
    unsigned long f = env_frame(A);

    (void)state;
    grant(A, REF, DB, f, PERM);
    ops[0] = (struct gnttab_map_grant_ref){
        .host_addr = ENV_VA_OF(0), .flags = HOST, .ref = REF, .dom = DA
    };
    ops[1] = ops[0];
    ops[1].ref = 4096; /* beyond the table */
    ops[2] = ops[0];
    ops[2].host_addr = ENV_VA_OF(1);
    ops[2].flags |= RO;
    shim_guest_reset();
    assert_int_equal(gnttab(B, GNTTABOP_map_grant_ref, ops, 3), 0);
    assert_int_equal(shim_guest_reads, 3);
    assert_int_equal(shim_guest_writes, 3);
    assert_int_equal(ops[0].status, GNTST_okay);
    assert_int_equal(ops[1].status, GNTST_bad_gntref);
    assert_int_equal(ops[1].handle, NO_HANDLE);
    assert_int_equal(ops[2].status, GNTST_okay);
    assert_int_not_equal(ops[0].handle, ops[2].handle);
    /* The IN fields came back as they were. */
    assert_int_equal(ops[2].host_addr, ENV_VA_OF(1));
    assert_int_equal(ops[2].ref, REF);
    assert_int_equal(pin_of(A, REF), GNTPIN_hstw_inc + GNTPIN_hstr_inc);
}

static void test_batch_faults_and_limits(void **state)
{
    struct gnttab_copy ops[2];
    unsigned long own = env_frame(B);

    (void)state;
    ops[0] = cp(false, own, DOMID_SELF, 0, false, own, DOMID_SELF, 8, 8);
    ops[1] = ops[0];
    assert_int_equal(gnttab(B, GNTTABOP_copy, ops, 0), 0);
    assert_int_equal(ops[0].status, 0x5555); /* count 0: nothing done */
    /* One unreadable byte anywhere in the batch: -EFAULT, nothing done. */
    shim_guest_bad = shim_gva(&ops[1]);
    shim_guest_bad_len = 1;
    assert_int_equal(gnttab(B, GNTTABOP_copy, ops, 2), -EFAULT);
    shim_guest_reset();
    assert_int_equal(ops[0].status, 0x5555);
    assert_int_equal(gnttab(B, GNTTABOP_copy, ops, 1), 0);
    assert_int_equal(ops[0].status, GNTST_okay);
    /* The null page. */
    env_run_as(B);
    assert_int_equal(do_grant_table_op(GNTTABOP_copy, 0, 1, 0, 0), -EFAULT);
}

static void test_batch_preempted_continues_where_it_stopped(void **state)
{
    enum
    {
        N = 40
    };
    struct gnttab_map_grant_ref ops[N] = { 0 };
    unsigned long f = env_frame(A);
    unsigned int i, done;
    long rc;

    (void)state;
    grant(A, REF, DB, f, PERM);
    for ( i = 0; i < N; i++ )
    {
        ops[i].flags = DEV | RO;
        ops[i].dom = DA;
        ops[i].ref = REF;
        ops[i].status = 0x5555;
    }
    env_preempt_after = 1; /* preempt at every check */
    env_run_as(B);
    rc = do_grant_table_op(GNTTABOP_map_grant_ref, shim_gva(ops), N, 0, 0);
    assert_int_equal(rc, ENV_CONTINUATION);
    assert_int_equal(env_continuations, 1);
    assert_int_equal(env_cont_nr, __HYPERVISOR_grant_table_op);
    assert_int_equal(env_cont_nargs, 3);
    assert_int_equal(env_cont_args[0], GNTTABOP_map_grant_ref);
    done = (env_cont_args[1] - shim_gva(ops)) / sizeof(ops[0]);
    assert_true(done > 0 && done < N);
    assert_int_equal(env_cont_args[1], shim_gva(&ops[done]));
    assert_int_equal(env_cont_args[2], N - done);
    for ( i = 0; i < N; i++ )
        assert_int_equal(ops[i].status, i < done ? GNTST_okay : 0x5555);
    assert_int_equal(pin_of(A, REF), done * GNTPIN_devr_inc);
    /* Run the continuation(s) as the guest would. */
    env_run_as(B);
    while ( rc == ENV_CONTINUATION )
        rc = do_grant_table_op(env_cont_args[0], env_cont_args[1],
                               env_cont_args[2], 0, 0);
    assert_int_equal(rc, 0);
    for ( i = 0; i < N; i++ )
        assert_int_equal(ops[i].status, GNTST_okay);
    assert_int_equal(pin_of(A, REF), N * GNTPIN_devr_inc);
    /* Without preemption, one call does it all. */
    env_preempt_after = 0;
    env_continuations = 0;
    {
        struct gnttab_unmap_grant_ref un[N] = { 0 };

        for ( i = 0; i < N; i++ )
            un[i].handle = ops[i].handle;
        assert_int_equal(gnttab(B, GNTTABOP_unmap_grant_ref, un, N), 0);
        assert_int_equal(env_continuations, 0);
        for ( i = 0; i < N; i++ )
            assert_int_equal(un[i].status, GNTST_okay);
    }
    assert_int_equal(pin_of(A, REF), 0);
    assert_int_equal(entry(A, REF)->flags, PERM);
}

/* ---- the granter changes the entry while it is mapped ----------------------- */

static void test_revoke_while_mapped_keeps_pinned_frame(void **state)
{
    unsigned long f = env_frame(A), g = env_frame(A);
    struct grant_entry_v1 *e = grant(A, REF, DB, f, PERM);
    struct gnttab_map_grant_ref op;
    uint16_t expect = PERM | GTF_reading;
    uint32_t h1, h2, hc;

    (void)state;
    h1 = map_ok(B, DA, REF, HOST | RO, ENV_VA_OF(0));
    /* The guest's way to end access fails while the entry is in use. */
    assert_false(__atomic_compare_exchange_n(&e->flags, &(uint16_t){ PERM }, 0,
                                             false, __ATOMIC_SEQ_CST,
                                             __ATOMIC_SEQ_CST));
    assert_int_equal(e->flags, expect);
    /* A granter that rewrites it with plain stores: frame, domid, flags. */
    e->frame = (uint32_t)g;
    e->domid = DC;
    e->flags = 0;
    /* More read-only mappings by B: still the pinned frame (as Xen). */
    h2 = map_ok(B, DA, REF, HOST | RO, ENV_VA_OF(1));
    assert_int_equal(env_pte(B, ENV_VA_OF(1))->mfn, f);
    assert_int_equal(pin_of(A, REF), 2 * GNTPIN_hstr_inc);
    /* A new writer checks the entry again: refused. */
    op = map(B, DA, REF, HOST, ENV_VA_OF(2));
    assert_int_equal(op.status, GNTST_general_error);
    assert_int_equal(e->flags, 0);
    /* Nor does the new grantee get the entry pinned for B. */
    op = map(C, DA, REF, HOST | RO, ENV_VA_OF(0));
    assert_int_equal(op.status, GNTST_general_error);
    /* B unmaps: fine, and no status bit is left in the new word. */
    assert_int_equal(unmap(B, h1, ENV_VA_OF(0), 0), GNTST_okay);
    assert_int_equal(unmap(B, h2, ENV_VA_OF(1), 0), GNTST_okay);
    assert_int_equal(e->flags, 0);
    assert_int_equal(e->domid, DC);
    assert_int_equal(refs(f), 1);
    /* Unpinned, the entry is read afresh: refused until valid again. */
    op = map(B, DA, REF, HOST | RO, ENV_VA_OF(0));
    assert_int_equal(op.status, GNTST_general_error);
    e->flags = PERM;
    hc = map_ok(C, DA, REF, HOST | RO, ENV_VA_OF(0));
    assert_int_equal(env_pte(C, ENV_VA_OF(0))->mfn, g);
    assert_int_equal(unmap(C, hc, ENV_VA_OF(0), 0), GNTST_okay);
}

static void test_revoke_and_give_back_frame_freed_at_unmap(void **state)
{
    unsigned long f = env_frame(A);
    struct grant_entry_v1 *e = grant(A, REF, DB, f, PERM);
    uint32_t h;

    (void)state;
    fill(f, 0x3c);
    h = map_ok(B, DA, REF, HOST, ENV_VA_OF(0));
    /* The granter ends access (plain store) and gives the frame back. */
    e->flags = 0;
    env_give_back(A, f);
    assert_false(is_free(f));
    assert_int_equal(refs(f), 1); /* the mapping's */
    assert_int_equal(shim_frees, 0);
    assert_int_equal(bytes(f)[100], 0x3c);
    /* The mapping still unmaps cleanly; the frame goes with it. */
    assert_int_equal(unmap(B, h, ENV_VA_OF(0), 0), GNTST_okay);
    assert_true(is_free(f));
    assert_int_equal(shim_frees, 1);
    assert_int_equal(e->flags, 0);
}

/* The granter rewrites its entry while the hypervisor maps it. */
static struct grant_entry_v1 *racing_entry;
static unsigned long racing_frame;
static void rewrite_entry(void)
{
    racing_entry->frame = (uint32_t)racing_frame;
    racing_entry->domid = DC;
    racing_entry->flags &= ~GTF_permit_access;
}

static void test_entry_read_once_per_pin(void **state)
{
    unsigned long f = env_frame(A);
    uint32_t h1, h2;

    (void)state;
    racing_frame = env_frame(A);
    racing_entry = grant(A, REF, DB, f, PERM);
    env_hooks.on_map = rewrite_entry;
    h1 = map_ok(B, DA, REF, HOST, ENV_VA_OF(0));
    env_hooks.on_map = NULL;
    /* The frame checked at the pin is the frame mapped... */
    assert_int_equal(env_hooks.last_map.mfn, f);
    assert_int_equal(env_pte(B, ENV_VA_OF(0))->mfn, f);
    /* ...and the one every later use of the pin gets, unmap included. */
    h2 = map_ok(B, DA, REF, DEV | RO, 0);
    assert_int_equal(env_hooks.last_get.mfn, f);
    assert_int_equal(unmap(B, h1, ENV_VA_OF(0), 0), GNTST_okay);
    assert_int_equal(env_hooks.last_unmap.mfn, f);
    assert_int_equal(unmap(B, h2, 0, (uint64_t)f << PAGE_SHIFT), GNTST_okay);
    assert_int_equal(env_hooks.last_put.mfn, f);
    assert_int_equal(refs(f), 1);
    assert_int_equal(refs(racing_frame), 1);
    /* The status bits went, whatever else the granter wrote. */
    assert_int_equal(racing_entry->flags, 0);
    assert_int_equal(racing_entry->domid, DC);
}

/* ---- destruction while mapped ----------------------------------------------- */

static void test_granter_destroyed_while_mapped_keeps_frame(void **state)
{
    unsigned long f = env_frame(A);
    uint32_t hh, hd, hnew;
    struct domain *a2;
    struct grant_entry_v1 *e2;

    (void)state;
    fill(f, 0xc3);
    grant(A, REF, DB, f, PERM);
    hh = map_ok(B, DA, REF, HOST, ENV_VA_OF(0));
    hd = map_ok(B, DA, REF, DEV | RO, 0);
    env_destroy(A);
    A = NULL;
    /* The granter is gone; its frame lives on, nobody's, still mapped. */
    assert_int_equal(env_live_domains(), 2);
    assert_false(is_free(f));
    assert_int_equal(frame_table[f].owner, DOMID_XEN);
    assert_int_equal(refs(f), 2);
    assert_int_equal(bytes(f)[7], 0xc3);
    /* A new domain with the same id and a grant of its own at REF. */
    a2 = env_domain(DA, 0, 0);
    e2 = grant(a2, REF, DB, env_frame(a2), PERM);
    hnew = map_ok(B, DA, REF, HOST | RO, ENV_VA_OF(5));
    /* B's old mappings unmap without touching the new domain. */
    assert_int_equal(unmap(B, hh, ENV_VA_OF(0), 0), GNTST_okay);
    assert_int_equal(env_hooks.last_unmap.rd, DOMID_INVALID);
    assert_int_equal(env_hooks.last_unmap.mfn, f);
    assert_int_equal(refs(f), 1);
    assert_false(is_free(f));
    assert_int_equal(unmap(B, hd, 0, 0), GNTST_okay);
    assert_int_equal(env_hooks.last_put.rd, DOMID_INVALID);
    assert_true(is_free(f)); /* the last reference went */
    assert_int_equal(e2->flags, PERM | GTF_reading);
    assert_int_equal(pin_of(a2, REF), GNTPIN_hstr_inc);
    assert_int_equal(unmap(B, hnew, ENV_VA_OF(5), 0), GNTST_okay);
    assert_int_equal(e2->flags, PERM);
}

static void test_granter_dying_unmap_leaves_released_table_alone(void **state)
{
    unsigned long f = env_frame(A);
    xen_pfn_t tf[1];
    uint32_t h;

    (void)state;
    table_frames(A, tf);
    grant(A, REF, DB, f, PERM);
    h = map_ok(B, DA, REF, HOST, ENV_VA_OF(0));
    /* A is being destroyed (preemptible: it is still in the table). */
    env_destroy_begin(A);
    assert_true(is_free(tf[0])); /* its table frame went back */
    /* Whoever gets that frame next fills it. */
    fill(tf[0], 0xff);
    /* B unmaps meanwhile: the mapping goes, the freed frame is not
     * written (the status bits are nobody's any more). */
    assert_int_equal(unmap(B, h, ENV_VA_OF(0), 0), GNTST_okay);
    check_range(tf[0], 0, PAGE_SIZE, 0xff, 0xff);
    assert_true(is_free(f)); /* A had given it up: the mapping was last */
    env_destroy_end(A);
    A = NULL;
}

static struct domain *dies_now;

static void destroy_dies_now(void)
{
    env_destroy_begin(dies_now);
}

/*
 * The child starts dying (another CPU) after the builder's setup_table or
 * dump_table has found it: nothing is allocated into the released table
 * (it would never be freed) and nothing is read from its frames.
 */
static void test_table_ops_on_a_domain_dying_since_lookup(void **state)
{
    struct domain *bl = env_domain(DBL, 0, TESSERA_CAP_BUILD);
    struct domain *ch = env_domain(DCH, DBL, 0);
    struct gnttab_setup_table s = { .dom = DCH, .nr_frames = 4 };
    struct gnttab_dump_table d = { .dom = DCH };
    xen_pfn_t frames[4] = { 0 };

    (void)state;
    s.frame_list = shim_gva(frames);
    dies_now = ch;
    env_hooks.on_lookup = destroy_dies_now;
    assert_int_equal(gnttab(bl, GNTTABOP_setup_table, &s, 1), 0);
    assert_int_equal(s.status, GNTST_bad_domain);
    assert_null(env_hooks.on_lookup); /* the race did happen */
    assert_int_equal(frames[0], 0);
    /* Undo the dying state for the second race, then the same for dump. */
    env_destroy_end(ch);
    ch = env_domain(DCH, DBL, 0);
    dies_now = ch;
    env_hooks.on_lookup = destroy_dies_now;
    shim_console_reset();
    assert_int_equal(gnttab(bl, GNTTABOP_dump_table, &d, 1), 0);
    assert_int_equal(d.status, GNTST_bad_domain);
    assert_null(strstr(shim_console, "grant table"));
    env_destroy_end(ch);
    /* The teardown's leak check: no frame was allocated behind its back. */
}

static void test_mapper_destroyed_releases_its_pins(void **state)
{
    unsigned long f = env_frame(A), g = env_frame(A);
    struct grant_entry_v1 *e = grant(A, REF, DB, f, PERM);
    struct grant_entry_v1 *e2 = grant(A, REF + 1, DB, g, PERM);
    uint16_t end = PERM;

    (void)state;
    (void)map_ok(B, DA, REF, HOST, ENV_VA_OF(0));
    (void)map_ok(B, DA, REF, HOST | RO, ENV_VA_OF(1));
    (void)map_ok(B, DA, REF + 1, DEV, 0);
    (void)map_ok(B, DA, REF + 1, DEV | RO, 0);
    assert_int_equal(refs(f), 3);
    assert_int_equal(refs(g), 3);
    env_destroy(B);
    B = NULL;
    /* Every pin went back, and every reference. */
    assert_int_equal(e->flags, PERM);
    assert_int_equal(e2->flags, PERM);
    assert_int_equal(pin_of(A, REF), 0);
    assert_int_equal(pin_of(A, REF + 1), 0);
    assert_int_equal(env_hooks.put_frames, 2);
    assert_int_equal(refs(f), 1);
    assert_int_equal(refs(g), 1);
    assert_int_equal(type_refs(f), 0);
    assert_int_equal(type_refs(g), 0);
    /* The granter ends access the guest's way now. */
    assert_true(__atomic_compare_exchange_n(
        &e->flags, &end, 0, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
}

static void test_mapper_destroyed_after_granter(void **state)
{
    unsigned long f = env_frame(A);

    (void)state;
    grant(A, REF, DB, f, PERM);
    (void)map_ok(B, DA, REF, HOST, ENV_VA_OF(0));
    (void)map_ok(B, DA, REF, DEV, 0);
    env_destroy(A);
    A = NULL;
    assert_false(is_free(f));
    env_destroy(B);
    B = NULL;
    assert_true(is_free(f));
    assert_int_equal(env_live_domains(), 1);
}

static void test_both_dying_mapper_first_step(void **state)
{
    unsigned long f = env_frame(A);
    xen_pfn_t tf[1];

    (void)state;
    table_frames(A, tf);
    grant(A, REF, DB, f, PERM);
    (void)map_ok(B, DA, REF, HOST | RO, ENV_VA_OF(0));
    env_destroy_begin(A);
    fill(tf[0], 0xee);
    /* The mapper's destruction gives back a pin of a dying granter. */
    env_destroy(B);
    B = NULL;
    check_range(tf[0], 0, PAGE_SIZE, 0xee, 0xee);
    env_destroy_end(A);
    A = NULL;
    assert_true(is_free(f));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_setup_table_grows_own_table_and_lists_its_frames),
        T(test_setup_table_too_many_frames_general_error),
        T(test_setup_table_allocation_failure_general_error),
        T(test_setup_table_bad_domain),
        T(test_setup_table_of_child_needs_build_on_unsealed),
        T(test_setup_table_faults),
        T(test_single_ops_need_count_one),
        T(test_unsupported_ops_enosys),
        T(test_set_version_only_1),
        T(test_get_version_errors),
        T(test_dump_table_lists_entries_and_pins),
        T(test_map_host_rw_sets_reading_and_writing),
        T(test_map_host_ro_sets_reading_only),
        T(test_map_readonly_grant_refuses_rw_map),
        T(test_map_ref_beyond_table_bad_gntref),
        T(test_map_entry_for_another_domain_refused),
        T(test_map_bad_entry_flags_refused),
        T(test_map_bad_domain),
        T(test_map_bad_flags_and_address),
        T(test_map_frame_not_granters_bad_page),
        T(test_map_host_failure_unwinds_pin_and_handle),
        T(test_map_device_returns_dev_bus_addr),
        T(test_map_device_failures_unwind),
        T(test_map_handles_distinct_and_reused),
        T(test_maptrack_exhaustion_no_space),
        T(test_maptrack_allocation_failure_no_space),
        T(test_pin_count_overflow_refused),
        T(test_unmap_bad_handle),
        T(test_unmap_wrong_address_changes_nothing),
        T(test_unmap_status_bits_go_with_last_pin),
        T(test_unmap_and_replace_moves_own_mapping),
        T(test_copy_grant_to_own_frame),
        T(test_copy_own_frame_to_grant),
        T(test_copy_grant_to_grant_and_own_to_own),
        T(test_copy_bounds_per_op),
        T(test_copy_readonly_grant_as_destination_refused),
        T(test_copy_refusals),
        T(test_batch_per_op_status_each_op_copied_once),
        T(test_batch_faults_and_limits),
        T(test_batch_preempted_continues_where_it_stopped),
        T(test_revoke_while_mapped_keeps_pinned_frame),
        T(test_revoke_and_give_back_frame_freed_at_unmap),
        T(test_entry_read_once_per_pin),
        T(test_granter_destroyed_while_mapped_keeps_frame),
        T(test_granter_dying_unmap_leaves_released_table_alone),
        T(test_table_ops_on_a_domain_dying_since_lookup),
        T(test_mapper_destroyed_releases_its_pins),
        T(test_mapper_destroyed_after_granter),
        T(test_both_dying_mapper_first_step),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
