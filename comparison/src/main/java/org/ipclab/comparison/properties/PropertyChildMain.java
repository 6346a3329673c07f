package org.ipclab.comparison.properties;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The second process of the property experiments ({@link ChildJvm} starts it): {@code PropertyChildMain <mode> args}.
 *
 * <p>Speaks in lines on stdout ({@code READY ...}, {@code ACCEPTED ...}, {@code ECHOED ...}, {@code FAILED ...}) and
 * exits when its stdin reaches end of file (the parent closed it or died) or after {@link #MAX_LIFETIME}.
 */
public final class PropertyChildMain {

    static final String READY = "READY ";
    static final String ACCEPTED = "ACCEPTED ";
    static final String ECHOED = "ECHOED ";
    static final String FAILED = "FAILED ";
    static final String READ = "READ ";
    /** Not printed by the child: {@link ChildJvm} queues it when the child's stdout ends. */
    static final String EOF = "\u0000EOF";

    static final Duration MAX_LIFETIME = Duration.ofSeconds(60);
    static final Duration IO_TIMEOUT = Duration.ofSeconds(5);

    private static final PrintStream OUT = System.out;

    private PropertyChildMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: PropertyChildMain <mode> [args...]; modes: hold-tcp, hold-unix, echo-tcp, "
                    + "connect-tcp, mq-hold, chronicle-tail, chronicle-read");
            System.exit(2);
        }
        exitWhenParentGoes();
        try {
            switch (args[0]) {
                case "hold-tcp" -> hold(tcpListener(args[1]));
                case "hold-unix" -> hold(unixListener(Path.of(args[1])));
                case "echo-tcp" -> echoOne(tcpListener(args[1]));
                case "connect-tcp" -> connectAndEcho(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
                case "mq-hold" -> holdQueue(args[1]);
                case "chronicle-tail" -> holdTailer(Path.of(args[1]));
                case "chronicle-read" -> readLog(Path.of(args[1]));
                default -> {
                    say(FAILED + "unknown mode " + args[0]);
                    System.exit(2);
                }
            }
        } catch (IOException | RuntimeException e) {
            say(FAILED + e);
            System.exit(1);
        }
    }

    static void say(String line) {
        OUT.println(line);
        OUT.flush();
    }

    /** The parent holds our stdin: end of file means it closed it or died, and we must not outlive it. */
    private static void exitWhenParentGoes() {
        Thread watcher = new Thread(() -> {
            InputStream in = System.in;
            byte[] sink = new byte[64];
            try {
                while (in.read(sink) >= 0) {
                    // the parent never writes; we only wait for end of file
                }
            } catch (IOException ignored) {
                // a broken stdin means the same as end of file
            }
            System.exit(0);
        }, "stdin-watcher");
        watcher.setDaemon(true);
        watcher.start();
        Thread limit = new Thread(() -> {
            try {
                Thread.sleep(MAX_LIFETIME.toMillis());
            } catch (InterruptedException ignored) {
                // fall through to exit
            }
            System.exit(3);
        }, "lifetime-limit");
        limit.setDaemon(true);
        limit.start();
    }

    private static ServerSocketChannel tcpListener(String ip) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET);
        listener.bind(new InetSocketAddress(InetAddress.getByName(ip), 0));
        say(READY + ((InetSocketAddress) listener.getLocalAddress()).getPort());
        return listener;
    }

    private static ServerSocketChannel unixListener(Path path) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(path));
        say(READY + path);
        return listener;
    }

    /**
     * Accepts connections and never reads from them: whatever a client sends stays in the kernel's receive buffer
     * of the accepted socket (`ss -tn` / `ss -xn` show it as Recv-Q) until this process reads it or dies.
     */
    private static void hold(ServerSocketChannel listener) throws IOException {
        List<SocketChannel> held = new ArrayList<>();
        while (true) {
            SocketChannel accepted = listener.accept();
            held.add(accepted);
            say(ACCEPTED + accepted.getRemoteAddress());
        }
    }

    /** Accepts one connection and echoes it until the client closes; then waits for the parent. */
    private static void echoOne(ServerSocketChannel listener) throws IOException {
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
        sleepUntilParentGoes();
    }

    /** Connects, sends {@code bytes} bytes, reads them back, reports both addresses, exits. */
    private static void connectAndEcho(String ip, int port, int bytes) throws IOException {
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

    /** Opens a message queue for reading and never receives: the reader that dies before reading. */
    private static void holdQueue(String name) throws IOException {
        Mq.Queue queue = Mq.Queue.open(name, Mq.O_RDONLY | Mq.O_NONBLOCK);
        say(READY + name + " fd " + queue.fd);
        sleepUntilParentGoes();
    }

    /** Opens a Chronicle queue with a tailer at the start and never reads. */
    private static void holdTailer(Path dir) throws IOException {
        net.openhft.chronicle.queue.ChronicleQueue queue = ChronicleExperiments.open(dir);
        queue.createTailer();
        say(READY + dir);
        sleepUntilParentGoes();
    }

    /** Opens a Chronicle queue as a brand-new reader, reads everything, reports "READ n documents, b B", exits. */
    private static void readLog(Path dir) throws IOException {
        try (net.openhft.chronicle.queue.ChronicleQueue queue = ChronicleExperiments.open(dir)) {
            List<byte[]> documents = ChronicleExperiments.readAll(queue.createTailer());
            long bytes = documents.stream().mapToLong(d -> d.length).sum();
            say(READ + documents.size() + " documents, " + bytes + " B");
        }
        System.exit(0);
    }

    private static void sleepUntilParentGoes() {
        try {
            Thread.sleep(MAX_LIFETIME.toMillis());
        } catch (InterruptedException ignored) {
            // exit below
        }
        System.exit(3);
    }
}
