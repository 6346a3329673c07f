package org.ipclab.core;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Removes the scratch directories that servers, benchmarks and tests make, so none outlives its run. */
public final class FileTrees {

    /** Temporary trees made by {@link #temporary}, still to be deleted when the JVM exits. */
    private static final Set<Path> ON_EXIT = new LinkedHashSet<>();
    private static boolean hookAdded;

    private FileTrees() {
    }

    /**
     * A new directory in the system's temporary directory that is deleted, with everything in it, when the JVM
     * exits — also on SIGTERM or Ctrl-C (SIGINT), which run shutdown hooks; only SIGKILL leaves it for the OS to
     * clear. Delete it earlier with {@link #delete}, as usual.
     */
    public static Path temporary(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        synchronized (ON_EXIT) {
            if (!hookAdded) {
                Runtime.getRuntime().addShutdownHook(new Thread(FileTrees::deleteAllOnExit, "delete-temporary-trees"));
                hookAdded = true;
            }
            ON_EXIT.add(dir);
        }
        return dir;
    }

    private static void deleteAllOnExit() {
        List<Path> left;
        synchronized (ON_EXIT) {
            left = new ArrayList<>(ON_EXIT);
        }
        left.forEach(FileTrees::deleteOnExit);
    }

    /**
     * Shutdown hooks run at once, in no order: a child process another hook is stopping may still be creating files
     * in the tree as we walk it, so the last rmdir fails (ENOTEMPTY). Try again a few times, 50 ms apart (at most
     * half a second per tree), which outlasts a child that was sent SIGTERM.
     */
    private static void deleteOnExit(Path root) {
        for (int attempt = 1; ; attempt++) {
            try {
                delete(root);
                return;
            } catch (IOException e) {
                if (attempt == 10) {
                    return;   // best effort: what is left is in the temporary directory, which the OS clears
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Deletes {@code root} and everything in it, without following symbolic links. Files that vanish while
     * we walk (another process removed them first) are not an error; a missing root is nothing to do.
     */
    public static void delete(Path root) throws IOException {
        if (root != null) {
            synchronized (ON_EXIT) {
                ON_EXIT.remove(root);
            }
        }
        if (root == null || !Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw exc;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null && !(exc instanceof NoSuchFileException)) {
                    throw exc;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** {@link #delete}, for cleanup paths where a failure must not hide the result (best effort). */
    public static void deleteQuietly(Path root) {
        try {
            delete(root);
        } catch (IOException ignored) {
            // best effort: what is left is in the temporary directory, which the OS clears
        }
    }
}
