package org.ipclab.queue.chronicle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.ClientSettings;
import org.ipclab.core.ServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Chronicle's limit on one excerpt (a quarter of the block size), and ipc-lab's on one message: 16 MiB
 * and the largest message work in one piece; one byte more is refused before anything is written.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChronicleMessageSizeTest {

    private static final int MIB = 1 << 20;

    @TempDir
    Path tempDir;

    @ParameterizedTest(name = "{0}-byte blocks")
    @ValueSource(longs = {4L << 20, 64L << 20})
    void chronicleRefusesAnExcerptLongerThanAQuarterOfTheBlockSize(long blockBytes) throws Exception {
        int limit = (int) (blockBytes / 4);
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(tempDir.resolve("raw")).blockSize(blockBytes).build();
             ExcerptAppender appender = queue.createAppender()) {
            byte[] payload = new byte[limit + 1];
            try (DocumentContext dc = appender.writingDocument()) {
                dc.wire().bytes().write(payload, 0, limit);
            }
            DocumentContext dc = appender.writingDocument();
            try {
                Bytes<?> bytes = dc.wire().bytes();
                RuntimeException tooLong = assertThrows(RuntimeException.class, () -> bytes.write(payload, 0, limit + 1));
                assertTrue(tooLong.toString().contains("BufferOverflow"), tooLong.toString());
                dc.rollbackOnClose();
            } finally {
                dc.close();
            }
            assertEquals(queue.firstIndex(), queue.lastIndex(), "only the first excerpt was written");
        }
    }

    @Test
    void sixteenMibAndTheLargestMessageComeBackWhole() throws Exception {
        Path dir = tempDir.resolve("q");
        try (ChronicleEchoServer server = ChronicleEchoServer.open(dir, ServerSettings.defaults());
             ChronicleEchoClient client = ChronicleEchoClient.connect(dir, ClientSettings.defaults())) {
            for (int size : new int[] {16 * MIB, ChronicleDirectory.MAX_MESSAGE_BYTES}) {
                byte[] sent = new byte[size];
                new Random(size).nextBytes(sent);
                byte[] echoed = new byte[size];
                client.roundTrip(sent, echoed, size);
                assertArrayEquals(sent, echoed, size + " bytes");
            }
            assertEquals(2, client.messagesReceived(), "each came back as one message");
        }
    }

    @Test
    void oneByteMoreIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path dir = tempDir.resolve("q");
        try (ChronicleEchoClient client = ChronicleEchoClient.connect(dir, ClientSettings.defaults());
             ChronicleDirectory queues = ChronicleDirectory.open(dir)) {
            long before = queues.requests().lastIndex();
            byte[] tooBig = new byte[ChronicleDirectory.MAX_MESSAGE_BYTES + 1];
            IOException e = assertThrows(IOException.class, () -> client.send(tooBig, 0, tooBig.length));
            assertTrue(e.getMessage().contains("a message of 67,108,841 bytes is too big")
                    && e.getMessage().contains("at most 67,108,864 bytes (a quarter of the 256 MiB block size)")
                    && e.getMessage().contains("less ipc-lab's 24-byte header, so a message carries at most 67,108,840 bytes; send it in parts"), e.getMessage());
            assertEquals(before, queues.requests().lastIndex(), "no excerpt was appended");
            byte[] fine = {7};
            client.send(fine, 0, 1);
            assertEquals(1, client.messagesSent());
        }
    }
}
