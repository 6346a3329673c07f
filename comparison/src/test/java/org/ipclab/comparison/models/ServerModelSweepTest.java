package org.ipclab.comparison.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.ipclab.report.model.ServerModelResult;
import org.ipclab.socket.ServerModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The sweep against real servers in their own processes, small: what it counts, not how fast. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServerModelSweepTest {

    static final int MANY = 40;
    static final ServerModelSweep.Settings SMALL = new ServerModelSweep.Settings(List.of(1, MANY), 4_000, 5);

    @Test
    void everyEchoIsCountedAndAThreadPerConnectionShowsInTheThreadCount() throws Exception {
        List<String> notes = new ArrayList<>();
        List<ServerModelResult> iterative = ServerModelSweep.run(ServerModel.ITERATIVE, SMALL, notes::add);
        List<ServerModelResult> threads = ServerModelSweep.run(ServerModel.THREADS, SMALL, notes::add);
        List<ServerModelResult> nio = ServerModelSweep.run(ServerModel.NIO, SMALL, notes::add);
        // a fixed pool of a few threads serves many clients too: finished clients close, so the pool reaches the rest
        List<ServerModelResult> pool = ServerModelSweep.run(ServerModel.POOL, SMALL, notes::add);
        assertTrue(notes.isEmpty(), notes.toString());
        for (List<ServerModelResult> model : List.of(iterative, threads, nio, pool)) {
            assertEquals(2, model.size(), model.toString());
            for (ServerModelResult point : model) {
                assertEquals(0, point.unfinished(), point.toString());
                assertEquals((long) point.clients() * SMALL.echoesEach(point.clients()), point.echoes(),
                        "every echo of every client was made and compared: " + point);
                assertTrue(point.p50().value() > 0 && point.p50().value() <= point.p99().value(), point.toString());
                assertTrue(point.echoesPerSecond() > 0 && point.rssMiB() > 0 && point.threads() > 0, point.toString());
                assertTrue(point.longestFirstEcho().value() > 0, "a first echo was timed: " + point);
            }
        }
        // A thread per connection: with 40 clients open at once the server runs about 40 threads more than the
        // iterative server and the selector, which serve them all from one thread.
        assertTrue(threads.get(1).threads() >= nio.get(1).threads() + MANY - 5, threads + " against " + nio);
        assertTrue(threads.get(1).threads() >= iterative.get(1).threads() + MANY - 5, threads + " against " + iterative);
        assertTrue(Math.abs(nio.get(1).threads() - iterative.get(1).threads()) < 5, nio + " against " + iterative);
    }

    @Test
    void onJava17TheVirtualModelIsANoteNotAMeasurement() {
        List<String> notes = new ArrayList<>();
        List<ServerModel> models = ServerModelSweep.runnable(notes::add);
        assertTrue(models.containsAll(List.of(ServerModel.ITERATIVE, ServerModel.THREADS, ServerModel.POOL, ServerModel.NIO)));
        assertEquals(Runtime.version().feature() < 21, notes.stream().anyMatch(n -> n.contains("'virtual'")), notes.toString());
        assertEquals(Runtime.version().feature() >= 21, models.contains(ServerModel.VIRTUAL));
    }

    @Test
    void percentilesAreValuesThatOccurred() {
        long[] sorted = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
        assertEquals(50, ServerModelSweep.percentile(sorted, 0.50));
        assertEquals(100, ServerModelSweep.percentile(sorted, 0.99));
        assertEquals(0, ServerModelSweep.percentile(new long[0], 0.5));
    }
}
