package org.ipclab.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An echo peer in a child JVM of its own: {@code java ... org.ipclab.core.ServeMain <id> <endpoint>}.
 *
 * <p>The child prints {@code READY <endpoint>} on stdout once clients can connect and then serves until
 * its stdin reaches end of file, which happens when we close it <em>or when this JVM dies</em>: the
 * kernel closes our end of the pipe, so a peer never outlives the run that started it.
 */
public final class ForkedPeer implements EchoPeer {

    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);

    /**
     * @param commandPrefix e.g. {@code [taskset, -c, 1]} to pin the peer to a CPU; empty for none
     * @param jvmFlags      extra JVM flags for the child (the common ones are always added)
     * @param options       transport-specific settings passed to the server
     * @param stderr        where the child's log goes
     */
    public record Options(List<String> commandPrefix, List<String> jvmFlags, Map<String, String> options,
                          Redirect stderr, Duration startTimeout) {
        public static Options defaults() {
            return new Options(List.of(), List.of(), Map.of(), Redirect.INHERIT, DEFAULT_START_TIMEOUT);
        }

        public Options withCommandPrefix(List<String> prefix) {
            return new Options(prefix, jvmFlags, options, stderr, startTimeout);
        }

        public Options withJvmFlags(List<String> flags) {
            return new Options(commandPrefix, flags, options, stderr, startTimeout);
        }

        public Options withOptions(Map<String, String> newOptions) {
            return new Options(commandPrefix, jvmFlags, newOptions, stderr, startTimeout);
        }

        public Options withStderr(Redirect redirect) {
            return new Options(commandPrefix, jvmFlags, options, redirect, startTimeout);
        }
    }

    private final EchoTransport transport;
    private final ChildProcess child;
    private final String endpoint;

    private ForkedPeer(EchoTransport transport, ChildProcess child, String endpoint) {
        this.transport = transport;
        this.child = child;
        this.endpoint = endpoint;
    }

    public static ForkedPeer start(EchoTransport transport, String endpoint) throws IOException {
        return start(transport, endpoint, Options.defaults());
    }

    public static ForkedPeer start(EchoTransport transport, String endpoint, Options options) throws IOException {
        List<String> args = new ArrayList<>();
        args.add(transport.id());
        args.add(endpoint);
        options.options().forEach((k, v) -> args.add(k + "=" + v));
        List<String> command = new ArrayList<>(options.commandPrefix());
        command.addAll(JvmFlags.javaCommand(options.jvmFlags(), ServeMain.class.getName(), args));

        /* fork(2) + execve(2): a new process running a new JVM. Its stdin and stdout are pipes to us
         * (pipe2(2)); watch them with `ls -l /proc/<pid>/fd`, or the whole start with
         * `strace -f -e trace=pipe2,clone,execve`. */
        Process process = new ProcessBuilder(command).redirectError(options.stderr()).start();
        ChildProcess child = new ChildProcess(process, transport.id() + " server (pid " + process.pid() + ")");
        BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = stdout.readLine()) != null) {
                    if (line.startsWith(ServeMain.READY)) {
                        return line.substring(ServeMain.READY.length()).trim();
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        try {
            String resolved = ready.get(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (resolved == null) {
                process.waitFor(2, TimeUnit.SECONDS);
                throw new IOException(transport.id() + " server did not start: " + child.describeExit());
            }
            return new ForkedPeer(transport, child, resolved);
        } catch (TimeoutException e) {
            Closer.closeQuietly(e, child);
            throw new IOException(transport.id() + " server did not report ready within " + options.startTimeout());
        } catch (InterruptedException e) {
            Closer.closeQuietly(e, child);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the " + transport.id() + " server", e);
        } catch (ExecutionException | IOException e) {
            Closer.closeQuietly(e, child);
            throw e instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    @Override
    public EchoTransport transport() {
        return transport;
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    public long pid() {
        return child.pid();
    }

    public ChildProcess child() {
        return child;
    }

    @Override
    public void close() throws IOException {
        child.close();
    }

    @Override
    public String toString() {
        return transport.id() + " peer at " + endpoint + " (pid " + child.pid() + ")";
    }
}
