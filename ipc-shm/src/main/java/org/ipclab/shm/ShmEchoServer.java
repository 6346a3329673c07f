package org.ipclab.shm;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.ipclab.core.EchoServer;
import org.ipclab.core.ServerSettings;

import jnr.ffi.Pointer;

/**
 * The echo server on a shared segment: it creates {@code /dev/shm/ipclab-NAME}, hands out the slots of its table,
 * and runs one echo thread per client slot that takes the bytes of the client's ring and puts them into the ring
 * back, unchanged. No connection exists in the kernel: that a client came is a slot it took (and the doorbell word
 * it woke the server with), that it left is a slot it marked LEFT, and that it died is a pid that no longer runs
 * ({@code /proc/<pid>}, looked at once per wait slice).
 *
 * <p>The segment is removed when the server closes, also from a shutdown hook (Ctrl-C, SIGTERM); after a SIGKILL
 * it stays in /dev/shm, and the next server with the same name removes it once it sees that the pid in its header
 * is gone.
 */
public final class ShmEchoServer implements EchoServer {

    /** A client whose ring stays full this long (it does not read its echo) is dropped. */
    static final long STALL_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    /** What one echo step takes from the client's ring at most: 64 KiB, as ipc-lab's other servers read. */
    static final int ECHO_BUFFER_BYTES = 64 * 1024;

    private static final long DOORBELL_SLICE_NS = TimeUnit.MILLISECONDS.toNanos(200);
    /** How often an echo thread whose client finished sending looks whether that client still runs. */
    private static final long LEAVE_SLICE_NS = TimeUnit.MILLISECONDS.toNanos(20);

    /** A slot RESERVED this long belongs to a client that died halfway through taking it. */
    private static final long RESERVED_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(1);

    private final String name;
    private final ShmSegment segment;
    private final ShmRing.Wait wait;
    private final Consumer<String> log;
    private final long idleTimeoutNs;
    private final Thread acceptor;
    private final Thread[] sessions;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread shutdownHook;
    private volatile boolean running = true;
    private boolean closed;

    private ShmEchoServer(String name, ShmSegment segment, ShmRing.Wait wait, ServerSettings settings) {
        this.name = name;
        this.segment = segment;
        this.wait = wait;
        this.log = settings.log();
        long idle = settings.idleTimeout().toNanos();
        this.idleTimeoutNs = idle == 0 ? Long.MAX_VALUE : idle;
        this.sessions = new Thread[segment.slots];
        this.shutdownHook = new Thread(this::closeQuietly, "shm-server-shutdown " + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        this.acceptor = new Thread(this::accept, "shm-server " + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Creates the segment and starts serving. Options: {@code wait} ({@code futex}, the default, or {@code spin}).
     * The slot table has {@code min(16, max connections)} slots.
     */
    public static ShmEchoServer open(String name, ServerSettings settings) throws IOException {
        return open(name, settings, ShmRing.Wait.FUTEX);
    }

    static ShmEchoServer open(String name, ServerSettings settings, ShmRing.Wait defaultWait) throws IOException {
        ShmSegment.checkName(name);
        ShmRing.Wait wait = ShmRing.Wait.parse(settings.option(ShmTransport.OPTION_WAIT, defaultWait.id()));
        int slots = Math.max(1, Math.min(ShmSegment.DEFAULT_SLOTS, settings.maxConnections()));
        ShmSegment segment = ShmSegment.create(name, slots, ShmSegment.DEFAULT_RING_BYTES, wait, settings.log());
        try {
            return new ShmEchoServer(name, segment, wait, settings);
        } catch (RuntimeException | Error e) {
            segment.unlink();
            throw e;
        }
    }

    /** What the server made and where to look, for its first lines. */
    public String describe() {
        return String.format(Locale.ROOT, "segment %s (%,d bytes, mode 0600): %d client slots, two %,d-byte rings each;"
                        + " waiting: %s%nsee it: ls -l /dev/shm; grep ipclab /proc/%d/maps; strace -f -e trace=futex -p %d",
                segment.path, ShmSegment.sizeOf(segment.slots, segment.ringBytes), segment.slots, segment.ringBytes,
                wait == ShmRing.Wait.FUTEX ? "futex(2) in the kernel" : "busy-polling (one CPU per waiting side)",
                ProcessHandle.current().pid(), ProcessHandle.current().pid());
    }

    String path() {
        return segment.path.toString();
    }

    @Override
    public String endpoint() {
        return name;
    }

    @Override
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    /** Watches the slot table: a CLAIMED slot gets an echo thread. Sleeps on the doorbell word in between. */
    private void accept() {
        Pointer timespec = ShmNative.timespec();
        long[] reservedSince = new long[segment.slots];
        try {
            while (running) {
                int seen = segment.doorbell();
                long now = System.nanoTime();
                for (int slot = 0; slot < segment.slots && running; slot++) {
                    // A client that died between winning a slot and writing its pid leaves it RESERVED: free it.
                    if (segment.state(slot) != ShmSegment.RESERVED) {
                        reservedSince[slot] = 0;
                    } else if (reservedSince[slot] == 0) {
                        reservedSince[slot] = now;
                    } else if (now - reservedSince[slot] > RESERVED_TIMEOUT_NS
                            && segment.compareAndSetState(slot, ShmSegment.RESERVED, ShmSegment.FREE)) {
                        segment.ring();
                        log.accept("slot " + slot + " was reserved by a client that never came; it is free again");
                        reservedSince[slot] = 0;
                    }
                    if (segment.state(slot) == ShmSegment.CLAIMED
                            && segment.compareAndSetState(slot, ShmSegment.CLAIMED, ShmSegment.SERVED)) {
                        int s = slot;
                        Thread session = new Thread(() -> serve(s), "shm-echo " + name + " slot " + slot);
                        session.setDaemon(true);
                        sessions[slot] = session;
                        session.start();
                    }
                }
                /* futex(2) FUTEX_WAIT on the doorbell word: an idle server sleeps here and uses no CPU; a client
                 * that takes a slot adds one to the word and wakes us. The 200 ms bound lets close() be noticed. */
                segment.awaitDoorbell(seen, DOORBELL_SLICE_NS, timespec);
            }
        } catch (RuntimeException | Error e) {
            log.accept("shm server " + name + ": the slot watcher failed: " + e);
        }
    }

    /** One client's echo: what arrives in its ring goes back in the other, until it leaves, dies or idles. */
    private void serve(int slot) {
        long pid = segment.clientPid(slot);
        log.accept("client pid " + pid + " took slot " + slot);
        boolean clientSleeps = segment.clientSleeps(slot);
        ShmRing in = segment.toServer(slot, wait, clientSleeps);
        ShmRing out = segment.toClient(slot, wait, clientSleeps);
        Watcher watch = new Watcher(slot, pid);
        byte[] scratch = new byte[ECHO_BUFFER_BYTES];
        String end;
        try {
            while (true) {
                int n = in.read(scratch, 0, scratch.length, idleTimeoutNs, watch);
                if (n < 0) {
                    end = "finished sending";
                    break;
                }
                out.write(scratch, 0, n, STALL_TIMEOUT_NS, watch);
            }
        } catch (IOException e) {
            end = watch.why != null ? watch.why : e.getMessage().contains("no bytes") ? "was idle" : e.getMessage();
        } catch (RuntimeException e) {
            end = "failed: " + e;
        }
        out.close();   // the client reads end of stream after the echo of everything it sent
        // The slot is the client's until it says LEFT (it may still read after finishSending) or dies - also after an
        // idle timeout: freed while its client still maps it, the slot's next client would share its rings.
        Pointer timespec = ShmNative.timespec();
        while (true) {
            int seen = segment.doorbell();   // before the look: a LEFT written after it moves the doorbell on
            if (!running || segment.state(slot) == ShmSegment.LEFT || !segment.clientAlive(slot)) {
                break;
            }
            // futex(2) FUTEX_WAIT on the doorbell: the client rings it when it leaves; 20 ms bounds the look at its pid.
            segment.awaitDoorbell(seen, LEAVE_SLICE_NS, timespec);
        }
        String left = segment.state(slot) == ShmSegment.LEFT ? "left"
                : !running ? "was dropped: the server stops" : "is gone (died?)";
        in.reset();
        out.reset();
        segment.setClient(slot, 0, 0);
        segment.setState(slot, ShmSegment.FREE);
        segment.ring();   // a client waiting for a free slot takes this one now
        log.accept("client pid " + pid + " " + end + " and " + left + "; slot " + slot + " is free");
    }

    /** What an echo thread checks once per wait slice. */
    private final class Watcher implements ShmRing.Watch {
        private final int slot;
        private final long pid;
        String why;

        Watcher(int slot, long pid) {
            this.slot = slot;
            this.pid = pid;
        }

        @Override
        public String trouble(boolean lookAtProcesses) {
            if (!running) {
                why = "was dropped: the server stops";
            } else if (segment.state(slot) == ShmSegment.LEFT) {
                why = "left";
            } else if (lookAtProcesses && !segment.clientAlive(slot)) {
                why = "is gone (pid " + pid + " no longer runs)";
            }
            return why;
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException ignored) {
            // a shutdown hook has nobody to tell
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        running = false;
        segment.markStopping();   // clients see it at their next look and fail with "the server stopped"
        segment.wakeServer();
        for (int slot = 0; slot < segment.slots; slot++) {
            if (sessions[slot] != null) {
                segment.toServer(slot, ShmRing.Wait.SPIN, true).wakeAll();
                segment.toClient(slot, ShmRing.Wait.SPIN, true).wakeAll();
            }
        }
        try {
            acceptor.join(2000);
            for (Thread session : sessions) {
                if (session != null) {
                    session.join(2000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            /* unlink(2) of /dev/shm/ipclab-NAME (shm_unlink(3)): the name is gone at once; a client that still maps
             * the pages keeps them until it unmaps. */
            segment.unlink();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down: this is the hook running
            }
            stopped.countDown();
        }
    }
}
