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
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

import org.ipclab.core.Closer;

import net.openhft.chronicle.bytes.Bytes;
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
    private static final String METADATA = "metadata.cq4t";

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

    /**
     * Free space one message of the largest size needs: its request excerpt and its echo, both in this
     * directory's file system.
     */
    public static final long ONE_MAX_MESSAGE_BYTES = 2L * MAX_EXCERPT_BYTES;

    private final Path dir;
    private final SingleChronicleQueue requests;
    private final SingleChronicleQueue responses;
    /** What was there at open: the directories and the queues' metadata files, with their (device, inode). */
    private final List<Path> watched;
    private final List<Object> identities;

    private ChronicleDirectory(Path dir, SingleChronicleQueue requests, SingleChronicleQueue responses) throws IOException {
        this.dir = dir;
        this.requests = requests;
        this.responses = responses;
        this.watched = List.of(dir, dir.resolve(REQUESTS), dir.resolve(RESPONSES),
                dir.resolve(REQUESTS).resolve(METADATA), dir.resolve(RESPONSES).resolve(METADATA));
        List<Object> keys = new ArrayList<>();
        for (Path path : watched) {
            Object key = identity(path);
            if (key == null) {
                throw new IOException(path + " disappeared while the queue was being opened; try again");
            }
            keys.add(key);
        }
        this.identities = List.copyOf(keys);
    }

    /** Creates {@code dir} if needed, checks it is writable, and opens (or creates) both queues. */
    public static ChronicleDirectory open(Path dir) throws IOException {
        prepareWritable(dir);
        prepareWritable(dir.resolve(REQUESTS));
        prepareWritable(dir.resolve(RESPONSES));
        SingleChronicleQueue requests = build(dir.resolve(REQUESTS));
        SingleChronicleQueue responses = null;
        try {
            responses = build(dir.resolve(RESPONSES));
            return new ChronicleDirectory(dir, requests, responses);
        } catch (IOException | RuntimeException e) {
            Closer.closeQuietly(e, requests, responses);
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
        org.ipclab.core.FileTrees.delete(dir);
    }

    /**
     * What was removed from under the open queue, if anything: "the queue directory D was deleted", or a
     * sub-directory or metadata file deleted or replaced by another one.
     *
     * <p>Why this must be checked by hand: a file that is unlinked while a process maps it does not go
     * away. unlink(2) only removes the <em>name</em>; the inode and its pages live on until the last
     * mapping and the last descriptor are gone (unlink(2): "If the name was the last link to a file but
     * any processes still have the file open, the file will remain in existence until the last file
     * descriptor referring to it is closed"; a mapping counts as a reference, mmap(2)). So after
     * {@code rm -r D} every process that had the queue open keeps reading and appending happily, into
     * files nobody else can find: a client that starts now creates a fresh D with empty queues, and its
     * requests are never answered. Nothing fails, no error is raised. Watch it:
     * {@code grep cq4 /proc/<pid>/maps} shows the mapped files marked {@code (deleted)}, and
     * {@code ls -l /proc/<pid>/fd} the descriptors; {@code df} shows their space still in use.
     *
     * <p>Comparing (device, inode) (stat(2), {@link BasicFileAttributes#fileKey()}) rather than just
     * existence also catches D deleted and made again by someone else. Costs five stat(2) calls: call it
     * when idle, not per message.
     */
    Optional<String> whatWasRemoved() {
        for (int i = 0; i < watched.size(); i++) {
            Path path = watched.get(i);
            Object now = identity(path);
            if (now == null) {
                return Optional.of(i == 0 ? "the queue directory " + dir + " was deleted" : path + " was deleted");
            }
            if (!now.equals(identities.get(i))) {
                return Optional.of(i == 0 ? "the queue directory " + dir + " was deleted and made again"
                        : path + " was replaced by another file");
            }
        }
        return Optional.empty();
    }

    private static Object identity(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;   // gone (or unreadable): either way not the file we opened
        }
    }

    /** Bytes an unprivileged writer may still allocate on the file system holding the queue (statfs(2)); -1 if unknown. */
    long usableBytes() {
        return usableBytes(dir);
    }

    private static long usableBytes(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * One line warning that the file system holding {@code dir} has less free space than one message of
     * the largest size needs, or empty when it has enough.
     */
    public static Optional<String> lowSpaceWarning(Path dir) {
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.isDirectory(existing)) {
            existing = existing.getParent();   // a queue not made yet goes where its nearest parent is
        }
        long free = existing == null ? -1 : usableBytes(existing);
        if (free < 0 || free >= ONE_MAX_MESSAGE_BYTES) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "warning: only %s free for the queue in %s; one message of"
                + " the largest size (%s) needs %s (the request and its echo): bigger messages will fail with"
                + " \"no space left\"", bytes(free), dir, bytes(MAX_MESSAGE_BYTES), bytes(ONE_MAX_MESSAGE_BYTES)));
    }

    /**
     * True when {@code e} is what a write into the mapped queue files raises when the disk is full.
     *
     * <p>Appends are memory writes into a MAP_SHARED mapping of a sparse file: the file's size was set
     * with ftruncate(2), but its blocks are allocated only when a page is first touched. When the file
     * system has no block left for that page, the kernel cannot back it and sends SIGBUS to the writing
     * thread (mmap(2), "SIGBUS: Attempted access to a page of the buffer that lies beyond the end of the
     * mapped file" covers truncation; tmpfs, seen in ChronicleQueueFaultTest, does the same at ENOSPC, as do
     * ext4 and xfs when they cannot allocate the block for a page first written through a mapping). There is no
     * error code to return from a memory store. HotSpot's signal handler sees that the fault hit an
     * Unsafe access and turns it into {@code java.lang.InternalError: a fault occurred in a recent unsafe
     * memory access operation} in that thread, instead of crashing the JVM. Watch it:
     * {@code strace -f -e trace=none -e signal=SIGBUS}, or {@code df <dir>} at 100 %.
     * Where Chronicle makes or grows a file (a new day's cycle file, an index), ENOSPC arrives as an
     * ordinary exception saying "No space left on device".
     */
    static boolean isNoSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (t instanceof InternalError && message.contains("fault occurred")) {
                return true;
            }
            if (message.contains("No space left on device")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes the 8 zero bytes just past an excerpt that Chronicle itself writes when it publishes the
     * excerpt (its end marker), so that, if the page holding them cannot be backed, the SIGBUS comes here,
     * where the caller can still roll the excerpt back, and not inside {@code DocumentContext.close()},
     * after which the excerpt would stay half-published ("not complete") and block every reader.
     * One 8-byte store per message.
     */
    static void touchEnd(Bytes<?> bytes) {
        long end = bytes.writePosition();
        if (end + Long.BYTES <= bytes.writeLimit()) {
            bytes.writeLong(end, 0L);
        }
    }

    /** The one error a user sees when the queue's file system is full, naming what failed. */
    IOException noSpace(String what, Throwable cause) {
        long free = usableBytes();
        return new IOException("no space left for the queue in " + dir + " (" + what + "; "
                + (free < 0 ? "free space unknown" : bytes(free) + " free") + "): free space or choose another --dir", cause);
    }

    static String bytes(long n) {
        if (n >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", n / (double) (1L << 20));
        }
        if (n >= 1L << 10) {
            return String.format(Locale.ROOT, "%.1f KiB", n / (double) (1L << 10));
        }
        return n + " bytes";
    }

    /** Idempotent: Chronicle's close is. */
    @Override
    public void close() throws IOException {
        Closer.closeAll(requests, responses);
    }
}
