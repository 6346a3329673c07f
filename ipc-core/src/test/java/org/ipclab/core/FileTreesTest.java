package org.ipclab.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

    @Test
    void deletesATreeButNotWhatASymlinkInsidePointsTo(@TempDir Path dir) throws Exception {
        Path outside = Files.writeString(dir.resolve("keep.txt"), "keep");
        Path root = Files.createDirectories(dir.resolve("root/a/b"));
        Files.writeString(root.resolve("f"), "x");
        Files.createSymbolicLink(dir.resolve("root/link"), outside);
        FileTrees.delete(dir.resolve("root"));
        assertFalse(Files.exists(dir.resolve("root")));
        assertTrue(Files.exists(outside), "a symbolic link is removed, not followed");
        FileTrees.delete(dir.resolve("root"));   // a missing root is nothing to do
    }
}
