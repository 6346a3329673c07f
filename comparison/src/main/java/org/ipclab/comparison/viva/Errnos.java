package org.ipclab.comparison.viva;

import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/** errno naming for the viva experiments: the one implementation is {@link org.ipclab.core.Errnos}. */
final class Errnos {

    static final POSIX POSIX = POSIXFactory.getNativePOSIX();

    private Errnos() {
    }

    /** "EPIPE" for a "Broken pipe" exception; null when the message is not strerror text. */
    static String nameOf(Throwable failure) {
        return org.ipclab.core.Errnos.nameOf(failure);
    }

    /** "EPIPE (Broken pipe)", or the exception's class and message when it is not an errno. */
    static String describe(Throwable failure) {
        return org.ipclab.core.Errnos.describe(failure);
    }

    /** "EAGAIN (Resource temporarily unavailable)" for a raw errno number. */
    static String describe(int errno) {
        return org.ipclab.core.Errnos.text(errno);
    }
}
