/*
 * include/public/io/ring.h: a front and a back end over one page in this
 * process.  Many requests through the ring (across the 2^32 index wrap)
 * arrive in order and intact, responses likewise; the event indexes give a
 * notification exactly when the other side asked for one; a hostile
 * req_prod never makes the back end see more than the ring holds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <public/io/ring.h>

struct req
{
    uint64_t id;
    uint32_t sum;
    uint32_t len;
};
struct rsp
{
    uint64_t id;
    uint32_t sum;
    int32_t status;
};
DEFINE_RING_TYPES(t, struct req, struct rsp);

static union
{
    t_sring_t s;
    uint8_t page[4096];
} shared;

static uint32_t sum_of(uint64_t id)
{
    return (uint32_t)(id * 2654435761U) ^ 0xa5a5a5a5U;
}

static void test_layout(void **state)
{
    t_front_ring_t f;

    (void)state;
    SHARED_RING_INIT(&shared.s);
    assert_int_equal(shared.s.req_event, 1);
    assert_int_equal(shared.s.rsp_event, 1);
    assert_int_equal(offsetof(t_sring_t, ring), 64);
    FRONT_RING_INIT(&f, &shared.s, 4096);
    /* (4096 - 64) / 16 = 252 entries fit: rounded down to 128. */
    assert_int_equal(RING_SIZE(&f), 128);
    assert_int_equal(__CONST_RING_SIZE(t, 4096), 128);
    assert_int_equal(__CONST_RING_SIZE(t, 64 + 16), 1);
    assert_int_equal(RING_FREE_REQUESTS(&f), 128);
}

/* n requests through a ring whose indexes start at start. */
static void run(RING_IDX start, unsigned int n)
{
    t_front_ring_t f;
    t_back_ring_t b;
    unsigned int sent = 0, served = 0, answered = 0;

    SHARED_RING_INIT(&shared.s);
    shared.s.req_prod = shared.s.rsp_prod = start;
    FRONT_RING_ATTACH(&f, &shared.s, start, 4096);
    BACK_RING_ATTACH(&b, &shared.s, start, 4096);
    while ( answered < n )
    {
        /* The front queues what fits (a varying batch). */
        unsigned int batch = 1 + (sent * 7) % 200;

        while ( batch-- && sent < n && !RING_FULL(&f) )
        {
            struct req *r = RING_GET_REQUEST(&f, f.req_prod_pvt);

            r->id = sent;
            r->sum = sum_of(sent);
            f.req_prod_pvt++;
            sent++;
        }
        RING_PUSH_REQUESTS(&f);
        /* The back serves every request it sees. */
        while ( RING_HAS_UNCONSUMED_REQUESTS(&b) )
        {
            struct req q;
            struct rsp *p;

            assert_false(RING_REQUEST_CONS_OVERFLOW(&b, b.req_cons));
            RING_COPY_REQUEST(&b, b.req_cons, &q);
            b.req_cons++;
            assert_int_equal(q.id, served);
            assert_int_equal(q.sum, sum_of(q.id));
            p = RING_GET_RESPONSE(&b, b.rsp_prod_pvt);
            p->id = q.id;
            p->sum = ~q.sum;
            p->status = 0;
            b.rsp_prod_pvt++;
            served++;
        }
        RING_PUSH_RESPONSES(&b);
        /* The front takes the responses. */
        while ( RING_HAS_UNCONSUMED_RESPONSES(&f) )
        {
            struct rsp p;

            RING_COPY_RESPONSE(&f, f.rsp_cons, &p);
            f.rsp_cons++;
            assert_int_equal(p.id, answered);
            assert_int_equal(p.sum, ~sum_of(p.id));
            answered++;
        }
    }
    assert_int_equal(sent, n);
    assert_int_equal(served, n);
    assert_int_equal(RING_FREE_REQUESTS(&f), 128);
}

static void test_many(void **state)
{
    (void)state;
    run(0, 100000);
}

static void test_index_wrap(void **state)
{
    (void)state;
    run(0xffffff00U, 10000); /* the indexes wrap through 0 */
}

static void test_notify(void **state)
{
    t_front_ring_t f;
    t_back_ring_t b;
    int notify, work;

    (void)state;
    SHARED_RING_INIT(&shared.s);
    FRONT_RING_INIT(&f, &shared.s, 4096);
    BACK_RING_INIT(&b, &shared.s, 4096);
    /* req_event 1: the first request notifies. */
    f.req_prod_pvt++;
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&f, notify);
    assert_true(notify);
    /* The back has not looked again: later requests do not notify. */
    f.req_prod_pvt++;
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&f, notify);
    assert_false(notify);
    /* It takes both, finds nothing more and asks for the next one. */
    b.req_cons += 2;
    b.rsp_prod_pvt += 2;
    RING_FINAL_CHECK_FOR_REQUESTS(&b, work);
    assert_false(work);
    assert_int_equal(shared.s.req_event, 3);
    f.req_prod_pvt++;
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&f, notify);
    assert_true(notify);
    /* A request that arrived before the final check is found by it. */
    RING_FINAL_CHECK_FOR_REQUESTS(&b, work);
    assert_true(work);
    /* Responses the same way. */
    b.rsp_prod_pvt = 2;
    RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&b, notify);
    assert_true(notify); /* rsp_event 1 lies in (0, 2] */
    f.rsp_cons = 2;
    RING_FINAL_CHECK_FOR_RESPONSES(&f, work);
    assert_false(work);
    assert_int_equal(shared.s.rsp_event, 3);
}

static void test_hostile_prod(void **state)
{
    t_back_ring_t b;

    (void)state;
    SHARED_RING_INIT(&shared.s);
    BACK_RING_INIT(&b, &shared.s, 4096);
    /* A frontend claiming far more requests than the ring holds. */
    shared.s.req_prod = 1000000;
    assert_int_equal(RING_HAS_UNCONSUMED_REQUESTS(&b), 128);
    assert_true(RING_REQUEST_PROD_OVERFLOW(&b, shared.s.req_prod));
    /* With 100 responses outstanding, only the other 28 slots count. */
    b.req_cons = 100;
    assert_int_equal(RING_HAS_UNCONSUMED_REQUESTS(&b), 28);
    assert_true(RING_REQUEST_CONS_OVERFLOW(&b, 228));
    assert_false(RING_REQUEST_CONS_OVERFLOW(&b, 127));
    /* Backwards: a req_prod behind req_cons is "2^32 - k", also capped. */
    shared.s.req_prod = 50;
    assert_true(RING_HAS_UNCONSUMED_REQUESTS(&b) <= 128);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout),       cmocka_unit_test(test_many),
        cmocka_unit_test(test_index_wrap),   cmocka_unit_test(test_notify),
        cmocka_unit_test(test_hostile_prod),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
