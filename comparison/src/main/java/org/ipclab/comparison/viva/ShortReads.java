package org.ipclab.comparison.viva;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.ipclab.report.model.VivaAnswer;

/**
 * Why recv(2) can return fewer bytes than the peer sent: TCP delivers a stream, and a read returns what is in the
 * socket's receive buffer at that moment, up to the size asked for. A 1 MiB echo shows it: the client writes
 * 1 MiB with one call and asks, on each read, for everything still missing; the echo arrives in many pieces.
 */
final class ShortReads implements VivaExperiment {

    static final int BYTES = 1 << 20;
    static final int SERVER_BUFFER = 64 * 1024;

    @Override
    public String id() {
        return "short-reads";
    }

    @Override
    public String question() {
        return "Why can recv() return fewer bytes than the peer sent?";
    }

    @Override
    public VivaAnswer run(Path dir) throws Exception {
        Measured m = new Measured();
        List<Integer> reads = new ArrayList<>();
        int receiveBuffer;
        try (Loopback.Connection c = Loopback.Connection.open()) {
            receiveBuffer = c.client().getOption(StandardSocketOptions.SO_RCVBUF);
            Background<Integer> echo = Background.start("viva echo server", () -> echo(c));
            Background<Void> writer = Background.start("viva writer", () -> write(c));
            ByteBuffer into = ByteBuffer.allocate(BYTES);
            while (into.hasRemaining()) {
                int n = c.client().read(into); // read(2) asking for all that is still missing
                if (n < 0) {
                    throw new IOException("the echo ended after " + into.position() + " of " + BYTES + " bytes");
                }
                reads.add(n);
            }
            c.client().shutdownOutput();
            writer.join();
            m.count("serverReads", echo.join());
        }
        List<Integer> sorted = new ArrayList<>(reads);
        sorted.sort(null);
        String size = m.count("bytes", BYTES);
        String count = m.count("clientReads", reads.size());
        String min = m.count("smallestReadBytes", sorted.get(0));
        String median = m.count("medianReadBytes", sorted.get(sorted.size() / 2));
        String max = m.count("largestReadBytes", sorted.get(sorted.size() - 1));
        m.count("receiveBufferBytes", receiveBuffer);
        String serverReads = m.get("serverReads");
        String serverBuffer = m.count("serverBufferBytes", SERVER_BUFFER);
        return m.answer(this, "Because TCP carries a stream, not messages: recv returns whatever is in the socket's "
                + "receive buffer when it is called, at most what was asked for, however the sender cut it. Here the "
                + "client wrote " + size + " bytes with one call; the echo server, reading into " + serverBuffer
                + " bytes, took them in " + serverReads + " pieces and wrote each back, and the client, asking each "
                + "time for everything still missing, needed " + count + " reads: the smallest " + min + " bytes, the "
                + "median " + median + ", the largest " + max + ". So a program must loop until it has as many bytes "
                + "as it expects, as LabClient's readNBytes does.");
    }

    /** The server: read(2) what arrived, write(2) it back, until end of stream; returns the number of reads. */
    private static int echo(Loopback.Connection c) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(SERVER_BUFFER);
        int reads = 0;
        while (c.server().read(buffer) >= 0) {
            reads++;
            buffer.flip();
            while (buffer.hasRemaining()) {
                c.server().write(buffer);
            }
            buffer.clear();
        }
        return reads;
    }

    /** One write(2) call of 1 MiB: a blocking channel's write returns once the kernel has taken every byte. */
    private static Void write(Loopback.Connection c) throws IOException {
        ByteBuffer all = ByteBuffer.allocate(BYTES);
        c.client().write(all);
        if (all.hasRemaining()) {
            throw new IOException("a blocking write returned with " + all.remaining() + " bytes left");
        }
        return null;
    }
}
