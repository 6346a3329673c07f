package org.ipclab.comparison.viva;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.ipclab.report.model.VivaAnswer;

/**
 * Shared memory shown with two mappings of one object in /dev/shm (what shm_open(3) and mmap(2) make): bytes put
 * through one mapping are there through the other with no read or write system call, because both map the same
 * physical pages. Two processes do the same with ipc-lab's shm transport, whose rings need the synchronisation this
 * answer is about.
 */
final class SharedMemory implements VivaExperiment {

    static final Path DEV_SHM = Path.of("/dev/shm");
    static final byte[] MESSAGE = "Hello, world".getBytes(StandardCharsets.US_ASCII);

    @Override
    public String id() {
        return "shared-memory";
    }

    @Override
    public String question() {
        return "What is shared memory, and why does it need synchronisation?";
    }

    @Override
    public VivaAnswer run(Path dir) throws Exception {
        Measured m = new Measured();
        String theory = "Two processes map the same physical pages (shm_open() and mmap(), or System V shmget() and "
                + "shmat()), so what one writes the other sees at once, with no system call and no copy. But the kernel "
                + "then takes no part in each exchange: nothing stops a reader from seeing a message half written, or "
                + "two writers from overwriting each other, so the processes synchronise themselves, with a "
                + "process-shared semaphore or mutex, or atomic operations and a futex. ";
        if (!Files.isDirectory(DEV_SHM)) {
            return m.answer(this, theory + "This machine has no /dev/shm, so nothing was mapped.", false,
                    "no /dev/shm on this machine");
        }
        Path object = DEV_SHM.resolve("ipclab-viva-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            /* open(O_CREAT|O_EXCL, 0600) under /dev/shm is what shm_open(3) does; mmap(2) MAP_SHARED twice gives two
             * views of the same pages (watch both in /proc/<pid>/maps). */
            Files.createFile(object, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel channel = FileChannel.open(object, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                MappedByteBuffer writer = channel.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
                MappedByteBuffer reader = channel.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
                writer.put(0, (byte) MESSAGE.length);          // a length byte, then the text
                writer.put(1, MESSAGE, 0, MESSAGE.length);   // plain stores: no system call
                byte[] seen = new byte[reader.get(0)];
                reader.get(1, seen);                          // plain loads through the other mapping
                String text = m.put("sharedMemorySeen", new String(seen, StandardCharsets.US_ASCII));
                String size = m.count("sharedMemoryBytes", channel.size());
                return m.answer(this, theory + "Here one " + size + "-byte object in /dev/shm was mapped twice: '"
                        + MESSAGE_TEXT + "' stored through the first mapping read back as '" + text + "' through the "
                        + "second, with no read() or write(). ipc-lab's shm transport does this between two processes: "
                        + "its rings publish each message with a release store and the reader takes it with an acquire "
                        + "load, and a reader with nothing to read sleeps in futex(FUTEX_WAIT) on a word in the segment "
                        + "until the writer's FUTEX_WAKE (the non-private kind, since the word is shared between "
                        + "processes).", true, "");
            }
        } catch (IOException e) {
            return m.answer(this, theory + "Mapping an object in /dev/shm failed here: " + e.getMessage() + ".", false,
                    "could not map /dev/shm: " + e.getMessage());
        } finally {
            Files.deleteIfExists(object);   // shm_unlink(3): the name goes; the pages go with the last mapping
        }
    }

    private static final String MESSAGE_TEXT = new String(MESSAGE, StandardCharsets.US_ASCII);
}
