/*
 * callback_op: registering the event, failsafe, syscall and NMI entries
 *
 * Locking: none; guest-visible layouts.
 */
#ifndef PUBLIC_CALLBACK_H
#define PUBLIC_CALLBACK_H

#include "xen.h"

#define CALLBACKTYPE_event               0 /* event upcall; always masks */
#define CALLBACKTYPE_failsafe            1 /* segment reload failed */
#define CALLBACKTYPE_syscall             2 /* 64-bit syscall from user mode */
#define CALLBACKTYPE_sysenter_deprecated 3
#define CALLBACKTYPE_nmi                 4 /* sets trap vector 2 */
#define CALLBACKTYPE_sysenter            5
#define CALLBACKTYPE_syscall32           7

/* Mask events (evtchn_upcall_mask = 1) when the callback is entered. */
#define _CALLBACKF_mask_events 0
#define CALLBACKF_mask_events  (1U << _CALLBACKF_mask_events)

#define CALLBACKOP_register   0
#define CALLBACKOP_unregister 1

struct callback_register
{
    uint16_t type;  /* CALLBACKTYPE_* */
    uint16_t flags; /* CALLBACKF_* */
    uint32_t _pad0;
    xen_callback_t address; /* canonical guest VA */
};
typedef struct callback_register callback_register_t;
_Static_assert(sizeof(struct callback_register) == 16, "callback_register");
_Static_assert(offsetof(struct callback_register, address) == 8,
               "callback_register.address");

struct callback_unregister
{
    uint16_t type;
    uint16_t _unused;
};
typedef struct callback_unregister callback_unregister_t;
_Static_assert(sizeof(struct callback_unregister) == 4, "callback_unreg");

#endif /* PUBLIC_CALLBACK_H */
