/*
 * Ticket spinlocks.
 *
 * A lock is fair (FIFO by ticket).  spin_lock_irqsave() also disables local
 * interrupts; use it for any lock also taken from an interrupt handler.
 * The global lock order is documented in docs/locking.md.
 */
#ifndef HV_SPINLOCK_H
#define HV_SPINLOCK_H

#include <hv/types.h>
#include <asm/system.h>

typedef struct
{
    uint16_t head; /* ticket now served */
    uint16_t tail; /* next ticket to hand out */
} spinlock_t;

#define SPIN_LOCK_UNLOCKED \
    {                      \
        0, 0               \
    }
#define DEFINE_SPINLOCK(l) spinlock_t l = SPIN_LOCK_UNLOCKED

static inline void spin_lock_init(spinlock_t *l)
{
    l->head = l->tail = 0;
}

static inline void spin_lock(spinlock_t *l)
{
    /* Acquire: later accesses stay after we own the lock. */
    uint16_t me = __atomic_fetch_add(&l->tail, 1, __ATOMIC_ACQUIRE);

    while ( __atomic_load_n(&l->head, __ATOMIC_ACQUIRE) != me )
        lock_relax();
}

static inline bool spin_trylock(spinlock_t *l)
{
    uint16_t head = __atomic_load_n(&l->head, __ATOMIC_RELAXED);
    uint16_t tail = head;

    /*
     * Free when tail == head: take the next ticket only if tail still
     * equals the head we read (head cannot move while nobody holds the
     * lock).  Acquire on success, pairs with the release in spin_unlock().
     */
    return __atomic_compare_exchange_n(&l->tail, &tail, (uint16_t)(head + 1),
                                       false, __ATOMIC_ACQUIRE,
                                       __ATOMIC_RELAXED);
}

static inline void spin_unlock(spinlock_t *l)
{
    /* Release: our critical section's accesses complete before the handoff. */
    __atomic_store_n(&l->head, (uint16_t)(l->head + 1), __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(const spinlock_t *l)
{
    return __atomic_load_n(&l->head, __ATOMIC_RELAXED) !=
           __atomic_load_n(&l->tail, __ATOMIC_RELAXED);
}

#define spin_lock_irqsave(l, flags) \
    do                              \
    {                               \
        (flags) = local_irq_save(); \
        spin_lock(l);               \
    } while ( 0 )

#define spin_unlock_irqrestore(l, flags) \
    do                                   \
    {                                    \
        spin_unlock(l);                  \
        local_irq_restore(flags);        \
    } while ( 0 )

#endif /* HV_SPINLOCK_H */
