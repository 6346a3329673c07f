package org.ipclab.core;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads kernel files under /proc and /sys.
 *
 * <p>Do not use {@code Files.readString} or {@code Files.readAllBytes} here: these files report a size of 0,
 * and on this kernel the JDK's size-guided read returns only the first byte ("4" for a somaxconn of 4096).
 * A plain stream read until end of file is right.
 */
public final class ProcFiles {

    private ProcFiles() {
    }

    public static String read(Path path) throws IOException {
        try (FileInputStream in = new FileInputStream(path.toFile())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The file's trimmed text, or empty when it does not exist or cannot be read. */
    public static Optional<String> readIfPresent(Path path) {
        try {
            return Optional.of(read(path).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A file holding one number, such as /proc/sys/net/core/somaxconn. */
    public static OptionalLong readLong(Path path) {
        Optional<String> text = readIfPresent(path);
        if (text.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(text.get().split("\\s+")[0]));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
