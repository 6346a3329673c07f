package org.ipclab.socket;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicInteger;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.ipclab.core.Errnos;
import org.ipclab.core.experiments.Cell;
import org.ipclab.core.experiments.FileModes;
import org.ipclab.core.experiments.Probes;

/** The property experiments for Unix domain stream sockets (AF_UNIX, SOCK_STREAM), named by a path. */
final class UnixExperiments extends SocketExperiments {

    /** sun_path holds 108 bytes including the terminating NUL (unix(7)). */
    static final int MAX_PATH_BYTES = 107;

    private final AtomicInteger sockets = new AtomicInteger();

    @Override
    public String transport() {
        return UnixDescriptor.INSTANCE.id();
    }

    /** The second process of {@link #survivesCrash}: a listener on the path that accepts and never reads. */
    @Override
    public void child(String mode, java.util.List<String> args) throws IOException {
        if (!mode.equals(SocketChild.HOLD)) {
            throw new IllegalArgumentException("unix has no child mode '" + mode + "'");
        }
        SocketChild.hold(SocketChild.unixListener(Path.of(args.get(0))));
    }

    Path socketPath(Path dir, String name) throws IOException {
        Path path = dir.resolve(name).toAbsolutePath();
        if (path.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new IOException("socket path " + path + " is longer than the " + MAX_PATH_BYTES
                    + " bytes a Unix socket address holds; run with a shorter scratch directory");
        }
        return path;
    }

    @Override
    ServerSocketChannel listen(Path dir) throws IOException {
        Path path = socketPath(dir, "s" + sockets.incrementAndGet() + ".sock");
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            /* bind(2) on AF_UNIX creates the socket file (type 's' in `ls -l`); listen(2) as for TCP. The file
             * outlives the socket: closing does not remove it. Watch: `ss -xl`. Man page: unix(7). */
            listener.bind(UnixDomainSocketAddress.of(path), 64);
            return listener;
        } catch (IOException e) {
            listener.close();
            throw e;
        }
    }

    @Override
    SocketChannel openClient() throws IOException {
        return SocketChannel.open(StandardProtocolFamily.UNIX);
    }

    @Override
    String[] holdingServer(Path dir) {
        return new String[] {SocketChild.HOLD, dir.resolve("held.sock").toAbsolutePath().toString()};
    }

    @Override
    SocketAddress announced(String ready, Path dir) {
        return UnixDomainSocketAddress.of(ready);
    }

    @Override
    String bufferSettings(SocketChannel writer, SocketChannel reader) throws IOException {
        return socketBuffers(writer, reader) + "; net.core.wmem_default = " + Probes.sysctl("net/core/wmem_default")
                + " (an AF_UNIX stream queues the bytes at the reader but charges them to the writer's SO_SNDBUF: "
                + "a bigger writer buffer raises the fill, a smaller reader buffer does not change it)";
    }

    /** What connect(2) said for a path with no file, and for a socket file nobody listens on any more. */
    record NoPeer(String missingFile, String staleFile) {
    }

    NoPeer noPeer(Path dir) throws IOException {
        Path missing = socketPath(dir, "missing.sock");
        Path stale = socketPath(dir, "stale.sock");
        String missingOutcome = tryConnect(missing);
        try (ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            gone.bind(UnixDomainSocketAddress.of(stale));
        }
        // The listener is closed but its file stays: what a crashed server leaves behind.
        String staleOutcome = tryConnect(stale);
        Files.deleteIfExists(stale);
        return new NoPeer(missingOutcome, staleOutcome);
    }

    private String tryConnect(Path path) throws IOException {
        try (SocketChannel client = openClient()) {
            /* connect(2) looks the path up like open(2) does: no file gives ENOENT; a socket file with no listening
             * socket behind it gives ECONNREFUSED. Nothing waits and nothing is queued. */
            SocketIo.connect(client, UnixDomainSocketAddress.of(path), SocketIo.TIMEOUT);
            return "connected";
        } catch (IOException e) {
            return Errnos.describe(e);
        }
    }

    @Override
    public Cell senderWithNoPeer(Path dir) throws IOException {
        NoPeer seen = noPeer(dir);
        return Cell.measured(errnoOnly(seen.missingFile()) + " / " + errnoOnly(seen.staleFile()) + " (stale file)",
                "connect(2) to a path with no file failed with " + seen.missingFile() + "; to a socket file left by a "
                        + "closed listener it failed with " + seen.staleFile() + ". Nothing is queued; a server must "
                        + "remove a stale file before it can bind(2) the path again.");
    }

    private static String errnoOnly(String outcome) {
        int space = outcome.indexOf(' ');
        return space > 0 ? outcome.substring(0, space) : outcome;
    }

    @Override
    public Cell whoCanConnect(Path dir) throws IOException {
        try (ServerSocketChannel listener = listen(dir)) {
            Path path = ((UnixDomainSocketAddress) listener.getLocalAddress()).getPath();
            /* chmod(2) on the socket file is AF_UNIX's access control: connect(2) needs write permission on the
             * file (and search permission on every directory above it). Watch: `ls -l <path>`. */
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            int uid = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            String owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName();
            String peer;
            try (SocketChannel client = openClient()) {
                SocketIo.connect(client, listener.getLocalAddress(), SocketIo.TIMEOUT);
                try (SocketChannel accepted = SocketIo.accept(listener, SocketIo.TIMEOUT)) {
                    /* SO_PEERCRED: the kernel tells the server which user (and process) is at the other end; the
                     * client cannot lie about it. Man page: unix(7). */
                    UnixDomainPrincipal principal = accepted.getOption(ExtendedSocketOptions.SO_PEERCRED);
                    peer = principal.user().getName();
                }
            }
            return Cell.measured("this host; file mode " + FileModes.symbolic(mode),
                    "bind(2) made the socket file " + path.getFileName() + "; after chmod 0600 `ls -l` shows "
                            + FileModes.symbolic(mode) + " owner " + owner + " (uid " + uid + "): connect(2) needs write "
                            + "permission on it, so only that user (and root) can connect, and only on this host. "
                            + "Our connection arrived with SO_PEERCRED user " + peer + ".");
        }
    }
}
