package org.ipclab.socket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.experiments.Cell;
import org.ipclab.core.experiments.ChildJvm;
import org.ipclab.core.experiments.ChildSide;
import org.ipclab.core.experiments.Libc;

/**
 * Shows that a TCP listener is reachable from "another host": two network namespaces stand in for two machines.
 *
 * <p>A network namespace (network_namespaces(7)) is a whole network stack of its own: interfaces, addresses,
 * routes, ports. A veth pair (veth(4)) is a virtual cable whose two ends are put in the two namespaces. A server
 * in namespace A and a client in namespace B share no socket, file or memory: only packets over the cable, exactly
 * as two hosts on a LAN. The host's own interfaces, addresses and routes are never touched: the veth ends are
 * created directly inside the namespaces, and deleting a namespace deletes its end of the cable.
 *
 * <p>Needs root and iproute2's {@code ip}. Watch it while it runs: {@code ip netns list},
 * {@code ip -n <ns> addr}, {@code ip netns exec <ns> ss -tn}.
 */
final class NetnsReachability {

    /** Every namespace made here is named ipclab-props-&lt;random&gt;-a/-b: `ip netns list` shows whose they are. */
    static final String PREFIX = "ipclab-props-";
    static final String VALUE = "any host that can reach its address:port";
    static final String SERVER_ADDRESS = "10.201.0.1";
    static final String CLIENT_ADDRESS = "10.201.0.2";
    static final int ECHO_BYTES = 64;
    private static final long IP_TIMEOUT_MS = 5_000;

    private NetnsReachability() {
    }

    static Cell probe() {
        long uid = Libc.POSIX.isNative() ? Libc.POSIX.getuid() : -1;
        if (uid != 0) {
            return Cell.notDemonstrated(VALUE, "not demonstrated: needs root and ip netns (this run is uid " + uid
                    + "); a TCP listener bound to a non-loopback address accepts connections from any host that can route to it.");
        }
        String suffix = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        String a = PREFIX + suffix + "-a";
        String b = PREFIX + suffix + "-b";
        List<String> created = new ArrayList<>();
        try {
            /* ip netns add: a new, empty network stack (only a loopback interface, down) named under /run/netns. */
            ip("netns", "add", a);
            created.add(a);
            ip("netns", "add", b);
            created.add(b);
            /* A veth pair created with each end already inside its namespace: the host never sees either end. */
            ip("link", "add", "ipclab0", "netns", a, "type", "veth", "peer", "name", "ipclab1", "netns", b);
            ip("-n", a, "addr", "add", SERVER_ADDRESS + "/30", "dev", "ipclab0");
            ip("-n", b, "addr", "add", CLIENT_ADDRESS + "/30", "dev", "ipclab1");
            ip("-n", a, "link", "set", "ipclab0", "up");
            ip("-n", b, "link", "set", "ipclab1", "up");
            try (ChildJvm server = ChildJvm.start(List.of("ip", "netns", "exec", a), TcpDescriptor.INSTANCE.id(), SocketChild.ECHO, SERVER_ADDRESS)) {
                String port = server.awaitLine(ChildSide.READY, ChildJvm.START_TIMEOUT);
                String clientSaw;
                try (ChildJvm client = ChildJvm.start(List.of("ip", "netns", "exec", b), TcpDescriptor.INSTANCE.id(), SocketChild.CONNECT, SERVER_ADDRESS,
                        port, String.valueOf(ECHO_BYTES))) {
                    clientSaw = client.awaitLine(ChildSide.ECHOED, ChildJvm.START_TIMEOUT);
                }
                String serverSaw = server.awaitLine(ChildSide.ECHOED, SocketIo.TIMEOUT);
                return Cell.measured(VALUE,
                        "Two network namespaces joined by a veth pair stood in for two hosts: a server process in "
                                + a + " listening on " + SERVER_ADDRESS + ":" + port + " echoed " + serverSaw
                                + ", and the client process in " + b + " reported " + clientSaw + ". Only packets "
                                + "crossed; the address and port are all a client needs.");
            }
        } catch (IOException e) {
            return Cell.notDemonstrated(VALUE, "not demonstrated: needs root and ip netns; here " + e.getMessage());
        } finally {
            for (String ns : created) {
                try {
                    /* ip netns del: removes the namespace; its veth end (and so the whole pair) goes with it. */
                    ip("netns", "del", ns);
                } catch (IOException ignored) {
                    // reported by leftovers(): the caller checks that no ipclab namespace remains
                }
            }
        }
    }

    /** Network namespaces of these experiments that exist now (none should, after a run). */
    static List<String> leftovers() {
        try {
            List<String> left = new ArrayList<>();
            for (String line : ip("netns", "list").split("\n")) {
                String name = line.trim().split("\\s+")[0];
                if (name.startsWith(PREFIX)) {
                    left.add(name);
                }
            }
            return left;
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String ip(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("`ip` could not be started (" + e.getMessage() + "); install iproute2");
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(IP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("`" + String.join(" ", command) + "` did not finish within " + IP_TIMEOUT_MS + " ms");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.exitValue() != 0) {
                throw new IOException("`" + String.join(" ", command) + "` failed: " + output);
            }
            return output;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running ip", e);
        } finally {
            process.getInputStream().close();
        }
    }
}
