/*
 * Test-guest helpers for Tessera-only interfaces (tessera-* guests): the
 * builder's domctl and a child's memory, as raw hypercalls so that each
 * result can be checked exactly.
 *
 * Locking: none; single vCPU.  Every function returns the hypercall's
 * result (a -XEN_E* code on failure).
 */
#ifndef TESTS_GUESTS_TESSERA_H
#define TESTS_GUESTS_TESSERA_H

#include <public/domctl.h>
#include <public/xen.h>

/* One domctl: op->u is the caller's; cmd, version and domain are set. */
long tdomctl(struct tessera_domctl *op, uint32_t cmd, domid_t dom);
/* A fresh op with only cmd/version/domain set, sent. */
long tdomctl0(uint32_t cmd, domid_t dom);
/* set_caps of dom to caps. */
long tset_caps(domid_t dom, uint32_t caps);
/* increase_reservation of n frames for dom; MFNs into frames[]. */
long tpopulate(domid_t dom, xen_pfn_t *frames, unsigned long n);
/*
 * Map another domain's frame mfn read-write at tessera_window (mfn 0:
 * unmap) with update_va_mapping_otherdomain.
 */
long tmap_other(domid_t dom, xen_pfn_t mfn);
extern uint8_t tessera_window[4096];

#endif /* TESTS_GUESTS_TESSERA_H */
