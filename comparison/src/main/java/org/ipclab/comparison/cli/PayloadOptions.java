package org.ipclab.comparison.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.ipclab.core.ClientSettings;
import org.ipclab.core.cli.Payload;
import org.ipclab.core.cli.PseudoRandomBytes;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** What a client sends: a message, a file, or N pseudo-random bytes; how often; how long to wait. */
public final class PayloadOptions {

    static final String DEFAULT_MESSAGE = "Hello, world";

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source = new Source();

    static final class Source {
        @Option(names = "--message", paramLabel = "TEXT", description = "Send this text (UTF-8). Default: \"Hello, world\".")
        String message;

        @Option(names = "--file", paramLabel = "PATH", description = "Send the bytes of this file (streamed: any size).")
        Path file;

        @Option(names = "--size", paramLabel = "BYTES", converter = SizeConverter.class,
                description = "Send this many pseudo-random bytes, e.g. 100, 64KiB, 10MiB (streamed: any size).")
        Long size;
    }

    @Option(names = "--count", paramLabel = "N", defaultValue = "1",
            description = "Round trips on one connection (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "Bound on connecting and on each wait for the echo (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    /** Checks the options and returns the payload; bad input becomes a {@link UserError}. */
    Payload payload() {
        if (count < 1) {
            throw new UserError("--count must be at least 1, not " + count);
        }
        if (timeout.isZero()) {
            throw new UserError("--timeout must be more than 0");
        }
        if (source.file != null) {
            Path file = source.file;
            if (!Files.exists(file)) {
                throw new UserError("file " + file + " does not exist; check --file");
            }
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new UserError(file + " is not a readable regular file; check --file");
            }
            try {
                return new Payload("file " + file, Files.size(file), null, () -> Files.newInputStream(file));
            } catch (IOException e) {
                throw new UserError("cannot read " + file + ": " + e.getMessage());
            }
        }
        if (source.size != null) {
            long size = source.size;
            if (size < 0) {
                throw new UserError("--size must be 0 or more, not " + size);
            }
            return new Payload(size + " pseudo-random bytes", size, null, () -> new PseudoRandomBytes(size));
        }
        String text = source.message != null ? source.message : DEFAULT_MESSAGE;
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new Payload("'" + text + "'", bytes.length, bytes, () -> new ByteArrayInputStream(bytes));
    }

    ClientSettings clientSettings() {
        return ClientSettings.defaults().withTimeout(timeout);
    }
}
