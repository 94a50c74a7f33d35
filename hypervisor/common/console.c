/*
 * Console (CONSOLE): printk with log levels and the in-memory log ring.
 *
 * A message is formatted on the caller's stack (at most PRINTK_BUF_SIZE
 * bytes; longer output is cut and marked with PRINTK_TRUNC_MARK), then,
 * under console_lock, copied line by line into the ring and, when its
 * level passes the threshold, to the serial line.  Each output line starts
 * with CONSOLE_PREFIX in both places.
 *
 * Locking: console_lock (irqsave, so printk works from interrupt handlers)
 * protects the ring, its head, the line state and the threshold.  It nests
 * inside every other lock: nothing is called with it held except
 * arch_console_write(), which must not printk.
 */
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/lib.h>
#include <hv/spinlock.h>

#define PRINTK_BUF_SIZE   512
#define PRINTK_TRUNC_MARK "[...]"
#define LOGLVL_DEFAULT    LOGLVL_INFO

static DEFINE_SPINLOCK(console_lock);

static char ring[CONSOLE_RING_SIZE];
static uint64_t ring_head; /* free-running count of bytes written */

static int threshold = LOGLVL_DEFAULT; /* highest level sent to serial */
static bool at_line_start = true;
static int line_level = LOGLVL_DEFAULT; /* level of the unfinished line */

BUILD_BUG_ON(CONSOLE_RING_SIZE &(CONSOLE_RING_SIZE - 1));

static void ring_put(const char *s, size_t len)
{
    while ( len )
    {
        size_t at = ring_head & (CONSOLE_RING_SIZE - 1);
        size_t n = MIN(len, CONSOLE_RING_SIZE - at);

        memcpy(ring + at, s, n);
        ring_head += n;
        s += n;
        len -= n;
    }
}

static void emit(const char *s, size_t len, int level)
{
    if ( !len )
        return;
    ring_put(s, len);
    if ( level <= threshold )
        arch_console_write(s, len);
}

/* Strip a leading "<N>" level marker; returns the level or -1. */
static int take_level(const char **s)
{
    const char *p = *s;

    if ( p[0] == '<' && p[1] >= '0' && p[1] <= '3' && p[2] == '>' )
    {
        *s = p + 3;
        return p[1] - '0';
    }
    return -1;
}

/*
 * Write text as lines: the prefix before each line's first byte.  A line
 * continued from an earlier call keeps that call's level.
 */
static void console_put(const char *text, int level)
{
    const char *p = text;

    while ( *p )
    {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);

        if ( at_line_start )
        {
            line_level = level;
            emit(CONSOLE_PREFIX, sizeof(CONSOLE_PREFIX) - 1, line_level);
        }
        emit(p, len, line_level);
        at_line_start = nl != NULL;
        p += len;
    }
}

/*
 * Cut an overlong message: keep what fits, mark the cut, and keep the final
 * newline when the format ended with one.
 */
static void mark_truncated(char *buf, const char *fmt)
{
    size_t fl = strlen(fmt);
    bool nl = fl && fmt[fl - 1] == '\n';
    size_t keep = PRINTK_BUF_SIZE - sizeof(PRINTK_TRUNC_MARK) - 1;

    memcpy(buf + keep, PRINTK_TRUNC_MARK, sizeof(PRINTK_TRUNC_MARK) - 1);
    keep += sizeof(PRINTK_TRUNC_MARK) - 1;
    if ( nl )
        buf[keep++] = '\n';
    buf[keep] = '\0';
}

void vprintk(const char *fmt, va_list ap)
{
    char buf[PRINTK_BUF_SIZE];
    const char *text = buf;
    unsigned long flags;
    int n, level;

    n = hv_vsnprintf(buf, sizeof(buf), fmt, ap);
    if ( n >= (int)sizeof(buf) )
        mark_truncated(buf, fmt);
    level = take_level(&text);
    if ( level < 0 )
        level = LOGLVL_INFO;

    spin_lock_irqsave(&console_lock, flags);
    console_put(text, level);
    spin_unlock_irqrestore(&console_lock, flags);
}

void printk(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}

int console_set_loglvl(const char *val)
{
    static const char *const names[] = {
        "none", "error", "warning", "info", "debug", "all",
    };
    static const int levels[] = {
        LOGLVL_NONE, LOGLVL_ERR,   LOGLVL_WARNING,
        LOGLVL_INFO, LOGLVL_DEBUG, LOGLVL_DEBUG,
    };
    unsigned int i;

    if ( !val )
        return -EINVAL;
    for ( i = 0; i < ARRAY_SIZE(names); i++ )
        if ( !strcmp(val, names[i]) )
        {
            threshold = levels[i];
            return 0;
        }
    return -EINVAL;
}

enum loglvl console_get_loglvl(void)
{
    return (enum loglvl)threshold;
}

size_t console_ring_read(uint64_t *pos, char *buf, size_t len)
{
    unsigned long flags;
    size_t done = 0;
    uint64_t p;

    spin_lock_irqsave(&console_lock, flags);
    p = *pos;
    if ( p > ring_head )
        p = ring_head; /* a position from the future: nothing to read */
    if ( ring_head - p > CONSOLE_RING_SIZE )
        p = ring_head - CONSOLE_RING_SIZE; /* fell behind: oldest byte */
    while ( done < len && p < ring_head )
    {
        size_t at = p & (CONSOLE_RING_SIZE - 1);
        size_t n = MIN(len - done, CONSOLE_RING_SIZE - at);

        n = MIN(n, ring_head - p);
        memcpy(buf + done, ring + at, n);
        done += n;
        p += n;
    }
    *pos = p;
    spin_unlock_irqrestore(&console_lock, flags);
    return done;
}

uint64_t console_ring_head(void)
{
    unsigned long flags;
    uint64_t head;

    spin_lock_irqsave(&console_lock, flags);
    head = ring_head;
    spin_unlock_irqrestore(&console_lock, flags);
    return head;
}

void console_force_unlock(void)
{
    spin_lock_init(&console_lock);
}
