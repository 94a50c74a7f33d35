/*
 * What the boot loader told us, in one loader-independent form.
 *
 * The multiboot1 and multiboot2 parsers treat the loader's data as
 * untrusted input: every pointer and length is bounds-checked, and a
 * malformed structure gives a clear error in bi->error instead of a crash.
 */
#ifndef HV_BOOTINFO_H
#define HV_BOOTINFO_H

#include <hv/types.h>

#define MULTIBOOT1_BOOTLOADER_MAGIC 0x2badb002U
#define MULTIBOOT2_BOOTLOADER_MAGIC 0x36d76289U

#define BOOT_MAX_MEMRANGES 128
#define BOOT_MAX_MODULES   32
#define BOOT_CMDLINE_MAX   1024
#define BOOT_MODCMD_MAX    256

/* E820 types as reported by the firmware. */
#define E820_RAM      1
#define E820_RESERVED 2
#define E820_ACPI     3
#define E820_NVS      4
#define E820_UNUSABLE 5

struct boot_memrange
{
    paddr_t start; /* inclusive */
    paddr_t end;   /* exclusive */
    uint32_t type; /* E820_* */
};

struct boot_module
{
    paddr_t start; /* inclusive */
    paddr_t end;   /* exclusive */
    char cmdline[BOOT_MODCMD_MAX];
};

struct boot_info
{
    unsigned int protocol; /* 1 or 2 */
    char loader[64];       /* boot loader name, "" if not given */
    char cmdline[BOOT_CMDLINE_MAX];
    unsigned int nr_mem;
    struct boot_memrange mem[BOOT_MAX_MEMRANGES]; /* sorted by start */
    unsigned int nr_mods;
    struct boot_module mods[BOOT_MAX_MODULES]; /* in loader order */
    char error[160]; /* why parsing failed, when it did */
};

/*
 * Map len bytes of physical memory at pa for reading.  Returns NULL when the
 * range is not accessible (the parser then reports an error).
 */
typedef const void *(*phys_map_fn)(paddr_t pa, size_t len);

/*
 * Parse the loader's information structure at physical address info_pa.
 * Returns 0, or -EINVAL with bi->error set.  Checks: sizes and tags stay
 * inside the structure, zero-sized or truncated tags, too many entries,
 * strings without a NUL within bounds.  A memory map is required.
 */
int multiboot1_parse(paddr_t info_pa, phys_map_fn map, struct boot_info *bi);
int multiboot2_parse(paddr_t info_pa, phys_map_fn map, struct boot_info *bi);

/*
 * Cross-checks after parsing: memory ranges sorted (overlapping RAM ranges
 * merged, RAM overlapping a reserved range trimmed), every module non-empty,
 * inside RAM, not overlapping another module or the image [img_start,
 * img_end).  Returns 0 or -EINVAL with bi->error naming the module (index
 * and command line) and the reason.
 */
int boot_info_check(struct boot_info *bi, paddr_t img_start, paddr_t img_end);

/* Total bytes of E820_RAM and the highest RAM end address. */
uint64_t boot_info_ram_bytes(const struct boot_info *bi);
paddr_t boot_info_ram_top(const struct boot_info *bi);

#endif /* HV_BOOTINFO_H */
