/*
 * Hypercall error numbers: what a hypercall returns, negated, on failure
 *
 * Locking: none; constants.  The values are Xen's (they match Linux x86);
 * they are NOT the host's or newlib's errno values, so guest code compares
 * hypercall results with -XEN_E*.  EINTR (4) and ERESTART (85) are
 * hypervisor-internal and never reach a guest.  XEN_ERRNO_LIST(X) expands X(name, value)
 * once per code; the XEN_<name> constants below come from it.
 */
#ifndef PUBLIC_ERRNO_H
#define PUBLIC_ERRNO_H

/* clang-format off */
#define XEN_ERRNO_LIST(X) \
    X(EPERM, 1)           \
    X(ENOENT, 2)          \
    X(ESRCH, 3)           \
    X(EIO, 5)             \
    X(ENXIO, 6)           \
    X(E2BIG, 7)           \
    X(ENOEXEC, 8)         \
    X(EBADF, 9)           \
    X(ECHILD, 10)         \
    X(EAGAIN, 11)         \
    X(EWOULDBLOCK, 11)    \
    X(ENOMEM, 12)         \
    X(EACCES, 13)         \
    X(EFAULT, 14)         \
    X(EBUSY, 16)          \
    X(EEXIST, 17)         \
    X(EXDEV, 18)          \
    X(ENODEV, 19)         \
    X(ENOTDIR, 20)        \
    X(EISDIR, 21)         \
    X(EINVAL, 22)         \
    X(ENFILE, 23)         \
    X(EMFILE, 24)         \
    X(ENOSPC, 28)         \
    X(EROFS, 30)          \
    X(EMLINK, 31)         \
    X(EDOM, 33)           \
    X(ERANGE, 34)         \
    X(EDEADLK, 35)        \
    X(EDEADLOCK, 35)      \
    X(ENAMETOOLONG, 36)   \
    X(ENOLCK, 37)         \
    X(ENOSYS, 38)         \
    X(ENOTEMPTY, 39)      \
    X(ENODATA, 61)        \
    X(ETIME, 62)          \
    X(EBADMSG, 74)        \
    X(EOVERFLOW, 75)      \
    X(EILSEQ, 84)         \
    X(ENOTSOCK, 88)       \
    X(EMSGSIZE, 90)       \
    X(EOPNOTSUPP, 95)     \
    X(EADDRINUSE, 98)     \
    X(EADDRNOTAVAIL, 99)  \
    X(ENOBUFS, 105)       \
    X(EISCONN, 106)       \
    X(ENOTCONN, 107)      \
    X(ETIMEDOUT, 110)     \
    X(ECONNREFUSED, 111)
/* clang-format on */

#ifndef __ASSEMBLY__
#define XEN_ERRNO_ENUM(name, value) XEN_##name = (value),
enum xen_errno
{
    XEN_ERRNO_LIST(XEN_ERRNO_ENUM)
};
#undef XEN_ERRNO_ENUM
#endif

#endif /* PUBLIC_ERRNO_H */
