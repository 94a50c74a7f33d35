/*
 * Knobs and records of the host shims (shim.c, xmalloc_libc.c) that unit
 * tests use to drive and observe the code under test.
 */
#ifndef SHIM_H
#define SHIM_H

#include <hv/types.h>
#include <asm/smp.h>

/* NOW() returns this. */
extern s_time_t shim_now;

/* arch_timer_program(): last deadline per CPU and number of calls. */
extern s_time_t shim_timer_deadline[NR_CPUS];
extern unsigned int shim_timer_programmed;

/* arch_console_write() appends here (NUL-terminated, oldest bytes kept). */
#define SHIM_CONSOLE_SIZE (256 * 1024)
extern char shim_console[SHIM_CONSOLE_SIZE];
extern size_t shim_console_len;
void shim_console_reset(void);

/*
 * The TLB clock (hv/tlb.h) unless a test links common/tlb.c: tlb_stamp()
 * returns shim_tlb_clock; tlb_flush_since() counts its calls and keeps
 * the last stamp.
 */
extern uint64_t shim_tlb_clock;
extern unsigned int shim_tlb_flushes;
extern uint64_t shim_tlb_flush_stamp;

/* The message of the last panic(). */
extern char shim_panic_msg[512];

/*
 * A fake RAM of nr_pages pages, page aligned, zeroed; machine address 0 is
 * its first byte.  shim_ram_free() releases it.
 */
void shim_ram_setup(size_t nr_pages);
void shim_ram_free(void);

/* Symbol table used by symbols_lookup(): three fake functions. */
#define SHIM_SYM_BASE 0x1000UL

/* xmalloc_libc.c: make the next n allocations fail. */
extern unsigned int shim_xmalloc_fail;
extern unsigned long shim_xmalloc_live; /* allocations not yet freed */

#endif /* SHIM_H */
