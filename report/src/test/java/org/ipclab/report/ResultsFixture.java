package org.ipclab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ipclab.report.model.Quantity;
import org.ipclab.report.model.Results;
import org.ipclab.report.model.Results.CpuResult;
import org.ipclab.report.model.Results.Environment;
import org.ipclab.report.model.Results.LatencyResult;
import org.ipclab.report.model.Results.NativeResult;
import org.ipclab.report.model.Results.Placement;
import org.ipclab.report.model.Results.PropertyResult;
import org.ipclab.report.model.Results.RunInfo;
import org.ipclab.report.model.Results.SetupResult;
import org.ipclab.report.model.Results.ThroughputResult;
import org.ipclab.report.model.Results.TransportStatus;

import com.fasterxml.jackson.databind.JsonNode;

import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.TransportDescriptor.Bench;
import org.ipclab.core.TransportDescriptor.Kind;
import org.ipclab.core.TransportDescriptor.Participant;
import org.ipclab.core.TransportDescriptor.Reach;
import org.ipclab.core.TransportDescriptor.RoundTrip;
import org.ipclab.core.TransportDescriptor.SetupVariant;
import org.ipclab.core.TransportDescriptor.Step;

/**
 * TEST FIXTURE — invented numbers shaped like a real run, for the report's tests only. Main code never sees it.
 * Three measured transports (tcp, pipe, chronicle), one skipped (posix-mq) and one failed (fifo); chronicle's
 * CPU numbers show it spinning. Builders let a test change one number and watch the report change.
 */
final class ResultsFixture {

    static final int[] SIZES = {64, 4096, 65536};

    /** The p50 of tcp at 64 B on the same CPU, in µs; tests look for it, formatted, in the report. */
    double tcpSame64P50 = 4.4213;
    double pipeSame64P50 = 1.86;
    double chronicleServerCpuDifferent = 0.79;
    JsonNode backlog;
    double loadBefore = 0.46;
    List<String> measured = List.of("tcp", "pipe", "chronicle");

    /** Descriptors shaped like the transports' own, with a two-step round trip each (the real ones are tested in comparison). */
    static List<TransportDescriptor> descriptors() {
        return List.of(
                descriptor("tcp", Kind.BYTE_STREAM, Reach.ANY_HOST, 10, "#0072B2", "a TCP socket's", "tcp")
                        .withName("TCP", "socket").withRoundTrip(roundTrip("listen(backlog)", "connect(127.0.0.1, port)"))
                        .withSetup(SetupVariant.of("TCP connect + first echo")),
                descriptor("unix", Kind.BYTE_STREAM, Reach.SAME_HOST, 20, "#E69F00", "a Unix socket's", "unix")
                        .withName("Unix socket", "socket")
                        .withRoundTrip(roundTrip("bind(path) creates the socket file", "connect(path)")),
                descriptor("pipe", Kind.BYTE_STREAM, Reach.RELATED_PROCESSES, 30, "#009E73", "a pipe's", "pipe")
                        .withName("pipe", "pipe").withRoundTrip(roundTrip("pipe() twice", "fork()"))
                        .withSetup(new SetupVariant("", "spawn a JVM echo child + first echo", "", true),
                                new SetupVariant("cat", "spawn `cat` + first echo", "cat", false)),
                descriptor("fifo", Kind.BYTE_STREAM, Reach.SAME_HOST, 40, "#CC79A7", "a FIFO's", "fifo")
                        .withName("FIFO", "pipe").withRoundTrip(roundTrip("mkfifo(request path)", "open(request)")),
                descriptor("posix-mq", Kind.MESSAGE, Reach.SAME_HOST, 50, "#000000", "a POSIX message queue's",
                        "posix-mq").withName("POSIX message queue", "message queue")
                        .withRoundTrip(roundTrip("mq_open(/request and /reply)", "mq_send(request, message)")),
                descriptor("chronicle", Kind.LOG, Reach.SAME_HOST, 60, "#D55E00", "Chronicle Queue's", "")
                        .withName("Chronicle Queue", "log").withRoundTrip(roundTrip("append(n bytes)", "tailer polls"))
                        .withBench(new Bench(Map.of("pauser", "busy"), true)));
    }

    static TransportDescriptor descriptor(String id, Kind kind, Reach reach, int order, String colour, String possessive,
                                          String nativeMode) {
        return new TransportDescriptor(id, "the " + id + " transport", kind, reach, order, colour, possessive,
                nativeMode);
    }

    static RoundTrip roundTrip(String serverCall, String clientCall) {
        return new RoundTrip(List.of(new Participant("C", "client"), new Participant("K", "kernel"),
                new Participant("S", "echo server")),
                List.of(Step.call("S", "K", serverCall), Step.call("C", "K", clientCall),
                        Step.loop("every message", Step.call("C", "K", "write"), Step.answer("K", "S", "read")),
                        Step.note("C", "S", "the end")));
    }

    static ResultsFixture threeTransports() {
        return new ResultsFixture();
    }

    /** All six transports measured: what a full run looks like in the charts. */
    static ResultsFixture allSix() {
        ResultsFixture fixture = new ResultsFixture();
        fixture.measured = List.of("tcp", "unix", "pipe", "fifo", "chronicle", "posix-mq");
        return fixture;
    }

    /** p50 µs at 64 B per transport and placement: same, different, unpinned. */
    private double[] base(String transport) {
        return switch (transport) {
            case "tcp" -> new double[] {tcpSame64P50, 68.7, 5.2};
            case "pipe" -> new double[] {pipeSame64P50, 56.9, 48.3};
            case "chronicle" -> new double[] {1.93, 0.81, 0.84};
            case "unix" -> new double[] {3.12, 60.8, 3.4};
            case "fifo" -> new double[] {1.91, 58.2, 2.2};
            case "posix-mq" -> new double[] {1.94, 61.7, 59.0};
            default -> throw new IllegalArgumentException(transport);
        };
    }

    Results build() {
        List<TransportStatus> transports = new ArrayList<>();
        for (String id : List.of("tcp", "unix", "pipe", "fifo", "chronicle", "posix-mq")) {
            String summary = switch (id) {
                case "tcp" -> "TCP stream socket on 127.0.0.1";
                case "unix" -> "Unix domain stream socket";
                case "pipe" -> "anonymous pipes to a child process";
                case "fifo" -> "named pipes (FIFOs)";
                case "chronicle" -> "Chronicle Queue, memory-mapped files";
                default -> "POSIX message queue";
            };
            if (measured.contains(id)) {
                transports.add(new TransportStatus(id, summary, "measured", null));
            } else if (id.equals("fifo")) {
                transports.add(new TransportStatus(id, summary, "failed",
                        "the echo peer exited with code 1 before READY"));
            } else if (id.equals("posix-mq")) {
                transports.add(new TransportStatus(id, summary, "skipped",
                        "RLIMIT_MSGQUEUE exhausted: mq_open failed with EMFILE"));
            } else {
                transports.add(new TransportStatus(id, summary, "skipped", "not selected with --transports"));
            }
        }

        List<LatencyResult> latency = new ArrayList<>();
        List<CpuResult> cpu = new ArrayList<>();
        List<ThroughputResult> throughput = new ArrayList<>();
        Placement[] placements = Placement.values();
        for (String t : measured) {
            double[] base = base(t);
            for (int p = 0; p < placements.length; p++) {
                if (t.equals("chronicle") && placements[p] == Placement.SAME_CPU) {
                    continue; // as the harness does: two busy-spinning processes on one CPU measure the scheduler
                }
                for (int s = 0; s < SIZES.length; s++) {
                    double p50 = base[p] * (1 + s * 0.35 * (s + 1));
                    double p99Factor = placements[p] == Placement.UNPINNED && t.equals("tcp") ? 14 : 2.3;
                    latency.add(new LatencyResult(t, placements[p], SIZES[s], 120_000 + 1000L * s + 7L * p,
                            120_000 + 1000L * s + 7L * p, us(p50), us(p50 * 1.2), us(p50 * p99Factor),
                            us(p50 * 6), us(p50 * 40)));
                }
                if (placements[p] != Placement.UNPINNED) {
                    boolean spins = t.equals("chronicle");
                    double wall = base[p];
                    double client = spins ? wall * 0.97 : wall * (p == 0 ? 0.48 : 0.11);
                    double server = spins ? (p == 1 ? chronicleServerCpuDifferent : wall * 0.5)
                            : wall * (p == 0 ? 0.47 : 0.09);
                    cpu.add(new CpuResult(t, placements[p], 64, us(client), us(server), us(wall)));
                    double rate = switch (t) {
                        case "tcp" -> 1690.4;
                        case "pipe" -> 4691.2;
                        default -> 2210.7;
                    } * (p == 0 ? 1 : 0.62);
                    throughput.add(new ThroughputResult(t, placements[p], 65536, 16L << 20,
                            Quantity.of(rate, "MiB/s"), 512L << 20));
                }
            }
        }

        List<SetupResult> setup = new ArrayList<>();
        if (measured.contains("tcp")) {
            setup.add(new SetupResult("tcp", "TCP connect + first echo", Quantity.of(10.7, "us"),
                    Quantity.of(8.9, "us"), 200));
        }
        if (measured.contains("pipe")) {
            setup.add(new SetupResult("pipe", "spawn a JVM echo child + first echo", Quantity.of(312.0, "ms"),
                    Quantity.of(290.5, "ms"), 20, ""));
            setup.add(new SetupResult("pipe", "spawn `cat` + first echo", Quantity.of(0.54, "ms"),
                    Quantity.of(0.49, "ms"), 900, "cat"));
        }
        if (measured.contains("posix-mq")) {
            setup.add(new SetupResult("posix-mq", "mq_open the queues + first echo", Quantity.of(0.0, "ms"),
                    Quantity.of(0.0, "ms"), 5000));
        }
        if (measured.contains("chronicle")) {
            setup.add(new SetupResult("chronicle", "open queue files + first echo", Quantity.of(0.42, "s"),
                    Quantity.of(0.35, "s"), 10));
        }

        List<PropertyResult> properties = new ArrayList<>();
        properties.add(new PropertyResult("tcp", "direction", "duplex",
                "one socket carried bytes both ways at once", true));
        properties.add(new PropertyResult("pipe", "direction", "one-way",
                "writing to the read end failed with EBADF", true));
        properties.add(new PropertyResult("chronicle", "direction", "one-way per queue",
                "a tailer cannot append; two queues carry the echo", true));
        properties.add(new PropertyResult("tcp", "message boundaries", "byte stream",
                "two writes of 10 bytes came back as one read of 20 bytes", true));
        properties.add(new PropertyResult("pipe", "message boundaries", "byte stream",
                "two writes of 10 bytes came back as one read of 20 bytes", true));
        properties.add(new PropertyResult("chronicle", "message boundaries", "kept",
                "each append came back as one document", true));
        properties.add(new PropertyResult("tcp", "capacity before the writer blocks", "2626560 bytes",
                "a writer with no reader stopped after 2626560 bytes (watch ss -tm, /proc/<pid>/fd)", true));
        properties.add(new PropertyResult("pipe", "capacity before the writer blocks", "65536 bytes",
                "write(2) with O_NONBLOCK failed with EAGAIN after 65536 bytes", true));
        properties.add(new PropertyResult("chronicle", "capacity before the writer blocks", "the disk",
                "not filled: it would need the whole disk | skipped on purpose", false));
        properties.add(new PropertyResult("tcp", "survives a reader/server crash", "no",
                "kill -9 of the server: the client's next read failed with ECONNRESET", true));
        properties.add(new PropertyResult("pipe", "survives a reader/server crash", "no",
                "kill -9 of the child: the next write failed with EPIPE", true));
        properties.add(new PropertyResult("chronicle", "survives a reader/server crash", "yes",
                "messages written while the reader was dead were all read after its restart", true));
        properties.removeIf(p -> !measured.contains(p.transport()));

        List<NativeResult> nativeFloor = new ArrayList<>();
        nativeFloor.add(new NativeResult("tcp", Placement.SAME_CPU, 64, "rtt_p50", us(4.02)));
        nativeFloor.add(new NativeResult("tcp", Placement.SAME_CPU, 64, "rtt_p99", us(9.0)));
        nativeFloor.add(new NativeResult("pipe", Placement.SAME_CPU, 64, "rtt_p50", us(1.71)));
        nativeFloor.add(new NativeResult("tcp", Placement.SAME_CPU, 65536, "stream", Quantity.of(1702.3, "MiB/s")));
        nativeFloor.add(new NativeResult("mq", Placement.SAME_CPU, 16, "rtt_p50", us(1.94)));

        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("os", "Debian GNU/Linux 12 (bookworm)");
        facts.put("kernel", "6.18.44");
        facts.put("cpu.model", "Intel Xeon Processor (Cascadelake)");
        facts.put("cpus", "2");
        facts.put("jdk", "17.0.15 (OpenJDK 64-Bit Server VM)");
        facts.put("cpuidle.driver", "haltpoll");
        facts.put("haltpoll.guest_halt_poll_ns", "0");
        facts.put("pipe.default_bytes", "65536");
        facts.put("net.core.somaxconn", "4096");
        facts.put("fs.mqueue.msgsize_max", "8192");
        facts.put("odd|fact", "a|b");

        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("mode", "quick");
        settings.put("transports", String.join(",", measured));
        settings.put("sizes.bytes", "[64, 4096, 65536]");
        settings.put("placements", "[SAME_CPU, DIFFERENT_CPUS, UNPINNED]");
        settings.put("jmh.mode", "SampleTime");
        settings.put("jmh.warmup", "1 x 300 ms");
        settings.put("jmh.measurement", "1 x 600 ms");
        settings.put("jmh.forks", "0 (in the harness JVM)");

        return new Results(Results.SCHEMA,
                new RunInfo("2026-05-01T10:00:00Z", 512.5, "quick", settings, "./ipc-lab compare --quick",
                        "0.1.0-SNAPSHOT"),
                new Environment(facts, loadBefore, 1.07, List.of("java (pid 4242, 35 % CPU)")),
                transports, latency, throughput, setup, cpu, properties, backlog, nativeFloor,
                List.of("fifo failed: its echo peer exited before it was ready; see Transports.",
                        "chronicle was not measured with client and server on the same CPU: with a busy-spinning "
                                + "pauser both processes spin, and on one CPU they take turns by scheduler time slices."))
                .withDescriptors(descriptors()).withServerModels(serverModels())
                .withServerMemory(List.of(
                        new org.ipclab.report.model.ServerMemoryResult("threads", 400, 20, 65536, 1000, 70.5, 136.5,
                                67.6, 1024, Quantity.of(2.5, "ms"), 20000, true),
                        new org.ipclab.report.model.ServerMemoryResult("nio", 400, 20, 65536, 1000, 68.5, 70.5,
                                2.0, 22, Quantity.of(1.5, "ms"), 20000, false)));
    }

    /** The server-design sweep as a default run writes it: four designs and C's epoll, 1 to 1,000 clients (made-up numbers). */
    static List<org.ipclab.report.model.ServerModelResult> serverModels() {
        List<org.ipclab.report.model.ServerModelResult> points = new ArrayList<>();
        String[] models = {"iterative", "threads", "pool", "nio", "c-epoll"};
        int[] clients = {1, 10, 100, 1000};
        for (int mi = 0; mi < models.length; mi++) {
            for (int ci = 0; ci < clients.length; ci++) {
                double p99 = mi == 0 ? 40.5 * Math.pow(9, ci) : 60.5 + 30 * ci * mi;
                points.add(new org.ipclab.report.model.ServerModelResult(models[mi], clients[ci], 10_000,
                        20_000 - 1_000 * ci, us(25.5 + ci), us(p99), us(p99 * 3 + 1), 50.5 + (mi == 1 ? 2 * ci : 0) * ci,
                        20 + (mi == 1 ? clients[ci] : 0), 0));
            }
        }
        return points;
    }

    private static Quantity us(double value) {
        return Quantity.of(value, "us");
    }
}
