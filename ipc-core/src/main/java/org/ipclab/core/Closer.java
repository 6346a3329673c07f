package org.ipclab.core;

import java.io.IOException;

/** Closes many resources: every one is closed, the first failure is thrown, the rest are suppressed. */
public final class Closer {

    private Closer() {
    }

    public static void closeAll(AutoCloseable... resources) throws IOException {
        Throwable first = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Throwable t) {
                if (first == null) {
                    first = t;
                } else {
                    first.addSuppressed(t);
                }
            }
        }
        if (first instanceof IOException io) {
            throw io;
        }
        if (first instanceof RuntimeException re) {
            throw re;
        }
        if (first instanceof Error error) {
            throw error;
        }
        if (first != null) {
            throw new IOException(first.getMessage(), first);
        }
    }

    /** For cleanup after an earlier failure: closes and adds any failure to {@code primary}. */
    public static void closeQuietly(Throwable primary, AutoCloseable... resources) {
        try {
            closeAll(resources);
        } catch (Throwable t) {
            if (primary != null && primary != t) {
                primary.addSuppressed(t);
            }
        }
    }
}
