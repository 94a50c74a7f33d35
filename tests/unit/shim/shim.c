/*
 * Host shims (SHIM) for the architecture hooks that hypervisor/common
 * calls: panic(), NOW(), arch_timer_program(), arch_console_write(),
 * symbols_lookup(), and the fake RAM behind asm/page.h.
 *
 * Locking: none; unit tests are single-threaded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hv/lib.h>
#include <hv/console.h>
#include <hv/timer.h>
#include <hv/mm.h>
#include <hv/tlb.h>
#include "shim.h"

__thread unsigned int shim_cpu_id; /* per thread: a thread can play a CPU */
struct vcpu *shim_current;
uint8_t *shim_ram_base;
s_time_t shim_now;
s_time_t shim_timer_deadline[NR_CPUS];
unsigned int shim_timer_programmed;
char shim_console[SHIM_CONSOLE_SIZE];
size_t shim_console_len;
char shim_panic_msg[512];

/*
 * panic(): record the message and report it to cmocka, which jumps back
 * into expect_assert_failure() when the test expects it and fails the test
 * otherwise.
 */
uint64_t shim_tlb_clock;
unsigned int shim_tlb_flushes;
uint64_t shim_tlb_flush_stamp;

/* Weak: test_tlb links the real common/tlb.c. */
__attribute__((weak)) uint64_t tlb_stamp(void)
{
    return shim_tlb_clock;
}

__attribute__((weak)) void tlb_flush_since(uint64_t stamp)
{
    shim_tlb_flushes++;
    shim_tlb_flush_stamp = stamp;
}

void panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(shim_panic_msg, sizeof(shim_panic_msg), fmt, ap);
    va_end(ap);
    mock_assert(0, shim_panic_msg, __FILE__, __LINE__);
    abort();
}

s_time_t NOW(void)
{
    return shim_now;
}

void arch_timer_program(unsigned int cpu, s_time_t deadline)
{
    if ( cpu >= NR_CPUS )
        abort();
    shim_timer_deadline[cpu] = deadline;
    shim_timer_programmed++;
}

void arch_console_write(const char *s, size_t len)
{
    size_t room = SHIM_CONSOLE_SIZE - 1 - shim_console_len;
    size_t n = len < room ? len : room;

    memcpy(shim_console + shim_console_len, s, n);
    shim_console_len += n;
    shim_console[shim_console_len] = '\0';
}

void shim_console_reset(void)
{
    shim_console_len = 0;
    shim_console[0] = '\0';
}

static const struct
{
    const char *name;
    unsigned long start, size;
} shim_syms[] = {
    { "shim_first", SHIM_SYM_BASE, 0x40 },
    { "shim_second", SHIM_SYM_BASE + 0x40, 0x100 },
    { "shim_third", SHIM_SYM_BASE + 0x200, 0x8 },
};

const char *symbols_lookup(unsigned long addr, unsigned long *start,
                           unsigned long *size)
{
    size_t i;

    for ( i = 0; i < sizeof(shim_syms) / sizeof(shim_syms[0]); i++ )
        if ( addr >= shim_syms[i].start &&
             addr - shim_syms[i].start < shim_syms[i].size )
        {
            *start = shim_syms[i].start;
            *size = shim_syms[i].size;
            return shim_syms[i].name;
        }
    return NULL;
}

void shim_ram_setup(size_t nr_pages)
{
    shim_ram_free();
    shim_ram_base = aligned_alloc(PAGE_SIZE, nr_pages * PAGE_SIZE);
    if ( !shim_ram_base )
        abort();
    memset(shim_ram_base, 0, nr_pages * PAGE_SIZE);
}

void shim_ram_free(void)
{
    free(shim_ram_base);
    shim_ram_base = NULL;
}
