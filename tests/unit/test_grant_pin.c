/*
 * hv/grant_pin.h: one grant entry's state machine.  The status bits the
 * granter sees follow the pins exactly (reading while any pin, writing
 * while any writer); every refusal leaves the entry as it was; the frame is
 * read once; a read-only pin upgrades to writable only through the
 * entry's own checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <hv/grant_pin.h>

#define LD 5 /* the mapping domain */

static struct grant_entry_v1 e;
static struct active_grant act;
static unsigned int frame_checks;

static bool frame_ok(unsigned long frame, void *arg)
{
    (void)arg;
    frame_checks++;
    return frame >= 0x100 && frame < 0x200;
}

static void grant(uint16_t flags, domid_t dom, uint32_t frame)
{
    e.flags = flags;
    e.domid = dom;
    e.frame = frame;
}

static int setup(void **state)
{
    (void)state;
    memset(&e, 0, sizeof(e));
    memset(&act, 0, sizeof(act));
    frame_checks = 0;
    return 0;
}

static int16_t pin(bool ro, uint32_t inc, unsigned long *mfn)
{
    return gnt_pin(&e, &act, LD, ro, true, inc, frame_ok, NULL, mfn);
}

static void test_read_write_bits(void **state)
{
    unsigned long mfn = 0;

    (void)state;
    grant(GTF_permit_access, LD, 0x123);
    assert_int_equal(pin(true, GNTPIN_hstr_inc, &mfn), GNTST_okay);
    assert_int_equal(mfn, 0x123);
    assert_int_equal(e.flags, GTF_permit_access | GTF_reading);
    /* Upgrade: a writable pin sets GTF_writing through the checks. */
    assert_int_equal(pin(false, GNTPIN_hstw_inc, &mfn), GNTST_okay);
    assert_int_equal(e.flags, GTF_permit_access | GTF_reading | GTF_writing);
    assert_int_equal(act.pin, GNTPIN_hstr_inc | GNTPIN_hstw_inc);
    assert_int_equal(frame_checks, 1); /* the frame is checked once */
    /* A device writer too: writing stays until the last writer goes. */
    assert_int_equal(pin(false, GNTPIN_devw_inc, &mfn), GNTST_okay);
    gnt_unpin(&e, &act, GNTPIN_hstw_inc);
    assert_int_equal(e.flags, GTF_permit_access | GTF_reading | GTF_writing);
    gnt_unpin(&e, &act, GNTPIN_devw_inc);
    assert_int_equal(e.flags, GTF_permit_access | GTF_reading);
    gnt_unpin(&e, &act, GNTPIN_hstr_inc);
    assert_int_equal(e.flags, GTF_permit_access);
    assert_int_equal(act.pin, 0);
}

/* GTF_sub_page: a map is refused and leaves no bit; a copy may pin it. */
static void test_sub_page_refused_for_maps_only(void **state)
{
    unsigned long mfn = 0;

    (void)state;
    grant(GTF_permit_access | GTF_sub_page, LD, 0x123);
    assert_int_equal(pin(true, GNTPIN_hstr_inc, &mfn), GNTST_general_error);
    assert_int_equal(e.flags, GTF_permit_access | GTF_sub_page);
    assert_int_equal(act.pin, 0);
    assert_int_equal(gnt_pin(&e, &act, LD, true, false, GNTPIN_hstr_inc,
                             frame_ok, NULL, &mfn),
                     GNTST_okay);
    assert_int_equal(mfn, 0x123);
    gnt_unpin(&e, &act, GNTPIN_hstr_inc);
    assert_int_equal(e.flags, GTF_permit_access | GTF_sub_page);
}

static void test_frame_read_once(void **state)
{
    unsigned long mfn = 0;

    (void)state;
    grant(GTF_permit_access, LD, 0x150);
    assert_int_equal(pin(false, GNTPIN_hstw_inc, &mfn), GNTST_okay);
    /* The granter points the entry elsewhere while it is pinned. */
    e.frame = 0x7777;
    assert_int_equal(pin(true, GNTPIN_hstr_inc, &mfn), GNTST_okay);
    assert_int_equal(mfn, 0x150);
    assert_int_equal(frame_checks, 1);
}

static void test_refusals_leave_entry(void **state)
{
    static const struct
    {
        uint16_t flags;
        domid_t dom;
        uint32_t frame;
        bool ro;
        int16_t want;
    } cases[] = {
        { GTF_invalid, LD, 0x123, true, GNTST_general_error },
        { GTF_accept_transfer, LD, 0x123, true, GNTST_general_error },
        { GTF_transitive, LD, 0x123, true, GNTST_general_error },
        { GTF_permit_access, LD + 1, 0x123, true, GNTST_general_error },
        { GTF_permit_access | GTF_readonly, LD, 0x123, false,
          GNTST_general_error },
        { GTF_permit_access, LD, 0x999, true, GNTST_bad_page },
        { GTF_permit_access, LD, 0x999, false, GNTST_bad_page },
        /* Status bits a granter set itself are kept, not claimed. */
        { GTF_permit_access | GTF_reading, LD, 0x999, false, GNTST_bad_page },
    };
    unsigned long mfn = 0xdead;

    (void)state;
    for ( size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++ )
    {
        setup(NULL);
        grant(cases[i].flags, cases[i].dom, cases[i].frame);
        assert_int_equal(pin(cases[i].ro, GNTPIN_hstr_inc, &mfn),
                         cases[i].want);
        assert_int_equal(e.flags, cases[i].flags);
        assert_int_equal(e.domid, cases[i].dom);
        assert_int_equal(act.pin, 0);
    }
    /* A read-only entry still pins read-only. */
    setup(NULL);
    grant(GTF_permit_access | GTF_readonly, LD, 0x123);
    assert_int_equal(pin(true, GNTPIN_hstr_inc, &mfn), GNTST_okay);
    /* ...and never upgrades. */
    assert_int_equal(pin(false, GNTPIN_hstw_inc, &mfn), GNTST_general_error);
    assert_int_equal(e.flags, GTF_permit_access | GTF_readonly | GTF_reading);
    assert_int_equal(act.pin, GNTPIN_hstr_inc);
}

static void test_pinned_for_another(void **state)
{
    unsigned long mfn = 0;

    (void)state;
    grant(GTF_permit_access, LD, 0x123);
    assert_int_equal(pin(true, GNTPIN_hstr_inc, &mfn), GNTST_okay);
    /* The granter re-targets the entry; the active pin is still LD's. */
    e.domid = LD + 1;
    assert_int_equal(gnt_pin(&e, &act, LD + 1, true, true, GNTPIN_hstr_inc,
                             frame_ok, NULL, &mfn),
                     GNTST_general_error);
    /* LD itself may add read pins (no new check) but not a writer now. */
    assert_int_equal(pin(true, GNTPIN_hstr_inc, &mfn), GNTST_okay);
    assert_int_equal(pin(false, GNTPIN_hstw_inc, &mfn), GNTST_general_error);
    assert_int_equal(act.pin, 2 * GNTPIN_hstr_inc);
}

static void test_counts(void **state)
{
    unsigned long mfn = 0;
    unsigned int i;

    (void)state;
    grant(GTF_permit_access, LD, 0x1ff);
    for ( i = 0; i < 200; i++ )
        assert_int_equal(
            pin(i % 2, i % 2 ? GNTPIN_hstr_inc : GNTPIN_hstw_inc, &mfn),
            GNTST_okay);
    for ( i = 0; i < 200; i++ )
    {
        gnt_unpin(&e, &act, i % 2 ? GNTPIN_hstr_inc : GNTPIN_hstw_inc);
        /* Writers are the even ones: the last goes at i == 198. */
        assert_int_equal(!!(e.flags & GTF_writing), i < 198);
        assert_int_equal(!!(e.flags & GTF_reading), i < 199);
    }
    assert_int_equal(e.flags, GTF_permit_access);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_read_write_bits, setup),
        cmocka_unit_test_setup(test_sub_page_refused_for_maps_only, setup),
        cmocka_unit_test_setup(test_frame_read_once, setup),
        cmocka_unit_test_setup(test_refusals_leave_entry, setup),
        cmocka_unit_test_setup(test_pinned_for_another, setup),
        cmocka_unit_test_setup(test_counts, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
