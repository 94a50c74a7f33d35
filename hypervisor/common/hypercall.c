/*
 * Hypercall table, multicall, continuations.
 *
 * Locking: none here; each handler documents its own.
 */
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/softirq.h>
#include <asm/guest_access.h>
#include <asm/smp.h>

static hypercall_fn_t *const hypercall_table[NR_HYPERCALLS] = {
#define HYPERCALL(nr, name, nargs) [nr] = do_##name,
#include <public/hypercall-list.h>
#undef HYPERCALL
};

long hypercall_dispatch(unsigned long nr, const unsigned long a[5])
{
    if ( nr >= NR_HYPERCALLS || !hypercall_table[nr] )
        return -ENOSYS;
    return hypercall_table[nr](a[0], a[1], a[2], a[3], a[4]);
}

bool hypercall_preempt_check(void)
{
    return softirq_pending(smp_processor_id());
}

/* Continuation state: set by a handler, consumed by the arch dispatcher. */
struct continuation
{
    bool pending;
    unsigned long nr;
    unsigned long args[5];
};
static struct continuation cont[NR_CPUS];
static bool in_multicall[NR_CPUS];

long hypercall_create_continuation(unsigned long nr, unsigned int nargs,
                                   const unsigned long args[5])
{
    struct continuation *c = &cont[smp_processor_id()];
    unsigned int i;

    c->pending = true;
    c->nr = nr;
    for ( i = 0; i < 5; i++ )
        c->args[i] = i < nargs ? args[i] : 0;
    return (long)nr;
}

/* Arch side: was a continuation requested?  Clears it and fills *out. */
bool hypercall_take_continuation(unsigned long *nr, unsigned long args[5])
{
    struct continuation *c = &cont[smp_processor_id()];

    if ( !c->pending )
        return false;
    c->pending = false;
    *nr = c->nr;
    memcpy(args, c->args, sizeof(c->args));
    return true;
}

#define MULTICALL_ENTRY_SIZE sizeof(struct multicall_entry)

/*
 * multicall(list, nr): run each entry; its result goes into the entry's
 * result field.  Each entry is copied in once.  A nested multicall or an
 * iret is refused for that entry (-EINVAL).  Preemptible: the rest of the
 * list continues after the CPU has done other work.
 */
long do_multicall(HYPERCALL_ARGS)
{
    unsigned long list = a1, nr = a2, i;
    unsigned int cpu = smp_processor_id();
    struct multicall_entry e;

    if ( in_multicall[cpu] )
        return -EINVAL;
    for ( i = 0; i < nr; i++ )
    {
        uint64_t slot = list + i * MULTICALL_ENTRY_SIZE;

        if ( i && hypercall_preempt_check() )
        {
            unsigned long args[5] = { slot, nr - i };

            return hypercall_create_continuation(__HYPERVISOR_multicall, 2,
                                                 args);
        }
        if ( copy_from_guest(&e, slot, sizeof(e)) )
            return -EFAULT;
        if ( e.op == __HYPERVISOR_multicall || e.op == __HYPERVISOR_iret )
            e.result = (xen_ulong_t)-EINVAL;
        else
        {
            unsigned long args[5] = { e.args[0], e.args[1], e.args[2],
                                      e.args[3], e.args[4] };
            unsigned long cnr, cargs[5];

            in_multicall[cpu] = true;
            e.result = hypercall_dispatch(e.op, args);
            in_multicall[cpu] = false;
            /* A preempted entry: store its new args, restart the batch. */
            if ( hypercall_take_continuation(&cnr, cargs) )
            {
                unsigned long margs[5] = { slot, nr - i };

                memcpy(e.args, cargs, sizeof(cargs));
                if ( copy_to_guest(slot, &e, sizeof(e)) )
                    return -EFAULT;
                return hypercall_create_continuation(__HYPERVISOR_multicall, 2,
                                                     margs);
            }
        }
        if ( copy_to_guest(slot + offsetof(struct multicall_entry, result),
                           &e.result, sizeof(e.result)) )
            return -EFAULT;
    }
    return 0;
}
