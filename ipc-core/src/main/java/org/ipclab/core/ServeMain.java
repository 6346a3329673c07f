package org.ipclab.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs one transport's echo server in its own JVM, for {@link ForkedPeer}:
 * {@code ServeMain <transport-id> <endpoint> [name=value ...]}.
 *
 * <p>Prints {@code READY <endpoint>} on stdout when clients can connect, logs to stderr, and stops when
 * stdin reaches end of file (the parent closed it, or died) or on SIGTERM.
 */
public final class ServeMain {

    public static final String READY = "READY ";
    /** The option that sets the listen(2) backlog of a socket server (the same for every transport). */
    public static final String BACKLOG_OPTION = "backlog";
    /** The option that sets how many connections a server holds at once (the same for every transport). */
    public static final String MAX_CONNECTIONS_OPTION = "max-connections";

    private ServeMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ServeMain <transport-id> <endpoint> [name=value ...]");
            System.exit(2);
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                System.err.println("ServeMain: option '" + args[i] + "' is not name=value");
                System.exit(2);
            }
            options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        PrintStream out = System.out;
        PrintStream err = System.err;
        // Nothing but READY may reach our stdout: some libraries print banners there.
        System.setOut(err);
        EchoTransport transport = Transports.byId(args[0]);
        ServerSettings settings = ServerSettings.defaults().withLog(err::println).withOptions(options);
        if (options.containsKey(BACKLOG_OPTION)) {
            settings = settings.withBacklog(Integer.parseInt(options.get(BACKLOG_OPTION)));
        }
        if (options.containsKey(MAX_CONNECTIONS_OPTION)) {
            settings = settings.withMaxConnections(Integer.parseInt(options.get(MAX_CONNECTIONS_OPTION)));
        }
        EchoServer server;
        try {
            server = transport.serve(args[1], settings);
        } catch (IOException e) {
            err.println(transport.id() + " server: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Closer.closeQuietly(null, server), "serve-shutdown"));
        out.println(READY + server.endpoint());
        out.flush();
        InputStream in = System.in;
        byte[] sink = new byte[256];
        while (in.read(sink) >= 0) {
            // the parent never writes; we only wait for end of file
        }
        server.close();
        System.exit(0);
    }
}
