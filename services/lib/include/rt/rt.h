/*
 * Stub-domain runtime: start of day, globals, barriers, panic
 *
 * Locking: none; vCPU 0 runs main(), secondary vCPUs are started with
 * rt/smp.h.  A program linked with the runtime defines int main(void);
 * the runtime calls it after start of day (trap table, callbacks, newlib
 * constructors) and passes its result to exit():
 * 0 shuts the domain down with SHUTDOWN_poweroff, anything else with
 * SHUTDOWN_crash.
 */
#ifndef RT_RT_H
#define RT_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <public/xen.h>

#include "hypercall.h"

#define PAGE_SIZE  4096UL
#define PAGE_SHIFT 12

#define barrier() __asm__ __volatile__("" ::: "memory")
#define mb()      __asm__ __volatile__("mfence" ::: "memory")
#define rmb()     __asm__ __volatile__("lfence" ::: "memory")
#define wmb()     __asm__ __volatile__("sfence" ::: "memory")

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The start_info page the domain was entered with. */
extern start_info_t *xen_start_info;

/* Linker-script symbols: the image and the sbrk heap. */
extern char __image_start[], __image_end[];
extern char __heap_start[], __heap_end[];

/* Pseudo-physical frame of an address inside the bootstrap mapping. */
unsigned long xen_virt_to_pfn(const void *va);
/* Machine frame of an address inside the bootstrap mapping (P2M lookup). */
unsigned long xen_virt_to_mfn(const void *va);

/*
 * Print a message with the registers in frame (may be NULL) and crash the
 * domain (SHUTDOWN_crash).  Before crashing it calls xen_panic_hook(msg),
 * which a program may define (the test library prints its verdict there).
 */
struct trap_frame;
void xen_panic(const char *fmt, ...)
    __attribute__((noreturn, format(printf, 1, 2)));
void xen_panic_frame(const struct trap_frame *frame, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));
void xen_panic_hook(const char *msg);

/* Shut the domain down with a SHUTDOWN_* reason; never returns. */
void xen_shutdown(unsigned int reason) __attribute__((noreturn));

int main(void);

#endif /* RT_RT_H */
