/*
 * Hypervisor command-line parsing.
 *
 * The command line is a space-separated list of name=value or name options.
 * The caller passes a table of known parameters; every unknown option and
 * every bad value is reported through the report callback (one message per
 * problem, naming the option) and counted, never silently ignored.
 */
#ifndef HV_CMDLINE_H
#define HV_CMDLINE_H

#include <hv/types.h>

enum param_type
{
    PARAM_BOOL,   /* "name", "name=1/0/yes/no/on/off/true/false", "no-name" */
    PARAM_UINT,   /* unsigned int; decimal or 0x hex */
    PARAM_SIZE,   /* uint64_t bytes; suffixes K M G T (binary) */
    PARAM_STRING, /* char[len], value must fit with its NUL */
    PARAM_CUSTOM, /* fn(value or NULL) returns 0 or -EINVAL */
};

struct kernel_param
{
    const char *name;
    enum param_type type;
    void *var;                  /* BOOL: bool*, UINT: unsigned int*,
                                        SIZE: uint64_t*, STRING: char* */
    size_t len;                 /* STRING: size of the buffer */
    int (*fn)(const char *val); /* CUSTOM */
};

/*
 * Parse cmdline against params[0..nr).  Later occurrences override earlier
 * ones.  report() receives a complete message such as
 * "unknown option 'foo'" or "bad value 'x' for option 'mem'".
 * Returns the number of problems reported (0 when all options were good).
 */
int cmdline_parse(const char *cmdline, const struct kernel_param *params,
                  size_t nr, void (*report)(const char *msg));

/* Parse "512M"-style sizes; false on garbage or overflow. */
bool parse_size(const char *s, uint64_t *bytes);

#endif /* HV_CMDLINE_H */
