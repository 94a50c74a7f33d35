/*
 * The 64-bit PV start-of-day layout (Xen's public xen.h contract) and the
 * code that writes it into a new domain's memory: page tables, p2m list,
 * start_info, hypercall page.  Plain C over callbacks, so the ring-0
 * builder (initial domain) and libxc-min (every other domain) share it.
 */
#ifndef HV_PV_BUILD_H
#define HV_PV_BUILD_H

#include <hv/types.h>
#include <hv/elf.h>

/*
 * Virtual layout, all page aligned, VA = virt_base + pfn * 4096 for every
 * page of [virt_base, v_end).  Order: kernel, module, p2m list, start_info,
 * xenstore page, console page (these two only when asked for), page
 * tables (L4 first), boot stack, padding up to a 4 MiB boundary with at
 * least 512 KiB after the stack.
 */
struct pv_layout
{
    uint64_t virt_base, v_end;
    uint64_t kern_start, kern_end; /* VA, page-rounded */
    uint64_t mod_va, mod_len;      /* mod_len bytes; 0 = no module */
    uint64_t p2m_va;               /* nr_pages * 8 bytes */
    uint64_t start_info_va;
    uint64_t store_va, console_va; /* 0 when not reserved */
    uint64_t pt_va;                /* the L4; nr_pt_frames pages */
    unsigned int nr_pt_frames;
    uint64_t stack_va; /* boot stack page; rsp = +4096 */
    uint64_t nr_pages; /* pages the domain owns */
};

/*
 * Compute the layout for a kernel (p from elf_parse), a module of mod_len
 * bytes (0 for none) and nr_pages of memory; with_rings reserves the
 * xenstore and console pages (domU).  Errors (-EINVAL / -ENOMEM, *why
 * set to a static message): the region does not fit in nr_pages; it
 * overlaps the hypervisor range [0xffff800000000000, 0xffff880000000000);
 * it is not inside one naturally aligned 1 GiB (one L2, which Linux relies
 * on); the hypercall page note lies outside the kernel or is not page
 * aligned; VIRT_BASE is not page aligned; the region is not canonical or
 * wraps.  The geometry is checked before the memory (-EINVAL wins over
 * -ENOMEM).  INIT_P2M and MOD_START_PFN are ignored: the p2m list is
 * always in the region and the module always mapped (mod_start is a VA).
 */
int pv_layout_compute(const struct xen_elf_params *p, uint64_t mod_len,
                      uint64_t nr_pages, bool with_rings, struct pv_layout *l,
                      const char **why);

static inline uint64_t pv_va_to_pfn(const struct pv_layout *l, uint64_t va)
{
    return (va - l->virt_base) >> 12;
}

/*
 * Guest memory access for the writers below.  A pointer from map_pfn()
 * need only stay valid until the next map_pfn() call; NULL makes the
 * writer fail with -EFAULT.
 */
struct pv_mem
{
    void *ctx;
    void *(*map_pfn)(void *ctx, uint64_t pfn); /* writable page */
    uint64_t (*pfn_to_mfn)(void *ctx, uint64_t pfn);
};

/*
 * Write the bootstrap page tables: every page of [virt_base, v_end) mapped
 * to its pfn's mfn; L4/L3/L2 entries P|RW|A|D|USER, L1 entries P|RW|A|USER
 * except the page-table frames themselves, which are mapped read-only.
 * Extra frames the count left over are zeroed (and read-only).
 * hv_slots(ctx, l4), if not NULL, then fills the hypervisor's L4 entries.
 * Returns 0, -EFAULT (map_pfn failed) or -EINVAL (a layout that
 * pv_layout_compute() did not produce).
 */
int pv_write_pagetables(const struct pv_layout *l, const struct pv_mem *m,
                        void (*hv_slots)(void *ctx, uint64_t *l4));

/*
 * Write the p2m list: entry pfn = mfn for pfn < nr_pages, ~0 for the rest
 * of the last page.  Returns 0 or -EFAULT.
 */
int pv_write_p2m(const struct pv_layout *l, const struct pv_mem *m);

struct pv_start_info_args
{
    uint64_t shared_info_maddr;
    uint32_t flags;                  /* SIF_* */
    const char *cmdline;             /* truncated to 1023 bytes + NUL */
    uint64_t store_mfn, console_mfn; /* domU only */
    uint32_t store_evtchn, console_evtchn;
};

/*
 * Fill the start_info page (zeroed first): magic "xen-3.0-x86_64",
 * nr_pages, pt_base, ... from the layout, the rest from a (console.domU
 * only without SIF_INITDOMAIN; first_p2m_pfn = nr_p2m_frames = 0).
 * Returns 0 or -EFAULT.
 */
int pv_write_start_info(const struct pv_layout *l, const struct pv_mem *m,
                        const struct pv_start_info_args *a);

/*
 * Fill a hypercall page: 128 slots of 32 bytes, int3 filler, slot n =
 * push %rcx; push %r11; mov $n,%eax; syscall; pop %r11; pop %rcx; ret,
 * slot 23 (iret) = push %rcx; push %r11; push %rax; mov $23,%eax; syscall.
 */
void pv_write_hypercall_page(void *page);

#endif /* HV_PV_BUILD_H */
