/*
 * grant: grant tables v1 within one domain (a domain may grant to
 * itself), so that it runs alone as domain 0 here and on Xen: the table
 * (query_size, setup_table, version), host mappings read-write and
 * read-only with the granter's GTF_reading/GTF_writing kept true, writes
 * through a read-only mapping faulting, grant copy at many offsets and
 * lengths, and the refusals: bad handle, ref beyond the table, an entry
 * for another domain, a read-only entry mapped writable, a frame that is
 * not the granter's, copy out of bounds; a granter ending access while
 * mapped and giving the frame back leaves the mapping working and
 * unmappable.  Xen ABI only.
 */
#include <string.h>

#include <public/errno.h>
#include <public/grant_table.h>
#include <public/memory.h>
#include <rt/gnttab.h>
#include <rt/mm.h>
#include <rt/rt.h>

#include "../lib/mm.h"
#include "../lib/test.h"

const char test_title[] = "grant: table, map, unmap, copy, refusals (v1)";

static struct grant_entry_v1 *gt; /* our table, mapped */

static long gnttab(unsigned int cmd, void *op, unsigned int count)
{
    return HYPERVISOR_grant_table_op(cmd, XEN_ARG(op), count);
}

/* A page of ours: its address and machine frame. */
struct page
{
    uint8_t *va;
    unsigned long mfn, pfn;
};

static struct page own_page(void)
{
    long pfn = xen_pfn_alloc_zeroed();
    struct page p = { NULL, 0, 0 };

    if ( pfn < 0 || xen_pfn_map((unsigned long)pfn, XEN_PTE_DATA) )
        test_error("no page: %ld", pfn);
    p.va = xen_pfn_to_virt((unsigned long)pfn);
    p.pfn = (unsigned long)pfn;
    p.mfn = xen_pfn_to_mfn((unsigned long)pfn);
    return p;
}

/* An address with an L1 entry but no mapping: a place to map grants. */
static uint8_t *hole(void)
{
    uint8_t *h = xen_va_hole();

    if ( !h )
        test_error("no hole");
    return h;
}

static void grant(grant_ref_t ref, domid_t dom, unsigned long mfn,
                  uint16_t flags)
{
    gt[ref].domid = dom;
    gt[ref].frame = (uint32_t)mfn;
    __atomic_store_n(&gt[ref].flags, flags, __ATOMIC_RELEASE);
}

static int16_t map(grant_ref_t ref, void *at, uint32_t flags, uint32_t *h)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = (uint64_t)at,
        .flags = GNTMAP_host_map | flags,
        .ref = ref,
        .dom = 0, /* ourselves, domain 0 */
    };
    long rc = gnttab(GNTTABOP_map_grant_ref, &op, 1);

    if ( rc )
        test_fail("map_grant_ref hypercall: %ld", rc);
    *h = op.handle;
    return op.status;
}

static int16_t unmap(void *at, uint32_t h)
{
    struct gnttab_unmap_grant_ref op = { .host_addr = (uint64_t)at,
                                         .handle = h };
    long rc = gnttab(GNTTABOP_unmap_grant_ref, &op, 1);

    if ( rc )
        test_fail("unmap_grant_ref hypercall: %ld", rc);
    return op.status;
}

static uint16_t flags_of(grant_ref_t ref)
{
    return __atomic_load_n(&gt[ref].flags, __ATOMIC_ACQUIRE);
}

static void table(void)
{
    struct gnttab_query_size qs = { .dom = DOMID_SELF };
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1 };
    struct gnttab_get_version gv = { .dom = DOMID_SELF };
    struct gnttab_set_version sv = { .version = 1 };
    xen_pfn_t frame = 0;
    uint8_t *at = hole();

    test_expect_rc(gnttab(GNTTABOP_query_size, &qs, 1), 0, "query_size");
    test_check(qs.status == GNTST_okay && qs.nr_frames >= 1 &&
                   qs.max_nr_frames >= qs.nr_frames,
               "query_size: status %d, %u of %u frames", qs.status,
               qs.nr_frames, qs.max_nr_frames);
    st.frame_list = (uint64_t)&frame;
    test_expect_rc(gnttab(GNTTABOP_setup_table, &st, 1), 0, "setup_table");
    test_check(st.status == GNTST_okay && frame, "setup_table: %d, frame %#lx",
               st.status, (unsigned long)frame);
    test_expect_rc(HYPERVISOR_update_va_mapping((unsigned long)at,
                                                (frame << 12) | XEN_PTE_DATA,
                                                UVMF_INVLPG),
                   0, "map the table frame");
    gt = (struct grant_entry_v1 *)at;
    test_expect_rc(gnttab(GNTTABOP_set_version, &sv, 1), 0, "set_version 1");
    test_expect_rc(gnttab(GNTTABOP_get_version, &gv, 1), 0, "get_version");
    test_check(gv.version == 1, "version %u", gv.version);
    test_expect_rc(gnttab(GNTTABOP_setup_table, &st, 2), -XEN_EINVAL,
                   "setup_table with count 2");
}

static void maps(void)
{
    struct page p = own_page();
    uint8_t *rw = hole(), *ro = hole();
    uint32_t h1 = 0, h2 = 0, h3 = 0;
    uint64_t ec = 0;

    grant(8, 0, p.mfn, GTF_permit_access);
    test_expect_rc(map(8, rw, 0, &h1), GNTST_okay, "map read-write");
    test_check(flags_of(8) == (GTF_permit_access | GTF_reading | GTF_writing),
               "mapped rw: flags %#x", flags_of(8));
    memcpy(rw, "through the grant", 18);
    test_check(!memcmp(p.va, "through the grant", 18), "write seen");
    test_expect_rc(map(8, ro, GNTMAP_readonly, &h2), GNTST_okay,
                   "map read-only too");
    test_check(!memcmp(ro, "through the grant", 18), "read through ro");
    test_check(write_faults(ro, &ec), "a write through the ro map faults");
    test_expect_rc(unmap(rw, h1), GNTST_okay, "unmap the rw map");
    test_check(flags_of(8) == (GTF_permit_access | GTF_reading),
               "ro left: flags %#x", flags_of(8));
    test_check(read_faults(rw), "the rw address is unmapped");
    test_expect_rc(unmap(rw, h1), GNTST_bad_handle, "unmap it again");
    test_expect_rc(unmap(rw, h2), GNTST_general_error,
                   "unmap with the wrong address");
    test_expect_rc(unmap(ro, h2), GNTST_okay, "unmap the ro map");
    test_check(flags_of(8) == GTF_permit_access, "unpinned: flags %#x",
               flags_of(8));

    /* A read-only entry: readable, never writable. */
    grant(9, 0, p.mfn, GTF_permit_access | GTF_readonly);
    test_expect_rc(map(9, rw, 0, &h3), GNTST_general_error,
                   "map a readonly entry rw");
    test_check(flags_of(9) == (GTF_permit_access | GTF_readonly),
               "refused: flags %#x", flags_of(9));
    test_expect_rc(map(9, ro, GNTMAP_readonly, &h3), GNTST_okay,
                   "map a readonly entry ro");
    test_expect_rc(unmap(ro, h3), GNTST_okay, "unmap it");

    /* Refusals. */
    grant(10, 7, p.mfn, GTF_permit_access);
    test_expect_rc(map(10, rw, 0, &h3), GNTST_general_error,
                   "an entry for another domain");
    test_expect_rc(map(11, rw, 0, &h3), GNTST_general_error,
                   "an entry never granted");
    test_expect_rc(map(512 * 64, rw, 0, &h3), GNTST_bad_gntref,
                   "a ref beyond the table");
    grant(12, 0, 0x1, GTF_permit_access); /* not our frame */
    test_expect_rc(map(12, rw, 0, &h3), GNTST_bad_page,
                   "a frame that is not the granter's");
    test_check(flags_of(12) == GTF_permit_access, "refused: flags %#x",
               flags_of(12));
    grant(8, 0, 0, GTF_invalid);
    grant(9, 0, 0, GTF_invalid);
    grant(10, 0, 0, GTF_invalid);
    grant(12, 0, 0, GTF_invalid);
}

static int16_t copy1(const struct gnttab_copy *c)
{
    struct gnttab_copy op = *c;
    long rc = gnttab(GNTTABOP_copy, &op, 1);

    if ( rc )
        test_fail("grant copy hypercall: %ld", rc);
    return op.status;
}

static void copies(void)
{
    static const uint16_t offs[] = { 0, 1, 7, 100, 2048, 4000, 4095 };
    static const uint16_t lens[] = { 0, 1, 8, 63, 96, 1000, 4096 };
    struct page src = own_page(), dst = own_page();
    unsigned int i, j, k, done = 0, bad = 0;

    for ( k = 0; k < 4096; k++ )
        src.va[k] = (uint8_t)(k * 7 + 3);
    grant(16, 0, dst.mfn, GTF_permit_access);
    for ( i = 0; i < sizeof(offs) / sizeof(offs[0]); i++ )
        for ( j = 0; j < sizeof(lens) / sizeof(lens[0]); j++ )
        {
            struct gnttab_copy c = { 0 };
            uint16_t so = offs[(i + j) % 7], dof = offs[i], len = lens[j];
            bool fits = so + len <= 4096 && dof + len <= 4096;
            int16_t st;

            memset(dst.va, 0xcc, 4096);
            c.source.u.gmfn = src.mfn;
            c.source.domid = DOMID_SELF;
            c.source.offset = so;
            c.dest.u.ref = 16;
            c.dest.domid = 0;
            c.dest.offset = dof;
            c.len = len;
            c.flags = GNTCOPY_dest_gref;
            st = copy1(&c);
            if ( !fits )
            {
                bad += st != GNTST_bad_copy_arg;
                continue;
            }
            for ( k = 0; k < 4096; k++ )
            {
                uint8_t want = k >= dof && k < dof + len
                                   ? (uint8_t)((k - dof + so) * 7 + 3)
                                   : 0xcc;

                if ( dst.va[k] != want )
                    break;
            }
            bad += st != GNTST_okay || k != 4096;
            done++;
        }
    test_check(!bad, "%u copies wrong", bad);
    test_info("%u grant copies checked byte for byte", done);
    test_check(flags_of(16) == GTF_permit_access, "copy left flags %#x",
               flags_of(16));
    {
        struct gnttab_copy c = { 0 };

        c.source.u.ref = 17; /* never granted */
        c.source.domid = 0;
        c.dest.u.gmfn = dst.mfn;
        c.dest.domid = DOMID_SELF;
        c.len = 8;
        c.flags = GNTCOPY_source_gref;
        test_expect_rc(copy1(&c), GNTST_general_error,
                       "copy from an ungranted ref");
    }
    grant(16, 0, 0, GTF_invalid);
}

static long reservation_op(unsigned int cmd, xen_pfn_t *frame)
{
    struct xen_memory_reservation r = { .extent_start = (uint64_t)frame,
                                        .nr_extents = 1,
                                        .domid = DOMID_SELF };

    return HYPERVISOR_memory_op(cmd, XEN_ARG(&r));
}

/*
 * The granter ends access while the grant is mapped and gives the frame
 * back: the mapping keeps the frame alive (it stays charged to the granter
 * until the mapping goes, on Xen as here), and the unmap still works.
 * The page's pfn is left unused.
 */
static void end_access_while_mapped(void)
{
    struct page p = own_page();
    uint8_t *rw = hole();
    xen_pfn_t gone = p.mfn;
    uint32_t h = 0;

    grant(20, 0, p.mfn, GTF_permit_access);
    test_expect_rc(map(20, rw, 0, &h), GNTST_okay, "map ref 20");
    /* End of access without looking at GTF_reading: the granter's fault. */
    grant(20, 0, 0, GTF_invalid);
    memcpy(rw, "still mapped", 13);
    test_check(!memcmp(p.va, "still mapped", 13), "write through the map");
    test_expect_rc(xen_pfn_unmap(p.pfn), 0, "drop the own mapping");
    test_expect_rc(reservation_op(XENMEM_decrease_reservation, &gone), 1,
                   "give the mapped frame back");
    test_check(!memcmp(rw, "still mapped", 13), "the mapping still reads");
    test_expect_rc(unmap(rw, h), GNTST_okay, "unmap after the end of access");
    test_check(read_faults(rw), "unmapped");
    test_check(flags_of(20) == 0, "entry left as the granter wrote it: %#x",
               flags_of(20));
}

void test_main(void)
{
    table();
    maps();
    copies();
    end_access_while_mapped();
    test_pass_if_clean();
}
