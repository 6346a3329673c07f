package org.ipclab.queue;

import jnr.ffi.Pointer;

/**
 * The lab's small protocol on top of the queues. A queue carries messages, not connections: many clients
 * send into one request queue, so the server must learn who sent each message. It does so without a header
 * on the data, from the message's <em>priority</em>, which mq_send takes and mq_receive reports: each client
 * is given a priority of its own when it says HELLO.
 *
 * <pre>
 * client -> /ipclab-NAME-req                          priority
 *   HELLO   | kind 1 | 0 0 0 | client pid | client seq |  {@value #HELLO_PRIORITY}: after every message of the clients already served
 *   DATA    | payload ... |                               the client's own, {@value #FIRST_CLIENT_PRIORITY} to {@value #LAST_CLIENT_PRIORITY}
 *   END     (empty message)                               the client's own: it has finished sending
 *   WAKE    (empty message, from the server itself)      {@value #WAKE_PRIORITY}: after everything else
 * server -> the client's /ipclab-NAME-rsp-PID-SEQ
 *   ACK     | server pid | status | the client's priority |   first, in answer to HELLO
 *   echo    | payload ... |                               one message per DATA message, unchanged
 *   end     (empty message)                               the server has finished with this client
 * </pre>
 *
 * <p>Why this works: a queue hands out the highest priority first and, within one priority, first in, first
 * out. One client's messages all share its priority, so they keep their order, and its END comes after its
 * last DATA. Data messages carry nothing but data, so a 64 KiB echo is exactly 8 messages of 8192 bytes each
 * way, as in the C baseline.
 *
 * <p>HELLO has the lowest client priority so that the clients already served come first, as a busy socket
 * server finishes its work before it accepts: in particular a client's END is handled before the HELLO of
 * the next client, so a program that connects and closes in a loop never has more than one old response
 * queue held open by the server (each one counts against RLIMIT_MSGQUEUE until the server closes it).
 *
 * <p>The price of priorities: between clients the higher priority is served first (clients get priorities
 * from the highest down, so earlier clients come first), and a client streaming without pause delays the
 * others, new ones included (starvation, the classic hazard of priority queues). A client waiting for its
 * echo sends nothing, which lets the others through.
 *
 * <p>Integers are in the machine's byte order: both ends are on one host.
 */
final class MqFrame {

    /** POSIX guarantees at least 32 priorities; Linux has 32768 (sysconf(_SC_MQ_PRIO_MAX)): 0 to 32767. */
    static final int MQ_PRIO_MAX = 32768;

    static final int WAKE_PRIORITY = 0;
    static final int HELLO_PRIORITY = 1;
    static final int FIRST_CLIENT_PRIORITY = 2;
    static final int LAST_CLIENT_PRIORITY = MQ_PRIO_MAX - 1;

    static final int HELLO_BYTES = 12;
    static final int KIND = 0;
    static final int CLIENT_PID = 4;
    static final int CLIENT_SEQ = 8;
    static final byte HELLO = 1;

    static final int ACK_BYTES = 12;
    static final int ACK_SERVER_PID = 0;
    static final int ACK_STATUS = 4;
    static final int ACK_PRIORITY = 8;
    static final int STATUS_ACCEPTED = 0;
    static final int STATUS_TOO_MANY_CLIENTS = 1;

    private MqFrame() {
    }

    static void writeHello(Pointer message, int clientPid, int clientSeq) {
        message.putInt(KIND, 0);   // the kind byte and three bytes of padding
        message.putByte(KIND, HELLO);
        message.putInt(CLIENT_PID, clientPid);
        message.putInt(CLIENT_SEQ, clientSeq);
    }

    static void writeAck(Pointer message, int serverPid, int status, int priority) {
        message.putInt(ACK_SERVER_PID, serverPid);
        message.putInt(ACK_STATUS, status);
        message.putInt(ACK_PRIORITY, priority);
    }
}
