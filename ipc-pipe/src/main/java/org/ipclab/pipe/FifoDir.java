package org.ipclab.pipe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.ipclab.core.Closer;

/**
 * The files of a FIFO echo endpoint, all in one directory:
 * <ul>
 *   <li>{@value #REQUEST}: the client writes, the server reads;</li>
 *   <li>{@value #RESPONSE}: the server writes the echo, the client reads (a FIFO, like any pipe, carries
 *       bytes one way only, so an echo needs two);</li>
 *   <li>{@value #LOCK}: clients take turns by holding an exclusive flock(2) on it for their whole session.</li>
 * </ul>
 */
final class FifoDir {

    static final String REQUEST = "request.fifo";
    static final String RESPONSE = "response.fifo";
    static final String LOCK = "client.lock";

    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFREG = 0100000;
    private static final int OWNER_ONLY = 0600;

    final Path dir;
    final Path request;
    final Path response;
    final Path lock;
    private final List<Path> created = new ArrayList<>();

    FifoDir(Path dir) {
        this.dir = dir.toAbsolutePath();
        this.request = this.dir.resolve(REQUEST);
        this.response = this.dir.resolve(RESPONSE);
        this.lock = this.dir.resolve(LOCK);
    }

    /** What {@code ls -l} would say the file is: "a FIFO", "a regular file", "a directory"... */
    static String kindOf(Path path) throws IOException {
        int type = fileType(path);
        return switch (type) {
            case S_IFIFO -> "a FIFO";
            case S_IFREG -> "a regular file";
            case 0040000 -> "a directory";
            case 0140000 -> "a socket";
            case 0120000 -> "a symbolic link";
            case 0020000 -> "a character device";
            case 0060000 -> "a block device";
            default -> "a file of type " + Integer.toOctalString(type);
        };
    }

    static boolean isFifo(Path path) throws IOException {
        return fileType(path) == S_IFIFO;
    }

    private static int fileType(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & S_IFMT;
    }

    /**
     * For a server: make the directory if it is missing.
     *
     * @return true if the directory was created here (and may be removed again on exit)
     */
    boolean createDirectory() throws IOException {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(dir + " is " + kindOf(dir) + ", not a directory; --path names a directory for the FIFOs");
            }
            return false;
        }
        Path parent = dir.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IOException("directory " + parent + " does not exist; create it or choose another --path");
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            // java.nio's messages here are only the path: say what went wrong
            String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof java.nio.file.NoSuchFileException ? "no such directory"
                    : e instanceof java.nio.file.FileAlreadyExistsException ? "something else just created it"
                    : e.getMessage();
            throw new IOException("cannot create the directory " + dir + " (" + why + "); choose another --path", e);
        }
        return true;
    }

    /**
     * For a server: one server per directory. An exclusive flock(2) on the directory itself, held until the
     * server closes the returned descriptor (or dies: the kernel drops the lock with the descriptor).
     * Watch it: `lslocks` lists it as FLOCK WRITE on the directory, with the server's pid.
     */
    int lockAsServer() throws IOException {
        int fd = Posix.libc().open(dir.toString(), Posix.O_RDONLY | Posix.O_DIRECTORY | Posix.O_CLOEXEC, 0);
        if (fd < 0) {
            throw new IOException("cannot open the directory " + dir + ": " + Posix.describe(Posix.errno()));
        }
        if (Posix.libc().flock(fd, Posix.LOCK_EX | Posix.LOCK_NB) != 0) {
            int errno = Posix.errno();
            Posix.closeQuietly(fd);
            if (errno == Posix.EWOULDBLOCK) {
                throw new IOException("another fifo server is running in " + dir + " (it holds a lock on the directory;"
                        + " see `lslocks`); stop it or choose another --path");
            }
            throw new IOException("flock " + dir + " failed: " + Posix.describe(errno));
        }
        return fd;
    }

    /**
     * For a server: make the two FIFOs and the lock file unless they exist. Existing FIFOs are reused (a FIFO
     * holds no data of its own: the kernel's pipe buffer exists only while some process has it open);
     * anything else in their place is refused.
     */
    void createFiles(Consumer<String> log) throws IOException {
        makeFifo(request, log);
        makeFifo(response, log);
        if (Files.exists(lock, LinkOption.NOFOLLOW_LINKS) && fileType(lock) != S_IFREG) {
            throw new IOException(lock + " exists and is " + kindOf(lock) + ", not a regular file; remove it or choose another --path");
        }
        boolean existed = Files.exists(lock, LinkOption.NOFOLLOW_LINKS);
        int fd = Posix.libc().open(lock.toString(), Posix.O_RDWR | Posix.O_CREAT | Posix.O_CLOEXEC, OWNER_ONLY);
        if (fd < 0) {
            throw new IOException("cannot create " + lock + ": " + Posix.describe(Posix.errno()));
        }
        Posix.closeQuietly(fd);
        if (!existed) {
            created.add(lock);
        }
    }

    /** After a failed start: removes only what this server made; what was there before stays. */
    void removeCreated(boolean removeDir, Consumer<String> log) {
        delete(created, log);
        if (removeDir) {
            deleteDirectoryIfEmpty();
        }
    }

    private void makeFifo(Path fifo, Consumer<String> log) throws IOException {
        if (Files.exists(fifo, LinkOption.NOFOLLOW_LINKS)) {
            if (!isFifo(fifo)) {
                throw new IOException(fifo + " exists and is " + kindOf(fifo) + ", not a FIFO; remove it or choose another --path");
            }
            log.accept("Reusing the existing FIFO " + fifo);
            return;
        }
        /* mkfifo(3) (the mknod(2) system call with S_IFIFO): a name in the filesystem for a pipe. Nothing
         * else exists yet: no buffer, no reader, no writer. The kernel makes the pipe when the first process
         * opens the name and frees it, with any unread bytes, when the last one closes it. Mode 0600 (less
         * the umask): only our user may open it, the only access control a FIFO has.
         * Watch it: `ls -l DIR` shows type 'p' (prw-------); `stat DIR/request.fifo` says "fifo". */
        int rc = Posix.posix().mkfifo(fifo.toString(), OWNER_ONLY);
        if (rc != 0) {
            throw new IOException("mkfifo " + fifo + " failed: " + Posix.describe(Posix.errno()));
        }
        created.add(fifo);
    }

    /**
     * The FIFOs and the lock file go away with the server: a FIFO left behind looks like a server to the
     * next client (its open would wait for a reader that never comes).
     */
    void remove(boolean removeDir, Consumer<String> log) {
        delete(List.of(request, response, lock), log);
        if (removeDir) {
            deleteDirectoryIfEmpty();
        }
    }

    private static void delete(List<Path> paths, Consumer<String> log) {
        for (Path path : paths) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                log.accept("could not remove " + path + ": " + e.getMessage());
            }
        }
    }

    private void deleteDirectoryIfEmpty() {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // someone put files of their own in it: leave the directory to them
        }
    }

    /** Closes file descriptors: the first failure is thrown, the rest suppressed. */
    static void closeAll(int... fds) throws IOException {
        AutoCloseable[] closers = new AutoCloseable[fds.length];
        for (int i = 0; i < fds.length; i++) {
            int fd = fds[i];
            closers[i] = fd < 0 ? null : () -> {
                if (Posix.libc().close(fd) != 0) {
                    throw new IOException("close(" + fd + ") failed: " + Posix.describe(Posix.errno()));
                }
            };
        }
        Closer.closeAll(closers);
    }
}
