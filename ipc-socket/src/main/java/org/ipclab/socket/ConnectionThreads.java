package org.ipclab.socket;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The threads a {@link SocketEchoServer} gives its connections, as its {@link ServerModel} says. */
final class ConnectionThreads {

    private ConnectionThreads() {
    }

    /** Where connections run: none for the iterative model (the acceptor serves each one itself). */
    static ExecutorService forModel(ServerModel model, String endpoint, long stackBytes) {
        AtomicLong workerIds = new AtomicLong();
        java.util.concurrent.ThreadFactory platform = r -> {
            Thread t = new Thread(null, r, "echo " + endpoint + " #" + workerIds.incrementAndGet(), stackBytes);
            t.setDaemon(true);
            return t;
        };
        switch (model) {
            case ITERATIVE:
                return null;
            case POOL:
                // A fixed pool: connections beyond its threads wait in its queue, accepted but unread, until a
                // thread's client closes. Watch the threads: `ls /proc/<pid>/task | wc -l` stays put.
                return java.util.concurrent.Executors.newFixedThreadPool(ServerModel.poolThreads(), platform);
            case VIRTUAL:
                // A virtual thread per connection: a blocked read unmounts it from its carrier thread and the
                // JDK's poller (epoll_wait(2)) mounts it again when the socket is readable.
                return ServerModel.virtualThreads();
            default:
                // A cached pool: a thread per open connection, kept 30 s after its connection closes for the
                // next one (starting a thread is a clone(2) and a new stack; a reused one costs nothing).
                return new java.util.concurrent.ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                        new java.util.concurrent.SynchronousQueue<>(), platform);
        }
    }
}
