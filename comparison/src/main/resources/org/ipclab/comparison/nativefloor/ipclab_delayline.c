/*
 * ipclab_delayline.c - an emulated network link between two network namespaces, in user space.
 *
 * The kernel of this machine has no netem qdisc (CONFIG_NET_SCH_NETEM is not set), so it cannot delay packets by
 * itself. This program does it instead: it opens one TUN device in each namespace and relays every IP packet from
 * one to the other, holding it for RTT/2 in each direction, dropping it with the configured probability, and pacing
 * the packets to the configured rate, as a link of that speed would serialise them.
 *
 * Usage: ipclab_delayline NS_A NS_B RTT_US RATE_BIT_S LOSS_PPM QUEUE_BYTES [SEED]
 *   NS_A, NS_B   names under /run/netns (ip netns add NAME)
 *   RTT_US       round trip in microseconds; each direction holds a packet RTT_US/2
 *   RATE_BIT_S   the link's rate in bits per second (0: no pacing)
 *   LOSS_PPM     each packet, in each direction, is dropped with this probability (parts per million)
 *   QUEUE_BYTES  bytes that may wait for the link before new packets are dropped (a router's buffer)
 * It makes a TUN device named ipclab0 in each namespace (the caller gives it its address and brings it up),
 * prints "READY", relays until its standard input closes, then prints one "STATS ..." line and exits; the
 * devices vanish with the program. Build by hand: gcc -O2 -Wall -o /tmp/ipclab_delayline native/ipclab_delayline.c
 *
 * Watch it: `ip -n NS_A link show ipclab0`, `ip netns exec NS_A ss -ti` (the RTT TCP measures, its cwnd and
 * retransmissions), `strace -e trace=ppoll,read,write -p PID`.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define DEVICE "ipclab0"
#define SLOT_BYTES 2048          /* a packet of the TUN's MTU (1500) fits; without IFF_VNET_HDR there is no GSO */
#define SLOTS 8192               /* packets in flight per direction: rate x delay + queue must fit */
#define WATCHDOG_S 3600

struct packet {
    int64_t release_ns;          /* when it leaves the link at the far end */
    int length;
    unsigned char bytes[SLOT_BYTES];
};

/* One direction of the link: a FIFO ordered by release time (the delay is the same for every packet, and a
 * packet never overtakes the one before it on the wire, so arrival order is release order). */
struct direction {
    const char *name;
    int from, to;
    struct packet *ring;
    int head, count;
    int64_t wire_free_ns;        /* when the link finishes serialising the previous packet */
    long long packets, delivered, lost, queue_drops, ring_drops;
};

static int64_t delay_ns, rate_bit_s, loss_ppm, queue_bytes;
static uint64_t random_state = 88172645463325252ULL;

static void die(const char *what) {
    fprintf(stderr, "ipclab_delayline: %s: %s\n", what, strerror(errno));
    exit(1);
}

static int64_t now_ns(void) {
    /* clock_gettime(2) CLOCK_MONOTONIC: never jumps with the wall clock; read through the vDSO, no system call. */
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static uint64_t next_random(void) {   /* xorshift64: fast, and repeatable with a seed */
    random_state ^= random_state << 13;
    random_state ^= random_state >> 7;
    random_state ^= random_state << 17;
    return random_state;
}

/* Opens a TUN device inside the namespace NAME and returns its descriptor. */
static int open_tun_in(const char *name) {
    char path[512];
    snprintf(path, sizeof path, "/run/netns/%s", name);
    int ns = open(path, O_RDONLY | O_CLOEXEC);
    if (ns < 0) {
        die(path);
    }
    /* setns(2) with CLONE_NEWNET: from here on this thread's sockets and new devices belong to that namespace.
     * `ip netns add` made the file /run/netns/NAME a bind mount of the namespace, which keeps it alive. */
    if (setns(ns, CLONE_NEWNET) < 0) {
        die("setns");
    }
    close(ns);
    /* open(2) /dev/net/tun + ioctl(2) TUNSETIFF: the kernel creates a network interface in the CURRENT network
     * namespace. IFF_TUN: it carries IP packets (no Ethernet header); IFF_NO_PI: no 4-byte header before each.
     * Each packet the namespace's stack routes to the interface becomes one read(2) here; each write(2) here is
     * received by that stack as if it had come in on a wire. The interface lives as long as this descriptor
     * (it is not persistent): when the program ends, it goes. See Documentation/networking/tuntap.rst. */
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        die("open /dev/net/tun");
    }
    struct ifreq request;
    memset(&request, 0, sizeof request);
    request.ifr_flags = IFF_TUN | IFF_NO_PI;
    strncpy(request.ifr_name, DEVICE, IFNAMSIZ - 1);
    if (ioctl(fd, TUNSETIFF, &request) < 0) {
        die("ioctl TUNSETIFF");
    }
    return fd;
}

/* Reads every packet waiting on d->from and queues each with its release time, or drops it. */
static void take(struct direction *d) {
    for (;;) {
        struct packet *slot = &d->ring[(d->head + d->count) % SLOTS];
        unsigned char scratch[SLOT_BYTES];
        int full = d->count == SLOTS;
        /* read(2) on a TUN descriptor returns exactly one packet, or EAGAIN when none waits (O_NONBLOCK). */
        ssize_t n = read(d->from, full ? scratch : slot->bytes, SLOT_BYTES);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) {
                return;
            }
            die("read tun");
        }
        d->packets++;
        if (full) {
            d->ring_drops++;
            continue;
        }
        if (loss_ppm > 0 && (int64_t)(next_random() % 1000000) < loss_ppm) {
            d->lost++;
            continue;
        }
        int64_t now = now_ns();
        int64_t start = d->wire_free_ns > now ? d->wire_free_ns : now;
        if (rate_bit_s > 0 && (start - now) * rate_bit_s / 8000000000LL > queue_bytes) {
            d->queue_drops++;   /* the router's buffer is full: tail drop, what makes TCP slow down */
            continue;
        }
        int64_t serialise = rate_bit_s > 0 ? (int64_t)n * 8 * 1000000000LL / rate_bit_s : 0;
        d->wire_free_ns = start + serialise;
        slot->length = (int)n;
        slot->release_ns = d->wire_free_ns + delay_ns;
        d->count++;
    }
}

/* Writes every packet whose time has come into the far namespace; returns the next release time or -1. */
static int64_t release(struct direction *d, int64_t now) {
    while (d->count > 0) {
        struct packet *p = &d->ring[d->head];
        if (p->release_ns > now) {
            return p->release_ns;
        }
        /* write(2) on the far TUN: the packet enters that namespace's stack (netif_rx) as received. */
        if (write(d->to, p->bytes, p->length) == p->length) {
            d->delivered++;
        }
        d->head = (d->head + 1) % SLOTS;
        d->count--;
    }
    return -1;
}

int main(int argc, char **argv) {
    if (argc < 7) {
        fprintf(stderr, "usage: ipclab_delayline NS_A NS_B RTT_US RATE_BIT_S LOSS_PPM QUEUE_BYTES [SEED]\n");
        return 2;
    }
    delay_ns = atoll(argv[3]) * 1000LL / 2;
    rate_bit_s = atoll(argv[4]);
    loss_ppm = atoll(argv[5]);
    queue_bytes = atoll(argv[6]);
    if (argc > 7 && atoll(argv[7]) != 0) {
        random_state = (uint64_t)atoll(argv[7]);
    }
    alarm(WATCHDOG_S);
    int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    int a = open_tun_in(argv[1]);
    int b = open_tun_in(argv[2]);
    /* Back to the namespace we started in: the two descriptors stay attached to their own namespaces. */
    if (home >= 0 && setns(home, CLONE_NEWNET) < 0) {
        die("setns home");
    }
    struct direction ab = {.name = "a2b", .from = a, .to = b}, ba = {.name = "b2a", .from = b, .to = a};
    ab.ring = malloc(sizeof(struct packet) * SLOTS);
    ba.ring = malloc(sizeof(struct packet) * SLOTS);
    if (!ab.ring || !ba.ring) {
        die("malloc");
    }
    printf("READY\n");
    fflush(stdout);

    struct pollfd fds[3] = {{.fd = a, .events = POLLIN}, {.fd = b, .events = POLLIN}, {.fd = 0, .events = POLLIN}};
    for (;;) {
        int64_t now = now_ns();
        int64_t next_ab = release(&ab, now), next_ba = release(&ba, now);
        int64_t next = next_ab < 0 ? next_ba : (next_ba < 0 || next_ab < next_ba ? next_ab : next_ba);
        struct timespec timeout, *wait = NULL;
        if (next >= 0) {
            int64_t left = next - now_ns();
            left = left < 0 ? 0 : left;
            timeout.tv_sec = left / 1000000000LL;
            timeout.tv_nsec = left % 1000000000LL;
            wait = &timeout;
        }
        /* ppoll(2): sleeps until a TUN has a packet, stdin closes, or the next packet is due; its timeout is a
         * timespec (poll(2) only has milliseconds, too coarse for a 100 us link). The wake-up itself costs tens
         * of microseconds on this VM (timer slack, an idle CPU halting), which adds to each hop. */
        int ready = ppoll(fds, 3, wait, NULL);
        if (ready < 0) {
            if (errno == EINTR) {
                continue;
            }
            die("ppoll");
        }
        if (fds[2].revents) {
            char sink[64];
            if (read(0, sink, sizeof sink) <= 0) {
                break;   /* the harness closed our stdin (or died): the link goes down */
            }
        }
        if (fds[0].revents & POLLIN) {
            take(&ab);
        }
        if (fds[1].revents & POLLIN) {
            take(&ba);
        }
    }
    printf("STATS a2b_packets=%lld a2b_delivered=%lld a2b_lost=%lld a2b_queue_drops=%lld a2b_ring_drops=%lld"
           " b2a_packets=%lld b2a_delivered=%lld b2a_lost=%lld b2a_queue_drops=%lld b2a_ring_drops=%lld\n",
           ab.packets, ab.delivered, ab.lost, ab.queue_drops, ab.ring_drops,
           ba.packets, ba.delivered, ba.lost, ba.queue_drops, ba.ring_drops);
    fflush(stdout);
    return 0;
}
