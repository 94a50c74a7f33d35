/*
 * Local APIC (xAPIC, memory-mapped through the fixmap).
 */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <hv/types.h>

/* Interrupt vectors the hypervisor uses. */
#define VECTOR_TIMER     0xf0
#define VECTOR_IPI_PING  0xf1 /* acknowledge-only IPI (bring-up check) */
#define VECTOR_IPI_WAKE  0xf2 /* wake a halted CPU */
#define VECTOR_IPI_FLUSH 0xf3 /* flush this CPU's TLB */
#define VECTOR_SPURIOUS  0xff

void apic_init_bsp(void); /* maps the LAPIC, enables it on the BSP */
void apic_init_cpu(void); /* enables this CPU's LAPIC */
unsigned int apic_id(void);
void apic_eoi(void);
void apic_send_ipi(unsigned int apic_id, unsigned int vector);
void apic_send_nmi_allbutself(void);
int apic_start_ap(unsigned int apic_id, paddr_t trampoline);
/* One-shot timer in LAPIC ticks (0 stops it). */
void apic_timer_oneshot(uint32_t ticks);
uint32_t apic_timer_current(void);
void apic_timer_setup(void); /* divider, one-shot mode, vector */

#endif /* ASM_APIC_H */
