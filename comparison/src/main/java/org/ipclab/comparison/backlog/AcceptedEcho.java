package org.ipclab.comparison.backlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** The server's end of one connection a {@link TrialRun} accepted: echo what arrives. */
final class AcceptedEcho {
    final SocketChannel channel;
    /** One buffer for every accepted connection: the trial runs on one thread. */
    private final ByteBuffer serverBuffer;

    AcceptedEcho(SocketChannel channel, ByteBuffer serverBuffer) {
        this.channel = channel;
        this.serverBuffer = serverBuffer;
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
