package org.ipclab.comparison.across;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.ipclab.core.Closer;
import org.ipclab.core.EchoServer;
import org.ipclab.core.HostPort;
import org.ipclab.core.ServerSettings;
import org.ipclab.core.Transports;

/**
 * {@code ./ipc-lab agent} on host B: a control socket on the address given, which starts ipc-lab's own tcp and udp
 * echo servers on request (on ports the kernel picks), and stops them when asked or when the control connection
 * ends. It runs nothing else. Every control connection must first present the token ({@link AgentProtocol}); it is
 * bounded in number ({@code maxConnections}), in idle time ({@code idle}) and in the servers it may start
 * ({@value #MAX_SERVERS_PER_CONNECTION}). Watch it with {@code ss -ltnup} on host B.
 */
final class Agent implements AutoCloseable {

    static final int MAX_SERVERS_PER_CONNECTION = 4;
    /** Clients one echo server accepts at once. */
    static final int ECHO_MAX_CONNECTIONS = 16;

    private final ServerSocket control;
    private final String token;
    private final int maxConnections;
    private final Duration idle;
    private final Consumer<String> log;
    private final AtomicInteger active = new AtomicInteger();
    private final Map<Socket, Map<Integer, EchoServer>> servers = new LinkedHashMap<>();
    private final Thread acceptor;
    private volatile boolean closed;

    private Agent(ServerSocket control, String token, int maxConnections, Duration idle, Consumer<String> log) {
        this.control = control;
        this.token = token;
        this.maxConnections = maxConnections;
        this.idle = idle;
        this.log = log;
        this.acceptor = new Thread(this::accept, "ipclab-agent-accept");
        acceptor.setDaemon(true);
    }

    /** Binds the control socket to {@code bind} (only that address) and starts accepting. */
    static Agent start(InetSocketAddress bind, String token, int maxConnections, Duration idle, Consumer<String> log)
            throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            /* bind(2) to the one address given, listen(2) with a small backlog: connections beyond the cap are
             * accepted only to be told so. */
            socket.bind(bind, 8);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        Agent agent = new Agent(socket, token, maxConnections, idle, log);
        agent.acceptor.start();
        return agent;
    }

    /** Where the control socket listens: "198.18.0.2:7707". */
    String address() {
        return HostPort.format((InetSocketAddress) control.getLocalSocketAddress());
    }

    private void accept() {
        while (!closed) {
            Socket connection;
            try {
                connection = control.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.accept("agent: accept failed: " + e.getMessage());
                }
                return;
            }
            if (active.incrementAndGet() > maxConnections) {
                active.decrementAndGet();
                refuse(connection, "busy: already " + maxConnections + " control connections (--max-connections)");
                continue;
            }
            Thread session = new Thread(() -> {
                try {
                    serve(connection);
                } finally {
                    active.decrementAndGet();
                }
            }, "ipclab-agent " + connection.getRemoteSocketAddress());
            session.setDaemon(true);
            session.start();
        }
    }

    private void refuse(Socket connection, String why) {
        try (connection) {
            connection.getOutputStream().write((AgentProtocol.DENIED + " " + why + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException ignored) {
            // the peer is gone already: nothing to tell
        }
        log.accept("agent: refused " + connection.getRemoteSocketAddress() + ": " + why);
    }

    /** One control connection: the token, then START / STOP / BYE, each answered by one line. */
    private void serve(Socket connection) {
        String peer = String.valueOf(connection.getRemoteSocketAddress());
        Map<Integer, EchoServer> mine = new LinkedHashMap<>();
        synchronized (servers) {
            servers.put(connection, mine);
        }
        try (connection) {
            /* SO_RCVTIMEO via setSoTimeout: a read that waits longer than the idle time ends the connection. */
            connection.setSoTimeout((int) Math.min(Integer.MAX_VALUE, idle.toMillis()));
            InputStream in = connection.getInputStream();
            OutputStream out = connection.getOutputStream();
            String hello = readLine(in);
            if (hello == null || !hello.startsWith("HELLO ") || !AgentProtocol.sameToken(token, hello.substring(6))) {
                reply(out, AgentProtocol.DENIED + " wrong token");
                log.accept("agent: refused " + peer + ": wrong token");
                return;
            }
            reply(out, AgentProtocol.OK + " agent 1");
            log.accept("agent: " + peer + " presented the token");
            for (String line; (line = readLine(in)) != null; ) {
                String answer = command(line, mine, peer);
                reply(out, answer);
                if (line.equals("BYE")) {
                    return;
                }
            }
        } catch (SocketTimeoutException e) {
            log.accept("agent: " + peer + " was idle for more than " + idle.toMillis() + " ms; closed it");
        } catch (IOException e) {
            log.accept("agent: " + peer + ": " + e.getMessage());
        } finally {
            synchronized (servers) {
                servers.remove(connection);
            }
            stopAll(mine, peer);
        }
    }

    private String command(String line, Map<Integer, EchoServer> mine, String peer) {
        String[] words = line.split(" ");
        if (words[0].equals("BYE") && words.length == 1) {
            return AgentProtocol.OK;
        }
        if (words[0].equals("START") && words.length == 2) {
            if (!AgentProtocol.TRANSPORTS.contains(words[1])) {
                return "ERR the agent serves only " + String.join(" and ", AgentProtocol.TRANSPORTS);
            }
            if (mine.size() >= MAX_SERVERS_PER_CONNECTION) {
                return "ERR already " + MAX_SERVERS_PER_CONNECTION + " servers on this connection; STOP one first";
            }
            try {
                String endpoint = HostPort.format(new InetSocketAddress(control.getInetAddress(), 0));
                EchoServer server = Transports.byId(words[1]).serve(endpoint, ServerSettings.defaults()
                        .withMaxConnections(ECHO_MAX_CONNECTIONS).withIdleTimeout(idle).withLog(line2 -> { }));
                int port = HostPort.parse(server.endpoint()).getPort();
                mine.put(port, server);
                log.accept("agent: " + words[1] + " echo server on " + server.endpoint() + " for " + peer);
                return AgentProtocol.OK + " " + port;
            } catch (IOException | RuntimeException e) {
                return "ERR could not start " + words[1] + ": " + e.getMessage();
            }
        }
        if (words[0].equals("STOP") && words.length == 2) {
            EchoServer server;
            try {
                server = mine.remove(Integer.parseInt(words[1]));
            } catch (NumberFormatException e) {
                server = null;
            }
            if (server == null) {
                return "ERR no server of this connection on port " + words[1];
            }
            Closer.closeQuietly(null, server);
            return AgentProtocol.OK;
        }
        return "ERR unknown command; say START tcp|udp, STOP <port> or BYE";
    }

    private void stopAll(Map<Integer, EchoServer> mine, String peer) {
        for (EchoServer server : mine.values()) {
            Closer.closeQuietly(null, server);
        }
        if (!mine.isEmpty()) {
            log.accept("agent: stopped the " + mine.size() + " server(s) of " + peer);
        }
        mine.clear();
    }

    /** One line of at most {@value AgentProtocol#MAX_LINE} bytes, without its newline; null at end of stream. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                return line.toString(StandardCharsets.US_ASCII).strip();
            }
            if (line.size() >= AgentProtocol.MAX_LINE) {
                throw new IOException("a line longer than " + AgentProtocol.MAX_LINE + " bytes");
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII).strip();
    }

    static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Stops accepting, ends every control connection and stops every echo server it started. */
    @Override
    public void close() {
        closed = true;
        Closer.closeQuietly(null, control);
        synchronized (servers) {
            for (Map.Entry<Socket, Map<Integer, EchoServer>> e : servers.entrySet()) {
                Closer.closeQuietly(null, e.getKey());
                e.getValue().values().forEach(s -> Closer.closeQuietly(null, s));
            }
            servers.clear();
        }
    }
}
