/*
 * Secondary vCPUs: a context to start one in C, and the current vCPU's id
 *
 * Locking: none; the slot of a vCPU is written by the vCPU that prepares
 * its context before VCPUOP_initialise and only read afterwards.  Each
 * secondary vCPU runs on a stack the program gives it; the runtime tells
 * vCPUs apart by that stack (xen_vcpu_id()), so code on a secondary vCPU
 * must stay on it (traps and upcalls in guest kernel mode do).  Anything
 * running on another stack counts as vCPU 0, which keeps single-vCPU
 * programs exactly as they were.
 */
#ifndef RT_SMP_H
#define RT_SMP_H

#include <stddef.h>
#include <stdint.h>

#include <public/vcpu.h>
#include <public/xen.h>

/* vCPU ids the runtime can tell apart (vcpu_info slots it uses). */
#define XEN_RT_MAX_VCPUS 8

/* The calling vCPU's id: 0 unless running on a secondary vCPU's stack. */
unsigned int xen_vcpu_id(void);

typedef void (*xen_vcpu_fn_t)(void *arg);

/*
 * Fill *ctx so that vCPU id, once VCPUOP_initialise'd with it and brought
 * up with VCPUOP_up, runs fn(arg) on [stack, stack + size) in guest kernel
 * mode with the runtime's trap table and callbacks, the current page table
 * (ctrlreg[3]), events masked (its vcpu_info's mask) and fresh FPU state.
 * FS/GS bases are 0; the caller may change any field before using ctx.
 * If fn returns, the vCPU takes itself down.  Returns 0, or -1 for an id
 * outside 1..XEN_RT_MAX_VCPUS-1 or a stack smaller than 4 KiB.
 */
int xen_vcpu_context(struct vcpu_guest_context *ctx, unsigned int id,
                     xen_vcpu_fn_t fn, void *arg, void *stack, size_t size);

/* Called by xen_vcpu_context(): the trap table and callbacks into ctx. */
void xen_traps_fill_context(struct vcpu_guest_context *ctx);

#endif /* RT_SMP_H */
