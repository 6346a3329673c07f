package org.ipclab.comparison.cli;

/** The command line's exit codes. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Something failed while running: an echo differed, a server died. */
    public static final int FAILED = 1;
    /** Bad input: an option, a file, an address that does not work. */
    public static final int BAD_INPUT = 2;

    private ExitCodes() {
    }
}
