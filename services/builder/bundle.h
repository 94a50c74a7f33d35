/*
 * The boot bundle (BUNDLE): a bounds-checked reader of the cpio "newc"
 * archive the hypervisor hands the builder (hv/cpio.h writes it).
 *
 * Locking: none.  Plain C, no allocation; the host unit tests can link it.
 */
#ifndef BUILDER_BUNDLE_H
#define BUILDER_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#define BUNDLE_MAX_MEMBERS 128

struct bundle_member
{
    char name[256]; /* NUL-terminated copy */
    const uint8_t *data;
    size_t size;
};

struct bundle
{
    unsigned int nr;
    struct bundle_member m[BUNDLE_MAX_MEMBERS];
};

/*
 * Read the archive buf[0..len).  Returns 0, or -1 with *why set for a
 * malformed archive (bad magic, a field that is not hex, a name or member
 * outside the buffer, no trailer, too many members).
 */
int bundle_read(const void *buf, size_t len, struct bundle *b,
                const char **why);

/* The member called name, or NULL. */
const struct bundle_member *bundle_find(const struct bundle *b,
                                        const char *name);

#endif /* BUILDER_BUNDLE_H */
