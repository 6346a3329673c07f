package org.ipclab.core.cli;

import java.io.IOException;
import java.io.PrintStream;

import org.ipclab.core.ClientSettings;

/**
 * A client that does something other than send and check the echo (e.g. Chronicle's --send-only: append and leave,
 * for a server started later to answer).
 */
@FunctionalInterface
public interface ClientAction {

    /** @return the exit code: 0 when it did what was asked */
    int run(ClientSettings settings, Payload payload, int count, PrintStream out) throws IOException;
}
