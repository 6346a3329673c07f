package org.ipclab.queue.chronicle;

/**
 * System properties Chronicle reads once, when its classes initialise; set here before any Chronicle
 * class is touched, for JVMs started without ipc-lab's flags (an IDE, a test runner). The flags in
 * ipc-core's jvm-flags.txt set the same values first; a value already set is never changed.
 */
public final class ChronicleSettings {

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
    }

    private static void setIfAbsent(String name, String value) {
        if (System.getProperty(name) == null && value != null) {
            System.setProperty(name, value);
        }
    }
}
