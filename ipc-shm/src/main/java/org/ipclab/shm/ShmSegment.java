package org.ipclab.shm;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.ipclab.core.NoPeerException;

/**
 * The shared segment {@code /dev/shm/ipclab-NAME}: a header, a slot table the server manages, and two rings per
 * slot (client to server, server to client).
 *
 * <pre>
 *   header   +0 magic  +4 slots  +8 ring capacity  +16 owner pid (long)  +24 owner start time (ms, long)
 *            +32 stopping (int)  +36 the server sleeps (int: 1 futex, 0 spin)
 *            +64 doorbell (int, futex word)  +68 doorbell waiters (int)
 *   slots    at 128, 64 bytes each: +0 state (int)  +8 client pid (long)  +16 client start time (long)
 *            +24 the client sleeps (int: 1 futex, 0 spin)
 *   rings    from the next 4 KiB page: slot i's client-to-server ring, then its server-to-client ring
 * </pre>
 *
 * <p>A slot goes FREE → RESERVED (a client won the compare-and-set) → CLAIMED (its pid is written; the client rings
 * the doorbell) → SERVED (the server runs an echo for it) → LEFT (the client closed) → FREE (the server emptied the
 * rings). Only the server makes a slot FREE; only a client takes a FREE one.
 *
 * <p>Each side says how it waits before the other can need to know: the server in the header before it writes the
 * magic, a client in its slot before it marks the slot CLAIMED. A writer whose reader never sleeps then publishes
 * with a plain release store and no fence (see {@link ShmRing}).
 *
 * <p>POSIX shared memory is this: {@code shm_open("/ipclab-NAME")} opens a file of the tmpfs mounted on /dev/shm,
 * and {@code mmap(MAP_SHARED)} maps its pages into the process. Java's {@code FileChannel.map} on that path makes
 * the same open(2) and mmap(2) calls (Java has no shm_open, and glibc's is only this open plus the path prefix).
 * Both processes' page tables then point at the same physical pages: a store by one is a load away for the other,
 * with no system call. Watch it: {@code ls -l /dev/shm}, {@code grep ipclab /proc/<pid>/maps}.
 */
final class ShmSegment implements AutoCloseable {

    static final Path DIRECTORY = Path.of("/dev/shm");
    static final String PREFIX = "ipclab-";
    static final String DEFAULT_NAME = "echo";
    static final int MAX_NAME_CHARS = 64;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");

    static final int MAGIC = 0x53484d31;   // "SHM1"
    static final int DEFAULT_SLOTS = 16;
    static final int MAX_SLOTS = 64;
    /**
     * Each ring's size: larger than one 64 KiB write, so that while the reader copies one out the writer can already
     * copy the next one in (with a ring of exactly the write's size, the two take turns).
     */
    static final int DEFAULT_RING_BYTES = 256 * 1024;

    static final int FREE = 0;
    static final int RESERVED = 1;
    static final int CLAIMED = 2;
    static final int SERVED = 3;
    static final int LEFT = 4;

    private static final int MAGIC_AT = 0;
    private static final int SLOTS_AT = 4;
    private static final int RING_BYTES_AT = 8;
    private static final int OWNER_PID_AT = 16;
    private static final int OWNER_START_AT = 24;
    private static final int STOPPING_AT = 32;
    private static final int SERVER_SLEEPS_AT = 36;
    private static final int DOORBELL_AT = 64;
    private static final int DOORBELL_WAITERS_AT = 68;
    private static final int SLOT_TABLE_AT = 128;
    private static final int SLOT_BYTES = 64;
    private static final int SLOT_STATE = 0;
    private static final int SLOT_PID = 8;
    private static final int SLOT_START = 16;
    private static final int SLOT_CLIENT_SLEEPS = 24;
    private static final int HEADER_BYTES = SLOT_TABLE_AT;

    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    final Path path;
    final MappedByteBuffer map;
    final long address;
    final int slots;
    final int ringBytes;
    private final int ringsAt;

    private ShmSegment(Path path, MappedByteBuffer map, int slots, int ringBytes) {
        this.path = path;
        this.map = map;
        this.address = ShmNative.address(map);
        this.slots = slots;
        this.ringBytes = ringBytes;
        this.ringsAt = ringsAt(slots);
    }

    /**
     * Checks a segment name: 1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-'.
     *
     * @throws IllegalArgumentException saying what a valid name is
     */
    static String checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("the shm name is empty; give 1 to " + MAX_NAME_CHARS
                    + " letters, digits, '.', '_' or '-'");
        }
        if (name.length() > MAX_NAME_CHARS) {
            throw new IllegalArgumentException("the shm name is " + name.length() + " characters long, at most "
                    + MAX_NAME_CHARS + " are allowed");
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("the shm name '" + name + "' may hold only letters, digits, '.', '_'"
                    + " and '-', and not start with '.' or '-'");
        }
        return name;
    }

    static Path pathOf(String name) {
        return DIRECTORY.resolve(PREFIX + checkName(name));
    }

    static Optional<String> unavailableReason() {
        Optional<String> futex = ShmNative.unavailableReason();
        if (futex.isPresent()) {
            return futex;
        }
        if (!Files.isDirectory(DIRECTORY) || !Files.isWritable(DIRECTORY)) {
            return Optional.of(DIRECTORY + " is not a writable directory (the tmpfs POSIX shared memory lives in)");
        }
        return Optional.empty();
    }

    private static int ringsAt(int slots) {
        int end = SLOT_TABLE_AT + slots * SLOT_BYTES;
        return (end + 4095) & ~4095;
    }

    static long sizeOf(int slots, int ringBytes) {
        return ringsAt(slots) + 2L * slots * ShmRing.bytes(ringBytes);
    }

    /**
     * The server's side: creates {@code /dev/shm/ipclab-NAME} with mode 0600 and maps it. A segment left by a
     * server that is gone (SIGKILL leaves it behind: tmpfs files live until unlinked or reboot) is removed first;
     * one whose server still runs is refused.
     */
    static ShmSegment create(String name, int slots, int ringBytes, ShmRing.Wait serverWait, Consumer<String> log)
            throws IOException {
        Path path = pathOf(name);
        for (int attempt = 0; ; attempt++) {
            try {
                /* open(2) with O_CREAT|O_EXCL and mode 0600 - what shm_open(3) does under /dev/shm: a new tmpfs file
                 * only this user may open. O_EXCL makes it fail if the name exists, so two servers cannot share it. */
                Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                break;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 0) {
                    throw new IOException("could not create " + path + ": another server created it at the same time");
                }
                reclaimStale(path, log);
            }
        }
        try {
            long size = sizeOf(slots, ringBytes);
            MappedByteBuffer map;
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                /* ftruncate(2) sets the size (tmpfs allocates pages only when first touched), then mmap(2)
                 * MAP_SHARED maps it; the mapping stays valid after the descriptor is closed. */
                channel.truncate(0);
                map = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
            }
            ShmSegment segment = new ShmSegment(path, map, slots, ringBytes);
            INT.set(map, SLOTS_AT, slots);
            INT.set(map, RING_BYTES_AT, ringBytes);
            LONG.set(map, OWNER_PID_AT, ProcessHandle.current().pid());
            LONG.set(map, OWNER_START_AT, ShmOwner.startMillis(ProcessHandle.current()));
            INT.set(map, SERVER_SLEEPS_AT, serverWait == ShmRing.Wait.FUTEX ? 1 : 0);
            INT.setVolatile(map, MAGIC_AT, MAGIC);   // last: a client that sees the magic sees the whole header
            return segment;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(path);
            throw e;
        }
    }

    /** Removes a segment whose owner is gone; refuses one whose owner still runs. */
    private static void reclaimStale(Path path, Consumer<String> log) throws IOException {
        Optional<ShmOwner> owner = readOwner(path);
        if (owner.isPresent() && owner.get().alive()) {
            throw new IOException("a shm server already runs on " + path + " (pid " + owner.get().pid()
                    + "); stop it, or give this one another --name");
        }
        /* unlink(2), as shm_unlink(3) does: the name goes now, the pages when the last mapping goes. */
        Files.deleteIfExists(path);
        log.accept("removed the stale segment " + path + owner.map(o -> " of pid " + o.pid() + ", which is gone")
                .orElse(" (not a complete ipc-lab segment)"));
    }

    private static Optional<ShmOwner> readOwner(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            if (channel.size() < HEADER_BYTES) {
                return Optional.empty();
            }
            java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.nativeOrder());
            while (header.hasRemaining() && channel.read(header) >= 0) {
                // read(2) until the header is in
            }
            if (header.getInt(MAGIC_AT) != MAGIC) {
                return Optional.empty();
            }
            return Optional.of(new ShmOwner(header.getLong(OWNER_PID_AT), header.getLong(OWNER_START_AT)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * The client's side: maps an existing segment. Fails with a line saying what to do when there is none, it is not
     * ipc-lab's, or its server is gone.
     */
    static ShmSegment open(String name, String startHint) throws IOException {
        Path path = pathOf(name);
        MappedByteBuffer map;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            if (size < HEADER_BYTES) {
                throw new IOException(path + " is not an ipc-lab shm segment (" + size + " bytes); remove it, or start "
                        + startHint + ", which replaces it");
            }
            /* open(2) and mmap(2) MAP_SHARED of the server's file: from here its pages are ours too. */
            map = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
        } catch (NoSuchFileException e) {
            throw new NoPeerException("no shm server named '" + name + "' (" + path + " does not exist)");
        }
        if ((int) INT.getVolatile(map, MAGIC_AT) != MAGIC) {
            throw new IOException(path + " is not an ipc-lab shm segment (or its server is still starting); start "
                    + startHint);
        }
        int slots = (int) INT.get(map, SLOTS_AT);
        int ringBytes = (int) INT.get(map, RING_BYTES_AT);
        if (slots < 1 || slots > MAX_SLOTS || Integer.bitCount(ringBytes) != 1 || sizeOf(slots, ringBytes) > map.capacity()) {
            throw new IOException(path + " has a header this client does not understand (" + slots + " slots, "
                    + ringBytes + "-byte rings)");
        }
        ShmSegment segment = new ShmSegment(path, map, slots, ringBytes);
        ShmOwner owner = segment.owner();
        if (!owner.alive()) {
            throw new NoPeerException("the shm server of '" + name + "' (pid " + owner.pid() + ") is gone and left "
                    + path + " behind; the next server started on that name removes it");
        }
        return segment;
    }

    ShmOwner owner() {
        return new ShmOwner((long) LONG.get(map, OWNER_PID_AT), (long) LONG.get(map, OWNER_START_AT));
    }

    // ------------------------------------------------------------------ header and slots

    boolean stopping() {
        return (int) INT.getVolatile(map, STOPPING_AT) != 0;
    }

    void markStopping() {
        INT.setVolatile(map, STOPPING_AT, 1);
    }

    private int slotAt(int slot) {
        return SLOT_TABLE_AT + slot * SLOT_BYTES;
    }

    int state(int slot) {
        return (int) INT.getVolatile(map, slotAt(slot) + SLOT_STATE);
    }

    void setState(int slot, int state) {
        INT.setVolatile(map, slotAt(slot) + SLOT_STATE, state);
    }

    boolean compareAndSetState(int slot, int expected, int state) {
        return INT.compareAndSet(map, slotAt(slot) + SLOT_STATE, expected, state);
    }

    void setClient(int slot, long pid, long startMillis) {
        LONG.setVolatile(map, slotAt(slot) + SLOT_PID, pid);
        LONG.setVolatile(map, slotAt(slot) + SLOT_START, startMillis);
    }

    /** How the client of {@code slot} waits; it writes this before it marks the slot CLAIMED. */
    void setClientWait(int slot, ShmRing.Wait wait) {
        INT.setVolatile(map, slotAt(slot) + SLOT_CLIENT_SLEEPS, wait == ShmRing.Wait.FUTEX ? 1 : 0);
    }

    boolean clientSleeps(int slot) {
        return (int) INT.getVolatile(map, slotAt(slot) + SLOT_CLIENT_SLEEPS) != 0;
    }

    boolean serverSleeps() {
        return (int) INT.getVolatile(map, SERVER_SLEEPS_AT) != 0;
    }

    long clientPid(int slot) {
        return (long) LONG.getVolatile(map, slotAt(slot) + SLOT_PID);
    }

    boolean clientAlive(int slot) {
        return ShmOwner.alive(clientPid(slot), (long) LONG.getVolatile(map, slotAt(slot) + SLOT_START));
    }

    /**
     * The ring the client of {@code slot} writes and the server reads; {@code peerSleeps}: whether the other side
     * of this ring object may sleep on a futex (then every store it waits for must be followed by a wake-up check).
     */
    ShmRing toServer(int slot, ShmRing.Wait wait, boolean peerSleeps) {
        return new ShmRing(map, address, ringsAt + 2 * slot * ShmRing.bytes(ringBytes), ringBytes, wait, peerSleeps,
                "shm '" + path.getFileName() + "' slot " + slot + " (client to server)");
    }

    /** The ring the server writes and the client of {@code slot} reads. */
    ShmRing toClient(int slot, ShmRing.Wait wait, boolean peerSleeps) {
        return new ShmRing(map, address, ringsAt + (2 * slot + 1) * ShmRing.bytes(ringBytes), ringBytes, wait,
                peerSleeps,
                "shm '" + path.getFileName() + "' slot " + slot + " (server to client)");
    }

    // ------------------------------------------------------------------ the doorbell: "a slot changed"

    int doorbell() {
        return (int) INT.getVolatile(map, DOORBELL_AT);
    }

    /**
     * A client took or left a slot, or the server freed one: count it on the doorbell word, then wake everyone who
     * sleeps there - the server's slot watcher, echo threads waiting for their client to leave, clients waiting for
     * a free slot. Each looks at the slot table and sleeps again if nothing is for it.
     */
    void ring() {
        INT.getAndAdd(map, DOORBELL_AT, 1);
        if ((int) INT.getVolatile(map, DOORBELL_WAITERS_AT) != 0) {
            ShmNative.futexWake(address + DOORBELL_AT, Integer.MAX_VALUE);
        }
    }

    /** Waits (at most {@code timeoutNs}) for the doorbell to move on from {@code seen}. */
    void awaitDoorbell(int seen, long timeoutNs, jnr.ffi.Pointer timespec) {
        INT.getAndAdd(map, DOORBELL_WAITERS_AT, 1);
        try {
            if ((int) INT.getVolatile(map, DOORBELL_AT) == seen) {
                ShmNative.futexWait(address + DOORBELL_AT, seen, timeoutNs, timespec);
            }
        } finally {
            INT.getAndAdd(map, DOORBELL_WAITERS_AT, -1);
        }
    }

    void wakeServer() {
        ShmNative.futexWake(address + DOORBELL_AT, Integer.MAX_VALUE);
    }

    /** Removes the name (the server's, on close); mappings stay valid until their process drops them. */
    void unlink() throws IOException {
        Files.deleteIfExists(path);
    }

    @Override
    public void close() {
        // The mapping goes when the buffer is collected; Java 17 has no public unmap. The file is what must go.
    }

    /** ipc-lab's segments in /dev/shm whose names start with {@code prefix} (for the tests' leftover checks). */
    static List<String> leftovers(String prefix) throws IOException {
        List<String> names = new ArrayList<>();
        try (var files = Files.list(DIRECTORY)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(PREFIX + prefix)).sorted().forEach(names::add);
        }
        return names;
    }
}
