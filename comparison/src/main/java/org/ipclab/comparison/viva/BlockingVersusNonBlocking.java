package org.ipclab.comparison.viva;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

import org.ipclab.report.model.VivaAnswer;

/**
 * A read with nothing to read: on a non-blocking socket (O_NONBLOCK) recv(2) comes back at once with EAGAIN (Java's
 * read returns 0); on a blocking one the thread sleeps in the kernel until data arrives, or here until the
 * timeout ends the wait (java.net.Socket's setSoTimeout: the JDK waits in poll(2) for that long).
 */
final class BlockingVersusNonBlocking implements VivaExperiment {

    static final int TIMEOUT_MS = 200;
    static final long PEER_WRITES_AFTER_MS = 100;

    @Override
    public String id() {
        return "blocking-vs-non-blocking";
    }

    @Override
    public String question() {
        return "What is the difference between blocking and non-blocking calls?";
    }

    @Override
    public VivaAnswer run(Path dir) throws Exception {
        Measured m = new Measured();
        try (Loopback.Connection c = Loopback.Connection.open()) {
            c.server().configureBlocking(false); // fcntl(F_SETFL, O_NONBLOCK)
            ByteBuffer empty = ByteBuffer.allocate(64);
            c.server().read(empty); // the first call also loads and links the JDK's code for it: time the second
            long startNs = System.nanoTime();
            int got = c.server().read(empty);
            String returned = m.put("nonBlockingReadReturned", got);
            String took = m.us("nonBlockingReadUs", (System.nanoTime() - startNs) / 1e3);
            String timeout = m.ms("blockingTimeoutMs", TIMEOUT_MS);
            String waited;
            String woke;
            String after = m.ms("peerWroteAfterMs", PEER_WRITES_AFTER_MS);
            try (ServerSocketChannel listener = Loopback.listen();
                 Socket blocking = new Socket(Loopback.ADDRESS, Loopback.port(listener));
                 SocketChannel peer = listener.accept()) {
                blocking.setSoTimeout(TIMEOUT_MS);
                InputStream in = blocking.getInputStream();
                startNs = System.nanoTime();
                try {
                    in.read();
                    throw new java.io.IOException("a blocking read returned although nobody had written");
                } catch (SocketTimeoutException expected) {
                    waited = m.ms("blockingReadWaitedMs", (System.nanoTime() - startNs) / 1e6);
                }
                blocking.setSoTimeout(10 * TIMEOUT_MS);
                Background<Void> writer = Background.start("viva late writer", () -> {
                    Thread.sleep(PEER_WRITES_AFTER_MS);
                    peer.write(ByteBuffer.wrap(new byte[] {42}));
                    return null;
                });
                startNs = System.nanoTime();
                if (in.read() != 42) {
                    throw new java.io.IOException("the blocking read did not return the byte the peer wrote");
                }
                woke = m.ms("blockingReadWokeAfterMs", (System.nanoTime() - startNs) / 1e6);
                writer.join();
            }
            return m.answer(this, "A blocking call sleeps in the kernel until it can complete (data to read, room to "
                    + "write, a connection to accept), using no CPU meanwhile; a non-blocking call returns at once and "
                    + "says it would have had to wait (EAGAIN), so the program must try again later, usually when "
                    + "poll/epoll says the socket is ready. Here a read on an empty non-blocking socket returned "
                    + returned + " (Java's EAGAIN) after " + took + " µs; a blocking read on an empty socket slept "
                    + waited + " ms, until its " + timeout + " ms timeout; another woke " + woke + " ms after it started, "
                    + "when the peer wrote one byte " + after + " ms in.");
        }
    }
}
