/*
 * xenstored wire-compat check: our include/public/io/xs_wire.h against
 * Debian's Xen 4.17 header, value by value (libxen-dev must be installed)
 *
 * Locking: none.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <public/io/xs_wire.h>
#include "wire_compat.h"

static const struct wc_value wc_ours[] = {
#define WC_MSG(nr, name) { #name, XS_##name },
    XS_MSG_LIST(WC_MSG)
#undef WC_MSG
        { "TYPE_COUNT", XS_TYPE_COUNT },
    { "INVALID", XS_INVALID },
    { "PAYLOAD_MAX", XS_PAYLOAD_MAX },
    { "ABS_PATH_MAX", XS_ABS_PATH_MAX },
    { "REL_PATH_MAX", XS_REL_PATH_MAX },
    { "RING_SIZE", XS_RING_SIZE },
    { "FEATURE_RECONNECTION", XS_FEATURE_RECONNECTION },
    { "FEATURE_ERROR", XS_FEATURE_ERROR },
    { "CONNECTED", XS_CONN_CONNECTED },
    { "RECONNECT", XS_CONN_RECONNECT },
    { "ERROR_NONE", XS_RING_ERR_NONE },
    { "ERROR_COMM", XS_RING_ERR_COMM },
    { "ERROR_RINGIDX", XS_RING_ERR_RINGIDX },
    { "ERROR_PROTO", XS_RING_ERR_PROTO },
    { "sizeof_hdr", sizeof(struct xs_msg_hdr) },
    { "sizeof_ring", sizeof(struct xs_ring_page) },
#define WC_OFF(f)                                   \
    {                                               \
        "off_" #f, offsetof(struct xs_ring_page, f) \
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
};

static const char *const wc_our_errors[] = {
#define WC_ERR(e) #e,
    XS_ERROR_LIST(WC_ERR)
#undef WC_ERR
};

int main(void)
{
    unsigned int i, j, checked = 0, bad = 0;

    for ( i = 0; wc_xen[i].name; i++ )
    {
        for ( j = 0; j < sizeof(wc_ours) / sizeof(wc_ours[0]); j++ )
            if ( !strcmp(wc_ours[j].name, wc_xen[i].name) )
                break;
        if ( j == sizeof(wc_ours) / sizeof(wc_ours[0]) )
        {
            printf("FAIL: %s missing from our header\n", wc_xen[i].name);
            bad++;
            continue;
        }
        checked++;
        if ( wc_ours[j].value != wc_xen[i].value )
        {
            printf("FAIL: %s: ours %lu, Xen %lu\n", wc_xen[i].name,
                   wc_ours[j].value, wc_xen[i].value);
            bad++;
        }
    }
    if ( wc_xen_nerrors != sizeof(wc_our_errors) / sizeof(wc_our_errors[0]) )
    {
        printf("FAIL: %u error names in Xen's table\n", wc_xen_nerrors);
        bad++;
    }
    for ( i = 0; i < wc_xen_nerrors && i < 16; i++, checked++ )
        if ( strcmp(wc_xen_errors[i], wc_our_errors[i]) )
        {
            printf("FAIL: error %u: ours %s, Xen %s\n", i, wc_our_errors[i],
                   wc_xen_errors[i]);
            bad++;
        }
    printf("%u values compared, %u differ\n", checked, bad);
    return bad ? 1 : 0;
}
