package org.ipclab.shm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.ipclab.core.ClientSettings;
import org.ipclab.core.EchoClient;
import org.ipclab.core.ServerSettings;
import org.ipclab.core.experiments.Boundaries;
import org.ipclab.core.experiments.Cell;
import org.ipclab.core.experiments.ChildJvm;
import org.ipclab.core.experiments.ChildSide;
import org.ipclab.core.experiments.FileModes;
import org.ipclab.core.experiments.TransportExperiments;

/**
 * shm's answers to the property matrix. Each experiment makes a segment of its own in /dev/shm
 * ({@code ipclab-exp-PID-N}) and removes it before it returns. The rings are used directly where the question is
 * about the mechanism (what one read returns, how much fits) and through the echo server where it is about serving.
 */
final class ShmExperiments implements TransportExperiments {

    static final String WRITE_AND_HOLD = "write-and-hold";
    static final String FUTEX_WAIT = "futex-wait";
    static final String SURVIVOR = "written before SIGKILL";

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final String transport;

    ShmExperiments(String transport) {
        this.transport = transport;
    }

    @Override
    public String transport() {
        return transport;
    }

    private static String scratchName() {
        return "exp-" + ProcessHandle.current().pid() + "-" + COUNTER.getAndIncrement();
    }

    /** A segment of one slot for one experiment; removed by close(). */
    private static final class Scratch implements AutoCloseable {
        final String name = scratchName();
        final ShmSegment segment;

        Scratch() throws IOException {
            segment = ShmSegment.create(name, 1, ShmSegment.DEFAULT_RING_BYTES, ShmRing.Wait.FUTEX, line -> { });
        }

        @Override
        public void close() throws IOException {
            segment.unlink();
        }
    }

    record Direction(int sent, int arrivedAtServer, int inReplyRing) {
    }

    Direction directionProbe() throws IOException {
        try (Scratch s = new Scratch()) {
            ShmRing toServer = s.segment.toServer(0, ShmRing.Wait.SPIN, true);
            ShmRing toClient = s.segment.toClient(0, ShmRing.Wait.SPIN, true);
            int sent = toServer.offer(new byte[] {1, 2, 3, 4, 5}, 0, 5);
            int inReply = toClient.used();
            int arrived = toServer.poll(new byte[64], 0, 64);
            return new Direction(sent, arrived, inReply);
        }
    }

    @Override
    public Cell direction(Path dir) throws IOException {
        Direction seen = directionProbe();
        boolean oneWay = seen.arrivedAtServer() == seen.sent() && seen.inReplyRing() == 0;
        return Cell.measured(oneWay ? "one-way per ring; a pair per client" : "unclear",
                "The client's producer end wrote " + seen.sent() + " B into the slot's client-to-server ring; the"
                        + " server-to-client ring then held " + seen.inReplyRing() + " B and the server's consumer end"
                        + " took " + seen.arrivedAtServer() + " B. A single-producer single-consumer ring carries one"
                        + " direction; full duplex is two rings.");
    }

    Boundaries boundaries() throws IOException {
        try (Scratch s = new Scratch()) {
            ShmRing ring = s.segment.toServer(0, ShmRing.Wait.SPIN, true);
            for (int i = 0; i < Boundaries.WRITES.size(); i++) {
                byte[] payload = Boundaries.payload(Boundaries.WRITES.get(i), i);
                ring.offer(payload, 0, payload.length);
            }
            byte[] buffer = new byte[Boundaries.READ_BUFFER_BYTES];
            List<Integer> reads = new ArrayList<>();
            for (int n; (n = ring.poll(buffer, 0, buffer.length)) > 0; ) {
                reads.add(n);
            }
            return new Boundaries(Boundaries.WRITES, reads);
        }
    }

    @Override
    public Cell messageBoundaries(Path dir) throws IOException {
        return boundaries().cell("The producer wrote", Boundaries.STREAM_READING);
    }

    record Fill(int capacity, int bytes, int lastOffer) {
    }

    Fill fill() throws IOException {
        try (Scratch s = new Scratch()) {
            ShmRing ring = s.segment.toServer(0, ShmRing.Wait.SPIN, true);
            byte[] chunk = new byte[1000];
            int total = 0;
            int n;
            while ((n = ring.offer(chunk, 0, chunk.length)) > 0) {
                total += n;
            }
            return new Fill(ring.capacity(), total, n);
        }
    }

    @Override
    public Cell capacityBeforeWriterBlocks(Path dir) throws IOException {
        Fill fill = fill();
        return Cell.measured(String.format("%,d B (the ring's size)", fill.bytes()),
                String.format("1,000-byte writes into a %,d-byte ring with nobody reading: %,d B went in, then a write"
                                + " found no room. A writer would now wait for the reader (FUTEX_WAIT on the tail word,"
                                + " or spinning); the size is ipc-lab's choice, not the kernel's.",
                        fill.capacity(), fill.bytes()));
    }

    record NoPeer(String connectError, int acceptedWithNoReader, int ringCapacity) {
    }

    NoPeer noPeerProbe() throws IOException {
        String connectError;
        try (EchoClient ignored = new ShmTransport().connect(scratchName(), ClientSettings.defaults().withTimeout(TIMEOUT))) {
            connectError = "(connected?)";
        } catch (IOException e) {
            connectError = e.getMessage();
        }
        Fill fill = fill();
        return new NoPeer(connectError, fill.bytes(), fill.capacity());
    }

    @Override
    public Cell senderWithNoPeer(Path dir) throws IOException {
        NoPeer seen = noPeerProbe();
        return Cell.measured("no segment: open fails; no reader: writes fill the ring, no error",
                "A client of a name nobody serves: \"" + seen.connectError() + "\" (open(2) says ENOENT). In a segment"
                        + " with no reader, the writer's " + String.format("%,d", seen.acceptedWithNoReader())
                        + " B went into the ring without any error - no EPIPE, no SIGPIPE: memory does not know who"
                        + " reads it, so ipc-lab looks at the peer's pid (/proc/<pid>) while it waits.");
    }

    record Crash(int exitCode, int bytesLeft, String text) {
    }

    Crash crashProbe() throws IOException {
        try (Scratch s = new Scratch()) {
            ShmRing ring = s.segment.toServer(0, ShmRing.Wait.SPIN, true);
            int exit;
            try (ChildJvm writer = ChildJvm.start(transport(), WRITE_AND_HOLD, s.name)) {
                writer.awaitLine(ChildSide.READY, ChildJvm.START_TIMEOUT);
                exit = writer.kill(TIMEOUT);
            }
            int left = ring.used();
            byte[] back = new byte[Math.max(0, left)];
            ring.poll(back, 0, back.length);
            return new Crash(exit, left, new String(back, StandardCharsets.US_ASCII));
        }
    }

    @Override
    public Cell survivesCrash(Path dir) throws IOException {
        Crash seen = crashProbe();
        boolean kept = seen.text().equals(SURVIVOR);
        return Cell.measured(kept ? "yes: bytes stay in the segment until unlinked" : "no",
                "A child JVM mapped the segment, wrote \"" + SURVIVOR + "\" into a ring and was killed with SIGKILL"
                        + " (exit " + seen.exitCode() + "); afterwards the ring held " + seen.bytesLeft() + " B: \""
                        + seen.text() + "\". The pages belong to the tmpfs file, not to a process: a killed server"
                        + " leaves its segment in /dev/shm, which is why the next server reclaims it.");
    }

    @Override
    public Cell whoCanConnect(Path dir) throws IOException {
        try (Scratch s = new Scratch()) {
            int mode = (Integer) Files.getAttribute(s.segment.path, "unix:mode");
            int uid = (Integer) Files.getAttribute(s.segment.path, "unix:uid");
            return Cell.measured("this host, this user; mode " + FileModes.symbolic(mode),
                    "The server creates " + s.segment.path.getParent() + "/ipclab-NAME with mode "
                            + FileModes.octal(mode) + " (" + FileModes.symbolic(mode) + "), owner uid " + uid
                            + ": any process of that user on this host can open and map it by name; other users"
                            + " get EACCES. No network reaches it.");
        }
    }

    record Many(int clients, List<Integer> slots, int intact) {
    }

    Many manyProbe() throws IOException {
        String name = scratchName();
        int clients = 3;
        try (ShmEchoServer server = ShmEchoServer.open(name, ServerSettings.defaults())) {
            List<EchoClient> open = new ArrayList<>();
            List<Integer> slots = new ArrayList<>();
            int intact = 0;
            try {
                for (int i = 0; i < clients; i++) {
                    ShmEchoClient c = ShmEchoClient.connect(name, ShmRing.Wait.FUTEX, TIMEOUT);
                    open.add(c);
                    slots.add(c.slot());
                }
                for (int i = 0; i < clients; i++) {
                    byte[] sent = new byte[100 + i];
                    Arrays.fill(sent, (byte) (i + 1));
                    byte[] back = new byte[sent.length];
                    open.get(i).roundTrip(sent, back, sent.length);
                    intact += Arrays.equals(sent, back) ? 1 : 0;
                }
            } finally {
                for (EchoClient c : open) {
                    c.close();
                }
            }
            return new Many(clients, slots, intact);
        }
    }

    @Override
    public Cell manyClients(Path dir) throws IOException {
        Many seen = manyProbe();
        return Cell.measured("many: a slot (two rings) each; " + seen.intact() + "/" + seen.clients() + " echoes intact",
                seen.clients() + " clients mapped one segment and took slots " + seen.slots() + " with a compare-and-set"
                        + " on the slot table; the server runs an echo thread per slot, and each client's echo came"
                        + " back in its own ring (" + seen.intact() + " of " + seen.clients() + " intact). The table"
                        + " has a fixed number of slots (16 by default): one more client waits for a slot to be freed, at"
                        + " most its timeout, and is then told they are all taken.");
    }

    /**
     * How many sleepers of another process a FUTEX_WAKE reached, with and without FUTEX_PRIVATE_FLAG on both sides,
     * and how each sleeper's wait ended.
     */
    record FutexWakes(long sharedWoken, String sharedWaitEnded, long privateWoken, String privateWaitEnded) {
    }

    /**
     * The pitfall of process-shared futexes, shown: a child JVM sleeps on a word of the segment, and this process
     * calls FUTEX_WAKE on the same word every 10 ms until the call says it woke someone or 2 s pass. With the shared
     * operations the kernel finds the sleeper by the page (the tmpfs file and offset); with FUTEX_PRIVATE_FLAG it
     * looks it up by this process's address space, where nobody sleeps - the wake-up is lost, and no error says so.
     */
    FutexWakes futexProbe() throws IOException, InterruptedException {
        long[] woken = new long[2];
        String[] ended = new String[2];
        for (int i = 0; i < 2; i++) {
            int flag = i == 0 ? 0 : ShmNative.FUTEX_PRIVATE_FLAG;
            try (Scratch s = new Scratch();
                 ChildJvm sleeper = ChildJvm.start(transport(), FUTEX_WAIT, s.name, String.valueOf(flag))) {
                sleeper.awaitLine(ChildSide.READY, ChildJvm.START_TIMEOUT);
                long word = s.segment.address + s.segment.map.capacity() - 64;   // a word no ring uses here
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (woken[i] == 0 && System.nanoTime() < deadline) {
                    woken[i] = ShmNative.futex(word, ShmNative.FUTEX_WAKE | flag, 1, 0, null);
                    Thread.sleep(10);
                }
                ended[i] = sleeper.awaitLine(ChildSide.READ, TIMEOUT);
            }
        }
        return new FutexWakes(woken[0], ended[0], woken[1], ended[1]);
    }

    @Override
    public void child(String mode, List<String> args) throws IOException {
        if (FUTEX_WAIT.equals(mode)) {
            ShmSegment segment = ShmSegment.open(args.get(0), "the experiment");
            int flag = Integer.parseInt(args.get(1));
            long word = segment.address + segment.map.capacity() - 64;
            ChildSide.say(ChildSide.READY + "sleeping");
            /* futex(2) FUTEX_WAIT on a word that holds 0, for at most 3 s: only a FUTEX_WAKE that finds us ends it. */
            long r = ShmNative.futex(word, ShmNative.FUTEX_WAIT | flag, 0, TimeUnit.SECONDS.toNanos(3), ShmNative.timespec());
            ChildSide.say(ChildSide.READ + (r == 0 ? "woken" : r == -ShmNative.ETIMEDOUT ? "timed out" : "errno " + -r));
            return;
        }
        if (!WRITE_AND_HOLD.equals(mode)) {
            throw new IllegalArgumentException(transport + " has no child mode '" + mode + "'");
        }
        ShmSegment segment = ShmSegment.open(args.get(0), "the experiment");
        byte[] text = SURVIVOR.getBytes(StandardCharsets.US_ASCII);
        segment.toServer(0, ShmRing.Wait.SPIN, true).offer(text, 0, text.length);
        ChildSide.say(ChildSide.READY + text.length);
        ChildSide.sleepUntilParentGoes();
    }
}
