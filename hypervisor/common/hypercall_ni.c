/*
 * The -ENOSYS handler, and a weak alias of it for every hypercall number in
 * the list: an implemented handler elsewhere overrides its alias at link
 * time, so a number never disappears from the table.
 *
 * Locking: none.
 */
#include <hv/errno.h>
#include <hv/hypercall.h>

long do_ni_hypercall(HYPERCALL_ARGS)
{
    return -ENOSYS;
}

/* clang-format off */
#define HYPERCALL(nr, name, nargs) \
    long do_##name(HYPERCALL_ARGS) \
        __attribute__((weak, alias("do_ni_hypercall")));
#include <public/hypercall-list.h>
#undef HYPERCALL
/* clang-format on */
