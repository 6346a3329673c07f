package org.ipclab.queue.chronicle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.ClientSettings;
import org.ipclab.core.ServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue's files taken away from under a running server and client: the directory deleted, or the
 * disk full. Neither makes Chronicle fail by itself (appends go on into unlinked files; a full tmpfs
 * raises SIGBUS inside a memory copy); both must end in one clear error, never a silent hang, and never
 * in an "echo" of bytes that were not sent.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChronicleQueueFaultTest {

    private static final Duration SERVER_NOTICES_WITHIN = Duration.ofSeconds(3);

    @TempDir
    Path tempDir;

    private final List<String> serverLog = new CopyOnWriteArrayList<>();

    @Test
    void aDeletedQueueDirectoryStopsTheServerAndFailsTheWaitingClient() throws Exception {
        Path dir = tempDir.resolve("q");
        ClientSettings patient = ClientSettings.defaults().withTimeout(Duration.ofSeconds(10));
        try (ChronicleEchoServer server = ChronicleEchoServer.open(dir, ServerSettings.defaults().withLog(serverLog::add));
             ChronicleEchoClient client = ChronicleEchoClient.connect(dir, patient)) {
            assertRoundTrip(client, 3);

            ChronicleDirectory.deleteRecursively(dir);   // what `rm -r` does: unlink every name

            assertTimeoutPreemptively(SERVER_NOTICES_WITHIN, server::awaitTermination, "the server never noticed");
            String expected = "the queue directory " + dir + " was deleted while the server ran; stopping: start it"
                    + " again to make a new queue";
            assertEquals(List.of(expected), serverLog.stream().filter(line -> line.contains("deleted")).toList());
            assertEquals(expected, server.failure().orElseThrow().getMessage());

            client.send(new byte[] {1, 2, 3}, 0, 3);   // "succeeds": the bytes go into the unlinked file
            long startNs = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> client.receive(new byte[3], 0, 3));
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            assertTrue(e.getMessage().contains("the queue directory " + dir + " was deleted while this client waited"),
                    e.getMessage());
            assertTrue(waitedMs < 2_500, "noticed after " + waitedMs + " ms, not within its 10 s timeout");
        }
        assertFalse(Files.exists(dir), "closing must not make the deleted directory again");
    }

    @Test
    void aMessageBiggerThanTheFreeSpaceFailsTheClientsAppendAndLeavesTheQueueUsable() throws Exception {
        Path dir = mountTmpfs(tempDir.resolve("small"));
        try {
            try (ChronicleEchoServer server = ChronicleEchoServer.open(dir, ServerSettings.defaults().withLog(serverLog::add));
                 ChronicleEchoClient client = ChronicleEchoClient.connect(dir, ClientSettings.defaults().withTimeout(Duration.ofSeconds(5)))) {
                assertTrue(serverLog.stream().anyMatch(line -> line.startsWith("warning: only ") && line.contains(dir.toString())),
                        "the server warns up front that one big message does not fit: " + serverLog);
                assertRoundTrip(client, 100);

                byte[] tooBig = new byte[10 << 20];   // more than the whole 8 MiB file system
                IOException e = assertThrows(IOException.class, () -> client.send(tooBig, 0, tooBig.length));
                assertTrue(e.getMessage().startsWith("no space left for the queue in " + dir + " (the client could not"
                        + " append message 2 (10485760 bytes)"), e.getMessage());
                assertTrue(e.getMessage().endsWith("free space or choose another --dir"), e.getMessage());

                // Rolled back: no half message blocks the queue, the server still answers, and message 2 is the next one.
                assertRoundTrip(client, 100);
                assertTrue(server.failure().isEmpty(), "the server was not hurt: " + server.failure());
            }
        } finally {
            unmount(dir);
        }
    }

    /**
     * Even a small message is checked against the free space before it touches the mapping: a SIGBUS in
     * JIT-compiled code is reported late, possibly after the point where the message can be rolled back
     * (see ChronicleEchoClient.ensureRoomFor).
     */
    @Test
    void aFullDiskRefusesEvenASmallMessageAndTheQueueWorksOnceSpaceIsFreed() throws Exception {
        Path dir = mountTmpfs(tempDir.resolve("small"));
        try {
            try (ChronicleEchoClient client = ChronicleEchoClient.connect(dir, ClientSettings.defaults().withTimeout(Duration.ofSeconds(5)))) {
                Path filler = dir.resolve("filler");
                fill(filler, Files.getFileStore(dir).getUsableSpace() - (512 << 10));
                // The client re-reads the free space at least every RECHECK_SPACE_EVERY_NS: let that pass.
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(ChronicleEchoClient.RECHECK_SPACE_EVERY_NS) + 50);
                byte[] small = random(100);
                IOException e = assertThrows(IOException.class, () -> client.send(small, 0, small.length));
                assertTrue(e.getMessage().startsWith("no space left for the queue in " + dir + " (the client could not"
                        + " append message 1 (100 bytes)"), e.getMessage());
                assertEquals(0, client.messagesSent());

                Files.delete(filler);
                try (ChronicleEchoServer server = ChronicleEchoServer.open(dir, ServerSettings.defaults())) {
                    assertRoundTrip(client, 100);
                    assertEquals(1, client.messagesSent(), "the refused message was never queued");
                }
            }
        } finally {
            unmount(dir);
        }
    }

    @Test
    void anEchoThatDoesNotFitStopsTheServerAndTheClientSaysWhy() throws Exception {
        Path dir = mountTmpfs(tempDir.resolve("small"));
        try {
            byte[] message = random(2 << 20);
            try (ChronicleEchoClient client = ChronicleEchoClient.connect(dir, ClientSettings.defaults().withTimeout(Duration.ofSeconds(2)))) {
                Path filler = dir.resolve("filler");
                try (ChronicleEchoServer server = ChronicleEchoServer.open(dir, ServerSettings.defaults().withLog(serverLog::add))) {
                    assertRoundTrip(client, 100);
                    // Leave room for the request but not for its echo as well.
                    fill(filler, Files.getFileStore(dir).getUsableSpace() - (7L << 19));   // 3.5 MiB

                    client.send(message, 0, message.length);
                    IOException e = assertThrows(IOException.class, () -> client.receive(new byte[message.length], 0, message.length));
                    assertTrue(e.getMessage().startsWith("no space left for the queue in " + dir), e.getMessage());
                    assertTrue(e.getMessage().contains("no echo for 2000 ms, 0 of " + message.length + " bytes came back"), e.getMessage());

                    assertTimeoutPreemptively(SERVER_NOTICES_WITHIN, server::awaitTermination, "the server kept running");
                    List<String> errors = serverLog.stream().filter(line -> line.startsWith("no space left")).toList();
                    assertEquals(1, errors.size(), serverLog.toString());
                    assertTrue(errors.get(0).startsWith("no space left for the queue in " + dir + " (the server could not"
                            + " write an echo into " + dir.resolve(ChronicleDirectory.RESPONSES)), errors.get(0));
                    assertTrue(errors.get(0).endsWith("free space or choose another --dir"), errors.get(0));
                }
                // With space again, a restarted server answers the request it could not: the whole message, unchanged.
                Files.delete(filler);
                try (ChronicleEchoServer again = ChronicleEchoServer.open(dir, ServerSettings.defaults())) {
                    byte[] back = new byte[message.length];
                    client.receive(back, 0, back.length);
                    assertArrayEquals(message, back);
                    assertEquals(0, client.duplicatesDropped());
                }
            }
        } finally {
            unmount(dir);
        }
    }

    private static void assertRoundTrip(ChronicleEchoClient client, int size) throws IOException {
        byte[] sent = random(size);
        byte[] back = new byte[size];
        client.roundTrip(sent, back, size);
        assertArrayEquals(sent, back);
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /** write(2) allocates tmpfs pages at once, unlike a sparse ftruncate: the space really is taken. */
    private static void fill(Path file, long bytes) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long left = bytes; left > 0; left -= chunk.limit()) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), left));
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
            }
        }
    }

    /**
     * An 8 MiB tmpfs: a file system small enough to fill in a test. mount(2) needs root (CAP_SYS_ADMIN);
     * elsewhere the test is skipped.
     */
    private static Path mountTmpfs(Path at) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root (mount -t tmpfs): run the tests as root, e.g. in a container");
        Files.createDirectories(at);
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", at.toString()) == 0,
                "needs CAP_SYS_ADMIN (mount -t tmpfs failed here): run the container with --cap-add SYS_ADMIN");
        return at;
    }

    private static void unmount(Path at) throws Exception {
        if (run("umount", at.toString()) != 0) {
            run("umount", "-l", at.toString());   // still mapped somewhere: detach now, freed when unmapped
        }
    }

    private static int run(String... command) throws Exception {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (IOException e) {
            return -1;   // the command is not installed
        }
    }
}
