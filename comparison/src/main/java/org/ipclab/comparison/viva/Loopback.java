package org.ipclab.comparison.viva;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import org.ipclab.core.Closer;

/**
 * TCP over 127.0.0.1 for the viva experiments, IPv4 only (StandardProtocolFamily.INET), as the lab's AF_INET
 * sockets are, so every socket shows in /proc/net/tcp (a default Java socket is IPv6 and would be in tcp6).
 *
 * <p>Channels are blocking, as the lab's calls are. Each experiment runs on a thread that is interrupted when its
 * time is up: a blocking call on an NIO channel (an InterruptibleChannel) then closes the channel and throws
 * ClosedByInterruptException, so no call waits longer than the experiment may take.
 */
final class Loopback {

    static final InetAddress ADDRESS = address();

    private Loopback() {
    }

    private static InetAddress address() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** socket(2) + bind(2) to 127.0.0.1 and a port the kernel chooses + listen(2). */
    static ServerSocketChannel listen() throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET);
        try {
            listener.bind(new InetSocketAddress(ADDRESS, 0), 8);
            return listener;
        } catch (IOException e) {
            Closer.closeQuietly(e, listener);
            throw e;
        }
    }

    /** socket(2) + connect(2) to the listener; blocking, so it returns once the handshake is done. */
    static SocketChannel connect(ServerSocketChannel listener) throws IOException {
        SocketChannel client = SocketChannel.open(StandardProtocolFamily.INET);
        try {
            client.connect(listener.getLocalAddress());
            return client;
        } catch (IOException e) {
            Closer.closeQuietly(e, client);
            throw e;
        }
    }

    static int port(NetworkChannel channel) throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    static int remotePort(SocketChannel channel) throws IOException {
        return ((InetSocketAddress) channel.getRemoteAddress()).getPort();
    }

    /** Reads until {@code bytes} arrived; fails on end of stream. */
    static byte[] readExactly(SocketChannel channel, int bytes) throws IOException {
        ByteBuffer into = ByteBuffer.allocate(bytes);
        while (into.hasRemaining()) {
            if (channel.read(into) < 0) {
                throw new IOException("the peer closed after " + into.position() + " of " + bytes + " bytes");
            }
        }
        return into.array();
    }

    /** A listener, a client connected to it, and the socket accept(2) returned for that client. */
    record Connection(ServerSocketChannel listener, SocketChannel client, SocketChannel server) implements AutoCloseable {

        static Connection open() throws IOException {
            ServerSocketChannel listener = listen();
            SocketChannel client = null;
            try {
                client = connect(listener);
                return new Connection(listener, client, listener.accept());
            } catch (IOException e) {
                Closer.closeQuietly(e, client, listener);
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            Closer.closeAll(client, server, listener);
        }
    }
}
