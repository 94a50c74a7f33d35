/*
 * The builder (BUILDER): the initial domain.  Reads the boot bundle,
 * checks every *.cfg in it, builds each domain with libxc-min in
 * dependency order, starts them and applies on_poweroff / on_reboot /
 * on_crash when VIRQ_DOM_EXC says a child changed state.
 *
 * Locking: none; one vCPU.  The VIRQ handler only sets a flag.
 *
 * Command line (module 0's, after the image name):
 *   test            end with "TEST RESULT: PASS" (and power off) once every
 *                   child is gone, if every one built and last shut down
 *                   with SHUTDOWN_poweroff; FAIL otherwise
 *   max-restarts=N  restarts of one domain before it is destroyed
 *                   instead (default 3: a crash loop ends)
 *   check-seal      after starting each domain, try to map and populate
 *                   it (both must be refused: it is sealed) and log it
 *   cycles=N        before the system starts, build, start, await the
 *                   poweroff of and destroy the first domain in build
 *                   order N times (1..1000); log the median times and
 *                   the free frames before and after (a leak fails the
 *                   test verdict)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <public/errno.h>
#include <public/sched.h>
#include <rt/console.h>
#include <rt/events.h>
#include <rt/rt.h>

#include "../../libxc-min/xcmin.h"
#include "bundle.h"
#include "cfg.h"

#define MAX_DOMS CFG_MAX_DOMAINS

struct dom
{
    struct domain_config *cfg;
    domid_t domid;
    bool running;          /* built and not yet dealt with */
    bool preserved;        /* shut down, kept */
    unsigned int restarts; /* so far */
    uint32_t last_reason;  /* SHUTDOWN_* of its last shutdown */
    bool failed;           /* did not build */
    uint64_t probe_mfn;    /* a data frame of it (its XenStore page) */
};

static struct bundle bundle;
static struct domain_config cfgs[MAX_DOMS];
static unsigned int order[MAX_DOMS];
static struct dom doms[MAX_DOMS];
static unsigned int nr_doms;
static struct cfg_diags diags;
static xcmin_handle_t *xc;
static volatile int dom_exc;
static bool opt_test;
static unsigned int opt_max_restarts = 3;
static unsigned int opt_cycles;
static bool opt_check_seal;
static bool cycles_failed;

static void parse_cmdline(const char *c)
{
    const char *p;

    opt_test = false;
    for ( p = c; p && *p; )
    {
        while ( *p == ' ' )
            p++;
        if ( !strncmp(p, "test", 4) && (p[4] == ' ' || !p[4]) )
            opt_test = true;
        else if ( !strncmp(p, "max-restarts=", 13) )
            opt_max_restarts = (unsigned int)strtoul(p + 13, NULL, 10);
        else if ( !strncmp(p, "check-seal", 10) && (p[10] == ' ' || !p[10]) )
            opt_check_seal = true;
        else if ( !strncmp(p, "cycles=", 7) )
        {
            opt_cycles = (unsigned int)strtoul(p + 7, NULL, 10);
            if ( opt_cycles < 1 || opt_cycles > 1000 )
            {
                printf("builder: warning: cycles=%u is not in 1..1000: "
                       "no cycles\n",
                       opt_cycles);
                opt_cycles = 0;
            }
        }
        else if ( *p )
            printf("builder: warning: unknown option '%.*s'\n",
                   (int)strcspn(p, " "), p);
        while ( *p && *p != ' ' )
            p++;
    }
}

static void print_diags(void)
{
    unsigned int i;

    for ( i = 0; i < diags.nr; i++ )
        printf("builder: %s: %s\n", diags.diag[i].warning ? "warning" : "error",
               diags.diag[i].msg);
    if ( diags.nr_errors + diags.nr_warnings > diags.nr )
        printf("builder: (%u more messages not shown)\n",
               diags.nr_errors + diags.nr_warnings - diags.nr);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);

    return a >= b && !strcmp(s + a - b, suffix);
}

/* Parse and check every *.cfg; 0 when all are valid as one system. */
static int read_configs(void)
{
    unsigned int i, n = 0;

    cfg_diags_init(&diags);
    for ( i = 0; i < bundle.nr; i++ )
    {
        const struct bundle_member *m = &bundle.m[i];

        if ( !ends_with(m->name, ".cfg") )
            continue;
        if ( n == MAX_DOMS )
        {
            printf("builder: error: more than %u *.cfg files\n", MAX_DOMS);
            return -1;
        }
        cfg_parse(m->name, (const char *)m->data, m->size, &cfgs[n], &diags);
        n++;
    }
    if ( !diags.nr_errors )
        cfg_check_set(cfgs, n, order, &diags);
    /* Every kernel and ramdisk must be in the bundle. */
    for ( i = 0; !diags.nr_errors && i < n; i++ )
    {
        if ( !bundle_find(&bundle, cfgs[i].kernel) )
        {
            printf("builder: error: %s:%u: kernel: no boot module '%s'\n",
                   cfgs[i].file, cfgs[i].line[CFG_KEY_KERNEL], cfgs[i].kernel);
            diags.nr_errors++;
        }
        if ( cfgs[i].ramdisk[0] && !bundle_find(&bundle, cfgs[i].ramdisk) )
        {
            printf("builder: error: %s:%u: ramdisk: no boot module '%s'\n",
                   cfgs[i].file, cfgs[i].line[CFG_KEY_RAMDISK],
                   cfgs[i].ramdisk);
            diags.nr_errors++;
        }
    }
    print_diags();
    if ( diags.nr_errors )
        return -1;
    nr_doms = n;
    return 0;
}

/*
 * cpus = ...: place each vCPU (before the seal).  0, or -errno after
 * saying which vCPU and set could not be placed.
 */
static int place_vcpus(struct dom *d, char *where, size_t len)
{
    const struct domain_config *c = d->cfg;
    size_t used = 0;
    unsigned int i;
    uint32_t cpu;
    int rc;

    where[0] = '\0';
    if ( !c->line[CFG_KEY_CPUS] )
        return 0; /* no cpus key: the hypervisor spreads them */
    for ( i = 0; i < c->vcpus; i++ )
    {
        rc = xcmin_vcpu_setaffinity(xc, d->domid, i, c->cpus[i].bits, &cpu);
        if ( rc )
        {
            printf("builder: error: %s:%u: cpus: vCPU %u: %s (%d)\n", c->file,
                   c->line[CFG_KEY_CPUS], i,
                   rc == -XEN_EINVAL ? "no CPU of its set is online"
                                     : "affinity refused",
                   rc);
            return rc;
        }
        if ( used < len )
            used += (size_t)snprintf(where + used, len - used, "%s%u",
                                     i ? "," : "", cpu);
    }
    return 0;
}

static int build(struct dom *d)
{
    const struct domain_config *c = d->cfg;
    const struct bundle_member *k = bundle_find(&bundle, c->kernel);
    const struct bundle_member *rd =
        c->ramdisk[0] ? bundle_find(&bundle, c->ramdisk) : NULL;
    struct xcmin_pv_args a = {
        .kernel = k->data,
        .kernel_len = k->size,
        .ramdisk = rd ? rd->data : NULL,
        .ramdisk_len = rd ? rd->size : 0,
        .cmdline = c->cmdline,
        .nr_pages = (uint64_t)c->memory << 8,
        .with_rings = true,
    };
    struct xcmin_pv_result r;
    uint64_t t0 = xcmin_now_ns(xc), t1;
    int rc;

    char cpus[96];

    d->domid = 0;
    rc = xcmin_create_pv(xc, &d->domid, c->vcpus, (uint64_t)c->maxmem << 10,
                         c->caps, &a, &r);
    if ( rc )
    {
        printf("builder: %s (%s): build failed: %s\n", c->name, c->file,
               r.error);
        d->failed = true;
        return rc;
    }
    rc = place_vcpus(d, cpus, sizeof(cpus));
    t1 = xcmin_now_ns(xc);
    if ( rc )
    {
        printf("builder: %s (%s): build failed: vCPU placement\n", c->name,
               c->file);
        xcmin_domain_destroy(xc, d->domid);
        d->failed = true;
        return rc;
    }
    d->probe_mfn = r.store_mfn;
    printf("builder: built %s: domain %u, %u MiB, %u vCPUs, role %s, "
           "caps %#x, in %lu.%03lu ms\n",
           c->name, d->domid, c->memory, c->vcpus, cfg_role_name(c->role),
           c->caps, (unsigned long)((t1 - t0) / 1000000),
           (unsigned long)((t1 - t0) / 1000 % 1000));
    if ( cpus[0] )
        printf("builder: %s (domain %u): vCPUs on CPUs %s (cpus at %s:%u)\n",
               c->name, d->domid, cpus, c->file, c->line[CFG_KEY_CPUS]);
    return 0;
}

static int start(struct dom *d)
{
    int rc = xcmin_domain_unpause(xc, d->domid);

    if ( rc )
    {
        printf("builder: %s: unpause of domain %u failed: %d\n", d->cfg->name,
               d->domid, rc);
        xcmin_domain_destroy(xc, d->domid);
        d->failed = true;
        return rc;
    }
    d->running = true;
    printf("builder: started %s (domain %u)\n", d->cfg->name, d->domid);
    return 0;
}

static const char *refused(int rc, char *buf, size_t len)
{
    if ( rc == -XEN_EPERM )
        return "refused (-EPERM)";
    snprintf(buf, len, "NOT refused (%d)", rc);
    return buf;
}

/* check-seal: a started child is sealed; its builder cannot touch it. */
static void check_sealed(struct dom *d)
{
    char b1[32], b2[32];
    void *va = NULL;
    uint64_t mfn = 0;
    int map_rc = xcmin_map(xc, d->domid, &d->probe_mfn, 1, &va);
    int pop_rc;

    if ( !map_rc )
        xcmin_unmap(xc, va, 1);
    pop_rc = xcmin_populate_physmap(xc, d->domid, (uint64_t)d->cfg->memory << 8,
                                    1, &mfn);
    printf("builder: sealed %s (domain %u): map %s, populate %s\n",
           d->cfg->name, d->domid, refused(map_rc, b1, sizeof(b1)),
           refused(pop_rc, b2, sizeof(b2)));
    if ( map_rc != -XEN_EPERM || pop_rc != -XEN_EPERM )
        d->failed = true;
}

static void on_dom_exc(evtchn_port_t port, void *data)
{
    (void)port;
    (void)data;
    dom_exc = 1;
}

static const char *reason_name(uint32_t r)
{
    switch ( r )
    {
    case SHUTDOWN_poweroff:
        return "poweroff";
    case SHUTDOWN_reboot:
        return "reboot";
    case SHUTDOWN_crash:
        return "crash";
    default:
        return "other";
    }
}

/* A child shut down: apply its cfg's action. */
static void handle_shutdown(struct dom *d, uint32_t reason)
{
    const struct domain_config *c = d->cfg;
    enum cfg_action act = reason == SHUTDOWN_poweroff ? c->on_poweroff
                          : reason == SHUTDOWN_reboot ? c->on_reboot
                                                      : c->on_crash;
    int rc;

    d->last_reason = reason;
    if ( act == CFG_ACTION_RESTART && d->restarts >= opt_max_restarts )
    {
        printf("builder: %s (domain %u): %s after %u restarts: restart "
               "limit reached, destroying\n",
               c->name, d->domid, reason_name(reason), d->restarts);
        act = CFG_ACTION_DESTROY;
    }
    printf("builder: %s (domain %u) shut down (%s): %s\n", c->name, d->domid,
           reason_name(reason), cfg_action_name(act));
    d->running = false;
    switch ( act )
    {
    case CFG_ACTION_PRESERVE:
        d->preserved = true;
        return;
    case CFG_ACTION_DESTROY:
        rc = xcmin_domain_destroy(xc, d->domid);
        if ( rc )
            printf("builder: destroy of domain %u failed: %d\n", d->domid, rc);
        return;
    case CFG_ACTION_RESTART:
        rc = xcmin_domain_destroy(xc, d->domid);
        if ( rc )
        {
            printf("builder: destroy of domain %u failed: %d\n", d->domid, rc);
            d->failed = true;
            return;
        }
        d->restarts++;
        if ( !build(d) && !start(d) )
            printf("builder: restarted %s as domain %u (restart %u)\n", c->name,
                   d->domid, d->restarts);
        return;
    }
}

/* Look at every running child; true while any is running. */
static bool poll_children(void)
{
    xcmin_dominfo_t info;
    bool any = false;
    unsigned int i;
    int rc;

    for ( i = 0; i < nr_doms; i++ )
    {
        struct dom *d = &doms[i];

        if ( !d->running )
            continue;
        rc = xcmin_domain_getinfo(xc, d->domid, &info);
        if ( rc )
        {
            printf("builder: %s (domain %u) vanished: %d\n", d->cfg->name,
                   d->domid, rc);
            d->running = false;
            d->failed = true;
            continue;
        }
        if ( info.flags & TESSERA_DOMINF_shutdown )
            handle_shutdown(d, info.shutdown_reason);
        if ( d->running )
            any = true;
    }
    return any;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *v, unsigned int n)
{
    qsort(v, n, sizeof(*v), cmp_u64);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Wait until domid has shut down; its reason, or -errno. */
static long await_shutdown(domid_t domid)
{
    xcmin_dominfo_t info;
    int rc;

    for ( ;; )
    {
        dom_exc = 0;
        rc = xcmin_domain_getinfo(xc, domid, &info);
        if ( rc )
            return rc;
        if ( info.flags & TESSERA_DOMINF_shutdown )
            return info.shutdown_reason;
        xen_wait_flag(&dom_exc, 1000000000ULL);
    }
}

/*
 * cycles=N: build, start, await and destroy one domain N times and check
 * that every frame came back.  The times are the builder's view: create to
 * unpause, and the destroy hypercall.
 */
static void run_cycles(struct dom *d)
{
    static uint64_t up[1000], down[1000];
    struct tessera_domctl_physinfo before, after;
    unsigned int i, done = 0;
    uint64_t t0, t1, t2;
    long reason;
    int rc;

    rc = xcmin_physinfo(xc, &before);
    if ( rc )
    {
        printf("builder: cycles: physinfo: %d\n", rc);
        cycles_failed = true;
        return;
    }
    printf("builder: cycles: %u x %s (%u MiB), %lu frames free\n", opt_cycles,
           d->cfg->name, d->cfg->memory, (unsigned long)before.free_pages);
    for ( i = 0; i < opt_cycles; i++ )
    {
        t0 = xcmin_now_ns(xc);
        if ( build(d) || start(d) )
            break;
        t1 = xcmin_now_ns(xc);
        reason = await_shutdown(d->domid);
        if ( reason != SHUTDOWN_poweroff )
        {
            printf("builder: cycles: %s (domain %u), cycle %u: ended with "
                   "%ld, not poweroff\n",
                   d->cfg->name, d->domid, i + 1, reason);
            xcmin_domain_destroy(xc, d->domid);
            break;
        }
        t2 = xcmin_now_ns(xc);
        rc = xcmin_domain_destroy(xc, d->domid);
        down[i] = xcmin_now_ns(xc) - t2;
        up[i] = t1 - t0;
        d->running = false;
        if ( rc )
        {
            printf("builder: cycles: destroy of domain %u: %d\n", d->domid, rc);
            break;
        }
        done++;
        if ( done % 25 == 0 )
            printf("builder: cycles: %u of %u done\n", done, opt_cycles);
    }
    rc = xcmin_physinfo(xc, &after);
    if ( done < opt_cycles || rc || after.free_pages != before.free_pages )
        cycles_failed = true;
    if ( !done )
        return;
    printf("builder: cycles: %u of %u; build+start median %lu us, destroy "
           "median %lu us; frames free before %lu, after %lu%s\n",
           done, opt_cycles, (unsigned long)(median(up, done) / 1000),
           (unsigned long)(median(down, done) / 1000),
           (unsigned long)before.free_pages, (unsigned long)after.free_pages,
           after.free_pages == before.free_pages ? "" : " (LEAK)");
}

static int verdict(void)
{
    unsigned int i, bad = 0;

    for ( i = 0; i < nr_doms; i++ )
        if ( doms[i].failed || doms[i].last_reason != SHUTDOWN_poweroff )
        {
            printf("builder: %s did not end with a clean poweroff\n",
                   doms[i].cfg->name);
            bad++;
        }
    if ( cycles_failed )
    {
        printf("builder: cycles=%u did not all complete cleanly\n", opt_cycles);
        bad++;
    }
    if ( !opt_test )
        return bad ? 1 : 0;
    if ( bad )
        printf("TEST RESULT: FAIL %u of %u domains\n", bad, nr_doms);
    else
        printf("TEST RESULT: PASS\n");
    fflush(stdout);
    return bad ? 1 : 0;
}

int main(void)
{
    const char *why = "";
    unsigned int i;
    long port;
    int rc;

    setvbuf(stdout, NULL, _IONBF, 0);
    parse_cmdline(xen_start_info->cmd_line);
    printf("builder: libxc-min API %u, %lu MiB\n", XCMIN_API_VERSION,
           (unsigned long)(xen_start_info->nr_pages >> 8));
    if ( !xen_start_info->mod_start || !xen_start_info->mod_len )
    {
        printf("builder: error: no boot bundle (no modules after the "
               "builder)\n");
        return 1;
    }
    if ( bundle_read((const void *)xen_start_info->mod_start,
                     xen_start_info->mod_len, &bundle, &why) )
    {
        printf("builder: error: boot bundle: %s\n", why);
        return 1;
    }
    if ( read_configs() )
    {
        printf("builder: configuration errors: nothing built, stopping "
               "the boot\n");
        return 1;
    }
    if ( !nr_doms )
    {
        printf("builder: no *.cfg in the boot bundle: nothing to build\n");
        return verdict();
    }
    rc = xcmin_open_stub(&xc);
    if ( rc )
    {
        printf("builder: error: libxc-min: %d\n", rc);
        return 1;
    }
    port = xen_evtchn_bind_virq(VIRQ_DOM_EXC, on_dom_exc, NULL);
    if ( port < 0 )
        printf("builder: warning: VIRQ_DOM_EXC: %ld (polling)\n", port);

    for ( i = 0; i < nr_doms; i++ )
        doms[i].cfg = &cfgs[order[i]];
    if ( opt_cycles )
        run_cycles(&doms[0]);
    for ( i = 0; i < nr_doms; i++ )
        build(&doms[i]);
    for ( i = 0; i < nr_doms; i++ )
        if ( !doms[i].failed && !start(&doms[i]) && opt_check_seal )
            check_sealed(&doms[i]);

    while ( poll_children() )
    {
        dom_exc = 0;
        /* The VIRQ wakes us; the timeout is a safety net. */
        xen_wait_flag(&dom_exc, 1000000000ULL);
    }
    printf("builder: every domain is gone\n");
    return verdict();
}
