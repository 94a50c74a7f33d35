/*
 * sched_op sub-operations and their arguments
 *
 * Locking: none; guest-visible layouts.  Shutdown reasons (SHUTDOWN_*) are
 * in xen.h.
 */
#ifndef PUBLIC_SCHED_H
#define PUBLIC_SCHED_H

#include "event_channel.h"

/* arg == NULL: give up the CPU, stay runnable. */
#define SCHEDOP_yield 0

/* arg == NULL: enable events and sleep until one is pending. */
#define SCHEDOP_block 1

/* arg == struct sched_shutdown: stop the calling domain. */
#define SCHEDOP_shutdown 2
struct sched_shutdown
{
    uint32_t reason; /* SHUTDOWN_* */
};
typedef struct sched_shutdown sched_shutdown_t;
_Static_assert(sizeof(struct sched_shutdown) == 4, "sched_shutdown");

/* arg == struct sched_poll: sleep until a port is pending or timeout. */
#define SCHEDOP_poll 3
struct sched_poll
{
    uint64_t ports; /* guest handle of an evtchn_port_t array */
    uint32_t nr_ports;
    uint32_t _pad0;
    uint64_t timeout; /* absolute system time in ns; 0 = none */
};
typedef struct sched_poll sched_poll_t;
_Static_assert(sizeof(struct sched_poll) == 24, "sched_poll");
_Static_assert(offsetof(struct sched_poll, nr_ports) == 8, "poll.nr_ports");
_Static_assert(offsetof(struct sched_poll, timeout) == 16, "poll.timeout");

/* arg == struct sched_remote_shutdown: stop another domain (privileged). */
#define SCHEDOP_remote_shutdown 4
struct sched_remote_shutdown
{
    domid_t domain_id;
    uint16_t _pad0;
    uint32_t reason;
};
typedef struct sched_remote_shutdown sched_remote_shutdown_t;
_Static_assert(sizeof(struct sched_remote_shutdown) == 8, "sched_remote_sd");
_Static_assert(offsetof(struct sched_remote_shutdown, reason) == 4,
               "remote_shutdown.reason");

/* arg == struct sched_shutdown: record the reason, do not stop yet. */
#define SCHEDOP_shutdown_code 5

/* arg == struct sched_watchdog: create (id 0), kick or destroy a watchdog. */
#define SCHEDOP_watchdog 6
struct sched_watchdog
{
    uint32_t id;
    uint32_t timeout; /* seconds; 0 destroys */
};
typedef struct sched_watchdog sched_watchdog_t;
_Static_assert(sizeof(struct sched_watchdog) == 8, "sched_watchdog");

/* arg == struct sched_pin_override: temporary pinning (hardware domain). */
#define SCHEDOP_pin_override 7
struct sched_pin_override
{
    int32_t pcpu;
};
typedef struct sched_pin_override sched_pin_override_t;
_Static_assert(sizeof(struct sched_pin_override) == 4, "sched_pin_override");

#endif /* PUBLIC_SCHED_H */
