package org.ipclab.report.backlog;

/** What a client's non-blocking connect() came to, from the client's side. */
public enum ConnectOutcome {
    /** connect() completed: the client received the server's SYN-ACK and answered it. */
    CONNECTED,
    /** The client's own connect timeout expired first; it closed the socket (gave up). */
    TIMED_OUT,
    /** The kernel gave up after its SYN retransmissions (ETIMEDOUT, "Connection timed out"). */
    KERNEL_TIMED_OUT,
    /** The server's kernel answered the SYN with a reset (ECONNREFUSED, "Connection refused"). */
    REFUSED,
    /** The connection was reset (ECONNRESET). */
    RESET,
    /** Any other error; see the client's {@code error}. */
    FAILED,
    /** The run ended before this client's connect() finished (it was still retrying). */
    PENDING
}
