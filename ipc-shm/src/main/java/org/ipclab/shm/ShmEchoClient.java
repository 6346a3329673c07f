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
    private static final long MY_START = ShmSegment.startMillis(ProcessHandle.current());

    private final ShmSegment segment;
    private final int slot;
    private final ShmRing out;
    private final ShmRing in;
    private final long timeoutNs;
    private final ShmRing.Watch watch;
    private final String startHint;

    private ShmEchoClient(String name, ShmSegment segment, int slot, ShmRing.Wait wait, Duration timeout, String startHint) {
        super("shm client '" + name + "'", timeout);
        this.segment = segment;
        this.slot = slot;
        this.out = segment.toServer(slot, wait);
        this.in = segment.toClient(slot, wait);
        this.timeoutNs = timeout.toNanos();
        this.startHint = startHint;
        this.watch = this::trouble;
    }

    static ShmEchoClient connect(String name, ShmRing.Wait wait, Duration timeout) throws IOException {
        String hint = "./ipc-lab server shm" + (name.equals(ShmSegment.DEFAULT_NAME) ? "" : " --name " + name);
        ShmSegment segment = ShmSegment.open(name, hint);
        for (int slot = 0; slot < segment.slots; slot++) {
            // A lock-free claim: of two clients that try the same FREE slot, exactly one compare-and-set succeeds.
            if (segment.compareAndSetState(slot, ShmSegment.FREE, ShmSegment.RESERVED)) {
                segment.setClient(slot, MY_PID, MY_START);
                segment.setState(slot, ShmSegment.CLAIMED);
                segment.ring();
                return new ShmEchoClient(name, segment, slot, wait, timeout, hint);
            }
        }
        throw new IOException("all " + segment.slots + " client slots of the shm server '" + name + "' are taken;"
                + " close a client, or start the server with a larger --max-connections");
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
            ShmSegment.Owner owner = segment.owner();
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
