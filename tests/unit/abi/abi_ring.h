/*
 * A ring type defined the same way on both sides of the ABI comparison
 * (xen_side.c with Xen's io/ring.h, our_side.c with ours), so that the
 * shared-page layout and ring sizes can be compared.
 *
 * Locking: none.
 */
#ifndef TESTS_UNIT_ABI_RING_H
#define TESTS_UNIT_ABI_RING_H

struct abi_ring_req
{
    uint64_t id;
    uint32_t op;
    uint32_t arg;
};
struct abi_ring_rsp
{
    uint64_t id;
    int16_t status;
};
DEFINE_RING_TYPES(abi_ring, struct abi_ring_req, struct abi_ring_rsp);

/* Entries in one 4 KiB page, and in a 64 KiB multi-page ring. */
#define ABI_RING_ENTRIES_4K  __CONST_RING_SIZE(abi_ring, 4096)
#define ABI_RING_ENTRIES_64K __CONST_RING_SIZE(abi_ring, 65536)

#endif /* TESTS_UNIT_ABI_RING_H */
