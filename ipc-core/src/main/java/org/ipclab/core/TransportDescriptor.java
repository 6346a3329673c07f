package org.ipclab.core;

import java.util.Objects;

/**
 * What the command line, the comparison and the report need to know about one transport, declared by the transport
 * itself, so that nothing outside the transport's module names it. The harness copies it into results.json; the
 * report draws its tables, colours and diagrams from that copy.
 *
 * @param id          the id used everywhere (CLI, results.json, the report), e.g. "tcp"
 * @param summary     one line for humans: what the mechanism is
 * @param kind        what a reader gets back from one read: a byte stream, a datagram, a message or a log entry
 * @param reach       which processes can meet over it
 * @param order       where it stands in tables and charts (sockets first, then pipes, then queues); ties by id
 * @param colour      its colour in every chart, as "#RRGGBB"
 * @param possessive  for prose: "a TCP socket's", as in "… costs 2.4× a TCP socket's"
 * @param nativeMode  the mode of native/ipclab_floor.c that does the same work in C, or "" when there is none
 */
public record TransportDescriptor(String id, String summary, Kind kind, Reach reach, int order, String colour,
                                  String possessive, String nativeMode) {

    public TransportDescriptor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reach, "reach");
        Objects.requireNonNull(colour, "colour");
        Objects.requireNonNull(possessive, "possessive");
        Objects.requireNonNull(nativeMode, "nativeMode");
        if (!colour.matches("#[0-9A-Fa-f]{6}")) {
            throw new IllegalArgumentException("colour must be #RRGGBB, not " + colour);
        }
    }

    /** What one read returns. */
    public enum Kind {
        /** Bytes in order with no boundaries (TCP, Unix stream sockets, pipes, FIFOs). */
        BYTE_STREAM,
        /** One datagram per read, each on its own, may be lost or reordered (UDP). */
        DATAGRAM,
        /** One whole message per read, boundaries kept (message queues). */
        MESSAGE,
        /** Entries appended to a persisted log that readers tail (Chronicle Queue, Kafka). */
        LOG
    }

    /** Which processes can meet over the mechanism. */
    public enum Reach {
        /** Only a parent and the children it starts (an anonymous pipe). */
        RELATED_PROCESSES,
        /** Any process on this host that knows the path or name and may open it. */
        SAME_HOST,
        /** Any process on any host that can reach the address. */
        ANY_HOST
    }

    public boolean hasNativeFloor() {
        return !nativeMode.isEmpty();
    }
}
