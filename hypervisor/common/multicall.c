/*
 * Multicall batch logic (see hv/multicall.h).
 *
 * Locking: none; runs on the calling vCPU over its own memory.
 */
#include <hv/errno.h>
#include <hv/lib.h>
#include <hv/multicall.h>
#include <public/xen.h>

long multicall_run(const struct multicall_ops *ops, uint64_t list,
                   unsigned long nr, unsigned long *done)
{
    struct multicall_entry e;
    unsigned long i;

    for ( i = 0; i < nr; i++ )
    {
        uint64_t slot = list + i * sizeof(e);
        bool preempted = false;
        unsigned long args[5], new_args[5];

        *done = i;
        if ( i && ops->should_yield(ops->ctx) )
            return MULTICALL_PREEMPTED;
        if ( ops->copy_in(ops->ctx, &e, slot, sizeof(e)) )
            return -EFAULT;
        if ( e.op == __HYPERVISOR_multicall || e.op == __HYPERVISOR_iret )
            e.result = (xen_ulong_t)-EINVAL;
        else
        {
            memcpy(args, e.args, sizeof(args));
            e.result =
                ops->dispatch(ops->ctx, e.op, args, &preempted, new_args);
            if ( preempted )
            {
                /* Continue this entry later with its new arguments. */
                memcpy(e.args, new_args, sizeof(new_args));
                if ( ops->copy_out(ops->ctx, slot, &e, sizeof(e)) )
                    return -EFAULT;
                return MULTICALL_PREEMPTED;
            }
        }
        if ( ops->copy_out(ops->ctx,
                           slot + offsetof(struct multicall_entry, result),
                           &e.result, sizeof(e.result)) )
            return -EFAULT;
    }
    *done = nr;
    return 0;
}
