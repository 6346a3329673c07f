package org.ipclab.comparison.models;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.function.LongConsumer;

/**
 * Many TCP clients at once from one thread: each connects, sends a 64 B message, waits for its whole echo,
 * compares it byte for byte and sends the next; after its last echo it either closes or (when asked to hold) stays
 * connected, idle, until every client is done, so that a concurrent server holds all of them to the end and its thread
 * count shows them all. (An iterative server cannot be held: it serves one client until that client closes, so a held
 * client would keep the next from ever being served.) One Selector drives them, so a
 * thousand clients cost this process a thousand sockets, not a thousand threads, and the clients themselves do not
 * limit what the server shows. The clients first all connect, then all start sending at once, so the server has
 * every one of them at the same time.
 *
 * <p>The time of each echo runs from its write to the last byte of its echo: for a client the server has not
 * accepted yet, or whose thread is busy with another, the waiting is part of its first echo, which is the point.
 */
final class ManyClients {

    static final int MESSAGE_BYTES = 64;

    /** What one run of the clients did. */
    record Outcome(long echoes, double seconds, long[] nanos, long longestFirstEchoNanos, int unfinished) {
    }

    private ManyClients() {
    }

    /**
     * Runs {@code clients} clients of {@code echoesEach} echoes each against {@code server}, for at most
     * {@code limit} ({@code hold}: finished clients stay connected until all are done); {@code tick} is called about every 10 ms with the elapsed nanoseconds (to sample the server), and
     * once more with {@code Long.MAX_VALUE} when the clients are done but still connected (the moment to sample the
     * server holding them all).
     */
    static Outcome run(InetSocketAddress server, int clients, int echoesEach, boolean hold, Duration limit,
                       LongConsumer tick) throws IOException {
        long[] nanos = new long[clients * echoesEach];
        int[] recorded = {0};
        int finished = 0;
        int connected = 0;
        long longestFirst = 0;
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        try (Selector selector = Selector.open()) {
            for (int c = 0; c < clients; c++) {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                /* connect(2), non-blocking: the kernel sends the SYN and returns EINPROGRESS; the server's kernel
                 * completes the handshake into its accept queue whether or not the server calls accept(). */
                channel.connect(server);
                channel.register(selector, SelectionKey.OP_CONNECT, new Client(c));
            }
            while (finished < clients && System.nanoTime() < deadline) {
                selector.select(10);
                tick.accept(System.nanoTime() - start);
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    Client client = (Client) key.attachment();
                    SocketChannel channel = (SocketChannel) key.channel();
                    if (key.isConnectable()) {
                        channel.finishConnect();
                        key.interestOps(0);
                        if (++connected == clients) {
                            // Every client is connected (in the server's accept queue at least): all start at once,
                            // so the server really has them all at the same time.
                            for (SelectionKey each : selector.keys()) {
                                ((Client) each.attachment()).send((SocketChannel) each.channel());
                                each.interestOps(SelectionKey.OP_READ);
                            }
                        }
                    } else if (key.isReadable()) {
                        if (channel.read(client.in) < 0) {
                            throw new IOException("the server closed client " + client.id + " after "
                                    + client.done + " of " + echoesEach + " echoes");
                        }
                        if (client.in.hasRemaining()) {
                            continue;
                        }
                        long took = System.nanoTime() - client.sentAt;
                        nanos[recorded[0]++] = took;
                        if (client.done == 0) {
                            longestFirst = Math.max(longestFirst, took);   // how long this client waited to be served
                        }
                        if (!Arrays.equals(client.in.array(), client.out.array())) {
                            throw new IOException("client " + client.id + " got back other bytes than it sent");
                        }
                        if (++client.done == echoesEach) {
                            if (hold) {
                                key.interestOps(0);   // done, but connected: the server still holds this client
                            } else {
                                key.cancel();
                                channel.close();
                            }
                            finished++;
                        } else {
                            client.send(channel);
                        }
                    }
                }
            }
            tick.accept(Long.MAX_VALUE);
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Outcome(recorded[0], seconds, Arrays.copyOf(nanos, recorded[0]), longestFirst, clients - finished);
    }

    /** One client: its next message (its number and the echo's number in every byte pair) and its echo buffer. */
    private static final class Client {
        final int id;
        final ByteBuffer out = ByteBuffer.allocate(MESSAGE_BYTES);
        final ByteBuffer in = ByteBuffer.allocate(MESSAGE_BYTES);
        int done;
        long sentAt;

        Client(int id) {
            this.id = id;
        }

        void send(SocketChannel channel) throws IOException {
            out.clear();
            while (out.hasRemaining()) {
                out.put((byte) id).put((byte) done);
            }
            out.flip();
            in.clear();
            sentAt = System.nanoTime();
            // 64 B into an empty send buffer: a non-blocking write(2) takes it all
            int n = channel.write(out);
            if (n != MESSAGE_BYTES) {
                throw new IOException("client " + id + " could write only " + n + " of " + MESSAGE_BYTES + " bytes");
            }
            out.rewind();
        }
    }
}
