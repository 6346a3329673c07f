package org.ipclab.core;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the command line, the comparison and the report need to know about one transport, declared by the transport
 * itself, so that nothing outside the transport's module names it. The harness copies it into results.json; the
 * report draws its tables, colours and diagrams from that copy (so it is plain data: records, lists, strings).
 *
 * @param id          the id used everywhere (CLI, results.json, the report)
 * @param summary     one line for humans: what the mechanism is
 * @param kind        what a reader gets back from one read: a byte stream, a datagram, a message or a log entry
 * @param reach       which processes can meet over it
 * @param order       where it stands in tables and charts (sockets first, then pipes, then queues); ties by id
 * @param colour      its colour in every chart, as "#RRGGBB"
 * @param possessive  for prose: "a TCP socket's", as in "… costs 2.4× a TCP socket's"
 * @param nativeMode  the mode of native/ipclab_floor.c that does the same work in C, or "" when there is none
 * @param name        its short name in a sentence: "TCP", as in "a 64 B TCP round trip costs …"
 * @param family      the API it is programmed with; transports of one family make the same calls (tcp and unix
 *                    are both "socket": socket, bind, listen, accept, connect)
 * @param roundTrip   the system calls of one round trip, drawn as a sequence diagram
 * @param setup       the set-up measurements: how long from nothing to the first echo, each way it can be set up
 * @param bench       how the benchmarks configure it
 * @param limits      what it cannot carry: messages above a size (one UDP datagram), a stream without round trips
 */
public record TransportDescriptor(String id, String summary, Kind kind, Reach reach, int order, String colour,
                                  String possessive, String nativeMode, String name, String family,
                                  RoundTrip roundTrip, List<SetupVariant> setup, Bench bench, Limits limits) {

    public TransportDescriptor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reach, "reach");
        Objects.requireNonNull(colour, "colour");
        Objects.requireNonNull(possessive, "possessive");
        Objects.requireNonNull(nativeMode, "nativeMode");
        if (!colour.matches("#[0-9A-Fa-f]{6}")) {
            throw new IllegalArgumentException("colour must be #RRGGBB, not " + colour);
        }
        name = name == null || name.isBlank() ? id : name;
        family = family == null ? "" : family;
        roundTrip = roundTrip == null ? RoundTrip.NONE : roundTrip;
        setup = setup == null || setup.isEmpty() ? List.of(SetupVariant.CONNECT) : List.copyOf(setup);
        bench = bench == null ? Bench.DEFAULTS : bench;
        limits = limits == null ? Limits.NONE : limits;
    }

    /** The essentials; name, family, round trip, set-up and benchmark settings take their defaults (see with...). */
    public TransportDescriptor(String id, String summary, Kind kind, Reach reach, int order, String colour,
                               String possessive, String nativeMode) {
        this(id, summary, kind, reach, order, colour, possessive, nativeMode, null, null, null, null, null, null);
    }

    public TransportDescriptor withName(String newName, String newFamily) {
        return new TransportDescriptor(id, summary, kind, reach, order, colour, possessive, nativeMode, newName,
                newFamily, roundTrip, setup, bench, limits);
    }

    public TransportDescriptor withRoundTrip(RoundTrip newRoundTrip) {
        return new TransportDescriptor(id, summary, kind, reach, order, colour, possessive, nativeMode, name, family,
                newRoundTrip, setup, bench, limits);
    }

    public TransportDescriptor withSetup(SetupVariant... variants) {
        return new TransportDescriptor(id, summary, kind, reach, order, colour, possessive, nativeMode, name, family,
                roundTrip, List.of(variants), bench, limits);
    }

    public TransportDescriptor withBench(Bench newBench) {
        return new TransportDescriptor(id, summary, kind, reach, order, colour, possessive, nativeMode, name, family,
                roundTrip, setup, newBench, limits);
    }

    public TransportDescriptor withLimits(Limits newLimits) {
        return new TransportDescriptor(id, summary, kind, reach, order, colour, possessive, nativeMode, name, family,
                roundTrip, setup, bench, newLimits);
    }

    /** Whether one round trip of {@code sizeBytes} is possible at all (see {@link Limits#maxMessageBytes}). */
    public boolean carries(long sizeBytes) {
        return limits.maxMessageBytes() == 0 || sizeBytes <= limits.maxMessageBytes();
    }

    /** What one read returns. */
    public enum Kind {
        /** Bytes in order with no boundaries (TCP, Unix stream sockets, pipes, FIFOs). */
        BYTE_STREAM,
        /** One datagram per read, each on its own, may be lost or reordered (UDP). */
        DATAGRAM,
        /** One whole message per read, boundaries kept (message queues). */
        MESSAGE,
        /** Entries appended to a persisted log that readers tail (Chronicle Queue, Kafka). */
        LOG
    }

    /** Which processes can meet over the mechanism. */
    public enum Reach {
        /** Only a parent and the children it starts (an anonymous pipe). */
        RELATED_PROCESSES,
        /** Any process on this host that knows the path or name and may open it. */
        SAME_HOST,
        /** Any process on any host that can reach the address. */
        ANY_HOST
    }

    public boolean hasNativeFloor() {
        return !nativeMode.isEmpty();
    }

    /** The set-up variant with this key ("" is the first, the transport's own way). */
    public Optional<SetupVariant> setupVariant(String key) {
        String wanted = key == null ? "" : key;
        return setup.stream().filter(v -> v.key().equals(wanted)).findFirst();
    }

    /**
     * The system calls of one round trip, in order, between named participants (the client, the kernel, the echo
     * peer): data that the report draws as a sequence diagram.
     *
     * @param participants left to right
     * @param steps        top to bottom
     */
    public record RoundTrip(List<Participant> participants, List<Step> steps) {

        /** No diagram. */
        public static final RoundTrip NONE = new RoundTrip(List.of(), List.of());

        public RoundTrip {
            participants = participants == null ? List.of() : List.copyOf(participants);
            steps = steps == null ? List.of() : List.copyOf(steps);
        }

        public boolean hasSteps() {
            return !steps.isEmpty();
        }
    }

    /** @param key short name the steps use ("C"); label what the diagram shows ("client") */
    public record Participant(String key, String label) {

        public Participant {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(label, "label");
        }
    }

    /**
     * One step: a call from one participant to another, the answer that comes back, a note over a span of
     * participants, or a loop around other steps.
     *
     * @param from  the caller, the answering side, or the first participant a note spans; null in a loop
     * @param to    the callee, the side answered, or the last participant a note spans; null in a loop
     * @param text  the call ("connect(127.0.0.1, port)"), the note, or what the loop repeats over
     * @param body  the steps a loop repeats; empty otherwise
     */
    public record Step(Type type, String from, String to, String text, List<Step> body) {

        /** What a step is. */
        public enum Type {
            /** A participant calls into another (a system call into the kernel). */
            CALL,
            /** What comes back: a call returns, data arrives (drawn dashed). */
            ANSWER,
            /** A remark over a span of participants. */
            NOTE,
            /** Steps repeated, e.g. once per message. */
            LOOP
        }

        public Step {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(text, "text");
            body = body == null ? List.of() : List.copyOf(body);
        }

        public static Step call(String from, String to, String text) {
            return new Step(Type.CALL, from, to, text, List.of());
        }

        public static Step answer(String from, String to, String text) {
            return new Step(Type.ANSWER, from, to, text, List.of());
        }

        public static Step note(String first, String last, String text) {
            return new Step(Type.NOTE, first, last, text, List.of());
        }

        public static Step loop(String text, Step... body) {
            return new Step(Type.LOOP, null, null, text, List.of(body));
        }
    }

    /**
     * One way to set the transport up for the set-up measurement (the server, where there is one, already runs).
     *
     * @param key       "" for the transport's own way; otherwise a short word for file names and the benchmark's
     *                  {@code variant} parameter, e.g. "cat"
     * @param label     what is timed, for the report's table: "TCP connect + first echo"
     * @param peer      the endpoint to use instead of the transport's scratch endpoint (the pipe's child command
     *                  line, e.g. "cat"), or "" for the scratch endpoint
     * @param startsJvm true when the timed work includes starting a JVM (the pipe's own echo child): then it is
     *                  not like for like with set-ups that only open a channel
     */
    public record SetupVariant(String key, String label, String peer, boolean startsJvm) {

        /** The default for a transport that declares none. */
        public static final SetupVariant CONNECT = new SetupVariant("", "connect + first echo", "", false);

        public SetupVariant {
            key = key == null ? "" : key;
            Objects.requireNonNull(label, "label");
            peer = peer == null ? "" : peer;
        }

        /** The transport's own way, labelled. */
        public static SetupVariant of(String label) {
            return new SetupVariant("", label, "", false);
        }
    }

    /**
     * How the benchmarks configure the transport, the same for every size and placement.
     *
     * @param options   settings by name, given to both the client and the server (as {@code --option}s are)
     * @param busySpins true when, so configured, a waiting side spins on a CPU instead of sleeping: then two
     *                  processes on one CPU take turns by scheduler time slices, and the harness does not
     *                  measure that placement
     */
    public record Bench(Map<String, String> options, boolean busySpins) {

        /** No options; waits by sleeping. */
        public static final Bench DEFAULTS = new Bench(Map.of(), false);

        public Bench {
            // sorted, so that results.json lists them in the same order every run
            options = options == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(options));
        }
    }

    /**
     * What the transport cannot do at all, so that the harness lists it as "not possible" with the reason instead of
     * measuring it (and failing) or inventing a number.
     *
     * @param maxMessageBytes the largest message of one round trip, or 0 when any size goes (the stream transports,
     *                        and the queues that split a large echo into several messages)
     * @param tooLarge        why a larger message is not possible, for the report: "larger than one datagram"
     * @param noStreaming     why the streaming measurement (a writer and a reader at once, no round trips) does not
     *                        apply, or "" when it does
     */
    public record Limits(int maxMessageBytes, String tooLarge, String noStreaming) {

        /** No limits. */
        public static final Limits NONE = new Limits(0, "", "");

        public Limits {
            if (maxMessageBytes < 0) {
                throw new IllegalArgumentException("maxMessageBytes must not be negative: " + maxMessageBytes);
            }
            tooLarge = tooLarge == null ? "" : tooLarge;
            noStreaming = noStreaming == null ? "" : noStreaming;
        }

        public boolean streams() {
            return noStreaming.isEmpty();
        }
    }
}
