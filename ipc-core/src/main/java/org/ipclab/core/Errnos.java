package org.ipclab.core;

import jnr.constants.platform.Errno;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * errno as the man pages name it: every module that makes raw system calls reports a failure through here, so
 * "EAGAIN (Resource temporarily unavailable)" reads the same everywhere. errno(3) lists the names; {@code strace}
 * prints a failed call as {@code = -1 EAGAIN (Resource temporarily unavailable)}, the same form.
 */
public final class Errnos {

    private static final POSIX POSIX = POSIXFactory.getNativePOSIX();

    private Errnos() {
    }

    /** "EPIPE", or "errno 4242" for a number this platform does not name. */
    public static String name(int errno) {
        Errno e = Errno.valueOf(errno);
        return e == null || e == Errno.__UNKNOWN_CONSTANT__ ? "errno " + errno : e.name();
    }

    /** "EPIPE (Broken pipe)": the name and the text strerror(3) prints. */
    public static String text(int errno) {
        Errno e = Errno.valueOf(errno);
        if (e == null || e == Errno.__UNKNOWN_CONSTANT__) {
            return "errno " + errno;
        }
        return e.name() + " (" + (POSIX.isNative() ? POSIX.strerror(errno) : e.description()) + ")";
    }

    /**
     * The errno behind a JDK exception message: the JDK passes strerror(3)'s text through ("Connection refused"),
     * so the name is found by asking strerror about every errno. Null when the message is not strerror text.
     */
    public static String nameOf(Throwable failure) {
        String message = failure.getMessage();
        if ("Connection reset".equals(message)) {
            // the JDK's own wording for ECONNRESET on a socket read (strerror says "Connection reset by peer")
            return Errno.ECONNRESET.name();
        }
        if (message == null || !POSIX.isNative()) {
            return null;
        }
        for (Errno errno : Errno.values()) {
            if (errno.defined() && errno != Errno.__UNKNOWN_CONSTANT__ && message.equals(POSIX.strerror(errno.intValue()))) {
                return errno.name();
            }
        }
        return null;
    }

    /** "ECONNREFUSED (Connection refused)" when the message is strerror text, else the exception as it is. */
    public static String describe(Throwable failure) {
        String name = nameOf(failure);
        return name != null ? name + " (" + failure.getMessage() + ")"
                : failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }
}
