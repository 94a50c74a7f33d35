/*
 * Test-guest library, memory: hypercall shorthands, page-table trees built
 * with mmu_update, fault probes, the Tessera check
 *
 * Locking: none; the helpers may run on any vCPU, a tree belongs to the
 * vCPU that builds it.  Frames come from the runtime's allocator (rt/mm.h);
 * a tree's frames are raw (mapped nowhere) until the caller maps one.
 */
#ifndef TESTS_GUESTS_MM_H
#define TESTS_GUESTS_MM_H

#include <stdbool.h>
#include <stdint.h>

#include <rt/mm.h>

/* One mmu_update / mmuext_op request; the result. */
long mmu1(uint64_t ptr, uint64_t val);
long mmuext1(unsigned int cmd, unsigned long arg1);
long mmuext2(unsigned int cmd, unsigned long arg1, unsigned long arg2);

/* Machine frame of the L4 the vCPU runs on (the bootstrap one at start). */
unsigned long boot_l4_mfn(void);

/*
 * A four-level tree mapping va to data_mfn (flags: the L1 entry's), plus
 * the current L4's slot 0 (the image, the stack, the runtime's window), so
 * it can become the base pointer.  Entries are written with
 * MMU_NORMAL_PT_UPDATE while the frames are still untyped; nothing is
 * pinned.  Levels: 0 = L1 ... 3 = L4.  0 or -XEN_E*.
 */
struct pt_tree
{
    long pfn[4];
    unsigned long mfn[4];
    unsigned long va;
};
int tree_build(struct pt_tree *t, unsigned long va, unsigned long data_mfn,
               uint64_t flags);
/* Machine address of the entry for t->va at a level (0 = L1). */
uint64_t tree_entry(const struct pt_tree *t, unsigned int level);
/* Give the frames back (the tree must be unpinned and unused). */
void tree_free(struct pt_tree *t);

/* Map a raw frame read-only at its linear address; the address or NULL. */
const volatile uint64_t *map_ro(unsigned long pfn);

/* Does a 1-byte read / write at p fault (#PF)? The error code in *ec. */
bool read_faults(const volatile void *p);
bool write_faults(volatile void *p, uint64_t *ec);

/* Running on Tessera (XENVER_extraversion "-tessera"), not on Xen? */
bool on_tessera(void);

#endif /* TESTS_GUESTS_MM_H */
