package org.ipclab.comparison.plugin;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.ipclab.core.EchoClient;
import org.ipclab.core.experiments.Cell;
import org.ipclab.core.experiments.TransportExperiments;

/**
 * thread-pipe's answer to each question of the property matrix, each a few lines on java.nio Pipes made here.
 * They need no second process: both ends live in this JVM, which is the point of the transport.
 */
final class ThreadPipeExperiments implements TransportExperiments {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Override
    public String transport() {
        return ThreadPipeDescriptor.INSTANCE.id();
    }

    @Override
    public Cell direction(Path dir) throws IOException {
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            boolean sourceWritable = source instanceof WritableByteChannel;
            return Cell.measured(sourceWritable ? "both ways" : "one way per pipe",
                    "Pipe.open() (pipe2(2)): its source end is " + (sourceWritable ? "" : "not ")
                            + "a WritableByteChannel, so bytes go sink to source only; the echo takes two pipes");
        }
    }

    @Override
    public Cell messageBoundaries(Path dir) throws IOException {
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            sink.write(ByteBuffer.wrap(new byte[3]));
            sink.write(ByteBuffer.wrap(new byte[4]));
            int read = source.read(ByteBuffer.allocate(64));
            return Cell.measured(read == 7 ? "none (a byte stream)" : "kept",
                    "two writes of 3 B and 4 B, then one read(2) of up to 64 B returned " + read + " B");
        }
    }

    @Override
    public Cell capacityBeforeWriterBlocks(Path dir) throws IOException {
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            sink.configureBlocking(false);
            ByteBuffer chunk = ByteBuffer.allocate(1024);
            long total = 0;
            int n;
            do {
                chunk.clear();
                n = sink.write(chunk);
                total += n;
            } while (n > 0 && total < 16L << 20);
            return Cell.measured(total / 1024 + " KiB",
                    "non-blocking 1 KiB writes with no reader: the " + (total / 1024 + 1)
                            + "th returned 0 after " + total + " B (the kernel's pipe buffer)");
        }
    }

    @Override
    public Cell senderWithNoPeer(Path dir) throws IOException {
        Pipe pipe = Pipe.open();
        pipe.source().close();
        try (Pipe.SinkChannel sink = pipe.sink()) {
            sink.write(ByteBuffer.wrap(new byte[1]));
            return Cell.measured("write succeeds", "write(2) of 1 B with the read end closed returned normally");
        } catch (IOException e) {
            return Cell.measured("EPIPE (" + e.getMessage() + ")",
                    "source end closed, then write(2) of 1 B to the sink: " + e.getMessage()
                            + " (the JVM ignores SIGPIPE, so only the error shows)");
        }
    }

    @Override
    public Cell survivesCrash(Path dir) throws IOException {
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source()) {
            try (Pipe.SinkChannel sink = pipe.sink()) {
                sink.write(ByteBuffer.wrap(new byte[5]));
            }
            ByteBuffer left = ByteBuffer.allocate(64);
            int first = source.read(left);
            int after = source.read(left);
            long named;
            try (var files = Files.list(dir)) {
                named = files.count();
            }
            return Cell.measured("no",
                    "5 B written, the writer's end closed (as its death would): the reader got " + first
                            + " B, then " + after + " (end of stream); the pipe has no name (" + named
                            + " files in the experiment's directory), so nothing outlives its ends");
        }
    }

    @Override
    public Cell whoCanConnect(Path dir) {
        return Cell.notDemonstrated("threads of one JVM",
                "both ends are descriptors of this process with no name to open; a test-only transport does not"
                        + " pass them to another process");
    }

    @Override
    public Cell manyClients(Path dir) throws IOException {
        ThreadPipeTransport transport = new ThreadPipeTransport();
        List<EchoClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                clients.add(transport.connect(ThreadPipeTransport.ENDPOINT,
                        org.ipclab.core.ClientSettings.defaults().withTimeout(TIMEOUT)));
            }
            int echoed = 0;
            for (EchoClient client : clients) {
                byte[] back = new byte[2];
                client.roundTrip(new byte[] {1, 2}, back, 2);
                echoed += back[1] == 2 ? 1 : 0;
            }
            return Cell.measured("one pipe pair each",
                    "3 clients open at once, each with its own two pipes and echo thread: " + echoed + " of 3 echoed");
        } finally {
            for (EchoClient client : clients) {
                client.close();
            }
        }
    }
}
