package org.ipclab.comparison.viva;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.ipclab.report.model.VivaAnswer;

/**
 * What the lab server's {@code if not data: break} tests: recv(2) returns 0 once the peer has closed its sending
 * side (its FIN arrived) and every byte before it has been read. Java's read returns -1 for it. shutdown(SHUT_WR)
 * closes one direction only: the other still carries the echo back.
 */
final class EndOfStream implements VivaExperiment {

    static final byte[] MESSAGE = "Hello, world".getBytes(StandardCharsets.US_ASCII);

    @Override
    public String id() {
        return "recv-returns-zero";
    }

    @Override
    public String question() {
        return "What does it mean when recv() returns 0?";
    }

    @Override
    public VivaAnswer run(Path dir) throws Exception {
        Measured m = new Measured();
        try (Loopback.Connection c = Loopback.Connection.open()) {
            c.client().write(ByteBuffer.wrap(MESSAGE));
            c.client().shutdownOutput(); // shutdown(SHUT_WR): the kernel sends FIN after the 12 bytes
            ByteBuffer into = ByteBuffer.allocate(1024);
            String first = m.put("bytesReadBeforeFin", readAll(c, into));
            String second = m.put("readAfterFin", c.server().read(ByteBuffer.allocate(1024)));
            String third = m.put("readAgain", c.server().read(ByteBuffer.allocate(1024)));
            into.flip();
            c.server().write(into); // the server's direction is still open
            String echoed = m.put("echoAfterFinBytes", Loopback.readExactly(c.client(), MESSAGE.length).length);
            return m.answer(this, "That the peer has closed its side of the connection and everything it sent has been "
                    + "read: end of stream, not an error. The client here sent " + MESSAGE.length + " bytes and shut down "
                    + "its sending side (a FIN); the server's reads returned " + first + " bytes, then " + second
                    + " (Java's end of stream, 0 from recv in C), and again " + third + ": it stays that way, which is why "
                    + "the lab's loop breaks on it. The other direction was still open: the server's echo of " + echoed
                    + " bytes still reached the client.");
        }
    }

    /** Reads until the 12 bytes are in; returns how many came (the reads before end of stream). */
    private static int readAll(Loopback.Connection c, ByteBuffer into) throws java.io.IOException {
        while (into.position() < MESSAGE.length) {
            if (c.server().read(into) < 0) {
                break;
            }
        }
        return into.position();
    }
}
