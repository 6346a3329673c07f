package org.ipclab.comparison.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import org.ipclab.core.EchoServer;
import org.ipclab.core.EchoTransport;
import org.ipclab.core.ServerSettings;
import org.ipclab.core.cli.CliValues;
import org.ipclab.core.cli.ServerCli;
import org.ipclab.core.cli.ServerStart;

import sun.misc.Signal;

/**
 * Runs any transport's server in the foreground until Ctrl-C (SIGINT) or SIGTERM, then stops it cleanly: stop
 * accepting, close every connection, remove the files it made, exit 0.
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
     * @param connections the shared --idle-timeout and --max-connections, or null for a server that holds none
     */
    static int run(EchoTransport transport, CliValues values, ServerOptions connections) {
        ServerCli cli = transport.cli().server();
        ServerStart start = cli.start(values);
        BannerFirst log = new BannerFirst(stdoutLog(), Thread.currentThread());
        ServerSettings settings = (connections == null ? ServerSettings.defaults() : connections.toSettings())
                .withBacklog(start.backlog())
                .withOptions(start.options())
                .withLog(log);
        EchoServer server;
        try {
            server = transport.serve(start.endpoint(), settings);
        } catch (IOException e) {
            throw new UserError(cli.explainFailure(e.getMessage(), values));
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
        log.releaseLater();
        log.accept(start.banner().apply(server));
        log.accept(BannerFirst.LAST_BANNER_LINE);
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            server.close();
        } catch (IOException e) {
            log.accept("error while stopping: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        log.accept("Server stopped.");
        return ExitCodes.OK;
    }
}
