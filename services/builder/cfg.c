/*
 * Domain configuration files (CFG): lexer, parser and checks of xl.cfg.
 *
 * The syntax is xl's (libxlu): statements KEY = VALUE, ended by a newline
 * or ';'; VALUE is a number, a string in '...' or "..." (one line, xl's
 * escapes) or a list [ a, b, ] whose elements are numbers or strings, with
 * newlines allowed inside and a trailing comma; '#' starts a comment.  The
 * text is read once, token by token; a statement's value is kept as
 * pointers into the text (no copy, no allocation) until it is checked and
 * stored by its key's handler.  After a syntax error the parser drops the
 * rest of the statement (the rest of the line, or of a list up to its ']'
 * or up to a line that starts with a key) and carries on, so one pass
 * reports every problem of the file.  Every loop consumes text or ends.
 *
 * Locking: none; all state is the caller's or on the stack.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <public/domctl.h>

#include "cfg.h"

#define SHOW_MAX 32 /* bytes of a bad token quoted in a message */

_Static_assert(CFG_MAX_PCPUS == 128, "struct cfg_cpumask is two words");
_Static_assert(CFG_LIST_MAX >= CFG_MAX_VCPUS, "a cpus list per vCPU");

/* ---- diagnostics -------------------------------------------------------- */

void cfg_diags_init(struct cfg_diags *diags)
{
    memset(diags, 0, sizeof(*diags));
}

static void diag_vadd(struct cfg_diags *dg, bool warning, const char *file,
                      unsigned int line, const char *key, const char *fmt,
                      va_list ap)
{
    struct cfg_diag *d;
    int n;

    if ( warning )
        dg->nr_warnings++;
    else
        dg->nr_errors++;
    if ( dg->nr >= CFG_MAX_DIAGS )
        return;
    d = &dg->diag[dg->nr++];
    d->line = line;
    d->warning = warning;
    n = snprintf(d->msg, sizeof(d->msg), "%s:%u: %s%s%s", file, line,
                 warning ? "warning: " : "", key ? key : "", key ? ": " : "");
    if ( n >= 0 && (size_t)n < sizeof(d->msg) )
        vsnprintf(d->msg + n, sizeof(d->msg) - n, fmt, ap);
}

static void diag_add(struct cfg_diags *dg, const char *file, unsigned int line,
                     const char *key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void diag_add(struct cfg_diags *dg, const char *file, unsigned int line,
                     const char *key, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    diag_vadd(dg, false, file, line, key, fmt, ap);
    va_end(ap);
}

/* ---- lexer -------------------------------------------------------------- */

enum tok
{
    T_EOF,
    T_NL,
    T_SEMI,
    T_EQ,
    T_LBRACK,
    T_RBRACK,
    T_COMMA,
    T_IDENT,
    T_NUMBER,
    T_STRING, /* with its quotes */
    T_BAD,    /* err says why; NULL: an unexpected byte */
};

struct token
{
    enum tok kind;
    const char *s;
    size_t len;
    unsigned int line;
    bool bol;        /* first token of its line */
    const char *err; /* T_BAD */
};

struct lexer
{
    const char *p, *end;
    unsigned int line;
    bool bol;
};

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_word(char c)
{
    return is_alpha(c) || is_digit(c) || c == '.';
}

static void skip_blanks(struct lexer *lx)
{
    while ( lx->p < lx->end )
    {
        if ( *lx->p == ' ' || *lx->p == '\t' || *lx->p == '\r' )
            lx->p++;
        else if ( *lx->p == '#' )
            while ( lx->p < lx->end && *lx->p != '\n' )
                lx->p++;
        else
            break;
    }
}

/* A quoted string on one line; a backslash protects the next byte. */
static void scan_string(struct lexer *lx, struct token *t)
{
    char quote = *lx->p++;

    while ( lx->p < lx->end && *lx->p != '\n' )
    {
        char c = *lx->p++;

        if ( c == quote )
        {
            t->kind = T_STRING;
            t->len = lx->p - t->s;
            return;
        }
        if ( c == '\\' && lx->p < lx->end && *lx->p != '\n' )
            lx->p++;
    }
    t->kind = T_BAD;
    t->err = "unterminated string";
    t->len = lx->p - t->s;
}

static enum tok punct(char c)
{
    switch ( c )
    {
    case ';':
        return T_SEMI;
    case '=':
        return T_EQ;
    case '[':
        return T_LBRACK;
    case ']':
        return T_RBRACK;
    case ',':
        return T_COMMA;
    default:
        return T_BAD;
    }
}

static void next_token(struct lexer *lx, struct token *t)
{
    skip_blanks(lx);
    t->s = lx->p;
    t->len = 1;
    t->line = lx->line;
    t->bol = lx->bol;
    t->err = NULL;
    lx->bol = false;
    if ( lx->p >= lx->end )
    {
        t->kind = T_EOF;
        t->len = 0;
        return;
    }
    if ( *lx->p == '"' || *lx->p == '\'' )
        return scan_string(lx, t);
    if ( is_alpha(*lx->p) || is_digit(*lx->p) )
    {
        t->kind = is_digit(*lx->p) ? T_NUMBER : T_IDENT;
        while ( lx->p < lx->end && is_word(*lx->p) )
            lx->p++;
        t->len = lx->p - t->s;
        return;
    }
    t->kind = punct(*lx->p);
    if ( *lx->p == '\n' )
    {
        t->kind = T_NL;
        lx->line++;
        lx->bol = true;
    }
    else if ( *lx->p == '+' && lx->p + 1 < lx->end && lx->p[1] == '=' )
    {
        t->err = "'+=' is not supported; give the whole value";
        t->len = 2;
    }
    else if ( *lx->p == '\0' )
        t->err = "NUL byte in the file";
    lx->p += t->len;
}

/* ---- parser state ------------------------------------------------------- */

struct item
{
    enum tok kind; /* T_NUMBER or T_STRING */
    const char *s;
    size_t len;
    unsigned int line;
};

struct value
{
    bool is_list;
    unsigned int line; /* of the value or the '[' */
    unsigned int nr;
    struct item item[CFG_LIST_MAX];
};

struct parser
{
    struct lexer lx;
    const char *file;
    struct domain_config *cfg;
    struct cfg_diags *diags;
    unsigned int errors;
    bool tried[CFG_KEY_NR]; /* the key appeared, valid or not */
    bool ok[CFG_KEY_NR];    /* the key's value was stored */
    bool caps_given;
    unsigned int cpus_list_nr; /* elements of a cpus list, 0 if none */
    struct value val;
    char buf[CFG_CMDLINE_MAX]; /* one unescaped string */
};

enum
{
    P_OK,        /* value parsed; its terminator is next */
    P_SKIP_LINE, /* bad value; drop the rest of the line */
    P_RESYNCED,  /* bad value; the next token starts afresh */
};

static void perr(struct parser *ps, unsigned int line, const char *key,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void perr(struct parser *ps, unsigned int line, const char *key,
                 const char *fmt, ...)
{
    va_list ap;

    ps->errors++;
    va_start(ap, fmt);
    diag_vadd(ps->diags, false, ps->file, line, key, fmt, ap);
    va_end(ap);
}

static void pwarn(struct parser *ps, unsigned int line, const char *key,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void pwarn(struct parser *ps, unsigned int line, const char *key,
                  const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    diag_vadd(ps->diags, true, ps->file, line, key, fmt, ap);
    va_end(ap);
}

/* "expected WHAT, found ..." for the token t (key may be NULL). */
static void unexpected(struct parser *ps, const struct token *t,
                       const char *key, const char *what)
{
    unsigned char c = t->len ? (unsigned char)t->s[0] : 0;

    if ( t->kind == T_BAD && t->err )
        perr(ps, t->line, key, "%s", t->err);
    else if ( t->kind == T_BAD && c >= 0x20 && c < 0x7f )
        perr(ps, t->line, key, "unexpected character '%c'", c);
    else if ( t->kind == T_BAD )
        perr(ps, t->line, key, "unexpected byte 0x%02x", c);
    else if ( t->kind == T_NL || t->kind == T_EOF )
        perr(ps, t->line, key, "expected %s, found the end of the %s", what,
             t->kind == T_NL ? "line" : "file");
    else if ( t->kind == T_STRING ) /* shown with its own quotes */
        perr(ps, t->line, key, "expected %s, found %.*s", what,
             (int)(t->len < SHOW_MAX ? t->len : SHOW_MAX), t->s);
    else
        perr(ps, t->line, key, "expected %s, found '%.*s'", what,
             (int)(t->len < SHOW_MAX ? t->len : SHOW_MAX), t->s);
}

/* Drop tokens up to and including the end of the line. */
static void finish_line(struct parser *ps)
{
    struct token t;

    do
        next_token(&ps->lx, &t);
    while ( t.kind != T_NL && t.kind != T_EOF );
}

/* After the bad token t: drop the rest of its line unless t ended it. */
static void resync_after(struct parser *ps, const struct token *t)
{
    if ( t->kind != T_NL && t->kind != T_EOF )
        finish_line(ps);
}

/* ---- values ------------------------------------------------------------- */

/*
 * Drop the rest of a bad list: up to its ']' (and the rest of that line),
 * the end of the file, or a line that starts with a key (left unread).
 */
static int skip_list(struct parser *ps)
{
    struct lexer saved;
    struct token t;

    for ( ;; )
    {
        saved = ps->lx;
        next_token(&ps->lx, &t);
        if ( t.kind == T_RBRACK )
        {
            finish_line(ps);
            return P_RESYNCED;
        }
        if ( t.kind == T_EOF )
            return P_RESYNCED;
        if ( t.kind == T_IDENT && t.bol )
        {
            ps->lx = saved;
            return P_RESYNCED;
        }
    }
}

static int parse_list(struct parser *ps, const char *key,
                      const struct token *open, struct value *v)
{
    bool want_item = true; /* an element (or ']'), else ',' (or ']') */
    struct lexer saved;
    struct token t;

    v->is_list = true;
    v->line = open->line;
    v->nr = 0;
    for ( ;; )
    {
        saved = ps->lx;
        next_token(&ps->lx, &t);
        if ( t.kind == T_NL )
            continue;
        if ( t.kind == T_RBRACK )
            return P_OK;
        if ( want_item && (t.kind == T_STRING || t.kind == T_NUMBER) )
        {
            if ( v->nr == CFG_LIST_MAX )
            {
                perr(ps, t.line, key, "more than %u list elements",
                     CFG_LIST_MAX);
                return skip_list(ps);
            }
            v->item[v->nr++] = (struct item){ t.kind, t.s, t.len, t.line };
            want_item = false;
            continue;
        }
        if ( !want_item && t.kind == T_COMMA )
        {
            want_item = true;
            continue;
        }
        if ( t.kind == T_EOF || (t.kind == T_IDENT && t.bol) )
        {
            ps->lx = saved;
            perr(ps, open->line, key, "unterminated list: no ']' for this '['");
            return P_RESYNCED;
        }
        unexpected(ps, &t, key,
                   want_item ? "a list element or ']'" : "',' or ']'");
        return skip_list(ps);
    }
}

static int parse_value(struct parser *ps, const char *key, struct value *v)
{
    struct token t;

    next_token(&ps->lx, &t);
    if ( t.kind == T_STRING || t.kind == T_NUMBER )
    {
        v->is_list = false;
        v->line = t.line;
        v->nr = 1;
        v->item[0] = (struct item){ t.kind, t.s, t.len, t.line };
        return P_OK;
    }
    if ( t.kind == T_LBRACK )
        return parse_list(ps, key, &t, v);
    unexpected(ps, &t, key, "a value");
    return t.kind == T_NL || t.kind == T_EOF ? P_RESYNCED : P_SKIP_LINE;
}

/* ---- strings and numbers ------------------------------------------------ */

static int hex_digit(char c)
{
    if ( is_digit(c) )
        return c - '0';
    if ( c >= 'a' && c <= 'f' )
        return c - 'a' + 10;
    if ( c >= 'A' && c <= 'F' )
        return c - 'A' + 10;
    return -1;
}

/*
 * One escape after a backslash, as xl: \" \' \\ \a \b \f \n \r \t \v, \xHH
 * (two hex digits), \N \NN \NNN (octal, at most 255).  -1 if invalid.
 */
static int unescape_one(const char **pp, const char *end)
{
    static const char from[] = "\"'\\abfnrtv", to[] = "\"'\\\a\b\f\n\r\t\v";
    const char *p = *pp, *hit = NULL;
    int c = 0, i;

    if ( p >= end )
        return -1;
    if ( *p )
        hit = strchr(from, *p);
    if ( hit )
    {
        *pp = p + 1;
        return (unsigned char)to[hit - from];
    }
    if ( *p == 'x' )
    {
        if ( end - p < 3 || hex_digit(p[1]) < 0 || hex_digit(p[2]) < 0 )
            return -1;
        *pp = p + 3;
        return hex_digit(p[1]) * 16 + hex_digit(p[2]);
    }
    if ( *p < '0' || *p > '7' )
        return -1;
    for ( i = 0; i < 3 && p < end && *p >= '0' && *p <= '7'; i++ )
        c = c * 8 + (*p++ - '0');
    *pp = p;
    return c > 255 ? -1 : c;
}

enum
{
    UNESC_OK,
    UNESC_LONG,
    UNESC_NUL,
    UNESC_BAD,
};

/* The body of the quoted token s[0..len) into buf[0..size). */
static int unescape(const char *s, size_t len, char *buf, size_t size,
                    const char **bad)
{
    const char *p = s + 1, *end = s + len - 1;
    size_t n = 0;

    while ( p < end )
    {
        int c = (unsigned char)*p++;

        if ( c == '\\' )
        {
            *bad = p - 1;
            c = unescape_one(&p, end);
            if ( c < 0 )
                return UNESC_BAD;
        }
        if ( c == 0 )
            return UNESC_NUL;
        if ( n + 1 >= size )
            return UNESC_LONG;
        buf[n++] = (char)c;
    }
    buf[n] = '\0';
    return UNESC_OK;
}

/* A list element or scalar as a string of at most max bytes in ps->buf. */
static bool item_string(struct parser *ps, const char *key,
                        const struct item *it, size_t max)
{
    const char *bad = NULL;

    if ( it->kind != T_STRING )
    {
        perr(ps, it->line, key, "expected a quoted string, found %.*s",
             (int)(it->len < SHOW_MAX ? it->len : SHOW_MAX), it->s);
        return false;
    }
    switch ( unescape(it->s, it->len, ps->buf, max + 1, &bad) )
    {
    case UNESC_LONG:
        perr(ps, it->line, key, "string longer than %zu characters", max);
        return false;
    case UNESC_NUL:
        perr(ps, it->line, key, "NUL character in string");
        return false;
    case UNESC_BAD:
        if ( (unsigned char)bad[1] > 0x20 && (unsigned char)bad[1] < 0x7f )
            perr(ps, it->line, key, "invalid escape '\\%c' in string", bad[1]);
        else
            perr(ps, it->line, key, "invalid escape in string");
        return false;
    default:
        return true;
    }
}

static bool get_string(struct parser *ps, const char *key,
                       const struct value *v, size_t max)
{
    if ( v->is_list )
    {
        perr(ps, v->line, key, "expected a quoted string, not a list");
        return false;
    }
    return item_string(ps, key, &v->item[0], max);
}

enum
{
    NUM_OK,
    NUM_BAD,
    NUM_OCTAL,
    NUM_BIG,
};

/* Decimal without leading zeros, or 0x hex; the whole of s[0..len). */
static int parse_u64(const char *s, size_t len, uint64_t *out)
{
    unsigned int base = 10;
    uint64_t v = 0;
    size_t i = 0;

    if ( len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') )
        base = 16, i = 2;
    else if ( len > 1 && s[0] == '0' )
        return NUM_OCTAL;
    if ( i == len )
        return NUM_BAD;
    for ( ; i < len; i++ )
    {
        int d = hex_digit(s[i]);

        if ( d < 0 || (unsigned int)d >= base )
            return NUM_BAD;
        if ( v > (UINT64_MAX - d) / base )
            return NUM_BIG;
        v = v * base + d;
    }
    *out = v;
    return NUM_OK;
}

/* An integer: a number, or a quoted string holding one (xl takes both). */
static bool get_uint(struct parser *ps, const char *key, const struct value *v,
                     uint64_t *out)
{
    const struct item *it = &v->item[0];
    const char *s = it->s;
    size_t len = it->len;
    int show;

    if ( v->is_list )
    {
        perr(ps, v->line, key, "expected an integer, not a list");
        return false;
    }
    if ( it->kind == T_STRING )
    {
        if ( !item_string(ps, key, it, CFG_CMDLINE_MAX - 1) )
            return false;
        s = ps->buf;
        len = strlen(s);
    }
    show = (int)(len < SHOW_MAX ? len : SHOW_MAX);
    switch ( parse_u64(s, len, out) )
    {
    case NUM_OK:
        return true;
    case NUM_OCTAL:
        perr(ps, it->line, key,
             "'%.*s': leading zero (xl reads octal); write it without", show,
             s);
        return false;
    case NUM_BIG:
        perr(ps, it->line, key, "'%.*s' is too large", show, s);
        return false;
    default:
        perr(ps, it->line, key, "'%.*s' is not an integer", show, s);
        return false;
    }
}

/* ---- keys --------------------------------------------------------------- */

typedef bool (*apply_fn)(struct parser *ps, enum cfg_key k,
                         const struct value *v);

static bool apply_name(struct parser *ps, enum cfg_key k,
                       const struct value *v);
static bool apply_path(struct parser *ps, enum cfg_key k,
                       const struct value *v);
static bool apply_cmdline(struct parser *ps, enum cfg_key k,
                          const struct value *v);
static bool apply_mib(struct parser *ps, enum cfg_key k, const struct value *v);
static bool apply_vcpus(struct parser *ps, enum cfg_key k,
                        const struct value *v);
static bool apply_cpus(struct parser *ps, enum cfg_key k,
                       const struct value *v);
static bool apply_action(struct parser *ps, enum cfg_key k,
                         const struct value *v);
static bool apply_role(struct parser *ps, enum cfg_key k,
                       const struct value *v);
static bool apply_caps(struct parser *ps, enum cfg_key k,
                       const struct value *v);

static const struct
{
    const char *name;
    apply_fn apply;
} keys[CFG_KEY_NR] = {
    [CFG_KEY_NAME] = { "name", apply_name },
    [CFG_KEY_KERNEL] = { "kernel", apply_path },
    [CFG_KEY_RAMDISK] = { "ramdisk", apply_path },
    [CFG_KEY_CMDLINE] = { "cmdline", apply_cmdline },
    [CFG_KEY_EXTRA] = { "extra", apply_cmdline },
    [CFG_KEY_MEMORY] = { "memory", apply_mib },
    [CFG_KEY_MAXMEM] = { "maxmem", apply_mib },
    [CFG_KEY_VCPUS] = { "vcpus", apply_vcpus },
    [CFG_KEY_CPUS] = { "cpus", apply_cpus },
    [CFG_KEY_ON_POWEROFF] = { "on_poweroff", apply_action },
    [CFG_KEY_ON_REBOOT] = { "on_reboot", apply_action },
    [CFG_KEY_ON_CRASH] = { "on_crash", apply_action },
    [CFG_KEY_ROLE] = { "role", apply_role },
    [CFG_KEY_CAPABILITIES] = { "capabilities", apply_caps },
};

/* xl keys Tessera does not take (yet): named as such in the message. */
static const char *const xl_only_keys[] = {
    "disk",        "vif",
    "pci",         "ioports",
    "irqs",        "iomem",
    "root",        "maxvcpus",
    "on_watchdog", "on_soft_reset",
    "type",        "bootloader",
    "uuid",        "device_model_version",
    "builder",     "vfb",
    "vkb",         "channel",
};

const char *cfg_key_name(enum cfg_key key)
{
    return (unsigned int)key < CFG_KEY_NR ? keys[key].name : "?";
}

static bool tok_is(const struct token *t, const char *s)
{
    return strlen(s) == t->len && !memcmp(t->s, s, t->len);
}

static int find_key(const struct token *t)
{
    unsigned int i;

    for ( i = 0; i < CFG_KEY_NR; i++ )
        if ( tok_is(t, keys[i].name) )
            return (int)i;
    return -1;
}

static void unknown_key(struct parser *ps, const struct token *t,
                        const char *key)
{
    unsigned int i;

    for ( i = 0; i < sizeof(xl_only_keys) / sizeof(xl_only_keys[0]); i++ )
        if ( tok_is(t, xl_only_keys[i]) )
        {
            perr(ps, t->line, key,
                 "unknown key (an xl key Tessera does not support)");
            return;
        }
    perr(ps, t->line, key, "unknown key");
}

/* name: 1..63 of [A-Za-z0-9._-], starting alphanumeric, not all digits. */
static const char *name_problem(const char *s)
{
    bool digits_only = true;
    const char *p;

    if ( !*s )
        return "empty name";
    if ( !is_digit(*s) && !(is_alpha(*s) && *s != '_') )
        return "must start with a letter or a digit";
    for ( p = s; *p; p++ )
    {
        if ( !is_word(*p) && *p != '-' )
            return "may hold only letters, digits, '.', '-' and '_'";
        digits_only = digits_only && is_digit(*p);
    }
    return digits_only ? "must not be all digits (it would read as a domid)"
                       : NULL;
}

static bool apply_name(struct parser *ps, enum cfg_key k, const struct value *v)
{
    const char *problem;

    if ( !get_string(ps, keys[k].name, v, CFG_NAME_MAX - 1) )
        return false;
    problem = name_problem(ps->buf);
    if ( problem )
    {
        perr(ps, v->line, keys[k].name, "'%s': %s", ps->buf, problem);
        return false;
    }
    strcpy(ps->cfg->name, ps->buf);
    return true;
}

/* kernel, ramdisk: a boot module's name, no control characters. */
static bool apply_path(struct parser *ps, enum cfg_key k, const struct value *v)
{
    const char *p;

    if ( !get_string(ps, keys[k].name, v, CFG_PATH_MAX - 1) )
        return false;
    if ( !ps->buf[0] )
    {
        perr(ps, v->line, keys[k].name,
             k == CFG_KEY_RAMDISK ? "empty path (leave the key out for none)"
                                  : "empty path");
        return false;
    }
    for ( p = ps->buf; *p; p++ )
        if ( (unsigned char)*p < 0x20 || *p == 0x7f )
        {
            perr(ps, v->line, keys[k].name, "control character in path");
            return false;
        }
    strcpy(k == CFG_KEY_KERNEL ? ps->cfg->kernel : ps->cfg->ramdisk, ps->buf);
    return true;
}

/*
 * cmdline and extra, as xl: cmdline wins; extra is used only without
 * cmdline; a file with both gets a warning on extra (cfg_finish).
 */
static bool apply_cmdline(struct parser *ps, enum cfg_key k,
                          const struct value *v)
{
    if ( !get_string(ps, keys[k].name, v, CFG_CMDLINE_MAX - 1) )
        return false;
    if ( k == CFG_KEY_CMDLINE || !ps->ok[CFG_KEY_CMDLINE] )
        strcpy(ps->cfg->cmdline, ps->buf);
    return true;
}

static bool apply_mib(struct parser *ps, enum cfg_key k, const struct value *v)
{
    uint64_t mib;

    if ( !get_uint(ps, keys[k].name, v, &mib) )
        return false;
    if ( mib < 1 || mib > CFG_MEMORY_MAX )
    {
        perr(ps, v->line, keys[k].name, "%llu is not a valid size (1..%u MiB)",
             (unsigned long long)mib, CFG_MEMORY_MAX);
        return false;
    }
    if ( k == CFG_KEY_MEMORY )
        ps->cfg->memory = (uint32_t)mib;
    else
        ps->cfg->maxmem = (uint32_t)mib;
    return true;
}

static bool apply_vcpus(struct parser *ps, enum cfg_key k,
                        const struct value *v)
{
    uint64_t n;

    if ( !get_uint(ps, keys[k].name, v, &n) )
        return false;
    if ( n < 1 || n > CFG_MAX_VCPUS )
    {
        perr(ps, v->line, keys[k].name, "%llu is out of range (1..%u)",
             (unsigned long long)n, CFG_MAX_VCPUS);
        return false;
    }
    ps->cfg->vcpus = (uint32_t)n;
    return true;
}

/* A decimal CPU number at *pp (at most 5 digits; range checked later). */
static bool cpu_number(const char **pp, unsigned long *out)
{
    const char *p = *pp;
    unsigned long v = 0;
    unsigned int n;

    for ( n = 0; is_digit(*p) && n < 6; n++ )
        v = v * 10 + (unsigned long)(*p++ - '0');
    if ( n == 0 || n == 6 )
        return false;
    *pp = p;
    *out = v;
    return true;
}

static void mask_range(struct cfg_cpumask *m, unsigned long lo,
                       unsigned long hi, bool set)
{
    unsigned long cpu;

    for ( cpu = lo; cpu <= hi; cpu++ )
        if ( set )
            m->bits[cpu / 64] |= 1ULL << (cpu % 64);
        else
            m->bits[cpu / 64] &= ~(1ULL << (cpu % 64));
}

/* One element of a CPU list at *pp: "all", N or N-M; NULL or why not. */
static const char *cpu_range(const char **pp, unsigned long *lo,
                             unsigned long *hi)
{
    if ( !strncmp(*pp, "all", 3) )
    {
        *lo = 0;
        *hi = CFG_MAX_PCPUS - 1;
        *pp += 3;
        return NULL;
    }
    if ( !cpu_number(pp, lo) )
        return "expected a CPU number, a range or 'all'";
    *hi = *lo;
    if ( **pp == '-' )
    {
        (*pp)++;
        if ( !cpu_number(pp, hi) )
            return "expected a CPU number after '-'";
    }
    if ( *lo > *hi )
        return "a range must go upwards";
    if ( *hi >= CFG_MAX_PCPUS )
        return "CPU out of range (0..127)";
    return NULL;
}

/*
 * xl's CPU list, left to right: "all", N, N-M, and ^N, ^N-M to take CPUs
 * out again, separated by ','.  The result must not be empty.
 */
static bool parse_cpu_list(struct parser *ps, unsigned int line, const char *s,
                           struct cfg_cpumask *m)
{
    const char *p = s, *what = NULL;
    unsigned long lo, hi;
    bool neg;

    memset(m, 0, sizeof(*m));
    if ( !strncmp(s, "nodes:", 6) )
        what = "NUMA node lists are not supported";
    while ( !what )
    {
        while ( *p == ' ' )
            p++;
        neg = *p == '^';
        p += neg;
        what = cpu_range(&p, &lo, &hi);
        if ( what )
            break;
        mask_range(m, lo, hi, !neg);
        while ( *p == ' ' )
            p++;
        if ( !*p )
            break;
        if ( *p++ != ',' )
            what = "expected ',' between CPUs";
    }
    if ( !what && !m->bits[0] && !m->bits[1] )
        what = "no CPU left";
    if ( what )
        perr(ps, line, "cpus", "'%s': %s", s, what);
    return !what;
}

/* One cpus element: a quoted list or a bare number. */
static bool cpus_item(struct parser *ps, const struct item *it,
                      struct cfg_cpumask *m)
{
    if ( it->kind == T_NUMBER )
    {
        size_t len = it->len < SHOW_MAX ? it->len : SHOW_MAX;

        memcpy(ps->buf, it->s, len);
        ps->buf[len] = '\0';
    }
    else if ( !item_string(ps, "cpus", it, CFG_CMDLINE_MAX - 1) )
        return false;
    return parse_cpu_list(ps, it->line, ps->buf, m);
}

static bool apply_cpus(struct parser *ps, enum cfg_key k, const struct value *v)
{
    struct domain_config *cfg = ps->cfg;
    unsigned int i;
    bool good = true;

    if ( v->is_list && v->nr == 0 )
    {
        perr(ps, v->line, keys[k].name, "empty list");
        return false;
    }
    for ( i = 0; i < v->nr; i++ )
        good = cpus_item(ps, &v->item[i], &cfg->cpus[i]) && good;
    if ( !good )
        return false;
    if ( v->is_list )
        ps->cpus_list_nr = v->nr;
    else
        for ( i = 1; i < CFG_MAX_VCPUS; i++ )
            cfg->cpus[i] = cfg->cpus[0];
    return true;
}

static const char *const action_names[] = {
    [CFG_ACTION_DESTROY] = "destroy",
    [CFG_ACTION_RESTART] = "restart",
    [CFG_ACTION_PRESERVE] = "preserve",
};

const char *cfg_action_name(enum cfg_action action)
{
    return (unsigned int)action < 3 ? action_names[action] : "?";
}

static bool apply_action(struct parser *ps, enum cfg_key k,
                         const struct value *v)
{
    enum cfg_action *dst = k == CFG_KEY_ON_POWEROFF ? &ps->cfg->on_poweroff
                           : k == CFG_KEY_ON_REBOOT ? &ps->cfg->on_reboot
                                                    : &ps->cfg->on_crash;
    unsigned int i;

    if ( !get_string(ps, keys[k].name, v, CFG_CMDLINE_MAX - 1) )
        return false;
    for ( i = 0; i < 3; i++ )
        if ( !strcmp(ps->buf, action_names[i]) )
        {
            *dst = (enum cfg_action)i;
            return true;
        }
    perr(ps, v->line, keys[k].name,
         "'%s' is not supported (destroy, restart, preserve)", ps->buf);
    return false;
}

static const char *const role_names[CFG_ROLE_NR] = {
    [CFG_ROLE_XENSTORED] = "xenstored", [CFG_ROLE_CONSOLE] = "console",
    [CFG_ROLE_BLKBACK] = "blkback",     [CFG_ROLE_NETBACK] = "netback",
    [CFG_ROLE_GUEST] = "guest",
};

/* Capabilities a role gets when its file has no capabilities key. */
static const uint32_t role_caps[CFG_ROLE_NR] = {
    [CFG_ROLE_XENSTORED] = TESSERA_CAP_XENSTORE,
    [CFG_ROLE_CONSOLE] = TESSERA_CAP_CONSOLE | TESSERA_CAP_DEVICE,
    [CFG_ROLE_BLKBACK] = TESSERA_CAP_DEVICE,
    [CFG_ROLE_NETBACK] = TESSERA_CAP_DEVICE,
    [CFG_ROLE_GUEST] = 0,
};

const char *cfg_role_name(enum cfg_role role)
{
    return (unsigned int)role < CFG_ROLE_NR ? role_names[role] : "?";
}

static bool apply_role(struct parser *ps, enum cfg_key k, const struct value *v)
{
    unsigned int i;

    if ( !get_string(ps, keys[k].name, v, CFG_CMDLINE_MAX - 1) )
        return false;
    for ( i = 0; i < CFG_ROLE_NR; i++ )
        if ( !strcmp(ps->buf, role_names[i]) )
        {
            ps->cfg->role = (enum cfg_role)i;
            return true;
        }
    if ( !strcmp(ps->buf, "builder") )
        perr(ps, v->line, keys[k].name,
             "'builder' is built by the hypervisor, not from a cfg");
    else
        perr(ps, v->line, keys[k].name,
             "'%s' is not a role (xenstored, console, blkback, netback, "
             "guest)",
             ps->buf);
    return false;
}

static const struct
{
    const char *name;
    uint32_t bit;
} cap_names[] = {
    { "build", TESSERA_CAP_BUILD },
    { "console", TESSERA_CAP_CONSOLE },
    { "xenstore", TESSERA_CAP_XENSTORE },
    { "device", TESSERA_CAP_DEVICE },
};

/* One capability name; -1 after reporting why not. */
static int cap_item(struct parser *ps, const struct item *it, uint32_t have)
{
    unsigned int i;

    if ( !item_string(ps, "capabilities", it, CFG_CMDLINE_MAX - 1) )
        return -1;
    for ( i = 0; i < sizeof(cap_names) / sizeof(cap_names[0]); i++ )
    {
        if ( strcmp(ps->buf, cap_names[i].name) )
            continue;
        if ( have & cap_names[i].bit )
        {
            perr(ps, it->line, "capabilities", "'%s' listed twice", ps->buf);
            return -1;
        }
        return (int)cap_names[i].bit;
    }
    perr(ps, it->line, "capabilities",
         "'%s' is not a capability (build, console, xenstore, device)",
         ps->buf);
    return -1;
}

static bool apply_caps(struct parser *ps, enum cfg_key k, const struct value *v)
{
    uint32_t caps = 0;
    unsigned int i;
    bool good = true;
    int bit;

    if ( !v->is_list )
    {
        perr(ps, v->line, keys[k].name,
             "expected a list such as [ 'console' ] (or [] for none)");
        return false;
    }
    for ( i = 0; i < v->nr; i++ )
    {
        bit = cap_item(ps, &v->item[i], caps);
        if ( bit < 0 )
            good = false;
        else
            caps |= (uint32_t)bit;
    }
    if ( !good )
        return false;
    ps->cfg->caps = caps;
    ps->caps_given = true;
    return true;
}

/* ---- statements and files ----------------------------------------------- */

/* key '=' value terminator, the key token already read. */
static void parse_statement(struct parser *ps, const struct token *kt)
{
    char key[SHOW_MAX + 1];
    int k = find_key(kt), rc;
    bool use = k >= 0;
    struct token t;

    snprintf(key, sizeof(key), "%.*s",
             (int)(kt->len < SHOW_MAX ? kt->len : SHOW_MAX), kt->s);
    if ( k >= 0 )
        ps->tried[k] = true;
    next_token(&ps->lx, &t);
    if ( t.kind != T_EQ )
    {
        unexpected(ps, &t, key, "'=' after the key");
        resync_after(ps, &t);
        return;
    }
    if ( k < 0 )
        unknown_key(ps, kt, key);
    else if ( ps->cfg->line[k] )
    {
        perr(ps, kt->line, key, "duplicate key (first set on line %u)",
             ps->cfg->line[k]);
        use = false;
    }
    else
        ps->cfg->line[k] = kt->line;
    rc = parse_value(ps, key, &ps->val);
    if ( rc == P_SKIP_LINE )
        finish_line(ps);
    if ( rc != P_OK )
        return;
    next_token(&ps->lx, &t);
    if ( t.kind != T_NL && t.kind != T_SEMI && t.kind != T_EOF )
    {
        unexpected(ps, &t, key, "the end of the line after the value");
        finish_line(ps);
        return;
    }
    if ( use )
        ps->ok[k] = keys[k].apply(ps, (enum cfg_key)k, &ps->val);
}

static void parse_text(struct parser *ps)
{
    struct token t;

    for ( ;; )
    {
        next_token(&ps->lx, &t);
        if ( t.kind == T_EOF )
            return;
        if ( t.kind == T_NL || t.kind == T_SEMI )
            continue;
        if ( t.kind == T_IDENT )
        {
            parse_statement(ps, &t);
            continue;
        }
        unexpected(ps, &t, NULL, "a key");
        resync_after(ps, &t);
    }
}

/* Checks across keys, once the whole file is read. */
static void cfg_finish(struct parser *ps, unsigned int last_line)
{
    static const enum cfg_key required[] = { CFG_KEY_NAME, CFG_KEY_KERNEL,
                                             CFG_KEY_MEMORY };
    struct domain_config *cfg = ps->cfg;
    unsigned int i;

    for ( i = 0; i < sizeof(required) / sizeof(required[0]); i++ )
        if ( !ps->tried[required[i]] )
            perr(ps, last_line, keys[required[i]].name, "required key missing");
    if ( !ps->ok[CFG_KEY_MAXMEM] )
        cfg->maxmem = cfg->memory;
    else if ( ps->ok[CFG_KEY_MEMORY] && cfg->maxmem < cfg->memory )
        perr(ps, cfg->line[CFG_KEY_MAXMEM], "maxmem",
             "%u is less than memory (%u MiB)", cfg->maxmem, cfg->memory);
    if ( ps->cpus_list_nr > cfg->vcpus && ps->ok[CFG_KEY_CPUS] &&
         (ps->ok[CFG_KEY_VCPUS] || !ps->tried[CFG_KEY_VCPUS]) )
        perr(ps, cfg->line[CFG_KEY_CPUS], "cpus",
             "%u entries for %u vCPUs (one per vCPU at most)", ps->cpus_list_nr,
             cfg->vcpus);
    if ( ps->ok[CFG_KEY_CMDLINE] && ps->ok[CFG_KEY_EXTRA] )
        pwarn(ps, cfg->line[CFG_KEY_EXTRA], "extra",
              "ignored in favour of cmdline (line %u), as xl does",
              cfg->line[CFG_KEY_CMDLINE]);
    if ( !ps->caps_given )
        cfg->caps = role_caps[cfg->role];
}

static void cfg_defaults(struct domain_config *cfg, const char *file)
{
    unsigned int i;

    memset(cfg, 0, sizeof(*cfg));
    snprintf(cfg->file, sizeof(cfg->file), "%s", file);
    cfg->vcpus = 1;
    cfg->on_poweroff = CFG_ACTION_DESTROY;
    cfg->on_reboot = CFG_ACTION_RESTART;
    cfg->on_crash = CFG_ACTION_DESTROY;
    cfg->role = CFG_ROLE_GUEST;
    for ( i = 0; i < CFG_MAX_VCPUS; i++ )
        memset(cfg->cpus[i].bits, 0xff, sizeof(cfg->cpus[i].bits));
}

unsigned int cfg_parse(const char *file, const char *text, size_t len,
                       struct domain_config *cfg, struct cfg_diags *diags)
{
    struct parser ps;
    unsigned int last;

    memset(&ps, 0, sizeof(ps));
    ps.lx.p = text;
    ps.lx.end = text + len;
    ps.lx.line = 1;
    ps.lx.bol = true;
    ps.file = file;
    ps.cfg = cfg;
    ps.diags = diags;
    cfg_defaults(cfg, file);
    parse_text(&ps);
    /* The last line of the file: a final newline starts no new line. */
    last = ps.lx.line;
    if ( last > 1 && len && text[len - 1] == '\n' )
        last--;
    cfg_finish(&ps, last);
    return ps.errors;
}

/* ---- a set of files ----------------------------------------------------- */

/* Does config a come before b in build order? */
static bool builds_before(const struct domain_config *cfgs, unsigned int a,
                          unsigned int b)
{
    int c;

    if ( cfgs[a].role != cfgs[b].role )
        return cfgs[a].role < cfgs[b].role;
    c = strcmp(cfgs[a].file, cfgs[b].file);
    return c ? c < 0 : a < b;
}

static unsigned int check_pair(const struct domain_config *a,
                               const struct domain_config *b,
                               struct cfg_diags *diags)
{
    unsigned int errors = 0;

    if ( !strcmp(a->name, b->name) )
    {
        diag_add(diags, b->file, b->line[CFG_KEY_NAME], "name",
                 "'%s' is already the name of %s:%u", b->name, a->file,
                 a->line[CFG_KEY_NAME]);
        errors++;
    }
    if ( a->role == b->role &&
         (a->role == CFG_ROLE_XENSTORED || a->role == CFG_ROLE_CONSOLE) )
    {
        diag_add(diags, b->file, b->line[CFG_KEY_ROLE], "role",
                 "a second %s (the first is %s:%u); there is only one",
                 role_names[b->role], a->file, a->line[CFG_KEY_ROLE]);
        errors++;
    }
    return errors;
}

unsigned int cfg_check_set(const struct domain_config *cfgs, unsigned int n,
                           unsigned int *order, struct cfg_diags *diags)
{
    unsigned int i, j, errors = 0;

    if ( n > CFG_MAX_DOMAINS )
    {
        diag_add(diags, cfgs[CFG_MAX_DOMAINS].file, 1, NULL,
                 "too many domain configurations (%u, at most %u)", n,
                 CFG_MAX_DOMAINS);
        return 1;
    }
    for ( i = 0; i < n; i++ )
        for ( j = i + 1; j < n; j++ )
            errors += check_pair(&cfgs[i], &cfgs[j], diags);
    /* Insertion sort: n is at most CFG_MAX_DOMAINS. */
    for ( i = 0; i < n; i++ )
    {
        for ( j = i; j > 0 && builds_before(cfgs, i, order[j - 1]); j-- )
            order[j] = order[j - 1];
        order[j] = i;
    }
    return errors;
}
