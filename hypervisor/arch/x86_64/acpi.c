/*
 * ACPI, just enough to find the CPUs: RSDP -> RSDT/XSDT -> MADT.
 *
 * Firmware tables are input like any other: every table is mapped only
 * after its length is checked against the 4 GiB the boot direct map covers,
 * checksums are verified, and MADT entries are walked with their lengths
 * bounded by the table.  Runs on the boot CPU before paging_init().
 *
 * Locking: none; boot CPU only.
 */
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/lib.h>
#include <asm/arch.h>
#include <asm/page.h>

struct __packed acpi_rsdp
{
    char sig[8];
    uint8_t checksum;
    char oem[6];
    uint8_t revision;
    uint32_t rsdt;
    uint32_t length;
    uint64_t xsdt;
    uint8_t xchecksum;
    uint8_t _rsvd[3];
};

struct __packed acpi_header
{
    char sig[4];
    uint32_t length;
    uint8_t revision;
    uint8_t checksum;
    char oem[6];
    char oem_table[8];
    uint32_t oem_rev;
    uint32_t creator;
    uint32_t creator_rev;
};

#define MADT_LAPIC  0
#define MADT_X2APIC 9
#define LOW_LIMIT   (1ULL << 32) /* what the boot map reaches */

static const void *acpi_map(paddr_t pa, size_t len)
{
    if ( pa == 0 || len > LOW_LIMIT || pa > LOW_LIMIT - len )
        return NULL;
    return maddr_to_virt(pa);
}

static bool checksum_ok(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint8_t sum = 0;

    while ( len-- )
        sum += *b++;
    return sum == 0;
}

static const struct acpi_rsdp *scan_rsdp(paddr_t start, size_t len)
{
    paddr_t pa;

    for ( pa = start; pa + sizeof(struct acpi_rsdp) <= start + len; pa += 16 )
    {
        const struct acpi_rsdp *r = acpi_map(pa, sizeof(*r));

        if ( r && !memcmp(r->sig, "RSD PTR ", 8) && checksum_ok(r, 20) )
            return r;
    }
    return NULL;
}

static const struct acpi_header *map_table(paddr_t pa)
{
    const struct acpi_header *h = acpi_map(pa, sizeof(*h));

    if ( !h || h->length < sizeof(*h) || !acpi_map(pa, h->length) ||
         !checksum_ok(h, h->length) )
        return NULL;
    return h;
}

static const struct acpi_header *find_madt(const struct acpi_rsdp *rsdp)
{
    bool x = rsdp->revision >= 2 && rsdp->xsdt;
    const struct acpi_header *root = map_table(x ? rsdp->xsdt : rsdp->rsdt);
    size_t i, n, w = x ? 8 : 4;

    if ( !root )
        return NULL;
    n = (root->length - sizeof(*root)) / w;
    for ( i = 0; i < n; i++ )
    {
        const uint8_t *e = (const uint8_t *)(root + 1) + i * w;
        uint64_t pa = 0;
        const struct acpi_header *t;

        memcpy(&pa, e, w);
        t = map_table(pa);
        if ( t && !memcmp(t->sig, "APIC", 4) )
            return t;
    }
    return NULL;
}

/*
 * Fill apic_ids with the enabled local APICs, in MADT order, up to max.
 * Returns the number found, or -ENODEV when there is no usable MADT.
 */
int acpi_find_cpus(unsigned int *apic_ids, unsigned int max)
{
    const struct acpi_rsdp *rsdp;
    const struct acpi_header *madt;
    const uint16_t *ebda_seg = acpi_map(0x40e, 2);
    const uint8_t *p, *end;
    unsigned int n = 0, skipped = 0;

    rsdp = ebda_seg ? scan_rsdp((paddr_t)*ebda_seg << 4, 1024) : NULL;
    if ( !rsdp )
        rsdp = scan_rsdp(0xe0000, 0x20000);
    if ( !rsdp )
        return -ENODEV;
    madt = find_madt(rsdp);
    if ( !madt || madt->length < sizeof(*madt) + 8 )
        return -ENODEV;

    p = (const uint8_t *)madt + sizeof(*madt) + 8; /* LAPIC addr, flags */
    end = (const uint8_t *)madt + madt->length;
    while ( p + 2 <= end && p[1] >= 2 && p + p[1] <= end )
    {
        uint32_t id = ~0U, flags = 0;

        if ( p[0] == MADT_LAPIC && p[1] >= 8 )
        {
            id = p[3];
            memcpy(&flags, p + 4, 4);
        }
        else if ( p[0] == MADT_X2APIC && p[1] >= 16 )
        {
            memcpy(&id, p + 4, 4);
            memcpy(&flags, p + 8, 4);
        }
        if ( id != ~0U && (flags & 1) )
        {
            if ( n < max && id < 256 )
                apic_ids[n++] = id;
            else
                skipped++;
        }
        p += p[1];
    }
    if ( skipped )
        printk(XENLOG_WARNING "ACPI: %u CPUs beyond the %u supported (or "
                              "with x2APIC ids) ignored\n",
               skipped, max);
    return n ? (int)n : -ENODEV;
}
