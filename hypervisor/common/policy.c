/*
 * Capability policy (POLICY): the rules of hv/policy.h.
 *
 * Locking: none; pure functions over the callers' snapshots.
 */
#include <hv/errno.h>
#include <hv/policy.h>

static bool has_cap(const struct policy_subject *s, uint32_t cap)
{
    return (s->caps & cap) == cap;
}

/* target is caller's own child (never caller itself). */
static bool is_child(const struct policy_subject *caller,
                     const struct policy_subject *target)
{
    return target->domid != caller->domid && target->parent == caller->domid;
}

int policy_check_caps(uint32_t caps)
{
    return (caps & ~TESSERA_CAP_ALL) ? -EINVAL : 0;
}

/* Commands that only make sense while the child has never run. */
static bool cmd_before_seal_only(uint32_t cmd)
{
    switch ( cmd )
    {
    case TESSERA_DOMCTL_max_vcpus:
    case TESSERA_DOMCTL_setvcpucontext:
    case TESSERA_DOMCTL_getvcpucontext:
    case TESSERA_DOMCTL_setvcpuaffinity:
    case TESSERA_DOMCTL_set_caps:
    case TESSERA_DOMCTL_seal:
        return true;
    default:
        return false;
    }
}

/* Commands on an existing child, any time. */
static bool cmd_on_child(uint32_t cmd)
{
    switch ( cmd )
    {
    case TESSERA_DOMCTL_destroydomain:
    case TESSERA_DOMCTL_pausedomain:
    case TESSERA_DOMCTL_unpausedomain:
    case TESSERA_DOMCTL_max_mem:
    case TESSERA_DOMCTL_shutdown:
        return true;
    default:
        return cmd_before_seal_only(cmd);
    }
}

int policy_may_see(const struct policy_subject *caller,
                   const struct policy_subject *target)
{
    if ( !target )
        return -ESRCH;
    if ( target->domid == caller->domid ||
         has_cap(caller, TESSERA_CAP_XENSTORE) )
        return 0;
    if ( has_cap(caller, TESSERA_CAP_BUILD) && is_child(caller, target) )
        return 0;
    return -EPERM;
}

int policy_domctl(const struct policy_subject *caller,
                  const struct policy_subject *target, uint32_t cmd)
{
    if ( cmd == TESSERA_DOMCTL_getdomaininfo )
    {
        if ( !has_cap(caller, TESSERA_CAP_BUILD) &&
             !has_cap(caller, TESSERA_CAP_XENSTORE) &&
             (!target || target->domid != caller->domid) )
            return -EPERM;
        return policy_may_see(caller, target);
    }
    if ( cmd == TESSERA_DOMCTL_getdomaininfolist )
        return has_cap(caller, TESSERA_CAP_BUILD) ||
                       has_cap(caller, TESSERA_CAP_XENSTORE)
                   ? 0
                   : -EPERM;
    if ( !has_cap(caller, TESSERA_CAP_BUILD) )
        return -EPERM;
    if ( cmd == TESSERA_DOMCTL_createdomain || cmd == TESSERA_DOMCTL_physinfo )
        return 0;
    if ( !cmd_on_child(cmd) )
        return -EPERM;
    if ( !target )
        return -ESRCH;
    if ( !is_child(caller, target) )
        return -EPERM;
    if ( target->sealed && cmd_before_seal_only(cmd) )
        return -EPERM;
    return 0;
}

int policy_set_caps(const struct policy_subject *caller,
                    const struct policy_subject *target, uint32_t caps)
{
    int rc;

    if ( !has_cap(caller, TESSERA_CAP_BUILD) )
        return -EPERM;
    rc = policy_check_caps(caps);
    if ( rc )
        return rc;
    rc = policy_domctl(caller, target, TESSERA_DOMCTL_set_caps);
    if ( rc )
        return rc;
    /* Only what the parent holds itself: no escalation through a child. */
    return (caps & ~caller->caps) ? -EPERM : 0;
}

/* The one rule for touching another domain's memory. */
static int foreign_memory(const struct policy_subject *caller,
                          const struct policy_subject *target)
{
    if ( target && target->domid == caller->domid )
        return 0;
    if ( !has_cap(caller, TESSERA_CAP_BUILD) )
        return -EPERM;
    if ( !target )
        return -ESRCH;
    if ( !is_child(caller, target) || target->sealed )
        return -EPERM;
    return 0;
}

int policy_map_foreign(const struct policy_subject *caller,
                       const struct policy_subject *target)
{
    return foreign_memory(caller, target);
}

int policy_populate_foreign(const struct policy_subject *caller,
                            const struct policy_subject *target)
{
    return foreign_memory(caller, target);
}

int policy_remote_shutdown(const struct policy_subject *caller,
                           const struct policy_subject *target)
{
    return policy_domctl(caller, target, TESSERA_DOMCTL_shutdown);
}

int policy_console_read(const struct policy_subject *caller)
{
    return has_cap(caller, TESSERA_CAP_CONSOLE) ? 0 : -EPERM;
}

int policy_virq_delivery(const struct policy_subject *caller, uint32_t virq)
{
    if ( virq >= NR_VIRQS )
        return -EINVAL;
    switch ( virq )
    {
    case VIRQ_TIMER:
    case VIRQ_DEBUG:
    case VIRQ_XENOPROF:
    case VIRQ_XENPMU:
        return 0; /* per-vCPU: every domain's own */
    case VIRQ_DOM_EXC:
        return has_cap(caller, TESSERA_CAP_BUILD) ||
                       has_cap(caller, TESSERA_CAP_XENSTORE)
                   ? 0
                   : -EPERM;
    case VIRQ_CONSOLE:
    case VIRQ_CON_RING:
        return policy_console_read(caller);
    default:
        return -EPERM; /* a global VIRQ no capability grants */
    }
}

int policy_device(const struct policy_subject *caller)
{
    return has_cap(caller, TESSERA_CAP_DEVICE) ? 0 : -EPERM;
}
