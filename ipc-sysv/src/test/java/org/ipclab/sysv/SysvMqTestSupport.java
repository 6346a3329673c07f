package org.ipclab.sysv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What `ipcs -q` shows, read from /proc/sysvipc/msg (the file ipcs reads). */
final class SysvMqTestSupport {

    private SysvMqTestSupport() {
    }

    /** Every queue's key now, from /proc/sysvipc/msg (columns: key msqid perms cbytes qnum ...). */
    static List<Integer> keys() throws IOException {
        List<Integer> keys = new ArrayList<>();
        List<String> lines = Files.readAllLines(Path.of("/proc/sysvipc/msg"));
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.trim().split("\\s+");
            keys.add((int) Long.parseLong(fields[0]));
        }
        return keys;
    }

    /** Queues left with the key of a scratch name this JVM gave out (the first 2,000), as "name (key)". */
    static List<String> leftoverScratchQueues() throws IOException {
        Set<Integer> present = new HashSet<>(keys());
        List<String> left = new ArrayList<>();
        for (int n = 0; n < 2000; n++) {
            String name = "scratch-" + ProcessHandle.current().pid() + "-" + n;
            int key = SysvMqProtocol.key(name);
            if (present.contains(key)) {
                left.add(name + " (" + SysvMqProtocol.hex(key) + ")");
            }
        }
        return left;
    }

    static boolean queueExists(String name) throws IOException {
        return keys().contains(SysvMqProtocol.key(name));
    }
}
