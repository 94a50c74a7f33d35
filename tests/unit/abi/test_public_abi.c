/*
 * Public ABI test: include/public against Xen's own public headers
 *
 * Locking: none.  Every constant, structure size and field offset listed in
 * abi_items.h (and every hypercall in hypercall-list.h) is compared between
 * the table built from Debian's libxen-dev headers and the one built from
 * ours.  Each kind of row is one test case; a case reports every mismatch
 * before it fails.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "abi_table.h"

static void test_tables_line_up(void **state)
{
    (void)state;
    assert_int_equal(abi_xen_nr_rows, abi_our_nr_rows);
    for ( size_t i = 0; i < abi_xen_nr_rows; i++ )
        assert_string_equal(abi_xen_rows[i].name, abi_our_rows[i].name);
}

/* Compare the rows whose name starts with prefix; 0 when all agree. */
static unsigned int compare_rows(const char *prefix)
{
    unsigned int bad = 0, seen = 0;

    for ( size_t i = 0; i < abi_xen_nr_rows && i < abi_our_nr_rows; i++ )
    {
        const struct abi_row *x = &abi_xen_rows[i], *o = &abi_our_rows[i];

        if ( strncmp(x->name, prefix, strlen(prefix)) )
            continue;
        seen++;
        if ( x->value != o->value )
        {
            print_error("%s: Xen %lld (0x%llx), ours %lld (0x%llx)\n", x->name,
                        x->value, (unsigned long long)x->value, o->value,
                        (unsigned long long)o->value);
            bad++;
        }
    }
    /* An empty category would make the case meaningless. */
    return seen ? bad : 1;
}

static void test_constants(void **state)
{
    (void)state;
    assert_int_equal(compare_rows("const "), 0);
}

static void test_hypercall_numbers(void **state)
{
    (void)state;
    assert_int_equal(compare_rows("const __HYPERVISOR_"), 0);
}

static void test_struct_sizes(void **state)
{
    (void)state;
    assert_int_equal(compare_rows("sizeof "), 0);
}

static void test_field_offsets(void **state)
{
    (void)state;
    assert_int_equal(compare_rows("offsetof "), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables_line_up),
        cmocka_unit_test(test_constants),
        cmocka_unit_test(test_hypercall_numbers),
        cmocka_unit_test(test_struct_sizes),
        cmocka_unit_test(test_field_offsets),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
