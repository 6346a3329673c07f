package org.ipclab.core.experiments;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.ipclab.core.EchoTransport;
import org.ipclab.core.Transports;

/**
 * The second process of the property experiments ({@link ChildJvm} starts it):
 * {@code PropertyChildMain <transport> <mode> args}. It finds the transport in the registry and hands the mode to
 * its experiments ({@link TransportExperiments#child}), which speak in {@link ChildSide} lines on stdout.
 *
 * <p>Exits when its stdin reaches end of file (the parent closed it or died) or after {@link ChildSide#MAX_LIFETIME}.
 */
public final class PropertyChildMain {

    private PropertyChildMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: PropertyChildMain <transport> <mode> [args...]; transports: "
                    + String.join(", ", Transports.ids()));
            System.exit(2);
        }
        Optional<EchoTransport> transport = Transports.find(args[0]);
        if (transport.isEmpty()) {
            ChildSide.say(ChildSide.FAILED + "unknown transport " + args[0] + "; known: "
                    + String.join(", ", Transports.ids()));
            System.exit(2);
        }
        exitWhenParentGoes();
        List<String> rest = Arrays.asList(args).subList(2, args.length);
        try {
            transport.get().experiments().child(args[1], rest);
        } catch (IllegalArgumentException e) {
            ChildSide.say(ChildSide.FAILED + e.getMessage());
            System.exit(2);
        } catch (IOException | RuntimeException e) {
            ChildSide.say(ChildSide.FAILED + e);
            System.exit(1);
        }
    }

    /** The parent holds our stdin: end of file means it closed it or died, and we must not outlive it. */
    private static void exitWhenParentGoes() {
        Thread watcher = new Thread(() -> {
            InputStream in = System.in;
            byte[] sink = new byte[64];
            try {
                while (in.read(sink) >= 0) {
                    // the parent never writes; we only wait for end of file
                }
            } catch (IOException ignored) {
                // a broken stdin means the same as end of file
            }
            System.exit(0);
        }, "stdin-watcher");
        watcher.setDaemon(true);
        watcher.start();
        Thread limit = new Thread(() -> {
            try {
                Thread.sleep(ChildSide.MAX_LIFETIME.toMillis());
            } catch (InterruptedException ignored) {
                // fall through to exit
            }
            System.exit(3);
        }, "lifetime-limit");
        limit.setDaemon(true);
        limit.start();
    }
}
