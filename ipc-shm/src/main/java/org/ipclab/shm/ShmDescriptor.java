package org.ipclab.shm;

import static org.ipclab.core.TransportDescriptor.Step.answer;
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

/** How {@code shm} presents itself to the command line, the comparison and the report. */
final class ShmDescriptor {

    /** The data never passes through the kernel: only the set-up and the sleeping and waking do. */
    private static final RoundTrip ROUND_TRIP = new RoundTrip(
            List.of(new Participant("C", "client"), new Participant("M", "shared pages (/dev/shm)"),
                    new Participant("K", "kernel (futex)"), new Participant("S", "echo server")),
            List.of(call("S", "K", "open(/dev/shm/ipclab-NAME, O_CREAT|O_EXCL, 0600) + mmap(MAP_SHARED)"),
                    call("C", "K", "open + mmap the same file; compare-and-set a FREE slot"),
                    note("C", "S", "both page tables now point at the same pages"),
                    loop("every message",
                            call("C", "M", "copy the bytes into the client's ring, store head (release)"),
                            call("C", "K", "futex(FUTEX_WAKE) on head - only if the server sleeps"),
                            answer("K", "S", "futex(FUTEX_WAIT) returns; the server copies the bytes out"),
                            call("S", "M", "copy them into the reply ring, store head (release)"),
                            call("S", "K", "futex(FUTEX_WAKE) - only if the client sleeps"),
                            answer("M", "C", "the client's FUTEX_WAIT returns (or its spin sees head move)")),
                    call("C", "M", "mark the slot LEFT"),
                    call("S", "K", "unlink(/dev/shm/ipclab-NAME) - the file outlives processes until unlinked")));

    static final TransportDescriptor INSTANCE = new TransportDescriptor("shm",
            "POSIX shared memory (a mapped /dev/shm file): one ring per direction per client, futex wake-ups",
            Kind.BYTE_STREAM, Reach.SAME_HOST, 70, "#F0E442", "a shared-memory ring's", "shm")
            .withName("shared memory", "shared memory")
            .withRoundTrip(ROUND_TRIP)
            .withSetup(SetupVariant.of("map the segment, take a slot + first echo"));

    /**
     * Busy-polling on both sides: no system call at all per round trip, at the price of a whole CPU per waiting
     * side; on one CPU two spinners only take turns by time slice, so the harness does not measure that placement.
     * Its colour is a darker shade of shm's yellow (the Okabe-Ito set has no colour left): the same mechanism.
     */
    static final TransportDescriptor SPIN = new TransportDescriptor("shm-spin",
            "POSIX shared memory as shm, with both sides busy-polling the rings instead of sleeping (--wait spin)",
            Kind.BYTE_STREAM, Reach.SAME_HOST, 75, "#A08C00", "a spinning shared-memory ring's", "shm-spin")
            .withName("shared memory (spinning)", "shared memory")
            .withRoundTrip(ROUND_TRIP)
            .withSetup(SetupVariant.of("map the segment, take a slot + first echo"))
            .withBench(new Bench(Map.of(ShmTransport.OPTION_WAIT, "spin"), true));

    private ShmDescriptor() {
    }
}
