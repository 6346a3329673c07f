package org.ipclab.core.experiments;

import java.io.PrintStream;
import java.time.Duration;

/**
 * What a child of the property experiments may say, and how it waits: the line protocol between
 * {@link PropertyChildMain} (child) and {@link ChildJvm} (parent). Lines go to stdout, one per event
 * ({@code READY ...}, {@code ACCEPTED ...}, {@code ECHOED ...}, {@code READ ...}, {@code FAILED ...}).
 */
public final class ChildSide {

    public static final String READY = "READY ";
    public static final String ACCEPTED = "ACCEPTED ";
    public static final String ECHOED = "ECHOED ";
    public static final String FAILED = "FAILED ";
    public static final String READ = "READ ";
    /** Not printed by the child: {@link ChildJvm} queues it when the child's stdout ends. */
    static final String EOF = "\u0000EOF";

    /** A child exits after this long whatever happens. */
    public static final Duration MAX_LIFETIME = Duration.ofSeconds(60);
    /** A child's own connects and reads give up after this long. */
    public static final Duration IO_TIMEOUT = Duration.ofSeconds(5);

    private static final PrintStream OUT = System.out;

    private ChildSide() {
    }

    /** One line to the parent, flushed at once (the parent is waiting for it). */
    public static void say(String line) {
        OUT.println(line);
        OUT.flush();
    }

    /** Holds what the child opened until the parent closes our stdin (the stdin watcher then exits the JVM). */
    public static void sleepUntilParentGoes() {
        try {
            Thread.sleep(MAX_LIFETIME.toMillis());
        } catch (InterruptedException ignored) {
            // exit below
        }
        System.exit(3);
    }
}
