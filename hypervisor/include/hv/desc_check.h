/*
 * Validation of the segment descriptors a 64-bit PV guest puts in its GDT
 * or LDT (set_gdt, update_descriptor, LDT pages), as Xen's
 * check_descriptor() does it (reference §1.6).
 */
#ifndef HV_DESC_CHECK_H
#define HV_DESC_CHECK_H

#include <hv/types.h>

/*
 * Check one 8-byte descriptor slot and fix it up in place: a present
 * descriptor's DPL is raised to 3; a call gate gets DPL 0 with its
 * original DPL kept in the target selector's RPL, so every use traps.
 * Each slot stands alone, as in Xen: the upper half of a 16-byte call gate
 * is a type-0 system descriptor and is accepted by itself.  Returns true
 * if the guest may install *desc (as modified); false leaves it unchanged.
 */
bool desc_check(uint64_t *desc);

/*
 * Check nr descriptors (a GDT or LDT page) all or nothing: if any is
 * refused, returns -EINVAL with its index in *bad and changes nothing;
 * otherwise fixes every one up and returns 0.
 */
int desc_check_table(uint64_t *table, unsigned int nr, unsigned int *bad);

#endif /* HV_DESC_CHECK_H */
