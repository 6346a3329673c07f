package org.ipclab.socket;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * How a stream-socket echo server gives its connections a thread: the server designs the viva asks about
 * ("iterative or concurrent?") and the ones engineers choose between. {@code ./ipc-lab server tcp --model X}.
 *
 * <ul>
 *   <li>{@link #ITERATIVE}: one thread accepts a client and serves it until it closes, then accepts the next, like
 *       the lab's program. The others wait in the kernel's accept queue, and beyond the backlog their SYNs are
 *       dropped: this is where the backlog fills.</li>
 *   <li>{@link #THREADS}: a thread per connection (threads are reused after their client closes).</li>
 *   <li>{@link #POOL}: a fixed pool of {@link #poolThreads()} threads; a connection beyond that waits, accepted but
 *       unread, until a thread is free.</li>
 *   <li>{@link #NIO}: one thread and a Selector (epoll(7)) for every connection.</li>
 *   <li>{@link #VIRTUAL}: a virtual thread per connection (JDK 21 or newer): the code of THREADS, but a blocked
 *       read parks the virtual thread and the JDK's poller (epoll again) resumes it.</li>
 *   <li>{@link #HYBRID}, the default: THREADS for the first {@link #hybridThreads()} connections open at once, and
 *       one selector thread (NIO) for every connection beyond them. A few busy clients get blocking read(2) and
 *       write(2) on their own threads, the fastest echo; ten thousand idle ones cost their sockets, not ten thousand
 *       stacks.</li>
 * </ul>
 */
public enum ServerModel {
    ITERATIVE, THREADS, POOL, NIO, VIRTUAL, HYBRID;

    /** What {@code ./ipc-lab server tcp} runs without {@code --model}. */
    public static final ServerModel DEFAULT = HYBRID;

    /** The option that carries the model from the command line to {@link TcpTransport#serve}. */
    public static final String OPTION = "model";

    /** The name on the command line and in results.json. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The pool's size: two threads per CPU, so a pool of blocking threads keeps every CPU busy. */
    public static int poolThreads() {
        return 2 * Runtime.getRuntime().availableProcessors();
    }

    /**
     * How many connections the hybrid model gives a thread of their own before it hands the next ones to its selector:
     * enough for every client that is busy at once on a small machine, few enough that their stacks stay small
     * (a parked platform thread costs some 40 KiB of touched stack).
     */
    public static int hybridThreads() {
        return 64;
    }

    public static ServerModel parse(String text) {
        for (ServerModel model : values()) {
            if (model.id().equals(text)) {
                return model;
            }
        }
        throw new IllegalArgumentException("unknown server model '" + text + "': choose one of " + ids());
    }

    public static String ids() {
        return Arrays.stream(values()).map(ServerModel::id).collect(Collectors.joining(", "));
    }

    /** Why this model cannot run on this JVM, if it cannot: virtual threads came with Java 21. */
    public Optional<String> unavailableReason() {
        if (this == VIRTUAL && Runtime.version().feature() < 21) {
            return Optional.of("virtual threads need Java 21 or newer, and this is Java " + Runtime.version().feature()
                    + " (run with JAVA_HOME set to a newer JDK, e.g. one under /usr/lib/jvm)");
        }
        return Optional.empty();
    }

    /**
     * {@code Executors.newVirtualThreadPerTaskExecutor()}, looked up at run time: ipc-lab is compiled for Java 17,
     * where the method does not exist.
     */
    static ExecutorService virtualThreads() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(VIRTUAL.unavailableReason().orElse("no virtual threads: " + e), e);
        }
    }
}
