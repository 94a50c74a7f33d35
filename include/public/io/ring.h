/*
 * Shared I/O rings: the request/response ring every Xen split driver uses,
 * with Xen's macro names, semantics and shared-page layout (checked against
 * Debian's libxen-dev by tests/unit/abi), written for Tessera.
 *
 * Locking: none; one producer and one consumer per direction, each side in
 * its own domain.  The shared page holds free-running indexes (they wrap
 * at 2^32; a slot is index & (size - 1)) and a power-of-two array of
 * entries, each a request or a response:
 *
 *   req_prod   the frontend has published requests up to here
 *   req_event  the backend wants an event once req_prod passes this
 *   rsp_prod   the backend has published responses up to here
 *   rsp_event  the frontend wants an event once rsp_prod passes this
 *
 * Each side keeps private indexes in its own memory (front: req_prod_pvt,
 * rsp_cons; back: rsp_prod_pvt, req_cons) and treats every value it reads
 * from the page as hostile: take a request with RING_COPY_REQUEST (one
 * read of the whole entry) and bound the work by
 * RING_HAS_UNCONSUMED_REQUESTS, which never reports more than the ring
 * can hold.
 */
#ifndef PUBLIC_IO_RING_H
#define PUBLIC_IO_RING_H

#include <stddef.h>
#include <stdint.h>

typedef unsigned int RING_IDX;

/* Barriers between the data and the index writes (x86: stores in order). */
#ifndef xen_mb
#define xen_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif
#ifndef xen_rmb
#define xen_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#endif
#ifndef xen_wmb
#define xen_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#endif

/* The largest power of two not above x (x < 2^32; 0 stays 0). */
#define XEN_RING_P2_2(x) (((x)&0x2U) ? 0x2U : ((x)&0x1U))
#define XEN_RING_P2_4(x) \
    (((x)&0xcU) ? XEN_RING_P2_2((x) >> 2) << 2 : XEN_RING_P2_2(x))
#define XEN_RING_P2_8(x) \
    (((x)&0xf0U) ? XEN_RING_P2_4((x) >> 4) << 4 : XEN_RING_P2_4(x))
#define XEN_RING_P2_16(x) \
    (((x)&0xff00U) ? XEN_RING_P2_8((x) >> 8) << 8 : XEN_RING_P2_8(x))
#define XEN_RING_P2_32(x) \
    (((x)&0xffff0000U) ? XEN_RING_P2_16((x) >> 16) << 16 : XEN_RING_P2_16(x))

/* Entries of a ring in _sz bytes: the shared ring's or a type's. */
#define __RING_SIZE(_s, _sz)                                           \
    XEN_RING_P2_32(                                                    \
        (unsigned int)(((_sz) - ((char *)(_s)->ring - (char *)(_s))) / \
                       sizeof((_s)->ring[0])))
#define __CONST_RING_SIZE(_name, _sz)                                 \
    XEN_RING_P2_32(                                                   \
        (unsigned int)(((_sz)-offsetof(struct _name##_sring, ring)) / \
                       sizeof(((struct _name##_sring *)0)->ring[0])))

/*
 * The types of one ring: union _name##_sring_entry, struct _name##_sring
 * (the shared page), struct _name##_front_ring and _name##_back_ring (each
 * side's private state) and their typedefs.
 */
#define DEFINE_RING_TYPES(_name, _req_t, _rsp_t)                \
    union _name##_sring_entry                                   \
    {                                                           \
        _req_t req;                                             \
        _rsp_t rsp;                                             \
    };                                                          \
    struct _name##_sring                                        \
    {                                                           \
        RING_IDX req_prod, req_event;                           \
        RING_IDX rsp_prod, rsp_event;                           \
        uint8_t __pad[48];                                      \
        union _name##_sring_entry ring[1]; /* as many as fit */ \
    };                                                          \
    struct _name##_front_ring                                   \
    {                                                           \
        RING_IDX req_prod_pvt;                                  \
        RING_IDX rsp_cons;                                      \
        unsigned int nr_ents;                                   \
        struct _name##_sring *sring;                            \
    };                                                          \
    struct _name##_back_ring                                    \
    {                                                           \
        RING_IDX rsp_prod_pvt;                                  \
        RING_IDX req_cons;                                      \
        unsigned int nr_ents;                                   \
        struct _name##_sring *sring;                            \
    };                                                          \
    typedef struct _name##_sring _name##_sring_t;               \
    typedef struct _name##_front_ring _name##_front_ring_t;     \
    typedef struct _name##_back_ring _name##_back_ring_t

/* The side that creates the page sets it up once. */
#define SHARED_RING_INIT(_s)                                        \
    do                                                              \
    {                                                               \
        (_s)->req_prod = (_s)->rsp_prod = 0;                        \
        (_s)->req_event = (_s)->rsp_event = 1;                      \
        for ( unsigned int _i = 0; _i < sizeof((_s)->__pad); _i++ ) \
            (_s)->__pad[_i] = 0;                                    \
    } while ( 0 )

#define FRONT_RING_ATTACH(_r, _s, _i, __size)    \
    do                                           \
    {                                            \
        (_r)->req_prod_pvt = (_i);               \
        (_r)->rsp_cons = (_i);                   \
        (_r)->nr_ents = __RING_SIZE(_s, __size); \
        (_r)->sring = (_s);                      \
    } while ( 0 )
#define FRONT_RING_INIT(_r, _s, __size) FRONT_RING_ATTACH(_r, _s, 0, __size)

#define BACK_RING_ATTACH(_r, _s, _i, __size)     \
    do                                           \
    {                                            \
        (_r)->rsp_prod_pvt = (_i);               \
        (_r)->req_cons = (_i);                   \
        (_r)->nr_ents = __RING_SIZE(_s, __size); \
        (_r)->sring = (_s);                      \
    } while ( 0 )
#define BACK_RING_INIT(_r, _s, __size) BACK_RING_ATTACH(_r, _s, 0, __size)

#define RING_SIZE(_r) ((_r)->nr_ents)

/* Front: requests it may still queue; is the ring full? */
#define RING_FREE_REQUESTS(_r) \
    (RING_SIZE(_r) - ((_r)->req_prod_pvt - (_r)->rsp_cons))
#define RING_FULL(_r) (RING_FREE_REQUESTS(_r) == 0)

/* Front: responses published and not yet taken. */
#define RING_HAS_UNCONSUMED_RESPONSES(_r) \
    ((_r)->sring->rsp_prod - (_r)->rsp_cons)

/*
 * Back: requests published and not yet taken, never more than the slots
 * not holding an unconsumed response (a hostile req_prod cannot make the
 * backend read past what the frontend may have written).
 */
#define RING_HAS_UNCONSUMED_REQUESTS(_r)                            \
    ({                                                              \
        unsigned int _req = (_r)->sring->req_prod - (_r)->req_cons; \
        unsigned int _rsp =                                         \
            RING_SIZE(_r) - ((_r)->req_cons - (_r)->rsp_prod_pvt);  \
        _req < _rsp ? _req : _rsp;                                  \
    })

/* The entry at a free-running index. */
#define RING_GET_REQUEST(_r, _idx) \
    (&((_r)->sring->ring[(_idx) & (RING_SIZE(_r) - 1)].req))
#define RING_GET_RESPONSE(_r, _idx) \
    (&((_r)->sring->ring[(_idx) & (RING_SIZE(_r) - 1)].rsp))

/* One read of a whole entry into private memory (no double fetch). */
#define RING_COPY_REQUEST(_r, _idx, _req) \
    (*(_req) = *(volatile __typeof__(_req))RING_GET_REQUEST(_r, _idx))
#define RING_COPY_RESPONSE(_r, _idx, _rsp) \
    (*(_rsp) = *(volatile __typeof__(_rsp))RING_GET_RESPONSE(_r, _idx))

/* Back: would taking the request at cons overrun its own responses? */
#define RING_REQUEST_CONS_OVERFLOW(_r, _cons) \
    (((_cons) - (_r)->rsp_prod_pvt) >= RING_SIZE(_r))
/* Is a producer index read from the page impossible? */
#define RING_REQUEST_PROD_OVERFLOW(_r, _prod) \
    (((_prod) - (_r)->rsp_prod_pvt) > RING_SIZE(_r))
#define RING_RESPONSE_PROD_OVERFLOW(_r, _prod) \
    (((_prod) - (_r)->rsp_cons) > RING_SIZE(_r))

/* Publish what was queued privately (entries before the index). */
#define RING_PUSH_REQUESTS(_r)                      \
    do                                              \
    {                                               \
        xen_wmb();                                  \
        (_r)->sring->req_prod = (_r)->req_prod_pvt; \
    } while ( 0 )
#define RING_PUSH_RESPONSES(_r)                     \
    do                                              \
    {                                               \
        xen_wmb();                                  \
        (_r)->sring->rsp_prod = (_r)->rsp_prod_pvt; \
    } while ( 0 )

/*
 * Publish and say whether the other side asked to be told: its event index
 * lies in (old, new].  One body for both directions.
 */
#define XEN_RING_PUSH_NOTIFY(_r, _prod, _pvt, _event, _notify)                \
    do                                                                        \
    {                                                                         \
        RING_IDX _old = (_r)->sring->_prod;                                   \
        RING_IDX _new = (_r)->_pvt;                                           \
        xen_wmb();                                                            \
        (_r)->sring->_prod = _new;                                            \
        xen_mb();                                                             \
        (_notify) =                                                           \
            (RING_IDX)(_new - (_r)->sring->_event) < (RING_IDX)(_new - _old); \
    } while ( 0 )
#define RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(_r, _notify) \
    XEN_RING_PUSH_NOTIFY(_r, req_prod, req_prod_pvt, req_event, _notify)
#define RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(_r, _notify) \
    XEN_RING_PUSH_NOTIFY(_r, rsp_prod, rsp_prod_pvt, rsp_event, _notify)

/*
 * Before sleeping: anything left?  If not, ask for an event at the next
 * one and look once more (it may have arrived in between).
 */
#define XEN_RING_FINAL_CHECK(_r, _has, _event, _cons, _work_to_do) \
    do                                                             \
    {                                                              \
        (_work_to_do) = _has(_r);                                  \
        if ( _work_to_do )                                         \
            break;                                                 \
        (_r)->sring->_event = (_r)->_cons + 1;                     \
        xen_mb();                                                  \
        (_work_to_do) = _has(_r);                                  \
    } while ( 0 )
#define RING_FINAL_CHECK_FOR_REQUESTS(_r, _work_to_do)                \
    XEN_RING_FINAL_CHECK(_r, RING_HAS_UNCONSUMED_REQUESTS, req_event, \
                         req_cons, _work_to_do)
#define RING_FINAL_CHECK_FOR_RESPONSES(_r, _work_to_do)                \
    XEN_RING_FINAL_CHECK(_r, RING_HAS_UNCONSUMED_RESPONSES, rsp_event, \
                         rsp_cons, _work_to_do)

#endif /* PUBLIC_IO_RING_H */
