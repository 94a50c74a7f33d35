/*
 * Memory: the page allocator, linear mappings made on demand, the heap
 * beyond .bss
 *
 * Locking: mm_lock (a spinlock) around everything that touches the
 * bitmaps, the table records or the scratch page; see rt/mm.h for the
 * layout.  The pool is every frame from the end of the bootstrap region to
 * min(nr_pages, XEN_RT_MAX_PAGES).  Raw frames are taken from the top of
 * the pool, the sbrk heap grows from its bottom (a heap page is the frame
 * of its linear address), so both meet only when memory is full.
 *
 * The runtime reads the bootstrap page tables through their read-only
 * mappings in the bootstrap region (the M2P gives their frames' pfns).
 * Tables it creates itself are not mapped: it records their frames
 * instead (an L1 per 2 MiB of the linear window, an L2 per GiB).
 */
#include <string.h>

#include <public/errno.h>
#include <rt/mm.h>
#include <rt/rt.h>

#define CHUNKS (XEN_RT_MAX_PAGES / 512)                     /* 2 MiB each */
#define GIBS   ((XEN_RT_MAX_PAGES + (1UL << 18) - 1) >> 18) /* 1 GiB each */
#define BITS   (8 * sizeof(unsigned long))

static volatile int mm_lock;
static int ready;
static unsigned long boot_pages, total_pages, nr_free, nr_tables;
static unsigned long used[XEN_RT_MAX_PAGES / BITS];   /* not in the pool */
static unsigned long mapped[XEN_RT_MAX_PAGES / BITS]; /* at linear address */
/* Tables the runtime made, by the chunk / GiB of the window they cover. */
static uint64_t own_l1[CHUNKS + 2], own_l2[GIBS + 1];
/* The sbrk heap beyond .bss: [heap_base, heap_brk), mapped to heap_top. */
static char *heap_base, *heap_brk, *heap_top;

static uint8_t scratch[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static void lock(void)
{
    while ( __atomic_exchange_n(&mm_lock, 1, __ATOMIC_ACQUIRE) )
        while ( mm_lock )
            __builtin_ia32_pause();
}

static void unlock(void)
{
    __atomic_store_n(&mm_lock, 0, __ATOMIC_RELEASE);
}

static bool test_bit(const unsigned long *map, unsigned long n)
{
    return map[n / BITS] & (1UL << (n % BITS));
}

static void set_bit(unsigned long *map, unsigned long n)
{
    map[n / BITS] |= 1UL << (n % BITS);
}

static void clear_bit(unsigned long *map, unsigned long n)
{
    map[n / BITS] &= ~(1UL << (n % BITS));
}

void *xen_pfn_to_virt(unsigned long pfn)
{
    return __image_start + pfn * PAGE_SIZE;
}

unsigned long xen_pfn_to_mfn(unsigned long pfn)
{
    return ((const xen_pfn_t *)xen_start_info->mfn_list)[pfn];
}

unsigned long xen_mfn_to_pfn(unsigned long mfn)
{
    return ((const volatile unsigned long *)MACH2PHYS_VIRT_START)[mfn];
}

/* Is frame mfn one of ours below pfn limit? Its pfn then, else ~0. */
static unsigned long own_pfn(unsigned long mfn, unsigned long limit)
{
    unsigned long pfn = xen_mfn_to_pfn(mfn);

    if ( pfn >= limit || pfn >= xen_start_info->nr_pages ||
         xen_pfn_to_mfn(pfn) != mfn )
        return ~0UL;
    return pfn;
}

int xen_pt_read(unsigned long mfn, unsigned int idx, uint64_t *val)
{
    unsigned long pfn = own_pfn(mfn, ~0UL);

    if ( pfn == ~0UL || idx >= 512 ||
         (pfn >= boot_pages &&
          (pfn >= XEN_RT_MAX_PAGES || !test_bit(mapped, pfn))) )
        return -XEN_EFAULT;
    *val = ((const volatile uint64_t *)xen_pfn_to_virt(pfn))[idx];
    return 0;
}

/* The entry of va at a level of the start-of-day tables, or 0. */
static uint64_t boot_entry(unsigned long va, unsigned int last)
{
    uint64_t e =
        ((const uint64_t *)xen_start_info->pt_base)[XEN_PT_INDEX(va, 4)];

    for ( unsigned int level = 3; level >= last; level-- )
    {
        unsigned long pfn;

        if ( !(e & XEN_PTE_P) || (e & XEN_PTE_PSE) )
            return 0;
        pfn = own_pfn((e & XEN_PTE_ADDR) >> PAGE_SHIFT, boot_pages);
        if ( pfn == ~0UL )
            return 0;
        e = ((const uint64_t *)xen_pfn_to_virt(pfn))[XEN_PT_INDEX(va, level)];
    }
    return e;
}

static uint64_t boot_l1e(unsigned long va)
{
    return boot_entry(va, 1);
}

static uint64_t boot_l2e(unsigned long va)
{
    return boot_entry(va, 2);
}

static long mmu_update1(uint64_t ptr, uint64_t val)
{
    struct mmu_update u = { .ptr = ptr, .val = val };

    return HYPERVISOR_mmu_update(XEN_ARG(&u), 1, 0, DOMID_SELF);
}

/* Setup under the lock. */
static int init_locked(void)
{
    unsigned long nr = xen_start_info->nr_pages, pfn;

    if ( ready )
        return 0;
    /*
     * The bootstrap region: the frames mapped from pfn 0 on (§5.2).  The
     * program may have remapped or unmapped some of its pages already
     * (shared_info goes over a .bss page), so look for the first 2 MiB
     * without an L1, then for the last page mapped in the chunk before.
     */
    boot_pages = nr;
    for ( pfn = 0; pfn < nr; pfn += 512 )
        if ( !(boot_l2e((unsigned long)xen_pfn_to_virt(pfn)) & XEN_PTE_P) )
            break;
    if ( pfn > nr )
        pfn = nr;
    while ( pfn > 0 &&
            !(boot_l1e((unsigned long)xen_pfn_to_virt(pfn - 1)) & XEN_PTE_P) )
        pfn--;
    boot_pages = pfn;
    total_pages = nr < XEN_RT_MAX_PAGES ? nr : XEN_RT_MAX_PAGES;
    if ( boot_pages > total_pages )
        boot_pages = total_pages;
    for ( pfn = 0; pfn < boot_pages; pfn++ )
        set_bit(used, pfn);
    nr_free = total_pages - boot_pages;
    heap_base = heap_brk = heap_top = xen_pfn_to_virt(boot_pages);
    ready = 1;
    return 0;
}

int xen_mm_init(void)
{
    int rc;

    lock();
    rc = init_locked();
    unlock();
    return rc;
}

unsigned long xen_mm_boot_pages(void)
{
    xen_mm_init();
    return boot_pages;
}

unsigned long xen_mm_total_pages(void)
{
    xen_mm_init();
    return total_pages;
}

unsigned long xen_mm_table_pages(void)
{
    xen_mm_init();
    return nr_tables;
}

unsigned long xen_mm_free_pages(void)
{
    xen_mm_init();
    return nr_free;
}

/* A free frame from the top of the pool, marked used; ~0 if none. */
static unsigned long take_locked(void)
{
    unsigned long lo = (unsigned long)(heap_top - __image_start) >> PAGE_SHIFT;

    for ( unsigned long pfn = total_pages; pfn-- > lo; )
        if ( !test_bit(used, pfn) &&
             xen_pfn_to_mfn(pfn) != ~0UL /* ballooned out */ )
        {
            set_bit(used, pfn);
            nr_free--;
            return pfn;
        }
    return ~0UL;
}

static void give_locked(unsigned long pfn)
{
    if ( pfn < boot_pages || pfn >= total_pages || !test_bit(used, pfn) )
        xen_panic("mm: freeing frame %#lx that is not allocated", pfn);
    clear_bit(used, pfn);
    clear_bit(mapped, pfn);
    nr_free++;
}

/* Zero a frame through the scratch page, then put the page back. */
static int zero_locked(unsigned long pfn)
{
    unsigned long own = xen_virt_to_mfn(scratch);
    long rc;

    rc = HYPERVISOR_update_va_mapping(
        XEN_ARG(scratch), (xen_pfn_to_mfn(pfn) << PAGE_SHIFT) | XEN_PTE_DATA,
        UVMF_INVLPG);
    if ( rc )
        return (int)rc;
    memset(scratch, 0, PAGE_SIZE);
    rc = HYPERVISOR_update_va_mapping(
        XEN_ARG(scratch), (own << PAGE_SHIFT) | XEN_PTE_DATA, UVMF_INVLPG);
    if ( rc )
        xen_panic("mm: cannot restore the scratch mapping: %ld", rc);
    return 0;
}

/* A zeroed frame for a page table, installed at maddr (an entry). */
static int new_table_locked(uint64_t entry_maddr, uint64_t *mfn)
{
    unsigned long pfn = take_locked();
    int rc;

    if ( pfn == ~0UL )
        return -XEN_ENOMEM;
    rc = zero_locked(pfn);
    if ( !rc )
        rc = (int)mmu_update1(entry_maddr | MMU_NORMAL_PT_UPDATE,
                              (xen_pfn_to_mfn(pfn) << PAGE_SHIFT) |
                                  XEN_PTE_TABLE);
    if ( rc )
    {
        give_locked(pfn);
        return rc;
    }
    *mfn = xen_pfn_to_mfn(pfn);
    nr_tables++;
    return 0;
}

/* Machine frame of the L2 covering GiB gib of the window (may create). */
static int l2_locked(unsigned long gib, uint64_t *mfn)
{
    unsigned long va = (unsigned long)__image_start + (gib << 30);
    uint64_t l4e, l3e, l3mfn;
    int rc;

    if ( own_l2[gib] )
    {
        *mfn = own_l2[gib];
        return 0;
    }
    l4e = ((const uint64_t *)xen_start_info->pt_base)[XEN_PT_INDEX(va, 4)];
    if ( !(l4e & XEN_PTE_P) )
        return -XEN_EFAULT; /* the window lives in the image's L3 */
    l3mfn = (l4e & XEN_PTE_ADDR) >> PAGE_SHIFT;
    rc = xen_pt_read(l3mfn, XEN_PT_INDEX(va, 3), &l3e);
    if ( rc )
        return rc;
    if ( l3e & XEN_PTE_P )
    {
        if ( l3e & XEN_PTE_PSE )
            return -XEN_EINVAL;
        *mfn = (l3e & XEN_PTE_ADDR) >> PAGE_SHIFT;
        return 0;
    }
    rc = new_table_locked((l3mfn << PAGE_SHIFT) + 8 * XEN_PT_INDEX(va, 3),
                          &own_l2[gib]);
    *mfn = own_l2[gib];
    return rc;
}

static int l1e_maddr_locked(unsigned long va, uint64_t *maddr)
{
    unsigned long off = va - (unsigned long)__image_start;
    unsigned long chunk = off >> 21, gib = off >> 30;
    uint64_t l2mfn, l2e;
    int rc;

    if ( va < (unsigned long)__image_start || off >= XEN_RT_MAX_PAGES << 12 )
        return -XEN_EINVAL;
    if ( !own_l1[chunk] )
    {
        rc = l2_locked(gib, &l2mfn);
        if ( rc )
            return rc;
        if ( own_l2[gib] || xen_pt_read(l2mfn, XEN_PT_INDEX(va, 2), &l2e) )
            l2e = 0; /* our own L2: all its L1s are recorded */
        if ( l2e & XEN_PTE_PSE )
            return -XEN_EINVAL;
        if ( l2e & XEN_PTE_P )
            own_l1[chunk] = (l2e & XEN_PTE_ADDR) >> PAGE_SHIFT;
        else
        {
            rc = new_table_locked((l2mfn << PAGE_SHIFT) +
                                      8 * XEN_PT_INDEX(va, 2),
                                  &own_l1[chunk]);
            if ( rc )
                return rc;
        }
    }
    *maddr = (own_l1[chunk] << PAGE_SHIFT) + 8 * XEN_PT_INDEX(va, 1);
    return 0;
}

int xen_l1e_maddr(unsigned long va, uint64_t *maddr)
{
    int rc;

    lock();
    rc = init_locked();
    if ( !rc )
        rc = l1e_maddr_locked(va, maddr);
    unlock();
    return rc;
}

static int map_locked(unsigned long pfn, uint64_t flags)
{
    uint64_t maddr;
    int rc = l1e_maddr_locked((unsigned long)xen_pfn_to_virt(pfn), &maddr);

    if ( !rc )
        rc = (int)mmu_update1(maddr | MMU_NORMAL_PT_UPDATE,
                              (xen_pfn_to_mfn(pfn) << PAGE_SHIFT) | flags);
    if ( !rc )
        set_bit(mapped, pfn);
    return rc;
}

static int unmap_locked(unsigned long pfn)
{
    long rc = HYPERVISOR_update_va_mapping(XEN_ARG(xen_pfn_to_virt(pfn)), 0,
                                           UVMF_INVLPG | UVMF_ALL);

    if ( !rc )
        clear_bit(mapped, pfn);
    return (int)rc;
}

long xen_pfn_alloc(void)
{
    unsigned long pfn;

    lock();
    init_locked();
    pfn = take_locked();
    unlock();
    return pfn == ~0UL ? -XEN_ENOMEM : (long)pfn;
}

void xen_pfn_free(unsigned long pfn)
{
    lock();
    give_locked(pfn);
    unlock();
}

bool xen_pfn_is_free(unsigned long pfn)
{
    bool free;

    lock();
    init_locked();
    free = pfn < total_pages && !test_bit(used, pfn);
    unlock();
    return free;
}

int xen_pfn_zero(unsigned long pfn)
{
    int rc;

    lock();
    rc = zero_locked(pfn);
    unlock();
    return rc;
}

long xen_pfn_alloc_zeroed(void)
{
    long pfn = xen_pfn_alloc();
    int rc;

    if ( pfn < 0 )
        return pfn;
    rc = xen_pfn_zero(pfn);
    if ( rc )
    {
        xen_pfn_free(pfn);
        return rc;
    }
    return pfn;
}

int xen_pfn_map(unsigned long pfn, uint64_t flags)
{
    int rc;

    lock();
    rc = init_locked();
    if ( !rc )
        rc = pfn < total_pages ? map_locked(pfn, flags) : -XEN_EINVAL;
    unlock();
    return rc;
}

int xen_pfn_unmap(unsigned long pfn)
{
    int rc;

    lock();
    rc = unmap_locked(pfn);
    unlock();
    return rc;
}

void *xen_page_alloc(void)
{
    unsigned long pfn;
    void *va = NULL;

    lock();
    init_locked();
    pfn = take_locked();
    if ( pfn != ~0UL )
    {
        if ( map_locked(pfn, XEN_PTE_DATA) )
            give_locked(pfn);
        else
        {
            va = xen_pfn_to_virt(pfn);
            memset(va, 0, PAGE_SIZE);
        }
    }
    unlock();
    return va;
}

void xen_page_free(void *va)
{
    unsigned long pfn = xen_virt_to_pfn(va);
    int rc;

    lock();
    rc = unmap_locked(pfn);
    if ( rc )
        xen_panic("mm: unmapping %p: %d", va, rc);
    give_locked(pfn);
    unlock();
}

void *xen_mm_sbrk(ptrdiff_t incr)
{
    char *old, *end;

    lock();
    init_locked();
    old = heap_brk;
    if ( incr < 0 )
    {
        if ( -incr > heap_brk - heap_base )
            old = NULL;
        else
            heap_brk += incr;
        unlock();
        return old;
    }
    if ( (unsigned long)incr >
         (unsigned long)((char *)xen_pfn_to_virt(total_pages) - heap_brk) )
    {
        unlock();
        return NULL;
    }
    end = heap_brk + incr;
    /* Map the frames of the new pages, each at its own linear address. */
    while ( heap_top < end )
    {
        unsigned long pfn = xen_virt_to_pfn(heap_top);

        if ( test_bit(used, pfn) || xen_pfn_to_mfn(pfn) == ~0UL )
            break;
        set_bit(used, pfn);
        nr_free--;
        if ( map_locked(pfn, XEN_PTE_DATA) )
        {
            give_locked(pfn);
            break;
        }
        heap_top += PAGE_SIZE;
    }
    if ( heap_top < end )
    {
        unlock();
        return NULL;
    }
    /* newlib's calloc relies on fresh sbrk memory being zero. */
    memset(heap_brk, 0, incr);
    heap_brk = end;
    unlock();
    return old;
}
