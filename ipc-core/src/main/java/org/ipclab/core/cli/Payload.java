package org.ipclab.core.cli;

import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes a client sends, readable twice: once to send, once to check the echo.
 *
 * @param description how to name it in a sentence, e.g. "'Hello, world'" or "file big.bin"
 * @param size        how many bytes
 * @param text        the bytes themselves when they are a short message, or null when they are streamed
 * @param opener      opens them from the first byte, as often as asked
 */
public record Payload(String description, long size, byte[] text, Opener opener) {

    public InputStream open() throws IOException {
        return opener.open();
    }

    /** Opens the bytes from the first one. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }
}
