/*
 * Console: printk with log levels, and the in-memory log ring.
 *
 * Every message is kept in the log ring (for later readers such as the
 * console service); it reaches the serial line only when its level passes the
 * threshold set by loglvl=.  A message's level is given by a prefix string, as
 * in Xen: printk(XENLOG_WARNING "...").  Unprefixed messages are INFO.  The
 * level of a message that spans several printk calls is the level of the
 * call that began its line.
 *
 * Locking: console_lock serialises output so lines from different CPUs never
 * interleave.  panic() breaks it with console_force_unlock().
 */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

#include <hv/types.h>

#define XENLOG_ERR     "<0>"
#define XENLOG_WARNING "<1>"
#define XENLOG_INFO    "<2>"
#define XENLOG_DEBUG   "<3>"

enum loglvl
{
    LOGLVL_NONE = -1, /* threshold only: nothing reaches the serial line */
    LOGLVL_ERR = 0,
    LOGLVL_WARNING = 1,
    LOGLVL_INFO = 2,
    LOGLVL_DEBUG = 3,
};

/* Every line on the serial console starts with this prefix. */
#define CONSOLE_PREFIX "(HV) "

void printk(const char *fmt, ...) __printf(1, 2);
void vprintk(const char *fmt, va_list ap);

/*
 * Set the serial threshold from a loglvl= value: "none", "error", "warning",
 * "info", "debug" or "all".  Returns 0 or -EINVAL (threshold unchanged).
 */
int console_set_loglvl(const char *val);
enum loglvl console_get_loglvl(void);

/*
 * Log ring.  Readers keep a free-running position; console_ring_read copies
 * up to len bytes from *pos, advances *pos and returns the count.  A reader
 * that fell behind by more than the ring size skips to the oldest byte still
 * held (and *pos jumps accordingly).
 */
#define CONSOLE_RING_SIZE (64 * 1024)
size_t console_ring_read(uint64_t *pos, char *buf, size_t len);
uint64_t console_ring_head(void); /* free-running count of bytes written */

void console_force_unlock(void);

/* Provided by the architecture: write raw bytes to the serial line(s). */
void arch_console_write(const char *s, size_t len);

#endif /* HV_CONSOLE_H */
