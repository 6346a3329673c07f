package org.ipclab.comparison.backlog;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.Closer;
import org.ipclab.report.backlog.Arrival;
import org.ipclab.report.backlog.BacklogTrial;
import org.ipclab.report.backlog.ClientResult;
import org.ipclab.report.backlog.KernelView;
import org.ipclab.report.backlog.TrialSummary;

/**
 * One trial on one thread: a listener with backlog B that does not accept, N clients connecting to it, the
 * kernel's view read while they wait, then (optionally) the server accepting and echoing. One
 * {@link Selector} (epoll(7)) drives the clients' non-blocking connects, their probes and echoes, and the
 * server's accepts, so the trial starts no thread and every socket is closed when it ends.
 *
 * <p>Watch a trial from another terminal: {@code watch -n0.2 "ss -tan '( sport = :PORT or dport = :PORT )'"}
 * shows the clients move from SYN-SENT to ESTAB; {@code nstat -az TcpExtListenOverflows} counts the
 * dropped handshakes.
 *
 * <p>The clients are {@link TrialClient}s, the accepted connections {@link AcceptedEcho}es, and {@link TrialWatch}
 * reads the kernel's tables.
 */
final class TrialRun implements AutoCloseable {

    /** Each client sends this many bytes once connected and waits for them to come back. */
    static final int PROBE_BYTES = 16;
    /**
     * How often /proc/net/tcp is read while something is worth watching. Reading it costs the kernel time
     * in proportion to every TCP socket of the namespace (thousands of TIME_WAIT rows on a busy host: tens
     * of ms), so not more often.
     */
    static final long SAMPLE_EVERY_MS = 100;
    private static final long SAMPLE_EVERY_NS = TimeUnit.MILLISECONDS.toNanos(SAMPLE_EVERY_MS);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final int backlog;
    private final Arrival arrival;
    private final int clientCount;
    private final long connectTimeoutNs;
    private final Long acceptAfterMs;
    private final long acceptEveryNs;
    private final long staggerNs;

    private final Selector selector;
    private final ServerSocketChannel listener;
    private final TrialClient[] clients;
    private final Map<Integer, TrialClient> clientsByPort = new HashMap<>();
    private final List<AcceptedEcho> accepted = new ArrayList<>();
    private final ByteBuffer serverBuffer = ByteBuffer.allocateDirect(4096);
    private SelectionKey listenerKey;
    private long nextAcceptNs;
    private int listenBacklog;
    private String listenCall;
    private int port;
    private long t0;
    private boolean closed;

    TrialRun(int backlog, Arrival arrival, int clientCount, long connectTimeoutMs, Long acceptAfterMs,
             long acceptEveryMs, long staggerMs) throws IOException {
        this.backlog = backlog;
        this.arrival = arrival;
        this.clientCount = clientCount;
        this.connectTimeoutNs = TimeUnit.MILLISECONDS.toNanos(connectTimeoutMs);
        this.acceptAfterMs = acceptAfterMs;
        this.acceptEveryNs = TimeUnit.MILLISECONDS.toNanos(acceptEveryMs);
        this.staggerNs = TimeUnit.MILLISECONDS.toNanos(staggerMs);
        this.clients = new TrialClient[clientCount];
        this.selector = Selector.open();
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open(StandardProtocolFamily.INET);
            this.listener = channel;
        } catch (IOException | RuntimeException e) {
            Closer.closeQuietly(e, selector, channel);
            throw e;
        }
    }

    BacklogTrial run() throws IOException {
        return run(line -> { });
    }

    /** Runs the trial; {@code listening} hears where the server listens, so a person can watch it with ss. */
    BacklogTrial run(java.util.function.Consumer<String> listening) throws IOException {
        Map<String, Long> countersBefore = NetCounters.read();
        listen();
        listening.accept("listening on 127.0.0.1:" + port + " with backlog " + listenBacklog
                + " (watch: ss -ltn 'sport = :" + port + "'; ss -tn state syn-sent 'dport = :" + port + "')");
        Integer kernelBacklog = Ss.listen(port).map(Ss.ListenQueues::sendQ).orElse(null);
        t0 = System.nanoTime();
        TrialWatch watch = new TrialWatch(port, clients, clientsByPort, t0);

        long acceptStartedNs = 0;
        long acceptAtNs = acceptAfterMs == null ? Long.MAX_VALUE : t0 + TimeUnit.MILLISECONDS.toNanos(acceptAfterMs);
        long nextSampleNs = t0;
        long lastStartNs = t0;
        int started = 0;
        KernelView waiting = null;
        boolean accepting = false;

        while (true) {
            long now = System.nanoTime();
            while (started < clientCount && mayStart(started, now)) {
                clients[started] = new TrialClient(started + 1, selector, clientsByPort, port, connectTimeoutNs);
                clients[started].start(now);
                lastStartNs = clients[started].startNs;
                started++;
                now = System.nanoTime();
            }
            for (int i = 0; i < started; i++) {
                clients[i].checkConnectTimeout(now);
            }
            if (now >= nextSampleNs) {
                watch.sample(now, started);
                nextSampleNs = now + SAMPLE_EVERY_NS;
            }
            boolean allStarted = started == clientCount;
            long waitingDueNs = allStarted ? Math.min(acceptAtNs, lastStartNs + connectTimeoutNs / 2) : acceptAtNs;
            if (waiting == null && now >= waitingDueNs) {
                waiting = watch.readKernelView(now, countersBefore);
            }
            if (!accepting && waiting != null && now >= acceptAtNs) {
                /* From here the server calls accept(2) whenever the listener is readable (see acceptAll). */
                listenerKey = listener.register(selector, SelectionKey.OP_ACCEPT);
                accepting = true;
                acceptStartedNs = now;
            }
            if (accepting && listenerKey.interestOps() == 0 && now >= nextAcceptNs) {
                listenerKey.interestOps(SelectionKey.OP_ACCEPT);
            }
            long endNs = endNs(allStarted, lastStartNs, acceptAtNs);
            if (waiting != null && (allResolved(started, accepting) || now >= endNs)) {
                break;
            }

            long next = Math.min(nextSampleNs, endNs);
            if (waiting == null) {
                next = Math.min(next, waitingDueNs);
            }
            if (!accepting && acceptAtNs != Long.MAX_VALUE) {
                next = Math.min(next, acceptAtNs);
            }
            if (accepting && listenerKey.interestOps() == 0) {
                next = Math.min(next, nextAcceptNs);
            }
            if (started < clientCount && started > 0) {
                next = Math.min(next, clients[started - 1].startNs + staggerNs);
            }
            for (int i = 0; i < started; i++) {
                if (clients[i].state == TrialClient.State.CONNECTING) {
                    next = Math.min(next, clients[i].startNs + connectTimeoutNs);
                }
            }
            long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(next - System.nanoTime()) + 1);
            /* epoll_wait(2): sleep until a connect finishes, an echo arrives, a connection can be accepted,
             * or the next deadline. */
            selector.select(waitMs);
            for (SelectionKey key : selector.selectedKeys()) {
                handle(key);
            }
            selector.selectedKeys().clear();
        }

        long endNs = System.nanoTime();
        Map<String, Long> countersAfter = NetCounters.read();
        List<ClientResult> results = new ArrayList<>();
        for (TrialClient c : clients) {
            results.add(c.result(t0));
        }
        return new BacklogTrial(backlog, listenBacklog, listenCall, kernelBacklog, arrival, clientCount,
                TimeUnit.NANOSECONDS.toMillis(connectTimeoutNs), acceptAfterMs,
                TimeUnit.NANOSECONDS.toMillis(acceptEveryNs), acceptStartedNs == 0 ? null : ms(acceptStartedNs), waiting,
                NetCounters.delta(countersBefore, countersAfter), results, TrialSummary.of(results, waiting.atMs()),
                ms(endNs));
    }

    private void listen() throws IOException {
        /* bind(2) + listen(2): from here the KERNEL answers SYNs for this port and completes handshakes by
         * itself, whether or not anyone ever calls accept(). Completed connections wait in the accept queue;
         * half-done ones (SYN received, SYN-ACK sent) wait in the SYN queue. The backlog caps the accept
         * queue (clamped to net.core.somaxconn). What happens to a client when that queue is full is what
         * this experiment measures.
         * Watch it: `ss -ltn` shows Recv-Q (queued now) and Send-Q (the cap) of the LISTEN socket;
         * `nstat -az TcpExtListenOverflows` counts the handshakes dropped because the queue was full.
         * Man pages: listen(2), tcp(7). */
        listener.bind(new InetSocketAddress(LOOPBACK, 0), Math.max(backlog, 1));
        listenBacklog = Math.max(backlog, 1);
        listenCall = "ServerSocketChannel.bind(address, " + listenBacklog + ")";
        if (backlog < 1) {
            String why = NativeListen.unavailableReason();
            if (why == null) {
                NativeListen.relisten(listener, backlog);
                listenBacklog = backlog;
                listenCall = "ServerSocketChannel.bind(address, 1), then listen(fd, " + backlog + ") through libc";
            } else {
                listenBacklog = org.ipclab.socket.Backlog.passedByJava(backlog);
                listener.close();
                throw new IOException("backlog " + backlog + " needs a direct listen(2) call, which failed: " + why
                        + "; Java alone would pass " + listenBacklog + " instead");
            }
        }
        listener.configureBlocking(false);
        port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
    }

    private boolean mayStart(int index, long now) {
        if (index == 0 || arrival == Arrival.ALL_AT_ONCE) {
            return true;
        }
        TrialClient previous = clients[index - 1];
        return previous.state != TrialClient.State.CONNECTING || now - previous.startNs >= staggerNs;
    }

    /** When the trial ends at the latest. */
    private long endNs(boolean allStarted, long lastStartNs, long acceptAtNs) {
        if (!allStarted) {
            return Long.MAX_VALUE;
        }
        long connectEnd = lastStartNs + connectTimeoutNs;
        if (acceptAtNs == Long.MAX_VALUE) {
            return connectEnd;
        }
        // once accepting, give stragglers one connect timeout to get in and be echoed (plus, for a slow
        // server, the time it takes to accept every client)
        return Math.max(connectEnd, acceptAtNs + connectTimeoutNs + clientCount * acceptEveryNs);
    }

    /** Nothing left to wait for: every client has ended, or (never accepting) none is still connecting. */
    private boolean allResolved(int started, boolean accepting) {
        if (started < clientCount) {
            return false;
        }
        for (TrialClient c : clients) {
            if (c.state == TrialClient.State.CONNECTING) {
                return false;
            }
            if (c.state == TrialClient.State.AWAITING_ECHO && (accepting || acceptAfterMs != null)) {
                return false;
            }
        }
        return true;
    }

    private void handle(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key.channel() == listener) {
            acceptAll();
        } else if (key.attachment() instanceof TrialClient client) {
            client.onReady(key);
        } else if (key.attachment() instanceof AcceptedEcho server) {
            server.onReadable();
        }
    }

    private void acceptAll() {
        while (true) {
            SocketChannel channel;
            try {
                /* accept(2): take the oldest finished connection off the accept queue; that frees a slot, so
                 * the next SYN (or retransmitted SYN) that arrives can complete. It never touches the SYN
                 * queue: half-open connections are not accepted. Non-blocking: null when the queue is empty.
                 * Watch Recv-Q of `ss -ltn` fall, and `ls -l /proc/<pid>/fd` grow by one socket per call.
                 * Man page: accept(2). */
                channel = listener.accept();
            } catch (IOException e) {
                return;
            }
            if (channel == null) {
                return;
            }
            AcceptedEcho server = new AcceptedEcho(channel, serverBuffer);
            if (acceptEveryNs > 0) {
                // a slow server: one connection now, the next one acceptEveryMs later
                listenerKey.interestOps(0);
                nextAcceptNs = System.nanoTime() + acceptEveryNs;
            }
            accepted.add(server);
            try {
                InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
                TrialClient client = clientsByPort.get(remote.getPort());
                if (client != null && client.acceptedNs == 0) {
                    client.acceptedNs = System.nanoTime();
                }
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ, server);
            } catch (IOException e) {
                server.close();
            }
            if (acceptEveryNs > 0) {
                return;
            }
        }
    }

    private double ms(long nanoTime) {
        return msSince(t0, nanoTime);
    }

    /** Milliseconds from {@code t0} to {@code nanoTime}, to 0.01 ms: how every time of a trial is reported. */
    static double msSince(long t0, long nanoTime) {
        return Math.round((nanoTime - t0) / 1e4) / 100.0;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        List<AutoCloseable> all = new ArrayList<>();
        for (TrialClient c : clients) {
            if (c != null) {
                all.add(c.channel);
            }
        }
        for (AcceptedEcho s : accepted) {
            all.add(s.channel);
        }
        all.add(listener);
        all.add(selector);
        Closer.closeAll(all.toArray(AutoCloseable[]::new));
    }

}
