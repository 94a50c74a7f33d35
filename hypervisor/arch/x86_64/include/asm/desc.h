/*
 * Descriptor tables.
 *
 * Selectors follow Xen's layout: the hypervisor's entries live in the
 * reserved GDT page at entry 0x1c00 (byte 0xe000), after the 14 pages a PV
 * guest may own.  The ring-3 flat selectors 0xe023/0xe02b/0xe033 are Xen's
 * ABI values (see include/public later).
 */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#include <hv/types.h>

#define FIRST_RESERVED_GDT_PAGE 14
#define FIRST_RESERVED_GDT_BYTE (FIRST_RESERVED_GDT_PAGE * 4096)
#define GDT_LIMIT               (FIRST_RESERVED_GDT_BYTE + 4096 - 1)

#define HV_CS      0xe008 /* ring-0 64-bit code */
#define HV_DS      0xe010 /* ring-0 data */
#define HV_CS32    0xe018 /* ring-0 32-bit code (unused; keeps Xen's slot) */
#define RING3_CS32 0xe023
#define RING3_DS   0xe02b
#define RING3_CS64 0xe033
#define TSS_SEL    0xe040 /* 16-byte system descriptor */

#define IST_DF  1
#define IST_NMI 2
#define IST_MC  3

/* Hardware TSS (64-bit). */
struct tss64
{
    uint32_t _rsvd0;
    uint64_t rsp[3];
    uint64_t _rsvd1;
    uint64_t ist[7]; /* ist[n - 1] is ISTn */
    uint64_t _rsvd2;
    uint16_t _rsvd3;
    uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss64) == 104, "hardware layout");

struct cpu_regs;

void gdt_init_cpu(unsigned int cpu); /* GDT + TSS, loaded */
void idt_init(void);                 /* shared IDT, built once */
void idt_load(void);
void gdt_show_guest_frames(const unsigned long *frames, unsigned int nr);
void ldt_show_guest_frames(const unsigned long *frames, unsigned int nr,
                           unsigned int ents);

#endif /* ASM_DESC_H */
