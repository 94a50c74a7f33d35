/*
 * Basic types shared by the hypervisor and its host unit tests.
 *
 * Only compiler-provided freestanding headers are used, so the same
 * definitions hold in ring 0 and in a host test binary.
 */
#ifndef HV_TYPES_H
#define HV_TYPES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t; /* machine (physical) address */
typedef int64_t s_time_t; /* system time in ns since boot */
typedef uint16_t domid_t;

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))

#define INVALID_MFN (~0UL)
#define STIME_MAX   INT64_MAX

/* Xen's reserved domain ids (DOMID_XEN, DOMID_IO, ...). */
#include <public/xen.h>

#define ARRAY_SIZE(a)    (sizeof(a) / sizeof((a)[0]))
#define ROUNDUP(x, a)    (((x) + (a)-1) & ~((__typeof__(x))(a)-1))
#define ROUNDDOWN(x, a)  ((x) & ~((__typeof__(x))(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a)-1)) == 0)
#define MIN(a, b)        ((a) < (b) ? (a) : (b))
#define MAX(a, b)        ((a) > (b) ? (a) : (b))

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define __packed       __attribute__((__packed__))
#define __used         __attribute__((__used__))
#define __printf(a, b) __attribute__((__format__(__printf__, a, b)))

#endif /* HV_TYPES_H */
