/*
 * Domain configuration files (CFG): xl.cfg syntax into struct domain_config.
 *
 * Locking: none; every function works on the caller's structures only.
 *
 * Plain C with fixed bounds: no allocation, no OS; the builder stub domain
 * (newlib) and the host unit tests link the same file.  Syntax and every
 * key are described in docs/config.md.  Every problem is reported, never
 * defaulted: a message "FILE:LINE: KEY: what is wrong" per problem, all of
 * a file's problems collected (the first CFG_MAX_DIAGS kept).
 */
#ifndef BUILDER_CFG_H
#define BUILDER_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CFG_NAME_MAX    64    /* name: 1..63 characters */
#define CFG_PATH_MAX    256   /* kernel, ramdisk: 1..255 characters */
#define CFG_CMDLINE_MAX 1024  /* cmdline: 0..1023 (MAX_GUEST_CMDLINE) */
#define CFG_FILE_MAX    64    /* file name kept in the struct (cut) */
#define CFG_MEMORY_MAX  65536 /* MiB; memory and maxmem are 1..this */
#define CFG_MAX_VCPUS   128   /* vcpus: 1..this */
#define CFG_MAX_PCPUS   128   /* physical CPUs cpus may name: 0..this-1 */
#define CFG_LIST_MAX    128   /* elements in one list */
#define CFG_MAX_DIAGS   16    /* messages kept per cfg_diags */
#define CFG_MSG_MAX     256   /* one message, with its NUL */
#define CFG_MAX_DOMAINS 64    /* configs in one set */

/* Keys, in the order docs/config.md lists them. */
enum cfg_key
{
    CFG_KEY_NAME,
    CFG_KEY_KERNEL,
    CFG_KEY_RAMDISK,
    CFG_KEY_CMDLINE,
    CFG_KEY_EXTRA,
    CFG_KEY_MEMORY,
    CFG_KEY_MAXMEM,
    CFG_KEY_VCPUS,
    CFG_KEY_CPUS,
    CFG_KEY_ON_POWEROFF,
    CFG_KEY_ON_REBOOT,
    CFG_KEY_ON_CRASH,
    CFG_KEY_ROLE,
    CFG_KEY_CAPABILITIES,
    CFG_KEY_NR
};

/* on_poweroff / on_reboot / on_crash. */
enum cfg_action
{
    CFG_ACTION_DESTROY,  /* "destroy": free the domain */
    CFG_ACTION_RESTART,  /* "restart": destroy, then build it again */
    CFG_ACTION_PRESERVE, /* "preserve": keep it shut down, memory held */
};

/* role, in build order: services before guests. */
enum cfg_role
{
    CFG_ROLE_XENSTORED,
    CFG_ROLE_CONSOLE,
    CFG_ROLE_BLKBACK,
    CFG_ROLE_NETBACK,
    CFG_ROLE_GUEST,
    CFG_ROLE_NR
};

/* A set of physical CPUs, bit n = CPU n. */
struct cfg_cpumask
{
    uint64_t bits[CFG_MAX_PCPUS / 64];
};

/*
 * One domain.  Defaults (key absent) in brackets; docs/config.md has the
 * ranges.
 */
struct domain_config
{
    char file[CFG_FILE_MAX];       /* the file it came from (cut) */
    char name[CFG_NAME_MAX];       /* required */
    char kernel[CFG_PATH_MAX];     /* required: boot module name */
    char ramdisk[CFG_PATH_MAX];    /* [""]: none */
    char cmdline[CFG_CMDLINE_MAX]; /* cmdline, else extra [""] */
    uint32_t memory;               /* MiB, required */
    uint32_t maxmem;               /* MiB [= memory] */
    uint32_t vcpus;                /* [1] */
    /*
     * Affinity of vCPU i [every CPU]: cpus = "0-3,5" gives every vCPU the
     * same set; cpus = [ "0", "2-3" ] gives vCPU i element i and the vCPUs
     * beyond the list every CPU.
     */
    struct cfg_cpumask cpus[CFG_MAX_VCPUS];
    enum cfg_action on_poweroff;   /* [destroy] */
    enum cfg_action on_reboot;     /* [restart] */
    enum cfg_action on_crash;      /* [destroy] */
    enum cfg_role role;            /* [guest] */
    uint32_t caps;                 /* TESSERA_CAP_* [the role's default] */
    unsigned int line[CFG_KEY_NR]; /* where each key was set, 0 = absent */
};

struct cfg_diag
{
    unsigned int line;     /* 0 for problems of a set, not of a line */
    bool warning;          /* a warning does not count as an error */
    char msg[CFG_MSG_MAX]; /* "FILE:LINE: KEY: text", complete */
};

/* Diagnostics; zero it (or cfg_diags_init) before the first use. */
struct cfg_diags
{
    unsigned int nr_errors;   /* every error, kept or not */
    unsigned int nr_warnings; /* every warning, kept or not */
    unsigned int nr;          /* messages kept in diag[] */
    struct cfg_diag diag[CFG_MAX_DIAGS];
};

void cfg_diags_init(struct cfg_diags *diags);

/*
 * Parse text[0..len) (need not be NUL-terminated) from the file called
 * file into *cfg, appending every problem to *diags.  Returns the number of
 * errors found in this file (0: *cfg is complete and valid on its own).
 */
unsigned int cfg_parse(const char *file, const char *text, size_t len,
                       struct domain_config *cfg, struct cfg_diags *diags);

/*
 * Check n valid configs as one system: names unique, at most one xenstored
 * and one console, n <= CFG_MAX_DOMAINS.  Fills order[0..n) with indices
 * into cfgs in build order (xenstored, console, blkback, netback, guests;
 * ties by file name, then by index).  Returns the number of errors.
 */
unsigned int cfg_check_set(const struct domain_config *cfgs, unsigned int n,
                           unsigned int *order, struct cfg_diags *diags);

/* Names for logs and messages. */
const char *cfg_key_name(enum cfg_key key);
const char *cfg_role_name(enum cfg_role role);
const char *cfg_action_name(enum cfg_action action);

static inline bool cfg_cpumask_test(const struct cfg_cpumask *m,
                                    unsigned int cpu)
{
    return cpu < CFG_MAX_PCPUS && ((m->bits[cpu / 64] >> (cpu % 64)) & 1);
}

#endif /* BUILDER_CFG_H */
