/*
 * Multicall: the batch logic, separate from guest memory and the hypercall
 * table so that it can be tested on the host.
 */
#ifndef HV_MULTICALL_H
#define HV_MULTICALL_H

#include <hv/types.h>

struct multicall_ops
{
    void *ctx;
    /* Copy from/to the guest; 0 or -EFAULT. */
    int (*copy_in)(void *ctx, void *dst, uint64_t gva, size_t len);
    int (*copy_out)(void *ctx, uint64_t gva, const void *src, size_t len);
    /*
     * Run hypercall nr.  If it asked to be continued, set *preempted and
     * fill new_args with the arguments to continue with.
     */
    long (*dispatch)(void *ctx, unsigned long nr, const unsigned long args[5],
                     bool *preempted, unsigned long new_args[5]);
    bool (*should_yield)(void *ctx); /* other work is waiting */
};

#define MULTICALL_PREEMPTED 1 /* *done entries finished; continue from there */

/*
 * Run the nr entries at list.  Each entry is read once; its result is
 * written to its result field.  A nested multicall or an iret is refused
 * for that entry (result -EINVAL).  Between entries, should_yield() may
 * stop the batch (MULTICALL_PREEMPTED); a preempted entry gets its new
 * arguments written back and the batch stops before it.  Returns 0 when
 * every entry ran, -EFAULT when an entry cannot be read or its result
 * written (*done says how far it got), or MULTICALL_PREEMPTED.
 */
long multicall_run(const struct multicall_ops *ops, uint64_t list,
                   unsigned long nr, unsigned long *done);

#endif /* HV_MULTICALL_H */
