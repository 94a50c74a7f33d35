/*
 * Hypervisor self-tests selected with test= (used by the boot tests).
 */
#ifndef SELFTEST_H
#define SELFTEST_H

#include <hv/types.h>

bool selftest_known(const char *name);
void selftest_run(const char *name, bool boot_checks_ok)
    __attribute__((noreturn));

#endif /* SELFTEST_H */
