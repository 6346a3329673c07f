package org.ipclab.comparison.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.ipclab.comparison.models.IdleMemory;
import org.ipclab.comparison.models.ServerModelSweep;
import org.ipclab.comparison.nativefloor.NativeFloor;
import org.ipclab.comparison.nativefloor.NativeServers;
import org.ipclab.report.model.ServerMemoryResult;
import org.ipclab.report.model.ServerModelResult;
import org.ipclab.socket.ServerModel;

/**
 * The server designs as steps of a compare run: each Java design (iterative, threads, pool, nio, virtual) and the C
 * servers against 1 to 1,000 clients at once, then what the thread-per-connection and the selector designs hold
 * with many idle connections.
 */
final class ServerSweepSteps {

    private ServerSweepSteps() {
    }

    static List<Extensions.Extension> plan(CompareSettings settings, Path scratch, List<String> notes,
                                           List<ServerModelResult> serverModels, List<ServerMemoryResult> serverMemory) {
        List<Extensions.Extension> steps = new ArrayList<>();
        ServerModelSweep.Settings sweep = ServerModelSweep.Settings.forMode(settings.mode());
        for (ServerModel model : ServerModelSweep.runnable(notes::add)) {
            steps.add(new Extensions.Extension("tcp server model " + model.id() + ", " + sweep.clients() + " clients",
                    sweep.seconds(1), () -> serverModels.addAll(ServerModelSweep.run(model, sweep, notes::add))));
        }
        // the same sweep against the C floor's iterative and epoll servers (native/ipclab_servers.c)
        if (settings.nativeFloor()) {
            steps.add(new Extensions.Extension("C servers (iterative, epoll), " + sweep.clients() + " clients",
                    sweep.seconds(2) + 1, () -> serverModels.addAll(nativeServerSweep(sweep, notes))));
        }
        IdleMemory.Settings memory = IdleMemory.Settings.forMode(settings.mode());
        Optional<String> noMemoryCheck = IdleMemory.unavailableReason();
        if (noMemoryCheck.isPresent()) {
            notes.add("The servers' memory with idle connections was not measured: " + noMemoryCheck.get() + ".");
            return steps;
        }
        for (ServerModel model : List.of(ServerModel.DEFAULT, ServerModel.THREADS, ServerModel.NIO)) {
            steps.add(new Extensions.Extension("tcp server model " + model.id() + ": memory with "
                    + memory.idleConnections() + " idle connections", memory.seconds(),
                    () -> serverMemory.add(IdleMemory.run(model, memory, scratch))));
        }
        return steps;
    }

    /** Compiles native/ipclab_servers.c and sweeps its designs; without a compiler, a note. */
    private static List<ServerModelResult> nativeServerSweep(ServerModelSweep.Settings sweep, List<String> notes)
            throws IOException {
        if (NativeFloor.findCompiler().isEmpty()) {
            notes.add("The C servers were not measured: " + NativeFloor.unavailableReason().orElse("no C compiler") + ".");
            return List.of();
        }
        List<ServerModelResult> points = new ArrayList<>();
        try (NativeServers servers = NativeServers.compile()) {
            for (String design : NativeServers.DESIGNS) {
                points.addAll(ServerModelSweep.runNative(servers, design, sweep, notes::add));
            }
        }
        return points;
    }
}
