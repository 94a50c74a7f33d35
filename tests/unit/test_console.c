/*
 * Unit tests for common/console.c: level prefixes and filtering, the
 * per-line prefix, truncation of long messages, the log ring and readers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hv/console.h>
#include <hv/errno.h>
#include <hv/lib.h>
#include "shim/shim.h"

static uint64_t ring_mark;

/* Everything written to the ring since the last setup, NUL-terminated. */
static char *ring_since_mark(void)
{
    uint64_t pos = ring_mark;
    size_t len = console_ring_head() - ring_mark;
    char *buf = malloc(len + 1);
    size_t n;

    assert_non_null(buf);
    n = console_ring_read(&pos, buf, len);
    assert_int_equal(n, len);
    buf[n] = '\0';
    return buf;
}

static void assert_ring(const char *want)
{
    char *got = ring_since_mark();

    assert_string_equal(got, want);
    free(got);
}

static int setup(void **state)
{
    (void)state;
    /* Finish any partial line left by an earlier test. */
    printk("\n");
    assert_int_equal(console_set_loglvl("info"), 0);
    shim_console_reset();
    ring_mark = console_ring_head();
    return 0;
}

static void test_prefix_every_line(void **state)
{
    (void)state;
    printk("one\ntwo\n");
    printk("three");
    printk(" continued %d\n", 3);
    printk("\n");
    assert_string_equal(shim_console,
                        "(HV) one\n(HV) two\n(HV) three continued 3\n(HV) \n");
    assert_ring("(HV) one\n(HV) two\n(HV) three continued 3\n(HV) \n");
}

static void test_level_filtering(void **state)
{
    (void)state;
    printk(XENLOG_ERR "e\n");
    printk(XENLOG_WARNING "w\n");
    printk(XENLOG_INFO "i\n");
    printk(XENLOG_DEBUG "d\n");
    printk("plain\n");
    assert_string_equal(shim_console, "(HV) e\n(HV) w\n(HV) i\n(HV) plain\n");
    /* Every message reaches the ring, without its level marker. */
    assert_ring("(HV) e\n(HV) w\n(HV) i\n(HV) d\n(HV) plain\n");

    shim_console_reset();
    assert_int_equal(console_set_loglvl("warning"), 0);
    assert_int_equal(console_get_loglvl(), LOGLVL_WARNING);
    printk(XENLOG_ERR "e\n");
    printk(XENLOG_WARNING "w\n");
    printk(XENLOG_INFO "i\n");
    printk("plain\n");
    assert_string_equal(shim_console, "(HV) e\n(HV) w\n");

    shim_console_reset();
    assert_int_equal(console_set_loglvl("all"), 0);
    assert_int_equal(console_get_loglvl(), LOGLVL_DEBUG);
    printk(XENLOG_DEBUG "d\n");
    assert_string_equal(shim_console, "(HV) d\n");

    shim_console_reset();
    assert_int_equal(console_set_loglvl("none"), 0);
    printk(XENLOG_ERR "e\n");
    assert_string_equal(shim_console, "");
}

static void test_loglvl_names(void **state)
{
    (void)state;
    assert_int_equal(console_set_loglvl("error"), 0);
    assert_int_equal(console_get_loglvl(), LOGLVL_ERR);
    assert_int_equal(console_set_loglvl("debug"), 0);
    assert_int_equal(console_get_loglvl(), LOGLVL_DEBUG);
    assert_int_equal(console_set_loglvl("verbose"), -EINVAL);
    assert_int_equal(console_set_loglvl(""), -EINVAL);
    assert_int_equal(console_set_loglvl("info "), -EINVAL);
    assert_int_equal(console_set_loglvl(NULL), -EINVAL);
    assert_int_equal(console_get_loglvl(), LOGLVL_DEBUG); /* unchanged */
    assert_int_equal(console_set_loglvl("info"), 0);
    assert_int_equal(console_get_loglvl(), LOGLVL_INFO);
}

static void test_continuation_keeps_level(void **state)
{
    (void)state;
    /* A debug line continued by an unprefixed call stays debug. */
    printk(XENLOG_DEBUG "dbg ");
    printk("more\n");
    /* An error line continued by a debug-prefixed call stays error. */
    printk(XENLOG_ERR "err ");
    printk(XENLOG_DEBUG "tail\nnew debug line\n");
    assert_string_equal(shim_console, "(HV) err tail\n");
    assert_ring("(HV) dbg more\n(HV) err tail\n(HV) new debug line\n");
}

static void test_level_marker_only_at_start(void **state)
{
    (void)state;
    printk("text <1> not a level\n");
    printk("<9>not a level either\n");
    assert_string_equal(
        shim_console,
        "(HV) text <1> not a level\n(HV) <9>not a level either\n");
}

static void test_long_line_truncated(void **state)
{
    char big[2000];
    char *ring;

    (void)state;
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    printk("%s\n", big);
    printk("after\n");
    /* Cut at the buffer size, marked, newline kept, nothing lost after. */
    assert_int_equal(strlen(shim_console), 5 + 511 + 11);
    assert_memory_equal(shim_console, "(HV) aaaa", 9);
    assert_non_null(strstr(shim_console, "aaa[...]\n(HV) after\n"));
    ring = ring_since_mark();
    assert_string_equal(ring, shim_console);
    free(ring);
}

static void test_long_line_without_newline(void **state)
{
    char big[700];

    (void)state;
    memset(big, 'b', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    printk("%s", big);
    printk("!\n");
    assert_non_null(strstr(shim_console, "bbb[...]!\n"));
}

static void test_ring_reader(void **state)
{
    char buf[8];
    uint64_t pos = ring_mark;

    (void)state;
    printk("abcdefghij\n");
    assert_int_equal(console_ring_head(), ring_mark + 16);
    assert_int_equal(console_ring_read(&pos, buf, 4), 4);
    assert_memory_equal(buf, "(HV)", 4);
    assert_int_equal(pos, ring_mark + 4);
    assert_int_equal(console_ring_read(&pos, buf, 8), 8);
    assert_memory_equal(buf, " abcdefg", 8);
    assert_int_equal(console_ring_read(&pos, buf, 8), 4);
    assert_memory_equal(buf, "hij\n", 4);
    assert_int_equal(console_ring_read(&pos, buf, 8), 0);
    assert_int_equal(pos, console_ring_head());
    /* A position from the future reads nothing and is pulled back. */
    pos = console_ring_head() + 100;
    assert_int_equal(console_ring_read(&pos, buf, 8), 0);
    assert_int_equal(pos, console_ring_head());
}

static void test_ring_wraparound_and_lagging_reader(void **state)
{
    char line[128], *buf;
    uint64_t pos = console_ring_head(), head;
    size_t i, n;

    (void)state;
    assert_int_equal(console_set_loglvl("none"), 0);
    /* 1000 numbered lines of 100 bytes: more than the 64 KiB ring. */
    for ( i = 0; i < 1000; i++ )
    {
        snprintf(line, sizeof(line), "%04zu%090d", i, 0);
        printk("%s\n", line); /* 5 + 94 + 1 = 100 bytes */
    }
    head = console_ring_head();
    assert_int_equal(head - pos, 100000);
    assert_string_equal(shim_console, ""); /* filtered from serial */

    buf = malloc(CONSOLE_RING_SIZE + 100);
    assert_non_null(buf);
    n = console_ring_read(&pos, buf, CONSOLE_RING_SIZE + 100);
    /* The reader fell behind: it gets exactly the newest ring's worth. */
    assert_int_equal(n, CONSOLE_RING_SIZE);
    assert_int_equal(pos, head);
    /* The last line is intact and the last byte is its newline. */
    assert_memory_equal(buf + n - 100, "(HV) 0999", 9);
    assert_int_equal(buf[n - 1], '\n');
    /* The oldest byte held is at offset head - 65536 in the stream. */
    i = (size_t)((head - CONSOLE_RING_SIZE) - ring_mark) % 100;
    n = (size_t)((head - CONSOLE_RING_SIZE) - ring_mark) / 100;
    snprintf(line, sizeof(line), "(HV) %04zu%090d\n", n, 0);
    assert_memory_equal(buf, line + i, 100 - i);
    free(buf);
}

static void test_force_unlock(void **state)
{
    (void)state;
    console_force_unlock();
    printk("still works\n");
    assert_string_equal(shim_console, "(HV) still works\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_prefix_every_line, setup),
        cmocka_unit_test_setup(test_level_filtering, setup),
        cmocka_unit_test_setup(test_loglvl_names, setup),
        cmocka_unit_test_setup(test_continuation_keeps_level, setup),
        cmocka_unit_test_setup(test_level_marker_only_at_start, setup),
        cmocka_unit_test_setup(test_long_line_truncated, setup),
        cmocka_unit_test_setup(test_long_line_without_newline, setup),
        cmocka_unit_test_setup(test_ring_reader, setup),
        cmocka_unit_test_setup(test_ring_wraparound_and_lagging_reader, setup),
        cmocka_unit_test_setup(test_force_unlock, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
