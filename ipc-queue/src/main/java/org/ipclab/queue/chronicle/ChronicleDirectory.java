package org.ipclab.queue.chronicle;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.OptionalLong;
import java.util.stream.Stream;

import org.ipclab.core.Closer;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/**
 * One echo endpoint on disk: a directory holding two Chronicle queues.
 *
 * <pre>
 * D/requests/    clients append, the server tails     (yyyyMMddF.cq4 data files + metadata.cq4t)
 * D/responses/   the server appends, clients tail
 * D/server.lock  the pid of the server serving D, locked while it runs (see {@link ChronicleEchoServer})
 * </pre>
 *
 * <p>Opening checks what Chronicle does not: a directory we cannot write makes Chronicle fall back
 * <em>silently</em> to a read-only queue (one WARN line, then "Can't append to a read-only chronicle"
 * at the first send), and missing JVM flags make it fail deep inside with an AssertionError. Both become
 * an {@link IOException} that says what to do.
 */
public final class ChronicleDirectory implements AutoCloseable {

    public static final String REQUESTS = "requests";
    public static final String RESPONSES = "responses";
    public static final String SERVER_LOCK = "server.lock";

    /**
     * Chronicle maps a queue file in blocks of this size and refuses an excerpt longer than a quarter of
     * a block (its default 64 MiB block caps a message at 16 MiB). 256 MiB blocks let one message carry
     * 64 MiB. Every process opening the queue must use the same value.
     */
    public static final long BLOCK_BYTES = 256L << 20;

    /** The largest excerpt Chronicle accepts with {@link #BLOCK_BYTES} blocks: a quarter of a block. */
    public static final int MAX_EXCERPT_BYTES = (int) (BLOCK_BYTES / 4);

    /** The largest payload of one {@code send}: the excerpt limit less our own header. */
    public static final int MAX_MESSAGE_BYTES = MAX_EXCERPT_BYTES
            - Math.max(ChronicleFrames.REQUEST_HEADER_BYTES, ChronicleFrames.RESPONSE_HEADER_BYTES);

    static {
        ChronicleSettings.apply();
    }

    private final Path dir;
    private final SingleChronicleQueue requests;
    private final SingleChronicleQueue responses;

    private ChronicleDirectory(Path dir, SingleChronicleQueue requests, SingleChronicleQueue responses) {
        this.dir = dir;
        this.requests = requests;
        this.responses = responses;
    }

    /** Creates {@code dir} if needed, checks it is writable, and opens (or creates) both queues. */
    public static ChronicleDirectory open(Path dir) throws IOException {
        prepareWritable(dir);
        prepareWritable(dir.resolve(REQUESTS));
        prepareWritable(dir.resolve(RESPONSES));
        SingleChronicleQueue requests = build(dir.resolve(REQUESTS));
        try {
            return new ChronicleDirectory(dir, requests, build(dir.resolve(RESPONSES)));
        } catch (IOException | RuntimeException e) {
            Closer.closeQuietly(e, requests);
            throw e;
        }
    }

    /** The pid of the live server serving {@code dir} (from its server.pid file), if one runs right now. */
    public static OptionalLong runningServerPid(Path dir) {
        return ChronicleServerLock.runningServerPid(dir);
    }

    public Path path() {
        return dir;
    }

    SingleChronicleQueue requests() {
        return requests;
    }

    SingleChronicleQueue responses() {
        return responses;
    }

    /**
     * Makes sure {@code dir} exists and that we can create files in it. A real write is the only honest
     * test: access(2) says yes to root for a directory marked immutable ({@code chattr +i}) or on a
     * read-only mount, and Chronicle needs to create a new file every day (roll cycle).
     */
    static void prepareWritable(Path dir) throws IOException {
        try {
            // Directories we create are the owner's alone (0700): anyone who can read the queue files reads
            // every client's messages. A directory the user made is left as it is.
            Files.createDirectories(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot use " + dir + " as a queue directory: it exists and is not a directory;"
                    + " choose another --dir", e);
        } catch (FileSystemException e) {
            throw new IOException("cannot create the queue directory " + dir + ": " + reason(e)
                    + "; choose another --dir", e);
        }
        try {
            Files.delete(Files.createTempFile(dir, ".ipc-lab-write-probe-", ""));
        } catch (FileSystemException e) {
            throw new IOException("cannot write in the queue directory " + dir + " (" + reason(e)
                    + "): Chronicle would silently open it read-only; fix its permissions (ls -ld " + dir
                    + ") or choose another --dir", e);
        }
        // Existing queue files must be writable too: opening one read-only is Chronicle's other silent fallback.
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.cq4*")) {
            for (Path file : files) {
                try (FileChannel ignored = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    // opened for writing: that is all we wanted to know
                } catch (FileSystemException e) {
                    throw new IOException("cannot write the queue file " + file + " (" + reason(e)
                            + "); fix its permissions (ls -l " + dir + ") or choose another --dir", e);
                }
            }
        }
    }

    private static String reason(FileSystemException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "a parent directory does not exist";
        }
        String reason = e.getReason();
        return reason != null ? reason : e.getClass().getSimpleName();
    }

    private static SingleChronicleQueue build(Path queueDir) throws IOException {
        SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(queueDir).blockSize(BLOCK_BYTES);
        SingleChronicleQueue queue;
        try {
            /* open(2) + mmap(2): Chronicle maps metadata.cq4t and today's <yyyyMMdd>F.cq4 file MAP_SHARED.
             * From then on an append is a plain memory write into the kernel's page cache: no write(2), no
             * copy into the kernel. Every process that maps the file sees the same physical pages, so a
             * reader in another process sees the bytes as soon as the writer publishes the excerpt's
             * length (an ordered store). The kernel writes dirty pages to disk later (writeback), which
             * is why a process killed with SIGKILL loses nothing it wrote: the pages belong to the kernel,
             * not to the process. A power cut can lose them: Chronicle does not msync(2) by default.
             * Watch it: `ls -ls <dir>/requests` (an 80-320 MiB file that uses little disk: sparse),
             * `grep cq4 /proc/<pid>/maps` (the mapped windows), `strace -f -e trace=openat,mmap,ftruncate`.
             * Man pages: mmap(2), msync(2), proc(5). */
            queue = builder.build();
        } catch (RuntimeException | AssertionError e) {
            throw new IOException("cannot open the Chronicle queue in " + queueDir + ": " + e
                    + ". Chronicle needs the JVM flags in ipc-core's jvm-flags.txt (run through ./ipc-lab,"
                    + " or add them to the java command line)", e);
        }
        if (builder.readOnly()) {
            queue.close();
            throw new IOException("Chronicle opened " + queueDir + " read-only (a file in it cannot be written,"
                    + " or the JVM lacks the flags in jvm-flags.txt); fix its permissions or choose another --dir");
        }
        return queue;
    }

    /**
     * Deletes a queue directory and everything in it. Processes that still map its files keep working on
     * the unlinked inodes until they unmap them; the disk space comes back after that.
     */
    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Idempotent: Chronicle's close is. */
    @Override
    public void close() throws IOException {
        Closer.closeAll(requests, responses);
    }
}
