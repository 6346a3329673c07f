package org.ipclab.comparison.across;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.ipclab.comparison.cli.UserError;
import org.ipclab.core.HostPort;
import org.ipclab.core.JvmFlags;
import org.ipclab.report.model.NetworkResult;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code compare --remote}: the network transports measured against a real second host. The agent there
 * ({@link Agent}) starts a tcp and then a udp echo server for us; the same measuring clients as across the emulated
 * link ({@link AcrossClientMain}, {@link AcrossUdpClientMain}) run here against them. Nothing is emulated: the
 * link's round trip, rate and loss are whatever the network has, so the rows carry 0 for them and
 * {@code remote: true}.
 */
public final class RemoteMeasurement {

    static final String EMULATOR = "none: a real network";
    /** The link of a real network is not configured: the rows say 0 for its round trip, rate and loss. */
    private static final DelayLine.Profile UNKNOWN = new DelayLine.Profile(0, 0, 0);
    private static final int CONTROL_TIMEOUT_MS = 30_000;

    private RemoteMeasurement() {
    }

    /**
     * Measures tcp and udp against the agent at {@code agent}. A wrong token is bad input ({@link UserError});
     * an agent that cannot be reached within {@code connectTimeoutMs} is an IOException saying so.
     */
    static AcrossMeasurement.Outcome measure(InetSocketAddress agent, String token, int count, long streamMs,
                                             int connectTimeoutMs, Consumer<String> log) throws IOException {
        List<NetworkResult> rows = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        String where = HostPort.format(agent);
        try (Socket control = new Socket()) {
            try {
                /* connect(2) to the agent's control port, bounded: a host that drops SYNs is given up on in time. */
                control.connect(agent, connectTimeoutMs);
            } catch (IOException e) {
                throw new IOException("cannot reach the agent at " + where + " (" + e.getMessage() + "); start it on"
                        + " the other host with: ./ipc-lab agent --bind " + where + " --token-file FILE", e);
            }
            control.setSoTimeout(CONTROL_TIMEOUT_MS);
            InputStream in = control.getInputStream();
            OutputStream out = control.getOutputStream();
            String hello = ask(in, out, "HELLO " + token, where);
            if (hello.startsWith(AgentProtocol.DENIED)) {
                throw new UserError("the agent at " + where + " refused: " + hello.substring(AgentProtocol.DENIED.length()).strip()
                        + "; give --token-file the token the agent was started with");
            }
            log.accept("the agent at " + where + " accepted the token");
            for (String transport : AcrossMeasurement.TRANSPORTS) {
                int port = start(in, out, transport, where);
                String host = agent.getAddress().getHostAddress();
                List<String> lines;
                if (transport.equals("tcp")) {
                    long boundMs = 60_000 + count * AcrossMeasurement.SIZES.size() * 1_000L + streamMs;
                    lines = AcrossRun.client(JvmFlags.javaCommand(List.of("-Dipclab.across.streamMs=" + streamMs),
                            AcrossClientMain.class.getName(), AcrossRun.clientArgs(host, port,
                                    List.of(String.valueOf(count)), AcrossMeasurement.SIZES)), "the tcp client", boundMs);
                } else {
                    long waitMs = AcrossMeasurement.udpWaitMs(UNKNOWN);
                    long boundMs = 60_000 + count * AcrossMeasurement.UDP_SIZES.size() * (waitMs + 50);
                    lines = AcrossRun.client(JvmFlags.javaCommand(List.of(), AcrossUdpClientMain.class.getName(),
                            AcrossRun.clientArgs(host, port, List.of(String.valueOf(count), String.valueOf(waitMs)),
                                    AcrossMeasurement.UDP_SIZES)), "the udp client", boundMs);
                }
                for (String line : lines) {
                    rows.add(AcrossMeasurement.row(UNKNOWN, json.readTree(line), true, EMULATOR));
                }
                ask(in, out, "STOP " + port, where);
            }
            ask(in, out, "BYE", where);
        }
        return new AcrossMeasurement.Outcome(rows, List.of("Measured: against the agent at " + where
                + " over a real network; nothing was emulated."));
    }

    /**
     * {@code compare --remote HOST[:PORT] --token-file FILE}: measures, writes results.json, REPORT.md and charts/
     * into {@code out}, prints one line per row; returns the exit code.
     */
    public static int compare(String remote, java.nio.file.Path tokenFile, String mode, java.nio.file.Path out)
            throws IOException {
        if (tokenFile == null) {
            throw new UserError("--remote needs --token-file FILE: the file holding the token the agent was started with");
        }
        InetSocketAddress agent = AgentCommand.parseAddress(remote);
        String token = AgentProtocol.readToken(tokenFile);
        int count = AcrossMeasurement.roundTrips(mode);
        long streamMs = AcrossMeasurement.streamMs(mode);
        long started = System.nanoTime();
        String startedAt = java.time.Instant.now().toString();
        AcrossMeasurement.Outcome outcome;
        try {
            outcome = measure(agent, token, count, streamMs, 5_000, line -> System.err.println("ipc-lab: " + line));
        } catch (IOException e) {
            System.err.println("ipc-lab: " + e.getMessage());
            return org.ipclab.comparison.cli.ExitCodes.FAILED;
        }
        java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("remote", HostPort.format(agent));
        settings.put("roundTripsPerSize", String.valueOf(count));
        settings.put("streamMs", String.valueOf(streamMs));
        org.ipclab.report.model.Results.RunInfo run = new org.ipclab.report.model.Results.RunInfo(startedAt,
                (System.nanoTime() - started) / 1e9, mode, settings, "ipc-lab compare --remote",
                org.ipclab.comparison.cli.IpcLabCommand.Version.version());
        java.nio.file.Path report = org.ipclab.report.NetworkSection.write(AcrossMeasurement.results(run, outcome), out);
        for (NetworkResult r : outcome.rows()) {
            System.out.println(AcrossCommand.describe(r));
        }
        System.out.println("Report: " + report.toAbsolutePath());
        return org.ipclab.comparison.cli.ExitCodes.OK;
    }

    private static int start(InputStream in, OutputStream out, String transport, String where) throws IOException {
        String answer = ask(in, out, "START " + transport, where);
        if (!answer.startsWith(AgentProtocol.OK + " ")) {
            throw new IOException("the agent at " + where + " could not start " + transport + ": " + answer);
        }
        return Integer.parseInt(answer.substring(3).strip());
    }

    private static String ask(InputStream in, OutputStream out, String line, String where) throws IOException {
        Agent.reply(out, line);
        String answer = Agent.readLine(in);
        if (answer == null) {
            throw new IOException("the agent at " + where + " closed the control connection");
        }
        return answer;
    }
}
