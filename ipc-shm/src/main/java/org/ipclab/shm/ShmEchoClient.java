package org.ipclab.shm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

import org.ipclab.core.AbstractEchoClient;

/**
 * A client of {@link ShmEchoServer}: it maps the server's segment, takes a free slot of its table with a
 * compare-and-set, and from then on talks through that slot's two rings - a round trip is two memory copies and,
 * when the other side sleeps, one FUTEX_WAKE each way. Nothing of the kernel's knows this "connection": closing
 * marks the slot LEFT, and a client that dies is noticed by its pid.
 */
final class ShmEchoClient extends AbstractEchoClient {

    private static final long MY_PID = ProcessHandle.current().pid();
    private static final long MY_START = ShmOwner.startMillis(ProcessHandle.current());

    private final ShmSegment segment;
    private final int slot;
    private final ShmRing out;
    private final ShmRing in;
    private final long timeoutNs;
    private final ShmRing.Watch watch;
    private final String startHint;
    /** How long a client waiting for a free slot sleeps before it looks whether the server still runs. */
    private static final long SLOT_WAIT_SLICE_NS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(200);

    private ShmEchoClient(String name, ShmSegment segment, int slot, ShmRing.Wait wait, Duration timeout, String startHint) {
        super("shm client '" + name + "'", timeout);
        this.segment = segment;
        this.slot = slot;
        boolean serverSleeps = segment.serverSleeps();
        this.out = segment.toServer(slot, wait, serverSleeps);
        this.in = segment.toClient(slot, wait, serverSleeps);
        this.timeoutNs = timeout.toNanos();
        this.startHint = startHint;
        this.watch = this::trouble;
    }

    /** Whether the server sleeps while it waits (futex), as its segment's header says. */
    boolean serverSleeps() {
        return segment.serverSleeps();
    }

    static ShmEchoClient connect(String name, ShmRing.Wait wait, Duration timeout) throws IOException {
        String hint = "./ipc-lab server shm" + (name.equals(ShmSegment.DEFAULT_NAME) ? "" : " --name " + name);
        ShmSegment segment = ShmSegment.open(name, hint);
        long deadline = System.nanoTime() + timeout.toNanos();
        jnr.ffi.Pointer timespec = null;
        while (true) {
            int seen = segment.doorbell();   // read before the scan: a slot freed after it moves the doorbell on
            for (int slot = 0; slot < segment.slots; slot++) {
                // A lock-free claim: of two clients that try the same FREE slot, exactly one compare-and-set succeeds.
                if (segment.compareAndSetState(slot, ShmSegment.FREE, ShmSegment.RESERVED)) {
                    segment.setClient(slot, MY_PID, MY_START);
                    segment.setClientWait(slot, wait);   // before CLAIMED: the server reads it when it serves us
                    segment.setState(slot, ShmSegment.CLAIMED);
                    segment.ring();
                    return new ShmEchoClient(name, segment, slot, wait, timeout, hint);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                segment.close();
                throw new IOException("all " + segment.slots + " client slots of the shm server '" + name
                        + "' stayed taken for " + timeout.toMillis() + " ms;"
                        + " close a client, or start the server with a larger --max-connections");
            }
            /* Every slot is taken - like a TCP client whose SYN waits in a full backlog, wait for one to be freed
             * (at most the client's timeout). The server rings the doorbell when it frees a slot, so this futex(2)
             * FUTEX_WAIT ends at once then; `strace -e futex` on the client shows it. */
            timespec = timespec != null ? timespec : ShmNative.timespec();
            segment.awaitDoorbell(seen, Math.min(left, SLOT_WAIT_SLICE_NS), timespec);
            if (segment.stopping() || !segment.owner().alive()) {
                segment.close();
                throw new IOException("the shm server '" + name + "' went away while this client waited for a slot; "
                        + "start it again (" + hint + ")");
            }
        }
    }

    int slot() {
        return slot;
    }

    /** Null while the server is there; else what happened to it, in the user's words. */
    private String trouble(boolean lookAtProcesses) {
        if (segment.stopping()) {
            return "the server stopped (it removed " + segment.path + ")";
        }
        if (segment.state(slot) == ShmSegment.FREE) {
            return "the server dropped this client";
        }
        if (lookAtProcesses) {
            ShmOwner owner = segment.owner();
            if (!owner.alive()) {
                return "the shm server (pid " + owner.pid() + ") died; start it again with " + startHint;
            }
        }
        return null;
    }

    @Override
    protected void doSend(byte[] src, int offset, int length) throws IOException {
        if (out.isClosed()) {
            throw new IOException(name() + ": sending was finished; connect a new client");
        }
        out.write(src, offset, length, timeoutNs, watch);
    }

    @Override
    protected void doSend(ByteBuffer src) throws IOException {
        if (out.isClosed()) {
            throw new IOException(name() + ": sending was finished; connect a new client");
        }
        out.write(src, timeoutNs, watch);
    }

    @Override
    protected void doReceive(byte[] dst, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int n = in.read(dst, offset + done, length - done, timeoutNs, watch);
            if (n < 0) {
                throw new IOException(name() + ": the server ended the echo after " + done + " of " + length + " bytes");
            }
            done += n;
        }
    }

    @Override
    protected void doReceive(ByteBuffer dst) throws IOException {
        int want = dst.remaining();
        while (dst.hasRemaining()) {
            if (in.read(dst, timeoutNs, watch) < 0) {
                throw new IOException(name() + ": the server ended the echo after " + (want - dst.remaining())
                        + " of " + want + " bytes");
            }
        }
    }

    @Override
    protected void doFinishSending() {
        out.close();
    }

    @Override
    protected void doClose() {
        out.close();
        segment.setState(slot, ShmSegment.LEFT);
        segment.ring();
        in.wakeAll();   // an echo thread waiting for room in our ring looks at the slot now, not after its slice
        segment.close();
    }
}
