package org.ipclab.comparison.backlog;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ipclab.report.backlog.ClientResult;
import org.ipclab.report.backlog.ConnectOutcome;
import org.ipclab.report.backlog.Fate;

/** One client of a {@link TrialRun}: a non-blocking socket, its probe, and what happened to it. */
final class TrialClient {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** Where a client is: its connect not finished, its probe sent and the echo not back, or ended. */
    enum State { CONNECTING, AWAITING_ECHO, DONE }

    private final Selector selector;
    private final Map<Integer, TrialClient> clientsByPort;
    private final int serverPort;
    private final long connectTimeoutNs;
    final int number;
    final ByteBuffer probe;
    final ByteBuffer echo = ByteBuffer.allocate(TrialRun.PROBE_BYTES);
    final List<Double> retransmitsAtMs = new ArrayList<>();
    SocketChannel channel;
    State state = State.CONNECTING;
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

    TrialClient(int number, Selector selector, Map<Integer, TrialClient> clientsByPort, int serverPort,
                long connectTimeoutNs) {
        this.number = number;
        this.selector = selector;
        this.clientsByPort = clientsByPort;
        this.serverPort = serverPort;
        this.connectTimeoutNs = connectTimeoutNs;
        byte[] text = String.format(Locale.ROOT, "%-15s\n", "probe " + number).getBytes(StandardCharsets.US_ASCII);
        this.probe = ByteBuffer.wrap(text, 0, TrialRun.PROBE_BYTES);
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
            boolean done = channel.connect(new InetSocketAddress(LOOPBACK, serverPort));
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
        if (state == State.CONNECTING && now - startNs >= connectTimeoutNs) {
            connectEndNs = now;
            outcome = ConnectOutcome.TIMED_OUT;
            fate = Fate.GAVE_UP;
            state = State.DONE;
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
            fail(now, e, state == State.CONNECTING);
        }
    }

    private void onConnected(long now) throws IOException {
        connectEndNs = now;
        outcome = ConnectOutcome.CONNECTED;
        state = State.AWAITING_ECHO;
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
        state = State.DONE;
        closeChannel();
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a client we are done with; the trial's close() tries again
        }
    }

    /** What happened, times in ms since {@code t0} (the trial's start). */
    ClientResult result(long t0) {
        Double connectMs = connectEndNs == 0 ? null
                : Math.round((connectEndNs - startNs) / 1e4) / 100.0;
        Fate ending = fate != null ? fate : Fate.UNSERVED;
        return new ClientResult(number, localPort, TrialRun.msSince(t0, startNs), outcome, connectMs, error, viewClientState,
                viewServerState, viewRetransmits, viewUnacked, viewServerQueued, retransmitsAtMs,
                halfOpenNs == 0 ? null : TrialRun.msSince(t0, halfOpenNs), halfOpenServerState, probeSent,
                acceptedNs == 0 ? null : TrialRun.msSince(t0, acceptedNs), echoNs == 0 ? null : TrialRun.msSince(t0, echoNs), ending);
    }
}
