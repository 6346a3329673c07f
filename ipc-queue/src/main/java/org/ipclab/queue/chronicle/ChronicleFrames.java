package org.ipclab.queue.chronicle;

/**
 * The layout of ipc-lab's messages inside Chronicle excerpts. Chronicle only frames bytes (a 4-byte
 * header with the length, then the excerpt); everything below is ours, written and read as raw
 * little-endian bytes with no Wire encoding, so {@code ChronicleQueue.dump()} or a hex dump of the
 * {@code .cq4} file shows it as is.
 *
 * <pre>
 * request  (requests queue, written by clients):   clientId:long  kind:int  seq:long  payload...
 * response (responses queue, written by the server): clientId:long  seq:long  requestIndex:long  payload...
 * </pre>
 *
 * <ul>
 *   <li>{@code clientId}: random, chosen by each client when it connects. Every client tails the one
 *       responses queue and keeps only excerpts carrying its own id.</li>
 *   <li>{@code seq}: 1, 2, 3... for a client's DATA messages. The client checks the echoes come back
 *       numbered exactly so: a repeated number is a duplicate and is dropped, a skipped one is a loss
 *       and is reported. For HELLO and BYE it is the count of DATA messages sent so far.</li>
 *   <li>{@code requestIndex}: the Chronicle index of the request this response answers. A restarted
 *       server reads the last response and resumes right after that request: the responses queue is
 *       the server's only record of progress, so no request is answered twice or skipped. HELLO and BYE
 *       get a response too, with seq 0 and no payload, so every request leaves exactly one mark.</li>
 * </ul>
 */
final class ChronicleFrames {

    /** The sequence number of a response that only acknowledges a HELLO or BYE; clients skip it. */
    static final long ACK_SEQ = 0;

    /** A client announces itself; payload: its pid (long). Acknowledged, not echoed. */
    static final int HELLO = 1;
    /** Bytes to echo. */
    static final int DATA = 2;
    /** The client finished sending; payload: none. Acknowledged, not echoed. */
    static final int BYE = 3;

    static final int REQUEST_HEADER_BYTES = Long.BYTES + Integer.BYTES + Long.BYTES;
    static final int RESPONSE_HEADER_BYTES = 3 * Long.BYTES;

    private ChronicleFrames() {
    }

    static String kindName(int kind) {
        return switch (kind) {
            case HELLO -> "HELLO";
            case DATA -> "DATA";
            case BYE -> "BYE";
            default -> "kind " + kind;
        };
    }

    /** How a client id appears in logs: 8 hex digits are enough to tell clients apart by eye. */
    static String shortId(long clientId) {
        String hex = Long.toHexString(clientId);
        return hex.length() > 8 ? hex.substring(0, 8) : hex;
    }
}
