package org.ipclab.pipe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.AbstractEchoClient;
import org.ipclab.core.BlockedCall;
import org.ipclab.core.ChildProcess;
import org.ipclab.core.Watchdog;

/**
 * A client that starts its own echo peer: a child process whose stdin and stdout are anonymous pipes.
 * Requests go down the child's stdin, echoes come back up its stdout; a pipe carries bytes one way only,
 * so an echo needs two. An anonymous pipe has no name: only the process that made it, and the children
 * that inherit it across fork, can ever hold its ends.
 *
 * <p><b>How the waits are bounded.</b> Reads and writes are plain blocking calls on the caller's thread,
 * exactly one read(2) or write(2) each, as a C program would make. A watchdog (one shared daemon thread)
 * checks each client a few times per timeout: if a read or a write has been blocked for a whole timeout
 * (counted in checks that found the same call still in progress, see {@link BlockedCall}: no clock is read
 * around each call), it kills the child (and the child's children), which ends the wait: the kernel closes the
 * child's pipe ends, our read returns end of file and our write fails with EPIPE. Nothing gentler works:
 * a thread blocked in read(2) on a pipe is not woken by closing the descriptor from another thread, and
 * Java does not expose the descriptor of a Process's streams for poll(2). The alternatives cost on every
 * message instead: polling {@code available()} spins a core or sleeps, and a reader thread adds a thread
 * hand-off (waking another thread: a futex(2) call and a context switch) to every echo.
 *
 * <p>If the child dies, the next read returns end of file at once (a dead process holds no descriptors) and
 * the error says how it died: "echo child exited with code 137 (killed by SIGKILL)".
 */
public final class PipeEchoClient extends AbstractEchoClient {

    /** A Linux pipe's default capacity (F_GETPIPE_SZ): 16 pages. */
    static final int PIPE_CAPACITY = 64 * 1024;

    private final ChildCommand command;
    private final ChildProcess child;
    private final OutputStream toChild;
    private final InputStream fromChild;
    private final long timeoutNs;
    private final ScheduledFuture<?> watch;
    /** Watchdog checks a read or write may stay blocked: the timeout, in check periods. */
    private final int checksPerTimeout;
    // the read and the write in progress, if any (they may be on two threads); no clock read around each call
    private final BlockedCall sending = new BlockedCall();
    private final BlockedCall receiving = new BlockedCall();
    /** Our own descriptors of the pipes, for read(2) and write(2) (see PipeEnds); null: the streams. */
    private final PipeEnds ends;
    private final DirectAddresses sendAddresses = new DirectAddresses();
    private final DirectAddresses receiveAddresses = new DirectAddresses();
    /** Where a byte array's bytes are copied on their way to read(2) and write(2), when ends are known. */
    private final ByteBuffer sendStage;
    private final ByteBuffer receiveStage;
    private volatile String killedBecause;
    private volatile boolean sendingFinished;

    private PipeEchoClient(ChildCommand command, Process process, Duration timeout) {
        super("pipe to " + command.describe() + " (pid " + process.pid() + ")", timeout);
        this.command = command;
        this.child = new ChildProcess(process, "echo child");
        this.toChild = process.getOutputStream();
        this.fromChild = process.getInputStream();
        this.ends = PipeEnds.take(process);
        this.sendStage = ends == null ? null : ByteBuffer.allocateDirect(PIPE_CAPACITY);
        this.receiveStage = ends == null ? null : ByteBuffer.allocateDirect(PIPE_CAPACITY);
        this.timeoutNs = timeout.toNanos();
        this.checksPerTimeout = Watchdog.checksFor(timeout);
        this.watch = Watchdog.every(Watchdog.periodFor(timeout), this::checkDeadlines);
    }

    /** Starts the echo child and returns a client talking to it through its stdin and stdout. */
    public static PipeEchoClient start(ChildCommand command, Duration timeout) throws IOException {
        command.checkRunnable();
        /* ProcessBuilder.start() is where the pipes are made and the child is born:
         *  - pipe2(2), once per redirected stream (here stdin and stdout), plus two the JDK keeps for
         *    talking to its helper. Each pipe is a kernel buffer (64 KiB) with a read end and a write end:
         *    two file descriptors in this process;
         *  - clone3(2) with CLONE_VM|CLONE_VFORK (glibc's posix_spawn): a new process that borrows our
         *    memory until it calls execve(2), and starts with a copy of our descriptor table, so it holds
         *    both ends of every pipe too;
         *  - the child execs the JDK's jspawnhelper, which reads the command over one of those pipes, puts
         *    the stdin pipe's read end on fd 0 and the stdout pipe's write end on fd 1 with dup2(2), closes
         *    every other descriptor, and execve(2)s `cat` or `java` (trying each PATH directory in turn).
         *    The pipes survive execve: they belong to the OS, not to Java, which is why `cat` can be the peer;
         *  - here, the JDK closes the child's ends and keeps the stdin write end and the stdout read end.
         * Watch it: `strace -f -e trace=pipe2,clone3,execve,dup2,read,write ./ipc-lab client pipe --child cat`
         * (older glibc: clone or vfork instead of clone3), and `ls -l /proc/<child pid>/fd` during a run:
         * 0 and 1 are "pipe:[inode]", the same inodes as in the client's /proc/<pid>/fd.
         * Man pages: pipe(7), pipe2(2), posix_spawn(3), execve(2).
         * The child's stderr is not a pipe: it is inherited (our terminal), so it can never fill up and
         * block the child, and stdout carries nothing but echoed bytes. */
        Process process;
        try {
            process = new ProcessBuilder(command.command()).redirectError(Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new IOException("cannot start the echo child " + command.describe() + ": " + e.getMessage() + "; check --child", e);
        }
        return new PipeEchoClient(command, process, timeout);
    }

    /** The child's process id: {@code ls -l /proc/<pid>/fd}. */
    public long childPid() {
        return child.pid();
    }

    public ChildCommand command() {
        return command;
    }

    /*
     * THE WRONG WAY, for a message bigger than the pipes (see PipeDeadlockMain, which runs it):
     *
     *     toChild.write(message);            // 10 MiB
     *     toChild.flush();
     *     fromChild.readNBytes(echo, 0, n);  // never reached
     *
     * The child echoes as it reads. After 64 KiB its stdout pipe is full, nobody reads it, so the child
     * blocks in write(2) and stops reading its stdin; 64 KiB later our write(2) blocks too. Both processes
     * sleep forever, each waiting for the other: `cat /proc/<pid>/task/<tid>/wchan` says anon_pipe_write in
     * both (pipe_write on kernels before 6.x).
     *
     * THE RIGHT WAY: write on one thread while another reads. AbstractEchoClient.roundTrip does exactly that
     * for messages above inlineRoundTripBytes(); below it, the whole message fits in the child's empty stdin
     * pipe, so writing all of it first cannot block.
     */

    @Override
    protected void doSend(byte[] src, int offset, int length) throws IOException {
        if (sendingFinished) {
            throw new IOException(name() + ": sending was finished (finishSending); connect a new client to send more");
        }
        if (ends != null) {   // one way to the descriptor only: through a native copy of ours
            for (int done = 0; done < length; done += PIPE_CAPACITY) {
                int chunk = Math.min(PIPE_CAPACITY, length - done);
                writeAll(sendAddresses.at(sendStage.clear().put(src, offset + done, chunk).flip()), chunk, done, length);
            }
            return;
        }
        int done = 0;
        // at most one pipe's worth per write, so the watchdog sees progress and judges each wait on its own
        while (done < length) {
            int chunk = Math.min(PIPE_CAPACITY, length - done);
            sending.enter();
            try {
                toChild.write(src, offset + done, chunk);
                toChild.flush();
            } catch (IOException e) {
                throw failure("sending failed after " + done + " of " + length + " bytes (" + e.getMessage() + ")", e);
            } finally {
                sending.leave();
            }
            done += chunk;
        }
    }

    /** A direct buffer's bytes go to write(2) from where they are. */
    @Override
    protected void doSend(ByteBuffer src) throws IOException {
        if (ends == null || !src.isDirect() || sendingFinished) {
            super.doSend(src);   // through the stream; after finishSending, doSend(byte[]) says so
            return;
        }
        writeAll(sendAddresses.at(src), src.remaining(), 0, src.remaining());
        src.position(src.limit());
    }

    /** read(2) straight into a direct buffer's memory. */
    @Override
    protected void doReceive(ByteBuffer dst) throws IOException {
        if (ends == null || !dst.isDirect()) {
            super.doReceive(dst);
            return;
        }
        readAll(receiveAddresses.at(dst), dst.remaining(), 0, dst.remaining());
        dst.position(dst.limit());
    }

    /** write(2)s {@code length} bytes at {@code from}, at most one pipe's worth per call; {@code doneBefore} of
     *  {@code total} were sent before (for the error). A full pipe (the child is not reading) makes it sleep. */
    private void writeAll(long from, int length, int doneBefore, int total) throws IOException {
        for (int done = 0; done < length; ) {
            long n;
            sending.enter();
            try {
                n = Posix.libc().write(ends.toChild(), from + done, Math.min(PIPE_CAPACITY, length - done));
            } finally {
                sending.leave();   // also if the call throws: else the watchdog would see it blocked forever
            }
            if (n < 0 && Posix.errno() != Posix.EINTR) {
                throw failure("sending failed after " + (doneBefore + done) + " of " + total + " bytes ("
                        + Posix.describe(Posix.errno()) + ")", null);
            }
            done += (int) Math.max(0, n);
        }
    }

    /** read(2)s exactly {@code length} bytes to {@code into}: each call sleeps until the child writes, and returns
     *  0 once every write end of its stdout is closed (it exited). */
    private void readAll(long into, int length, int doneBefore, int total) throws IOException {
        for (int done = 0; done < length; ) {
            long n;
            receiving.enter();
            try {
                n = Posix.libc().read(ends.fromChild(), into + done, length - done);
            } finally {
                receiving.leave();
            }
            if (n == 0 || (n < 0 && Posix.errno() != Posix.EINTR)) {
                throw failure((n == 0 ? "the echo ended after " : "receiving failed after ") + (doneBefore + done)
                        + " of " + total + " echoed bytes" + (n == 0 ? "" : " (" + Posix.describe(Posix.errno()) + ")"), null);
            }
            done += (int) Math.max(0, n);
        }
    }

    @Override
    protected void doReceive(byte[] dst, int offset, int length) throws IOException {
        if (ends != null) {   // never the stream: its buffer may hold bytes a read(2) of ours would then skip
            for (int done = 0; done < length; done += PIPE_CAPACITY) {
                int chunk = Math.min(PIPE_CAPACITY, length - done);
                readAll(receiveAddresses.at(receiveStage.clear()), chunk, done, length);
                receiveStage.get(0, dst, offset + done, chunk);
            }
            return;
        }
        int done = 0;
        while (done < length) {
            int n;
            receiving.enter();
            try {
                n = fromChild.read(dst, offset + done, length - done);
            } catch (IOException e) {
                throw failure("receiving failed after " + done + " of " + length + " echoed bytes (" + e.getMessage() + ")", e);
            } finally {
                receiving.leave();
            }
            if (n < 0) {
                throw failure("the echo ended after " + done + " of " + length + " echoed bytes", null);
            }
            done += n;
        }
    }

    /** Explains a failed read or write: how the child died, or why the watchdog killed it. */
    private IOException failure(String what, IOException cause) {
        String killed = killedBecause;
        if (killed != null) {
            return new IOException(name() + ": " + killed + "; " + what, cause);
        }
        Process process = child.process();
        try {
            // end of file or EPIPE: the child has closed its ends, which almost always means it is exiting
            process.waitFor(Math.min(2_000, TimeUnit.NANOSECONDS.toMillis(timeoutNs)), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (process.isAlive()) {
            return new IOException(name() + ": the echo child closed its stdout but is still running; " + what, cause);
        }
        return new IOException(name() + ": " + child.describeExit() + "; " + what, cause);
    }

    private void checkDeadlines() {
        long timeoutMs = TimeUnit.NANOSECONDS.toMillis(timeoutNs);
        // both are checked at every check, so each keeps its count of how long its call has lasted
        boolean receiveStuck = receiving.stuckFor(checksPerTimeout);
        boolean sendStuck = sending.stuckFor(checksPerTimeout);
        if (receiveStuck) {
            kill("no echo for " + timeoutMs + " ms: the echo child was still running but sent nothing back,"
                    + " so it was killed to end the wait");
        } else if (sendStuck) {
            kill("could not send for " + timeoutMs + " ms: the echo child stopped reading its stdin (is anyone"
                    + " reading its stdout? a pipe holds only 64 KiB), so it was killed to end the wait");
        }
    }

    private void kill(String why) {
        if (killedBecause != null) {
            return;
        }
        killedBecause = why;
        ProcessHandle handle = child.process().toHandle();
        // a grandchild (say, `sh -c 'sleep 60'`) holds the pipe ends too: they all must go for read to return
        handle.descendants().forEach(ProcessHandle::destroyForcibly);
        handle.destroyForcibly();
    }

    /** Closes the child's stdin: it reads end of file, echoes what it still holds, and exits. */
    @Override
    protected void doFinishSending() throws IOException {
        sendingFinished = true;
        if (ends != null) {
            ends.closeToChild();
        }
        toChild.close();
    }

    @Override
    protected boolean prefersDirectBuffers() {
        return ends != null;   // read(2) and write(2) then take the buffer's memory as it is (see PipeEnds)
    }

    @Override
    protected int inlineRoundTripBytes() {
        return PIPE_CAPACITY;
    }

    @Override
    protected void doClose() throws IOException {
        watch.cancel(false);
        sendingFinished = true;
        /* Our read end of the child's stdout first. A child still writing echoes that nobody will read now
         * gets SIGPIPE on its next write (`cat` dies of it: exit code 141) or, in a JVM, EPIPE ("Broken
         * pipe"), instead of blocking forever on a full pipe; and a thread of ours blocked writing to that
         * child gets EPIPE in turn. (The other order would hang: closing the stdin stream first needs its
         * lock, which that blocked writer holds.) Then its stdin: the child reads end of file and exits.
         * ChildProcess waits for the exit with a bound, then sends SIGTERM, then SIGKILL, if it must. */
        try {
            if (ends != null) {
                ends.closeFromChild();
            }
            fromChild.close();
        } catch (IOException ignored) {
            // nothing was left to read that anybody wants
        }
        try {
            if (ends != null) {
                ends.closeToChild();
            }
            toChild.close();
        } catch (IOException ignored) {
            // the child may be gone already; its stdin is closed either way
        }
        child.close();
    }
}
