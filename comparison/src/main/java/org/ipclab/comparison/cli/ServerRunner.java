package org.ipclab.comparison.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import org.ipclab.core.EchoServer;
import org.ipclab.core.EchoTransport;
import org.ipclab.core.ServerSettings;

import sun.misc.Signal;

/**
 * Runs a server in the foreground until Ctrl-C (SIGINT) or SIGTERM, then stops it cleanly: stop accepting,
 * close every connection, remove the files it made, exit 0.
 */
final class ServerRunner {

    private ServerRunner() {
    }

    /** Lines go to stdout, one at a time, as the lab's server prints them. */
    static Consumer<String> stdoutLog() {
        PrintStream out = System.out;
        return line -> {
            synchronized (out) {
                out.println(line);
            }
        };
    }

    /**
     * @param describe what to print once the server is up, given its resolved endpoint
     */
    static int run(EchoTransport transport, String endpoint, ServerSettings settings,
                   java.util.function.Function<EchoServer, String> describe) {
        EchoServer server;
        try {
            server = transport.serve(endpoint, settings);
        } catch (IOException e) {
            throw new UserError(e.getMessage());
        }
        CountDownLatch stop = new CountDownLatch(1);
        /* Ctrl-C sends SIGINT to the foreground process group; `kill <pid>` sends SIGTERM. We catch both and
         * close the server ourselves, so sockets are closed and socket files removed before we exit 0. */
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Thread watcher = new Thread(() -> {
            try {
                server.awaitTermination();
            } catch (InterruptedException ignored) {
                // we are shutting down anyway
            }
            stop.countDown();
        }, "server-watcher");
        watcher.setDaemon(true);
        watcher.start();
        settings.log().accept(describe.apply(server));
        settings.log().accept("Press Ctrl-C to stop.");
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            server.close();
        } catch (IOException e) {
            settings.log().accept("error while stopping: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        settings.log().accept("Server stopped.");
        return ExitCodes.OK;
    }
}
