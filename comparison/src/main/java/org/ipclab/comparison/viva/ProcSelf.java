package org.ipclab.comparison.viva;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.ipclab.core.ProcFiles;

/** This process as the kernel shows it under /proc/self (proc(5)): descriptors, signal dispositions, mappings. */
final class ProcSelf {

    static final Path FD = Path.of("/proc/self/fd");
    static final Path STATUS = Path.of("/proc/self/status");
    static final Path MAPS = Path.of("/proc/self/maps");

    private ProcSelf() {
    }

    /** Descriptor numbers whose /proc/self/fd link reads {@code target}, e.g. "socket:[12345]". */
    static List<Integer> descriptorsOf(String target) throws IOException {
        List<Integer> fds = new ArrayList<>();
        try (Stream<Path> entries = Files.list(FD)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                try {
                    if (Files.readSymbolicLink(entry).toString().equals(target)) {
                        fds.add(Integer.parseInt(entry.getFileName().toString()));
                    }
                } catch (IOException | NumberFormatException ignored) {
                    // a descriptor closed while we listed them (or the one the listing itself used)
                }
            }
        }
        fds.sort(null);
        return fds;
    }

    /** What /proc/self/fd/N links to ("socket:[123]", "pipe:[456]", "/ipclab-viva-1"), if N is open. */
    static Optional<String> link(int fd) {
        try {
            return Optional.of(Files.readSymbolicLink(FD.resolve(Integer.toString(fd))).toString());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A field of /proc/self/status, e.g. "SigCgt" → "2000000101005ccf". */
    static Optional<String> status(String field) throws IOException {
        for (String line : ProcFiles.read(STATUS).split("\n")) {
            if (line.startsWith(field + ":")) {
                return Optional.of(line.substring(field.length() + 1).trim());
            }
        }
        return Optional.empty();
    }

    /** Whether bit {@code signal - 1} is set in a /proc/PID/status signal mask (SigIgn, SigCgt, SigBlk). */
    static boolean hasSignal(String hexMask, int signal) {
        return new java.math.BigInteger(hexMask, 16).testBit(signal - 1);
    }

    /** Lines of /proc/self/maps that map a file under {@code dir}. */
    static List<String> mappingsUnder(Path dir) throws IOException {
        String prefix = dir.toAbsolutePath().toString();
        List<String> found = new ArrayList<>();
        for (String line : ProcFiles.read(MAPS).split("\n")) {
            int slash = line.indexOf('/');
            if (slash >= 0 && line.substring(slash).startsWith(prefix)) {
                found.add(line.trim().replaceAll("\\s+", " "));
            }
        }
        return found;
    }
}
