/*
 * Grant tables v1: entry layout, flags, grant_table_op sub-operations
 *
 * Locking: none; guest-visible layouts.  An entry is written by the
 * granting guest (frame and domid first, then flags) and by the hypervisor
 * (GTF_reading / GTF_writing, with a 32-bit cmpxchg on flags+domid).
 */
#ifndef PUBLIC_GRANT_TABLE_H
#define PUBLIC_GRANT_TABLE_H

#include "xen.h"

typedef uint32_t grant_ref_t;
typedef uint32_t grant_handle_t;

/* Refs the toolstack fills in before a domain runs. */
#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTTAB_RESERVED_CONSOLE    0
#define GNTTAB_RESERVED_XENSTORE   1

/* One v1 grant entry: 512 per 4 KiB frame. */
struct grant_entry_v1
{
    uint16_t flags; /* GTF_* */
    domid_t domid;  /* the domain being granted */
    uint32_t frame; /* the granted frame (MFN for PV) */
};
typedef struct grant_entry_v1 grant_entry_v1_t;
_Static_assert(sizeof(struct grant_entry_v1) == 8, "grant_entry_v1");
_Static_assert(offsetof(struct grant_entry_v1, frame) == 4, "gnt.frame");

/* Entry type, bits 0-1. */
#define GTF_invalid         (0U << 0)
#define GTF_permit_access   (1U << 0)
#define GTF_accept_transfer (2U << 0)
#define GTF_transitive      (3U << 0)
#define GTF_type_mask       (3U << 0)
/* Access and state bits of a permit_access entry. */
#define _GTF_readonly 2
#define GTF_readonly  (1U << _GTF_readonly)
#define _GTF_reading  3
#define GTF_reading   (1U << _GTF_reading) /* set by the hypervisor */
#define _GTF_writing  4
#define GTF_writing   (1U << _GTF_writing) /* set by the hypervisor */
#define _GTF_PWT      5
#define GTF_PWT       (1U << _GTF_PWT)
#define _GTF_PCD      6
#define GTF_PCD       (1U << _GTF_PCD)
#define _GTF_PAT      7
#define GTF_PAT       (1U << _GTF_PAT)
#define _GTF_sub_page 8
#define GTF_sub_page  (1U << _GTF_sub_page)
/* State bits of an accept_transfer entry. */
#define _GTF_transfer_committed 2
#define GTF_transfer_committed  (1U << _GTF_transfer_committed)
#define _GTF_transfer_completed 3
#define GTF_transfer_completed  (1U << _GTF_transfer_completed)

#define GNTTABOP_map_grant_ref     0
#define GNTTABOP_unmap_grant_ref   1
#define GNTTABOP_setup_table       2
#define GNTTABOP_dump_table        3
#define GNTTABOP_transfer          4
#define GNTTABOP_copy              5
#define GNTTABOP_query_size        6
#define GNTTABOP_unmap_and_replace 7
#define GNTTABOP_set_version       8
#define GNTTABOP_get_status_frames 9
#define GNTTABOP_get_version       10
#define GNTTABOP_swap_grant_ref    11
#define GNTTABOP_cache_flush       12

/* gnttab_map_grant_ref.flags */
#define _GNTMAP_device_map      0
#define GNTMAP_device_map       (1 << _GNTMAP_device_map)
#define _GNTMAP_host_map        1
#define GNTMAP_host_map         (1 << _GNTMAP_host_map)
#define _GNTMAP_readonly        2
#define GNTMAP_readonly         (1 << _GNTMAP_readonly)
#define _GNTMAP_application_map 3
#define GNTMAP_application_map  (1 << _GNTMAP_application_map)
#define _GNTMAP_contains_pte    4
#define GNTMAP_contains_pte     (1 << _GNTMAP_contains_pte)
#define _GNTMAP_guest_avail0    16
#define GNTMAP_guest_avail_mask ((uint32_t)~0 << _GNTMAP_guest_avail0)

/* Per-operation status codes. */
#define GNTST_okay              (0)
#define GNTST_general_error     (-1)
#define GNTST_bad_domain        (-2)
#define GNTST_bad_gntref        (-3)
#define GNTST_bad_handle        (-4)
#define GNTST_bad_virt_addr     (-5)
#define GNTST_bad_dev_addr      (-6)
#define GNTST_no_device_space   (-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page          (-9)
#define GNTST_bad_copy_arg      (-10)
#define GNTST_address_too_big   (-11)
#define GNTST_eagain            (-12)
#define GNTST_no_space          (-13)

struct gnttab_map_grant_ref
{
    uint64_t host_addr;    /* IN: VA, or PTE machine address (contains_pte) */
    uint32_t flags;        /* IN: GNTMAP_* */
    grant_ref_t ref;       /* IN */
    domid_t dom;           /* IN: the granting domain */
    int16_t status;        /* OUT: GNTST_* */
    grant_handle_t handle; /* OUT */
    uint64_t dev_bus_addr; /* OUT */
};
typedef struct gnttab_map_grant_ref gnttab_map_grant_ref_t;
_Static_assert(sizeof(struct gnttab_map_grant_ref) == 32, "gnt_map");
_Static_assert(offsetof(struct gnttab_map_grant_ref, ref) == 12, "map.ref");
_Static_assert(offsetof(struct gnttab_map_grant_ref, dom) == 16, "map.dom");
_Static_assert(offsetof(struct gnttab_map_grant_ref, status) == 18,
               "map.status");
_Static_assert(offsetof(struct gnttab_map_grant_ref, handle) == 20,
               "map.handle");
_Static_assert(offsetof(struct gnttab_map_grant_ref, dev_bus_addr) == 24,
               "map.dev_bus_addr");

struct gnttab_unmap_grant_ref
{
    uint64_t host_addr;
    uint64_t dev_bus_addr;
    grant_handle_t handle;
    int16_t status; /* OUT */
    uint16_t _pad0;
};
typedef struct gnttab_unmap_grant_ref gnttab_unmap_grant_ref_t;
_Static_assert(sizeof(struct gnttab_unmap_grant_ref) == 24, "gnt_unmap");
_Static_assert(offsetof(struct gnttab_unmap_grant_ref, handle) == 16,
               "unmap.handle");
_Static_assert(offsetof(struct gnttab_unmap_grant_ref, status) == 20,
               "unmap.status");

struct gnttab_setup_table
{
    domid_t dom; /* IN */
    uint16_t _pad0;
    uint32_t nr_frames; /* IN */
    int16_t status;     /* OUT */
    uint16_t _pad1[3];
    uint64_t frame_list; /* OUT: guest handle of xen_pfn_t[nr_frames] */
};
typedef struct gnttab_setup_table gnttab_setup_table_t;
_Static_assert(sizeof(struct gnttab_setup_table) == 24, "gnt_setup");
_Static_assert(offsetof(struct gnttab_setup_table, nr_frames) == 4,
               "setup.nr_frames");
_Static_assert(offsetof(struct gnttab_setup_table, status) == 8,
               "setup.status");
_Static_assert(offsetof(struct gnttab_setup_table, frame_list) == 16,
               "setup.frame_list");

struct gnttab_dump_table
{
    domid_t dom;
    int16_t status;
};
typedef struct gnttab_dump_table gnttab_dump_table_t;
_Static_assert(sizeof(struct gnttab_dump_table) == 4, "gnt_dump");

struct gnttab_transfer
{
    xen_pfn_t mfn;
    domid_t domid;
    uint16_t _pad0;
    grant_ref_t ref;
    int16_t status;
    uint16_t _pad1[3];
};
typedef struct gnttab_transfer gnttab_transfer_t;
_Static_assert(sizeof(struct gnttab_transfer) == 24, "gnt_transfer");
_Static_assert(offsetof(struct gnttab_transfer, ref) == 12, "transfer.ref");
_Static_assert(offsetof(struct gnttab_transfer, status) == 16,
               "transfer.status");

/* gnttab_copy.flags */
#define _GNTCOPY_source_gref 0
#define GNTCOPY_source_gref  (1 << _GNTCOPY_source_gref)
#define _GNTCOPY_dest_gref   1
#define GNTCOPY_dest_gref    (1 << _GNTCOPY_dest_gref)

struct gnttab_copy_ptr
{
    union
    {
        grant_ref_t ref;
        xen_pfn_t gmfn;
    } u;
    domid_t domid;
    uint16_t offset;
    uint32_t _pad0;
};
_Static_assert(sizeof(struct gnttab_copy_ptr) == 16, "gnt_copy_ptr");

struct gnttab_copy
{
    struct gnttab_copy_ptr source, dest;
    uint16_t len;
    uint16_t flags; /* GNTCOPY_* */
    int16_t status; /* OUT */
    uint16_t _pad0;
};
typedef struct gnttab_copy gnttab_copy_t;
_Static_assert(sizeof(struct gnttab_copy) == 40, "gnt_copy");
_Static_assert(offsetof(struct gnttab_copy, dest) == 16, "copy.dest");
_Static_assert(offsetof(struct gnttab_copy, len) == 32, "copy.len");
_Static_assert(offsetof(struct gnttab_copy, status) == 36, "copy.status");

struct gnttab_query_size
{
    domid_t dom; /* IN */
    uint16_t _pad0;
    uint32_t nr_frames;     /* OUT */
    uint32_t max_nr_frames; /* OUT */
    int16_t status;         /* OUT */
    uint16_t _pad1;
};
typedef struct gnttab_query_size gnttab_query_size_t;
_Static_assert(sizeof(struct gnttab_query_size) == 16, "gnt_query_size");
_Static_assert(offsetof(struct gnttab_query_size, status) == 12,
               "query_size.status");

struct gnttab_unmap_and_replace
{
    uint64_t host_addr;
    uint64_t new_addr;
    grant_handle_t handle;
    int16_t status;
    uint16_t _pad0;
};
typedef struct gnttab_unmap_and_replace gnttab_unmap_and_replace_t;
_Static_assert(sizeof(struct gnttab_unmap_and_replace) == 24, "gnt_unm_repl");

struct gnttab_set_version
{
    uint32_t version; /* IN/OUT */
};
typedef struct gnttab_set_version gnttab_set_version_t;
_Static_assert(sizeof(struct gnttab_set_version) == 4, "gnt_set_version");

struct gnttab_get_version
{
    domid_t dom;
    uint16_t pad;
    uint32_t version; /* OUT */
};
typedef struct gnttab_get_version gnttab_get_version_t;
_Static_assert(sizeof(struct gnttab_get_version) == 8, "gnt_get_version");

#endif /* PUBLIC_GRANT_TABLE_H */
