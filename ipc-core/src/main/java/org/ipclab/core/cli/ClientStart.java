package org.ipclab.core.cli;

import java.util.Map;
import java.util.Objects;

/**
 * Where one client connects, from its command line.
 *
 * @param endpoint  what {@link org.ipclab.core.EchoTransport#connect} takes
 * @param options   transport options passed through {@link org.ipclab.core.ClientSettings#options()}
 * @param startHint how to start a server for it, for "no server" errors, e.g. "./ipc-lab server tcp"
 * @param instead   what to do instead of the usual send-and-check-the-echo, or null for the usual
 */
public record ClientStart(String endpoint, Map<String, String> options, String startHint, ClientAction instead) {

    public ClientStart {
        Objects.requireNonNull(endpoint, "endpoint");
        options = Map.copyOf(options);
    }

    /** The usual client, with no transport options. */
    public static ClientStart at(String endpoint, String startHint) {
        return new ClientStart(endpoint, Map.of(), startHint, null);
    }
}
