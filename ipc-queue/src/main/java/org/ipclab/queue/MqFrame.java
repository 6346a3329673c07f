package org.ipclab.queue;

import jnr.ffi.Pointer;

/**
 * The lab's small protocol on top of the queues. A queue carries messages, not connections, so every
 * request says who sent it, and the server answers in the sender's own response queue.
 *
 * <pre>
 * request  (client -> /ipclab-NAME-req):   | kind (1) | 0 0 0 | client pid (4) | client seq (4) | payload ... |
 * response (server -> the client's queue): | payload ... |                       (bare echoed bytes)
 * </pre>
 *
 * <ul>
 *   <li>HELLO: the client has created its response queue ({@link MqNames#responseQueue}) and asks to be
 *       served. The server opens that queue and answers with an ACK: {@code | server pid (4) | status (4) |}.</li>
 *   <li>DATA: payload to echo; the server sends it back unchanged, as one message.</li>
 *   <li>END: the client has finished sending (finishSending or close): the server forgets it and answers
 *       with an empty message, the end of the echo.</li>
 *   <li>STOP: from the server to itself, to wake its receive loop when it is closed.</li>
 * </ul>
 * An empty response message after the ACK is end of file: the server has finished with this client (END,
 * idle timeout, or shutdown). Integers are in the machine's byte order: both ends are on one host.
 */
final class MqFrame {

    static final int HEADER_BYTES = 12;
    static final int KIND = 0;
    static final int CLIENT_PID = 4;
    static final int CLIENT_SEQ = 8;

    static final byte HELLO = 1;
    static final byte DATA = 2;
    static final byte END = 3;
    static final byte STOP = 4;

    static final int ACK_BYTES = 8;
    static final int ACK_SERVER_PID = 0;
    static final int ACK_STATUS = 4;
    static final int STATUS_ACCEPTED = 0;
    static final int STATUS_TOO_MANY_CLIENTS = 1;

    private MqFrame() {
    }

    static void writeHeader(Pointer message, byte kind, int clientPid, int clientSeq) {
        message.putInt(KIND, 0);   // the kind byte and three bytes of padding
        message.putByte(KIND, kind);
        message.putInt(CLIENT_PID, clientPid);
        message.putInt(CLIENT_SEQ, clientSeq);
    }

    static String kindName(int kind) {
        return switch (kind) {
            case HELLO -> "HELLO";
            case DATA -> "DATA";
            case END -> "END";
            case STOP -> "STOP";
            default -> "unknown kind " + kind;
        };
    }
}
