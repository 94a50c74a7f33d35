/*
 * physdev_op sub-operations (I/O privilege, IRQs, PCI)
 *
 * Locking: none; guest-visible layouts.  Only the structures a PV kernel or
 * a driver domain uses first are spelled out; the numbers are all listed.
 */
#ifndef PUBLIC_PHYSDEV_H
#define PUBLIC_PHYSDEV_H

#include "xen.h"

#define PHYSDEVOP_irq_status_query   5
#define PHYSDEVOP_set_iopl           6
#define PHYSDEVOP_set_iobitmap       7
#define PHYSDEVOP_apic_read          8
#define PHYSDEVOP_apic_write         9
#define PHYSDEVOP_alloc_irq_vector   10
#define PHYSDEVOP_free_irq_vector    11
#define PHYSDEVOP_eoi                12
#define PHYSDEVOP_map_pirq           13
#define PHYSDEVOP_unmap_pirq         14
#define PHYSDEVOP_manage_pci_add     15
#define PHYSDEVOP_manage_pci_remove  16
#define PHYSDEVOP_pirq_eoi_gmfn_v1   17
#define PHYSDEVOP_restore_msi        19
#define PHYSDEVOP_manage_pci_add_ext 20
#define PHYSDEVOP_setup_gsi          21
#define PHYSDEVOP_get_free_pirq      23
#define PHYSDEVOP_pci_mmcfg_reserved 24
#define PHYSDEVOP_pci_device_add     25
#define PHYSDEVOP_pci_device_remove  26
#define PHYSDEVOP_restore_msi_ext    27
#define PHYSDEVOP_pirq_eoi_gmfn_v2   28
#define PHYSDEVOP_dbgp_op            29
#define PHYSDEVOP_prepare_msix       30
#define PHYSDEVOP_release_msix       31

/* arg == struct physdev_eoi */
struct physdev_eoi
{
    uint32_t irq;
};
typedef struct physdev_eoi physdev_eoi_t;
_Static_assert(sizeof(struct physdev_eoi) == 4, "physdev_eoi");

/* arg == struct physdev_irq_status_query */
#define XENIRQSTAT_needs_eoi (1U << 0)
#define XENIRQSTAT_shared    (1U << 1)
struct physdev_irq_status_query
{
    uint32_t irq;   /* IN */
    uint32_t flags; /* OUT: XENIRQSTAT_* */
};
typedef struct physdev_irq_status_query physdev_irq_status_query_t;
_Static_assert(sizeof(struct physdev_irq_status_query) == 8, "irq_status");

/* arg == struct physdev_set_iopl: virtual IOPL, 0..3. */
struct physdev_set_iopl
{
    uint32_t iopl;
};
typedef struct physdev_set_iopl physdev_set_iopl_t;
_Static_assert(sizeof(struct physdev_set_iopl) == 4, "physdev_set_iopl");

/* arg == struct physdev_set_iobitmap: guest VA of an I/O bitmap. */
struct physdev_set_iobitmap
{
    uint64_t bitmap; /* guest handle of uint8_t[] */
    uint32_t nr_ports;
    uint32_t _pad0;
};
typedef struct physdev_set_iobitmap physdev_set_iobitmap_t;
_Static_assert(sizeof(struct physdev_set_iobitmap) == 16, "set_iobitmap");
_Static_assert(offsetof(struct physdev_set_iobitmap, nr_ports) == 8,
               "set_iobitmap.nr_ports");

#endif /* PUBLIC_PHYSDEV_H */
