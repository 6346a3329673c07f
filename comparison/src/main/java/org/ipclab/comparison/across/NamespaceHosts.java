package org.ipclab.comparison.across;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.ipclab.comparison.backlog.NamespaceVariants;
import org.ipclab.core.FileTrees;

/**
 * Two hosts: network namespaces {@code ipclab-a-<random>} and {@code ipclab-b-<random>} (each its own interfaces,
 * addresses, routes and ports: network_namespaces(7)), joined by a {@link DelayLine}. Everything is removed by
 * {@link #close()}, and by a shutdown hook when the JVM is ended by SIGTERM or Ctrl-C first. Watch it with
 * {@code ip netns list} and {@code ip -n ipclab-a-... addr}.
 */
public final class NamespaceHosts implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    public final String a;
    public final String b;
    private final List<String> created = new ArrayList<>();
    private final Path workDir;
    private final Thread hook = new Thread(this::close, "ipclab-across-cleanup");
    private DelayLine link;
    private boolean closed;

    private NamespaceHosts(Path workDir) {
        String suffix = HexFormat.of().formatHex(RANDOM.generateSeed(4));
        this.a = "ipclab-a-" + suffix;
        this.b = "ipclab-b-" + suffix;
        this.workDir = workDir;
    }

    /** Why two hosts cannot be made here, or null when they can. */
    public static String unavailableReason() {
        if (!NamespaceVariants.isRoot()) {
            return "needs root to make network namespaces and TUN devices (ip netns add); run it as root (sudo)";
        }
        if (NamespaceVariants.which("ip") == null) {
            return "'ip' was not found; install iproute2";
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return "/dev/net/tun is missing; load the tun module (modprobe tun)";
        }
        return null;
    }

    /** Makes both namespaces (loopback up) and the link between them. */
    public static NamespaceHosts start(DelayLine.Profile profile) throws IOException {
        NamespaceHosts hosts = new NamespaceHosts(Files.createTempDirectory("ipc-lab-across-"));
        Runtime.getRuntime().addShutdownHook(hosts.hook);
        try {
            Path binary = DelayLine.compile(hosts.workDir);
            for (String ns : List.of(hosts.a, hosts.b)) {
                /* ip netns add: a new, empty network stack named by a file under /run/netns. */
                NamespaceVariants.command("create the network namespace " + ns, DelayLine.ip(), "netns", "add", ns);
                hosts.created.add(ns);
                NamespaceVariants.command("bring loopback up in " + ns, DelayLine.ip(), "-n", ns, "link", "set", "lo", "up");
            }
            hosts.link = DelayLine.start(binary, hosts.a, hosts.b, profile);
            return hosts;
        } catch (IOException | RuntimeException e) {
            hosts.close();
            throw e;
        }
    }

    public DelayLine link() {
        return link;
    }

    /** {@code ip netns exec NAME} followed by the command: it runs inside that host. */
    public static List<String> inside(String namespace, List<String> command) {
        List<String> full = new ArrayList<>(List.of(DelayLine.ip(), "netns", "exec", namespace));
        full.addAll(command);
        return full;
    }

    /** Stops the link, deletes both namespaces and the work directory; idempotent, also from the shutdown hook. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (link != null) {
            link.close();
        }
        for (String ns : created) {
            try {
                /* ip netns del: the namespace goes once no process is inside it any more. */
                NamespaceVariants.command("delete the network namespace " + ns, DelayLine.ip(), "netns", "del", ns);
            } catch (IOException e) {
                System.err.println("ipc-lab: " + e.getMessage() + "; delete it with: ip netns del " + ns);
            }
        }
        try {
            FileTrees.delete(workDir);
        } catch (IOException ignored) {
            // a temporary directory left behind, nothing worse
        }
        if (Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down: the hook runs close(), which returns at once
            }
        }
    }
}
