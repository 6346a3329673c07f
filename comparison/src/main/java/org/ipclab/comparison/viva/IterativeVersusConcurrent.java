package org.ipclab.comparison.viva;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.ipclab.core.Closer;
import org.ipclab.report.model.VivaAnswer;

/**
 * An iterative server (the lab's: accept, serve that client until it closes, then accept the next) against a
 * concurrent one (a thread per connection, as ipc-lab's own servers do). Client A connects and stays connected for
 * {@value #HOLD_MS} ms; client B connects right after it and waits for its echo. B's connect returns at once with
 * either server: the kernel completes the handshake and queues B until accept (the backlog). Only B's echo waits.
 */
final class IterativeVersusConcurrent implements VivaExperiment {

    static final long HOLD_MS = 300;

    @Override
    public String id() {
        return "iterative-vs-concurrent";
    }

    @Override
    public String question() {
        return "What is the difference between an iterative and a concurrent server?";
    }

    /** What client B saw. */
    record SecondClient(double connectMs, double echoWaitMs) {
    }

    @Override
    public VivaAnswer run(Path dir) throws Exception {
        Measured m = new Measured();
        String hold = m.ms("firstClientHoldsMs", HOLD_MS);
        SecondClient iterative = secondClient(false);
        SecondClient concurrent = secondClient(true);
        String iterativeWait = m.ms("iterativeSecondClientWaitMs", iterative.echoWaitMs());
        String concurrentWait = m.ms("concurrentSecondClientWaitMs", concurrent.echoWaitMs());
        String iterativeConnect = m.ms("iterativeSecondClientConnectMs", iterative.connectMs());
        String concurrentConnect = m.ms("concurrentSecondClientConnectMs", concurrent.connectMs());
        return m.answer(this, "An iterative server serves one client at a time: the next waits until the current one "
                + "is done; a concurrent server gives each connection its own thread or process (or multiplexes them "
                + "with poll/epoll), so clients do not wait for each other. Here a first client stayed connected for "
                + hold + " ms: a second client's echo took " + iterativeWait + " ms from the iterative server, the lab's "
                + "design, and " + concurrentWait + " ms from a thread-per-connection one. Its connect() returned in "
                + iterativeConnect + " and " + concurrentConnect + " ms: the kernel accepts the handshake and queues the "
                + "connection either way; only the service waits.");
    }

    /** Starts a server of the kind asked, runs clients A and B against it, returns what B measured. */
    static SecondClient secondClient(boolean concurrent) throws IOException, InterruptedException {
        ServerSocketChannel listener = Loopback.listen();
        List<SocketChannel> accepted = new ArrayList<>();
        SocketChannel a = null;
        Background<Void> server = null;
        try {
            server = Background.start(concurrent ? "viva concurrent server" : "viva iterative server",
                    () -> serve(listener, concurrent, accepted));
            a = Loopback.connect(listener);
            SocketChannel first = a;
            echoOnce(first);
            Background<Void> release = Background.start("viva first client", () -> {
                Thread.sleep(HOLD_MS);
                first.close(); // A is done: an iterative server's read returns end of stream and it accepts B
                return null;
            });
            long startNs = System.nanoTime();
            try (SocketChannel b = Loopback.connect(listener)) {
                long connectedNs = System.nanoTime();
                echoOnce(b);
                long echoedNs = System.nanoTime();
                release.join();
                return new SecondClient((connectedNs - startNs) / 1e6, (echoedNs - startNs) / 1e6);
            }
        } finally {
            // closing the listener ends the server's accept; closing the connections ends its reads
            synchronized (accepted) {
                Closer.closeQuietly(null, a, listener);
                Closer.closeQuietly(null, accepted.toArray(new SocketChannel[0]));
            }
            if (server != null) {
                server.join();
            }
        }
    }

    /** Accepts two clients: iterative serves each to its end before the next accept; concurrent starts a thread each. */
    private static Void serve(ServerSocketChannel listener, boolean concurrent, List<SocketChannel> accepted) throws IOException {
        List<Background<Void>> workers = new ArrayList<>();
        try {
            for (int client = 0; client < 2; client++) {
                SocketChannel connection = listener.accept();
                synchronized (accepted) {
                    accepted.add(connection);
                }
                if (concurrent) {
                    workers.add(Background.start("viva connection " + client, () -> echoUntilClosed(connection)));
                } else {
                    echoUntilClosed(connection);
                }
            }
            for (Background<Void> worker : workers) {
                worker.join();
            }
        } catch (java.nio.channels.ClosedChannelException closed) {
            // the experiment is over and closed the listener: nothing more to serve
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private static Void echoUntilClosed(SocketChannel connection) throws IOException {
        try (connection) {
            ByteBuffer buffer = ByteBuffer.allocate(64);
            while (connection.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    connection.write(buffer);
                }
                buffer.clear();
            }
        } catch (java.nio.channels.ClosedChannelException closed) {
            // closed by the experiment at its end
        }
        return null;
    }

    private static void echoOnce(SocketChannel client) throws IOException {
        client.write(ByteBuffer.wrap(new byte[] {42}));
        Loopback.readExactly(client, 1);
    }
}
