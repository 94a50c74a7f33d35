/*
 * xenstored socket benchmark client: ops/s for READ, WRITE, DIRECTORY with
 * N client processes, and watch-fire latency
 *
 *   xs-bench SOCKET read|write|directory CLIENTS SECONDS  -> ops/s
 *   xs-bench SOCKET watch ROUNDS  -> "median min max" microseconds
 *
 * Locking: none; each client process has its own socket and speaks the
 * protocol synchronously (one request in flight).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <public/io/xs_wire.h>

static double bench_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int bench_connect(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
    if ( fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) )
    {
        perror("xs-bench: connect");
        exit(1);
    }
    return fd;
}

static void bench_io(int fd, void *buf, size_t len, int wr)
{
    size_t done = 0;

    while ( done < len )
    {
        ssize_t n = wr ? write(fd, (char *)buf + done, len - done)
                       : read(fd, (char *)buf + done, len - done);

        if ( n <= 0 )
        {
            fprintf(stderr, "xs-bench: socket %s failed\n",
                    wr ? "write" : "read");
            exit(1);
        }
        done += (size_t)n;
    }
}

static void bench_send(int fd, uint32_t type, const char *p, uint32_t len)
{
    char buf[sizeof(struct xs_msg_hdr) + XS_PAYLOAD_MAX];
    struct xs_msg_hdr h = { .type = type, .req_id = 1, .len = len };

    memcpy(buf, &h, sizeof(h));
    memcpy(buf + sizeof(h), p, len);
    bench_io(fd, buf, sizeof(h) + len, 1);
}

/* Receive one message; returns its type. */
static uint32_t bench_recv(int fd, char *payload)
{
    struct xs_msg_hdr h;

    bench_io(fd, &h, sizeof(h), 0);
    if ( h.len > XS_PAYLOAD_MAX )
        exit(1);
    bench_io(fd, payload, h.len, 0);
    if ( h.type == XS_ERROR )
    {
        fprintf(stderr, "xs-bench: error %.*s\n", (int)h.len, payload);
        exit(1);
    }
    return h.type;
}

static void bench_op(int fd, const char *mode, unsigned int i)
{
    char req[128], rsp[XS_PAYLOAD_MAX];
    int n;

    if ( !strcmp(mode, "read") )
        bench_send(fd, XS_READ, "/bench/key", 11);
    else if ( !strcmp(mode, "directory") )
        bench_send(fd, XS_DIRECTORY, "/bench/dir", 11);
    else
    {
        n = snprintf(req, sizeof(req), "/bench/w%u/k%u", (unsigned)getpid(),
                     i % 64);
        memcpy(req + n + 1, "0123456789abcdef", 16);
        bench_send(fd, XS_WRITE, req, (uint32_t)n + 17);
    }
    bench_recv(fd, rsp);
}

static void bench_setup(const char *sock)
{
    char rsp[XS_PAYLOAD_MAX], p[64];
    int fd = bench_connect(sock), n;
    unsigned int i;

    bench_send(fd, XS_WRITE, "/bench/key\0value-of-16-bytes", 28);
    bench_recv(fd, rsp);
    for ( i = 0; i < 10; i++ )
    {
        n = snprintf(p, sizeof(p), "/bench/dir/entry-%u", i);
        bench_send(fd, XS_WRITE, p, (uint32_t)n + 1);
        bench_recv(fd, rsp);
    }
    close(fd);
}

static int bench_ops(const char *sock, const char *mode, unsigned int nc,
                     double secs)
{
    int go[2], res[2];
    unsigned int i;
    double total = 0, t0;

    bench_setup(sock);
    if ( pipe(go) || pipe(res) )
        return 1;
    for ( i = 0; i < nc; i++ )
        if ( fork() == 0 )
        {
            int fd = bench_connect(sock);
            unsigned long ops = 0;
            double end;
            char b;

            if ( read(go[0], &b, 1) != 1 )
                _exit(1);
            for ( end = bench_now() + secs; bench_now() < end; ops++ )
                bench_op(fd, mode, (unsigned int)ops);
            bench_io(res[1], &ops, sizeof(ops), 1);
            _exit(0);
        }
    t0 = bench_now();
    for ( i = 0; i < nc; i++ )
        bench_io(go[1], "g", 1, 1);
    for ( i = 0; i < nc; i++ )
    {
        unsigned long ops;

        bench_io(res[0], &ops, sizeof(ops), 0);
        total += (double)ops;
    }
    t0 = bench_now() - t0;
    while ( wait(NULL) > 0 )
        ;
    printf("%.0f\n", total / (t0 > secs ? t0 : secs));
    return 0;
}

static int bench_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* Time from sending a WRITE on one socket to the event on another. */
static int bench_watch(const char *sock, unsigned int rounds)
{
    int w = bench_connect(sock), c = bench_connect(sock);
    double *lat = calloc(rounds, sizeof(*lat));
    char rsp[XS_PAYLOAD_MAX];
    unsigned int i;

    bench_send(w, XS_WATCH, "/bench/watched\0tok", 19);
    while ( bench_recv(w, rsp) != XS_WATCH_EVENT )
        ;
    for ( i = 0; i < rounds; i++ )
    {
        double t0 = bench_now();

        bench_send(c, XS_WRITE, "/bench/watched\0v", 16);
        while ( bench_recv(w, rsp) != XS_WATCH_EVENT )
            ;
        lat[i] = (bench_now() - t0) * 1e6;
        bench_recv(c, rsp);
    }
    qsort(lat, rounds, sizeof(*lat), bench_cmp);
    printf("%.1f %.1f %.1f\n", lat[rounds / 2], lat[0], lat[rounds - 1]);
    free(lat);
    return 0;
}

int main(int argc, char **argv)
{
    if ( argc == 4 && !strcmp(argv[2], "watch") )
        return bench_watch(argv[1], (unsigned int)atoi(argv[3]));
    if ( argc == 5 && (!strcmp(argv[2], "read") || !strcmp(argv[2], "write") ||
                       !strcmp(argv[2], "directory")) )
        return bench_ops(argv[1], argv[2], (unsigned int)atoi(argv[3]),
                         atof(argv[4]));
    fprintf(stderr, "usage: xs-bench SOCKET read|write|directory CLIENTS "
                    "SECONDS\n       xs-bench SOCKET watch ROUNDS\n");
    return 2;
}
