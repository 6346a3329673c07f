package org.ipclab.comparison.viva;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.ipclab.queue.chronicle.ChronicleSettings;
import org.ipclab.report.model.VivaAnswer;

/**
 * Whether Chronicle Queue is the operating system's IPC: it is a Java library that keeps its queue in ordinary
 * files and maps them into every process that opens the queue (mmap(2), MAP_SHARED). Seen here: the files in the
 * queue's directory, and their mappings in /proc/self/maps ("s" in "rw-s": shared, so another process mapping the
 * same file sees the same pages). Appending and reading are memory writes and reads, no system call per message.
 */
final class ChronicleIsALibrary implements VivaExperiment {

    static final byte[] MESSAGE = "Hello, world".getBytes(StandardCharsets.US_ASCII);

    static {
        ChronicleSettings.apply(); // before any Chronicle class loads: no banner on stdout, no analytics call
    }

    @Override
    public String id() {
        return "chronicle-is-a-library";
    }

    @Override
    public String question() {
        return "Is Chronicle Queue an IPC mechanism of the operating system?";
    }

    @Override
    public VivaAnswer run(Path dir) throws Exception {
        Measured m = new Measured();
        Path queueDir = Files.createDirectories(dir.resolve("queue")).toRealPath();
        String files;
        List<String> maps;
        String readBack;
        try (ChronicleQueue queue = open(queueDir)) {
            queue.createAppender().writeBytes(BytesStore.wrap(MESSAGE)); // a memory write into the mapped file
            ExcerptTailer tailer = queue.createTailer();
            try (DocumentContext document = tailer.readingDocument()) {
                if (!document.isPresent()) {
                    throw new IOException("the tailer found no message right after the append");
                }
                readBack = Long.toString(document.wire().bytes().readRemaining());
            }
            maps = ProcSelf.mappingsUnder(queueDir);
            try (Stream<Path> list = Files.list(queueDir)) {
                files = String.join(", ", list.map(p -> p.getFileName().toString()).sorted().toList());
            }
        }
        String fileList = m.put("queueFiles", files);
        String mappings = m.put("mappings", maps.size());
        boolean shared = maps.stream().anyMatch(line -> line.split(" ")[1].endsWith("s"));
        String example = m.put("exampleMapping", maps.isEmpty() ? "none" : maps.get(0));
        m.put("readBackBytes", readBack);
        return m.answer(this, "No: it is a Java library, not a kernel object; the operating system provides only what "
                + "it is built on, files and shared memory-mapped pages. Opening a queue in this run created ordinary "
                + "files (" + fileList + ") and /proc/self/maps showed " + mappings + (maps.size() == 1 ? " mapping" : " mappings") + " of them"
                + (shared ? ", shared (the \"s\" in " + example.split(" ")[1] + ")" : "") + "; a "
                + MESSAGE.length + "-byte append and its read were memory operations on those pages, with no system call "
                + "per message. So it is IPC through shared memory, synchronised by the library itself, and like a file it "
                + "outlives the processes that use it.");
    }

    /** open(2) and mmap(2) of the queue's files; Chronicle needs ipc-lab's JVM flags for the mapping (FACTS.md). */
    private static ChronicleQueue open(Path dir) throws IOException {
        try {
            return ChronicleQueue.singleBuilder(dir).build();
        } catch (RuntimeException | AssertionError e) {
            throw new IOException("cannot open a Chronicle queue in " + dir + ": " + e + "; Chronicle needs the JVM flags "
                    + "in ipc-core's jvm-flags.txt (run through ./ipc-lab)", e);
        }
    }
}
