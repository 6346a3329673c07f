package org.ipclab.socket;

import static org.ipclab.core.experiments.ChildSide.ACCEPTED;
import static org.ipclab.core.experiments.ChildSide.ECHOED;
import static org.ipclab.core.experiments.ChildSide.FAILED;
import static org.ipclab.core.experiments.ChildSide.IO_TIMEOUT;
import static org.ipclab.core.experiments.ChildSide.READY;
import static org.ipclab.core.experiments.ChildSide.say;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.ipclab.core.experiments.ChildSide;

/**
 * The socket experiments' second process, run in the child JVM of
 * {@link org.ipclab.core.experiments.PropertyChildMain}: a server to kill, or both ends of a connection between two
 * network namespaces.
 */
final class SocketChild {

    /** Child mode: a listener that accepts and never reads ({@link #hold}). */
    static final String HOLD = "hold";
    /** Child mode: a TCP listener that echoes one connection ({@link #echoOne}). */
    static final String ECHO = "echo";
    /** Child mode: a TCP client that connects, echoes and exits ({@link #connectAndEcho}). */
    static final String CONNECT = "connect";

    private SocketChild() {
    }

    static ServerSocketChannel tcpListener(String ip) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET);
        listener.bind(new InetSocketAddress(InetAddress.getByName(ip), 0));
        say(READY + ((InetSocketAddress) listener.getLocalAddress()).getPort());
        return listener;
    }

    static ServerSocketChannel unixListener(Path path) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(path));
        say(READY + path);
        return listener;
    }

    /**
     * Accepts connections and never reads from them: whatever a client sends stays in the kernel's receive buffer
     * of the accepted socket (`ss -tn` / `ss -xn` show it as Recv-Q) until this process reads it or dies.
     */
    static void hold(ServerSocketChannel listener) throws IOException {
        List<SocketChannel> held = new ArrayList<>();
        while (true) {
            SocketChannel accepted = listener.accept();
            held.add(accepted);
            say(ACCEPTED + accepted.getRemoteAddress());
        }
    }

    /** Accepts one connection and echoes it until the client closes; then waits for the parent. */
    static void echoOne(ServerSocketChannel listener) throws IOException {
        try (SocketChannel client = listener.accept()) {
            SocketAddress remote = client.getRemoteAddress();
            ByteBuffer buffer = ByteBuffer.allocateDirect(16 * 1024);
            long echoed = 0;
            while (client.read(buffer) >= 0) {
                buffer.flip();
                echoed += buffer.remaining();
                while (buffer.hasRemaining()) {
                    client.write(buffer);
                }
                buffer.clear();
            }
            say(ECHOED + echoed + " bytes for " + remote);
        }
        listener.close();
        ChildSide.sleepUntilParentGoes();
    }

    /** Connects, sends {@code bytes} bytes, reads them back, reports both addresses, exits. */
    static void connectAndEcho(String ip, int port, int bytes) throws IOException {
        InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(ip), port);
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.INET)) {
            channel.socket().connect(target, (int) IO_TIMEOUT.toMillis());
            channel.socket().setSoTimeout((int) IO_TIMEOUT.toMillis());
            byte[] payload = new byte[bytes];
            for (int i = 0; i < bytes; i++) {
                payload[i] = (byte) ('a' + i % 26);
            }
            var out = channel.socket().getOutputStream();
            var in = channel.socket().getInputStream();
            out.write(payload);
            byte[] back = in.readNBytes(bytes);
            if (!java.util.Arrays.equals(payload, back)) {
                say(FAILED + "echo differs: sent " + bytes + " bytes, got " + back.length + " back");
                System.exit(1);
            }
            say(ECHOED + bytes + " bytes from " + channel.getLocalAddress() + " to " + channel.getRemoteAddress());
        }
        System.exit(0);
    }
}
