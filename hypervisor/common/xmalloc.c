/*
 * Hypervisor heap (XMALLOC): xmalloc_bytes(), xzalloc_bytes(), xfree().
 *
 * Small objects (up to PAGE_SIZE/2) come from pages of one size class each,
 * 16 to 2048 bytes, carved into naturally aligned chunks.  The page's
 * bookkeeping lives in its page_info: type_info holds a tag, the class,
 * the first free chunk and the count of chunks in use; next/prev link the
 * class's pages that still have free chunks.  A free chunk holds the index
 * of the next free chunk and a canary; a canary match on xfree() is
 * confirmed against the page's free list before it is called a double
 * free.  A page whose chunks are all free goes back to the buddy allocator.
 *
 * Larger objects are whole 2^order pages, the object after a 16-byte
 * header; the head page's type_info holds the tag and the order.
 *
 * xfree() of a pointer the heap did not hand out (wrong page, wrong offset,
 * freed twice) is a hypervisor bug and panics, after dropping the lock.
 *
 * Locking: xmalloc_lock protects every class page and the partial lists.
 * Lock order: xmalloc_lock, then heap_lock (alloc_pages/free_pages).  Not
 * for use from interrupt context.
 */
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/spinlock.h>

#define MIN_SHIFT   4
#define NR_CLASSES  (PAGE_SHIFT - 1 - MIN_SHIFT + 1) /* 16 .. PAGE_SIZE/2 */
#define LARGE_CLASS 0xffUL
#define LARGE_HDR   16
#define NO_CHUNK    0xffffUL
#define FREE_MAGIC  0x5f5f4652454521aaUL
#define LARGE_MAGIC 0x4c41524745484452UL

/* type_info of a heap page: tag | class | first free chunk | chunks used. */
#define XM_TAG       (0x584dUL << 48)
#define XM_TAG_MASK  (0xffffUL << 48)
#define XM_CLASS(ti) (((ti) >> 40) & 0xff)
#define XM_FREE(ti)  (((ti) >> 16) & 0xffff)
#define XM_USED(ti)  ((ti)&0xffff)
#define XM_INFO(c, f, u) \
    (XM_TAG | ((unsigned long)(c) << 40) | ((f) << 16) | (u))

struct free_chunk
{
    unsigned long next; /* index of the next free chunk, or NO_CHUNK */
    unsigned long canary;
};

struct large_hdr
{
    unsigned long magic;
    unsigned long order;
};

BUILD_BUG_ON(sizeof(struct large_hdr) != LARGE_HDR);
BUILD_BUG_ON(sizeof(struct free_chunk) > (1 << MIN_SHIFT));

static DEFINE_SPINLOCK(xmalloc_lock);
static unsigned long partial[NR_CLASSES]; /* pages with a free chunk */
static bool initialised;

static unsigned long class_size(unsigned int cls)
{
    return 1UL << (MIN_SHIFT + cls);
}

static unsigned int size_class(size_t size)
{
    unsigned int cls = 0;

    while ( class_size(cls) < size )
        cls++;
    return cls;
}

static unsigned long canary(const void *chunk)
{
    return FREE_MAGIC ^ (unsigned long)chunk;
}

static void partial_add(unsigned int cls, unsigned long mfn)
{
    struct page_info *pg = mfn_to_page(mfn);

    pg->prev = INVALID_MFN;
    pg->next = partial[cls];
    if ( pg->next != INVALID_MFN )
        mfn_to_page(pg->next)->prev = mfn;
    partial[cls] = mfn;
}

static void partial_del(unsigned int cls, unsigned long mfn)
{
    struct page_info *pg = mfn_to_page(mfn);

    if ( pg->prev != INVALID_MFN )
        mfn_to_page(pg->prev)->next = pg->next;
    else
        partial[cls] = pg->next;
    if ( pg->next != INVALID_MFN )
        mfn_to_page(pg->next)->prev = pg->prev;
    pg->next = pg->prev = INVALID_MFN;
}

/* A fresh page for class cls, all chunks free.  Lock held. */
static bool class_grow(unsigned int cls)
{
    struct page_info *pg = alloc_pages(0, ~0UL);
    unsigned long i, n = PAGE_SIZE / class_size(cls);
    uint8_t *va;

    if ( !pg )
        return false;
    va = mfn_to_virt(page_to_mfn(pg));
    for ( i = 0; i < n; i++ )
    {
        struct free_chunk *c = (void *)(va + i * class_size(cls));

        c->next = i + 1 < n ? i + 1 : NO_CHUNK;
        c->canary = canary(c);
    }
    pg->type_info = XM_INFO(cls, 0UL, 0UL);
    partial_add(cls, page_to_mfn(pg));
    return true;
}

static void *alloc_small(unsigned int cls)
{
    unsigned long mfn, ti, idx;
    struct free_chunk *c;
    struct page_info *pg;

    spin_lock(&xmalloc_lock);
    if ( !initialised )
    {
        for ( idx = 0; idx < NR_CLASSES; idx++ )
            partial[idx] = INVALID_MFN;
        initialised = true;
    }
    if ( partial[cls] == INVALID_MFN && !class_grow(cls) )
    {
        spin_unlock(&xmalloc_lock);
        return NULL;
    }
    mfn = partial[cls];
    pg = mfn_to_page(mfn);
    ti = pg->type_info;
    idx = XM_FREE(ti);
    c = (void *)((uint8_t *)mfn_to_virt(mfn) + idx * class_size(cls));
    BUG_ON(idx == NO_CHUNK || c->next > NO_CHUNK);
    pg->type_info = XM_INFO(cls, c->next, XM_USED(ti) + 1);
    if ( c->next == NO_CHUNK )
        partial_del(cls, mfn);
    c->next = c->canary = 0;
    spin_unlock(&xmalloc_lock);
    return c;
}

static void *alloc_large(size_t size)
{
    unsigned int order = 0;
    struct page_info *pg;
    struct large_hdr *h;

    if ( size > (PAGE_SIZE << MAX_ORDER) - LARGE_HDR )
        return NULL;
    while ( (PAGE_SIZE << order) < size + LARGE_HDR )
        order++;
    spin_lock(&xmalloc_lock);
    pg = alloc_pages(order, ~0UL);
    if ( pg )
        pg->type_info = XM_INFO(LARGE_CLASS, 0UL, (unsigned long)order);
    spin_unlock(&xmalloc_lock);
    if ( !pg )
        return NULL;
    h = mfn_to_virt(page_to_mfn(pg));
    h->magic = LARGE_MAGIC;
    h->order = order;
    return h + 1;
}

void *xmalloc_bytes(size_t size)
{
    if ( size == 0 )
        return NULL;
    if ( size <= PAGE_SIZE / 2 )
        return alloc_small(size_class(size));
    return alloc_large(size);
}

void *xzalloc_bytes(size_t size)
{
    void *p = xmalloc_bytes(size);

    if ( p )
        memset(p, 0, size);
    return p;
}

/* Drop the lock and stop: p was not handed out by the heap (or is freed). */
static void __attribute__((noreturn)) bad_free(const void *p, const char *why)
{
    spin_unlock(&xmalloc_lock);
    panic("xfree(%p): %s", p, why);
}

/* Is chunk idx on the page's free list?  Bounded by the chunk count. */
static bool chunk_is_free(const uint8_t *va, unsigned int cls,
                          unsigned long first, unsigned long idx)
{
    unsigned long n = PAGE_SIZE / class_size(cls), i;

    for ( i = 0; i < n && first < n; i++ )
    {
        if ( first == idx )
            return true;
        first =
            ((const struct free_chunk *)(va + first * class_size(cls)))->next;
    }
    return false;
}

static void free_small(void *p, struct page_info *pg)
{
    unsigned long mfn = page_to_mfn(pg), ti = pg->type_info;
    unsigned int cls = XM_CLASS(ti);
    uint8_t *va = mfn_to_virt(mfn);
    unsigned long off = (uint8_t *)p - va, idx = off / class_size(cls);
    struct free_chunk *c = p;

    if ( cls >= NR_CLASSES )
        bad_free(p, "corrupt heap page");
    if ( off % class_size(cls) )
        bad_free(p, "not the start of a heap object");
    if ( c->canary == canary(c) && chunk_is_free(va, cls, XM_FREE(ti), idx) )
        bad_free(p, "double free");
    if ( XM_USED(ti) == 0 )
        bad_free(p, "corrupt heap page (no object in use)");

    c->next = XM_FREE(ti);
    c->canary = canary(c);
    if ( XM_FREE(ti) == NO_CHUNK )
        partial_add(cls, mfn);
    pg->type_info = XM_INFO(cls, idx, XM_USED(ti) - 1);
    if ( XM_USED(ti) - 1 == 0 )
    {
        partial_del(cls, mfn);
        pg->type_info = 0;
        BUG_ON(free_pages(pg, 0));
    }
}

static void free_large(void *p, struct page_info *pg)
{
    struct large_hdr *h = mfn_to_virt(page_to_mfn(pg));
    unsigned long order = XM_USED(pg->type_info);

    if ( p != h + 1 )
        bad_free(p, "not the start of a heap object");
    if ( h->magic != LARGE_MAGIC || h->order != order )
        bad_free(p, "corrupt large-object header");
    h->magic = 0;
    pg->type_info = 0;
    BUG_ON(free_pages(pg, order));
}

void xfree(void *p)
{
    unsigned long mfn;
    struct page_info *pg;

    if ( !p )
        return;
    spin_lock(&xmalloc_lock);
    mfn = virt_to_mfn(p);
    if ( !frame_table || mfn >= max_page )
        bad_free(p, "not a heap address");
    pg = mfn_to_page(mfn);
    if ( pg->count_info & PGC_free )
        bad_free(p, "page is free (double free?)");
    if ( (pg->count_info & PGC_reserved) ||
         (pg->type_info & XM_TAG_MASK) != XM_TAG )
        bad_free(p, "not a heap page");
    if ( XM_CLASS(pg->type_info) == LARGE_CLASS )
        free_large(p, pg);
    else
        free_small(p, pg);
    spin_unlock(&xmalloc_lock);
}
