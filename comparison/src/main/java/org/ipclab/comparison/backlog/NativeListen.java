package org.ipclab.comparison.backlog;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.channels.ServerSocketChannel;

import jnr.ffi.LibraryLoader;

/**
 * Calls listen(2) through the C library, on a channel Java already listens on, to pass a backlog Java would
 * change: Java turns anything below 1 into 50 (ServerSocket and ServerSocketChannel javadoc), so a plain
 * Java program cannot ask the kernel for a backlog of 0. Linux lets a listening socket call listen() again
 * to change its backlog (the FreeBSD man page documents the same). Watch it: {@code strace -f -e trace=listen}
 * shows both calls, {@code ss -ltn} the resulting Send-Q.
 *
 * <p>It needs the socket's file descriptor, which the JDK keeps in sun.nio.ch (exported to us by the
 * {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} every ipc-lab JVM runs with), and jnr-ffi.
 */
final class NativeListen {

    /** The one C function we need. */
    public interface LibC {
        int listen(int fd, int backlog);
    }

    private static final Object LOCK = new Object();
    private static LibC libc;
    private static String unavailable;

    private NativeListen() {
    }

    /** Why listen(2) cannot be called directly here, or null when it can. */
    static String unavailableReason() {
        load();
        return unavailable;
    }

    /** listen(fd, backlog) on an already listening channel; the kernel then applies min(backlog, somaxconn). */
    static void relisten(ServerSocketChannel channel, int backlog) throws IOException {
        load();
        if (libc == null) {
            throw new IOException("cannot call listen(2) directly: " + unavailable);
        }
        int fd = fileDescriptor(channel);
        /* listen(2) again: the kernel only updates the socket's backlog (sk_max_ack_backlog); connections
         * already queued stay. Man pages: listen(2), tcp(7). */
        int rc = libc.listen(fd, backlog);
        if (rc != 0) {
            int errno = jnr.ffi.Runtime.getRuntime(libc).getLastError();
            throw new IOException("listen(" + fd + ", " + backlog + ") failed with errno " + errno
                    + "; the experiment cannot pass this backlog unchanged");
        }
    }

    static int fileDescriptor(ServerSocketChannel channel) throws IOException {
        try {
            Class<?> selChImpl = Class.forName("sun.nio.ch.SelChImpl");
            Method getFdVal = selChImpl.getMethod("getFDVal");
            return (int) getFdVal.invoke(channel);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("cannot read the socket's file descriptor (" + e
                    + "); run with --add-exports java.base/sun.nio.ch=ALL-UNNAMED, as ./ipc-lab does");
        }
    }

    private static void load() {
        synchronized (LOCK) {
            if (libc != null || unavailable != null) {
                return;
            }
            try {
                try (ServerSocketChannel probe = ServerSocketChannel.open()) {
                    fileDescriptor(probe);
                }
                libc = LibraryLoader.create(LibC.class).failImmediately().load("c");
            } catch (IOException | RuntimeException | LinkageError e) {
                unavailable = e.getMessage() != null ? e.getMessage() : e.toString();
            }
        }
    }
}
