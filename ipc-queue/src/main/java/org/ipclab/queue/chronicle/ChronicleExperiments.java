package org.ipclab.queue.chronicle;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.ipclab.core.ChildProcess;
import org.ipclab.core.experiments.Boundaries;
import org.ipclab.core.experiments.Cell;
import org.ipclab.core.experiments.ChildJvm;
import org.ipclab.core.experiments.ChildSide;
import org.ipclab.core.experiments.FileModes;
import org.ipclab.core.experiments.TransportExperiments;
import org.ipclab.queue.chronicle.ChronicleSettings;

/**
 * The property experiments for Chronicle Queue: an append-only log in memory-mapped files. Appenders write
 * documents at the end; every tailer reads all of them, at its own pace, now or later, from any process.
 */
final class ChronicleExperiments implements TransportExperiments {

    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final int FILL_MESSAGE_BYTES = 64 * 1024;
    static final long FILL_BYTES = 64L << 20;

    static {
        // Read by Chronicle once, when its classes load: no banner on stdout (the child's protocol), no JNA
        // files left in ~/.cache.
        ChronicleSettings.apply();
    }

    /** Child mode: a tailer at the start of the queue that never reads. */
    static final String TAIL = "tail";
    /** Child mode: a brand-new reader that reads everything, reports "READ n documents, b B" and exits. */
    static final String READ_ALL = "read-all";

    /** The second process of {@link #survivesCrash}: the tailer that dies unread, and the reader that comes later. */
    @Override
    public void child(String mode, java.util.List<String> args) throws IOException {
        Path dir = Path.of(args.get(0));
        switch (mode) {
            case TAIL -> {
                ChronicleQueue queue = open(dir);
                queue.createTailer();
                ChildSide.say(ChildSide.READY + dir);
                ChildSide.sleepUntilParentGoes();
            }
            case READ_ALL -> {
                try (ChronicleQueue queue = open(dir)) {
                    List<byte[]> documents = readAll(queue.createTailer());
                    long bytes = documents.stream().mapToLong(d -> d.length).sum();
                    ChildSide.say(ChildSide.READ + documents.size() + " documents, " + bytes + " B");
                }
                System.exit(0);
            }
            default -> throw new IllegalArgumentException(transport() + " has no child mode '" + mode + "'");
        }
    }

    @Override
    public String transport() {
        return ChronicleDescriptor.INSTANCE.id();
    }

    /**
     * open(2) + mmap(2): Chronicle maps the queue's files (metadata.cq4t and one yyyyMMddF.cq4 per day) MAP_SHARED.
     * An append is then a memory write into the kernel's page cache, seen at once by every process mapping the file,
     * and written to disk later by the kernel. Watch: `grep cq4 /proc/<pid>/maps`, `ls -ls <dir>` (sparse files).
     */
    static ChronicleQueue open(Path dir) throws IOException {
        Files.createDirectories(dir);
        try {
            return ChronicleQueue.singleBuilder(dir).build();
        } catch (RuntimeException | AssertionError e) {
            throw new IOException("cannot open a Chronicle queue in " + dir + ": " + e + "; Chronicle needs the JVM "
                    + "flags in ipc-core's jvm-flags.txt (run through ./ipc-lab)", e);
        }
    }

    static void append(ExcerptAppender appender, byte[] bytes) {
        appender.writeBytes(BytesStore.wrap(bytes));
    }

    /** Reads every document the tailer has not read yet; each entry is one document's bytes. */
    static List<byte[]> readAll(ExcerptTailer tailer) {
        List<byte[]> documents = new ArrayList<>();
        while (true) {
            try (DocumentContext document = tailer.readingDocument()) {
                if (!document.isPresent()) {
                    return documents;
                }
                Bytes<?> bytes = document.wire().bytes();
                byte[] content = new byte[(int) bytes.readRemaining()];
                bytes.read(content);
                documents.add(content);
            }
        }
    }

    /** How many documents each of two independent tailers read after one appender wrote {@code written}. */
    record Direction(int written, int firstTailer, int secondTailer) {
    }

    Direction directionProbe(Path dir) throws IOException {
        try (ChronicleQueue queue = open(dir.resolve("q"))) {
            ExcerptAppender appender = queue.createAppender();
            int written = 3;
            for (int i = 0; i < written; i++) {
                append(appender, ("message " + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            return new Direction(written, readAll(queue.createTailer()).size(), readAll(queue.createTailer()).size());
        }
    }

    @Override
    public Cell direction(Path dir) throws IOException {
        Direction seen = directionProbe(dir);
        return Cell.measured("one-way log; every tailer reads all",
                "One appender wrote " + seen.written() + " documents; two independent tailers read "
                        + seen.firstTailer() + " and " + seen.secondTailer() + ": reading takes nothing away (unlike a "
                        + "message queue, where each message goes to one receiver). A tailer cannot write, so a reply "
                        + "needs a second queue (the echo uses requests/ and responses/).");
    }

    Boundaries boundaries(Path dir) throws IOException {
        try (ChronicleQueue queue = open(dir.resolve("q"))) {
            ExcerptAppender appender = queue.createAppender();
            List<Integer> writes = Boundaries.WRITES;
            for (int i = 0; i < writes.size(); i++) {
                append(appender, Boundaries.payload(writes.get(i), i));
            }
            List<Integer> reads = new ArrayList<>();
            for (byte[] document : readAll(queue.createTailer())) {
                reads.add(document.length);
            }
            return new Boundaries(writes, reads);
        }
    }

    @Override
    public Cell messageBoundaries(Path dir) throws IOException {
        return boundaries(dir).cell("The appender appended", "by a tailer");
    }

    /** Appending far more than any pipe or socket holds, with no reader: how long, and how much disk was left. */
    record Fill(long bytes, long elapsedMillis, long usableDiskBytes, long fileBytesOnDisk) {
    }

    Fill fill(Path dir) throws IOException {
        Path queueDir = dir.resolve("q");
        try (ChronicleQueue queue = open(queueDir)) {
            ExcerptAppender appender = queue.createAppender();
            byte[] message = new byte[FILL_MESSAGE_BYTES];
            BytesStore<?, ?> store = BytesStore.wrap(message);
            long start = System.nanoTime();
            long written = 0;
            while (written < FILL_BYTES) {
                appender.writeBytes(store);
                written += message.length;
            }
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            long onDisk = 0;
            try (DirectoryStream<Path> files = Files.newDirectoryStream(queueDir)) {
                for (Path file : files) {
                    onDisk += Files.size(file);
                }
            }
            return new Fill(written, elapsedMillis, Files.getFileStore(queueDir).getUsableSpace(), onDisk);
        }
    }

    @Override
    public Cell capacityBeforeWriterBlocks(Path dir) throws IOException {
        Fill fill = fill(dir);
        return Cell.measured("disk: " + (fill.bytes() >> 20) + " MiB appended, never blocked ("
                        + gib(fill.usableDiskBytes()) + " GiB free)",
                "With no tailer at all, " + (fill.bytes() / FILL_MESSAGE_BYTES) + " appends of " + FILL_MESSAGE_BYTES
                        + " B (" + (fill.bytes() >> 20) + " MiB) all returned, in "
                        + fill.elapsedMillis() + " ms; the queue files' apparent size is " + (fill.fileBytesOnDisk() >> 20)
                        + " MiB and the file system has " + gib(fill.usableDiskBytes()) + " GiB free. An appender never "
                        + "waits for readers; a slow reader just falls behind on disk.");
    }

    private static String gib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f", bytes / (double) (1L << 30));
    }

    /** Documents appended with no tailer anywhere, and what a tailer created afterwards (new queue instance) read. */
    record Later(int appended, int readLater) {
    }

    Later laterProbe(Path dir) throws IOException {
        int appended = 3;
        try (ChronicleQueue queue = open(dir.resolve("q"))) {
            ExcerptAppender appender = queue.createAppender();
            for (int i = 0; i < appended; i++) {
                append(appender, ("message " + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
        }
        try (ChronicleQueue reopened = open(dir.resolve("q"))) {
            return new Later(appended, readAll(reopened.createTailer()).size());
        }
    }

    @Override
    public Cell senderWithNoPeer(Path dir) throws IOException {
        Later seen = laterProbe(dir);
        return Cell.measured("appended; read later",
                "With no reader anywhere, " + seen.appended() + " appends succeeded and the queue was closed; a tailer "
                        + "on the queue opened afterwards read " + seen.readLater() + " of them. The writer neither "
                        + "knows nor cares whether anyone reads.");
    }

    /** A reader process killed before reading; then a brand-new process reads. */
    record Crash(int exitCode, int appended, String newProcessSaw) {
    }

    Crash crashProbe(Path dir) throws IOException {
        Path queueDir = dir.resolve("q");
        int appended = 3;
        int exit;
        try (ChronicleQueue queue = open(queueDir);
             ChildJvm reader = ChildJvm.start(transport(), TAIL, queueDir.toString())) {
            reader.awaitLine(ChildSide.READY, ChildJvm.START_TIMEOUT);
            ExcerptAppender appender = queue.createAppender();
            for (int i = 0; i < appended; i++) {
                append(appender, new byte[100]);
            }
            exit = reader.kill(TIMEOUT);
        }
        try (ChildJvm later = ChildJvm.start(transport(), READ_ALL, queueDir.toString())) {
            String saw = later.awaitLine(ChildSide.READ, ChildJvm.START_TIMEOUT);
            later.awaitExit(TIMEOUT);
            return new Crash(exit, appended, saw);
        }
    }

    @Override
    public Cell survivesCrash(Path dir) throws IOException {
        Crash seen = crashProbe(dir);
        boolean all = seen.newProcessSaw().startsWith(seen.appended() + " ");
        return Cell.measured(all ? "yes: on disk" : "partly: " + seen.newProcessSaw(),
                "A child process had a tailer open and never read; we appended " + seen.appended() + " documents of "
                        + "100 B, SIGKILLed it (exit " + ChildProcess.describeExitCode(seen.exitCode()) + ") and closed "
                        + "our queue; a new process then read " + seen.newProcessSaw() + ". The documents are in files: they "
                        + "outlive every process (the kernel writes the mapped pages back to disk).");
    }

    @Override
    public Cell whoCanConnect(Path dir) throws IOException {
        Path queueDir = dir.resolve("q");
        try (ChronicleQueue queue = open(queueDir)) {
            append(queue.createAppender(), new byte[] {1});
            /* chmod(2) on the directory: a Chronicle queue is plain files, so file permissions are its access
             * control; a process that cannot write them gets a read-only queue. */
            Files.setPosixFilePermissions(queueDir, PosixFilePermissions.fromString("rwx------"));
            TreeMap<String, String> modes = new TreeMap<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(queueDir)) {
                for (Path file : files) {
                    int mode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                    modes.put(file.getFileName().toString(), FileModes.symbolic(mode));
                }
            }
            int dirMode = (Integer) Files.getAttribute(queueDir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            String owner = Files.getOwner(queueDir, LinkOption.NOFOLLOW_LINKS).getName();
            return Cell.measured("this host; dir mode " + FileModes.symbolic(dirMode),
                    "The queue is files in a directory: " + FileModes.symbolic(dirMode) + " owner " + owner + " after "
                            + "chmod 700, holding " + modes + ". Any process on this host that may open the files maps "
                            + "the same page-cache pages and sees appends at once; other hosts cannot share the mapping.");
        }
    }

    /** N appender threads, one tailer: how many documents arrived intact, in each writer's order, in one order. */
    record ManyAppenders(int appenders, int each, int intact, int inWriterOrder, boolean indexesIncrease) {
        int total() {
            return appenders * each;
        }
    }

    static final int APPENDERS = 4;
    static final int DOCUMENTS_PER_APPENDER = 250;

    ManyAppenders manyAppendersProbe(Path dir) throws IOException {
        try (ChronicleQueue queue = open(dir.resolve("q"))) {
            List<Thread> threads = new ArrayList<>();
            AtomicReference<String> failure = new AtomicReference<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int a = 0; a < APPENDERS; a++) {
                int id = a;
                Thread thread = new Thread(() -> {
                    // One appender per thread: appenders are not thread-safe; the queue's write lock orders them.
                    try (ExcerptAppender appender = queue.createAppender()) {
                        start.await();
                        for (int d = 0; d < DOCUMENTS_PER_APPENDER; d++) {
                            append(appender, document(id, d));
                        }
                    } catch (InterruptedException | RuntimeException e) {
                        failure.compareAndSet(null, "appender " + id + ": " + e);
                    }
                }, "chronicle-appender-" + a);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
            start.countDown();
            for (Thread thread : threads) {
                try {
                    thread.join(TIMEOUT.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            if (failure.get() != null) {
                throw new IOException(failure.get());
            }
            ExcerptTailer tailer = queue.createTailer();
            int[] next = new int[APPENDERS];
            int intact = 0;
            int ordered = 0;
            boolean increasing = true;
            long lastIndex = Long.MIN_VALUE;
            while (true) {
                try (DocumentContext document = tailer.readingDocument()) {
                    if (!document.isPresent()) {
                        break;
                    }
                    long index = document.index();
                    increasing &= index > lastIndex;
                    lastIndex = index;
                    Bytes<?> bytes = document.wire().bytes();
                    byte[] content = new byte[(int) bytes.readRemaining()];
                    bytes.read(content);
                    int writer = content.length >= 4 ? content[0] : -1;
                    int seq = content.length >= 4 ? ((content[1] & 0xff) << 8) | (content[2] & 0xff) : -1;
                    if (writer >= 0 && writer < APPENDERS && Arrays.equals(content, document(writer, seq))) {
                        intact++;
                        if (seq == next[writer]) {
                            ordered++;
                        }
                        next[writer] = seq + 1;
                    }
                }
            }
            return new ManyAppenders(APPENDERS, DOCUMENTS_PER_APPENDER, intact, ordered, increasing);
        }
    }

    static byte[] document(int writer, int seq) {
        byte[] bytes = new byte[4 + (writer * 37 + seq * 11) % 300];
        bytes[0] = (byte) writer;
        bytes[1] = (byte) (seq >> 8);
        bytes[2] = (byte) seq;
        for (int i = 3; i < bytes.length; i++) {
            bytes[i] = (byte) (writer * 31 + seq * 7 + i);
        }
        return bytes;
    }

    @Override
    public Cell manyClients(Path dir) throws IOException {
        ManyAppenders seen = manyAppendersProbe(dir);
        return Cell.measured("one ordered log: " + seen.intact() + "/" + seen.total() + " intact",
                seen.appenders() + " threads with an appender each wrote " + seen.each() + " documents of different "
                        + "lengths at once; one tailer read " + seen.intact() + " of " + seen.total() + " exactly as "
                        + "written, " + seen.inWriterOrder() + " in their writer's order, under "
                        + (seen.indexesIncrease() ? "strictly increasing" : "NOT increasing") + " indexes: one total "
                        + "order every reader sees the same.");
    }
}
