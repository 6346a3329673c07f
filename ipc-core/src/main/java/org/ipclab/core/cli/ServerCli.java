package org.ipclab.core.cli;

import java.util.List;

/** {@code ipc-lab server ID}: its help, its own options and how they start the server. */
public interface ServerCli {

    /** The help's description, one paragraph per element. */
    List<String> description();

    /** The options only this transport's server takes (in any order: the help sorts them). */
    List<CliOption> options();

    /**
     * Whether the server holds connections, so takes the shared {@code --idle-timeout} and
     * {@code --max-connections}.
     */
    default boolean holdsConnections() {
        return true;
    }

    /**
     * Whether {@code server ID} takes any arguments without complaint: for a transport that has no server,
     * whose {@link #start} says so whatever was typed.
     */
    default boolean ignoresArguments() {
        return false;
    }

    /** Checks the values and says where and how to serve; bad values throw {@link BadInput}. */
    ServerStart start(CliValues values);

    /**
     * The one line the user reads when the server could not start with {@code message} (e.g. "Address already in
     * use" becomes which port, how to see who holds it, what to do).
     */
    default String explainFailure(String message, CliValues values) {
        return message;
    }
}
