package org.ipclab.report.backlog;

/** How a client's story ended, once the server had (or had not) started accepting. */
public enum Fate {
    /** Its probe came back unchanged: the server accepted it and echoed. */
    SERVED,
    /** Its connect timeout expired before the connection completed. */
    GAVE_UP,
    /** connect() was refused (ECONNREFUSED). */
    REFUSED,
    /** The connection was reset (ECONNRESET), before or after connect() succeeded. */
    RESET,
    /** Another error, or the echo differed; see the client's {@code error}. */
    FAILED,
    /** Still connecting, or connected and waiting for its echo, when the trial ended. */
    UNSERVED
}
