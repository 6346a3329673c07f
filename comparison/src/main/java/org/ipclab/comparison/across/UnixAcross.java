package org.ipclab.comparison.across;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.FileTrees;
import org.ipclab.comparison.backlog.NamespaceVariants;

/**
 * What a network namespace does not separate, measured: a Unix socket made in host B, connected to from host A. A
 * pathname socket is a file, and both namespaces share the file system, so the connect succeeds; an abstract socket
 * (its name starts with a zero byte, unix(7)) lives in the network namespace that made it, so it is refused. Python's
 * standard sockets do both sides, as Java 17 cannot name an abstract socket.
 */
final class UnixAcross {

    /** Listens on a pathname and an abstract name in B, prints "READY", accepts until stdin closes. */
    private static final String SERVER = String.join("\n",
            "import socket, sys, threading",
            "path, abstract = sys.argv[1], sys.argv[2]",
            "socks = []",
            "for name in (path, '\\0' + abstract):",
            "    s = socket.socket(socket.AF_UNIX); s.bind(name); s.listen(); socks.append(s)",
            "    threading.Thread(target=lambda s=s: [s.accept() for _ in range(10)], daemon=True).start()",
            "print('READY', flush=True)",
            "sys.stdin.read()");
    /** Connects to both from A and prints one line per name: "connected" or the error. */
    private static final String CLIENT = String.join("\n",
            "import socket, sys",
            "for kind, name in (('pathname', sys.argv[1]), ('abstract', '\\0' + sys.argv[2])):",
            "    s = socket.socket(socket.AF_UNIX)",
            "    try:",
            "        s.connect(name); print(kind, 'connected')",
            "    except OSError as e:",
            "        print(kind, type(e).__name__, e.strerror)",
            "    s.close()");

    private UnixAcross() {
    }

    /** One sentence with what was seen, or why it could not be tried. */
    static String measure(NamespaceHosts hosts) {
        String python = NamespaceVariants.which("python3");
        if (python == null) {
            return "The Unix-socket reach was not measured: python3 was not found.";
        }
        Path dir = null;
        Process server = null;
        try {
            dir = FileTrees.temporary("ipc-lab-unix-across-");
            Path path = dir.resolve("echo.sock");
            String abstractName = "ipclab-across-" + ProcessHandle.current().pid();
            server = new ProcessBuilder(NamespaceHosts.inside(hosts.b, List.of(python, "-c", SERVER, path.toString(),
                    abstractName))).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] ready = server.getInputStream().readNBytes(6);
            if (!new String(ready, StandardCharsets.US_ASCII).equals("READY\n")) {
                return "The Unix-socket reach was not measured: the listener in host B did not start.";
            }
            Process client = new ProcessBuilder(NamespaceHosts.inside(hosts.a, List.of(python, "-c", CLIENT,
                    path.toString(), abstractName))).redirectErrorStream(true).start();
            client.getOutputStream().close();
            if (!client.waitFor(10, TimeUnit.SECONDS)) {
                client.destroyForcibly();
                return "The Unix-socket reach was not measured: the client in host A did not finish within 10 s.";
            }
            String said = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return "Measured: from host A, a connect to Unix sockets listening in host B gave: "
                    + String.join("; ", said.lines().toList()) + ".";
        } catch (IOException e) {
            return "The Unix-socket reach was not measured: " + e.getMessage() + ".";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "The Unix-socket reach was not measured: interrupted.";
        } finally {
            if (server != null) {
                server.destroyForcibly();
            }
            if (dir != null) {
                org.ipclab.core.FileTrees.deleteQuietly(dir);
            }
        }
    }
}
