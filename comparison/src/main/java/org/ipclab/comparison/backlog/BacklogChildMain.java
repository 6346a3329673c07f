package org.ipclab.comparison.backlog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.ipclab.core.Closer;
import org.ipclab.report.backlog.BacklogJson;
import org.ipclab.report.backlog.BacklogSettings;
import org.ipclab.report.backlog.BlockingConnect;
import org.ipclab.report.backlog.KernelSettings;
import org.ipclab.report.backlog.SynSchedule;

/**
 * Runs inside a private network namespace ({@code ip netns exec NAME java ... BacklogChildMain ...}) and
 * prints its results as JSON on stdout; errors go to stderr with exit code 1. It creates READY_FILE when
 * it is ready to measure, then waits for a line on stdin.
 *
 * <ul>
 *   <li>{@code trials SETTINGS_JSON READY_FILE}: the trials, as a {@link org.ipclab.report.backlog.BacklogReport}</li>
 *   <li>{@code blocking-connect READY_FILE}: fills a listener's accept queue, then times one plain blocking connect()
 *       until the kernel gives up, as a {@link BlockingConnect}</li>
 * </ul>
 */
public final class BacklogChildMain {

    static final String TRIALS = "trials";
    static final String BLOCKING_CONNECT = "blocking-connect";
    /** Refuse to block longer than this: the namespace's tcp_syn_retries was meant to be small. */
    static final double LONGEST_BLOCKING_WAIT_S = 30;

    private BacklogChildMain() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try {
            if (args.length < 2) {
                System.err.println("usage: BacklogChildMain trials SETTINGS_JSON READY_FILE | blocking-connect READY_FILE");
                System.exit(2);
            }
            // warm up, tell the parent we are ready, then wait for its "go": the JVMs start together but
            // measure one at a time, none of them still loading classes or compiling; EOF means stop
            if (args[0].equals(TRIALS)) {
                BacklogExperiment.warmUp();
            }
            Files.writeString(Path.of(args[args.length - 1]), "ready\n");
            String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
            if (go == null) {
                return;
            }
            if (args.length == 3 && args[0].equals(TRIALS)) {
                BacklogSettings settings = BacklogJson.read(args[1], BacklogSettings.class);
                out.println(BacklogJson.write(BacklogExperiment.run(settings, line -> { }, false)));
            } else if (args.length == 2 && args[0].equals(BLOCKING_CONNECT)) {
                out.println(BacklogJson.write(measureBlockingConnect()));
            } else {
                System.err.println("usage: BacklogChildMain trials SETTINGS_JSON READY_FILE | blocking-connect READY_FILE");
                System.exit(2);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("backlog child failed: " + e);
            System.exit(1);
        }
    }

    /**
     * Fills a backlog-1 listener until a connect() no longer completes, then calls a plain blocking
     * connect() and times how long it blocks before the kernel gives up.
     */
    static BlockingConnect measureBlockingConnect() throws IOException {
        KernelSettings kernel = Sysctls.read();
        int retries = kernel.tcpSynRetries() == null ? 6 : kernel.tcpSynRetries();
        SynSchedule expected = SynSchedule.derive(retries, kernel.tcpSynLinearTimeouts() == null ? 0
                : kernel.tcpSynLinearTimeouts());
        if (expected.giveUpAfterS() > LONGEST_BLOCKING_WAIT_S) {
            throw new IOException("tcp_syn_retries is " + retries + " here, so a blocking connect() would wait "
                    + expected.giveUpAfterS() + " s; refusing to wait that long");
        }
        List<SocketChannel> fillers = new ArrayList<>();
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET);
             Selector selector = Selector.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            InetSocketAddress address = (InetSocketAddress) listener.getLocalAddress();
            fill(address, selector, fillers);
            try (SocketChannel blocking = SocketChannel.open(StandardProtocolFamily.INET)) {
                blocking.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                int localPort = ((InetSocketAddress) blocking.getLocalAddress()).getPort();
                long start = System.nanoTime();
                SynWatcher watcher = new SynWatcher(localPort, start);
                Thread thread = new Thread(watcher, "syn-watcher");
                thread.setDaemon(true);
                thread.start();
                String outcome;
                try {
                    /* A plain blocking connect(2): no timeout of ours. It returns when the SYN-ACK comes or
                     * when the kernel gives up retransmitting the SYN (ETIMEDOUT). The bound on this wait is
                     * the namespace's tcp_syn_retries (checked above) and the parent, which stops this JVM
                     * if it runs too long. Watch it: `ss -tno state syn-sent` shows the retransmission timer. */
                    blocking.connect(address);
                    outcome = "connected";
                } catch (IOException e) {
                    outcome = String.valueOf(e.getMessage());
                }
                double blockedS = seconds(start);
                watcher.stop = true;
                try {
                    thread.join(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new BlockingConnect(retries, expected, watcher.sentAtS(), blockedS, outcome);
            }
        } finally {
            Closer.closeAll(fillers.toArray(AutoCloseable[]::new));
        }
    }

    /** Connects non-blocking clients until one has not completed after 300 ms: the queue is then full. */
    private static void fill(InetSocketAddress address, Selector selector, List<SocketChannel> fillers)
            throws IOException {
        for (int i = 0; i < 64; i++) {
            SocketChannel c = SocketChannel.open(StandardProtocolFamily.INET);
            fillers.add(c);
            c.configureBlocking(false);
            if (c.connect(address)) {
                continue;
            }
            SelectionKey key = c.register(selector, SelectionKey.OP_CONNECT);
            selector.selectedKeys().clear();
            if (selector.select(300) == 0) {
                key.cancel();
                return;
            }
            c.finishConnect();
            key.cancel();
            selector.selectNow();
        }
        throw new IOException("64 clients connected to a listener with backlog 1: its queue never filled");
    }

    /** Watches one connecting socket's row in /proc/net/tcp and notes when its SYN count rises. */
    private static final class SynWatcher implements Runnable {
        final int localPort;
        final long startNs;
        final List<Double> sentAtS = new ArrayList<>(List.of(0.0));
        volatile boolean stop;
        int seen;

        SynWatcher(int localPort, long startNs) {
            this.localPort = localPort;
            this.startNs = startNs;
        }

        @Override
        public void run() {
            while (!stop) {
                try {
                    for (TcpTable.Row row : TcpTable.read()) {
                        if (row.localPort() == localPort && row.state().equals("SYN_SENT") && row.retransmits() > seen) {
                            seen = row.retransmits();
                            synchronized (sentAtS) {
                                sentAtS.add(seconds(startNs));
                            }
                        }
                    }
                    Thread.sleep(20);
                } catch (IOException e) {
                    return;
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        List<Double> sentAtS() {
            synchronized (sentAtS) {
                return List.copyOf(sentAtS);
            }
        }
    }

    private static double seconds(long startNs) {
        return Math.round((System.nanoTime() - startNs) / 1e7) / 100.0;
    }
}
