/*
 * A small world of domains for host tests of event channels (evtchn_env.c):
 * domains with real channel tables (evtchn_init()), vCPUs whose vcpu_info
 * lives in a shared_info page the test owns, a domid table behind
 * domain_get()/domain_put() that counts references, and records of the
 * scheduler hooks event.c calls (vcpu_wake(), arch_cpu_kick()).
 *
 * Locking: none; unit tests are single-threaded.
 */
#ifndef EVTCHN_ENV_H
#define EVTCHN_ENV_H

#include <hv/domain.h>

#define ENV_MAX_DOMS 8
#define ENV_LOG_SIZE 64

/*
 * Create domain id (refcnt 1, RUNNING) with max_vcpus vCPU slots of which
 * the first nr_vcpus exist; vCPU i runs on CPU i + 1, state RUNNING, its
 * vcpu_info in the domain's shared_info.
 */
struct domain *env_domain_create(domid_t id, domid_t parent, uint32_t caps,
                                 unsigned int max_vcpus, unsigned int nr_vcpus);
/* domain_get() no longer finds d (destroyed, or dying); d stays in memory. */
void env_domain_gone(struct domain *d);
/* Free every domain; false if a reference was leaked or over-dropped. */
bool env_destroy_all(void);

/* domain_put() calls that would have dropped the table's own reference. */
extern unsigned int env_bad_puts;

/* vcpu_wake() calls, in order (the first ENV_LOG_SIZE). */
extern struct vcpu *env_woken[ENV_LOG_SIZE];
extern unsigned int env_nr_woken;
/* arch_cpu_kick() calls, in order. */
extern unsigned int env_kicked[ENV_LOG_SIZE];
extern unsigned int env_nr_kicked;
void env_records_reset(void);
/* How many times v was woken since the last reset. */
unsigned int env_wake_count(const struct vcpu *v);

#endif /* EVTCHN_ENV_H */
