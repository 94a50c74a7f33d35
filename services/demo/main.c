/*
 * demo: the guest of the default system (make run; its cfgs are in
 * services/builder/default/).  It says who it is — name, domain, memory, vCPUs, the hypervisor's version — then
 * prints the wall clock a few times, a second apart, and powers off.  It
 * uses only the Xen PV ABI plus Tessera's domctl to learn its domain id.
 *
 * Locking: none; one vCPU.
 *
 * Command line (the cfg's extra=): name=<label> ticks=<0..60> (default 3)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <public/domctl.h>
#include <public/version.h>
#include <rt/events.h>
#include <rt/rt.h>
#include <rt/time.h>

static char name[32] = "demo";
static unsigned int ticks = 3;

static void parse_cmdline(const char *c)
{
    const char *p = c;

    while ( p && *p )
    {
        size_t len;

        while ( *p == ' ' )
            p++;
        len = strcspn(p, " ");
        if ( !strncmp(p, "name=", 5) && len > 5 )
            snprintf(name, sizeof(name), "%.*s", (int)(len - 5), p + 5);
        else if ( !strncmp(p, "ticks=", 6) )
        {
            ticks = (unsigned int)strtoul(p + 6, NULL, 10);
            if ( ticks > 60 )
                ticks = 60;
        }
        else if ( len )
            printf("demo: ignoring unknown option '%.*s'\n", (int)len, p);
        p += len;
    }
}

/* What Tessera says about this domain (0 with info filled, or -errno). */
static long self_info(struct tessera_domctl_getdomaininfo *info)
{
    struct tessera_domctl op;
    long rc;

    memset(&op, 0, sizeof(op));
    op.cmd = TESSERA_DOMCTL_getdomaininfo;
    op.interface_version = TESSERA_DOMCTL_INTERFACE_VERSION;
    op.domain = DOMID_SELF;
    rc = HYPERVISOR_domctl(XEN_ARG(&op)); /* on Xen: not ours to call */
    *info = op.u.getdomaininfo;
    return rc;
}

int main(void)
{
    long ver = HYPERVISOR_xen_version(XENVER_version, 0);
    static volatile int never;
    struct tessera_domctl_getdomaininfo info;
    unsigned int i;

    parse_cmdline((const char *)xen_start_info->cmd_line);
    if ( self_info(&info) )
        printf("%s: hello: %lu MiB, hypervisor %ld.%ld (not Tessera)\n", name,
               (unsigned long)(xen_start_info->nr_pages >> 8), ver >> 16,
               ver & 0xffff);
    else
        printf("%s: hello from domain %u: %lu MiB, %u vCPUs, capabilities "
               "%#x, hypervisor %ld.%ld\n",
               name, info.domain,
               (unsigned long)(xen_start_info->nr_pages >> 8),
               info.max_vcpu_id + 1, info.caps, ver >> 16, ver & 0xffff);
    for ( i = 1; i <= ticks; i++ )
    {
        uint64_t sec;
        uint32_t nsec;

        xen_wait_flag(&never, 1000000000ULL); /* a one-second pause */
        xen_wallclock_now(&sec, &nsec);
        printf("%s: tick %u of %u: %02lu:%02lu:%02lu UTC\n", name, i, ticks,
               (unsigned long)(sec / 3600 % 24), (unsigned long)(sec / 60 % 60),
               (unsigned long)(sec % 60));
    }
    printf("%s: powering off\n", name);
    return 0;
}
