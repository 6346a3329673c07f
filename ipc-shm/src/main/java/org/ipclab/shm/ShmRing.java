package org.ipclab.shm;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import jnr.ffi.Pointer;

/**
 * One single-producer single-consumer byte ring inside the shared segment: the producer appends bytes, the consumer
 * takes them, in order, with no lock and no system call while neither has to wait. Two counters that only grow say
 * where each side is; the bytes in the ring are {@code head - tail}:
 *
 * <pre>
 *   +0   head    long  bytes ever written; only the producer stores it
 *   +8   headWaiters int  1 while the consumer sleeps on head's low word (futex)
 *   +12  closed  int   1 once the producer will write no more (end of stream)
 *   +64  tail    long  bytes ever taken; only the consumer stores it (its own cache line: no false sharing)
 *   +72  tailWaiters int  1 while the producer sleeps on tail's low word (futex)
 *   +128 data    capacity bytes (a power of two), byte i of the stream at (i &amp; (capacity - 1))
 * </pre>
 *
 * <p>Memory ordering is explicit, with VarHandles on the mapped buffer: the producer copies the bytes, then stores
 * head with release semantics, so a consumer that reads the new head with acquire semantics also sees the bytes. For
 * the futex: publish the word, then read the waiter count, fully ordered on both sides. The waker stores head
 * (volatile: release plus a full fence), then reads headWaiters; the sleeper adds itself to headWaiters (getAndAdd:
 * a full fence), then reads head again and only if it still holds the value it saw asks the kernel to sleep while
 * the word holds that value. Either the waker sees the waiter and calls FUTEX_WAKE, or the sleeper sees the new head;
 * a wake-up between the sleeper's check and its FUTEX_WAIT is not lost, as the kernel compares the word again. With a
 * release-only store the waker's read could pass its store (store-load reordering, which x86 does): both would miss.
 *
 * <p>The fence makes the writer's CPU wait until its store reaches the other CPU's cache, so when the other side
 * never sleeps (the segment and the slot say how each side waits) the store is a plain release store. The producer
 * reads the consumer's tail line again only when the room it last saw is not enough.
 *
 * <p>The futex word is head's (or tail's) low 32 bits: a counter that changes with every write. It cannot wrap
 * back to the value a sleeper saw while it sleeps, since the other side can move at most {@code capacity} bytes. A
 * ring object is used by one side only (the producer's or the consumer's), and by one thread at a time.
 */
final class ShmRing {

    static final int HEADER_BYTES = 128;

    private static final int HEAD = 0;
    private static final int HEAD_WAITERS = 8;
    private static final int CLOSED = 12;
    private static final int TAIL = 64;
    private static final int TAIL_WAITERS = 72;

    /** How long one futex wait lasts at most before the waiter looks whether its peer is still there. */
    static final long WAIT_SLICE_NS = 100_000_000L;

    /** Spins between two looks at the clock (and a sched_yield) while busy-polling. */
    private static final int SPINS_PER_CLOCK_READ = 1024;

    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    /** Where a long's low 32 bits are: at its address on a little-endian machine, 4 bytes on a big-endian one. */
    private static final int LOW_WORD = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 0 : 4;

    /** Null while all is well, else why a waiting side must give up: the segment's flags every time, whether the
     *  peer's process still runs (a read of /proc) only once per wait slice ({@code lookAtProcesses}). */
    @FunctionalInterface
    interface Watch {
        String trouble(boolean lookAtProcesses);
    }

    /** How a side waits for the other. */
    enum Wait {
        /** Sleep in the kernel: futex(2) FUTEX_WAIT on the word in the segment; the other side wakes it. */
        FUTEX,
        /**
         * Busy-poll the word with Thread.onSpinWait(): no system call while the other side answers quickly, one CPU
         * fully used while waiting; a sched_yield(2) every thousand spins gives a thread waiting for this CPU its turn.
         */
        SPIN;

        static Wait parse(String text) {
            return switch (text) {
                case "futex" -> FUTEX;
                case "spin" -> SPIN;
                default -> throw new IllegalArgumentException("--wait must be futex or spin, not '" + text + "'");
            };
        }

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final ByteBuffer segment;
    private final int base;
    private final int data;
    private final int capacity;
    private final int mask;
    private final long headWord;
    private final long tailWord;
    private final Wait wait;
    private final boolean peerSleeps;
    private final Pointer timespec;
    /** The producer's last look at tail: room it knows of without reading the consumer's cache line. */
    private long tailSeen;
    private final String what;

    ShmRing(ByteBuffer segment, long segmentAddress, int base, int capacity, Wait wait, boolean peerSleeps,
            String what) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring capacity must be a power of two: " + capacity);
        }
        this.segment = segment;
        this.base = base;
        this.data = base + HEADER_BYTES;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.headWord = segmentAddress + base + HEAD + LOW_WORD;
        this.tailWord = segmentAddress + base + TAIL + LOW_WORD;
        this.wait = wait;
        this.peerSleeps = peerSleeps;
        this.tailSeen = (long) LONG.getVolatile(segment, base + TAIL);
        this.timespec = wait == Wait.FUTEX ? ShmNative.timespec() : null;
        this.what = what;
    }

    static int bytes(int capacity) {
        return HEADER_BYTES + capacity;
    }

    int capacity() {
        return capacity;
    }

    /** Bytes written and not yet taken. */
    int used() {
        return (int) ((long) LONG.getVolatile(segment, base + HEAD) - (long) LONG.getVolatile(segment, base + TAIL));
    }

    long written() {
        return (long) LONG.getVolatile(segment, base + HEAD);
    }

    boolean isClosed() {
        return (int) INT.getVolatile(segment, base + CLOSED) != 0;
    }

    // ------------------------------------------------------------------ the producer's side

    /**
     * Appends {@code length} bytes, waiting for room as long as the ring is full (each wait bounded by
     * {@code timeoutNs}).
     */
    void write(byte[] src, int offset, int length, long timeoutNs, Watch watch) throws IOException {
        while (length > 0) {
            long head = (long) LONG.get(segment, base + HEAD);   // our own store: a plain read is enough
            long tail = tailAtLeast(head, length);
            int free = capacity - (int) (head - tail);
            if (free == 0) {
                awaitChange(TAIL, TAIL_WAITERS, tailWord, tail, false, timeoutNs, watch, "room in the ring");
                continue;
            }
            int at = (int) (head & mask);
            int n = Math.min(Math.min(length, free), capacity - at);
            segment.put(data + at, src, offset, n);
            publish(head + n);
            offset += n;
            length -= n;
        }
    }

    /** As {@link #write(byte[], int, int, long, Watch)} from a buffer's position to its limit. */
    void write(ByteBuffer src, long timeoutNs, Watch watch) throws IOException {
        while (src.hasRemaining()) {
            long head = (long) LONG.get(segment, base + HEAD);
            long tail = tailAtLeast(head, src.remaining());
            int free = capacity - (int) (head - tail);
            if (free == 0) {
                awaitChange(TAIL, TAIL_WAITERS, tailWord, tail, false, timeoutNs, watch, "room in the ring");
                continue;
            }
            int at = (int) (head & mask);
            int n = Math.min(Math.min(src.remaining(), free), capacity - at);
            segment.put(data + at, src, src.position(), n);
            src.position(src.position() + n);
            publish(head + n);
        }
    }

    /** Appends what fits now without waiting; returns how many bytes that was. */
    int offer(byte[] src, int offset, int length) {
        long head = (long) LONG.get(segment, base + HEAD);
        long tail = tailAtLeast(head, length);
        int done = 0;
        while (done < length && head - tail < capacity) {
            int at = (int) (head & mask);
            int n = Math.min(Math.min(length - done, capacity - (int) (head - tail)), capacity - at);
            segment.put(data + at, src, offset + done, n);
            head += n;
            done += n;
        }
        if (done > 0) {
            publish(head);
        }
        return done;
    }

    /** The remembered tail while it leaves room for {@code wanted} bytes, else the consumer's (an acquire load). */
    private long tailAtLeast(long head, int wanted) {
        if (capacity - (head - tailSeen) < Math.min(wanted, capacity)) {
            tailSeen = (long) LONG.getAcquire(segment, base + TAIL);
        }
        return tailSeen;
    }

    private void publish(long newHead) {
        if (!peerSleeps) {
            LONG.setRelease(segment, base + HEAD, newHead);   // the consumer spins: no one to wake, no fence
            return;
        }
        // Publish the word (release store + full fence), THEN read the waiter count: see the class comment.
        LONG.setVolatile(segment, base + HEAD, newHead);
        if ((int) INT.getVolatile(segment, base + HEAD_WAITERS) != 0) {
            ShmNative.futexWake(headWord, 1);
        }
    }

    /** End of stream: the consumer gets -1 once it has taken every byte written before. */
    void close() {
        INT.setVolatile(segment, base + CLOSED, 1);
        if ((int) INT.getVolatile(segment, base + HEAD_WAITERS) != 0) {
            ShmNative.futexWake(headWord, 1);
        }
    }

    // ------------------------------------------------------------------ the consumer's side

    /**
     * Takes at least one and at most {@code length} bytes, waiting while the ring is empty (bounded by
     * {@code timeoutNs}); returns -1 at end of stream.
     */
    int read(byte[] dst, int offset, int length, long timeoutNs, Watch watch) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (true) {
            long tail = (long) LONG.get(segment, base + TAIL);
            long head = (long) LONG.getAcquire(segment, base + HEAD);
            if (head == tail) {
                if (isClosed() && (long) LONG.getVolatile(segment, base + HEAD) == tail) {
                    return -1;
                }
                awaitChange(HEAD, HEAD_WAITERS, headWord, tail, true, timeoutNs, watch, "bytes in the ring");
                continue;
            }
            int at = (int) (tail & mask);
            int n = Math.min(Math.min(length, (int) (head - tail)), capacity - at);
            segment.get(data + at, dst, offset, n);
            release(tail + n);
            return n;
        }
    }

    /** As {@link #read(byte[], int, int, long, Watch)} into a buffer from its position, up to its limit. */
    int read(ByteBuffer dst, long timeoutNs, Watch watch) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        while (true) {
            long tail = (long) LONG.get(segment, base + TAIL);
            long head = (long) LONG.getAcquire(segment, base + HEAD);
            if (head == tail) {
                if (isClosed() && (long) LONG.getVolatile(segment, base + HEAD) == tail) {
                    return -1;
                }
                awaitChange(HEAD, HEAD_WAITERS, headWord, tail, true, timeoutNs, watch, "bytes in the ring");
                continue;
            }
            int at = (int) (tail & mask);
            int n = Math.min(Math.min(dst.remaining(), (int) (head - tail)), capacity - at);
            dst.put(dst.position(), segment, data + at, n);
            dst.position(dst.position() + n);
            release(tail + n);
            return n;
        }
    }

    /** Takes what is there now, up to {@code length} bytes, without waiting; 0 when the ring is empty. */
    int poll(byte[] dst, int offset, int length) {
        long tail = (long) LONG.get(segment, base + TAIL);
        long head = (long) LONG.getAcquire(segment, base + HEAD);
        int done = 0;
        while (done < length && tail != head) {
            int at = (int) (tail & mask);
            int n = Math.min(Math.min(length - done, (int) (head - tail)), capacity - at);
            segment.get(data + at, dst, offset + done, n);
            tail += n;
            done += n;
        }
        if (done > 0) {
            release(tail);
        }
        return done;
    }

    private void release(long newTail) {
        if (!peerSleeps) {
            LONG.setRelease(segment, base + TAIL, newTail);   // the producer spins when the ring is full
            return;
        }
        LONG.setVolatile(segment, base + TAIL, newTail);
        if ((int) INT.getVolatile(segment, base + TAIL_WAITERS) != 0) {
            ShmNative.futexWake(tailWord, 1);
        }
    }

    // ------------------------------------------------------------------ waiting

    /**
     * Waits until the long at {@code counter} is no longer {@code seen} (or, for the consumer, the ring is closed),
     * for at most {@code timeoutNs}; asks {@code watch} after every wait slice whether to give up.
     */
    private void awaitChange(int counter, int waiters, long word, long seen, boolean orClosed, long timeoutNs,
                             Watch watch, String waitingFor) throws IOException {
        long start = Long.MIN_VALUE;   // the clock is read once a wait lasts: a quick answer costs no clock read
        long lastLook = 0;
        int spins = 0;
        while (true) {
            if ((long) LONG.getVolatile(segment, base + counter) != seen || (orClosed && isClosed())) {
                return;
            }
            long now;
            if (wait == Wait.SPIN) {
                Thread.onSpinWait();
                if (++spins < SPINS_PER_CLOCK_READ) {
                    continue;
                }
                spins = 0;
                /* sched_yield(2) once per thousand spins: if another thread waits for this CPU (the client's reader
                 * and writer threads share one when pinned), it runs now rather than at the end of our time slice. */
                Thread.yield();
                now = System.nanoTime();
                if (start == Long.MIN_VALUE) {
                    start = lastLook = now;
                }
                if (now - lastLook < WAIT_SLICE_NS && now - start < timeoutNs) {
                    continue;
                }
            } else {
                if (start == Long.MIN_VALUE) {
                    start = lastLook = System.nanoTime();
                }
                INT.getAndAdd(segment, base + waiters, 1);   // a full fence: we are counted before we look again
                try {
                    if ((long) LONG.getVolatile(segment, base + counter) == seen && !(orClosed && isClosed())) {
                        long left = timeoutNs - (System.nanoTime() - start);
                        /* futex(2) FUTEX_WAIT: the kernel puts this thread to sleep on the shared page's word while
                         * it still holds the low 32 bits of `seen`; the other process's FUTEX_WAKE (or the time
                         * slice) ends it. Watch: `strace -f -e trace=futex`, or the thread's state S in `top -H`. */
                        ShmNative.futexWait(word, (int) seen, Math.max(1, Math.min(WAIT_SLICE_NS, left)), timespec);
                    }
                } finally {
                    INT.getAndAdd(segment, base + waiters, -1);
                }
                if ((long) LONG.getVolatile(segment, base + counter) != seen || (orClosed && isClosed())) {
                    return;
                }
                now = System.nanoTime();
            }
            boolean sliceOver = now - lastLook >= WAIT_SLICE_NS;
            String trouble = watch.trouble(sliceOver);
            if (trouble != null) {
                throw new IOException(what + ": " + trouble);
            }
            if (sliceOver) {
                lastLook = now;
            }
            if (now - start >= timeoutNs) {
                throw new IOException(what + ": no " + waitingFor + " within " + (timeoutNs / 1_000_000) + " ms"
                        + " (the peer is alive but not " + (counter == HEAD ? "writing" : "reading") + ")");
            }
        }
    }

    /** Wakes whoever sleeps on either word (on close: they then look at the watch). */
    void wakeAll() {
        ShmNative.futexWake(headWord, Integer.MAX_VALUE);
        ShmNative.futexWake(tailWord, Integer.MAX_VALUE);
    }

    /** Back to empty, for the next client of a slot; only when neither side uses the ring. */
    void reset() {
        LONG.setVolatile(segment, base + HEAD, 0L);
        LONG.setVolatile(segment, base + TAIL, 0L);
        tailSeen = 0;
        INT.setVolatile(segment, base + CLOSED, 0);
        INT.setVolatile(segment, base + HEAD_WAITERS, 0);
        INT.setVolatile(segment, base + TAIL_WAITERS, 0);
    }
}
