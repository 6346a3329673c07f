package org.ipclab.pipe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import jnr.ffi.Pointer;

import org.ipclab.core.EchoServer;
import org.ipclab.core.ServerSettings;

/**
 * An echo server on two named pipes: it reads {@code DIR/request.fifo} and writes every byte back to
 * {@code DIR/response.fifo}, one client session at a time, on one thread.
 *
 * <p>A session starts when a client opens the request FIFO for writing and ends when the client closes it
 * (read returns 0: end of file). The server then finishes echoing, closes the response FIFO (the client's
 * read returns end of file: "every byte came back"), and opens both again for the next client.
 *
 * <p>Why one at a time: a FIFO has no connections. If two clients wrote at once, their bytes would mix in
 * the one request pipe (each write of up to PIPE_BUF = 4096 bytes stays in one piece, larger writes
 * interleave with the other writer's), and both would read from the one response pipe, each getting an
 * arbitrary share of the mixed echo. So clients take turns: each holds an exclusive flock(2) on
 * {@code DIR/client.lock} for its whole session (see {@link FifoEchoClient}).
 *
 * <p>Memory is one 64 KiB native buffer, whatever the message size: read what is there, write it back,
 * read again. The client meets back pressure when the request pipe fills.
 *
 * <p>There is no idle timeout ({@link ServerSettings#idleTimeout()} is ignored): a FIFO has no connection
 * to drop. If the server closed its ends of an idle session, the idle client would still hold its write
 * end, so the server's next open(2) would return at once and the same client would simply start a new
 * session. An idle client only delays the clients waiting for their turn, and their wait is bounded by
 * their own timeout.
 */
public final class FifoEchoServer implements EchoServer {

    static final int BUFFER_BYTES = 64 * 1024;

    /** How long a session waits for its client to open the response FIFO after opening the request FIFO. */
    static final long RESPONSE_OPEN_WAIT_MS = 10_000;

    private final FifoDir fifos;
    private final boolean createdDir;
    private final Consumer<String> log;
    private final int serverLock;
    private final int[] wakePipe;
    private final Pointer buffer = Posix.allocate(BUFFER_BYTES);
    private final long bufferAddress = buffer.address();
    private final Posix.PollSet readWait = new Posix.PollSet(2);
    private final Posix.PollSet writeWait = new Posix.PollSet(2);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread loop;
    private volatile boolean running = true;
    private volatile long sessions;

    private FifoEchoServer(FifoDir fifos, boolean createdDir, int serverLock, ServerSettings settings, int[] wakePipe) {
        this.fifos = fifos;
        this.createdDir = createdDir;
        this.serverLock = serverLock;
        this.log = settings.log();
        this.wakePipe = wakePipe;
        this.loop = new Thread(this::run, "fifo-echo-server " + fifos.dir);
        loop.setDaemon(true);
    }

    /** Creates (or reuses) the FIFOs in {@code dir} and starts serving. */
    public static FifoEchoServer open(Path dir, ServerSettings settings) throws IOException {
        FifoDir fifos = new FifoDir(dir);
        boolean createdDir = fifos.createDirectory();
        int serverLock = -1;
        int[] wake = {-1, -1};
        try {
            serverLock = fifos.lockAsServer();
            fifos.createFiles(settings.log());
            refuseIfRead(fifos);
            /* The self-pipe trick: close() writes a byte here, and a poll(2) waiting for room in the response
             * FIFO (or for the client to open it) returns. A thread blocked in read(2) or write(2) is not woken
             * by closing the descriptor from another thread; the session's blocking read of the request FIFO
             * is woken by close() writing a byte into that FIFO instead. */
            if (Posix.libc().pipe2(wake, Posix.O_CLOEXEC | Posix.O_NONBLOCK) != 0) {
                throw new IOException("pipe2 failed: " + Posix.describe(Posix.errno()));
            }
        } catch (IOException | RuntimeException e) {
            fifos.removeCreated(createdDir, settings.log());
            Posix.closeQuietly(serverLock);
            Posix.closeQuietly(wake[0]);
            Posix.closeQuietly(wake[1]);
            throw e;
        }
        FifoEchoServer server = new FifoEchoServer(fifos, createdDir, serverLock, settings, wake);
        server.loop.start();
        return server;
    }

    /**
     * Something other than an ipc-lab server (say, {@code cat DIR/request.fifo} in another terminal) would
     * compete with us for every byte. If a non-blocking open for writing succeeds, some process has the
     * request FIFO open for reading: refuse.
     */
    private static void refuseIfRead(FifoDir fifos) throws IOException {
        int probe = Posix.libc().open(fifos.request.toString(), Posix.O_WRONLY | Posix.O_NONBLOCK | Posix.O_CLOEXEC, 0);
        if (probe >= 0) {
            Posix.closeQuietly(probe);
            throw new IOException("another process has " + fifos.request + " open for reading (see `fuser -v "
                    + fifos.request + "`); stop it or choose another --path");
        }
    }

    @Override
    public String endpoint() {
        return fifos.dir.toString();
    }

    /** Client sessions started so far. */
    public long sessions() {
        return sessions;
    }

    @Override
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    private void run() {
        try {
            while (running) {
                /* open(2) O_RDONLY on a FIFO BLOCKS until some process opens it for writing: this is where
                 * the server waits for a client, with no poll and no timeout (like accept(2), but for exactly
                 * one peer). Only opening the other end wakes it, which is how close() stops us.
                 * Watch it: `cat /proc/<pid>/task/<tid>/wchan` says wait_for_partner for this thread;
                 * `strace -f -e trace=openat` shows the call entered and not yet returned. Man page: fifo(7). */
                int request = Posix.libc().open(fifos.request.toString(), Posix.O_RDONLY | Posix.O_CLOEXEC, 0);
                if (request < 0) {
                    int errno = Posix.errno();
                    if (errno == Posix.EINTR) {
                        continue;
                    }
                    if (running) {
                        log.accept("cannot open " + fifos.request + ": " + Posix.describe(errno) + "; stopping");
                    }
                    return;
                }
                if (!running) {
                    Posix.closeQuietly(request);
                    return;
                }
                serveSession(request);
            }
        } catch (IOException | RuntimeException e) {
            log.accept("fifo server stopped: " + e.getMessage());
        } finally {
            stopped.countDown();
        }
    }

    private void serveSession(int request) throws IOException {
        int response = -1;
        long echoed = 0;
        String end = "the client closed the request FIFO and every byte was echoed";
        try {
            response = openResponse(request);
            if (response < 0) {
                return;
            }
            sessions++;
            log.accept("Client connected (session " + sessions + ")");
            writeWait.set(0, response, Posix.POLLOUT);
            writeWait.set(1, wakePipe[0], Posix.POLLIN);
            while (running) {
                /* read(2) on the request FIFO, blocking: up to 64 KiB of what the client wrote. The kernel
                 * sleeps this thread on the pipe until the client writes, or until no process has the FIFO
                 * open for writing any more (0: end of file; the client closed it, or died). One system call
                 * per request, as in C: a poll(2) before it would add a system call to every round trip,
                 * and on one CPU a round trip is little more than its system calls and context switches.
                 * close() wakes a read blocked here by opening the FIFO and writing one byte (see close()).
                 * Watch it: `strace -f -e trace=read,write` shows one read and one write per echo. */
                long n = Posix.libc().read(request, bufferAddress, BUFFER_BYTES);
                if (!running) {
                    end = "the server is stopping";
                    break;
                }
                if (n == 0) {
                    break;
                }
                if (n < 0) {
                    int errno = Posix.errno();
                    if (errno == Posix.EINTR) {
                        continue;
                    }
                    end = "read failed: " + Posix.describe(errno);
                    break;
                }
                String failure = writeAll(response, n);
                if (failure != null) {
                    end = failure;
                    break;
                }
                echoed += n;
            }
        } finally {
            /* The request FIFO first, then the response FIFO: end of file on the response FIFO is the sign
             * the client waits for before it lets the next client in, so by then we must no longer hold the
             * request FIFO open. In the other order, the next client's non-blocking open would succeed
             * against our old descriptor, and once we closed it, that client's write would fail with EPIPE
             * (no reader left) or its bytes would wait for a session that ignores them. */
            FifoDir.closeAll(request, response);
        }
        log.accept("Client done (session " + sessions + "): " + echoed + " bytes echoed; " + end);
    }

    /**
     * Opens the response FIFO for writing without blocking: O_NONBLOCK makes open fail with ENXIO while no
     * process has it open for reading. Our clients open it before the request FIFO, so it normally succeeds
     * at once. A shell client may be slower: in {@code cat response.fifo & echo hi > request.fifo}, the
     * builtin echo can write and close before cat has opened anything, so we keep trying for a while.
     * A writer that left without writing anything (a probe, or a client that gave up) ends the wait at once.
     */
    private int openResponse(int request) throws IOException {
        Posix.PollSet wait = readWait;
        wait.set(0, request, Posix.POLLIN);
        wait.set(1, wakePipe[0], Posix.POLLIN);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RESPONSE_OPEN_WAIT_MS);
        while (running) {
            int fd = Posix.libc().open(fifos.response.toString(), Posix.O_WRONLY | Posix.O_NONBLOCK | Posix.O_CLOEXEC, 0);
            if (fd >= 0) {
                return fd;
            }
            int errno = Posix.errno();
            if (errno != Posix.ENXIO && errno != Posix.EINTR) {
                throw new IOException("cannot open " + fifos.response + ": " + Posix.describe(errno));
            }
            if (System.nanoTime() - deadline > 0) {
                log.accept("A writer opened " + FifoDir.REQUEST + " but nobody opened " + FifoDir.RESPONSE
                        + " for reading within " + RESPONSE_OPEN_WAIT_MS / 1000 + " s; dropping its bytes");
                return -1;
            }
            wait.await(0);
            short requestEvents = wait.revents(0);
            if ((requestEvents & Posix.POLLHUP) != 0 && (requestEvents & Posix.POLLIN) == 0) {
                return -1;   // the writer came and went and left nothing to echo
            }
            if (wait.revents(1) != 0) {
                return -1;   // close() woke us
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return -1;
    }

    /** Writes the buffer's first {@code length} bytes; returns why the session must end, or null. */
    private String writeAll(int response, long length) throws IOException {
        long written = 0;
        while (written < length) {
            /* write(2) on the response FIFO. With O_NONBLOCK a full pipe (the client is not reading) gives
             * EAGAIN and we poll for room; the client's write to the request FIFO meets back pressure in turn.
             * EPIPE means no reader is left: the client closed the response FIFO or died. A C program that
             * does not ignore SIGPIPE would be killed right here ("Broken pipe", exit code 141); the JVM
             * ignores SIGPIPE, so we get the error code instead. Watch it: `strace -e trace=write,poll`. */
            long n = Posix.libc().write(response, bufferAddress + written, length - written);
            if (n > 0) {
                written += n;
                continue;
            }
            int errno = Posix.errno();
            if (errno == Posix.EPIPE) {
                return "the client closed the response FIFO before reading every echo (EPIPE)";
            }
            if (errno != Posix.EAGAIN && errno != Posix.EINTR) {
                return "write failed: " + Posix.describe(errno);
            }
            writeWait.await(-1);
            if (writeWait.revents(1) != 0) {
                return "the server is stopping";
            }
        }
        return null;
    }

    /**
     * Stops serving: ends the session in progress (the client sees end of file), removes the FIFOs and the
     * lock file, and the directory if this server created it and it is empty. Idempotent.
     */
    @Override
    public synchronized void close() throws IOException {
        if (!running) {
            return;
        }
        running = false;
        byte[] one = {1};
        Posix.posix().write(wakePipe[1], one, 1);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!stopped.await(5, TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() - deadline > 0) {
                    log.accept("the fifo server thread did not stop within 5 s");
                    break;
                }
                /* The thread may be blocked in open(request, O_RDONLY), waiting for a writer: become that
                 * writer for a moment. Or in read(2) on the request FIFO, which a client still holds open for
                 * writing: write one byte, which wakes the read (the loop then sees running == false and
                 * ignores it). ENXIO here means it is in neither (yet); try again. */
                int poke = Posix.libc().open(fifos.request.toString(), Posix.O_WRONLY | Posix.O_NONBLOCK | Posix.O_CLOEXEC, 0);
                if (poke >= 0) {
                    Posix.posix().write(poke, one, 1);
                }
                Posix.closeQuietly(poke);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            fifos.remove(createdDir, log);
            FifoDir.closeAll(wakePipe[0], wakePipe[1], serverLock);
        }
    }
}
