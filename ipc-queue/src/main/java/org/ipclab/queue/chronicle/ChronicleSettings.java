package org.ipclab.queue.chronicle;

/**
 * System properties Chronicle reads once, when its classes initialise; set here before any Chronicle
 * class is touched, for JVMs started without ipc-lab's flags (an IDE, a test runner). The flags in
 * ipc-core's jvm-flags.txt set the same values first; a value already set is never changed.
 */
public final class ChronicleSettings {

    private static boolean cleanupRegistered;

    private ChronicleSettings() {
    }

    /** Sets them, unless already set; call before the first Chronicle class loads. */
    public static void apply() {
        // Without these Chronicle makes an outbound analytics call, writes files in the home directory and
        // prints a banner to STDOUT: fatal for a process whose stdout is a protocol (ServeMain's READY line).
        setIfAbsent("chronicle.analytics.disable", "true");
        setIfAbsent("chronicle.announcer.disable", "true");
        // JNA unpacks its native library into ~/.cache/JNA/temp by default and leaves that directory
        // behind; unpacked into the temp directory instead, it is deleted as soon as it is loaded.
        setIfAbsent("jna.tmpdir", System.getProperty("java.io.tmpdir"));
        removeAtExitWhatChronicleMakes();
    }

    /**
     * Chronicle looks for a build directory when its {@code OS} class loads ("target" or "build" in the working
     * directory or above it) and, finding none, makes {@code ${java.io.tmpdir}/target} and leaves it behind (with
     * {@code project.build.directory} set it makes a "tmp" directory there instead). When that directory is not
     * there yet, it is removed again when the JVM exits, if it is still empty. A SIGKILLed JVM leaves it: empty.
     */
    private static synchronized void removeAtExitWhatChronicleMakes() {
        if (cleanupRegistered || System.getProperty("project.build.directory") != null) {
            return;
        }
        cleanupRegistered = true;
        java.io.File target = new java.io.File(System.getProperty("java.io.tmpdir"), "target");
        if (!target.exists()) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                String[] left = target.list();
                if (left != null && left.length == 0 && !target.delete()) {
                    System.err.println("ipc-lab: could not remove the empty " + target + " Chronicle made");
                }
            }, "remove-chronicle-target"));
        }
    }

    private static void setIfAbsent(String name, String value) {
        if (System.getProperty(name) == null && value != null) {
            System.setProperty(name, value);
        }
    }
}
