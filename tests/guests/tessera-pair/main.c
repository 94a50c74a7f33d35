/*
 * tessera-pair: grants between domains the builder started side by side
 * (tests/builder/pair/, tests/boot/builder-pair.sh).  One binary, three
 * roles from the command line:
 *
 *   role=granter peer=M   grants ref 8 (a page with a pattern, its
 *                         checksum and an unbound port for M) to domain M,
 *                         answers each ping on that port with a pong, waits for M's reply in
 *                         the page, then for the end of access
 *                         (GTF_reading/GTF_writing clear), copies M's
 *                         grant 9 into its own page and copies a last
 *                         message back into it
 *   role=mapper peer=G    grants ref 9 to G, maps G's ref 8 read-write
 *                         (retrying until G has written it), checks the
 *                         checksum, binds to G's port and makes 1000
 *                         ping-pong round trips, sends 10000 requests
 *                         over a ring on its page granted as ref 10
 *                         (G serves them), writes a reply, unmaps, and waits for
 *                         G's message in its own page
 *   role=thief peer=G     maps G's ref 8, which is not meant for it:
 *                         refused every time while G exists (then
 *                         GNTST_bad_domain), while the others go on
 *
 *   role=flipper/flip-mapper peer=N
 *                         a granter rewriting an entry while it is mapped
 *   role=pp-server/pp-client peer=N
 *                         bench/pingpong.sh: event round trips and
 *                         yields between two domains, in TSC cycles
 *
 * The waits are rendezvous with a deadline (the peer is another domain
 * starting at its own pace), not timing assumptions: each ends as soon as
 * the awaited state is there.  Tessera-only (it relies on the builder's
 * domain numbering, given on the command line).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <public/errno.h>
#include <public/grant_table.h>
#include <public/io/ring.h>
#include <public/sched.h>
#include <rt/events.h>
#include <rt/gnttab.h>
#include <rt/mm.h>
#include <rt/rt.h>
#include <rt/time.h>

#include "../lib/test.h"

const char test_title[] = "tessera-pair: grants between two domains";

#define DEADLINE_NS 20000000000ULL /* the peer is started within it */
#define REF_PAGE    8
#define REF_REPLY   9

#define ROUND_TRIPS   1000
#define BLOCKED_TRIPS 100 /* of them, waiting in SCHEDOP_block */
#define REF_RING      10
#define RING_REQS     10000

/* The ring the mapper (front) and the granter (back) share. */
struct pair_req
{
    uint64_t id;
    uint32_t sum;
    uint32_t len;
};
struct pair_rsp
{
    uint64_t id;
    uint32_t sum; /* ~request sum */
    int32_t status;
};
DEFINE_RING_TYPES(pair, struct pair_req, struct pair_rsp);

static uint32_t req_sum(uint64_t id)
{
    return (uint32_t)(id * 2654435761U) ^ 0x3c3c3c3cU;
}

struct shared
{
    uint32_t sum;        /* of data[] */
    uint32_t reply;      /* the mapper's answer: sum ^ 0x5a5a5a5a */
    uint32_t port;       /* the granter's unbound port for the mapper */
    uint32_t pongs;      /* round trips the mapper completed */
    uint32_t ring_ready; /* the mapper's ring (its ref 10) is set up */
    uint8_t data[4000];
};

static volatile int pings, pong, kick;

/*
 * The granter: every ping is answered at once; once the mapper has said
 * its ring is ready (before its first ring event), events are ring kicks.
 */
static void on_ping(evtchn_port_t port, void *data)
{
    const volatile struct shared *s = data;

    if ( __atomic_load_n(&s->ring_ready, __ATOMIC_ACQUIRE) )
    {
        kick = 1;
        return;
    }
    pings++;
    xen_evtchn_send(port);
}

static void on_pong(evtchn_port_t port, void *data)
{
    (void)port;
    (void)data;
    pong = 1;
}

static domid_t peer;

static const char *arg(const char *key)
{
    const char *p = strstr((const char *)xen_start_info->cmd_line, key);

    return p ? p + strlen(key) : NULL;
}

static uint32_t sum_of(const uint8_t *d, size_t n)
{
    uint32_t s = 0;

    while ( n-- )
        s = s * 31 + *d++;
    return s;
}

/* A zeroed page of ours, mapped; its frame in *mfn. */
static void *page_of(unsigned long *mfn)
{
    long pfn = xen_pfn_alloc_zeroed();

    if ( pfn < 0 || xen_pfn_map((unsigned long)pfn, XEN_PTE_DATA) )
        test_error("no page");
    *mfn = xen_pfn_to_mfn((unsigned long)pfn);
    return xen_pfn_to_virt((unsigned long)pfn);
}

static bool before_deadline(uint64_t start)
{
    HYPERVISOR_sched_op(SCHEDOP_yield, 0);
    return xen_system_time() - start < DEADLINE_NS;
}

/*
 * The granter as the ring's back end: map the mapper's ring page, serve
 * RING_REQS requests (each copied once, its checksum checked), answer
 * each, notify when the front asked for it, sleep on the port otherwise.
 */
static void serve_ring(volatile struct shared *s, uint64_t t0)
{
    pair_back_ring_t b;
    uint8_t *at = xen_va_hole();
    unsigned int served = 0, bad = 0;
    grant_handle_t h = 0;
    int16_t st;

    while ( !__atomic_load_n(&s->ring_ready, __ATOMIC_ACQUIRE) &&
            before_deadline(t0) )
        ;
    st = xen_gnttab_map(peer, REF_RING, at, false, &h);
    test_check(st == GNTST_okay, "map the mapper's ring: %d", st);
    if ( st )
        return;
    BACK_RING_INIT(&b, (pair_sring_t *)at, 4096);
    while ( served < RING_REQS && before_deadline(t0) )
    {
        int more, notify;

        while ( RING_HAS_UNCONSUMED_REQUESTS(&b) )
        {
            struct pair_req q;
            struct pair_rsp *p;

            RING_COPY_REQUEST(&b, b.req_cons, &q);
            b.req_cons++;
            bad += q.id != served || q.sum != req_sum(q.id);
            p = RING_GET_RESPONSE(&b, b.rsp_prod_pvt);
            p->id = q.id;
            p->sum = ~q.sum;
            p->status = 0;
            b.rsp_prod_pvt++;
            served++;
        }
        RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&b, notify);
        if ( notify )
            xen_evtchn_send((evtchn_port_t)s->port);
        RING_FINAL_CHECK_FOR_REQUESTS(&b, more);
        if ( !more && served < RING_REQS )
        {
            xen_wait_flag(&kick, 1000000000ULL);
            kick = 0;
        }
    }
    test_check(served == RING_REQS && !bad, "served %u of %u, %u bad", served,
               RING_REQS, bad);
    test_info("served %u ring requests from domain %u", served, peer);
    {
        struct gnttab_unmap_grant_ref u = { .host_addr = (uint64_t)at,
                                            .handle = h };

        HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, XEN_ARG(&u), 1);
        test_check(u.status == GNTST_okay, "unmap the ring: %d", u.status);
    }
}

/*
 * The mapper as the front end, over its own page granted to the granter
 * (ref 10): RING_REQS requests, every response checked, in order.
 */
static void drive_ring(volatile struct shared *s, evtchn_port_t port,
                       uint64_t t0)
{
    unsigned long mfn;
    pair_sring_t *sr = page_of(&mfn);
    pair_front_ring_t f;
    unsigned int sent = 0, answered = 0, bad = 0;

    SHARED_RING_INIT(sr);
    FRONT_RING_INIT(&f, sr, 4096);
    xen_gnttab_grant_at(REF_RING, peer, mfn, false);
    __atomic_store_n(&s->ring_ready, 1, __ATOMIC_RELEASE);
    while ( answered < RING_REQS && before_deadline(t0) )
    {
        int notify, more;

        while ( sent < RING_REQS && !RING_FULL(&f) )
        {
            struct pair_req *q = RING_GET_REQUEST(&f, f.req_prod_pvt);

            q->id = sent;
            q->sum = req_sum(sent);
            q->len = 0;
            f.req_prod_pvt++;
            sent++;
        }
        RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&f, notify);
        if ( notify )
            xen_evtchn_send(port);
        while ( RING_HAS_UNCONSUMED_RESPONSES(&f) )
        {
            struct pair_rsp p;

            RING_COPY_RESPONSE(&f, f.rsp_cons, &p);
            f.rsp_cons++;
            bad += p.id != answered || p.sum != ~req_sum(p.id) || p.status;
            answered++;
        }
        RING_FINAL_CHECK_FOR_RESPONSES(&f, more);
        if ( !more && answered < RING_REQS && RING_FULL(&f) )
        {
            xen_wait_flag(&pong, 1000000000ULL);
            pong = 0;
        }
    }
    test_check(answered == RING_REQS && !bad, "answered %u of %u, %u bad",
               answered, RING_REQS, bad);
    test_info("%u ring requests answered by domain %u", answered, peer);
}

static void granter(void)
{
    unsigned long mfn, mine;
    volatile struct shared *s = page_of(&mfn);
    uint8_t *copy_to = page_of(&mine);
    uint64_t t0 = xen_system_time();
    unsigned int i;
    int16_t st;
    long rc;

    for ( i = 0; i < sizeof(s->data); i++ )
        s->data[i] = (uint8_t)(i * 13 + 7);
    s->sum = sum_of((const uint8_t *)s->data, sizeof(s->data));
    rc = xen_evtchn_alloc_unbound(peer, on_ping, (void *)s);
    if ( rc < 0 )
        test_error("alloc_unbound for domain %u: %ld", peer, rc);
    s->port = (uint32_t)rc;
    xen_events_enable(); /* pings arrive while we wait below */
    xen_gnttab_grant_at(REF_PAGE, peer, mfn, false);
    test_info("granted ref %u (sum %#x) to domain %u", REF_PAGE, s->sum, peer);
    serve_ring(s, t0);
    while ( __atomic_load_n(&s->reply, __ATOMIC_ACQUIRE) !=
                (s->sum ^ 0x5a5a5a5aU) &&
            before_deadline(t0) )
        ;
    test_check(s->reply == (s->sum ^ 0x5a5a5a5aU), "reply %#x", s->reply);
    test_check(pings == ROUND_TRIPS && s->pongs == ROUND_TRIPS,
               "pings %d seen here, %u pongs there (of %u)", pings, s->pongs,
               ROUND_TRIPS);
    test_info("%d event round trips with domain %u", pings, peer);
    /* End of access: the mapper unmapped, the flags say so. */
    while ( (rc = xen_gnttab_end(REF_PAGE)) == -XEN_EBUSY &&
            before_deadline(t0) )
        ;
    test_check(rc == 0, "end of access to ref %u: %ld", REF_PAGE, rc);
    /* The mapper's grant 9, copied into a page of ours. */
    do
        st = xen_gnttab_copy(peer, REF_REPLY, 0, mine, 0, 16, true);
    while ( st != GNTST_okay && before_deadline(t0) );
    test_check(st == GNTST_okay && !memcmp(copy_to, "from the mapper", 16),
               "copy from the mapper's grant: %d", st);
    /* And back into it: the mapper waits for this. */
    strcpy((char *)copy_to, "granter done");
    st = xen_gnttab_copy(peer, REF_REPLY, 0, mine, 0, 13, false);
    test_check(st == GNTST_okay, "copy into the mapper's grant: %d", st);
}

static void mapper(void)
{
    volatile struct shared *s = xen_va_hole();
    unsigned long mfn;
    char *mine = page_of(&mfn);
    uint64_t t0 = xen_system_time();
    grant_handle_t h = 0;
    int16_t st;

    strcpy(mine, "from the mapper");
    xen_gnttab_grant_at(REF_REPLY, peer, mfn, false);
    while ( (st = xen_gnttab_map(peer, REF_PAGE, (void *)s, false, &h)) !=
                GNTST_okay &&
            before_deadline(t0) )
        ;
    test_check(st == GNTST_okay, "map domain %u's ref %u: %d", peer, REF_PAGE,
               st);
    if ( st )
        return;
    test_check(s->sum == sum_of((const uint8_t *)s->data, sizeof(s->data)),
               "checksum %#x", s->sum);
    /* The granter's port: ping, await the pong, ROUND_TRIPS times. */
    {
        long port = xen_evtchn_bind_interdomain(peer, s->port, on_pong, NULL);
        unsigned int n;

        test_check(port > 0, "bind_interdomain to %u:%u: %ld", peer, s->port,
                   port);
        /* Binding sets our new port pending (Xen's rule): one event now. */
        test_check(port > 0 && xen_wait_flag(&pong, 5000000000ULL),
                   "no event on the freshly bound port");
        for ( n = 0; port > 0 && n < ROUND_TRIPS; n++ )
        {
            pong = 0;
            if ( xen_evtchn_send((evtchn_port_t)port) )
                break;
            if ( n < ROUND_TRIPS - BLOCKED_TRIPS )
            {
                if ( !xen_wait_flag(&pong, 5000000000ULL) )
                    break;
                continue;
            }
            /*
             * The last ones blocked, not spinning: the pong, sent from the
             * granter's CPU (the cfgs pin the two apart), must wake us.
             */
            /*
             * Masked while looking, so the pong cannot slip in between the
             * look and the block: SCHEDOP_block unmasks and returns at
             * once if an event is already pending.
             */
            xen_events_disable();
            while ( !pong && before_deadline(t0) )
            {
                HYPERVISOR_sched_op(SCHEDOP_block, 0);
                xen_events_disable();
            }
            xen_events_enable();
            if ( !pong )
                break;
        }
        s->pongs = n;
        test_check(n == ROUND_TRIPS, "%u of %u round trips", n, ROUND_TRIPS);
        test_info("round trips: %u, the last %u of them blocked", n,
                  BLOCKED_TRIPS);
        if ( port > 0 )
        {
            drive_ring(s, (evtchn_port_t)port, t0);
            xen_evtchn_close((evtchn_port_t)port);
        }
    }
    __atomic_store_n(&s->reply, s->sum ^ 0x5a5a5a5aU, __ATOMIC_RELEASE);
    {
        struct gnttab_unmap_grant_ref u = { .host_addr = (uint64_t)s,
                                            .handle = h };

        test_expect_rc(
            HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, XEN_ARG(&u), 1),
            0, "unmap");
        test_check(u.status == GNTST_okay, "unmap status %d", u.status);
    }
    /* Until the granter has copied our grant and written back into it. */
    while ( memcmp(mine, "granter done", 13) && before_deadline(t0) )
        ;
    test_check(!memcmp(mine, "granter done", 13), "the granter's copy: '%.13s'",
               mine);
    test_check(xen_gnttab_end(REF_REPLY) == 0 && xen_gnttab_end(REF_RING) == 0,
               "end of access to refs %u and %u", REF_REPLY, REF_RING);
}

static void thief(void)
{
    void *at = xen_va_hole();
    unsigned int tries, refused = 0;
    grant_handle_t h;

    /* While the granter exists (then: GNTST_bad_domain, and we stop). */
    for ( tries = 0; tries < 200; tries++ )
    {
        int16_t st = xen_gnttab_map(peer, REF_PAGE, at, false, &h);

        if ( st == GNTST_bad_domain )
            break;
        refused += st == GNTST_general_error;
        if ( st == GNTST_okay )
            test_fail("mapped domain %u's grant meant for another", peer);
        HYPERVISOR_sched_op(SCHEDOP_yield, 0);
    }
    test_check(refused && refused == tries,
               "%u of %u refused with general_error", refused, tries);
    test_info("every attempt (%u) on a grant meant for another domain "
              "refused",
              refused);
}

/* ---- a hostile granter (tests/boot/builder-pair.sh, flip) ------------------ */

#define FLIP_MAPS 2000

/*
 * flipper: rewrites its ref 8 without pause while the peer maps it —
 * domid (the peer, another), frame (two pages of its own, one not its
 * own), flags (read-write, read-only, invalid) — with plain stores, as a
 * hostile guest would; ref 9 (a page the peer writes "done" into) ends
 * it.  Afterwards no status bit may be left on ref 8.
 */
static void flipper(void)
{
    unsigned long a, b, c;
    uint8_t *pa = page_of(&a), *pb = page_of(&b);
    volatile char *done = page_of(&c);
    struct grant_entry_v1 *e = &xen_gnttab_table()[REF_PAGE];
    uint64_t t0 = xen_system_time();
    unsigned int i = 0;
    long rc;

    memset(pa, 'A', 4096);
    memset(pb, 'B', 4096);
    xen_gnttab_grant_at(REF_PAGE, peer, a, false);
    xen_gnttab_grant_at(REF_REPLY, peer, c, false);
    while ( memcmp((const char *)done, "done", 5) && before_deadline(t0) )
        for ( int k = 0; k < 64; k++, i++ )
        {
            volatile uint16_t *flags = &e->flags;

            e->domid = (i % 7 == 3) ? peer + 1 : peer;
            e->frame = (uint32_t)((i % 5 == 4) ? 1 : (i & 1) ? b : a);
            *flags = (i % 11 == 5)  ? GTF_invalid
                     : (i % 3 == 1) ? GTF_permit_access | GTF_readonly
                                    : GTF_permit_access;
        }
    test_check(!memcmp((const char *)done, "done", 5),
               "the mapper never finished");
    test_info("%u rewrites of ref %u while it was being mapped", i, REF_PAGE);
    /* Every pin went with its unmap: the entry can be ended now. */
    e->flags = GTF_permit_access;
    e->domid = peer;
    rc = xen_gnttab_end(REF_PAGE);
    test_check(rc == 0, "status bits left on ref %u: flags %#x (%ld)", REF_PAGE,
               e->flags, rc);
    while ( (rc = xen_gnttab_end(REF_REPLY)) == -XEN_EBUSY &&
            before_deadline(t0) )
        ;
    test_check(rc == 0, "end of access to ref %u: %ld", REF_REPLY, rc);
}

/*
 * flip-mapper: maps the flipper's ref 8 FLIP_MAPS times, read-write and
 * read-only in turn.  Each map either fails with the documented errors or
 * maps one of the flipper's two pages (never anything else), and each
 * successful map unmaps cleanly.
 */
static void flip_mapper(void)
{
    volatile char *done = xen_va_hole();
    uint8_t *at = xen_va_hole();
    uint64_t t0 = xen_system_time();
    unsigned int i, ok = 0, refused = 0, odd = 0;
    grant_handle_t hd = 0, h;
    int16_t st;

    while ( (st = xen_gnttab_map(peer, REF_REPLY, (void *)done, false, &hd)) !=
                GNTST_okay &&
            before_deadline(t0) )
        ;
    if ( st )
        test_error("map the flipper's ref %u: %d", REF_REPLY, st);
    for ( i = 0; i < FLIP_MAPS; i++ )
    {
        st = xen_gnttab_map(peer, REF_PAGE, at, i & 1, &h);
        if ( st == GNTST_general_error || st == GNTST_bad_page )
        {
            refused++;
            continue;
        }
        if ( st != GNTST_okay )
        {
            odd++;
            continue;
        }
        ok++;
        odd += at[0] != 'A' && at[0] != 'B';
        odd += xen_gnttab_unmap(at, h) != GNTST_okay;
    }
    test_check(!odd, "%u unexpected answers or contents", odd);
    test_info("%u maps of a flipping entry: %u mapped one of its pages, %u "
              "refused",
              i, ok, refused);
    memcpy((char *)done, "done", 5);
    test_check(xen_gnttab_unmap((void *)done, hd) == GNTST_okay, "unmap");
}

/* ---- benchmark roles (bench/pingpong.sh) -------------------------------- */

#define BENCH_ROUNDS 5
#define BENCH_OPS    1000

static void on_echo(evtchn_port_t port, void *data)
{
    (void)data;
    xen_evtchn_send(port);
}

/*
 * pp-server: answer every event at once, and yield until the client says
 * it is done (so that a client on the same CPU always has us to switch
 * to).
 */
static void pp_server(void)
{
    unsigned long mfn;
    volatile struct shared *s = page_of(&mfn);
    uint64_t t0 = xen_system_time();
    long rc = xen_evtchn_alloc_unbound(peer, on_echo, NULL);

    if ( rc < 0 )
        test_error("alloc_unbound: %ld", rc);
    s->port = (uint32_t)rc;
    xen_events_enable();
    xen_gnttab_grant_at(REF_PAGE, peer, mfn, false);
    while ( !__atomic_load_n(&s->reply, __ATOMIC_ACQUIRE) &&
            before_deadline(t0) )
        ;
    test_check(s->reply, "the client never finished");
}

/* Best batch, in TSC cycles per operation. */
static uint64_t best_of(void (*op)(void *), void *arg)
{
    uint64_t best = ~0ULL;

    for ( int r = 0; r < BENCH_ROUNDS; r++ )
    {
        uint64_t t0 = xen_rdtsc();

        for ( int i = 0; i < BENCH_OPS; i++ )
            op(arg);
        t0 = (xen_rdtsc() - t0) / BENCH_OPS;
        if ( t0 < best )
            best = t0;
    }
    return best;
}

static bool pp_failed;

static void round_trip(void *arg)
{
    evtchn_port_t port = (evtchn_port_t)(uintptr_t)arg;

    pong = 0;
    if ( xen_evtchn_send(port) || !xen_wait_flag(&pong, 5000000000ULL) )
        pp_failed = true;
}

static void yield_once(void *arg)
{
    (void)arg;
    HYPERVISOR_sched_op(SCHEDOP_yield, 0);
}

/* pp-client: event round trips and yields with the server, measured. */
static void pp_client(void)
{
    volatile struct shared *s = xen_va_hole();
    uint64_t t0 = xen_system_time();
    grant_handle_t h = 0;
    int16_t st;
    long port;

    while ( (st = xen_gnttab_map(peer, REF_PAGE, (void *)s, false, &h)) !=
                GNTST_okay &&
            before_deadline(t0) )
        ;
    if ( st )
        test_error("map the server's page: %d", st);
    port = xen_evtchn_bind_interdomain(peer, s->port, on_pong, NULL);
    if ( port < 0 )
        test_error("bind_interdomain: %ld", port);
    xen_wait_flag(&pong, 5000000000ULL); /* the bind's own event */
    printf("BENCH evtchn_pingpong %lu\n",
           (unsigned long)best_of(round_trip, (void *)(uintptr_t)port));
    test_check(!pp_failed, "a round trip went unanswered");
    printf("BENCH yield_two_domains %lu\n",
           (unsigned long)best_of(yield_once, NULL));
    __atomic_store_n(&s->reply, 1, __ATOMIC_RELEASE);
    xen_evtchn_close((evtchn_port_t)port);
    test_check(xen_gnttab_unmap((void *)s, h) == GNTST_okay, "unmap");
}

void test_main(void)
{
    const char *role = arg("role="), *p = arg("peer=");

    if ( !role || !p )
        test_error("command line needs role= and peer=");
    peer = (domid_t)strtoul(p, NULL, 10);
    if ( xen_gnttab_init() )
        test_error("grant table");
    if ( !strncmp(role, "granter", 7) )
        granter();
    else if ( !strncmp(role, "mapper", 6) )
        mapper();
    else if ( !strncmp(role, "thief", 5) )
        thief();
    else if ( !strncmp(role, "flipper", 7) )
        flipper();
    else if ( !strncmp(role, "flip-mapper", 11) )
        flip_mapper();
    else if ( !strncmp(role, "pp-server", 9) )
        pp_server();
    else if ( !strncmp(role, "pp-client", 9) )
        pp_client();
    else
        test_error("unknown role");
    test_pass_if_clean();
}
