package org.ipclab.queue.chronicle;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.ChildProcess;
import org.ipclab.core.ForkedPeer;
import org.ipclab.core.JvmFlags;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/** Starting servers and helper processes, and reading a queue directory back, for the Chronicle tests. */
final class ChronicleTestSupport {

    static final ChronicleTransport CHRONICLE = new ChronicleTransport();

    private ChronicleTestSupport() {
    }

    /** A Chronicle server in a JVM of its own serving {@code dir}, its stderr appended to {@code log}. */
    static ForkedPeer startServer(Path dir, Path log, Map<String, String> options) throws IOException {
        return ForkedPeer.start(CHRONICLE, dir.toString(), ForkedPeer.Options.defaults()
                .withOptions(options)
                .withStderr(Redirect.appendTo(log.toFile())));
    }

    static ForkedPeer startServer(Path dir, Path log) throws IOException {
        return startServer(dir, log, Map.of());
    }

    /** A JVM running {@code mainClass} with ipc-lab's flags; stdout is read by the caller, stderr inherited. */
    static ChildProcess startJava(Class<?> mainClass, List<String> args) throws IOException {
        Process process = new ProcessBuilder(JvmFlags.javaCommand(List.of(), mainClass.getName(), args))
                .redirectError(Redirect.INHERIT).start();
        return new ChildProcess(process, mainClass.getSimpleName() + " (pid " + process.pid() + ")");
    }

    /** The first line the child prints, waiting at most {@code seconds}. */
    static String firstLine(ChildProcess child, int seconds) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.process().getInputStream(), StandardCharsets.UTF_8));
        return CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return "(reading failed: " + e + ")";
            }
        }).get(seconds, TimeUnit.SECONDS);
    }

    /** Kills with SIGKILL and returns the exit code (137). */
    static int kill9(ChildProcess child) throws InterruptedException {
        child.process().destroyForcibly();   // SIGKILL on Linux: no shutdown hook, no cleanup
        if (!child.process().waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError(child.name() + " survived SIGKILL for 10 s");
        }
        return child.process().exitValue();
    }

    /** How many echoes (DATA responses) the responses queue holds for each "clientId/seq". */
    static Map<String, Integer> responsesByClientAndSeq(Path dir) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        try (ChronicleDirectory queues = ChronicleDirectory.open(dir);
             ExcerptTailer tailer = queues.responses().createTailer()) {
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    Bytes<?> bytes = dc.wire().bytes();
                    long clientId = bytes.readLong();
                    long seq = bytes.readLong();
                    if (seq != ChronicleFrames.ACK_SEQ) {
                        counts.merge(Long.toHexString(clientId) + "/" + seq, 1, Integer::sum);
                    }
                }
            }
        }
        return counts;
    }

    /** Waits up to 10 s for {@code fragment} to appear in the log file; returns the log either way. */
    static String awaitInLog(Path log, String fragment) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String text = read(log);
        while (!text.contains(fragment) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            text = read(log);
        }
        return text;
    }

    static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    static int occurrences(String text, String fragment) {
        int count = 0;
        for (int at = text.indexOf(fragment); at >= 0; at = text.indexOf(fragment, at + 1)) {
            count++;
        }
        return count;
    }
}
