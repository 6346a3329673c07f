package org.ipclab.pipe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import jnr.ffi.Pointer;

import org.ipclab.core.AbstractEchoClient;
import org.ipclab.core.NoPeerException;
import org.ipclab.core.Watchdog;

/**
 * A client of {@link FifoEchoServer}: an unrelated process that finds the server by the FIFOs' names.
 *
 * <p>A session: take the lock ({@code DIR/client.lock}, flock(2) exclusive: clients take turns, see
 * {@link FifoEchoServer} for why), open the response FIFO for reading, open the request FIFO for writing,
 * echo; on close, close the request FIFO (the server sees end of file), read the rest of the echo until the
 * server closes the response FIFO, then let go of the lock. Waiting for that end of file is what keeps the
 * next client's bytes out of this session: when we let go, the server has closed both FIFOs.
 *
 * <p>Every wait has the client's timeout: for the lock, for a server to open the FIFO, for each echo.
 * Until the first echo byte arrives, each read is preceded by poll(2): before the server opens its end, a
 * read would return end of file. After that, the response FIFO is switched to blocking and each read is one
 * read(2), as in C; a watchdog (one shared daemon thread) bounds it: when a read has been blocked for longer
 * than the timeout, it writes one byte into the response FIFO itself, which wakes the read, and the client
 * throws "no echo for N ms". A thread blocked in read(2) on a FIFO is not woken by closing the descriptor
 * from another thread, so writing is the only gentle way to end the wait.
 *
 * <p>One window remains: a client killed with SIGKILL drops its lock at once, before the server has seen
 * end of file. A client that gets the lock within those microseconds and opens the request FIFO joins the
 * dead client's session, and may read the end of its echo. Serving each client on FIFOs of its own (named in
 * a first message) would close it, at the cost of the raw byte stream that lets {@code cat} be a client.
 */
public final class FifoEchoClient extends AbstractEchoClient {

    private static final int CHUNK = FifoEchoServer.BUFFER_BYTES;

    /** {@link #receiveBlockedSince} when no read is blocked, and when the watchdog has ended one. */
    private static final long IDLE = Long.MIN_VALUE;
    private static final long TIMED_OUT = Long.MIN_VALUE + 1;

    /** The byte the watchdog writes to wake a blocked read. */
    private static final long WAKE_BYTE = Posix.allocate(1).address();

    private final FifoDir fifos;
    private final int lock;
    private final int response;
    private volatile int request;
    private final Pointer sendBuffer = Posix.allocate(CHUNK);
    private final long sendAddress = sendBuffer.address();
    private final Pointer receiveBuffer = Posix.allocate(CHUNK);
    private final long receiveAddress = receiveBuffer.address();
    private final DirectAddresses sendAddresses = new DirectAddresses();
    private final DirectAddresses receiveAddresses = new DirectAddresses();
    private final Posix.PollSet sendWait = new Posix.PollSet(1);
    private final Posix.PollSet receiveWait = new Posix.PollSet(1);
    private final long timeoutNs;
    /** When the blocking read in progress started (System.nanoTime), or IDLE, or TIMED_OUT. */
    private final AtomicLong receiveBlockedSince = new AtomicLong(IDLE);
    private final ScheduledFuture<?> watch;
    private boolean responseBlocking;
    private String outOfStep;

    private FifoEchoClient(FifoDir fifos, int lock, int response, int request, Duration timeout) {
        super("fifo " + fifos.dir, timeout);
        this.fifos = fifos;
        this.lock = lock;
        this.response = response;
        this.request = request;
        sendWait.set(0, request, Posix.POLLOUT);
        receiveWait.set(0, response, Posix.POLLIN);
        this.timeoutNs = timeout.toNanos();
        this.watch = Watchdog.every(Watchdog.periodFor(timeout), this::checkDeadline);
    }

    /** Connects to the FIFO echo server in {@code dir}, waiting at most {@code timeout} for each step. */
    public static FifoEchoClient connect(Path dir, Duration timeout) throws IOException {
        FifoDir fifos = new FifoDir(dir);
        if (!Files.exists(fifos.request, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoPeerException("no FIFO at " + fifos.request + " (no fifo server is running in " + fifos.dir + ")");
        }
        if (!FifoDir.isFifo(fifos.request)) {
            throw new IOException(fifos.request + " is " + FifoDir.kindOf(fifos.request) + ", not a FIFO; check --path");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        int lock = -1;
        int response = -1;
        int request = -1;
        try {
            lock = takeTurn(fifos, deadline, timeout);
            /* The response FIFO first, for reading. With O_NONBLOCK this open never waits (a reader may open
             * a FIFO before any writer exists). Opening it before the request FIFO means the server, which
             * opens the response FIFO once our request arrives, always finds a reader. Note: a read now would
             * return 0 (end of file: no writer) until the server opens its end, so we always poll first. */
            response = Posix.libc().open(fifos.response.toString(), Posix.O_RDONLY | Posix.O_NONBLOCK | Posix.O_CLOEXEC, 0);
            if (response < 0) {
                int errno = Posix.errno();
                if (errno == Posix.ENOENT) {
                    throw new NoPeerException("no FIFO at " + fifos.response + " (no fifo server is running in " + fifos.dir + ")");
                }
                throw new IOException("cannot open " + fifos.response + ": " + Posix.describe(errno));
            }
            request = openRequest(fifos, deadline, timeout);
            return new FifoEchoClient(fifos, lock, response, request, timeout);
        } catch (IOException | RuntimeException e) {
            try {
                FifoDir.closeAll(request, response, lock);
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /**
     * flock(2) LOCK_EX on the lock file: one client session at a time. LOCK_NB and a retry with growing
     * sleeps, so the wait has a bound. The kernel drops the lock when its descriptor is closed, including
     * when the process dies. Watch it: `lslocks` lists the FLOCK holder's pid and the file.
     */
    private static int takeTurn(FifoDir fifos, long deadline, Duration timeout) throws IOException {
        int fd = Posix.libc().open(fifos.lock.toString(), Posix.O_RDWR | Posix.O_CLOEXEC, 0);
        if (fd < 0) {
            int errno = Posix.errno();
            if (errno == Posix.ENOENT) {
                throw new NoPeerException("no lock file " + fifos.lock + " (no fifo server is running in " + fifos.dir + ")");
            }
            throw new IOException("cannot open " + fifos.lock + ": " + Posix.describe(errno));
        }
        long sleepNs = TimeUnit.MICROSECONDS.toNanos(100);
        while (Posix.libc().flock(fd, Posix.LOCK_EX | Posix.LOCK_NB) != 0) {
            int errno = Posix.errno();
            if (errno != Posix.EWOULDBLOCK && errno != Posix.EINTR) {
                Posix.closeQuietly(fd);
                throw new IOException("flock " + fifos.lock + " failed: " + Posix.describe(errno));
            }
            if (System.nanoTime() - deadline > 0) {
                Posix.closeQuietly(fd);
                throw new IOException("another client has been using the FIFOs in " + fifos.dir + " for more than "
                        + timeout.toMillis() + " ms (clients take turns: it holds " + fifos.lock
                        + "; see `lslocks`); try again later or raise --timeout");
            }
            LockSupport.parkNanos(sleepNs);
            sleepNs = Math.min(sleepNs * 2, TimeUnit.MILLISECONDS.toNanos(10));
        }
        return fd;
    }

    /**
     * open(2) of the request FIFO for writing. Without O_NONBLOCK this BLOCKS until a reader opens the
     * FIFO, forever if no server is running. With O_NONBLOCK it fails at once with ENXIO while nobody has it
     * open for reading, so we can retry until our deadline and then say so. Between two sessions the server
     * closes and reopens the FIFO, so a short ENXIO is normal.
     * Watch it: `strace -e trace=openat ./ipc-lab client fifo` shows the ENXIO retries with no server.
     */
    private static int openRequest(FifoDir fifos, long deadline, Duration timeout) throws IOException {
        long sleepNs = TimeUnit.MICROSECONDS.toNanos(50);
        while (true) {
            int fd = Posix.libc().open(fifos.request.toString(), Posix.O_WRONLY | Posix.O_NONBLOCK | Posix.O_CLOEXEC, 0);
            if (fd >= 0) {
                return fd;
            }
            int errno = Posix.errno();
            if (errno == Posix.ENOENT) {
                throw new NoPeerException("no FIFO at " + fifos.request + " (no fifo server is running in " + fifos.dir + ")");
            }
            if (errno != Posix.ENXIO && errno != Posix.EINTR) {
                throw new IOException("cannot open " + fifos.request + ": " + Posix.describe(errno));
            }
            if (System.nanoTime() - deadline > 0) {
                throw new NoPeerException("no server has " + fifos.request + " open for reading (open kept failing with ENXIO for "
                        + timeout.toMillis() + " ms): the FIFO is there but its server is not running");
            }
            LockSupport.parkNanos(sleepNs);
            sleepNs = Math.min(sleepNs * 2, TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    @Override
    protected void doSend(byte[] src, int offset, int length) throws IOException {
        int fd = request;
        if (fd < 0) {
            throw new IOException(name() + ": sending was finished (finishSending); connect a new client to send more");
        }
        int done = 0;
        while (done < length) {
            int chunk = Math.min(CHUNK, length - done);
            sendBuffer.put(0, src, offset + done, chunk);
            writeFully(fd, sendAddress, chunk, done, length);
            done += chunk;
        }
    }

    /** A direct buffer's bytes go to write(2) from where they are: no copy into sendBuffer first. */
    @Override
    protected void doSend(ByteBuffer src) throws IOException {
        int fd = request;
        if (!src.isDirect() || fd < 0) {
            super.doSend(src);   // through sendBuffer; after finishSending, doSend(byte[]) says so
            return;
        }
        long from = sendAddresses.at(src);
        int length = src.remaining();
        for (int done = 0; done < length; done += Math.min(CHUNK, length - done)) {
            writeFully(fd, from + done, Math.min(CHUNK, length - done), done, length);
        }
        src.position(src.limit());
    }

    private void writeFully(int fd, long address, int chunk, int doneBefore, int length) throws IOException {
        int written = 0;
        while (written < chunk) {
            /* write(2), non-blocking: usually the pipe has room and it returns at once. A full pipe (64 KiB:
             * the server is not reading) gives EAGAIN and we poll(2) for room, bounded by the timeout. */
            long n = Posix.libc().write(fd, address + written, chunk - written);
            if (n > 0) {
                written += (int) n;
                continue;
            }
            int errno = Posix.errno();
            if (errno == Posix.EPIPE) {
                throw new IOException(name() + ": the server closed the request FIFO after " + (doneBefore + written) + " of "
                        + length + " bytes were sent (EPIPE: no reader left; it stopped, or closed an idle session)");
            }
            if (errno != Posix.EAGAIN && errno != Posix.EINTR) {
                throw new IOException(name() + ": write failed: " + Posix.describe(errno));
            }
            if (sendWait.await(timeout.toMillis()) == 0) {
                throw new IOException(name() + ": could not send for " + timeout.toMillis() + " ms (the server stopped reading; "
                        + (length - doneBefore - written) + " bytes left)");
            }
        }
    }

    @Override
    protected void doReceive(byte[] dst, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int n = receiveSome(receiveAddress, Math.min(CHUNK, length - done), done, length);
            receiveBuffer.get(0, dst, offset + done, n);
            done += n;
        }
    }

    /** read(2) straight into a direct buffer's memory: no copy out of receiveBuffer afterwards. */
    @Override
    protected void doReceive(ByteBuffer dst) throws IOException {
        if (!dst.isDirect()) {
            super.doReceive(dst);
            return;
        }
        long into = receiveAddresses.at(dst);
        int length = dst.remaining();
        int done = 0;
        while (done < length) {
            done += receiveSome(into + done, Math.min(CHUNK, length - done), done, length);
        }
        dst.position(dst.limit());
    }

    /** Reads at least one and at most {@code count} echoed bytes to {@code address}; returns how many. */
    private int receiveSome(long address, int count, int done, int length) throws IOException {
        if (outOfStep != null) {
            throw new IOException(name() + ": " + outOfStep + "; connect a new client");
        }
        while (true) {
            long n;
            if (responseBlocking) {
                n = blockingRead(address, count, done, length);
            } else {
                // poll(2) before each read until the first echo byte: until then, end of file means "not yet"
                if (receiveWait.await(timeout.toMillis()) == 0) {
                    throw new IOException(name() + ": no echo for " + timeout.toMillis() + " ms (" + done + " of " + length
                            + " bytes came back)");
                }
                n = Posix.libc().read(response, address, count);
                if (n > 0) {
                    makeResponseBlocking();
                }
            }
            if (n > 0) {
                return (int) n;
            }
            if (n == 0) {
                throw new IOException(name() + ": the server closed the response FIFO after " + done + " of " + length
                        + " echoed bytes (it stopped, or closed an idle session)");
            }
            int errno = Posix.errno();
            if (errno != Posix.EAGAIN && errno != Posix.EINTR) {
                throw new IOException(name() + ": read failed: " + Posix.describe(errno));
            }
        }
    }

    /**
     * The server has written, so its write end is open, and stays open until the session ends (then read
     * returns end of file, which is what we want to see). From here a read needs no poll(2) first: clear
     * O_NONBLOCK with fcntl(2) F_SETFL, once per session. Watch it: `strace -f -e trace=read,poll,fcntl`
     * shows poll+read for the first echo, then one fcntl, then a bare read per echo; /proc/<pid>/fdinfo/<fd>
     * shows the flags (04000 is O_NONBLOCK).
     */
    private void makeResponseBlocking() throws IOException {
        int flags = Posix.libc().fcntl(response, Posix.F_GETFL, 0);
        if (flags < 0 || Posix.libc().fcntl(response, Posix.F_SETFL, flags & ~Posix.O_NONBLOCK) < 0) {
            throw new IOException(name() + ": fcntl(F_SETFL) on " + fifos.response + " failed: " + Posix.describe(Posix.errno()));
        }
        responseBlocking = true;
    }

    /**
     * read(2) on the blocking response FIFO: one system call per echo, as a C client makes. The kernel puts this
     * thread to sleep on the pipe's wait queue until the server writes (or every writer closes: 0, end of file); a
     * poll(2) first would be a large share of a same-CPU round trip. The watchdog ends a read blocked for longer
     * than the timeout (see {@link #checkDeadline}); we then throw, since its wake-up byte is not echo.
     */
    private long blockingRead(long address, int count, int done, int length) throws IOException {
        receiveBlockedSince.set(System.nanoTime());
        long n = Posix.libc().read(response, address, count);
        if (receiveBlockedSince.getAndSet(IDLE) == TIMED_OUT) {
            outOfStep = "an earlier wait for the echo timed out, so the echo is out of step";
            throw new IOException(name() + ": no echo for " + timeout.toMillis() + " ms (" + done + " of " + length
                    + " bytes came back; the server has the FIFOs open but is not echoing: stopped, or hung?)");
        }
        return n;
    }

    /**
     * Runs on the watchdog thread. A read blocked for longer than the timeout is woken by writing one byte
     * into the response FIFO: open(2) of /proc/self/fd/N opens the very FIFO our descriptor N reads (even if
     * its name was removed), O_NONBLOCK so it cannot wait, and it succeeds because we are its reader.
     */
    private void checkDeadline() {
        long since = receiveBlockedSince.get();
        if (since == IDLE || since == TIMED_OUT || System.nanoTime() - since <= timeoutNs
                || !receiveBlockedSince.compareAndSet(since, TIMED_OUT)) {
            return;
        }
        int wake = Posix.libc().open("/proc/self/fd/" + response, Posix.O_WRONLY | Posix.O_NONBLOCK | Posix.O_CLOEXEC, 0);
        if (wake >= 0) {
            Posix.libc().write(wake, WAKE_BYTE, 1);   // a full pipe (EAGAIN) means the read is not blocked
            Posix.closeQuietly(wake);
        }
    }

    /** Closes the request FIFO: the server reads end of file, echoes what it still has, and ends the session. */
    @Override
    protected void doFinishSending() throws IOException {
        int fd = request;
        request = -1;
        FifoDir.closeAll(fd);
    }

    @Override
    protected boolean prefersDirectBuffers() {
        return true;   // read(2) and write(2) take a direct buffer's memory as it is (see doSend(ByteBuffer))
    }

    @Override
    protected int inlineRoundTripBytes() {
        return CHUNK;   // an empty 64 KiB request pipe takes the whole message without anyone reading
    }

    @Override
    protected void doClose() throws IOException {
        watch.cancel(false);
        int fd = request;
        request = -1;
        try {
            FifoDir.closeAll(fd);
            drainUntilServerCloses();
        } finally {
            FifoDir.closeAll(response, lock);
        }
    }

    /**
     * Reads and drops the rest of the echo until end of file, so the server has ended the session before
     * the next client gets its turn. Each wait is bounded by the timeout: if the server stops answering, we
     * give up and let the next client find out for itself.
     */
    private void drainUntilServerCloses() throws IOException {
        while (receiveWait.await(timeout.toMillis()) > 0) {
            long n = Posix.libc().read(response, receiveAddress, CHUNK);
            if (n == 0) {
                return;
            }
            if (n < 0 && Posix.errno() != Posix.EAGAIN && Posix.errno() != Posix.EINTR) {
                return;
            }
        }
    }
}
