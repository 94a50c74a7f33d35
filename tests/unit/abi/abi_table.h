/*
 * ABI comparison tables: the (name, value) rows each side exports
 *
 * Locking: none.  xen_side.c and our_side.c both expand abi_items.h and
 * hypercall-list.h into these rows, in the same order.
 */
#ifndef TESTS_UNIT_ABI_TABLE_H
#define TESTS_UNIT_ABI_TABLE_H

#include <stddef.h>

struct abi_row
{
    const char *name;
    long long value;
};

#define C(n)    { "const " #n, (long long)(n) },
#define S(t)    { "sizeof struct " #t, (long long)sizeof(struct t) },
#define T(t)    { "sizeof " #t, (long long)sizeof(t) },
#define O(t, f) { "offsetof " #t "." #f, (long long)offsetof(struct t, f) },
#define HYPERCALL(nr, name, nargs) \
    { "const __HYPERVISOR_" #name, (long long)(__HYPERVISOR_##name) },

extern const struct abi_row abi_xen_rows[], abi_our_rows[];
extern const size_t abi_xen_nr_rows, abi_our_nr_rows;

#endif /* TESTS_UNIT_ABI_TABLE_H */
