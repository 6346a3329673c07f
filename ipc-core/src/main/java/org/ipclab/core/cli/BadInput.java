package org.ipclab.core.cli;

/**
 * The user asked for something that cannot be done as asked: the command prints this one line (what is wrong,
 * what to do) and exits with code 2, without a stack trace.
 */
public final class BadInput extends RuntimeException {

    public BadInput(String message) {
        super(message, null, false, false);
    }
}
