/*
 * ipclab_floor.c - the native floor under ipc-lab's Java transports.
 *
 * The same two-process echo that `./ipc-lab compare` measures in Java, written in C with nothing between the
 * program and the kernel: what the operating system alone costs. The Java numbers are reported as a ratio
 * to these.
 *
 *   - The server is a child made with fork(2) (no exec: it is this program). It is a streaming echo like
 *     ipc-lab's servers: it reads whatever has arrived (up to 64 KiB) and writes exactly that back. It
 *     does not know message boundaries; the client does.
 *   - The client times each round trip the way RoundTripBenchmark does: send, read the echo back, compare
 *     it byte for byte with what was sent. Two payloads alternate (A and its complement), so a stale echo
 *     fails the comparison. Messages above 16 KiB are written by a second thread while the main thread
 *     reads (AbstractEchoClient does the same: written on one thread, the echo of a 1 MiB message would
 *     fill the buffers and both processes would sleep forever).
 *   - Streaming: a writer thread pushes <stream_bytes> in <message_bytes> writes while the main thread reads
 *     the echo and compares every message, like StreamBenchmark. Throughput = stream_bytes / median time.
 *   - Placement: sched_setaffinity(2) pins the client (and its writer thread) to CPU 0 and the server to
 *     CPU 0 ("same") or CPU 1 ("different"); "unpinned" leaves both to the scheduler.
 *
 * Transports (ipc-lab's ids): tcp (127.0.0.1, TCP_NODELAY), unix (stream socket), pipe (two anonymous
 * pipes to the forked child), fifo (two named pipes, opened by name in each process), posix-mq (one
 * queue per direction; a message longer than the queue's mq_msgsize goes as several queue messages), udp (one
 * datagram per message, at most 65,507 bytes; round trips only).
 *
 * Build and run by hand (see native/README.md):
 *   gcc -O2 -Wall -pthread -o /tmp/ipclab_floor native/ipclab_floor.c -lrt -lm
 *   /tmp/ipclab_floor rtt tcp same 64 1.0
 *   /tmp/ipclab_floor stream pipe different 65536 1.0
 *
 * Each mechanism is one entry of the table MECHANISMS (a struct of functions: prepare, open the server's
 * end, connect the client, send, receive, finish sending, release); the session, the server loop and the
 * measurements call those functions and never ask which mechanism they run.
 *
 * Output: one line per measurement, "<transport> <placement> <size> <metric> <value> <unit>", e.g.
 *   tcp same 64 rtt_p50 4.420 us
 * Lines starting with '#' are context. Errors go to stderr; the exit code is 0 only if every echo matched.
 *
 * Watch it while it runs: `strace -f -tt -e trace=read,write,sendto,recvfrom,mq_timedsend,mq_timedreceive
 * -p <client pid>` (a round trip is one write and one read per side), `ls -l /proc/<pid>/fd` (the
 * pipes, sockets and queue descriptors), `ps -L -o pid,tid,psr,comm -p <pid>` (the CPU each thread runs on).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <mqueue.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ECHO_BUFFER_BYTES (64 * 1024)          /* the Java echo servers read into 64 KiB too */
#define INLINE_ROUND_TRIP_BYTES (16 * 1024)    /* AbstractEchoClient.DEFAULT_INLINE_ROUND_TRIP_BYTES */
#define DEFAULT_STREAM_BYTES (8 * 1024 * 1024) /* CompareSettings.standard(): 8 MiB per streaming operation */
#define MAX_SAMPLES (1u << 21)                 /* round trips kept per measurement (8 MiB of samples) */
#define READY_TIMEOUT_MS 5000                  /* how long the server may take to listen / open */
#define WATCHDOG_SLACK_S 30                    /* on top of warm-up + measurement, then SIGALRM ends us */
#define MQ_DEFAULT_MAXMSG 10                   /* fs.mqueue.msg_max's default */


/* ------------------------------------------------------------------------------------------ errors */

static const char *g_hint = "";

/* What the client must undo when it gives up: its server, and the names it made in the file system. */
static pid_t g_client = 0, g_server = 0;
static char g_unlink[2][sizeof(struct sockaddr_un){ 0 }.sun_path];   /* fifo or unix socket paths */
static char g_made_dir[256];

/* Kills and reaps the server, removes our names. Only async-signal-safe calls: the watchdog uses it too. */
static void clean_up(void) {
    if (getpid() != g_client) {
        return;                 /* the server's own failure: the client notices EOF and cleans up */
    }
    if (g_server > 0) {
        kill(g_server, SIGKILL);
        waitpid(g_server, NULL, 0);   /* reaped here, or it stays a zombie until init gets to it */
        g_server = 0;
    }
    for (int i = 0; i < 2; i++) {
        if (g_unlink[i][0] != '\0') {
            unlink(g_unlink[i]);
        }
    }
    if (g_made_dir[0] != '\0') {
        rmdir(g_made_dir);
    }
}

/* A failed system call: what failed, errno in words, and what to do about it. Exit code 2. */
__attribute__((noreturn)) static void die(const char *what) {
    fprintf(stderr, "ipclab_floor: %s failed: %s%s%s\n", what, strerror(errno), *g_hint ? ". " : "", g_hint);
    clean_up();
    exit(2);
}

/* A failure that is not a system call's (bad argument, an echo that differs). */
__attribute__((noreturn, format(printf, 2, 3))) static void fail(int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("ipclab_floor: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    clean_up();
    exit(code);
}

/* alarm(2) bounds the whole run: every blocking call below (accept, open of a FIFO, read, mq_receive,
 * waitpid) ends when SIGALRM arrives. The server is also killed by PR_SET_PDEATHSIG if the client dies. */
static void on_watchdog(int sig) {
    (void)sig;
    static const char msg[] = "ipclab_floor: watchdog: the run did not finish in time; a peer is stuck "
                              "(rerun under strace -f to see which call blocks)\n";
    ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)ignored;
    clean_up();
    _exit(3);
}

static inline uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);   /* vDSO: no system call, ~20 ns */
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ------------------------------------------------------------------------------------------ pinning */

/* sched_setaffinity(2) with pid 0 pins the calling THREAD; threads and children created afterwards inherit
 * its mask. EINVAL means the CPU is not online or not in our cpuset (a one-CPU machine, a container
 * limited with --cpuset-cpus). Check: `taskset -p <pid>`, `grep Cpus_allowed_list /proc/<pid>/status`. */
static void pin_to(int cpu) {
    if (cpu < 0) {
        return;
    }
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) < 0) {
        g_hint = "this machine (or this cgroup's cpuset) does not offer that CPU; measure placement 'same' or 'unpinned'";
        die(cpu == 0 ? "sched_setaffinity(CPU 0)" : "sched_setaffinity(CPU 1)");
    }
}

/* ------------------------------------------------------------------------------------------ sending and receiving */

static void write_all(int fd, const unsigned char *p, size_t n) {
    while (n > 0) {
        /* write(2) on a pipe or stream socket copies into the kernel buffer (64 KiB for a pipe, a few hundred
         * KiB for a loopback socket) and returns; when the buffer is full it sleeps until the reader makes
         * room, and may return after copying only part of n. EPIPE: the reader is gone (SIGPIPE ignored). */
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            g_hint = "the peer closed its end (did it crash? see its message above)";
            die("write");
        }
        p += w;
        n -= (size_t)w;
    }
}

/* ------------------------------------------------------------------------------------------ mechanisms */

typedef struct chan chan;

/* What one mechanism does at each step of an echo session. Each transport is one entry of MECHANISMS
 * below plus the functions it names; nothing else in this program knows which mechanism it runs. Adding
 * a mechanism (shared memory, System V queues, UDP ...) is one table entry and its functions, and its
 * ipc-lab descriptor names the id as its nativeMode. */
typedef struct mechanism {
    const char *id;   /* ipc-lab's transport id: the command-line argument and the first field of each result */
    /* In the client, before fork(2): what both processes must share (pipes, names, queues). */
    void (*prepare)(chan *c, const char *dir);
    /* In the forked server: open its end (into `server`) from what was prepared in `client`, then tell the
     * client it may connect with report_ready(ready_fd, port). */
    void (*serve_open)(chan *server, const chan *client, int ready_fd);
    /* In the client, once the server is ready (`port` is what it reported: tcp's port, else 0). */
    void (*connect)(chan *c, int port);
    /* Sends n bytes (n == 0 on a message mechanism: the empty message that means "end of stream"). */
    void (*send)(const chan *c, const unsigned char *p, size_t n);
    /* Reads what has arrived, at most `room` bytes (at least msgsize for a message mechanism). 0: end of stream. */
    size_t (*receive_some)(const chan *c, unsigned char *p, size_t room);
    /* Tells the peer "no more data": it sees end of stream after reading what is in flight. */
    void (*finish_sending)(chan *c);
    /* Closes what the session holds, once the server has exited. */
    void (*release)(chan *c);
} mechanism;

/* One end of an echo connection. Byte streams use rfd/wfd (the same socket for tcp and unix); a message
 * mechanism (posix-mq) uses one queue to send and one to receive, in messages of at most msgsize bytes. */
struct chan {
    const mechanism *m;
    int rfd, wfd;
    int peer_rfd, peer_wfd;   /* pipe: the server's ends, made before fork(2), closed by the client after it */
    mqd_t tx, rx;
    size_t msgsize;           /* a message mechanism's largest message (a receive offers this much room); 0 for a byte stream */
};

static void report_ready(int ready_fd, int port) {
    char line[32];
    int len = snprintf(line, sizeof line, "%d\n", port);
    write_all(ready_fd, (const unsigned char *)line, (size_t)len);
    close(ready_fd);
}

static long read_proc_long(const char *path, long fallback) {
    long v = fallback;
    FILE *f = fopen(path, "r");
    if (f != NULL) {
        if (fscanf(f, "%ld", &v) != 1) {
            v = fallback;
        }
        fclose(f);
    }
    return v;
}

/* ---------------------------------------------- byte streams: what tcp, unix, pipe and fifo share */

static void nothing_to_prepare(chan *c, const char *dir) {
    (void)c;
    (void)dir;
}

static void stream_send(const chan *c, const unsigned char *p, size_t n) {
    write_all(c->wfd, p, n);
}

static size_t stream_receive_some(const chan *c, unsigned char *p, size_t room) {
    ssize_t r;
    /* read(2) sleeps until at least one byte is there, then returns what is there (up to room): a stream has
     * no message boundaries, so 64 KiB sent may arrive as 65536, or as 4096 + 61440 ... Returns 0 when the
     * writer has closed (pipe, fifo) or shut down (socket) its end and everything was read. */
    while ((r = read(c->rfd, p, room)) < 0) {
        if (errno != EINTR) {
            die("read");
        }
    }
    return (size_t)r;
}

static void stream_release(chan *c) {
    if (c->rfd >= 0) {
        close(c->rfd);
    }
    if (c->wfd >= 0 && c->wfd != c->rfd) {
        close(c->wfd);
    }
}

/* A pipe reader sees EOF only when EVERY write end is closed, in every process. The forked server inherited
 * copies of our ends, which is why it closes the ones it does not use. */
static void pipe_finish_sending(chan *c) {
    close(c->wfd);
    c->wfd = -1;
}

/* ---------------------------------------------- pipe: two anonymous pipes to the forked child */

static void pipe_prepare(chan *c, const char *dir) {
    (void)dir;
    int c2s[2], s2c[2];
    /* pipe(2): a kernel buffer (64 KiB by default, see fcntl F_GETPIPE_SZ) with a read end and a write
     * end. Two of them make a duplex channel. Only related processes can share them: the child inherits
     * both across fork(2). Watch: `ls -l /proc/<pid>/fd` shows pipe:[inode] on both sides. */
    if (pipe(c2s) < 0 || pipe(s2c) < 0) {
        g_hint = "too many open files? (ulimit -n)";
        die("pipe");
    }
    c->wfd = c2s[1];
    c->rfd = s2c[0];
    c->peer_rfd = c2s[0];
    c->peer_wfd = s2c[1];
}

static void pipe_serve_open(chan *server, const chan *client, int ready_fd) {
    /* Close the ends the server does not use: a write end left open here would keep its own read() from
     * ever seeing EOF. */
    close(client->wfd);
    close(client->rfd);
    server->rfd = client->peer_rfd;
    server->wfd = client->peer_wfd;
    report_ready(ready_fd, 0);
}

static void pipe_connect(chan *c, int port) {
    (void)port;
    close(c->peer_rfd);
    close(c->peer_wfd);
    c->peer_rfd = c->peer_wfd = -1;
}

/* ---------------------------------------------- fifo: two named pipes, opened by name in each process */

static void fifo_prepare(chan *c, const char *dir) {
    (void)c;
    /* mkfifo(3): a FIFO is a name in the file system for a pipe buffer; any process that may open the
     * path can join. Nothing is stored on disk. `ls -l` shows it with type p. */
    snprintf(g_unlink[0], sizeof g_unlink[0], "%s/floor-%d-c2s.fifo", dir, (int)getpid());
    snprintf(g_unlink[1], sizeof g_unlink[1], "%s/floor-%d-s2c.fifo", dir, (int)getpid());
    if (mkfifo(g_unlink[0], 0600) < 0 || mkfifo(g_unlink[1], 0600) < 0) {
        g_hint = "is the run directory writable? (IPCLAB_FLOOR_DIR)";
        die("mkfifo");
    }
}

static void fifo_serve_open(chan *server, const chan *client, int ready_fd) {
    (void)client;
    report_ready(ready_fd, 0);
    /* open(2) of a FIFO sleeps until the other side opens it too (a reader waits for a writer and vice
     * versa). Both processes open in the same order, c2s first, or each would wait for the other forever.
     * Watch: `strace -e trace=openat` shows the open that sleeps. */
    if ((server->rfd = open(g_unlink[0], O_RDONLY)) < 0 || (server->wfd = open(g_unlink[1], O_WRONLY)) < 0) {
        die("open(fifo) in the server");
    }
}

static void fifo_connect(chan *c, int port) {
    (void)port;
    if ((c->wfd = open(g_unlink[0], O_WRONLY)) < 0 || (c->rfd = open(g_unlink[1], O_RDONLY)) < 0) {
        die("open(fifo)");
    }
    /* Both processes have both FIFOs open: the names are not needed any more. */
    unlink(g_unlink[0]);
    unlink(g_unlink[1]);
    g_unlink[0][0] = g_unlink[1][0] = '\0';
}

/* ---------------------------------------------- sockets: what tcp and unix share */

/* shutdown(2) SHUT_WR sends FIN (tcp) / marks the socket (unix); the peer's read returns 0, and we can still
 * read its remaining echo. close(2) would end both directions. */
static void socket_finish_sending(chan *c) {
    if (shutdown(c->wfd, SHUT_WR) < 0) {
        die("shutdown(SHUT_WR)");
    }
}

/* TCP_NODELAY turns off Nagle's algorithm: a small write goes out at once instead of waiting for the
 * previous segment's ACK (which delayed ACK holds back up to 40 ms). tcp(7). */
static void set_nodelay(int fd) {
    int one = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0) {
        die("setsockopt(TCP_NODELAY)");
    }
}

static int open_socket(int family) {
    int fd = socket(family, SOCK_STREAM, 0);
    if (fd < 0) {
        die("socket");
    }
    return fd;
}

/* The server's bound socket `ls`: listen, say ready, take the one connection. */
static int listen_and_accept(int ls, int ready_fd, int port) {
    /* listen(2): from here the kernel completes connections by itself and queues them (at most the
     * backlog, clamped to net.core.somaxconn) until accept(2) takes one. Watch: `ss -ltnp` / `ss -lxp`.
     * So the client may connect as soon as we report ready, before we accept. */
    if (listen(ls, 1) < 0) {
        die("listen");
    }
    report_ready(ready_fd, port);
    /* accept(2) sleeps until a connection is queued and returns a new socket for it. */
    int fd = accept(ls, NULL, NULL);
    if (fd < 0) {
        die("accept");
    }
    close(ls);
    return fd;
}

static void connect_or_die(int fd, const struct sockaddr *a, socklen_t len) {
    if (connect(fd, a, len) < 0) {
        g_hint = "the server was ready, so this should not happen; is something else using the path or port?";
        die("connect");
    }
}

/* ---------------------------------------------- tcp: 127.0.0.1, TCP_NODELAY on both ends */

static void tcp_serve_open(chan *server, const chan *client, int ready_fd) {
    (void)client;
    int ls = open_socket(AF_INET);
    /* bind(2) to 127.0.0.1 port 0: the kernel picks a free port; getsockname(2) tells which. */
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0 };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (bind(ls, (struct sockaddr *)&a, sizeof a) < 0 || getsockname(ls, (struct sockaddr *)&a, &len) < 0) {
        die("bind(127.0.0.1:0)");
    }
    int fd = listen_and_accept(ls, ready_fd, ntohs(a.sin_port));
    set_nodelay(fd);
    server->rfd = server->wfd = fd;
}

static void tcp_connect(chan *c, int port) {
    int fd = open_socket(AF_INET);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    /* connect(2) on loopback: the three-way handshake happens inside this call, against the listener's
     * queue; ECONNREFUSED if nothing listens on the port. */
    connect_or_die(fd, (struct sockaddr *)&a, sizeof a);
    set_nodelay(fd);
    c->rfd = c->wfd = fd;
}

/* ---------------------------------------------- unix: a stream socket at a path in the run directory */

static void unix_prepare(chan *c, const char *dir) {
    (void)c;
    snprintf(g_unlink[0], sizeof g_unlink[0], "%s/floor-%d.sock", dir, (int)getpid());
}

static void unix_serve_open(chan *server, const chan *client, int ready_fd) {
    (void)client;
    int ls = open_socket(AF_UNIX);
    /* bind(2) of a unix socket creates the path (type s in `ls -l`); EADDRINUSE if it exists. */
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    snprintf(a.sun_path, sizeof a.sun_path, "%s", g_unlink[0]);
    if (bind(ls, (struct sockaddr *)&a, sizeof a) < 0) {
        die("bind(unix socket)");
    }
    server->rfd = server->wfd = listen_and_accept(ls, ready_fd, 0);
}

static void unix_connect(chan *c, int port) {
    (void)port;
    int fd = open_socket(AF_UNIX);
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    snprintf(a.sun_path, sizeof a.sun_path, "%s", g_unlink[0]);
    connect_or_die(fd, (struct sockaddr *)&a, sizeof a);
    unlink(g_unlink[0]);   /* connected: the path is only a meeting point */
    g_unlink[0][0] = '\0';
    c->rfd = c->wfd = fd;
}

/* ---------------------------------------------- posix-mq: one queue per direction */

static void mq_prepare(chan *c, const char *dir) {
    (void)dir;
    /* mq_open(3) with O_CREAT: the kernel makes a queue of mq_maxmsg slots of mq_msgsize bytes, charged
     * to RLIMIT_MSGQUEUE (EMFILE when the user's allowance is used up). Sizes above fs.mqueue.msg_max /
     * msgsize_max fail with EINVAL unless we have CAP_SYS_RESOURCE. */
    struct mq_attr attr = { 0 };
    attr.mq_maxmsg = read_proc_long("/proc/sys/fs/mqueue/msg_max", MQ_DEFAULT_MAXMSG);
    if (attr.mq_maxmsg > MQ_DEFAULT_MAXMSG) {
        attr.mq_maxmsg = MQ_DEFAULT_MAXMSG;
    }
    attr.mq_msgsize = read_proc_long("/proc/sys/fs/mqueue/msgsize_max", 8192);
    char name[2][64];
    mqd_t q[2];
    for (int i = 0; i < 2; i++) {
        snprintf(name[i], sizeof name[i], "/ipclab-floor-%d-%s", (int)getpid(), i == 0 ? "c2s" : "s2c");
        q[i] = mq_open(name[i], O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
        if (q[i] == (mqd_t)-1) {
            g_hint = "EMFILE: too many queues for this user (RLIMIT_MSGQUEUE); EEXIST: a stale queue, mq_unlink it";
            die("mq_open");
        }
        /* mq_unlink(3) removes the name at once; the queue lives on while a descriptor refers to it, like an
         * unlinked open file. The child inherits both descriptors across fork, and no name is left behind
         * if anyone is killed. */
        if (mq_unlink(name[i]) < 0) {
            die("mq_unlink");
        }
    }
    c->tx = q[0];
    c->rx = q[1];
    c->msgsize = (size_t)attr.mq_msgsize;
}

static void mq_serve_open(chan *server, const chan *client, int ready_fd) {
    server->rx = client->tx;
    server->tx = client->rx;
    server->msgsize = client->msgsize;
    report_ready(ready_fd, 0);
}

static void mq_connect(chan *c, int port) {
    (void)c;
    (void)port;   /* both queues were opened before fork(2) */
}

static void mq_send_pieces(const chan *c, const unsigned char *p, size_t n) {
    size_t off = 0;
    do {
        size_t k = n - off < c->msgsize ? n - off : c->msgsize;
        /* mq_send(3) copies one message into the queue; a full queue (mq_curmsgs == mq_maxmsg) makes it
         * sleep until the receiver takes one. A message longer than mq_msgsize fails with EMSGSIZE, which
         * is why longer payloads go in pieces. Watch the depth: `cat /dev/mqueue/<name>` (mount -t mqueue
         * none /dev/mqueue first), or strace's mq_timedsend lines. */
        while (mq_send(c->tx, (const char *)p + off, k, 0) < 0) {
            if (errno != EINTR) {
                die("mq_send");
            }
        }
        off += k;
    } while (off < n);
}

static size_t mq_receive_one(const chan *c, unsigned char *p, size_t room) {
    ssize_t r;
    /* mq_receive(3) takes the oldest message of the highest priority and sleeps while the queue is
     * empty. The buffer must hold mq_msgsize bytes even when the waiting message is shorter (EMSGSIZE). */
    while ((r = mq_receive(c->rx, (char *)p, room, NULL)) < 0) {
        if (errno != EINTR) {
            die("mq_receive");
        }
    }
    return (size_t)r;
}

/* A queue has no "closed" state its reader could see: the empty message stands for end of stream. */
static void mq_finish_sending(chan *c) {
    mq_send_pieces(c, (const unsigned char *)"", 0);
}

static void mq_release(chan *c) {
    mq_close(c->tx);
    mq_close(c->rx);
}

/* ==== sysv-mq ==== */

/* One System V message queue for both directions, as ipc-lab's sysv-mq does it: a request is a message of type
 * 1 whose first 8 bytes are the client's reply type R (here the client's pid); the echo comes back as messages of
 * type R into the same queue, and an empty one ends it. The queue is small (kernel.msgmnb, 16 KiB by default) and
 * shared, so, as in SysvMqEchoServer, the server keeps replies to at most half of it (msgctl IPC_STAT when unsure),
 * holds the rest in its own memory and never sleeps in msgsnd; the client keeps at most SYSV_WINDOW_BYTES in
 * flight. The key is 0x1b000000 | the client's pid, so a queue left by a killed run is recognised (its pid is
 * dead) and removed by the next run; a normal run removes it with IPC_RMID in release. Watch: `ipcs -q`. */
#include <sys/ipc.h>
#include <sys/msg.h>

#define SYSV_SERVER_TYPE 1L
#define SYSV_TAG_BYTES 8
#define SYSV_WINDOW_BYTES (64 * 1024)          /* SysvMqProtocol.WINDOW_BYTES */
#define SYSV_KEY_PREFIX 0x1b000000

typedef struct { long mtype; unsigned char mtext[]; } sysv_msg;

static int g_sysv_id = -1;
static int g_sysv_server;                   /* set in the forked server */
static size_t g_sysv_msgmax, g_sysv_qbytes;
static long g_sysv_reply_type;              /* the client's pid: R */
static sysv_msg *g_sysv_tx, *g_sysv_rx;     /* separate: the client's writer thread sends while main receives */
static uint64_t g_sysv_sent, g_sysv_received;   /* client: payload bytes, for the window (atomics) */
static unsigned char *g_sysv_backlog;       /* server: echo bytes waiting for room in the queue */
static size_t g_sysv_bl_start, g_sysv_bl_end, g_sysv_bl_cap, g_sysv_since_stat;

static void sysv_remove_at_exit(void) {
    if (g_sysv_id >= 0 && !g_sysv_server) {
        msgctl(g_sysv_id, IPC_RMID, NULL);
        g_sysv_id = -1;
    }
}

/* Removes the queues of earlier runs that were killed before their release (their pid is in the key). */
static void sysv_reclaim_stale(void) {
    FILE *f = fopen("/proc/sysvipc/msg", "r");
    if (f == NULL) {
        return;
    }
    char line[512];
    if (fgets(line, sizeof line, f) != NULL) {   /* the header */
        long key;
        int id;
        while (fgets(line, sizeof line, f) != NULL) {
            if (sscanf(line, "%ld %d", &key, &id) == 2 && (key & 0xff000000L) == SYSV_KEY_PREFIX) {
                pid_t owner = (pid_t)(key & 0xffffff);
                if (kill(owner, 0) < 0 && errno == ESRCH) {
                    msgctl(id, IPC_RMID, NULL);
                }
            }
        }
    }
    fclose(f);
}

static void sysv_sleep(long *backoff_ns) {
    *backoff_ns = *backoff_ns < 20000 ? 20000 : *backoff_ns * 2 > 1000000 ? 1000000 : *backoff_ns * 2;
    struct timespec ts = { 0, *backoff_ns };
    nanosleep(&ts, NULL);
}

static void sysv_prepare(chan *c, const char *dir) {
    (void)dir;
    sysv_reclaim_stale();
    g_sysv_msgmax = (size_t)read_proc_long("/proc/sys/kernel/msgmax", 8192);
    /* msgget(2) with IPC_CREAT | IPC_EXCL: a new queue in kernel memory, mode 0600; the forked server uses the
     * same msqid (a host-wide number, not a descriptor). */
    g_sysv_id = msgget(SYSV_KEY_PREFIX | (getpid() & 0xffffff), IPC_CREAT | IPC_EXCL | 0600);
    if (g_sysv_id < 0) {
        g_hint = "ENOSPC: kernel.msgmni queues exist (ipcs -q; ipcrm -q ID)";
        die("msgget");
    }
    atexit(sysv_remove_at_exit);
    struct msqid_ds ds;
    if (msgctl(g_sysv_id, IPC_STAT, &ds) < 0) {
        die("msgctl(IPC_STAT)");
    }
    g_sysv_qbytes = ds.msg_qbytes;
    g_sysv_reply_type = getpid();
    g_sysv_tx = malloc(sizeof(long) + g_sysv_msgmax);
    g_sysv_rx = malloc(sizeof(long) + g_sysv_msgmax);
    if (g_sysv_tx == NULL || g_sysv_rx == NULL) {
        die("malloc");
    }
    c->msgsize = g_sysv_msgmax - SYSV_TAG_BYTES;   /* the most payload one message carries, either way */
}

static void sysv_serve_open(chan *server, const chan *client, int ready_fd) {
    g_sysv_server = 1;
    server->msgsize = client->msgsize;
    g_sysv_bl_cap = 2 * (SYSV_WINDOW_BYTES + 2 * g_sysv_msgmax);   /* room for the lengths too */
    g_sysv_backlog = malloc(g_sysv_bl_cap);
    if (g_sysv_backlog == NULL) {
        die("malloc");
    }
    report_ready(ready_fd, 0);
}

static void sysv_connect(chan *c, int port) {
    (void)c;
    (void)port;   /* the queue was made before fork(2) */
}

/* Server: whether a reply of n bytes keeps the queue at most half full (IPC_STAT only when unsure). */
static int sysv_room_for_reply(size_t n) {
    if (g_sysv_since_stat + n <= g_sysv_qbytes / 2) {
        return 1;
    }
    struct msqid_ds ds;
    if (msgctl(g_sysv_id, IPC_STAT, &ds) < 0) {
        die("msgctl(IPC_STAT)");
    }
    g_sysv_since_stat = ds.__msg_cbytes;
    return g_sysv_since_stat + n <= g_sysv_qbytes / 2;
}

/* Server: one reply message, never sleeping; 0 when the queue is full (EAGAIN). */
static int sysv_try_reply(const unsigned char *p, size_t n) {
    g_sysv_tx->mtype = g_sysv_reply_type;
    memcpy(g_sysv_tx->mtext, p, n);
    while (msgsnd(g_sysv_id, g_sysv_tx, n, IPC_NOWAIT) < 0) {
        if (errno == EAGAIN) {
            return 0;
        }
        if (errno != EINTR) {
            die("msgsnd");
        }
    }
    g_sysv_since_stat += n;
    return 1;
}

/* The backlog holds whole echoes, each as its length and its bytes, so that every reply is exactly as long as
 * the request it answers and the client's message boundaries line up with its sends. */
static void sysv_flush_backlog(void) {
    while (g_sysv_bl_start < g_sysv_bl_end) {
        size_t k;
        memcpy(&k, g_sysv_backlog + g_sysv_bl_start, sizeof k);
        if (!sysv_room_for_reply(k) || !sysv_try_reply(g_sysv_backlog + g_sysv_bl_start + sizeof k, k)) {
            return;
        }
        g_sysv_bl_start += sizeof k + k;
    }
    g_sysv_bl_start = g_sysv_bl_end = 0;
}

static void sysv_send(const chan *c, const unsigned char *p, size_t n) {
    (void)c;
    size_t max = g_sysv_msgmax - SYSV_TAG_BYTES;
    if (g_sysv_server) {
        /* the echo of one request (at most max bytes): straight into the queue if it fits, else into the backlog */
        if (g_sysv_bl_start == g_sysv_bl_end && sysv_room_for_reply(n) && sysv_try_reply(p, n)) {
            return;
        }
        if (g_sysv_bl_cap - g_sysv_bl_end < sizeof n + n) {
            memmove(g_sysv_backlog, g_sysv_backlog + g_sysv_bl_start, g_sysv_bl_end - g_sysv_bl_start);
            g_sysv_bl_end -= g_sysv_bl_start;
            g_sysv_bl_start = 0;
            if (g_sysv_bl_cap - g_sysv_bl_end < sizeof n + n) {
                fail(4, "sysv-mq: the client sent more than its window without reading");
            }
        }
        memcpy(g_sysv_backlog + g_sysv_bl_end, &n, sizeof n);
        memcpy(g_sysv_backlog + g_sysv_bl_end + sizeof n, p, n);
        g_sysv_bl_end += sizeof n + n;
        sysv_flush_backlog();
        return;
    }
    size_t off = 0;
    do {
        size_t k = n - off < max ? n - off : max;
        long backoff = 0;
        while (__atomic_load_n(&g_sysv_sent, __ATOMIC_RELAXED) + k
               > __atomic_load_n(&g_sysv_received, __ATOMIC_ACQUIRE) + SYSV_WINDOW_BYTES) {
            sysv_sleep(&backoff);   /* the window: at most 64 KiB not yet echoed */
        }
        g_sysv_tx->mtype = SYSV_SERVER_TYPE;
        memcpy(g_sysv_tx->mtext, &g_sysv_reply_type, SYSV_TAG_BYTES);
        memcpy(g_sysv_tx->mtext + SYSV_TAG_BYTES, p + off, k);
        /* msgsnd(2) copies type, tag and payload into the queue; it sleeps only while the queue is full (the
         * server keeps half of it free for requests). n == 0 sends the tag alone: END. */
        while (msgsnd(g_sysv_id, g_sysv_tx, SYSV_TAG_BYTES + k, 0) < 0) {
            if (errno != EINTR) {
                die("msgsnd");
            }
        }
        __atomic_add_fetch(&g_sysv_sent, k, __ATOMIC_RELAXED);
        off += k;
    } while (off < n);
}

static size_t sysv_receive_some(const chan *c, unsigned char *p, size_t room) {
    (void)c;
    (void)room;   /* at least msgsize, the most one message carries */
    ssize_t r;
    if (g_sysv_server) {
        long backoff = 0;
        for (;;) {
            sysv_flush_backlog();
            int waiting = g_sysv_bl_start < g_sysv_bl_end;
            /* msgrcv(2) for type 1: the oldest request; the replies of other types in the queue are skipped.
             * While echoes wait in the backlog the server must not sleep here: IPC_NOWAIT and short sleeps. */
            r = msgrcv(g_sysv_id, g_sysv_rx, g_sysv_msgmax, SYSV_SERVER_TYPE, waiting ? IPC_NOWAIT : 0);
            if (r >= 0) {
                break;
            }
            if (errno == ENOMSG) {
                sysv_sleep(&backoff);
            } else if (errno != EINTR) {
                die("msgrcv");
            }
        }
        if (r < SYSV_TAG_BYTES) {
            fail(4, "sysv-mq: a %zd-byte request has no reply type", r);
        }
        memcpy(&g_sysv_reply_type, g_sysv_rx->mtext, SYSV_TAG_BYTES);
        memcpy(p, g_sysv_rx->mtext + SYSV_TAG_BYTES, (size_t)r - SYSV_TAG_BYTES);
        return (size_t)r - SYSV_TAG_BYTES;   /* 0: END */
    }
    /* msgrcv(2) for type R, our own: only the echo of our requests; an empty message ends the echo. */
    while ((r = msgrcv(g_sysv_id, g_sysv_rx, g_sysv_msgmax, g_sysv_reply_type, 0)) < 0) {
        if (errno != EINTR) {
            die("msgrcv");
        }
    }
    memcpy(p, g_sysv_rx->mtext, (size_t)r);
    __atomic_add_fetch(&g_sysv_received, (uint64_t)r, __ATOMIC_RELEASE);
    return (size_t)r;
}

static void sysv_finish_sending(chan *c) {
    if (!g_sysv_server) {
        sysv_send(c, (const unsigned char *)"", 0);   /* END: the tag alone */
        return;
    }
    long backoff = 0;
    while (g_sysv_bl_start < g_sysv_bl_end) {   /* every echoed byte first, then the end */
        sysv_flush_backlog();
        if (g_sysv_bl_start < g_sysv_bl_end) {
            sysv_sleep(&backoff);
        }
    }
    while (!sysv_try_reply((const unsigned char *)"", 0)) {
        sysv_sleep(&backoff);
    }
}

static void sysv_release(chan *c) {
    (void)c;
    /* msgctl(2) IPC_RMID: the queue is gone for everyone at once; without it, it would outlive this program. */
    sysv_remove_at_exit();
    free(g_sysv_tx);
    free(g_sysv_rx);
    g_sysv_tx = g_sysv_rx = NULL;
}
/* ==== shm ==== */
/* shm: POSIX shared memory, the same work as ipc-lab's shm transport (ipc-shm, ShmRing): one segment made with
 * shm_open(3) + mmap(2) MAP_SHARED, one single-producer single-consumer byte ring per direction, and a waiting
 * side that sleeps on a futex word inside the segment ("shm") or busy-polls it ("shm-spin"). The ring's layout is
 * the Java one: head (bytes ever written) and the consumer's waiter count on one cache line, tail and the
 * producer's waiter count on the next, then the data. A round trip makes no system call at all while the other
 * side is awake, and one FUTEX_WAKE per direction when it sleeps. As ShmRing does: when the other side spins
 * ("shm-spin": nobody ever sleeps) a store is a plain release store, with no full barrier and no look at a waiter
 * count, and the producer reads the consumer's tail again only when the room it last saw is not enough.
 * Watch it: `strace -f -e trace=futex` (FUTEX_WAIT / FUTEX_WAKE without _PRIVATE), `grep ipclab /proc/<pid>/maps`
 * (the segment appears as /dev/shm/ipclab-floor-... (deleted): its name is removed right after shm_open). */
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define SHM_RING_BYTES (256 * 1024)  /* ShmSegment.DEFAULT_RING_BYTES: room for more than one 64 KiB write in flight */
#define SHM_RING_HEADER 128
#if defined(__x86_64__) || defined(__i386__)
#define SHM_CPU_RELAX() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define SHM_CPU_RELAX() __asm__ __volatile__("yield")
#else
#define SHM_CPU_RELAX() ((void)0)
#endif
#define SHM_WAIT_SLICE_NS 100000000L
#define SHM_SPINS_PER_YIELD 1024     /* ShmRing.SPINS_PER_CLOCK_READ */ /* ShmRing.WAIT_SLICE_NS: a sleeper wakes this often (the watchdog bounds the run) */

typedef struct shm_ring {
    uint64_t head;             /* bytes ever written; stored by the producer only */
    uint32_t head_waiters;     /* the consumer sleeps on head's low word */
    uint32_t closed;           /* end of stream */
    unsigned char pad1[48];
    uint64_t tail;             /* bytes ever taken; stored by the consumer only */
    uint32_t tail_waiters;     /* the producer sleeps on tail's low word */
    unsigned char pad2[52];
    unsigned char data[SHM_RING_BYTES];
} shm_ring;

_Static_assert(sizeof(shm_ring) == SHM_RING_HEADER + SHM_RING_BYTES, "shm_ring layout");

/* Both processes' view of the segment (mapped before fork(2), so at the same address in each), and how they wait.
 * A chan's wfd/rfd say which ring it writes and reads: 0 is client to server, 1 server to client. */
static shm_ring *g_shm_rings;
static int g_shm_spin;
static uint64_t g_shm_tail_seen[2];   /* the producer's last look at each ring's tail (this process's own copy) */

static long shm_futex(void *word, int op, uint32_t val, const struct timespec *timeout) {
    /* futex(2) has no glibc wrapper. FUTEX_WAIT, not FUTEX_WAIT_PRIVATE: the private ops key the sleeper on this
     * process's address space, and a waker in the other process would never find it - every wake-up lost. */
    return syscall(SYS_futex, word, op, val, timeout, NULL, 0);
}

/* Waits until *counter is no longer `seen` (or, with closed != NULL, the ring is closed). */
static void shm_await_change(uint64_t *counter, uint32_t *waiters, uint64_t seen, const uint32_t *closed) {
    unsigned spins = 0;
    for (;;) {
        if (__atomic_load_n(counter, __ATOMIC_SEQ_CST) != seen || (closed && __atomic_load_n(closed, __ATOMIC_SEQ_CST))) {
            return;
        }
        if (g_shm_spin) {
            SHM_CPU_RELAX();   /* Thread.onSpinWait(): tells the CPU we are spinning */
            if (++spins % SHM_SPINS_PER_YIELD == 0) {
                sched_yield();   /* as ShmRing: a thread waiting for this CPU (the writer thread) gets its turn */
            }
            continue;
        }
        /* Count ourselves (a full barrier), look again, and only then sleep while the word still holds `seen`;
         * the waker publishes its word, then reads our count: one of us sees the other. */
        __atomic_fetch_add(waiters, 1, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(counter, __ATOMIC_SEQ_CST) == seen && !(closed && __atomic_load_n(closed, __ATOMIC_SEQ_CST))) {
            struct timespec slice = { 0, SHM_WAIT_SLICE_NS };
            if (shm_futex(counter, FUTEX_WAIT, (uint32_t)seen, &slice) < 0 && errno != EAGAIN && errno != EINTR
                && errno != ETIMEDOUT) {
                die("futex(FUTEX_WAIT)");
            }
        }
        __atomic_fetch_sub(waiters, 1, __ATOMIC_SEQ_CST);
    }
}

static void shm_wake_if_waiting(void *word, uint32_t *waiters) {
    if (__atomic_load_n(waiters, __ATOMIC_SEQ_CST) != 0 && shm_futex(word, FUTEX_WAKE, 1, NULL) < 0) {
        die("futex(FUTEX_WAKE)");
    }
}

static void shm_prepare_common(chan *c) {
    char name[64];
    snprintf(name, sizeof name, "/ipclab-floor-%d-shm", (int)getpid());
    /* shm_open(3): open(2) of /dev/shm/<name> with O_CREAT|O_EXCL, mode 0600 - a tmpfs file. ftruncate(2) sizes
     * it (pages are allocated when first touched), mmap(2) MAP_SHARED maps it; the forked server inherits the
     * mapping. shm_unlink(3) removes the name at once, so nothing is left in /dev/shm if anyone is killed. */
    int fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
    if (fd < 0) {
        g_hint = "EEXIST: a stale segment, rm /dev/shm/ipclab-floor-*; EACCES: /dev/shm not writable";
        die("shm_open");
    }
    size_t size = 2 * sizeof(shm_ring);
    if (shm_unlink(name) < 0) {
        die("shm_unlink");
    }
    if (ftruncate(fd, (off_t)size) < 0) {
        die("ftruncate(shm)");
    }
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        die("mmap(shm)");
    }
    close(fd);
    g_shm_rings = p;
    g_shm_tail_seen[0] = g_shm_tail_seen[1] = 0;
    c->wfd = 0;
    c->rfd = 1;
}

static void shm_prepare(chan *c, const char *dir) {
    (void)dir;
    g_shm_spin = 0;
    shm_prepare_common(c);
}

static void shm_spin_prepare(chan *c, const char *dir) {
    (void)dir;
    g_shm_spin = 1;
    shm_prepare_common(c);
}

static void shm_serve_open(chan *server, const chan *client, int ready_fd) {
    server->wfd = client->rfd;
    server->rfd = client->wfd;
    report_ready(ready_fd, 0);
}

static void shm_connect(chan *c, int port) {
    (void)c;
    (void)port;   /* mapped before fork(2) */
}

static void shm_send(const chan *c, const unsigned char *p, size_t n) {
    shm_ring *r = &g_shm_rings[c->wfd];
    while (n > 0) {
        uint64_t head = r->head;   /* our own store */
        uint64_t tail = g_shm_tail_seen[c->wfd];
        if (SHM_RING_BYTES - (size_t)(head - tail) < (n < SHM_RING_BYTES ? n : SHM_RING_BYTES)) {
            tail = g_shm_tail_seen[c->wfd] = __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);
        }
        size_t free_bytes = SHM_RING_BYTES - (size_t)(head - tail);
        if (free_bytes == 0) {
            shm_await_change(&r->tail, &r->tail_waiters, tail, NULL);
            continue;
        }
        size_t at = (size_t)(head & (SHM_RING_BYTES - 1));
        size_t k = n < free_bytes ? n : free_bytes;
        if (k > SHM_RING_BYTES - at) {
            k = SHM_RING_BYTES - at;
        }
        memcpy(r->data + at, p, k);
        if (g_shm_spin) {
            __atomic_store_n(&r->head, head + k, __ATOMIC_RELEASE);   /* the consumer spins: nobody to wake */
        } else {
            /* Publish the word (release + full barrier), then read the waiter count. */
            __atomic_store_n(&r->head, head + k, __ATOMIC_SEQ_CST);
            shm_wake_if_waiting(&r->head, &r->head_waiters);
        }
        p += k;
        n -= k;
    }
}

static size_t shm_receive_some(const chan *c, unsigned char *p, size_t room) {
    shm_ring *r = &g_shm_rings[c->rfd];
    for (;;) {
        uint64_t tail = r->tail;
        uint64_t head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
        if (head == tail) {
            if (__atomic_load_n(&r->closed, __ATOMIC_SEQ_CST) && __atomic_load_n(&r->head, __ATOMIC_SEQ_CST) == tail) {
                return 0;
            }
            shm_await_change(&r->head, &r->head_waiters, tail, &r->closed);
            continue;
        }
        size_t at = (size_t)(tail & (SHM_RING_BYTES - 1));
        size_t k = (size_t)(head - tail);
        if (k > room) {
            k = room;
        }
        if (k > SHM_RING_BYTES - at) {
            k = SHM_RING_BYTES - at;
        }
        memcpy(p, r->data + at, k);
        if (g_shm_spin) {
            __atomic_store_n(&r->tail, tail + k, __ATOMIC_RELEASE);
        } else {
            __atomic_store_n(&r->tail, tail + k, __ATOMIC_SEQ_CST);
            shm_wake_if_waiting(&r->tail, &r->tail_waiters);
        }
        return k;
    }
}

static void shm_finish_sending(chan *c) {
    shm_ring *r = &g_shm_rings[c->wfd];
    __atomic_store_n(&r->closed, 1, __ATOMIC_SEQ_CST);
    shm_wake_if_waiting(&r->head, &r->head_waiters);
}

static void shm_release(chan *c) {
    (void)c;
    munmap(g_shm_rings, 2 * sizeof(shm_ring));
    g_shm_rings = NULL;
}
/* ==== end shm ==== */

/* ==== udp ==== */

/* UDP on 127.0.0.1, as ipc-lab's udp does it: the server binds one datagram socket and answers each datagram to
 * the address recvfrom(2) reported; the client connects its socket (connect(2) sends nothing, it only fixes the
 * peer) and sends each message as ONE datagram, so a message is at most UDP_MAX_PAYLOAD bytes (65,535 minus the
 * 20-byte IP and 8-byte UDP headers; one more fails with EMSGSIZE). An empty datagram stands for end of stream,
 * as the empty message does for posix-mq. Nothing retransmits here: a lost datagram would stall the run until
 * the watchdog ends it, so this floor measures round trips only (one datagram in flight), never streaming.
 * Watch: `ss -uanp` (the two sockets, Recv-Q), `strace -f -e trace=network` (sendto and recvfrom per round trip),
 * grep Udp: /proc/net/snmp (RcvbufErrors counts datagrams the kernel dropped for a full receive buffer). */
#define UDP_MAX_PAYLOAD 65507

static struct sockaddr_in g_udp_peer;   /* server: whoever sent the last datagram */
static socklen_t g_udp_peer_len;
static int g_udp_server;                /* set in the forked server: it answers to the source of each datagram */

static void udp_serve_open(chan *server, const chan *client, int ready_fd) {
    (void)client;
    /* socket(2) SOCK_DGRAM and bind(2) to 127.0.0.1 port 0: from here the kernel queues every datagram sent to
     * that port, from anyone. There is no listen(2) and no accept(2): nothing to connect to, no backlog. */
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) {
        die("socket(SOCK_DGRAM)");
    }
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0 };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || getsockname(fd, (struct sockaddr *)&a, &len) < 0) {
        die("bind(127.0.0.1:0, udp)");
    }
    server->rfd = server->wfd = fd;
    server->msgsize = UDP_MAX_PAYLOAD;
    g_udp_peer_len = 0;
    g_udp_server = 1;
    report_ready(ready_fd, ntohs(a.sin_port));
}

static void udp_connect(chan *c, int port) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) {
        die("socket(SOCK_DGRAM)");
    }
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    /* connect(2) on a datagram socket: no packet, the kernel only records the peer (send needs no address,
     * recv takes datagrams from it only, and an ICMP port unreachable becomes ECONNREFUSED). */
    connect_or_die(fd, (struct sockaddr *)&a, sizeof a);
    c->rfd = c->wfd = fd;
    c->msgsize = UDP_MAX_PAYLOAD;
}

static void udp_send(const chan *c, const unsigned char *p, size_t n) {
    if (n > UDP_MAX_PAYLOAD) {
        errno = EMSGSIZE;
        g_hint = "one message is one datagram: at most 65,507 bytes over IPv4";
        die("udp send");
    }
    /* sendto(2) of one datagram: copied into the kernel and on its way (or dropped if the receiver's buffer is
     * full; the sender is not told). The server answers to the address it last heard from; the client's socket
     * is connected, so it passes none. */
    const struct sockaddr *to = g_udp_peer_len > 0 ? (const struct sockaddr *)&g_udp_peer : NULL;
    while (sendto(c->wfd, p, n, 0, to, to != NULL ? g_udp_peer_len : 0) < 0) {
        if (errno != EINTR) {
            die("sendto");
        }
    }
}

static size_t udp_receive_one(const chan *c, unsigned char *p, size_t room) {
    ssize_t r;
    struct sockaddr_in from;
    socklen_t len = sizeof from;
    /* recvfrom(2) sleeps until a datagram is queued and returns exactly one, whole (a shorter buffer would cut
     * it, silently: room is always UDP_MAX_PAYLOAD here), and who sent it. */
    while ((r = recvfrom(c->rfd, p, room, 0, (struct sockaddr *)&from, &len)) < 0) {
        if (errno != EINTR) {
            die("recvfrom");
        }
        len = sizeof from;
    }
    if (g_udp_server && len == sizeof from) {
        g_udp_peer = from;   /* answer whoever sent this */
        g_udp_peer_len = len;
    }
    return (size_t)r;
}

/* No connection to shut down: the empty datagram is the end of stream. */
static void udp_finish_sending(chan *c) {
    udp_send(c, (const unsigned char *)"", 0);
}

static void udp_release(chan *c) {
    close(c->rfd);
}
/* ==== end udp ==== */

/* ---------------------------------------------- the table */

static const mechanism MECHANISMS[] = {
    { "tcp", nothing_to_prepare, tcp_serve_open, tcp_connect,
      stream_send, stream_receive_some, socket_finish_sending, stream_release },
    { "unix", unix_prepare, unix_serve_open, unix_connect,
      stream_send, stream_receive_some, socket_finish_sending, stream_release },
    { "pipe", pipe_prepare, pipe_serve_open, pipe_connect,
      stream_send, stream_receive_some, pipe_finish_sending, stream_release },
    { "fifo", fifo_prepare, fifo_serve_open, fifo_connect,
      stream_send, stream_receive_some, pipe_finish_sending, stream_release },
    { "posix-mq", mq_prepare, mq_serve_open, mq_connect,
      mq_send_pieces, mq_receive_one, mq_finish_sending, mq_release },
    { "sysv-mq", sysv_prepare, sysv_serve_open, sysv_connect,
      sysv_send, sysv_receive_some, sysv_finish_sending, sysv_release },
    { "shm", shm_prepare, shm_serve_open, shm_connect,
      shm_send, shm_receive_some, shm_finish_sending, shm_release },
    { "shm-spin", shm_spin_prepare, shm_serve_open, shm_connect,
      shm_send, shm_receive_some, shm_finish_sending, shm_release },
    { "udp", nothing_to_prepare, udp_serve_open, udp_connect,
      udp_send, udp_receive_one, udp_finish_sending, udp_release },
};
#define MECHANISM_COUNT (sizeof MECHANISMS / sizeof MECHANISMS[0])

static const mechanism *find_mechanism(const char *id) {
    for (size_t i = 0; i < MECHANISM_COUNT; i++) {
        if (strcmp(id, MECHANISMS[i].id) == 0) {
            return &MECHANISMS[i];
        }
    }
    return NULL;
}

/* The ids as a list for messages: "tcp, unix, pipe, fifo or posix-mq" (separator ", " and last " or "). */
static const char *mechanism_ids(const char *separator, const char *last) {
    static char list[256];
    list[0] = '\0';
    for (size_t i = 0; i < MECHANISM_COUNT; i++) {
        const char *before = i == 0 ? "" : i + 1 == MECHANISM_COUNT ? last : separator;
        strncat(list, before, sizeof list - strlen(list) - 1);
        strncat(list, MECHANISMS[i].id, sizeof list - strlen(list) - 1);
    }
    return list;
}

/* ------------------------------------------------------------------------------------------ a session, whatever the mechanism */

static inline void chan_send(const chan *c, const unsigned char *p, size_t n) {
    c->m->send(c, p, n);
}

static inline size_t chan_receive_some(const chan *c, unsigned char *p, size_t room) {
    return c->m->receive_some(c, p, room);
}

/* Reads exactly n bytes. For a message mechanism, `p` must have msgsize bytes of room beyond n: each
 * receive is given msgsize bytes of buffer, and the kernel writes only the message's length. */
static void chan_receive_exactly(const chan *c, unsigned char *p, size_t n) {
    size_t got = 0;
    while (got < n) {
        size_t room = c->msgsize > 0 ? c->msgsize : n - got;
        size_t r = chan_receive_some(c, p + got, room);
        if (r == 0) {
            fail(4, "%s: the echo ended after %zu of %zu bytes (the server closed early)", c->m->id, got, n);
        }
        got += r;
    }
    if (got != n) {
        fail(4, "%s: %zu bytes came back for a %zu-byte message", c->m->id, got, n);
    }
}

/* ------------------------------------------------------------------------------------------ the server (child) */

/* The echo: read what is there, write exactly that back, until end of stream. */
static void serve(chan *c) {
    size_t room = ECHO_BUFFER_BYTES;
    if (c->msgsize > room) {
        room = c->msgsize;
    }
    unsigned char *buf = malloc(room);
    if (buf == NULL) {
        die("malloc");
    }
    for (;;) {
        size_t n = chan_receive_some(c, buf, room);
        if (n == 0) {
            c->m->finish_sending(c);
            break;
        }
        chan_send(c, buf, n);
    }
    free(buf);
}

/* Child side, right after fork(2). It runs until the client's end of stream, then _exit(0). */
static void child_setup(int server_cpu) {
    /* prctl(2) PR_SET_PDEATHSIG: the kernel sends us SIGKILL when the client dies (a watchdog, a kill -9
     * from the harness), so a stuck server never outlives the measurement. The check after it closes the
     * race of a client that died before the prctl. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) {
        die("prctl(PR_SET_PDEATHSIG)");
    }
    if (getppid() == 1) {
        _exit(1);
    }
    pin_to(server_cpu);
}

/* ------------------------------------------------------------------------------------------ set-up (client) */

/* Waits until the server says it listens (or has opened its queue), bounded by READY_TIMEOUT_MS. A server
 * that fails before that exits, the pipe's write end closes, and read returns 0. */
static int await_ready(int ready_fd) {
    struct pollfd pfd = { .fd = ready_fd, .events = POLLIN };
    /* poll(2) is the bound: without it a server stuck before listen() would keep us in read forever. */
    int p = poll(&pfd, 1, READY_TIMEOUT_MS);
    if (p < 0) {
        die("poll(ready pipe)");
    }
    if (p == 0) {
        fail(2, "the echo server did not get ready within %d ms", READY_TIMEOUT_MS);
    }
    char line[32] = { 0 };
    ssize_t n = read(ready_fd, line, sizeof line - 1);
    if (n <= 0) {
        fail(2, "the echo server exited before it was ready (see its message above)");
    }
    close(ready_fd);
    return atoi(line);
}


/* Starts the echo server in a forked child and connects `c` to it. */
static void open_session(chan *c, const mechanism *m, int server_cpu, const char *dir) {
    memset(c, 0, sizeof *c);
    c->m = m;
    c->rfd = c->wfd = c->peer_rfd = c->peer_wfd = -1;
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) < 0) {
        die("pipe2(ready)");
    }
    m->prepare(c, dir);

    fflush(stdout);   /* or the child inherits unwritten output and prints it a second time */
    /* fork(2): the child is a copy of this process (memory copy-on-write, the same open descriptors). It
     * runs the server; nothing is exec'd. Watch: `pstree -p <pid>`, `strace -f` follows both. */
    pid_t pid = fork();
    if (pid < 0) {
        g_hint = "the process limit? (ulimit -u)";
        die("fork");
    }
    if (pid == 0) {
        close(ready[0]);
        child_setup(server_cpu);
        chan sc = { .m = m, .rfd = -1, .wfd = -1, .peer_rfd = -1, .peer_wfd = -1 };
        m->serve_open(&sc, c, ready[1]);
        serve(&sc);
        _exit(0);   /* _exit: no atexit handlers, no second flush of the stdio buffers we inherited */
    }

    g_server = pid;
    close(ready[1]);
    int port = await_ready(ready[0]);
    m->connect(c, port);
}

/* End of stream, drain, and the server's exit status: it must exit 0 after echoing everything. */
static void close_session(chan *c) {
    c->m->finish_sending(c);
    static unsigned char drain[ECHO_BUFFER_BYTES];
    size_t room = sizeof drain;
    unsigned char *buf = drain;
    if (c->msgsize > room) {
        buf = malloc(c->msgsize);
        room = c->msgsize;
    }
    size_t extra = 0, n;
    while ((n = chan_receive_some(c, buf, room)) > 0) {
        extra += n;
    }
    if (buf != drain) {
        free(buf);
    }
    if (extra > 0) {
        fail(4, "%s: %zu bytes came back that were never sent", c->m->id, extra);
    }
    int status;
    /* waitpid(2) collects the child's exit status; until then it is a zombie (Z in `ps`). */
    if (waitpid(g_server, &status, 0) < 0) {
        die("waitpid");
    }
    g_server = 0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fail(3, "the echo server ended abnormally (wait status %d)", status);
    }
    c->m->release(c);
}

/* ------------------------------------------------------------------------------------------ the writer thread */

/* Writes `count` messages of `len` bytes, alternating two payloads, each time the main thread posts `go`. */
static struct {
    sem_t go, done;
    const chan *c;
    const unsigned char *payload[2];
    size_t len, count;
    int quit;
} g_writer;

static void *writer_main(void *arg) {
    (void)arg;
    for (;;) {
        while (sem_wait(&g_writer.go) < 0) {
            if (errno != EINTR) {
                die("sem_wait");
            }
        }
        if (g_writer.quit) {
            return NULL;
        }
        for (size_t i = 0; i < g_writer.count; i++) {
            chan_send(g_writer.c, g_writer.payload[i & 1], g_writer.len);
        }
        sem_post(&g_writer.done);
    }
}

static void writer_submit(const unsigned char *a, const unsigned char *b, size_t len, size_t count) {
    g_writer.payload[0] = a;
    g_writer.payload[1] = b;
    g_writer.len = len;
    g_writer.count = count;
    sem_post(&g_writer.go);
}

static void writer_await(void) {
    while (sem_wait(&g_writer.done) < 0) {
        if (errno != EINTR) {
            die("sem_wait");
        }
    }
}

/* ------------------------------------------------------------------------------------------ measurements */

static unsigned char *payload_pair(size_t size, unsigned char **complement) {
    unsigned char *a = malloc(size), *b = malloc(size);
    if (a == NULL || b == NULL) {
        die("malloc(payload)");
    }
    uint64_t x = 0x9E3779B97F4A7C15u ^ size;
    for (size_t i = 0; i < size; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        a[i] = (unsigned char)x;
        b[i] = (unsigned char)~a[i];
    }
    *complement = b;
    return a;
}

static int compare_u32(const void *x, const void *y) {
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

/* Nearest rank: the smallest sample with at least p of all samples at or below it. */
static double percentile_us(const uint32_t *sorted, size_t n, double p) {
    size_t rank = (size_t)ceil(p * (double)n);
    return sorted[rank > 0 ? rank - 1 : 0] / 1000.0;
}

static void measure_round_trips(chan *c, const char *tag, size_t size, double warm_s, double measure_s) {
    unsigned char *b, *a = payload_pair(size, &b);
    unsigned char *echo = calloc(1, size + c->msgsize);
    uint32_t *samples = malloc(MAX_SAMPLES * sizeof *samples);
    if (echo == NULL || samples == NULL) {
        die("malloc(samples)");
    }
    uint64_t start = now_ns();
    uint64_t warm_end = start + (uint64_t)(warm_s * 1e9);
    uint64_t end = warm_end + (uint64_t)(measure_s * 1e9);
    size_t n = 0;
    uint64_t t1 = start;
    /* At least one measured round trip, however long it takes (a 1 MiB echo on a busy CPU can outlast a short
     * measurement time); the watchdog still bounds it. */
    for (uint64_t i = 0; (t1 < end || n == 0) && n < MAX_SAMPLES; i++) {
        const unsigned char *sent = (i & 1) ? b : a;
        uint64_t t0 = now_ns();
        if (size <= INLINE_ROUND_TRIP_BYTES) {
            chan_send(c, sent, size);
            chan_receive_exactly(c, echo, size);
        } else {
            writer_submit(sent, sent, size, 1);
            chan_receive_exactly(c, echo, size);
            writer_await();
        }
        if (memcmp(sent, echo, size) != 0) {
            fail(4, "%s: the echo of round trip %llu (%zu bytes) differs from what was sent", tag,
                 (unsigned long long)i, size);
        }
        t1 = now_ns();
        if (t0 >= warm_end) {
            uint64_t ns = t1 - t0;
            samples[n++] = ns > UINT32_MAX ? UINT32_MAX : (uint32_t)ns;
        }
    }
    qsort(samples, n, sizeof *samples, compare_u32);
    printf("# %s %zu: %zu round trips measured after %.2f s of warm-up, every echo compared\n", tag, size, n, warm_s);
    printf("%s %zu rtt_p50 %.3f us\n", tag, size, percentile_us(samples, n, 0.50));
    printf("%s %zu rtt_p90 %.3f us\n", tag, size, percentile_us(samples, n, 0.90));
    printf("%s %zu rtt_p99 %.3f us\n", tag, size, percentile_us(samples, n, 0.99));
    printf("%s %zu rtt_p999 %.3f us\n", tag, size, percentile_us(samples, n, 0.999));
    printf("%s %zu rtt_max %.3f us\n", tag, size, samples[n - 1] / 1000.0);
    printf("%s %zu rtt_n %zu count\n", tag, size, n);
    free(a);
    free(b);
    free(echo);
    free(samples);
}

static void measure_stream(chan *c, const char *tag, size_t message, size_t stream_bytes, double warm_s,
                           double measure_s) {
    size_t messages = stream_bytes / message;
    unsigned char *b, *a = payload_pair(message, &b);
    unsigned char *echo = calloc(1, message + c->msgsize);
    size_t cap = 4096, n = 0;
    uint32_t *ops = malloc(cap * sizeof *ops);
    if (echo == NULL || ops == NULL) {
        die("malloc(stream)");
    }
    uint64_t start = now_ns();
    uint64_t warm_end = start + (uint64_t)(warm_s * 1e9);
    uint64_t end = warm_end + (uint64_t)(measure_s * 1e9);
    uint64_t t1 = start;
    while ((t1 < end || n == 0) && n < cap) {   /* at least one measured operation, as for round trips */
        uint64_t t0 = now_ns();
        writer_submit(a, b, message, messages);
        for (size_t i = 0; i < messages; i++) {
            chan_receive_exactly(c, echo, message);
            if (memcmp((i & 1) ? b : a, echo, message) != 0) {
                fail(4, "%s: streamed echo differs in message %zu", tag, i);
            }
        }
        writer_await();
        t1 = now_ns();
        if (t0 >= warm_end) {
            uint64_t ns = t1 - t0;
            ops[n++] = ns > UINT32_MAX ? UINT32_MAX : (uint32_t)ns;
        }
    }
    qsort(ops, n, sizeof *ops, compare_u32);
    double p50_s = percentile_us(ops, n, 0.50) / 1e6;
    printf("# %s %zu: %zu operations of %zu bytes measured, every message compared\n", tag, message, n, stream_bytes);
    printf("%s %zu stream_mib_s %.1f MiB/s\n", tag, message, stream_bytes / 1048576.0 / p50_s);
    printf("%s %zu stream_n %zu count\n", tag, message, n);
    free(a);
    free(b);
    free(echo);
    free(ops);
}

/* ------------------------------------------------------------------------------------------ main */

static void usage(void) {
    fail(2, "usage:\n"
            "  ipclab_floor rtt    <transport> <placement> <size_bytes> <measure_s> [warmup_s]\n"
            "  ipclab_floor stream <transport> <placement> <message_bytes> <measure_s> [warmup_s] [stream_bytes]\n"
            "transport: %s; placement: same | different | unpinned\n"
            "IPCLAB_FLOOR_DIR: where the fifos and the unix socket are made (default: a new directory in $TMPDIR)",
         mechanism_ids(" | ", " | "));
}

static double parse_seconds(const char *s, const char *what) {
    char *end;
    double v = strtod(s, &end);
    if (*end != '\0' || !(v >= 0) || v > 3600) {
        fail(2, "%s must be a number of seconds between 0 and 3600, not '%s'", what, s);
    }
    return v;
}

static size_t parse_bytes(const char *s, const char *what) {
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end != '\0' || v < 1 || v > (1ull << 30)) {
        fail(2, "%s must be a number of bytes between 1 and 1073741824, not '%s'", what, s);
    }
    return (size_t)v;
}

int main(int argc, char **argv) {
    if (argc < 6) {
        usage();
    }
    int stream = strcmp(argv[1], "stream") == 0;
    if (!stream && strcmp(argv[1], "rtt") != 0) {
        usage();
    }
    const mechanism *m = find_mechanism(argv[2]);
    if (m == NULL) {
        fail(2, "unknown transport '%s'; use %s", argv[2], mechanism_ids(", ", " or "));
    }
    int client_cpu, server_cpu;
    if (strcmp(argv[3], "same") == 0) {
        client_cpu = 0;
        server_cpu = 0;
    } else if (strcmp(argv[3], "different") == 0) {
        client_cpu = 0;
        server_cpu = 1;
    } else if (strcmp(argv[3], "unpinned") == 0) {
        client_cpu = -1;
        server_cpu = -1;
    } else {
        fail(2, "unknown placement '%s'; use same, different or unpinned", argv[3]);
    }
    size_t size = parse_bytes(argv[4], stream ? "message_bytes" : "size_bytes");
    double measure_s = parse_seconds(argv[5], "measure_s");
    double warm_s = argc > 6 ? parse_seconds(argv[6], "warmup_s") : measure_s / 3;
    size_t stream_bytes = argc > 7 ? parse_bytes(argv[7], "stream_bytes") : DEFAULT_STREAM_BYTES;
    if (stream && (stream_bytes < size || stream_bytes % size != 0)) {
        fail(2, "stream_bytes (%zu) must be a multiple of message_bytes (%zu)", stream_bytes, size);
    }
    g_client = getpid();

    /* A write to a pipe or socket whose reader is gone raises SIGPIPE, which kills silently; ignored, the
     * write fails with EPIPE and we say so. */
    signal(SIGPIPE, SIG_IGN);
    signal(SIGALRM, on_watchdog);
    alarm((unsigned)ceil(warm_s + measure_s) + WATCHDOG_SLACK_S);

    const char *dir = getenv("IPCLAB_FLOOR_DIR");
    if (dir == NULL || *dir == '\0') {
        const char *tmp = getenv("TMPDIR");
        snprintf(g_made_dir, sizeof g_made_dir, "%s/ipclab-floor-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (mkdtemp(g_made_dir) == NULL) {
            die("mkdtemp");
        }
        dir = g_made_dir;
    }
    if (strlen(dir) > 80) {
        fail(2, "the run directory path '%s' is too long for a unix socket address (108 bytes); set IPCLAB_FLOOR_DIR", dir);
    }

    pin_to(client_cpu);   /* before fork and pthread_create: the server and the writer inherit it */
    char tag[64];
    snprintf(tag, sizeof tag, "%s %s", m->id, argv[3]);
    chan c;
    open_session(&c, m, server_cpu, dir);
    printf("# %s: client pid %d, server pid %d\n", tag, (int)getpid(), (int)g_server);

    g_writer.c = &c;
    if (sem_init(&g_writer.go, 0, 0) < 0 || sem_init(&g_writer.done, 0, 0) < 0) {
        die("sem_init");
    }
    pthread_t writer;
    if (pthread_create(&writer, NULL, writer_main, NULL) != 0) {
        fail(2, "pthread_create failed");
    }
    if (stream) {
        measure_stream(&c, tag, size, stream_bytes, warm_s, measure_s);
    } else {
        measure_round_trips(&c, tag, size, warm_s, measure_s);
    }
    g_writer.quit = 1;
    sem_post(&g_writer.go);
    pthread_join(writer, NULL);
    close_session(&c);
    if (g_made_dir[0] != '\0') {
        rmdir(g_made_dir);
    }
    fflush(stdout);
    return 0;
}
