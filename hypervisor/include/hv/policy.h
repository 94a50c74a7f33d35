/*
 * Capability policy (POLICY): every privileged decision, as pure functions.
 *
 * Locking: none inside; the caller takes a consistent snapshot of the
 * domains involved (under their d->lock, or with the domains paused) into
 * struct policy_subject and acts on the answer under the same locks, so a
 * domain cannot be sealed or change capabilities between the decision and
 * the action.
 *
 * A domain holds a set of capability bits (TESSERA_CAP_*, public/domctl.h),
 * set by its parent before it first runs.  A privilege that is not below
 * does not exist; an ordinary guest holds no bit.
 *
 *   BUILD     domctl on the caller's own children (create; destroy, pause,
 *             unpause, shutdown, max_mem, getdomaininfo; and, until the
 *             child is sealed, max_vcpus, set/getvcpucontext, set_caps,
 *             seal); populate and map a child's memory until it is sealed
 *             (memory_op with a foreign domid, mmu_update / mmuext_op /
 *             update_va_mapping_otherdomain with a foreign domid);
 *             getdomaininfolist over itself and its children; bind
 *             VIRQ_DOM_EXC (to apply on_poweroff/on_reboot/on_crash).
 *   CONSOLE   console_io CONSOLEIO_read (the hypervisor log ring and
 *             console input); bind VIRQ_CONSOLE and VIRQ_CON_RING.
 *   XENSTORE  getdomaininfo / getdomaininfolist on every domain (to notice
 *             dying domains); bind VIRQ_DOM_EXC.  The XenStore privileges
 *             themselves are xenstored's own business.
 *   DEVICE    physdev_op beyond set_iopl (PIRQs, IRQ status), port I/O and
 *             MMIO of the resources assigned to the domain, bind PIRQ.
 *
 * Rules that hold whatever the bits:
 *   - a domain may give a child only bits it holds itself;
 *   - the parent, holding BUILD, is the only domain that may ever map or
 *     populate another domain's memory, and only until that domain is
 *     sealed; sealing happens at the child's first unpause (or an explicit
 *     seal) and is never undone;
 *   - no domain manages itself through domctl (it uses sched_op), nor its
 *     parent, siblings or grandchildren.
 *
 * Every decision returns 0 or a negative Xen errno, checked in this order:
 * the caller's own capability (-EPERM), the arguments (-EINVAL), the target
 * exists (NULL target: -ESRCH), the relation to the target (-EPERM).
 */
#ifndef HV_POLICY_H
#define HV_POLICY_H

#include <hv/types.h>
#include <public/domctl.h>

/* What the policy knows about a domain: a snapshot, see Locking above. */
struct policy_subject
{
    domid_t domid;
    domid_t parent; /* its creator; DOMID_XEN for the domain ring 0 built */
    uint32_t caps;  /* TESSERA_CAP_* */
    bool sealed;    /* first unpaused (or sealed): memory closed to all */
};

struct domain;
/* The policy's view of a domain (common/domctl.c). */
struct policy_subject policy_subject_of(const struct domain *d);

/* 0 if caps holds only defined bits, else -EINVAL. */
int policy_check_caps(uint32_t caps);

/*
 * May caller run domctl cmd on target?  target is NULL when the domain does
 * not exist; createdomain and getdomaininfolist take no target (pass NULL;
 * the list is then filtered with policy_may_see()).  An unknown cmd is
 * -EPERM (domctl answers -ENOSYS before asking).
 */
int policy_domctl(const struct policy_subject *caller,
                  const struct policy_subject *target, uint32_t cmd);

/* set_caps: may caller give target exactly the bits caps? */
int policy_set_caps(const struct policy_subject *caller,
                    const struct policy_subject *target, uint32_t caps);

/* May caller see target's state (getdomaininfo, list entries)? */
int policy_may_see(const struct policy_subject *caller,
                   const struct policy_subject *target);

/*
 * May caller map target's frames / give target frames (populate_physmap,
 * increase_reservation)?  A domain's own memory is always its own (0).
 */
int policy_map_foreign(const struct policy_subject *caller,
                       const struct policy_subject *target);
int policy_populate_foreign(const struct policy_subject *caller,
                            const struct policy_subject *target);

/* SCHEDOP_remote_shutdown: the same rule as domctl shutdown. */
int policy_remote_shutdown(const struct policy_subject *caller,
                           const struct policy_subject *target);

/* console_io CONSOLEIO_read. */
int policy_console_read(const struct policy_subject *caller);

/*
 * Whether a VIRQ may reach a domain (-EINVAL for virq >= NR_VIRQS).  Any
 * domain may bind any valid VIRQ, as on Xen (Linux binds several it will
 * never get); the policy decides delivery: per-vCPU VIRQs reach their own
 * domain, VIRQ_DOM_EXC needs build or xenstore, the console VIRQs need
 * console, and other global VIRQs reach nobody yet.
 */
int policy_virq_delivery(const struct policy_subject *to, uint32_t virq);

/* physdev_op other than set_iopl, port I/O and MMIO, bind PIRQ. */
int policy_device(const struct policy_subject *caller);

#endif /* HV_POLICY_H */
