/*
 * Test-guest library: the title line, one verdict line, the shutdown
 *
 * Locking: none; single vCPU.  A guest defines test_title[] and
 * test_main(); the library prints "TEST TITLE: <title>", runs test_main()
 * and expects it to end with exactly one verdict:
 *
 *   test_pass()          "TEST RESULT: PASS"  -> SHUTDOWN_poweroff
 *   test_skip(fmt, ...)  "TEST RESULT: SKIP"  -> SHUTDOWN_poweroff
 *   test_fail(fmt, ...)  "TEST RESULT: FAIL"  -> SHUTDOWN_crash
 *   test_error(fmt, ...) "TEST RESULT: ERROR" -> SHUTDOWN_crash
 *
* Hypercall results are -XEN_E* codes (public/errno.h), not newlib errnos.
 *
 * test_main() returning without a verdict, an unhandled exception or a
 * runtime panic give ERROR.  test_check() records a failure and carries on,
 * so one run reports every failed check; test_pass_if_clean() then decides.
 */
#ifndef TESTS_GUESTS_TEST_H
#define TESTS_GUESTS_TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

extern const char test_title[];
void test_main(void);

void test_pass(void) __attribute__((noreturn));
void test_skip(const char *fmt, ...)
    __attribute__((noreturn, format(printf, 1, 2)));
void test_fail(const char *fmt, ...)
    __attribute__((noreturn, format(printf, 1, 2)));
void test_error(const char *fmt, ...)
    __attribute__((noreturn, format(printf, 1, 2)));

/* Print a progress line: "  <msg>". */
void test_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Record a failed check (printed at once); the run continues. */
extern unsigned int test_failures;
#define test_check(cond, ...) \
    test_check_at(!!(cond), __FILE__, __LINE__, #cond, __VA_ARGS__)
void test_check_at(bool ok, const char *file, int line, const char *expr,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Expect a hypercall result (rc is evaluated once). */
#define test_expect_rc(rc, want, what)                          \
    do                                                          \
    {                                                           \
        long rc_ = (long)(rc), want_ = (long)(want);            \
        test_check_at(rc_ == want_, __FILE__, __LINE__, (what), \
                      "got %ld, want %ld", rc_, want_);         \
    } while ( 0 )

/* PASS when no check failed, FAIL naming the count otherwise. */
void test_pass_if_clean(void) __attribute__((noreturn));

#endif /* TESTS_GUESTS_TEST_H */
