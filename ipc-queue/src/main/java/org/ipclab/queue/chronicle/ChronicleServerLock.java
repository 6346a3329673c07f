package org.ipclab.queue.chronicle;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * At most one server per queue directory: two would both answer every request. The server holds a lock
 * on {@code server.lock} while it runs and writes its pid to {@code server.pid} for clients to read.
 *
 * <p>Why two files: a POSIX record lock belongs to the <em>process</em>, and closing <em>any</em>
 * descriptor of the locked file in that process drops it (fcntl(2), "the lock is released when the
 * process closes any file descriptor referring to the file"). A client in the server's JVM that opened
 * and closed {@code server.lock} to read a pid would silently unlock the server. Nobody but the server
 * ever opens {@code server.lock}.
 */
final class ChronicleServerLock implements AutoCloseable {

    static final String PID_FILE = "server.pid";

    private final FileChannel channel;
    private final FileLock lock;
    private final Path pidFile;
    private boolean closed;

    private ChronicleServerLock(FileChannel channel, FileLock lock, Path pidFile) {
        this.channel = channel;
        this.lock = lock;
        this.pidFile = pidFile;
    }

    static ChronicleServerLock acquire(Path dir) throws IOException {
        Path lockFile = dir.resolve(ChronicleDirectory.SERVER_LOCK);
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            /* fcntl(F_SETLK, F_WRLCK): a non-blocking exclusive record lock. The kernel drops it when this
             * process exits, however it exits (SIGKILL included), so a crashed server never blocks the next
             * one. Watch it: `cat /proc/locks` (a POSIX WRITE lock with our pid and the file's inode),
             * `lslocks`. Man page: fcntl(2), "Advisory record locking". */
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;   // this JVM already serves the directory
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            channel.close();
            OptionalLong pid = runningServerPid(dir);
            throw new IOException("another chronicle server" + (pid.isPresent() ? " (pid " + pid.getAsLong() + ")" : "")
                    + " is already serving " + dir + "; two servers would answer every request twice: stop it"
                    + (pid.isPresent() ? " (kill " + pid.getAsLong() + ")" : "") + " or choose another --dir");
        }
        Path pidFile = dir.resolve(PID_FILE);
        try {
            Files.writeString(pidFile, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new ChronicleServerLock(channel, lock, pidFile);
    }

    /** The pid of the live server serving {@code dir}, if any. */
    static OptionalLong runningServerPid(Path dir) {
        String text;
        try {
            text = Files.readString(dir.resolve(PID_FILE), StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        try {
            long pid = Long.parseLong(text);
            // A server killed with SIGKILL leaves its pid behind: only a live process counts.
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent() ? OptionalLong.of(pid) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Files.deleteIfExists(pidFile);
        } finally {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }
}
