/*
 * vcpu_op sub-operations and their arguments
 *
 * Locking: none; guest-visible layouts.  HYPERVISOR_vcpu_op(cmd, vcpuid,
 * arg); the timer operations act on the calling vCPU only.
 */
#ifndef PUBLIC_VCPU_H
#define PUBLIC_VCPU_H

#include "xen.h"

/* arg == struct vcpu_guest_context: first context of an offline vCPU. */
#define VCPUOP_initialise 0
/* arg == NULL: bring an initialised vCPU up / take it down / ask. */
#define VCPUOP_up    1
#define VCPUOP_down  2
#define VCPUOP_is_up 3

/* arg == struct vcpu_runstate_info: where the vCPU spends its time. */
#define VCPUOP_get_runstate_info 4
#define RUNSTATE_running         0
#define RUNSTATE_runnable        1
#define RUNSTATE_blocked         2
#define RUNSTATE_offline         3
struct vcpu_runstate_info
{
    int32_t state; /* RUNSTATE_* */
    uint32_t _pad0;
    uint64_t state_entry_time; /* system time of the last change */
    uint64_t time[4];          /* ns spent in each RUNSTATE_* */
};
typedef struct vcpu_runstate_info vcpu_runstate_info_t;
_Static_assert(sizeof(struct vcpu_runstate_info) == 48, "vcpu_runstate_info");
_Static_assert(offsetof(struct vcpu_runstate_info, state_entry_time) == 8,
               "runstate.state_entry_time");
_Static_assert(offsetof(struct vcpu_runstate_info, time) == 16,
               "runstate.time");
/* Set in state_entry_time while an update is in progress (VM assist 5). */
#define XEN_RUNSTATE_UPDATE (1ULL << 63)

/* arg == struct vcpu_register_runstate_memory_area (a guest VA). */
#define VCPUOP_register_runstate_memory_area 5
struct vcpu_register_runstate_memory_area
{
    uint64_t addr; /* VA of a struct vcpu_runstate_info */
};
typedef struct vcpu_register_runstate_memory_area
    vcpu_register_runstate_memory_area_t;
_Static_assert(sizeof(struct vcpu_register_runstate_memory_area) == 8,
               "runstate_area");

/* arg == struct vcpu_set_periodic_timer / NULL. */
#define VCPUOP_set_periodic_timer  6
#define VCPUOP_stop_periodic_timer 7
struct vcpu_set_periodic_timer
{
    uint64_t period_ns;
};
typedef struct vcpu_set_periodic_timer vcpu_set_periodic_timer_t;
_Static_assert(sizeof(struct vcpu_set_periodic_timer) == 8, "periodic_timer");

/* arg == struct vcpu_set_singleshot_timer / NULL. */
#define VCPUOP_set_singleshot_timer  8
#define VCPUOP_stop_singleshot_timer 9
struct vcpu_set_singleshot_timer
{
    uint64_t timeout_abs_ns; /* absolute system time */
    uint32_t flags;          /* VCPU_SSHOTTMR_* */
    uint32_t _pad0;
};
typedef struct vcpu_set_singleshot_timer vcpu_set_singleshot_timer_t;
_Static_assert(sizeof(struct vcpu_set_singleshot_timer) == 16,
               "singleshot_timer");
_Static_assert(offsetof(struct vcpu_set_singleshot_timer, flags) == 8,
               "singleshot_timer.flags");
/* -ETIME if the timeout already passed (a hypervisor may ignore this). */
#define _VCPU_SSHOTTMR_future 0
#define VCPU_SSHOTTMR_future  (1U << _VCPU_SSHOTTMR_future)

/* arg == struct vcpu_register_vcpu_info: move vcpu_info to guest memory. */
#define VCPUOP_register_vcpu_info 10
struct vcpu_register_vcpu_info
{
    uint64_t mfn;    /* frame holding the new vcpu_info */
    uint32_t offset; /* within the frame; must not cross its end */
    uint32_t rsvd;   /* must be zero */
};
typedef struct vcpu_register_vcpu_info vcpu_register_vcpu_info_t;
_Static_assert(sizeof(struct vcpu_register_vcpu_info) == 16,
               "register_vcpu_info");
_Static_assert(offsetof(struct vcpu_register_vcpu_info, offset) == 8,
               "register_vcpu_info.offset");

/* arg == NULL: send a virtual NMI to the vCPU. */
#define VCPUOP_send_nmi 11

/* arg == struct vcpu_get_physid (hardware domain). */
#define VCPUOP_get_physid 12
struct vcpu_get_physid
{
    uint64_t phys_id;
};
typedef struct vcpu_get_physid vcpu_get_physid_t;
_Static_assert(sizeof(struct vcpu_get_physid) == 8, "get_physid");

/* arg == struct vcpu_register_time_memory_area: a second time record. */
#define VCPUOP_register_vcpu_time_memory_area 13
struct vcpu_register_time_memory_area
{
    uint64_t addr; /* VA of a struct vcpu_time_info */
};
typedef struct vcpu_register_time_memory_area vcpu_register_time_memory_area_t;
_Static_assert(sizeof(struct vcpu_register_time_memory_area) == 8, "time_area");

/* The same two areas named by guest-physical address (newer Xen). */
#define VCPUOP_register_runstate_phys_area  14
#define VCPUOP_register_vcpu_time_phys_area 15

#endif /* PUBLIC_VCPU_H */
