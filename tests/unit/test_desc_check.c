/*
 * Unit tests for common/desc_check.c: a table of descriptors with the
 * verdict and fixed-up value the reference's rules (§1.6) give, each with
 * its reason; idempotence; and the all-or-nothing table check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hv/desc_check.h>
#include <hv/errno.h>
#include <hv/lib.h>

/* A code/data (s = 1) or system (s = 0) descriptor. */
static uint64_t seg(uint32_t base, uint32_t limit, unsigned int type,
                    unsigned int s, unsigned int dpl, unsigned int p,
                    unsigned int flags /* G D/B L AVL */)
{
    uint32_t a = (base << 16) | (limit & 0xffff);
    uint32_t b = (base & 0xff000000) | ((flags & 0xf) << 20) |
                 (limit & 0xf0000) | (p << 15) | (dpl << 13) | (s << 12) |
                 (type << 8) | ((base >> 16) & 0xff);

    return ((uint64_t)b << 32) | a;
}

/* Lower half of a 64-bit gate. */
static uint64_t gate(uint16_t sel, uint32_t off, unsigned int type,
                     unsigned int dpl, unsigned int p, unsigned int rsvd)
{
    uint32_t a = ((uint32_t)sel << 16) | (off & 0xffff);
    uint32_t b =
        (off & 0xffff0000) | (p << 15) | (dpl << 13) | (type << 8) | rsvd;

    return ((uint64_t)b << 32) | a;
}

#define DPL3 (3ULL << 45)
#define CODE 0xb /* execute/read, accessed */
#define DATA 0x3 /* read/write, accessed */
#define L    0xa /* G, L */
#define GDB  0xc /* G, D/B */

struct dcase
{
    const char *why;
    uint64_t in;
    bool ok;
    uint64_t out; /* when ok */
};

static void check_cases(const struct dcase *c, size_t n)
{
    size_t i;

    for ( i = 0; i < n; i++ )
    {
        uint64_t d = c[i].in, again;

        if ( desc_check(&d) != c[i].ok )
            fail_msg("%s: %#018llx %s", c[i].why, (unsigned long long)c[i].in,
                     c[i].ok ? "refused" : "accepted");
        if ( !c[i].ok )
        {
            assert_int_equal(d, c[i].in); /* untouched */
            continue;
        }
        if ( d != c[i].out )
            fail_msg("%s: %#018llx became %#018llx, want %#018llx", c[i].why,
                     (unsigned long long)c[i].in, (unsigned long long)d,
                     (unsigned long long)c[i].out);
        /* Checking a checked descriptor changes nothing (re-validation). */
        again = d;
        assert_true(desc_check(&again));
        assert_int_equal(again, d);
    }
}

static void test_code_data(void **state)
{
    const struct dcase cases[] = {
        { "null descriptor: not present", 0, true, 0 },
        { "not present, garbage: never loadable", 0xffff7fffffffffffULL, true,
          0xffff7fffffffffffULL },
        { "Xen's ring-3 64-bit code as is", 0x00affb000000ffffULL, true,
          0x00affb000000ffffULL },
        { "Xen's ring-3 compat code as is", 0x00cffb000000ffffULL, true,
          0x00cffb000000ffffULL },
        { "Xen's ring-3 data as is", 0x00cff3000000ffffULL, true,
          0x00cff3000000ffffULL },
        { "ring-0 64-bit code: DPL raised to 3", 0x00af9b000000ffffULL, true,
          0x00affb000000ffffULL },
        { "ring-0 data: DPL raised to 3", seg(0, 0xfffff, DATA, 1, 0, 1, GDB),
          true, seg(0, 0xfffff, DATA, 1, 3, 1, GDB) },
        { "ring-1 code: DPL raised to 3", seg(0, 0xfffff, CODE, 1, 1, 1, L),
          true, seg(0, 0xfffff, CODE, 1, 3, 1, L) },
        { "ring-2 data: DPL raised to 3", seg(0x1000, 0xff, DATA, 1, 2, 1, 0),
          true, seg(0x1000, 0xff, DATA, 1, 3, 1, 0) },
        { "no base/limit check: base 0xffffffff, 4 GiB",
          seg(0xffffffff, 0xfffff, DATA, 1, 3, 1, GDB), true,
          seg(0xffffffff, 0xfffff, DATA, 1, 3, 1, GDB) },
        { "conforming code, DPL 0: raised", seg(0, 0xfffff, 0xf, 1, 0, 1, L),
          true, seg(0, 0xfffff, 0xf, 1, 3, 1, L) },
        { "expand-down data", seg(0, 0xf, 0x7, 1, 3, 1, GDB), true,
          seg(0, 0xf, 0x7, 1, 3, 1, GDB) },
    };

    (void)state;
    check_cases(cases, ARRAY_SIZE(cases));
}

static void test_system(void **state)
{
    const struct dcase cases[] = {
        { "type 0 (upper half of a gate): accepted as is",
          seg(0, 0, 0, 0, 0, 1, 0), true, seg(0, 0, 0, 0, 0, 1, 0) },
        { "type 0 upper half holding offset bits", 0x00008000ffffffffULL, true,
          0x00008000ffffffffULL },
        { "16-bit TSS refused", seg(0, 0x67, 0x1, 0, 0, 1, 0), false, 0 },
        { "LDT refused", seg(0x1000, 0xfff, 0x2, 0, 3, 1, 0), false, 0 },
        { "busy 16-bit TSS refused", seg(0, 0x67, 0x3, 0, 0, 1, 0), false, 0 },
        { "16-bit call gate refused", gate(0x10, 0, 0x4, 3, 1, 0), false, 0 },
        { "task gate refused", gate(0x10, 0, 0x5, 3, 1, 0), false, 0 },
        { "16-bit interrupt gate refused", gate(0x10, 0, 0x6, 3, 1, 0), false,
          0 },
        { "16-bit trap gate refused", gate(0x10, 0, 0x7, 3, 1, 0), false, 0 },
        { "reserved type 8 refused", seg(0, 0, 0x8, 0, 3, 1, 0), false, 0 },
        { "available TSS refused", seg(0x1000, 0x67, 0x9, 0, 0, 1, 0), false,
          0 },
        { "available TSS at DPL 3 refused too",
          seg(0x1000, 0x67, 0x9, 0, 3, 1, 0), false, 0 },
        { "reserved type 0xa refused", seg(0, 0, 0xa, 0, 3, 1, 0), false, 0 },
        { "busy TSS refused", seg(0x1000, 0x67, 0xb, 0, 0, 1, 0), false, 0 },
        { "reserved type 0xd refused", seg(0, 0, 0xd, 0, 3, 1, 0), false, 0 },
        { "interrupt gate refused", gate(0xe033, 0x1000, 0xe, 3, 1, 0), false,
          0 },
        { "trap gate refused", gate(0xe033, 0x1000, 0xf, 3, 1, 0), false, 0 },
        { "not-present TSS: harmless", seg(0x1000, 0x67, 0x9, 0, 0, 0, 0), true,
          seg(0x1000, 0x67, 0x9, 0, 0, 0, 0) },
        { "not-present interrupt gate: harmless",
          gate(0xe008, 0x1000, 0xe, 0, 0, 0), true,
          gate(0xe008, 0x1000, 0xe, 0, 0, 0) },
    };

    (void)state;
    check_cases(cases, ARRAY_SIZE(cases));
}

static void test_call_gates(void **state)
{
    const struct dcase cases[] = {
        { "gate to guest GDT code: DPL 0, original DPL (3) in the RPL",
          gate(0x0010, 0x12345678, 0xc, 3, 1, 0), true,
          gate(0x0013, 0x12345678, 0xc, 0, 1, 0) },
        { "gate DPL 0: raised to 3 first, so RPL 3",
          gate(0x0010, 0x12345678, 0xc, 0, 1, 0), true,
          gate(0x0013, 0x12345678, 0xc, 0, 1, 0) },
        { "last guest GDT entry (7167)", gate(7167 << 3, 0, 0xc, 3, 1, 0), true,
          gate((7167 << 3) | 3, 0, 0xc, 0, 1, 0) },
        { "first reserved entry (7168) refused",
          gate(7168 << 3, 0, 0xc, 3, 1, 0), false, 0 },
        { "Xen's ring-0 code 0xe008 refused", gate(0xe008, 0, 0xc, 3, 1, 0),
          false, 0 },
        { "Xen's ring-0 data 0xe010 refused", gate(0xe010, 0, 0xc, 3, 1, 0),
          false, 0 },
        { "FLAT_KERNEL_CS 0xe033 allowed", gate(0xe033, 0x1000, 0xc, 3, 1, 0),
          true, gate(0xe033, 0x1000, 0xc, 0, 1, 0) },
        { "0xe030 is not FLAT_KERNEL_CS", gate(0xe030, 0, 0xc, 3, 1, 0), false,
          0 },
        { "compat code 0xe023 refused", gate(0xe023, 0, 0xc, 3, 1, 0), false,
          0 },
        { "LDT selector (TI=1) allowed, even a high index",
          gate(0xe00c, 0, 0xc, 3, 1, 0), true, gate(0xe00f, 0, 0xc, 0, 1, 0) },
        { "reserved bits set refused", gate(0x0010, 0, 0xc, 3, 1, 0x01), false,
          0 },
        { "reserved bit 7 set refused", gate(0x0010, 0, 0xc, 3, 1, 0x80), false,
          0 },
        { "not-present gate to Xen code: harmless",
          gate(0xe008, 0, 0xc, 3, 0, 0x1f), true,
          gate(0xe008, 0, 0xc, 3, 0, 0x1f) },
    };

    (void)state;
    check_cases(cases, ARRAY_SIZE(cases));
}

/* A 16-byte gate is two slots, each checked alone. */
static void test_gate_pair(void **state)
{
    uint64_t lo = gate(0x0010, 0x5678, 0xc, 3, 1, 0);
    uint64_t hi = 0xffffffffULL; /* offset bits 63:32, type 0 */

    (void)state;
    assert_true(desc_check(&lo));
    assert_true(desc_check(&hi));
    assert_int_equal(hi, 0xffffffffULL);
    assert_int_equal((lo >> 45) & 3, 0);
}

static void test_table(void **state)
{
    uint64_t *t = malloc(512 * 8), *copy = malloc(512 * 8);
    unsigned int i, bad = ~0U;

    (void)state;
    for ( i = 0; i < 512; i++ )
        t[i] = i % 3 == 0   ? 0
               : i % 3 == 1 ? 0x00af9b000000ffffULL /* DPL 0 code */
                            : gate(0x10, i, 0xc, 3, 1, 0);
    t[300] = seg(0x1000, 0x67, 0x9, 0, 0, 1, 0); /* a TSS */
    memcpy(copy, t, 512 * 8);
    assert_int_equal(desc_check_table(t, 512, &bad), -EINVAL);
    assert_int_equal(bad, 300);
    assert_memory_equal(t, copy, 512 * 8); /* nothing fixed up */

    t[300] = 0;
    assert_int_equal(desc_check_table(t, 512, &bad), 0);
    for ( i = 1; i < 512; i++ )
        if ( i % 3 == 1 )
            assert_int_equal(t[i], 0x00affb000000ffffULL);
        else if ( i % 3 == 2 && i != 300 )
            assert_int_equal(t[i], gate(0x13, i, 0xc, 0, 1, 0));
    assert_int_equal(desc_check_table(t, 0, &bad), 0);
    free(t);
    free(copy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_code_data),  cmocka_unit_test(test_system),
        cmocka_unit_test(test_call_gates), cmocka_unit_test(test_gate_pair),
        cmocka_unit_test(test_table),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
