/*
 * Event channels, 2-level ABI: the local part (VIRQs, IPIs, send, unmask,
 * close, status) and per-vCPU timers that raise VIRQ_TIMER.  Inter-domain
 * channels arrive with issue #6.
 *
 * Locking: d->event_lock protects d's channel table; the pending, mask and
 * selector bits live in guest-shared memory and are changed with atomics
 * only, in the order the 2-level ABI prescribes.
 */
#ifndef HV_EVENT_H
#define HV_EVENT_H

#include <hv/domain.h>
#include <public/event_channel.h>

#define EVTCHN_2L_NR 4096 /* ports of a 64-bit guest */

struct evtchn
{
    uint8_t state;        /* EVTCHNSTAT_* */
    uint16_t notify_vcpu; /* vCPU that receives the upcall */
    uint32_t virq;        /* EVTCHNSTAT_virq */
    domid_t remote_dom;   /* unbound: who may bind; interdomain: the peer */
    uint32_t remote_port; /* interdomain: the peer's port */
};

int evtchn_init(struct domain *d);
void evtchn_destroy(struct domain *d);
/* Close every port of d; the peers' ends go back to unbound. */
void evtchn_close_all(struct domain *d);

/* Raise a VIRQ on v (per-vCPU VIRQs) or on d's vCPU 0 (global VIRQs). */
void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq);
void send_guest_global_virq(struct domain *d, unsigned int virq);

/* Make v notice pending events: wake it if blocked, interrupt its CPU. */
void vcpu_kick(struct vcpu *v);
/* Events are deliverable: pending and not masked. */
bool vcpu_event_deliverable(const struct vcpu *v);

void vcpu_timers_init(struct vcpu *v);
void kill_vcpu_timers(struct vcpu *v);
int vcpu_set_singleshot_timer(struct vcpu *v, s_time_t deadline);
void vcpu_stop_singleshot_timer(struct vcpu *v);
int vcpu_set_periodic_timer(struct vcpu *v, s_time_t period);

/* SCHEDOP_poll support: is any of the ports pending? */
bool evtchn_any_pending(struct domain *d, const evtchn_port_t *ports,
                        unsigned int nr);
/*
 * v is about to block polling these ports: a send to any of them wakes
 * it, whichever vCPU the port notifies.  -EINVAL for a port beyond the
 * domain's (as Xen), else 0.  evtchn_poll_end() ends a poll (and its
 * timeout); every SCHEDOP_block and SCHEDOP_poll starts with it, so an
 * earlier poll's state never wakes a later wait.
 */
int evtchn_poll_begin(struct vcpu *v, const evtchn_port_t *ports,
                      unsigned int nr);
void evtchn_poll_end(struct vcpu *v);

#endif /* HV_EVENT_H */
