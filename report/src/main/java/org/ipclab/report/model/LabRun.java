package org.ipclab.report.model;

import java.util.List;

/**
 * The lab's own program, run as the lab runs it: the listed echo server in one process, the listed client in
 * another, each printing what the lab's Python programs print. The report shows these lines under Results.
 *
 * @param host           the address both used, 127.0.0.1
 * @param port           the port the server was given as its first argument (a free ephemeral one)
 * @param serverCommand  the server's command line, word by word, as a reader types it: {@code java} for the full
 *                       path of the JVM and the class path as its file name, e.g.
 *                       {@code java -cp ipc-lab.jar org.ipclab.socket.lab.LabServer 41234}
 * @param clientCommand  the client's command line, the same way
 * @param serverLines    what the server printed (stdout and stderr), e.g. "Connected by 127.0.0.1:41234"
 * @param clientLines    what the client printed, e.g. "Received Hello, world"
 * @param serverExitCode how the server ended: it serves until stopped, so the harness stops it with SIGTERM
 *                       (143 = 128 + 15); null if it could not be started
 * @param clientExitCode the client's own exit code (0 when it got its echo); null if it never ran or was killed
 * @param serverStop     how the server was stopped, in words
 * @param serverStart    from launching the server to its socket listening (seen in /proc/net/tcp)
 * @param client         from launching the client to its exit (JVM start-up, connect, echo, print)
 * @param total          the whole lab run
 * @param ok             the client printed "Received Hello, world" and the server a "Connected by" line
 * @param failure        what went wrong when not ok; null otherwise
 */
public record LabRun(String host, int port, List<String> serverCommand, List<String> clientCommand,
                     List<String> serverLines, List<String> clientLines, Integer serverExitCode, Integer clientExitCode,
                     String serverStop, Quantity serverStart, Quantity client, Quantity total, boolean ok,
                     String failure) {
}
