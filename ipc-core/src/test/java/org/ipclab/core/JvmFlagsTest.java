package org.ipclab.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;

import org.junit.jupiter.api.Test;

class JvmFlagsTest {

    @Test
    void surefireRunsWithEveryFlagOfRecord() {
        // The parent pom repeats jvm-flags.txt for surefire's argLine; if they drift, tests of Chronicle
        // would pass here and fail in child JVMs (or the other way round).
        List<String> running = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String flag : JvmFlags.COMMON) {
            assertTrue(running.contains(flag), "surefire's argLine lacks " + flag + ": " + running);
        }
    }

    @Test
    void childJavaCommandCarriesFlagsClassPathAndMain() {
        List<String> command = JvmFlags.javaCommand(List.of("-Xmx64m"), "a.Main", List.of("x"));
        assertTrue(command.get(0).endsWith("/bin/java"));
        assertTrue(command.containsAll(JvmFlags.COMMON));
        int cp = command.indexOf("-cp");
        assertEquals(System.getProperty("java.class.path"), command.get(cp + 1));
        assertEquals(List.of("a.Main", "x"), command.subList(command.size() - 2, command.size()));
    }

    @Test
    void exitCodesAreExplained() {
        assertEquals("code 137 (killed by SIGKILL)", ChildProcess.describeExitCode(137));
        assertEquals("code 143 (killed by SIGTERM)", ChildProcess.describeExitCode(143));
        assertEquals("code 1", ChildProcess.describeExitCode(1));
    }
}
