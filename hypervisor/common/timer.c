/*
 * Per-CPU one-shot software timers (TIMER).
 *
 * Each CPU keeps its active timers in a binary min-heap ordered by
 * (expires, seq), where seq counts armings on that CPU, so equal deadlines
 * fire in arming order.  The heap array comes from xmalloc and doubles when
 * full.  set_timer() never fails: when the heap cannot grow (allocation
 * failed, or the caller runs with interrupts disabled, where we must not
 * allocate) the timer goes on the CPU's overflow list, an unsorted list
 * through struct timer that timer_run() and timer_next_deadline() also
 * scan; its timers move into the heap as soon as there is room.  A warning
 * is printed the first time a CPU uses the overflow list.
 *
 * timer_run() drops the lock around each callback, so a callback may arm or
 * stop any timer, its own included.  A timer armed during a run does not
 * fire in the same run even when already due: the deadline programmed at
 * the end is then in the past and the architecture fires again at once.
 * This keeps a callback that re-arms itself in the past from livelocking.
 *
 * Locking: queue[cpu].lock (irqsave) protects that CPU's heap, overflow
 * list and the fields of its timers.  Lock order: timer lock, then
 * xmalloc's lock, then heap_lock.  arch_timer_program() is called with the
 * timer lock held and must not touch timers.  Growing the heap allocates,
 * so it happens only when set_timer() is called with interrupts enabled
 * (never from a hard interrupt handler).
 */
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/spinlock.h>
#include <hv/timer.h>
#include <asm/smp.h>

#define TIMER_HEAP_INIT 64 /* initial heap capacity per CPU */

struct timer_queue
{
    spinlock_t lock;
    struct timer **heap; /* heap[1..size]; heap[0] unused */
    unsigned int size, cap;
    struct timer *overflow; /* timers that did not fit the heap */
    uint64_t seq;           /* next arming sequence number */
    s_time_t programmed;    /* last deadline given to the hardware */
    bool warned;            /* overflow warning printed */
};

static struct timer_queue queue[NR_CPUS];

static bool before(const struct timer *a, const struct timer *b)
{
    return a->expires < b->expires ||
           (a->expires == b->expires && a->seq < b->seq);
}

/* ---- heap and overflow list (lock held) ------------------------------ */

static void heap_place(struct timer_queue *q, unsigned int i, struct timer *t)
{
    q->heap[i] = t;
    t->heap_index = i;
}

static void sift_up(struct timer_queue *q, unsigned int i)
{
    struct timer *t = q->heap[i];

    while ( i > 1 && before(t, q->heap[i / 2]) )
    {
        heap_place(q, i, q->heap[i / 2]);
        i /= 2;
    }
    heap_place(q, i, t);
}

static void sift_down(struct timer_queue *q, unsigned int i)
{
    struct timer *t = q->heap[i];

    for ( ;; )
    {
        unsigned int c = 2 * i;

        if ( c > q->size )
            break;
        if ( c + 1 <= q->size && before(q->heap[c + 1], q->heap[c]) )
            c++;
        if ( !before(q->heap[c], t) )
            break;
        heap_place(q, i, q->heap[c]);
        i = c;
    }
    heap_place(q, i, t);
}

static void heap_add(struct timer_queue *q, struct timer *t)
{
    q->heap[++q->size] = t;
    sift_up(q, q->size);
}

static void heap_del(struct timer_queue *q, struct timer *t)
{
    unsigned int i = t->heap_index;
    struct timer *last = q->heap[q->size--];

    if ( i <= q->size )
    {
        heap_place(q, i, last);
        if ( i > 1 && before(last, q->heap[i / 2]) )
            sift_up(q, i);
        else
            sift_down(q, i);
    }
}

static void overflow_del(struct timer_queue *q, struct timer *t)
{
    struct timer **pp = &q->overflow;

    while ( *pp != t )
    {
        BUG_ON(!*pp); /* TIMER_OVERFLOW but not on the list */
        pp = &(*pp)->ovf_next;
    }
    *pp = t->ovf_next;
    t->ovf_next = NULL;
}

/* Double the heap array.  Lock order: timer lock, then xmalloc's lock. */
static bool heap_grow(struct timer_queue *q)
{
    unsigned int cap = q->cap ? q->cap * 2 : TIMER_HEAP_INIT;
    struct timer **h;

    if ( cap <= q->cap ) /* doubling wrapped */
        return false;
    h = xmalloc_bytes(((size_t)cap + 1) * sizeof(*h));
    if ( !h )
        return false;
    if ( q->heap )
        memcpy(h, q->heap, (q->size + 1) * sizeof(*h));
    xfree(q->heap);
    q->heap = h;
    q->cap = cap;
    return true;
}

/* Move overflow timers into free heap slots (no allocation). */
static void overflow_drain(struct timer_queue *q)
{
    while ( q->overflow && q->size < q->cap )
    {
        struct timer *t = q->overflow;

        q->overflow = t->ovf_next;
        t->ovf_next = NULL;
        heap_add(q, t);
    }
}

static void deactivate(struct timer_queue *q, struct timer *t)
{
    if ( t->heap_index == TIMER_OVERFLOW )
        overflow_del(q, t);
    else if ( t->heap_index )
        heap_del(q, t);
    t->heap_index = 0;
}

/* Returns false when the timer had to go on the overflow list. */
static bool activate(struct timer_queue *q, struct timer *t, bool may_grow)
{
    t->seq = q->seq++;
    if ( q->size == q->cap && may_grow && heap_grow(q) )
        overflow_drain(q);
    if ( q->size < q->cap )
    {
        heap_add(q, t);
        return true;
    }
    t->ovf_next = q->overflow;
    q->overflow = t;
    t->heap_index = TIMER_OVERFLOW;
    return false;
}

static struct timer *earliest(const struct timer_queue *q)
{
    struct timer *best = q->size ? q->heap[1] : NULL, *t;

    for ( t = q->overflow; t; t = t->ovf_next )
        if ( !best || before(t, best) )
            best = t;
    return best;
}

static s_time_t next_deadline(const struct timer_queue *q)
{
    const struct timer *t = earliest(q);

    return t ? t->expires : STIME_MAX;
}

static void reprogram(struct timer_queue *q, unsigned int cpu, bool always)
{
    s_time_t next = next_deadline(q);

    if ( always || next != q->programmed )
    {
        q->programmed = next;
        arch_timer_program(cpu, next);
    }
}

/* ---- interface ------------------------------------------------------- */

int timer_cpu_init(unsigned int cpu)
{
    struct timer_queue *q;
    unsigned long flags;
    int rc = 0;

    if ( cpu >= NR_CPUS )
        return -EINVAL;
    q = &queue[cpu];
    spin_lock_irqsave(&q->lock, flags);
    if ( !q->heap && !heap_grow(q) )
        rc = -ENOMEM; /* still usable: timers go on the overflow list */
    else
        overflow_drain(q);
    q->programmed = STIME_MAX;
    spin_unlock_irqrestore(&q->lock, flags);
    return rc;
}

void init_timer(struct timer *t, void (*fn)(void *), void *data,
                unsigned int cpu)
{
    BUG_ON(cpu >= NR_CPUS);
    memset(t, 0, sizeof(*t));
    t->function = fn;
    t->data = data;
    t->cpu = cpu;
}

void set_timer(struct timer *t, s_time_t expires)
{
    struct timer_queue *q = &queue[t->cpu];
    bool may_grow = local_irq_is_enabled(), in_heap, warn = false;
    unsigned long flags;

    spin_lock_irqsave(&q->lock, flags);
    deactivate(q, t);
    t->expires = expires;
    in_heap = activate(q, t, may_grow);
    if ( !in_heap && !q->warned )
        warn = q->warned = true;
    reprogram(q, t->cpu, false);
    spin_unlock_irqrestore(&q->lock, flags);

    if ( warn )
        printk(XENLOG_WARNING "timer: CPU%u heap full (%u timers), using the "
                              "overflow list\n",
               t->cpu, q->cap);
}

void stop_timer(struct timer *t)
{
    struct timer_queue *q = &queue[t->cpu];
    unsigned long flags;

    spin_lock_irqsave(&q->lock, flags);
    if ( t->heap_index )
    {
        deactivate(q, t);
        reprogram(q, t->cpu, false);
    }
    spin_unlock_irqrestore(&q->lock, flags);
}

bool timer_is_active(const struct timer *t)
{
    return t->heap_index != 0;
}

void timer_run(unsigned int cpu, s_time_t now)
{
    struct timer_queue *q = &queue[cpu];
    unsigned long flags;
    uint64_t run_seq;
    struct timer *t;

    spin_lock_irqsave(&q->lock, flags);
    run_seq = q->seq;
    while ( (t = earliest(q)) != NULL && t->expires <= now && t->seq < run_seq )
    {
        void (*fn)(void *) = t->function;
        void *data = t->data;

        deactivate(q, t);
        /* The callback may re-arm or free t: do not touch it afterwards. */
        spin_unlock_irqrestore(&q->lock, flags);
        fn(data);
        spin_lock_irqsave(&q->lock, flags);
    }
    overflow_drain(q);
    reprogram(q, cpu, true);
    spin_unlock_irqrestore(&q->lock, flags);
}

s_time_t timer_next_deadline(unsigned int cpu)
{
    struct timer_queue *q = &queue[cpu];
    unsigned long flags;
    s_time_t next;

    spin_lock_irqsave(&q->lock, flags);
    next = next_deadline(q);
    spin_unlock_irqrestore(&q->lock, flags);
    return next;
}
