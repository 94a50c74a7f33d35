/*
 * Event channels (2-level) and the shared_info page
 *
 * Locking: none.  Event handlers run in the upcall with events masked,
 * on the vCPU the port was bound for.  shared_info is mapped on first use with
 * update_va_mapping (start_info gives only its machine address).
 */
#ifndef RT_EVENTS_H
#define RT_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include <public/event_channel.h>
#include <public/xen.h>

/* The shared_info page, mapped on first call (panics if it cannot be). */
shared_info_t *xen_shared_info(void);
/* The calling vCPU's vcpu_info inside it (xen_vcpu_id(), rt/smp.h). */
vcpu_info_t *xen_vcpu_info(void);

struct trap_frame;
typedef void (*xen_evtchn_handler_t)(evtchn_port_t port, void *data);

/*
 * Bind a VIRQ / an IPI port for the calling vCPU and install handler;
 * returns the port (>= 0) or a negative Xen errno.  The port is unmasked;
 * its handler runs on that vCPU.  (Global VIRQs must be bound on vCPU 0.)
 */
long xen_evtchn_bind_virq(uint32_t virq, xen_evtchn_handler_t handler,
                          void *data);
long xen_evtchn_bind_ipi(xen_evtchn_handler_t handler, void *data);
/*
 * A port of ours that domain remote may bind to, and the other end: bind
 * to remote's port (which must be unbound and expect us).  Delivered to
 * vCPU 0, unmasked; the port or -errno.
 */
long xen_evtchn_alloc_unbound(domid_t remote, xen_evtchn_handler_t handler,
                              void *data);
long xen_evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port,
                                 xen_evtchn_handler_t handler, void *data);
long xen_evtchn_send(evtchn_port_t port);
long xen_evtchn_unmask(evtchn_port_t port);
long xen_evtchn_close(evtchn_port_t port);

/* Virtual "interrupts": the upcall mask of the calling vCPU. */
void xen_events_enable(void);
void xen_events_disable(void);

/* Number of upcalls taken so far, on all vCPUs. */
extern volatile uint64_t xen_upcall_count;

/*
 * Wait until *flag becomes nonzero or timeout_ns of system time passes,
 * yielding the CPU with events enabled; returns true when the flag was set.
 */
bool xen_wait_flag(volatile int *flag, uint64_t timeout_ns);

void xen_event_upcall(struct trap_frame *frame);

#endif /* RT_EVENTS_H */
