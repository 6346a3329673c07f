package org.ipclab.comparison.backlog;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.Closer;
import org.ipclab.report.backlog.Arrival;
import org.ipclab.report.backlog.BacklogTrial;
import org.ipclab.report.backlog.ClientResult;
import org.ipclab.report.backlog.ConnectOutcome;
import org.ipclab.report.backlog.Fate;
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
    private final Client[] clients;
    private final Map<Integer, Client> clientsByPort = new HashMap<>();
    private final List<ServerSide> accepted = new ArrayList<>();
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
        this.clients = new Client[clientCount];
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
                clients[started] = new Client(started + 1);
                clients[started].start(now);
                lastStartNs = clients[started].startNs;
                started++;
                now = System.nanoTime();
            }
            for (int i = 0; i < started; i++) {
                clients[i].checkConnectTimeout(now);
            }
            if (now >= nextSampleNs) {
                sample(now, started);
                nextSampleNs = now + SAMPLE_EVERY_NS;
            }
            boolean allStarted = started == clientCount;
            long waitingDueNs = allStarted ? Math.min(acceptAtNs, lastStartNs + connectTimeoutNs / 2) : acceptAtNs;
            if (waiting == null && now >= waitingDueNs) {
                waiting = readKernelView(now, countersBefore);
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
                if (clients[i].state == ClientState.CONNECTING) {
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
        for (Client c : clients) {
            results.add(c.result());
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
        Client previous = clients[index - 1];
        return previous.state != ClientState.CONNECTING || now - previous.startNs >= staggerNs;
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
        for (Client c : clients) {
            if (c.state == ClientState.CONNECTING) {
                return false;
            }
            if (c.state == ClientState.AWAITING_ECHO && (accepting || acceptAfterMs != null)) {
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
        } else if (key.attachment() instanceof Client client) {
            client.onReady(key);
        } else if (key.attachment() instanceof ServerSide server) {
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
            ServerSide server = new ServerSide(channel);
            if (acceptEveryNs > 0) {
                // a slow server: one connection now, the next one acceptEveryMs later
                listenerKey.interestOps(0);
                nextAcceptNs = System.nanoTime() + acceptEveryNs;
            }
            accepted.add(server);
            try {
                InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
                Client client = clientsByPort.get(remote.getPort());
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

    /**
     * Every {@value #SAMPLE_EVERY_MS} ms, while a client is connecting or connected but not yet accepted: the kernel's table shows
     * when a waiting client retransmits its SYN, and whether a client whose connect() succeeded has a
     * finished connection on the server's side at all.
     */
    private void sample(long now, int started) {
        boolean worthIt = false;
        for (int i = 0; i < started; i++) {
            Client c = clients[i];
            worthIt |= c.state == ClientState.CONNECTING
                    || (c.state == ClientState.AWAITING_ECHO && c.acceptedNs == 0 && c.halfOpenNs == 0);
        }
        if (!worthIt) {
            return;
        }
        List<TcpTable.Row> rows;
        try {
            rows = TcpTable.read();
        } catch (IOException e) {
            return;   // no /proc/net/tcp: the retransmission times stay empty
        }
        Map<Integer, String> serverSide = new HashMap<>();
        for (TcpTable.Row row : rows) {
            if (row.remotePort() == port && row.state().equals("SYN_SENT")) {
                Client c = clientsByPort.get(row.localPort());
                if (c != null && row.retransmits() > c.retransmitsSeen) {
                    c.retransmitsSeen = row.retransmits();
                    c.retransmitsAtMs.add(ms(now));
                }
            } else if (row.localPort() == port && !row.state().equals("LISTEN")) {
                serverSide.put(row.remotePort(), row.state());
            }
        }
        for (int i = 0; i < started; i++) {
            Client c = clients[i];
            if (c.state == ClientState.AWAITING_ECHO && c.acceptedNs == 0 && c.halfOpenNs == 0) {
                String server = serverSide.getOrDefault(c.localPort, "NONE");
                if (!server.equals("ESTABLISHED")) {
                    c.halfOpenNs = now;
                    c.halfOpenServerState = server;
                }
            }
        }
    }

    private KernelView readKernelView(long now, Map<String, Long> countersBefore) throws IOException {
        List<TcpTable.Row> rows;
        try {
            rows = TcpTable.read();
        } catch (IOException e) {
            rows = List.of();
        }
        Map<String, Long> counters = NetCounters.delta(countersBefore, NetCounters.read());
        Ss.ListenQueues ss = Ss.listen(port).orElse(null);
        Integer acceptQueue = null;
        Map<String, Integer> clientSide = new TreeMap<>();
        Map<String, Integer> serverSide = new TreeMap<>();
        Map<Integer, TcpTable.Row> serverByClientPort = new HashMap<>();
        Map<Integer, TcpTable.Row> clientRowByPort = new HashMap<>();
        for (TcpTable.Row row : rows) {
            if (row.localPort() == port && row.state().equals("LISTEN")) {
                acceptQueue = row.rxQueue();
            } else if (row.localPort() == port && clientsByPort.containsKey(row.remotePort())) {
                serverByClientPort.put(row.remotePort(), row);
                serverSide.merge(row.state(), 1, Integer::sum);
            } else if (row.remotePort() == port && clientsByPort.containsKey(row.localPort())) {
                clientRowByPort.put(row.localPort(), row);
                clientSide.merge(row.state(), 1, Integer::sum);
            }
        }
        for (Client c : clients) {
            if (c == null) {
                continue;
            }
            TcpTable.Row mine = clientRowByPort.get(c.localPort);
            TcpTable.Row theirs = serverByClientPort.get(c.localPort);
            c.viewClientState = mine != null ? mine.state() : "CLOSED";
            c.viewServerState = theirs != null ? theirs.state() : "NONE";
            c.viewRetransmits = mine != null ? mine.retransmits() : null;
            c.viewUnacked = mine != null && mine.state().equals("ESTABLISHED") ? mine.txQueue() : null;
            c.viewServerQueued = theirs != null && theirs.state().equals("ESTABLISHED") ? theirs.rxQueue() : null;
        }
        return new KernelView(ms(now), acceptQueue, ss == null ? null : ss.recvQ(), ss == null ? null : ss.sendQ(),
                clientSide, serverSide, counters);
    }

    private double ms(long nanoTime) {
        return Math.round((nanoTime - t0) / 1e4) / 100.0;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        List<AutoCloseable> all = new ArrayList<>();
        for (Client c : clients) {
            if (c != null) {
                all.add(c.channel);
            }
        }
        for (ServerSide s : accepted) {
            all.add(s.channel);
        }
        all.add(listener);
        all.add(selector);
        Closer.closeAll(all.toArray(AutoCloseable[]::new));
    }

    private enum ClientState { CONNECTING, AWAITING_ECHO, DONE }

    /** One client: a non-blocking socket, its probe, and what happened to it. */
    private final class Client {
        final int number;
        final ByteBuffer probe;
        final ByteBuffer echo = ByteBuffer.allocate(PROBE_BYTES);
        final List<Double> retransmitsAtMs = new ArrayList<>();
        SocketChannel channel;
        ClientState state = ClientState.CONNECTING;
        int localPort;
        long startNs;
        long connectEndNs;
        long acceptedNs;
        long halfOpenNs;
        String halfOpenServerState;
        long echoNs;
        ConnectOutcome outcome = ConnectOutcome.PENDING;
        Fate fate;
        String error;
        boolean probeSent;
        int retransmitsSeen;
        String viewClientState = "NOT_STARTED";
        String viewServerState = "NONE";
        Integer viewRetransmits;
        Integer viewUnacked;
        Integer viewServerQueued;

        Client(int number) {
            this.number = number;
            byte[] text = String.format(Locale.ROOT, "%-15s\n", "probe " + number).getBytes(StandardCharsets.US_ASCII);
            this.probe = ByteBuffer.wrap(text, 0, PROBE_BYTES);
        }

        void start(long now) throws IOException {
            startNs = now;
            channel = SocketChannel.open(StandardProtocolFamily.INET);
            channel.configureBlocking(false);
            try {
                // bind(2) first, so the ephemeral port (the client's name in /proc/net/tcp) is known at once
                channel.bind(new InetSocketAddress(LOOPBACK, 0));
                localPort = ((InetSocketAddress) channel.getLocalAddress()).getPort();
                clientsByPort.put(localPort, this);
                /* connect(2), non-blocking: the kernel sends a SYN and returns at once (EINPROGRESS). The
                 * connection is complete for the CLIENT as soon as the server's SYN-ACK arrives and the
                 * client's ACK is sent, whether or not the server's kernel keeps that ACK: a client can
                 * "connect" to a server whose accept queue is full. If no SYN-ACK comes, the kernel
                 * retransmits the SYN (1 s, then backing off) until tcp_syn_retries is used up
                 * (ETIMEDOUT). Watch it: `ss -tn state syn-sent`, `strace -e trace=connect,poll`.
                 * Man pages: connect(2), tcp(7). */
                boolean done = channel.connect(new InetSocketAddress(LOOPBACK, port));
                // on loopback the whole handshake usually runs inside connect(): ask at once, without waiting
                done = done || channel.finishConnect();
                if (done) {
                    onConnected(System.nanoTime());
                } else {
                    channel.register(selector, SelectionKey.OP_CONNECT, this);
                }
            } catch (IOException e) {
                fail(System.nanoTime(), e, true);
            }
        }

        void checkConnectTimeout(long now) {
            if (state == ClientState.CONNECTING && now - startNs >= connectTimeoutNs) {
                connectEndNs = now;
                outcome = ConnectOutcome.TIMED_OUT;
                fate = Fate.GAVE_UP;
                state = ClientState.DONE;
                closeChannel();
            }
        }

        void onReady(SelectionKey key) {
            long now = System.nanoTime();
            try {
                if (key.isConnectable()) {
                    if (channel.finishConnect()) {
                        onConnected(now);
                    }
                } else if (key.isReadable()) {
                    onReadable(now);
                } else if (key.isWritable()) {
                    sendProbe();
                }
            } catch (IOException e) {
                fail(now, e, state == ClientState.CONNECTING);
            }
        }

        private void onConnected(long now) throws IOException {
            connectEndNs = now;
            outcome = ConnectOutcome.CONNECTED;
            state = ClientState.AWAITING_ECHO;
            sendProbe();
        }

        private void sendProbe() throws IOException {
            /* write(2) on a connection the server has not accepted: the server's KERNEL still receives and
             * acknowledges the bytes into the unaccepted socket's receive queue (ss: Recv-Q of that ESTAB
             * row). If the server dropped our handshake's ACK, nothing acknowledges them: they stay in our
             * send queue (Send-Q) and are retransmitted. Either way no echo comes until accept() and read(). */
            channel.write(probe);
            if (probe.hasRemaining()) {
                channel.register(selector, SelectionKey.OP_WRITE, this);
                return;
            }
            probeSent = true;
            channel.register(selector, SelectionKey.OP_READ, this);
        }

        private void onReadable(long now) throws IOException {
            int n = channel.read(echo);
            if (n < 0) {
                error = "the server closed the connection before the echo";
                finish(Fate.FAILED);
                return;
            }
            if (!echo.hasRemaining()) {
                echoNs = now;
                boolean same = echo.flip().equals(probe.rewind());
                if (!same) {
                    error = "the echo differed from the probe";
                }
                finish(same ? Fate.SERVED : Fate.FAILED);
            }
        }

        private void fail(long now, IOException e, boolean whileConnecting) {
            String text = String.valueOf(e.getMessage());
            String lower = text.toLowerCase(Locale.ROOT);
            ConnectOutcome kind;
            Fate ending;
            if (lower.contains("refused")) {
                kind = ConnectOutcome.REFUSED;
                ending = Fate.REFUSED;
            } else if (lower.contains("reset")) {
                kind = ConnectOutcome.RESET;
                ending = Fate.RESET;
            } else if (lower.contains("timed out") && e instanceof ConnectException) {
                kind = ConnectOutcome.KERNEL_TIMED_OUT;
                ending = Fate.GAVE_UP;
            } else {
                kind = ConnectOutcome.FAILED;
                ending = Fate.FAILED;
            }
            error = e.getClass().getSimpleName() + ": " + text;
            if (whileConnecting) {
                connectEndNs = now;
                outcome = kind;
            }
            finish(ending);
        }

        private void finish(Fate ending) {
            fate = ending;
            state = ClientState.DONE;
            closeChannel();
        }

        private void closeChannel() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a client we are done with; the trial's close() tries again
            }
        }

        ClientResult result() {
            Double connectMs = connectEndNs == 0 ? null
                    : Math.round((connectEndNs - startNs) / 1e4) / 100.0;
            Fate ending = fate != null ? fate : Fate.UNSERVED;
            return new ClientResult(number, localPort, ms(startNs), outcome, connectMs, error, viewClientState,
                    viewServerState, viewRetransmits, viewUnacked, viewServerQueued, retransmitsAtMs,
                    halfOpenNs == 0 ? null : ms(halfOpenNs), halfOpenServerState, probeSent,
                    acceptedNs == 0 ? null : ms(acceptedNs), echoNs == 0 ? null : ms(echoNs), ending);
        }
    }

    /** The server's end of one accepted connection: echo what arrives. */
    private final class ServerSide {
        final SocketChannel channel;

        ServerSide(SocketChannel channel) {
            this.channel = channel;
        }

        void onReadable() {
            try {
                serverBuffer.clear();
                int n = channel.read(serverBuffer);
                if (n < 0) {
                    close();
                    return;
                }
                serverBuffer.flip();
                // a probe is 16 bytes: one write empties the buffer into an empty socket send buffer
                while (serverBuffer.hasRemaining()) {
                    if (channel.write(serverBuffer) == 0) {
                        break;
                    }
                }
            } catch (IOException e) {
                close();
            }
        }

        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the client went away first; nothing to report
            }
        }
    }
}
