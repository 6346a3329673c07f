package org.ipclab.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class ProcFilesTest {

    @Test
    @EnabledOnOs(OS.LINUX)
    void readsWholeProcFileUnlikeFilesReadString() throws Exception {
        Path pidMax = Path.of("/proc/sys/kernel/pid_max");
        String whole = ProcFiles.read(pidMax).trim();
        // what `cat` prints is what we read, however Files.readString behaves on this kernel
        Process cat = new ProcessBuilder("cat", pidMax.toString()).start();
        String viaCat = new String(cat.getInputStream().readAllBytes()).trim();
        assertEquals(viaCat, whole);
        assertTrue(ProcFiles.readLong(pidMax).getAsLong() > 1);
    }

    @Test
    void missingFileIsEmpty(@TempDir Path dir) throws Exception {
        assertTrue(ProcFiles.readIfPresent(dir.resolve("nope")).isEmpty());
        Files.writeString(dir.resolve("n"), "12 34\n");
        assertEquals(12, ProcFiles.readLong(dir.resolve("n")).getAsLong());
    }
}
