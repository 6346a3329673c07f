package org.ipclab.comparison.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

import org.ipclab.core.ClientSettings;
import org.ipclab.core.EchoClient;
import org.ipclab.core.EchoServer;
import org.ipclab.core.EchoTransport;
import org.ipclab.core.ServerSettings;
import org.ipclab.queue.chronicle.ChronicleDirectory;
import org.ipclab.queue.chronicle.ChronicleEchoClient;
import org.ipclab.queue.chronicle.ChroniclePauser;
import org.ipclab.queue.chronicle.ChronicleTransport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ipc-lab client chronicle}: appends to the requests queue in {@code --dir} and reads the echo from
 * the responses queue. No server needs to run when the client sends: the request waits in the queue.
 */
@Command(name = "chronicle", mixinStandardHelpOptions = true,
        description = {"Chronicle Queue echo client: appends the message to the requests queue in --dir and reads"
                + " its echo from the responses queue. With no server running the message waits in the queue:"
                + " start the server (in another terminal, within --timeout) and the echo arrives;"
                + " or use --send-only and let a later server answer it."})
public final class ChronicleClientCommand implements Callable<Integer> {

    @Option(names = "--dir", paramLabel = "DIR", required = true,
            description = "The queue directory (the server prints it).")
    Path dir;

    @Option(names = "--pauser", paramLabel = "busy|sleepy", defaultValue = "sleepy",
            description = "How the client waits for its echo: sleepy or busy (spins a full CPU). Default: ${DEFAULT-VALUE}.")
    String pauser;

    @Option(names = "--send-only",
            description = "Append the message(s) and exit without waiting for the echo. They stay in the queue"
                    + " until a server answers them, even one started later: its log shows the waiting requests.")
    boolean sendOnly;

    @Mixin
    PayloadOptions payload;

    @Override
    public Integer call() {
        ChroniclePauser kind = parsePauser(pauser);
        String hint = IpcLabCommand.LAUNCHER + " server chronicle --dir " + dir;
        PrintStream out = System.out;
        boolean existed = Files.isDirectory(dir.resolve(ChronicleDirectory.REQUESTS));
        OptionalLong server = ChronicleDirectory.runningServerPid(dir);
        if (!existed) {
            out.println("Creating the queue in " + dir + " (no server has used this directory yet)");
        }
        ChronicleDirectory.lowSpaceWarning(dir).ifPresent(out::println);
        if (sendOnly) {
            return sendOnly(kind, server, hint);
        }
        if (server.isEmpty()) {
            out.println("No server is serving " + dir + " right now: the message waits in the queue until one starts ("
                    + hint + "); waiting up to " + payload.timeout.toSeconds() + " s for the echo");
        }
        try {
            return ClientRunner.run(withPauser(new ChronicleTransport(), kind), dir.toString(), payload, hint);
        } catch (InternalError e) {
            /* A SIGBUS on a page of a mapped queue file (a full disk: see ChronicleDirectory.isNoSpace) that
             * HotSpot reported late, after the client's own code had returned. On tmpfs even a read can do
             * it: reading a hole of a shared mapping allocates a page. */
            String message = "no space left for the queue in " + dir + " (a page of a mapped queue file could not be"
                    + " backed: " + e.getMessage() + "): free space or choose another --dir";
            throw new UncheckedIOException(message, new IOException(message, e));
        }
    }

    private int sendOnly(ChroniclePauser kind, OptionalLong server, String hint) {
        PayloadOptions.Payload what = payload.payload();
        ClientSettings settings = payload.clientSettings().withOptions(Map.of(ChroniclePauser.OPTION, kind.id()));
        PrintStream out = System.out;
        try (ChronicleEchoClient client = ChronicleEchoClient.connect(dir, settings)) {
            for (int i = 0; i < payload.count; i++) {
                if (what.text() != null) {
                    client.send(what.text(), 0, what.text().length);
                } else {
                    try (InputStream in = what.open()) {
                        byte[] chunk = new byte[ClientRunner.CHUNK];
                        int n;
                        while ((n = in.readNBytes(chunk, 0, chunk.length)) > 0) {
                            client.send(chunk, 0, n);
                        }
                    }
                }
            }
            client.finishSending();
            out.printf(Locale.ROOT, "Queued %s (%d bytes)%s as client %s in %s, without waiting for the echo%n",
                    what.description(), what.size(), payload.count > 1 ? " " + payload.count + " times" : "",
                    Long.toHexString(client.clientId()).substring(0, 8), dir);
        } catch (IOException e) {
            throw new UserError(e.getMessage());
        }
        out.println(server.isPresent()
                ? "The server (pid " + server.getAsLong() + ") answers it; nobody reads that echo."
                : "No server is serving " + dir + ": start one (" + hint + ") and it answers the waiting requests.");
        return ExitCodes.OK;
    }

    /** busy or sleepy; anything else is bad input naming both. */
    static ChroniclePauser parsePauser(String text) {
        try {
            return ChroniclePauser.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage() + " (--pauser)");
        }
    }

    /** The Chronicle transport with the pauser added to every client's options. */
    private static EchoTransport withPauser(ChronicleTransport chronicle, ChroniclePauser kind) {
        return new EchoTransport() {
            @Override
            public String id() {
                return chronicle.id();
            }

            @Override
            public String summary() {
                return chronicle.summary();
            }

            @Override
            public org.ipclab.core.TransportDescriptor descriptor() {
                return chronicle.descriptor();
            }

            @Override
            public org.ipclab.core.cli.TransportCli cli() {
                return chronicle.cli();
            }

            @Override
            public org.ipclab.core.experiments.TransportExperiments experiments() {
                return chronicle.experiments();
            }

            @Override
            public Optional<String> unavailableReason() {
                return chronicle.unavailableReason();
            }

            @Override
            public String scratchEndpoint(Path scratchDir) {
                return chronicle.scratchEndpoint(scratchDir);
            }

            @Override
            public EchoServer serve(String endpoint, ServerSettings settings) throws IOException {
                return chronicle.serve(endpoint, settings);
            }

            @Override
            public EchoClient connect(String endpoint, ClientSettings settings) throws IOException {
                Map<String, String> options = new HashMap<>(settings.options());
                options.put(ChroniclePauser.OPTION, kind.id());
                return chronicle.connect(endpoint, settings.withOptions(options));
            }
        };
    }
}
