/*
 * memory_op sub-operations: reservations, M2P, physmap, memory maps
 *
 * Locking: none; guest-visible layouts.  HYPERVISOR_memory_op(cmd, arg);
 * bits 6 and up of cmd are the hypervisor's continuation index
 * (MEMOP_EXTENT_SHIFT), guests pass 0 there.
 */
#ifndef PUBLIC_MEMORY_H
#define PUBLIC_MEMORY_H

#include "xen.h"

#define XENMEM_increase_reservation       0
#define XENMEM_decrease_reservation       1
#define XENMEM_maximum_ram_page           2
#define XENMEM_current_reservation        3
#define XENMEM_maximum_reservation        4
#define XENMEM_machphys_mfn_list          5
#define XENMEM_populate_physmap           6
#define XENMEM_add_to_physmap             7
#define XENMEM_memory_map                 9
#define XENMEM_machine_memory_map         10
#define XENMEM_exchange                   11
#define XENMEM_machphys_mapping           12
#define XENMEM_set_memory_map             13
#define XENMEM_maximum_gpfn               14
#define XENMEM_remove_from_physmap        15
#define XENMEM_set_pod_target             16
#define XENMEM_get_pod_target             17
#define XENMEM_get_sharing_freed_pages    18
#define XENMEM_get_sharing_shared_pages   19
#define XENMEM_paging_op                  20
#define XENMEM_access_op                  21
#define XENMEM_sharing_op                 22
#define XENMEM_add_to_physmap_batch       23
#define XENMEM_claim_pages                24
#define XENMEM_machphys_compat_mfn_list   25
#define XENMEM_get_vnumainfo              26
#define XENMEM_reserved_device_memory_map 27
#define XENMEM_acquire_resource           28

/* xen_memory_reservation.mem_flags */
#define XENMEMF_address_bits(x)     (x)
#define XENMEMF_get_address_bits(x) ((x)&0xffU)
#define XENMEMF_node(x)             (((x) + 1) << 8)
#define XENMEMF_get_node(x)         ((((x) >> 8) - 1) & 0xffU)
#define XENMEMF_populate_on_demand  (1 << 16)
#define XENMEMF_exact_node_request  (1 << 17)

/* increase/decrease_reservation, populate_physmap. */
struct xen_memory_reservation
{
    uint64_t extent_start; /* guest handle of xen_pfn_t[] (MFNs for PV) */
    xen_ulong_t nr_extents;
    uint32_t extent_order; /* 2^order pages each */
    uint32_t mem_flags;    /* XENMEMF_* */
    domid_t domid;
    uint16_t _pad0[3];
};
typedef struct xen_memory_reservation xen_memory_reservation_t;
_Static_assert(sizeof(struct xen_memory_reservation) == 32, "mem_resv");
_Static_assert(offsetof(struct xen_memory_reservation, nr_extents) == 8,
               "resv.nr_extents");
_Static_assert(offsetof(struct xen_memory_reservation, extent_order) == 16,
               "resv.extent_order");
_Static_assert(offsetof(struct xen_memory_reservation, mem_flags) == 20,
               "resv.mem_flags");
_Static_assert(offsetof(struct xen_memory_reservation, domid) == 24,
               "resv.domid");

/* Trade extents of one size for another. */
struct xen_memory_exchange
{
    struct xen_memory_reservation in;
    struct xen_memory_reservation out;
    xen_ulong_t nr_exchanged; /* OUT */
};
typedef struct xen_memory_exchange xen_memory_exchange_t;
_Static_assert(sizeof(struct xen_memory_exchange) == 72, "mem_exchange");
_Static_assert(offsetof(struct xen_memory_exchange, nr_exchanged) == 64,
               "exchange.nr_exchanged");

/* The machine frames backing the read-only M2P table (2 MiB each). */
struct xen_machphys_mfn_list
{
    uint32_t max_extents;
    uint32_t _pad0;
    uint64_t extent_start; /* guest handle of xen_pfn_t[] */
    uint32_t nr_extents;   /* OUT */
    uint32_t _pad1;
};
typedef struct xen_machphys_mfn_list xen_machphys_mfn_list_t;
_Static_assert(sizeof(struct xen_machphys_mfn_list) == 24, "m2p_mfn_list");
_Static_assert(offsetof(struct xen_machphys_mfn_list, extent_start) == 8,
               "m2p_mfn_list.extent_start");
_Static_assert(offsetof(struct xen_machphys_mfn_list, nr_extents) == 16,
               "m2p_mfn_list.nr_extents");

/* Where the M2P table is mapped. */
struct xen_machphys_mapping
{
    xen_ulong_t v_start, v_end;
    xen_ulong_t max_mfn;
};
typedef struct xen_machphys_mapping xen_machphys_mapping_t;
_Static_assert(sizeof(struct xen_machphys_mapping) == 24, "m2p_mapping");

/* Map a hypervisor-owned frame into the physmap (translated guests). */
#define XENMAPSPACE_shared_info      0
#define XENMAPSPACE_grant_table      1
#define XENMAPSPACE_gmfn             2
#define XENMAPSPACE_gmfn_range       3
#define XENMAPSPACE_gmfn_foreign     4
#define XENMAPSPACE_dev_mmio         5
#define XENMAPIDX_grant_table_status 0x80000000U
struct xen_add_to_physmap
{
    domid_t domid;
    uint16_t size;  /* gmfn_range only */
    uint32_t space; /* XENMAPSPACE_* */
    xen_ulong_t idx;
    xen_pfn_t gpfn;
};
typedef struct xen_add_to_physmap xen_add_to_physmap_t;
_Static_assert(sizeof(struct xen_add_to_physmap) == 24, "add_to_physmap");
_Static_assert(offsetof(struct xen_add_to_physmap, space) == 4,
               "add_to_physmap.space");
_Static_assert(offsetof(struct xen_add_to_physmap, idx) == 8,
               "add_to_physmap.idx");
_Static_assert(offsetof(struct xen_add_to_physmap, gpfn) == 16,
               "add_to_physmap.gpfn");

struct xen_remove_from_physmap
{
    domid_t domid;
    uint16_t _pad0[3];
    xen_pfn_t gpfn;
};
typedef struct xen_remove_from_physmap xen_remove_from_physmap_t;
_Static_assert(sizeof(struct xen_remove_from_physmap) == 16, "rm_physmap");

/* The E820-style map of a domain (memory_map) or the machine. */
struct xen_memory_map
{
    uint32_t nr_entries; /* IN: buffer capacity; OUT: entries written */
    uint32_t _pad0;
    uint64_t buffer; /* guest handle of E820 entries (20 bytes each) */
};
typedef struct xen_memory_map xen_memory_map_t;
_Static_assert(sizeof(struct xen_memory_map) == 16, "memory_map");
_Static_assert(offsetof(struct xen_memory_map, buffer) == 8,
               "memory_map.buffer");

#endif /* PUBLIC_MEMORY_H */
