package org.ipclab.socket.lab;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The lab's four programs as commands (Java from the class path or its source file, Python from test resources). */
public final class LabPrograms {

    public static final Path SOURCES = Path.of("src/main/java/org/ipclab/socket/lab");
    public static final String PYTHON_SERVER = "lab_server.py";
    public static final String PYTHON_CLIENT = "lab_client.py";

    private LabPrograms() {
    }

    /** The listing of LabServer.java or LabClient.java as it is in the source tree. */
    public static String source(Class<?> program) throws IOException {
        return Files.readString(SOURCES.resolve(program.getSimpleName() + ".java"), StandardCharsets.UTF_8);
    }

    /** {@code java -cp <class path> <program> args...}: the compiled class, as the harness runs it. */
    public static List<String> java(Class<?> program, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), program.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** Whether python3 is on the PATH. */
    public static boolean pythonAvailable() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, "python3"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Copies a Python program from the test resources into {@code dir}; returns {@code python3 -u file args}. */
    public static List<String> python(String script, Path dir, String... args) throws IOException {
        try (InputStream in = LabPrograms.class.getResourceAsStream(script)) {
            if (in == null) {
                throw new IOException(script + " is missing from the test resources");
            }
            Files.write(dir.resolve(script), in.readAllBytes());
        }
        // -u: unbuffered stdout, so "Connected by ..." reaches the pipe when printed, not when Python exits
        List<String> command = new ArrayList<>(List.of("python3", "-u", dir.resolve(script).toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** A TCP port free on 127.0.0.1 now (bind to port 0, read the kernel's choice, close). */
    public static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /**
     * Waits until something LISTENs on 127.0.0.1:port, by reading /proc/net/tcp and tcp6 (state 0A) rather than
     * connecting: a test connection would be a client of the lab's server and print a "Connected by" line.
     * Python's AF_INET socket shows in tcp as 0100007F:PORT; Java's IPv6 socket bound to 127.0.0.1 shows in tcp6
     * as ...FFFF00000100007F:PORT (::ffff:127.0.0.1, an IPv4 address inside an IPv6 one).
     */
    public static void awaitListening(int port, ChildProgram server, Duration timeout) throws IOException, InterruptedException {
        String local = String.format(Locale.ROOT, "0100007F:%04X", port);
        String table = "/proc/net/tcp";
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String rows = readProc(table) + "\n" + readProc(table + "6");
            for (String row : rows.split("\n")) {
                String[] f = row.trim().split("\\s+");
                if (f.length > 3 && f[1].endsWith(local) && f[3].equals("0A")) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new IOException("nothing listens on 127.0.0.1:" + port + " after " + timeout.toMillis() + " ms; the server printed: "
                + server.lines());
    }

    private static String readProc(String path) throws IOException {
        // a plain stream read: /proc files report size 0, so size-guided reads may stop early
        try (InputStream in = new java.io.FileInputStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
