package org.ipclab.queue.chronicle;

import static org.ipclab.queue.chronicle.ChronicleTestSupport.firstLine;
import static org.ipclab.queue.chronicle.ChronicleTestSupport.read;
import static org.ipclab.queue.chronicle.ChronicleTestSupport.startJava;
import static org.ipclab.queue.chronicle.ChronicleTestSupport.startServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.ChildProcess;
import org.ipclab.core.ForkedPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Eight client processes at once on one queue directory, the server in a ninth: each gets only its own echoes. */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChronicleClientProcessesTest {

    private static final int CLIENTS = 8;
    private static final int MESSAGES = 300;
    private static final int MAX_BYTES = 20_000;

    @TempDir
    Path tempDir;

    @Test
    void eightClientProcessesEachGetEveryEchoOfTheirOwnAndNoneOfTheOthers() throws Exception {
        Path dir = tempDir.resolve("q");
        Path log = tempDir.resolve("server.log");
        List<ChildProcess> clients = new ArrayList<>();
        try (ForkedPeer server = startServer(dir, log)) {
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(startJava(EchoClientProcessMain.class,
                        List.of(dir.toString(), String.valueOf(1000 + c), String.valueOf(MESSAGES), String.valueOf(MAX_BYTES))));
            }
            Set<String> ids = new HashSet<>();
            for (ChildProcess client : clients) {
                String outcome = firstLine(client, 90);
                assertTrue(outcome != null && outcome.startsWith("OK "), client.name() + ": " + outcome);
                assertTrue(client.process().waitFor(20, TimeUnit.SECONDS), client.name() + " did not exit");
                assertEquals(0, client.process().exitValue(), client.describeExit());
                String[] fields = outcome.split(" ");
                ids.add(fields[1]);
                assertEquals(String.valueOf(MESSAGES), fields[2]);
                assertEquals("duplicates=0", fields[4]);
            }
            assertEquals(CLIENTS, ids.size(), "every process had its own client id: " + ids);
            awaitLog(log, "finished after " + MESSAGES + " messages", CLIENTS);   // BYE comes after the last echo
        } finally {
            for (ChildProcess client : clients) {
                client.close();
            }
        }
        // The server saw eight different processes come and go (its log is complete: it has stopped).
        String serverLog = read(log);
        Set<String> pids = new HashSet<>();
        for (String line : serverLog.lines().toList()) {
            if (line.contains(") opened the queue")) {
                pids.add(line.substring(line.indexOf("(pid ") + 5, line.indexOf(')')));
            }
        }
        assertEquals(CLIENTS, pids.size(), serverLog);
        assertEquals(CLIENTS, ChronicleTestSupport.occurrences(serverLog, "finished after " + MESSAGES + " messages"), serverLog);
    }

    private static void awaitLog(Path log, String fragment, int times) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ChronicleTestSupport.occurrences(read(log), fragment) < times && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
