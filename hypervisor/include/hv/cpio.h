/*
 * cpio "newc" archives, built in memory: the hypervisor hands every boot
 * module after the first to the initial domain as one archive (an
 * initramfs to a Linux kernel), each member named after its module.
 */
#ifndef HV_CPIO_H
#define HV_CPIO_H

#include <hv/types.h>

#define CPIO_NAME_MAX   255         /* bytes of a member name, without NUL */
#define CPIO_MEMBER_MAX 0xffffffffU /* c_filesize is 8 hex digits */

struct cpio_member
{
    const char *name; /* name_len bytes, need not be NUL-terminated */
    size_t name_len;
    const void *data;
    size_t size;
};

/*
 * Exact bytes of the archive of these nr members (each a regular file,
 * mode 0644, owner 0, mtime 0) plus the "TRAILER!!!" entry.  Returns 0,
 * -EINVAL for a bad name (empty, longer than CPIO_NAME_MAX, holding a NUL
 * or a ".." component, or "TRAILER!!!" itself), -E2BIG for a member larger
 * than CPIO_MEMBER_MAX, -EOVERFLOW if the total does not fit in size_t.
 */
int cpio_size(const struct cpio_member *m, unsigned int nr, size_t *size);

/*
 * Write the archive into buf (buf_size bytes) and set *written to its
 * size.  Every member is checked first: on error nothing is written.
 * Returns 0, the errors of cpio_size(), or -ENOSPC if buf is too small.
 */
int cpio_write(const struct cpio_member *m, unsigned int nr, void *buf,
               size_t buf_size, size_t *written);

/*
 * The member name for a boot module: the basename of the first word of
 * its command line ("/boot/initrd.img root=x" gives "initrd.img").  Sets
 * *name and *len (0 when there is no usable word); never fails.
 */
void cpio_name_from_cmdline(const char *cmdline, const char **name,
                            size_t *len);

#endif /* HV_CPIO_H */
