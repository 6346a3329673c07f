package org.ipclab.comparison.cli;

/**
 * Bad input: the command line prints the message as one line on stderr and exits with code 2. The message
 * says what is wrong and what to do.
 */
public final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message, null, false, false);
    }
}
