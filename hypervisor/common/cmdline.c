/*
 * Hypervisor command line (CMDLINE): options against a table of parameters.
 *
 * Options are separated by blanks (space, tab, newline).  Double quotes
 * group blanks into a value and are removed: console="com1 vga" or
 * "name=a b".  A value may contain '=' and ','; only the first '=' splits
 * the name from the value.  Each option is decoded completely before its
 * variable is written, so a bad value leaves the variable as it was.
 *
 * Locking: none; called once at boot on the boot CPU.
 */
#include <hv/cmdline.h>
#include <hv/errno.h>
#include <hv/lib.h>

#define OPTION_MAX 256 /* longest option, name=value, after unquoting */

struct parse_state
{
    void (*report)(const char *msg);
    int problems;
};

static void problem(struct parse_state *ps, const char *fmt, ...)
    __printf(2, 3);

static void problem(struct parse_state *ps, const char *fmt, ...)
{
    char msg[OPTION_MAX + 96];
    va_list ap;

    va_start(ap, fmt);
    hv_vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ps->problems++;
    if ( ps->report )
        ps->report(msg);
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool parse_size(const char *s, uint64_t *bytes)
{
    unsigned long long v;
    const char *end;
    unsigned int shift = 0;

    if ( !s || !hv_strtoull(s, &end, 0, &v) )
        return false;
    switch ( *end )
    {
    case 'K':
    case 'k':
        shift = 10;
        break;
    case 'M':
    case 'm':
        shift = 20;
        break;
    case 'G':
    case 'g':
        shift = 30;
        break;
    case 'T':
    case 't':
        shift = 40;
        break;
    case '\0':
        break;
    default:
        return false;
    }
    if ( shift && *++end != '\0' )
        return false;
    if ( v > (~0ULL >> shift) )
        return false;
    *bytes = (uint64_t)v << shift;
    return true;
}

static bool parse_bool(const char *val, bool *b)
{
    static const char *const yes[] = { "1", "yes", "on", "true" };
    static const char *const no[] = { "0", "no", "off", "false" };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(yes); i++ )
        if ( !strcmp(val, yes[i]) )
        {
            *b = true;
            return true;
        }
    for ( i = 0; i < ARRAY_SIZE(no); i++ )
        if ( !strcmp(val, no[i]) )
        {
            *b = false;
            return true;
        }
    return false;
}

static bool parse_uint(const char *val, unsigned int *u)
{
    unsigned long long v;
    const char *end;

    if ( !hv_strtoull(val, &end, 0, &v) || *end != '\0' || v > ~0U )
        return false;
    *u = (unsigned int)v;
    return true;
}

/* Apply one option whose parameter has been found.  negated: "no-name". */
static void apply(struct parse_state *ps, const struct kernel_param *p,
                  const char *val, bool negated)
{
    bool b = !negated;
    unsigned int u;
    uint64_t sz;

    if ( p->type != PARAM_BOOL && p->type != PARAM_CUSTOM && !val )
    {
        problem(ps, "option '%s' needs a value", p->name);
        return;
    }
    switch ( p->type )
    {
    case PARAM_BOOL:
        if ( val && (negated || !parse_bool(val, &b)) )
            break;
        *(bool *)p->var = b;
        return;
    case PARAM_UINT:
        if ( !parse_uint(val, &u) )
            break;
        *(unsigned int *)p->var = u;
        return;
    case PARAM_SIZE:
        if ( !parse_size(val, &sz) )
            break;
        *(uint64_t *)p->var = sz;
        return;
    case PARAM_STRING:
        if ( strlen(val) >= p->len )
        {
            problem(ps, "value '%s' too long for option '%s' (max %zu)", val,
                    p->name, p->len ? p->len - 1 : 0);
            return;
        }
        hv_strlcpy(p->var, val, p->len);
        return;
    case PARAM_CUSTOM:
        if ( p->fn && p->fn(val) == 0 )
            return;
        break;
    default:
        problem(ps, "option '%s' has an unknown type", p->name);
        return;
    }
    if ( !val )
        problem(ps, "option '%s' needs a value", p->name);
    else
        problem(ps, "bad value '%s' for option '%s%s'", val,
                negated ? "no-" : "", p->name);
}

static const struct kernel_param *find_param(const struct kernel_param *params,
                                             size_t nr, const char *name)
{
    size_t i;

    for ( i = 0; i < nr; i++ )
        if ( params[i].name && !strcmp(params[i].name, name) )
            return &params[i];
    return NULL;
}

/* Split one unquoted option into name and value and apply it. */
static void parse_option(struct parse_state *ps, char *opt,
                         const struct kernel_param *params, size_t nr)
{
    char *eq = strchr(opt, '=');
    const char *val = NULL;
    const struct kernel_param *p;

    if ( eq )
    {
        *eq = '\0';
        val = eq + 1;
    }
    p = find_param(params, nr, opt);
    if ( p )
    {
        apply(ps, p, val, false);
        return;
    }
    if ( !strncmp(opt, "no-", 3) )
    {
        p = find_param(params, nr, opt + 3);
        if ( p && p->type == PARAM_BOOL )
        {
            apply(ps, p, val, true);
            return;
        }
    }
    problem(ps, "unknown option '%s'", opt);
}

/*
 * Copy the option starting at s into buf, removing quotes.  Returns the
 * end of the option in s; *len is its unquoted length (may exceed the
 * buffer, which then holds a cut copy); *open_quote tells a missing '"'.
 */
static const char *next_option(const char *s, char *buf, size_t *len,
                               bool *open_quote)
{
    bool quoted = false;
    size_t n = 0;

    for ( ; *s && (quoted || !is_blank(*s)); s++ )
    {
        if ( *s == '"' )
        {
            quoted = !quoted;
            continue;
        }
        if ( n < OPTION_MAX - 1 )
            buf[n] = *s;
        n++;
    }
    buf[MIN(n, (size_t)OPTION_MAX - 1)] = '\0';
    *len = n;
    *open_quote = quoted;
    return s;
}

int cmdline_parse(const char *cmdline, const struct kernel_param *params,
                  size_t nr, void (*report)(const char *msg))
{
    struct parse_state ps = { report, 0 };
    char opt[OPTION_MAX];
    bool open_quote;
    size_t len;

    if ( !cmdline )
        return 0;
    for ( ;; )
    {
        while ( is_blank(*cmdline) )
            cmdline++;
        if ( !*cmdline )
            break;
        cmdline = next_option(cmdline, opt, &len, &open_quote);
        if ( len >= OPTION_MAX )
            problem(&ps, "option '%.40s...' too long (max %u bytes)", opt,
                    OPTION_MAX - 1);
        else if ( open_quote )
            problem(&ps, "unterminated quote in option '%s'", opt);
        else if ( len )
            parse_option(&ps, opt, params, nr);
    }
    return ps.problems;
}
