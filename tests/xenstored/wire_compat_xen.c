/*
 * xenstored wire-compat check, Xen half: values from Debian's xs_wire.h
 *
 * Locking: none.  Compiled separately because Xen's enumerators carry the
 * same names as ours.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/io/xs_wire.h>
#include "wire_compat.h"

const struct wc_value wc_xen[] = {
    { "CONTROL", XS_CONTROL },
    { "DIRECTORY", XS_DIRECTORY },
    { "READ", XS_READ },
    { "GET_PERMS", XS_GET_PERMS },
    { "WATCH", XS_WATCH },
    { "UNWATCH", XS_UNWATCH },
    { "TRANSACTION_START", XS_TRANSACTION_START },
    { "TRANSACTION_END", XS_TRANSACTION_END },
    { "INTRODUCE", XS_INTRODUCE },
    { "RELEASE", XS_RELEASE },
    { "GET_DOMAIN_PATH", XS_GET_DOMAIN_PATH },
    { "WRITE", XS_WRITE },
    { "MKDIR", XS_MKDIR },
    { "RM", XS_RM },
    { "SET_PERMS", XS_SET_PERMS },
    { "WATCH_EVENT", XS_WATCH_EVENT },
    { "ERROR", XS_ERROR },
    { "IS_DOMAIN_INTRODUCED", XS_IS_DOMAIN_INTRODUCED },
    { "RESUME", XS_RESUME },
    { "SET_TARGET", XS_SET_TARGET },
    { "RESET_WATCHES", XS_RESET_WATCHES },
    { "DIRECTORY_PART", XS_DIRECTORY_PART },
    { "TYPE_COUNT", XS_TYPE_COUNT },
    { "INVALID", XS_INVALID },
    { "PAYLOAD_MAX", XENSTORE_PAYLOAD_MAX },
    { "ABS_PATH_MAX", XENSTORE_ABS_PATH_MAX },
    { "REL_PATH_MAX", XENSTORE_REL_PATH_MAX },
    { "RING_SIZE", XENSTORE_RING_SIZE },
    { "FEATURE_RECONNECTION", XENSTORE_SERVER_FEATURE_RECONNECTION },
    { "FEATURE_ERROR", XENSTORE_SERVER_FEATURE_ERROR },
    { "CONNECTED", XENSTORE_CONNECTED },
    { "RECONNECT", XENSTORE_RECONNECT },
    { "ERROR_NONE", XENSTORE_ERROR_NONE },
    { "ERROR_COMM", XENSTORE_ERROR_COMM },
    { "ERROR_RINGIDX", XENSTORE_ERROR_RINGIDX },
    { "ERROR_PROTO", XENSTORE_ERROR_PROTO },
    { "sizeof_hdr", sizeof(struct xsd_sockmsg) },
    { "sizeof_ring", sizeof(struct xenstore_domain_interface) },
#define WC_OFF(f)                                                \
    {                                                            \
        "off_" #f, offsetof(struct xenstore_domain_interface, f) \
    }
    WC_OFF(req),
    WC_OFF(rsp),
    WC_OFF(req_cons),
    WC_OFF(req_prod),
    WC_OFF(rsp_cons),
    WC_OFF(rsp_prod),
    WC_OFF(server_features),
    WC_OFF(connection),
    WC_OFF(error),
#undef WC_OFF
    { NULL, 0 },
};

/* Xen's error table, in its order. */
const char *const wc_xen_errors[] = {
#define WC_ERR(i) xsd_errors[i].errstring
    WC_ERR(0),  WC_ERR(1),  WC_ERR(2),  WC_ERR(3),  WC_ERR(4),  WC_ERR(5),
    WC_ERR(6),  WC_ERR(7),  WC_ERR(8),  WC_ERR(9),  WC_ERR(10), WC_ERR(11),
    WC_ERR(12), WC_ERR(13), WC_ERR(14), WC_ERR(15),
#undef WC_ERR
};
const unsigned int wc_xen_nerrors = sizeof(xsd_errors) / sizeof(xsd_errors[0]);
