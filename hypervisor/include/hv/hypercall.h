/*
 * Hypercall dispatch.
 *
 * Every handler has the same five-argument shape, so one table expanded from
 * include/public/hypercall-list.h can hold them all.  A number with no
 * handler resolves, at link time, to do_ni_hypercall (-ENOSYS): numbers
 * never disappear from the list.
 */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H

#include <hv/types.h>

#define HYPERCALL_ARGS                                                      \
    unsigned long a1, unsigned long a2, unsigned long a3, unsigned long a4, \
        unsigned long a5

typedef long hypercall_fn_t(HYPERCALL_ARGS);

#define NR_HYPERCALLS 64

long do_ni_hypercall(HYPERCALL_ARGS);
#define HYPERCALL(nr, name, nargs) long do_##name(HYPERCALL_ARGS);
#include <public/hypercall-list.h>
#undef HYPERCALL

/* Run hypercall nr with its arguments (multicall entries use this too). */
long hypercall_dispatch(unsigned long nr, const unsigned long args[5]);

/*
 * Ask for the current hypercall to be restarted with new arguments when the
 * vCPU next runs (long operations yield this way).  Returns the value the
 * handler should return (ignored by the guest).
 */
long hypercall_create_continuation(unsigned long nr, unsigned int nargs,
                                   const unsigned long args[5]);
/* Is there other work this CPU should do first (a reason to preempt)? */
bool hypercall_preempt_check(void);

#endif /* HV_HYPERCALL_H */
