package org.ipclab.comparison.across;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.ipclab.comparison.cli.ExitCodes;
import org.ipclab.comparison.cli.UserError;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ipc-lab agent}: host B's side of {@code compare --remote}. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Run on a second machine (host B): listen for ./ipc-lab compare --remote on the address given, "
                + "and start ipc-lab's tcp and udp echo servers there when a client with the token asks; stop them "
                + "when it is done. It starts nothing else.",
            "Stop it with Ctrl-C. The token travels in the clear: use it on a lab network you control."})
public final class AgentCommand implements Callable<Integer> {

    @Option(names = "--bind", paramLabel = "ADDR[:PORT]", required = true,
            description = "The one address to listen on, e.g. 192.0.2.7 or 192.0.2.7:7707 (port default: "
                    + AgentProtocol.DEFAULT_PORT + ").")
    String bind;

    @Option(names = "--token-file", paramLabel = "FILE", required = true,
            description = "A file only you may read (chmod 600) holding the shared token.")
    Path tokenFile;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "4",
            description = "Control connections at once (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--idle-timeout", paramLabel = "TIME", defaultValue = "60s",
            description = "A control connection that says nothing this long is closed, and its servers stopped "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Override
    public Integer call() throws IOException, InterruptedException {
        InetSocketAddress address = parseAddress(bind);
        if (maxConnections < 1 || maxConnections > 64) {
            throw new UserError("--max-connections must be between 1 and 64, not " + maxConnections);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new UserError("--idle-timeout must be more than 0");
        }
        String token = AgentProtocol.readToken(tokenFile);
        Agent agent;
        try {
            agent = Agent.start(address, token, maxConnections, idleTimeout, System.err::println);
        } catch (IOException e) {
            System.err.println("ipc-lab: the agent cannot listen on " + bind + ": " + e.getMessage()
                    + (String.valueOf(e.getMessage()).contains("in use") ? "; see who holds it with: ss -ltnp" : "")
                    + (String.valueOf(e.getMessage()).contains("assign") ? "; --bind takes an address of this machine"
                    + " (ip -brief addr)" : ""));
            return ExitCodes.BAD_INPUT;
        }
        if (address.getAddress().isAnyLocalAddress()) {
            System.err.println("ipc-lab: warning: " + bind + " listens on every interface of this machine");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "ipclab-agent-stop"));
        System.out.println("ipc-lab agent listening on " + agent.address() + "; from host A run: ./ipc-lab compare "
                + "--remote " + agent.address() + " --token-file FILE");
        System.out.flush();
        stopped.await();
        return ExitCodes.OK;
    }

    /** "ADDR" or "ADDR:PORT" ("[::1]:7707" for IPv6), the port defaulting to {@value AgentProtocol#DEFAULT_PORT}. */
    static InetSocketAddress parseAddress(String text) {
        String t = text.strip();
        boolean hasPort = t.startsWith("[") ? t.contains("]:") : t.indexOf(':') >= 0 && t.indexOf(':') == t.lastIndexOf(':');
        String withPort = hasPort ? t : (t.contains(":") && !t.startsWith("[") ? "[" + t + "]" : t) + ":" + AgentProtocol.DEFAULT_PORT;
        try {
            InetSocketAddress parsed = org.ipclab.core.HostPort.parse(withPort);
            /* getaddrinfo(3) for a name; an address literal is taken as it is. */
            InetSocketAddress address = new InetSocketAddress(parsed.getHostString(), parsed.getPort());
            if (address.isUnresolved()) {
                throw new UserError("cannot resolve the host in '" + text + "'; give an address such as 192.0.2.7");
            }
            return address;
        } catch (IllegalArgumentException e) {
            throw new UserError("'" + text + "' is not ADDR or ADDR:PORT (" + e.getMessage() + ")");
        }
    }
}
