package org.ipclab.socket;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Consumer;

/** Socket-file chores for AF_UNIX: is it a socket, is it stale, who may open it. */
final class UnixSockets {

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private UnixSockets() {
    }

    static boolean isSocket(Path path) throws IOException {
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return (mode & S_IFMT) == S_IFSOCK;
    }

    /**
     * Before bind(2): bind fails with EADDRINUSE if the file exists, even when the server that made it
     * crashed long ago (the file outlives the process). A socket file nobody accepts on is stale: remove
     * it. A live one, or a file that is not a socket, is refused.
     */
    static void prepareForBind(Path path, Consumer<String> log) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IOException("directory " + parent + " does not exist; create it or choose another --path");
        }
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!isSocket(path)) {
            throw new IOException(path + " exists and is not a socket; remove it or choose another --path");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            throw new IOException("another server is already listening on " + path
                    + "; stop it or choose another --path");
        } catch (ConnectException refused) {
            Files.delete(path);
            log.accept("Removed stale socket file " + path + " (left by a server that is no longer running)");
        }
    }

    /** Only our user may connect: the socket file's permissions are the access control of AF_UNIX. */
    static void restrictToOwner(Path path) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    }
}
