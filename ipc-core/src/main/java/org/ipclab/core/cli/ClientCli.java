package org.ipclab.core.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code ipc-lab client ID}: its help, its own options and how they reach the server. */
public interface ClientCli {

    /** The help's description, one paragraph per element. */
    List<String> description();

    /** The options only this transport's client takes (the payload, count and timeout are shared). */
    List<CliOption> options();

    /**
     * Checks the values and says where to connect; bad values throw {@link BadInput}. It may print what the user
     * should know before the client connects (e.g. that no server runs yet and the message will wait).
     *
     * @param timeout the client's --timeout, for such lines
     */
    ClientStart start(CliValues values, Duration timeout, PrintStream out);

    /**
     * The one line for an error that surfaced outside the transport's own calls (e.g. a late SIGBUS on a mapped
     * file), or empty to let it through as it is.
     */
    default Optional<String> explain(Throwable error) {
        return Optional.empty();
    }
}
