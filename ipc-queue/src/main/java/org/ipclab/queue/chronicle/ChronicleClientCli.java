package org.ipclab.queue.chronicle;

import static org.ipclab.core.cli.CliOption.Type.PATH;
import static org.ipclab.core.cli.CliOption.Type.TEXT;
import static org.ipclab.core.cli.TransportCli.LAUNCHER;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.ipclab.core.ClientSettings;
import org.ipclab.core.cli.ClientAction;
import org.ipclab.core.cli.ClientCli;
import org.ipclab.core.cli.ClientStart;
import org.ipclab.core.cli.CliOption;
import org.ipclab.core.cli.CliValues;
import org.ipclab.core.cli.Payload;

/**
 * {@code ipc-lab client chronicle}: appends to the requests queue in {@code --dir} and reads the echo from the
 * responses queue. No server needs to run when the client sends: the request waits in the queue, and with
 * {@code --send-only} the client leaves it there for a server started later.
 */
final class ChronicleClientCli implements ClientCli {

    private static final String SEND_ONLY = "--send-only";
    private static final int CHUNK = 64 * 1024;

    @Override
    public List<String> description() {
        return List.of("Chronicle Queue echo client: appends the message to the requests queue in --dir and reads"
                + " its echo from the responses queue. With no server running the message waits in the queue:"
                + " start the server (in another terminal, within --timeout) and the echo arrives;"
                + " or use --send-only and let a later server answer it.");
    }

    @Override
    public List<CliOption> options() {
        return List.of(
                CliOption.required(ChronicleCli.DIR, "DIR", PATH, "The queue directory (the server prints it)."),
                CliOption.of(ChronicleCli.PAUSER, "busy|sleepy", TEXT, "sleepy",
                        "How the client waits for its echo: sleepy or busy (spins a full CPU). Default: ${DEFAULT-VALUE}."),
                CliOption.flag(SEND_ONLY, "Append the message(s) and exit without waiting for the echo. They stay in the queue"
                        + " until a server answers them, even one started later: its log shows the waiting requests."));
    }

    @Override
    public ClientStart start(CliValues values, Duration timeout, PrintStream out) {
        Path dir = values.path(ChronicleCli.DIR);
        ChroniclePauser pauser = ChronicleCli.pauser(values);
        String hint = LAUNCHER + " server chronicle --dir " + dir;
        boolean existed = Files.isDirectory(dir.resolve(ChronicleDirectory.REQUESTS));
        OptionalLong server = ChronicleDirectory.runningServerPid(dir);
        if (!existed) {
            out.println("Creating the queue in " + dir + " (no server has used this directory yet)");
        }
        ChronicleDirectory.lowSpaceWarning(dir).ifPresent(out::println);
        Map<String, String> options = Map.of(ChroniclePauser.OPTION, pauser.id());
        if (values.flag(SEND_ONLY)) {
            return new ClientStart(dir.toString(), options, hint, sendOnly(dir, server, hint));
        }
        if (server.isEmpty()) {
            out.println("No server is serving " + dir + " right now: the message waits in the queue until one starts ("
                    + hint + "); waiting up to " + timeout.toSeconds() + " s for the echo");
        }
        return new ClientStart(dir.toString(), options, hint, null);
    }

    /** Appends the payload {@code count} times, says who will answer it, and leaves without reading an echo. */
    private static ClientAction sendOnly(Path dir, OptionalLong server, String hint) {
        return (ClientSettings settings, Payload what, int count, PrintStream out) -> {
            try (ChronicleEchoClient client = ChronicleEchoClient.connect(dir, settings)) {
                for (int i = 0; i < count; i++) {
                    if (what.text() != null) {
                        client.send(what.text(), 0, what.text().length);
                    } else {
                        try (InputStream in = what.open()) {
                            byte[] chunk = new byte[CHUNK];
                            int n;
                            while ((n = in.readNBytes(chunk, 0, chunk.length)) > 0) {
                                client.send(chunk, 0, n);
                            }
                        }
                    }
                }
                client.finishSending();
                out.printf(Locale.ROOT, "Queued %s (%d bytes)%s as client %s in %s, without waiting for the echo%n",
                        what.description(), what.size(), count > 1 ? " " + count + " times" : "",
                        Long.toHexString(client.clientId()).substring(0, 8), dir);
            }
            out.println(server.isPresent()
                    ? "The server (pid " + server.getAsLong() + ") answers it; nobody reads that echo."
                    : "No server is serving " + dir + ": start one (" + hint + ") and it answers the waiting requests.");
            return 0;
        };
    }

    /*
     * A SIGBUS on a page of a mapped queue file (a full disk: see ChronicleDirectory.isNoSpace) that HotSpot reported
     * late, as an InternalError, after the client's own code had returned. On tmpfs even a read can do it: reading a
     * hole of a shared mapping allocates a page.
     */
    @Override
    public Optional<String> explain(Throwable error) {
        if (error instanceof InternalError) {
            return Optional.of("no space left for the queue (a page of a mapped queue file could not be backed: "
                    + error.getMessage() + "): free space or choose another --dir");
        }
        return Optional.empty();
    }
}
