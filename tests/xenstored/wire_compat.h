/*
 * xenstored wire-compat check: a named value from one of the two headers
 *
 * Locking: none.
 */
#ifndef WIRE_COMPAT_H
#define WIRE_COMPAT_H

struct wc_value
{
    const char *name;
    unsigned long value;
};

extern const struct wc_value wc_xen[];
extern const char *const wc_xen_errors[];
extern const unsigned int wc_xen_nerrors;

#endif /* WIRE_COMPAT_H */
