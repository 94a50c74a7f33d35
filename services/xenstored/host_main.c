/*
 * xenstored host daemon: the core served on a unix socket, as Xen's
 * xenstored serves its socket (every socket connection speaks as dom0)
 *
 * Locking: none; one thread runs a poll() loop over the listening socket and
 * the client sockets.  A client's unread input waits in its own buffer while
 * the core applies back-pressure (too many unread replies).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "xenstored.h"

#define HOST_MAX_CLIENTS 1024
#define HOST_READ_SIZE   8192

struct host_client
{
    int fd;
    struct xs_conn *conn;
    char pend[HOST_READ_SIZE];
    size_t pend_off, pend_len;
};

static struct host_client *host_clients[HOST_MAX_CLIENTS];
static unsigned int host_nclients;
static bool host_introduced[XS_DOMID_LIMIT];
static volatile sig_atomic_t host_stop;
static bool host_verbose;

static enum xs_dom_state host_domain_state(void *opaque, unsigned int domid)
{
    (void)opaque;
    return domid == 0 || host_introduced[domid] ? XS_DOM_RUNNING : XS_DOM_GONE;
}

static int host_introduce(void *opaque, unsigned int domid, uint64_t gfn,
                          uint32_t evtchn)
{
    (void)opaque;
    if ( host_verbose )
        fprintf(stderr,
                "xenstored: introduce domain %u (gfn %llu, port %u): "
                "no ring on the host build\n",
                domid, (unsigned long long)gfn, evtchn);
    host_introduced[domid] = true;
    return 0;
}

static void host_release(void *opaque, unsigned int domid)
{
    (void)opaque;
    host_introduced[domid] = false;
}

static const struct xs_host_ops host_ops = {
    .domain_state = host_domain_state,
    .introduce = host_introduce,
    .release = host_release,
};

static void host_usage(FILE *f)
{
    struct xs_quota q;

    xs_quota_defaults(&q);
    fprintf(f, "usage: xenstored-host --socket PATH [--quota NAME=VALUE]... "
               "[--verbose]\n"
               "Serves the XenStore protocol on a unix socket; every "
               "connection is domain 0.\n"
               "Quotas (per unprivileged domain) and their defaults:\n");
#define HOST_QUOTA_HELP(name, def, doc) \
    fprintf(f, "  %-18s %10u  %s\n", #name, q.name, doc);
    XS_QUOTA_LIST(HOST_QUOTA_HELP)
#undef HOST_QUOTA_HELP
}

static int host_parse_args(int argc, char **argv, const char **sock,
                           struct xs_quota *q)
{
    int i;

    for ( i = 1; i < argc; i++ )
    {
        const char *why = NULL;

        if ( !strcmp(argv[i], "--help") || !strcmp(argv[i], "-h") )
        {
            host_usage(stdout);
            exit(0);
        }
        else if ( !strcmp(argv[i], "--verbose") )
            host_verbose = true;
        else if ( !strcmp(argv[i], "--socket") && i + 1 < argc )
            *sock = argv[++i];
        else if ( !strcmp(argv[i], "--quota") && i + 1 < argc )
        {
            if ( xs_quota_parse(q, argv[++i], &why) )
            {
                fprintf(stderr, "xenstored: --quota %s: %s\n", argv[i], why);
                return -1;
            }
        }
        else
        {
            fprintf(stderr, "xenstored: unknown or incomplete option '%s'\n",
                    argv[i]);
            host_usage(stderr);
            return -1;
        }
    }
    if ( !*sock )
    {
        fprintf(stderr, "xenstored: --socket PATH is required\n");
        return -1;
    }
    return 0;
}

static int host_listen(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    struct stat st;
    int fd;

    if ( strlen(path) >= sizeof(sa.sun_path) )
    {
        fprintf(stderr, "xenstored: socket path too long: %s\n", path);
        return -1;
    }
    strcpy(sa.sun_path, path);
    if ( !lstat(path, &st) && S_ISSOCK(st.st_mode) )
        unlink(path); /* a stale socket from an earlier run */
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if ( fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
         listen(fd, 128) )
    {
        fprintf(stderr, "xenstored: cannot listen on %s: %s\n", path,
                strerror(errno));
        if ( fd >= 0 )
            close(fd);
        return -1;
    }
    return fd;
}

static void host_accept(struct xs_store *s, int lfd)
{
    struct host_client *hc;
    int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

    if ( fd < 0 )
        return;
    if ( host_nclients >= HOST_MAX_CLIENTS || !(hc = calloc(1, sizeof(*hc))) )
    {
        fprintf(stderr, "xenstored: refusing connection: %u clients\n",
                host_nclients);
        close(fd);
        return;
    }
    hc->fd = fd;
    hc->conn = xs_conn_new(s, 0, hc);
    if ( !hc->conn )
    {
        close(fd);
        free(hc);
        return;
    }
    host_clients[host_nclients++] = hc;
}

static void host_drop(unsigned int i, const char *why)
{
    struct host_client *hc = host_clients[i];

    if ( host_verbose )
        fprintf(stderr, "xenstored: closing socket connection %d: %s\n", hc->fd,
                why);
    xs_conn_free(hc->conn);
    close(hc->fd);
    free(hc);
    host_clients[i] = host_clients[--host_nclients];
}

/* Feed buffered input, flush output.  Returns -1 if the client must go. */
static int host_pump(struct host_client *hc)
{
    const void *buf;
    size_t n;

    for ( ;; )
    {
        while ( (n = xs_conn_output(hc->conn, &buf)) )
        {
            ssize_t w = send(hc->fd, buf, n, MSG_NOSIGNAL | MSG_DONTWAIT);

            if ( w < 0 && (errno == EAGAIN || errno == EINTR) )
                return 0;
            if ( w <= 0 )
                return -1;
            xs_conn_consume(hc->conn, (size_t)w);
        }
        if ( hc->pend_off == hc->pend_len )
            break;
        n = xs_conn_input(hc->conn, hc->pend + hc->pend_off,
                          hc->pend_len - hc->pend_off);
        hc->pend_off += n;
        if ( xs_conn_dead(hc->conn) )
            return -1;
        if ( !n && !xs_conn_output(hc->conn, &buf) )
            break;
    }
    return 0;
}

static int host_read(struct host_client *hc)
{
    ssize_t r;

    if ( hc->pend_off != hc->pend_len )
        return host_pump(hc); /* earlier input still waits */
    r = read(hc->fd, hc->pend, sizeof(hc->pend));

    if ( r < 0 && (errno == EAGAIN || errno == EINTR) )
        return 0;
    if ( r <= 0 )
        return -1;
    hc->pend_off = 0;
    hc->pend_len = (size_t)r;
    return host_pump(hc);
}

static void host_on_signal(int sig)
{
    (void)sig;
    host_stop = 1;
}

static void host_loop(struct xs_store *s, int lfd)
{
    static struct pollfd pfd[HOST_MAX_CLIENTS + 1];
    unsigned int i, n;

    while ( !host_stop )
    {
        const void *buf;

        pfd[0].fd = lfd;
        pfd[0].events = POLLIN;
        for ( i = 0; i < host_nclients; i++ )
        {
            struct host_client *hc = host_clients[i];

            pfd[i + 1].fd = hc->fd;
            pfd[i + 1].events = (hc->pend_off == hc->pend_len ? POLLIN : 0) |
                                (xs_conn_output(hc->conn, &buf) ? POLLOUT : 0);
            pfd[i + 1].revents = 0;
        }
        n = host_nclients;
        if ( poll(pfd, n + 1, -1) < 0 )
            continue;
        /* Walk backwards: host_drop() moves the last client into slot i. */
        for ( i = n; i-- > 0; )
        {
            struct host_client *hc = host_clients[i];
            int rc = 0;

            if ( pfd[i + 1].revents & (POLLIN | POLLHUP | POLLERR) )
                rc = host_read(hc);
            if ( !rc && (pfd[i + 1].revents & POLLOUT) )
                rc = host_pump(hc);
            if ( rc || xs_conn_dead(hc->conn) )
                host_drop(i, rc ? "peer closed or I/O error"
                                : xs_conn_dead_reason(hc->conn));
        }
        if ( pfd[0].revents & POLLIN )
            host_accept(s, lfd);
    }
}

int main(int argc, char **argv)
{
    struct sigaction sa = { .sa_handler = host_on_signal };
    const char *sock = NULL;
    struct xs_store *s;
    struct xs_quota q;
    int lfd;

    xs_quota_defaults(&q);
    if ( host_parse_args(argc, argv, &sock, &q) )
        return 2;
    signal(SIGPIPE, SIG_IGN);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    s = xs_store_new(&host_ops, NULL, &q);
    if ( !s )
    {
        fprintf(stderr, "xenstored: out of memory creating the store\n");
        return 1;
    }
    lfd = host_listen(sock);
    if ( lfd < 0 )
        return 1;
    host_loop(s, lfd);
    while ( host_nclients )
        host_drop(host_nclients - 1, "daemon exiting");
    close(lfd);
    unlink(sock);
    xs_store_free(s);
    return 0;
}
