/*
 * Architecture services the rest of the x86-64 code calls.
 */
#ifndef ASM_ARCH_H
#define ASM_ARCH_H

#include <hv/types.h>
#include <hv/bootinfo.h>

struct cpu_regs;

/* uart.c */
int uart_init(const char *spec); /* "com1", "com2,115200", "none" */

/* paging.c */
int paging_init(const struct boot_info *bi);     /* final tables, W^X */
void *fixmap_map(unsigned int slot, paddr_t pa); /* uncached MMIO page */
unsigned long paging_check_wx(unsigned long *checked);
void paging_map_trampoline(bool map);
paddr_t paging_idle_cr3(void);
#define FIX_APIC 0

void paging_copy_hv_slots(uint64_t *l4);
void paging_map_hv_page(unsigned long va, unsigned long mfn, bool rw);

/* m2p.c */
int m2p_init(void);
void m2p_set(unsigned long mfn, unsigned long pfn);
unsigned long m2p_get(unsigned long mfn);
unsigned long m2p_chunks(unsigned long *mfns, unsigned long max);
void paging_map_guest_ro(unsigned long va, unsigned long mfn, unsigned long nr);

/* dom0_build.c */
int dom0_build(const struct boot_info *bi, uint64_t mem_bytes);

/* entry.S */
void reset_stack_and_enter_guest(void) __attribute__((noreturn));

/* traps.c */
void traps_init_cpu(unsigned int cpu);
void show_registers(const struct cpu_regs *r);
void show_backtrace(unsigned long rbp, unsigned long rip, unsigned long rsp);
void do_trap(struct cpu_regs *r);

/* time.c */
int time_init(void); /* calibrate TSC and the LAPIC timer */
void time_init_cpu(void);
uint64_t tsc_khz(void);
uint64_t apic_timer_khz(void);
void udelay(unsigned long us);
uint64_t ns_to_tsc(uint64_t ns);

struct time_scale;
void arch_time_snapshot(uint64_t *tsc, s_time_t *now, struct time_scale *ts);

/* acpi.c */
int acpi_find_cpus(unsigned int *apic_ids, unsigned int max);

/* smp.c */
extern unsigned int nr_cpus_online;
extern unsigned int cpu_apic_id[];
int smp_boot_cpus(const unsigned int *ids, int n, unsigned int max_cpus);
int smp_ping_all(void);
void smp_stop_others(void);
bool smp_cpu_stopped_by_panic(void);
void cpu_idle_loop(void) __attribute__((noreturn));
void cpu_idle_once(void);

/* setup.c */
extern bool test_mode;
void qemu_exit(unsigned int code) __attribute__((noreturn));
#define QEMU_EXIT_PASS  0x10 /* QEMU exits 33 */
#define QEMU_EXIT_FAIL  0x11 /* QEMU exits 35 */
#define QEMU_EXIT_PANIC 0x12 /* QEMU exits 37 */

#endif /* ASM_ARCH_H */
