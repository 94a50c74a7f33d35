/*
 * xen_version sub-operations and their result buffers
 *
 * Locking: none; guest-visible layouts.  Every buffer is filled by the
 * hypervisor on HYPERVISOR_xen_version(cmd, buf).
 */
#ifndef PUBLIC_VERSION_H
#define PUBLIC_VERSION_H

#include "xen.h"

/* arg == NULL; returns (major << 16) | minor. */
#define XENVER_version 0

/* arg == xen_extraversion_t, e.g. ".0" or "-rc1". */
#define XENVER_extraversion 1
typedef char xen_extraversion_t[16];
#define XEN_EXTRAVERSION_LEN (sizeof(xen_extraversion_t))

/* arg == struct xen_compile_info. */
#define XENVER_compile_info 2
struct xen_compile_info
{
    char compiler[64];
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};
typedef struct xen_compile_info xen_compile_info_t;
_Static_assert(sizeof(struct xen_compile_info) == 144, "xen_compile_info");
_Static_assert(offsetof(struct xen_compile_info, compile_date) == 112,
               "compile_info.compile_date");

/* arg == xen_capabilities_info_t: space-separated guest types. */
#define XENVER_capabilities 3
typedef char xen_capabilities_info_t[1024];
#define XEN_CAPABILITIES_INFO_LEN (sizeof(xen_capabilities_info_t))

/* arg == xen_changeset_info_t: source revision. */
#define XENVER_changeset 4
typedef char xen_changeset_info_t[64];
#define XEN_CHANGESET_INFO_LEN (sizeof(xen_changeset_info_t))

/* arg == struct xen_platform_parameters. */
#define XENVER_platform_parameters 5
struct xen_platform_parameters
{
    xen_ulong_t virt_start; /* lowest hypervisor virtual address */
};
typedef struct xen_platform_parameters xen_platform_parameters_t;
_Static_assert(sizeof(struct xen_platform_parameters) == 8, "xen_pp");

/* arg == struct xen_feature_info: one 32-bit word of XENFEAT_* bits. */
#define XENVER_get_features 6
struct xen_feature_info
{
    uint32_t submap_idx; /* IN: which 32-bit word (only 0 exists) */
    uint32_t submap;     /* OUT */
};
typedef struct xen_feature_info xen_feature_info_t;
_Static_assert(sizeof(struct xen_feature_info) == 8, "xen_feature_info");
_Static_assert(offsetof(struct xen_feature_info, submap) == 4,
               "xen_feature_info.submap");

/* arg == NULL; returns the page size. */
#define XENVER_pagesize 7

/* arg == xen_domain_handle_t: the 16-byte handle the toolstack gave. */
#define XENVER_guest_handle 8
typedef uint8_t xen_domain_handle_t[16];

/* arg == xen_commandline_t: the hypervisor's command line (privileged). */
#define XENVER_commandline 9
typedef char xen_commandline_t[1024];

/*
 * arg == struct xen_build_id with len = buffer size; returns the number of
 * bytes written, or the size needed when arg is NULL (privileged).
 */
#define XENVER_build_id 10
struct xen_build_id
{
    uint32_t len; /* IN: size of buf; OUT: bytes written */
    uint8_t buf[];
};
typedef struct xen_build_id xen_build_id_t;
_Static_assert(sizeof(struct xen_build_id) == 4, "xen_build_id");

#endif /* PUBLIC_VERSION_H */
