package org.ipclab.queue.chronicle;

import static org.ipclab.core.TransportDescriptor.Step.call;
import static org.ipclab.core.TransportDescriptor.Step.loop;
import static org.ipclab.core.TransportDescriptor.Step.note;

import java.util.List;
import java.util.Map;

import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.TransportDescriptor.Bench;
import org.ipclab.core.TransportDescriptor.Kind;
import org.ipclab.core.TransportDescriptor.Participant;
import org.ipclab.core.TransportDescriptor.Reach;
import org.ipclab.core.TransportDescriptor.RoundTrip;
import org.ipclab.core.TransportDescriptor.SetupVariant;

/** How {@code chronicle} presents itself to the command line, the comparison and the report. */
final class ChronicleDescriptor {

    /** Stores into memory-mapped files that both processes see: no system call per message. */
    private static final RoundTrip ROUND_TRIP = new RoundTrip(
            List.of(new Participant("C", "client"), new Participant("F", "queue files (mmap, page cache)"),
                    new Participant("S", "echo server")),
            List.of(call("C", "F", "open request and reply queues - mmap() of .cq4 files"),
                    call("S", "F", "open the same queues"),
                    loop("every message of n bytes",
                            call("C", "F", "append(n bytes) to the request queue - a store into shared memory"),
                            call("S", "F", "tailer polls (spins) until the new entry appears, reads it"),
                            call("S", "F", "append(the same bytes) to the reply queue"),
                            call("C", "F", "tailer polls (spins) until the reply appears, reads it")),
                    note("C", "S", "no system call per message and no wake-up - the waiting side keeps polling"),
                    call("C", "F", "close() - the files stay on disk (messages persist)")));

    /**
     * Measured with a busy-spinning pauser (the lowest latency, at the price of a whole core per waiting process:
     * the report's CPU-time table shows that price); the command line defaults to a sleeping one.
     */
    private static final Bench BENCH = new Bench(Map.of(ChroniclePauser.OPTION, "busy"), true);

    static final TransportDescriptor INSTANCE = new TransportDescriptor("chronicle",
            "Chronicle Queue: a persisted log in memory-mapped files (requests and responses queues in one directory)",
            Kind.LOG, Reach.SAME_HOST, 50, "#D55E00", "Chronicle Queue's", "")
            .withName("Chronicle Queue", "log")
            .withRoundTrip(ROUND_TRIP)
            .withSetup(SetupVariant.of("open the queues + first echo"))
            .withBench(BENCH);

    private ChronicleDescriptor() {
    }
}
