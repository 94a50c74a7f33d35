/*
 * Hypercall table, multicall, continuations.
 *
 * Locking: none here; each handler documents its own.
 */
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/multicall.h>
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

static int mc_copy_in(void *ctx, void *dst, uint64_t gva, size_t len)
{
    return copy_from_guest(dst, gva, len);
}

static int mc_copy_out(void *ctx, uint64_t gva, const void *src, size_t len)
{
    return copy_to_guest(gva, src, len);
}

static long mc_dispatch(void *ctx, unsigned long nr,
                        const unsigned long args[5], bool *preempted,
                        unsigned long new_args[5])
{
    long rc = hypercall_dispatch(nr, args);
    unsigned long cnr;

    *preempted = hypercall_take_continuation(&cnr, new_args);
    return rc;
}

static bool mc_should_yield(void *ctx)
{
    return hypercall_preempt_check();
}

/*
 * multicall(list, nr): the batch logic is common/multicall.c; here it is
 * wired to guest memory and the hypercall table, and a stopped batch
 * becomes a continuation over the rest of the list.
 */
long do_multicall(HYPERCALL_ARGS)
{
    static const struct multicall_ops ops = {
        NULL, mc_copy_in, mc_copy_out, mc_dispatch, mc_should_yield,
    };
    unsigned int cpu = smp_processor_id();
    unsigned long done;
    long rc;

    if ( in_multicall[cpu] )
        return -EINVAL;
    in_multicall[cpu] = true;
    rc = multicall_run(&ops, a1, a2, &done);
    in_multicall[cpu] = false;
    if ( rc == MULTICALL_PREEMPTED )
    {
        unsigned long args[5] = { a1 + done * sizeof(struct multicall_entry),
                                  a2 - done };

        return hypercall_create_continuation(__HYPERVISOR_multicall, 2, args);
    }
    return rc;
}
