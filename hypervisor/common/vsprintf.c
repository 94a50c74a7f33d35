/*
 * Formatted output (VSPRINTF): hv_vsnprintf() and hv_snprintf().
 *
 * A C99 subset without floating point, plus %pS for code addresses.
 *
 * Locking: none; the output buffer belongs to the caller.  %pS calls
 * symbols_lookup(), which must not take locks.
 */
#include <hv/lib.h>

#define F_LEFT  0x01 /* '-' */
#define F_ZERO  0x02 /* '0' */
#define F_PLUS  0x04 /* '+' */
#define F_SPACE 0x08 /* ' ' */
#define F_ALT   0x10 /* '#' */
#define F_UPPER 0x20 /* 'X' */

struct out
{
    char *buf;
    size_t size;
    size_t pos; /* length of the full output so far */
};

struct spec
{
    unsigned int flags;
    int width;     /* -1: none */
    int precision; /* -1: none */
    char length;   /* 'H' hh, 'h', 'l', 'L' ll, 'z', 't', 0 */
};

static void put(struct out *o, char c)
{
    if ( o->pos + 1 < o->size )
        o->buf[o->pos] = c;
    o->pos++;
}

static void put_n(struct out *o, char c, int n)
{
    while ( n-- > 0 )
        put(o, c);
}

static void put_str(struct out *o, const char *s, size_t len)
{
    while ( len-- )
        put(o, *s++);
}

/* Emit s (len bytes) padded to the field width. */
static void put_field(struct out *o, const struct spec *sp, const char *s,
                      size_t len)
{
    int pad = sp->width > (int)len ? sp->width - (int)len : 0;

    if ( !(sp->flags & F_LEFT) )
        put_n(o, ' ', pad);
    put_str(o, s, len);
    if ( sp->flags & F_LEFT )
        put_n(o, ' ', pad);
}

/*
 * Print an integer: sign or prefix, zero padding from the precision or the
 * '0' flag, then the digits.
 */
static void put_number(struct out *o, const struct spec *sp,
                       unsigned long long v, bool negative, unsigned int base)
{
    const char *digits =
        sp->flags & F_UPPER ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24], prefix[3];
    int nd = 0, np = 0, zeros, pad;

    while ( v )
    {
        tmp[nd++] = digits[v % base];
        v /= base;
    }
    if ( negative )
        prefix[np++] = '-';
    else if ( sp->flags & F_PLUS )
        prefix[np++] = '+';
    else if ( sp->flags & F_SPACE )
        prefix[np++] = ' ';
    if ( (sp->flags & F_ALT) && base == 16 && nd )
    {
        prefix[np++] = '0';
        prefix[np++] = sp->flags & F_UPPER ? 'X' : 'x';
    }

    zeros = sp->precision > nd ? sp->precision - nd : 0;
    if ( sp->precision < 0 && nd == 0 )
        zeros = 1; /* "0" unless an explicit precision of 0 */
    if ( (sp->flags & F_ALT) && base == 8 && zeros == 0 )
        zeros = 1; /* "#o" always starts with 0 */
    pad = sp->width - np - zeros - nd;
    if ( (sp->flags & (F_ZERO | F_LEFT)) == F_ZERO && sp->precision < 0 &&
         pad > 0 )
    {
        zeros += pad;
        pad = 0;
    }

    if ( !(sp->flags & F_LEFT) )
        put_n(o, ' ', pad);
    put_str(o, prefix, np);
    put_n(o, '0', zeros);
    while ( nd )
        put(o, tmp[--nd]);
    if ( sp->flags & F_LEFT )
        put_n(o, ' ', pad);
}

/* "0x" and the digits of v, at least min_digits of them. */
static void put_hex(struct out *o, unsigned long v, int min_digits)
{
    struct spec sp = { 0, -1, min_digits, 0 };

    put_str(o, "0x", 2);
    put_number(o, &sp, v, false, 16);
}

/*
 * %p prints 0x and 16 hex digits; %pS "name+0xoff/0xsize" when the address
 * is inside a known function, else the bare address.  Returns how many
 * characters of fmt (just past the 'p') it used.
 */
static int put_pointer(struct out *o, struct spec *sp, const char *fmt,
                       unsigned long addr)
{
    unsigned long start = 0, size = 0;
    const char *name = NULL;
    char tmp[160];
    struct out t = { tmp, sizeof(tmp), 0 };

    if ( *fmt == 'S' )
        name = symbols_lookup(addr, &start, &size);
    if ( name )
    {
        put_str(&t, name, strnlen(name, 100));
        put(&t, '+');
        put_hex(&t, addr - start, 1);
        put(&t, '/');
        put_hex(&t, size, 1);
    }
    else
        put_hex(&t, addr, 16);
    put_field(o, sp, tmp, MIN(t.pos, sizeof(tmp) - 1));
    return *fmt == 'S';
}

/* Parse flags, width, precision and length.  Returns the rest of fmt. */
static const char *parse_spec(const char *fmt, struct spec *sp, va_list *ap)
{
    sp->flags = 0;
    sp->width = sp->precision = -1;
    sp->length = 0;

    for ( ;; fmt++ )
    {
        if ( *fmt == '-' )
            sp->flags |= F_LEFT;
        else if ( *fmt == '0' )
            sp->flags |= F_ZERO;
        else if ( *fmt == '+' )
            sp->flags |= F_PLUS;
        else if ( *fmt == ' ' )
            sp->flags |= F_SPACE;
        else if ( *fmt == '#' )
            sp->flags |= F_ALT;
        else
            break;
    }

    if ( *fmt == '*' )
    {
        sp->width = va_arg(*ap, int);
        if ( sp->width < 0 )
        {
            sp->flags |= F_LEFT;
            sp->width = sp->width == -__INT_MAX__ - 1 ? 0 : -sp->width;
        }
        fmt++;
    }
    else
        for ( sp->width = 0; *fmt >= '0' && *fmt <= '9'; fmt++ )
            sp->width = MIN(sp->width * 10 + (*fmt - '0'), 1 << 20);

    if ( *fmt == '.' )
    {
        fmt++;
        if ( *fmt == '*' )
        {
            sp->precision = va_arg(*ap, int);
            if ( sp->precision < 0 )
                sp->precision = -1;
            fmt++;
        }
        else
            for ( sp->precision = 0; *fmt >= '0' && *fmt <= '9'; fmt++ )
                sp->precision = MIN(sp->precision * 10 + (*fmt - '0'), 1 << 20);
    }

    if ( *fmt == 'h' || *fmt == 'l' )
    {
        sp->length = *fmt++;
        if ( *fmt == sp->length )
        {
            sp->length = sp->length == 'h' ? 'H' : 'L';
            fmt++;
        }
    }
    else if ( *fmt == 'z' || *fmt == 't' || *fmt == 'j' )
        sp->length = *fmt++ == 't' ? 't' : 'L';
    return fmt;
}

static unsigned long long get_unsigned(const struct spec *sp, va_list *ap)
{
    switch ( sp->length )
    {
    case 'H':
        return (unsigned char)va_arg(*ap, unsigned int);
    case 'h':
        return (unsigned short)va_arg(*ap, unsigned int);
    case 'l':
        return va_arg(*ap, unsigned long);
    case 'L':
        return va_arg(*ap, unsigned long long);
    case 'z':
        return va_arg(*ap, size_t);
    case 't':
        return (unsigned long long)va_arg(*ap, ptrdiff_t);
    default:
        return va_arg(*ap, unsigned int);
    }
}

static long long get_signed(const struct spec *sp, va_list *ap)
{
    switch ( sp->length )
    {
    case 'H':
        return (signed char)va_arg(*ap, int);
    case 'h':
        return (short)va_arg(*ap, int);
    case 'l':
        return va_arg(*ap, long);
    case 'L':
        return va_arg(*ap, long long);
    case 'z':
        return (long long)va_arg(*ap, size_t);
    case 't':
        return va_arg(*ap, ptrdiff_t);
    default:
        return va_arg(*ap, int);
    }
}

/* One conversion at fmt (just past the spec).  Returns the rest of fmt. */
static const char *convert(struct out *o, struct spec *sp, const char *fmt,
                           va_list *ap)
{
    long long sv;
    const char *s;
    char c;

    switch ( *fmt )
    {
    case 'd':
    case 'i':
        sv = get_signed(sp, ap);
        put_number(o, sp,
                   sv < 0 ? 0ULL - (unsigned long long)sv
                          : (unsigned long long)sv,
                   sv < 0, 10);
        break;
    case 'u':
        sp->flags &= ~(F_PLUS | F_SPACE);
        put_number(o, sp, get_unsigned(sp, ap), false, 10);
        break;
    case 'X':
        sp->flags |= F_UPPER;
        /* fall through */
    case 'x':
        sp->flags &= ~(F_PLUS | F_SPACE);
        put_number(o, sp, get_unsigned(sp, ap), false, 16);
        break;
    case 'o':
        sp->flags &= ~(F_PLUS | F_SPACE);
        put_number(o, sp, get_unsigned(sp, ap), false, 8);
        break;
    case 'c':
        c = (char)va_arg(*ap, int);
        put_field(o, sp, &c, 1);
        break;
    case 's':
        s = va_arg(*ap, const char *);
        if ( !s )
            s = "(null)";
        put_field(
            o, sp, s,
            strnlen(s, sp->precision < 0 ? ~(size_t)0 : (size_t)sp->precision));
        break;
    case 'p':
        fmt += put_pointer(o, sp, fmt + 1, (unsigned long)va_arg(*ap, void *));
        break;
    case '%':
        put(o, '%');
        break;
    case '\0':
        put(o, '%'); /* a lone '%' at the end is printed as is */
        return fmt;
    default:
        put(o, '%'); /* unknown conversion: print it, consume no argument */
        put(o, *fmt);
        break;
    }
    return fmt + 1;
}

int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };
    struct spec sp;
    va_list aq;

    va_copy(aq, ap);
    while ( *fmt )
    {
        if ( *fmt != '%' )
        {
            put(&o, *fmt++);
            continue;
        }
        fmt = parse_spec(fmt + 1, &sp, &aq);
        fmt = convert(&o, &sp, fmt, &aq);
    }
    va_end(aq);

    if ( size > 0 )
        buf[MIN(o.pos, size - 1)] = '\0';
    return o.pos > (size_t)__INT_MAX__ ? __INT_MAX__ : (int)o.pos;
}

int hv_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = hv_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
