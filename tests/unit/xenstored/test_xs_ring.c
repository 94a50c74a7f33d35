/*
 * xenstored unit tests: the shared-ring transport over a plain page, in one
 * process and across two processes sharing a memfd page (fork)
 *
 * Locking: in the two-process test the page is the only shared state; each
 * side signals the other through a pipe (standing in for an event channel)
 * and every wait is a poll() with a timeout.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "xs_ring.h"
#include "xt.h"

static struct xs_ring_page *page;
static struct xs_ring ring;
static struct xs_conn *c0;
static unsigned int kicks;

static void kick(void *opaque)
{
    (void)opaque;
    kicks++;
}

static int setup(void **state)
{
    (void)state;
    xt_store(NULL);
    page = calloc(1, 4096);
    c0 = xt_conn(0);
    xs_ring_init(&ring, page, xt_conn(0), kick, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    xt_store_free();
    free(page);
    return 0;
}

static void put(uint32_t type, uint32_t req, const char *p, uint32_t len)
{
    struct xs_msg_hdr h = { .type = type, .req_id = req, .len = len };

    assert_int_equal(xs_ring_client_write(page, &h, sizeof(h)), sizeof(h));
    assert_int_equal(xs_ring_client_write(page, p, len), len);
}

/* Read one whole message from the reply ring (poll the server as needed). */
static struct xs_msg_hdr get(char *payload)
{
    struct xs_msg_hdr h;
    size_t got = 0;
    unsigned int spins = 0;

    while ( got < sizeof(h) )
    {
        got += xs_ring_client_read(page, (char *)&h + got, sizeof(h) - got);
        assert_true(xs_ring_poll(&ring) >= 0 || got == sizeof(h));
        assert_true(++spins < 100);
    }
    got = 0;
    while ( got < h.len )
    {
        got += xs_ring_client_read(page, payload + got, h.len - got);
        assert_true(xs_ring_poll(&ring) >= 0);
        assert_true(++spins < 100);
    }
    payload[h.len] = '\0';
    return h;
}

static void test_features_and_roundtrip(void **state)
{
    char buf[XS_PAYLOAD_MAX + 1];
    struct xs_msg_hdr h;

    (void)state;
    assert_int_equal(page->server_features,
                     XS_FEATURE_RECONNECTION | XS_FEATURE_ERROR);
    put(XS_WRITE, 1, "/r\0hello", 8);
    assert_true(xs_ring_poll(&ring) > 0);
    assert_true(kicks > 0);
    h = get(buf);
    assert_int_equal(h.req_id, 1);
    assert_string_equal(buf, "OK");
    put(XS_READ, 2, "/r", 3);
    h = get(buf);
    assert_int_equal(h.type, XS_READ);
    assert_string_equal(buf, "hello");
}

static void test_partial_and_wrapping(void **state)
{
    struct xs_msg_hdr h = { .type = XS_READ, .req_id = 3, .len = 3 };
    char buf[XS_PAYLOAD_MAX + 1];
    unsigned int i;

    (void)state;
    /* Free-running indexes about to wrap past 2^32. */
    page->req_cons = page->req_prod = 0xfffffff0u;
    page->rsp_cons = page->rsp_prod = 0xfffffff8u;
    assert_int_equal(xs_ring_client_write(page, &h, 10), 10);
    assert_int_equal(xs_ring_poll(&ring), 10);
    assert_int_equal(page->rsp_prod, 0xfffffff8u); /* nothing yet */
    assert_int_equal(xs_ring_client_write(page, (char *)&h + 10, 6), 6);
    assert_int_equal(xs_ring_client_write(page, "/r", 3), 3);
    h = get(buf);
    assert_string_equal(buf, "ERR:ENOENT" + 4);
    assert_int_equal(h.type, XS_ERROR);
    /* Many round trips across the wrap. */
    for ( i = 0; i < 200; i++ )
    {
        put(XS_GET_DOMAIN_PATH, i, "1", 2);
        h = get(buf);
        assert_int_equal(h.req_id, i);
        assert_string_equal(buf, "/local/domain/1");
    }
}

static void test_full_ring(void **state)
{
    static char val[3000], buf[XS_PAYLOAD_MAX + 1];
    struct xs_msg_hdr h;
    unsigned int i;

    (void)state;
    /* Three replies of 1011 bytes do not fit the 1024-byte ring at once. */
    memcpy(val, "/big", 5);
    memset(val + 5, 'z', sizeof(val) - 5);
    put(XS_WRITE, 1, val, 1000); /* a 995-byte value */
    h = get(buf);
    assert_string_equal(buf, "OK");
    for ( i = 0; i < 3; i++ )
        put(XS_READ, 10 + i, "/big", 5);
    assert_true(xs_ring_poll(&ring) > 0);
    assert_int_equal(page->rsp_prod - page->rsp_cons, XS_RING_SIZE);
    for ( i = 0; i < 3; i++ )
    {
        h = get(buf);
        assert_int_equal(h.req_id, 10 + i);
        assert_int_equal(h.len, 995);
    }
}

static void test_bad_indexes_and_reconnect(void **state)
{
    char buf[XS_PAYLOAD_MAX + 1];
    struct xs_conn *c = ring.conn;

    (void)state;
    assert_string_equal(xt_watch(c0, "/x", "t"), "OK");
    put(XS_WATCH, 1, "/x\0tok", 7);
    get(buf);
    get(buf);
    assert_string_equal(buf, "/x");
    page->req_prod = page->req_cons + XS_RING_SIZE + 1;
    assert_int_equal(xs_ring_poll(&ring), -1);
    assert_int_equal(page->error, XS_RING_ERR_RINGIDX);
    assert_int_equal(xs_ring_poll(&ring), -1); /* stays broken */
    page->connection = XS_CONN_RECONNECT;
    assert_int_equal(xs_ring_poll(&ring), 0);
    assert_int_equal(page->connection, XS_CONN_CONNECTED);
    assert_int_equal(page->error, XS_RING_ERR_NONE);
    assert_int_equal(page->req_prod, 0);
    assert_int_equal(page->rsp_prod, 0);
    /* The watch was dropped with the old connection state. */
    assert_string_equal(xt_write(c0, 0, "/x", "1"), "OK");
    assert_int_equal(xs_ring_poll(&ring), 0);
    put(XS_UNWATCH, 2, "/x\0tok", 7);
    get(buf);
    assert_string_equal(buf, "ENOENT");
    assert_false(xs_conn_dead(c));
}

static void test_oversize_length(void **state)
{
    struct xs_msg_hdr h = { .type = XS_READ, .len = 5000 };

    (void)state;
    assert_int_equal(xs_ring_client_write(page, &h, sizeof(h)), sizeof(h));
    assert_int_equal(xs_ring_poll(&ring), -1);
    assert_int_equal(page->error, XS_RING_ERR_PROTO);
}

/* Two processes: the child serves the ring, the parent is the guest. */
static void wait_fd(int fd)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    char b[64];

    assert_int_equal(poll(&p, 1, 5000), 1);
    assert_true(read(fd, b, sizeof(b)) > 0);
}

static void child_serve(struct xs_ring_page *pg, int in, int out)
{
    struct xs_store *s = xs_store_new(&(struct xs_host_ops){ 0 }, NULL, NULL);
    struct xs_conn *c = xs_conn_new(s, 0, NULL);
    struct xs_ring r;
    struct pollfd p = { .fd = in, .events = POLLIN };
    char b[64];

    xs_ring_init(&r, pg, c, NULL, NULL);
    for ( ;; )
    {
        if ( poll(&p, 1, 10000) != 1 || read(in, b, sizeof(b)) <= 0 )
            break; /* the parent closed its end: done */
        if ( xs_ring_poll(&r) < 0 )
            _exit(3);
        if ( write(out, "k", 1) != 1 )
            _exit(4);
    }
    xs_conn_free(c);
    xs_store_free(s);
    _exit(0);
}

static void test_two_processes(void **state)
{
    int fd = memfd_create("xs-ring", 0), to_srv[2], to_cli[2], st;
    static char val[2500], buf[XS_PAYLOAD_MAX + 1];
    struct xs_ring_page *pg;
    struct xs_msg_hdr h = { .type = XS_WRITE, .req_id = 1 };
    size_t done, got;
    pid_t pid;

    (void)state;
    assert_true(fd >= 0 && ftruncate(fd, 4096) == 0);
    pg = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    assert_true(pg != MAP_FAILED);
    assert_int_equal(pipe(to_srv), 0);
    assert_int_equal(pipe(to_cli), 0);
    pid = fork();
    assert_true(pid >= 0);
    if ( pid == 0 )
    {
        close(to_srv[1]);
        close(to_cli[0]);
        child_serve(pg, to_srv[0], to_cli[1]);
    }
    close(to_srv[0]);
    close(to_cli[1]);
    /* A request larger than the ring goes over in several kicks. */
    memcpy(val, "/two", 5);
    memset(val + 5, 'q', sizeof(val) - 5);
    h.len = sizeof(val);
    for ( done = 0; done < sizeof(h); )
        done += xs_ring_client_write(pg, (char *)&h + done, sizeof(h) - done);
    for ( done = 0; done < sizeof(val); )
    {
        done += xs_ring_client_write(pg, val + done, sizeof(val) - done);
        assert_int_equal(write(to_srv[1], "k", 1), 1);
        wait_fd(to_cli[0]);
    }
    for ( got = 0; got < sizeof(h) + 3; )
    {
        size_t n = xs_ring_client_read(pg, buf + got, sizeof(h) + 3 - got);

        got += n;
        if ( !n )
        {
            assert_int_equal(write(to_srv[1], "k", 1), 1);
            wait_fd(to_cli[0]);
        }
    }
    memcpy(&h, buf, sizeof(h));
    assert_int_equal(h.type, XS_WRITE);
    assert_string_equal(buf + sizeof(h), "OK");
    assert_int_equal(pg->server_features, 3);
    close(to_srv[1]);
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    munmap(pg, 4096);
    close(fd);
    close(to_cli[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_features_and_roundtrip),
        T(test_partial_and_wrapping),
        T(test_full_ring),
        T(test_bad_indexes_and_reconnect),
        T(test_oversize_length),
        T(test_two_processes),
#undef T
    };

    return cmocka_run_group_tests_name("xenstored-ring", tests, NULL, NULL);
}
