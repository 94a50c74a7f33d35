/*
 * xen_version and console_io: what a guest learns about the hypervisor,
 * and the hypervisor console as a guest sees it.
 *
 * Locking: console output goes through printk's console lock; the per-
 * domain rate limit is updated under d->lock.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/policy.h>
#include <public/features.h>
#include <public/version.h>
#include <asm/guest_access.h>
#include <asm/smp.h>

/* We speak Xen 4.17's interface. */
#define XEN_VERSION_MAJOR 4
#define XEN_VERSION_MINOR 17

/* Provided by the architecture (banner data). */
const char *arch_changeset(void);
const char *arch_compiler(void);
const char *arch_cmdline(void);
const uint8_t *arch_build_id(size_t *len);

/*
 * Honest feature bits: only what Tessera implements today.
 */
static uint32_t features_of(const struct domain *d)
{
    /* Issue #4: PRESERVE_AD in mmu_update; COPY/CLEAR_PAGE in mmuext_op. */
    uint32_t f = (1U << XENFEAT_mmu_pt_update_preserve_ad) |
                 (1U << XENFEAT_highmem_assist) |
                 /* Issue #6: GNTMAP_guest_avail* go into PTE bits 9-11. */
                 (1U << XENFEAT_gnttab_map_avail_bits);

    if ( d->is_initial )
        f |= 1U << XENFEAT_dom0;
    return f;
}

static long copy_string_out(uint64_t gva, const char *s, size_t size)
{
    char buf[1024];

    memset(buf, 0, size);
    hv_strlcpy(buf, s, size);
    return copy_to_guest(gva, buf, size) ? -EFAULT : 0;
}

static long version_build_id(const struct domain *d, uint64_t arg)
{
    struct xen_build_id hdr;
    size_t len;
    const uint8_t *id = arch_build_id(&len);

    if ( !d->is_initial )
        return -EPERM;
    if ( copy_from_guest(&hdr, arg, sizeof(hdr)) )
        return -EFAULT;
    if ( !id || !len )
        return -ENODATA;
    if ( hdr.len < len )
        return -ENOBUFS;
    if ( copy_to_guest(arg + sizeof(hdr), id, len) )
        return -EFAULT;
    return len;
}

long do_xen_version(HYPERCALL_ARGS)
{
    const struct domain *d = current->domain;
    unsigned int cmd = a1;
    uint64_t arg = a2;

    switch ( cmd )
    {
    case XENVER_version:
        return (XEN_VERSION_MAJOR << 16) | XEN_VERSION_MINOR;
    case XENVER_extraversion:
        return copy_string_out(arg, "-tessera", sizeof(xen_extraversion_t));
    case XENVER_compile_info:
    {
        struct xen_compile_info ci;

        memset(&ci, 0, sizeof(ci));
        hv_strlcpy(ci.compiler, arch_compiler(), sizeof(ci.compiler));
        hv_strlcpy(ci.compile_by, "tessera", sizeof(ci.compile_by));
        hv_strlcpy(ci.compile_date, "reproducible", sizeof(ci.compile_date));
        return copy_to_guest(arg, &ci, sizeof(ci)) ? -EFAULT : 0;
    }
    case XENVER_capabilities:
        return copy_string_out(arg, "xen-3.0-x86_64",
                               sizeof(xen_capabilities_info_t));
    case XENVER_changeset:
        return copy_string_out(arg, arch_changeset(),
                               sizeof(xen_changeset_info_t));
    case XENVER_platform_parameters:
    {
        struct xen_platform_parameters pp = { HYPERVISOR_VIRT_START };

        return copy_to_guest(arg, &pp, sizeof(pp)) ? -EFAULT : 0;
    }
    case XENVER_get_features:
    {
        struct xen_feature_info fi;

        if ( copy_from_guest(&fi, arg, sizeof(fi)) )
            return -EFAULT;
        if ( fi.submap_idx >= XENFEAT_NR_SUBMAPS )
            return -EINVAL;
        fi.submap = features_of(d);
        return copy_to_guest(arg, &fi, sizeof(fi)) ? -EFAULT : 0;
    }
    case XENVER_pagesize:
        return PAGE_SIZE;
    case XENVER_guest_handle:
    {
        xen_domain_handle_t h;

        memset(h, 0, sizeof(h));
        return copy_to_guest(arg, h, sizeof(h)) ? -EFAULT : 0;
    }
    case XENVER_commandline:
        if ( !d->is_initial )
            return -EPERM;
        return copy_string_out(arg, arch_cmdline(), sizeof(xen_commandline_t));
    case XENVER_build_id:
        return version_build_id(d, arg);
    default:
        return -ENOSYS;
    }
}

/* Token bucket per domain: CONSOLE_BURST bytes, refilled at RATE/s. */
#define CONSOLE_BURST (64 * 1024)
#define CONSOLE_RATE  (32 * 1024)
#define CONSOLE_CHUNK 128

static bool console_rate_ok(struct domain *d, size_t n)
{
    s_time_t now = NOW();
    bool ok;

    spin_lock(&d->lock);
    if ( !d->con.started )
    {
        d->con.started = true;
        d->con.tokens = CONSOLE_BURST;
        d->con.last = now;
    }
    /*
     * NOW() read on another CPU may be a little behind the last one: time
     * that went backwards refills nothing (and must not wrap around).
     */
    if ( now > d->con.last )
    {
        uint64_t add =
            (uint64_t)(now - d->con.last) * CONSOLE_RATE / 1000000000ULL;

        if ( (uint64_t)(now - d->con.last) > 1000000000ULL * 60 )
            add = CONSOLE_BURST; /* long idle: the product could overflow */
        d->con.tokens = MIN((uint64_t)CONSOLE_BURST, d->con.tokens + add);
        d->con.last = now;
    }
    ok = d->con.tokens >= n;
    if ( ok )
    {
        d->con.tokens -= n;
        d->con.dropping = false;
    }
    else if ( !d->con.dropping )
    {
        d->con.dropping = true;
        printk(XENLOG_WARNING "d%u: console_io output over %u bytes/s: "
                              "dropping some\n",
               d->domain_id, CONSOLE_RATE);
    }
    spin_unlock(&d->lock);
    return ok;
}

/* Caller holds d->lock. */
static void console_emit(struct domain *d)
{
    if ( d->con.len )
        printk("(d%u) %.*s%s", d->domain_id, (int)d->con.len, d->con.line,
               d->con.line[d->con.len - 1] == '\n' ? "" : "\n");
    d->con.len = 0;
}

/*
 * Guest text goes out a whole line at a time with "(dN) " in front, so a
 * domain that writes a line in pieces (newlib's unbuffered stdout does)
 * is never interleaved with another's output.  A line longer than the
 * buffer is printed in pieces, each on its own line.
 */
static void guest_console_write(struct domain *d, const char *s, size_t n)
{
    spin_lock(&d->lock);
    for ( size_t i = 0; i < n; i++ )
    {
        if ( s[i] == '\0' )
            continue;
        d->con.line[d->con.len++] = s[i];
        if ( s[i] == '\n' || d->con.len == sizeof(d->con.line) )
            console_emit(d);
    }
    spin_unlock(&d->lock);
}

void domain_console_flush(struct domain *d)
{
    spin_lock(&d->lock);
    console_emit(d);
    spin_unlock(&d->lock);
}

/*
 * console_io(CONSOLEIO_write, count, buf): every domain may write; output
 * is prefixed "(dN) " and rate-limited per domain (excess is dropped with a
 * notice).  CONSOLEIO_read needs the console capability (the initial
 * domain until the policy exists); there is no input yet, so it reads 0.
 */
long do_console_io(HYPERCALL_ARGS)
{
    struct domain *d = current->domain;
    unsigned int cmd = a1;
    unsigned long count = a2, done = 0;
    uint64_t buf = a3;
    char chunk[CONSOLE_CHUNK];

    switch ( cmd )
    {
    case CONSOLEIO_write:
        if ( !guest_range_ok(buf, count) )
            return -EFAULT;
        while ( done < count )
        {
            size_t n = MIN((unsigned long)CONSOLE_CHUNK, count - done);

            if ( copy_from_guest(chunk, buf + done, n) )
                return -EFAULT;
            if ( console_rate_ok(d, n) )
                guest_console_write(d, chunk, n);
            done += n;
            if ( done < count && hypercall_preempt_check() )
            {
                unsigned long args[5] = { cmd, count - done, buf + done };

                return hypercall_create_continuation(__HYPERVISOR_console_io, 3,
                                                     args);
            }
        }
        return 0;
    case CONSOLEIO_read:
    {
        struct policy_subject s = policy_subject_of(d);

        if ( policy_console_read(&s) )
            return -EPERM;
        return 0; /* no console input yet */
    }
    default:
        return -ENOSYS;
    }
}
