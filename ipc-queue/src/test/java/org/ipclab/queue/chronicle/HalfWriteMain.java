package org.ipclab.queue.chronicle;

import java.nio.file.Path;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * A process that starts an append and never finishes it: it writes the first half of an excerpt, prints
 * {@code HALF-WRITTEN}, and waits to be killed with SIGKILL, still holding the queue's write lock.
 *
 * <pre>
 * HalfWriteMain request  DIR   a client dying mid-send: half a DATA request
 * HalfWriteMain response DIR   a server dying mid-echo: half the response to the first DATA request
 * </pre>
 */
public final class HalfWriteMain {

    public static final String HALF_WRITTEN = "HALF-WRITTEN";

    private HalfWriteMain() {
    }

    public static void main(String[] args) throws Exception {
        ChronicleDirectory queues = ChronicleDirectory.open(Path.of(args[1]));
        byte[] payload = new byte[100_000];
        DocumentContext dc;
        if (args[0].equals("request")) {
            ExcerptAppender appender = queues.requests().createAppender();
            dc = appender.writingDocument();
            Bytes<?> bytes = dc.wire().bytes();
            bytes.writeLong(42).writeInt(ChronicleFrames.DATA).writeLong(1);
            bytes.write(payload, 0, payload.length / 2);
        } else {
            ExcerptTailer tailer = queues.requests().createTailer();
            long clientId;
            long seq;
            long index;
            while (true) {
                try (DocumentContext request = tailer.readingDocument()) {
                    if (request.isPresent()) {
                        Bytes<?> in = request.wire().bytes();
                        clientId = in.readLong();
                        int kind = in.readInt();
                        seq = in.readLong();
                        index = request.index();
                        if (kind == ChronicleFrames.DATA) {
                            break;
                        }
                    } else {
                        Thread.sleep(1);
                    }
                }
            }
            ExcerptAppender appender = queues.responses().createAppender();
            dc = appender.writingDocument();
            Bytes<?> bytes = dc.wire().bytes();
            bytes.writeLong(clientId).writeLong(seq).writeLong(index);
            bytes.write(payload, 0, payload.length / 2);
        }
        System.out.println(HALF_WRITTEN + " " + dc.isOpen());
        System.out.flush();
        Thread.sleep(60_000);   // the test kills us long before; dc is never closed
        System.exit(3);
    }
}
