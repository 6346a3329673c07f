/*
 * ipclab_servers.c - the C floor under ipc-lab's server designs: a TCP echo server written two ways.
 *
 *   iterative  one client at a time, like the lab's program: accept(2), then read(2)/write(2) until that
 *              client closes, then the next accept. Every other client waits in the kernel's accept queue.
 *   epoll      one thread for every client: an epoll(7) set holds the listening socket and each connection;
 *              epoll_wait(2) says which are readable, and each gets one read and its echo. What
 *              `./ipc-lab server tcp --model nio` does through Java's Selector, with nothing in between.
 *
 * The harness runs the same sweep against these as against the Java designs (ServerModelSweep): the same
 * clients, the same 64 B echoes, the server's peak VmRSS and thread count from /proc/<pid>/status.
 *
 * Usage: ipclab_servers iterative|epoll [backlog]
 *   Binds 127.0.0.1 on a port the kernel picks, listens with the backlog (default 4096; the kernel caps it at
 *   net.core.somaxconn), prints "READY <port>" and serves until its standard input closes (the harness holds
 *   the other end: when the harness goes, so does the server) or SIGTERM. A watchdog (alarm(2)) ends it after
 *   an hour in any case. Build by hand: gcc -O2 -Wall -o /tmp/ipclab_servers native/ipclab_servers.c
 *
 * Watch it: `ss -ltn 'sport = :PORT'` (Recv-Q: connections waiting in the accept queue of the iterative
 * server), `strace -f -e trace=accept4,read,write,epoll_wait -p PID`, `ls /proc/PID/fd | wc -l`.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUFFER_BYTES (64 * 1024)
#define WATCHDOG_S 3600

static char buffer[BUFFER_BYTES];   /* one read buffer for the whole server: only one client is served at a time */

static void die(const char *what) {
    fprintf(stderr, "ipclab_servers: %s: %s\n", what, strerror(errno));
    exit(1);
}

/* A thousand or ten thousand connections need as many descriptors: raise the soft limit to the hard one. */
static void raise_open_files(void) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

static int listen_loopback(int backlog, int nonblocking) {
    /* socket(2) + bind(2) to 127.0.0.1:0: the kernel picks a free port; getsockname(2) tells which. */
    int fd = socket(AF_INET, SOCK_STREAM | (nonblocking ? SOCK_NONBLOCK : 0), 0);
    if (fd < 0) {
        die("socket");
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = 0};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&address, sizeof address) < 0) {
        die("bind");
    }
    /* listen(2): from now on the kernel completes handshakes by itself into the accept queue, up to backlog. */
    if (listen(fd, backlog) < 0) {
        die("listen");
    }
    socklen_t length = sizeof address;
    if (getsockname(fd, (struct sockaddr *)&address, &length) < 0) {
        die("getsockname");
    }
    printf("READY %d\n", ntohs(address.sin_port));
    fflush(stdout);
    return fd;
}

/* Writes all of n bytes to a blocking socket; 0 when the client has gone. */
static int write_all(int fd, const char *bytes, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, bytes, n);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            return 0;
        }
        bytes += w;
        n -= (size_t)w;
    }
    return 1;
}

/* True when standard input has closed: the harness has gone, and so must the server. */
static int parent_gone(short revents) {
    return (revents & (POLLIN | POLLHUP | POLLERR)) != 0;
}

static void serve_iterative(int listener) {
    for (;;) {
        struct pollfd wait[2] = {{.fd = listener, .events = POLLIN}, {.fd = 0, .events = POLLIN}};
        if (poll(wait, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            die("poll");
        }
        if (parent_gone(wait[1].revents)) {
            return;
        }
        /* accept(2): take the oldest completed connection off the accept queue; the rest keep waiting there. */
        int client = accept4(listener, NULL, NULL, 0);
        if (client < 0) {
            continue;
        }
        int one = 1;
        setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        for (;;) {
            struct pollfd serving[2] = {{.fd = client, .events = POLLIN}, {.fd = 0, .events = POLLIN}};
            if (poll(serving, 2, -1) < 0 && errno != EINTR) {
                die("poll");
            }
            if (parent_gone(serving[1].revents)) {
                close(client);
                return;
            }
            if (serving[0].revents == 0) {
                continue;
            }
            /* read(2): whatever this client has sent so far, up to 64 KiB; 0 when it has closed its side. */
            ssize_t n = read(client, buffer, sizeof buffer);
            if (n <= 0 || !write_all(client, buffer, (size_t)n)) {
                break;
            }
        }
        close(client);
    }
}

/* What the epoll server keeps per connection: an echo the client's socket buffer could not take yet. */
typedef struct {
    char *pending;
    size_t length;
    size_t offset;
} connection;

static connection *connections;   /* indexed by descriptor */
static size_t capacity;

static connection *state(int fd) {
    if ((size_t)fd >= capacity) {
        size_t grown = capacity == 0 ? 1024 : capacity;
        while (grown <= (size_t)fd) {
            grown *= 2;
        }
        connections = realloc(connections, grown * sizeof *connections);
        if (connections == NULL) {
            die("realloc");
        }
        memset(connections + capacity, 0, (grown - capacity) * sizeof *connections);
        capacity = grown;
    }
    return &connections[fd];
}

static void drop(int epoll, int fd) {
    connection *c = state(fd);
    free(c->pending);
    c->pending = NULL;
    epoll_ctl(epoll, EPOLL_CTL_DEL, fd, NULL);
    close(fd);
}

/* Writes what the socket takes now; keeps the rest and waits for EPOLLOUT (reading nothing more meanwhile). */
static void echo(int epoll, int fd, const char *bytes, size_t n) {
    connection *c = state(fd);
    while (n > 0) {
        ssize_t w = write(fd, bytes, n);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno != EAGAIN) {
                drop(epoll, fd);
                return;
            }
            /* the client does not read fast enough: keep the rest, stop reading it until it drains */
            c->pending = malloc(n);
            if (c->pending == NULL) {
                die("malloc");
            }
            memcpy(c->pending, bytes, n);
            c->length = n;
            c->offset = 0;
            struct epoll_event out = {.events = EPOLLOUT, .data.fd = fd};
            epoll_ctl(epoll, EPOLL_CTL_MOD, fd, &out);
            return;
        }
        bytes += w;
        n -= (size_t)w;
    }
}

static void serve_epoll(int listener) {
    /* epoll_create1(2): a kernel object that remembers which descriptors to watch; epoll_wait returns the ready
     * ones without the server passing the whole list each time (as poll(2) would). */
    int epoll = epoll_create1(0);
    if (epoll < 0) {
        die("epoll_create1");
    }
    struct epoll_event in = {.events = EPOLLIN, .data.fd = listener};
    epoll_ctl(epoll, EPOLL_CTL_ADD, listener, &in);
    struct epoll_event parent = {.events = EPOLLIN, .data.fd = 0};
    epoll_ctl(epoll, EPOLL_CTL_ADD, 0, &parent);
    struct epoll_event ready[256];
    for (;;) {
        int count = epoll_wait(epoll, ready, 256, -1);
        if (count < 0) {
            if (errno == EINTR) {
                continue;
            }
            die("epoll_wait");
        }
        for (int i = 0; i < count; i++) {
            int fd = ready[i].data.fd;
            if (fd == 0) {
                return;   /* standard input closed: the harness has gone */
            }
            if (fd == listener) {
                /* accept4(2) until the accept queue is empty; each new connection joins the epoll set */
                for (;;) {
                    int client = accept4(listener, NULL, NULL, SOCK_NONBLOCK);
                    if (client < 0) {
                        break;
                    }
                    int one = 1;
                    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct epoll_event event = {.events = EPOLLIN, .data.fd = client};
                    state(client)->pending = NULL;
                    epoll_ctl(epoll, EPOLL_CTL_ADD, client, &event);
                }
                continue;
            }
            connection *c = state(fd);
            if (c->pending != NULL) {
                /* EPOLLOUT: the client drained its buffer; write the rest of its echo, then read it again */
                ssize_t w = write(fd, c->pending + c->offset, c->length - c->offset);
                if (w < 0 && errno != EAGAIN && errno != EINTR) {
                    drop(epoll, fd);
                    continue;
                }
                c->offset += w > 0 ? (size_t)w : 0;
                if (c->offset == c->length) {
                    free(c->pending);
                    c->pending = NULL;
                    struct epoll_event event = {.events = EPOLLIN, .data.fd = fd};
                    epoll_ctl(epoll, EPOLL_CTL_MOD, fd, &event);
                }
                continue;
            }
            ssize_t n = read(fd, buffer, sizeof buffer);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
                drop(epoll, fd);   /* the client closed: close(2) also takes it out of the epoll set */
            } else if (n > 0) {
                echo(epoll, fd, buffer, (size_t)n);
            }
        }
    }
}

int main(int argc, char **argv) {
    int epoll = argc >= 2 && strcmp(argv[1], "epoll") == 0;
    if (argc < 2 || (!epoll && strcmp(argv[1], "iterative") != 0)) {
        fprintf(stderr, "usage: ipclab_servers iterative|epoll [backlog]\n");
        return 2;
    }
    int backlog = argc >= 3 ? atoi(argv[2]) : 4096;
    if (backlog < 0 || backlog > 65535) {
        fprintf(stderr, "ipclab_servers: backlog must be 0 to 65535, not '%s'\n", argv[2]);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);   /* a client gone mid-echo: write fails with EPIPE instead of killing us */
    alarm(WATCHDOG_S);
    raise_open_files();
    int listener = listen_loopback(backlog, epoll);
    if (epoll) {
        serve_epoll(listener);
    } else {
        serve_iterative(listener);
    }
    return 0;
}
