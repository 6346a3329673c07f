package org.ipclab.comparison.viva;

import jnr.constants.platform.Errno;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * The errno behind a JDK exception: the JDK passes strerror(3)'s text through ("Broken pipe", "Address already in
 * use"), so the name the man pages use (EPIPE, EADDRINUSE) is found by asking strerror about every errno.
 */
final class Errnos {

    static final POSIX POSIX = POSIXFactory.getNativePOSIX();

    private Errnos() {
    }

    /** "EPIPE" for a "Broken pipe" exception; null when the message is not strerror text. */
    static String nameOf(Throwable failure) {
        String message = failure.getMessage();
        if ("Connection reset".equals(message)) {
            return Errno.ECONNRESET.name(); // the JDK's own wording; strerror says "Connection reset by peer"
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

    /** "EPIPE (Broken pipe)", or the exception's class and message when it is not an errno. */
    static String describe(Throwable failure) {
        String name = nameOf(failure);
        return name != null ? name + " (" + failure.getMessage() + ")"
                : failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    /** "EAGAIN (Resource temporarily unavailable)" for a raw errno number. */
    static String describe(int errno) {
        Errno e = Errno.valueOf(errno);
        String name = e == Errno.__UNKNOWN_CONSTANT__ ? "errno " + errno : e.name();
        return name + " (" + POSIX.strerror(errno) + ")";
    }
}
