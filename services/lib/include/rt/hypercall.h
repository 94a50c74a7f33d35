/*
 * Hypercall stubs: one C function per entry of include/public/hypercall-list.h
 *
 * Locking: none.  HYPERVISOR_<name>(a1, ..., aN) loads rax = number and the
 * arguments into rdi, rsi, rdx, r10, r8 and calls through the hypercall
 * page (hypercall_page.o, the default) or executes syscall directly
 * (hypercall_direct.o, for images without a HYPERCALL_PAGE note).  Every
 * argument is passed as an unsigned long: cast pointers with XEN_ARG().
 * Returns the hypervisor's result: >= 0 on success, -errno on failure.
 * iret is not a C function: trap and event entry jump to xen_iret_entry.
 */
#ifndef RT_HYPERCALL_H
#define RT_HYPERCALL_H

#include <public/xen.h>

#define XEN_ARG(x) ((unsigned long)(x))

#define HC_PARAMS_0 void
#define HC_PARAMS_1 unsigned long
#define HC_PARAMS_2 unsigned long, unsigned long
#define HC_PARAMS_3 unsigned long, unsigned long, unsigned long
#define HC_PARAMS_4 unsigned long, unsigned long, unsigned long, unsigned long
#define HC_PARAMS_5 \
    unsigned long, unsigned long, unsigned long, unsigned long, unsigned long

#define HYPERCALL(nr, name, nargs) long HYPERVISOR_##name(HC_PARAMS_##nargs);
#include <public/hypercall-list.h>
#undef HYPERCALL

/* The page the hypervisor fills (only in images linked with the page). */
extern uint8_t hypercall_page[4096];

/* Nonzero when this image calls through the hypercall page. */
extern const int xen_hypercall_via_page;

#endif /* RT_HYPERCALL_H */
