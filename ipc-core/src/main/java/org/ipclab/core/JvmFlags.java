package org.ipclab.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM flags every ipc-lab JVM runs with (the launcher, surefire, child JVMs, JMH forks), and the
 * command line for a child JVM on this JVM's class path.
 *
 * <p>Chronicle Queue maps files with JDK internals: without these opens it fails, or worse, silently opens
 * the queue read-only. The analytics/announcer switches keep Chronicle from printing to stdout, which in
 * a pipe echo child would corrupt the echo. The parent pom's {@code ipclab.jvm.flags} repeats them for surefire; JvmFlagsTest checks they agree.
 */
public final class JvmFlags {

    /** One flag per line in {@code jvm-flags.txt}; the launcher script reads the same file. */
    public static final List<String> COMMON = load();

    private JvmFlags() {
    }

    private static List<String> load() {
        try (InputStream in = JvmFlags.class.getResourceAsStream("jvm-flags.txt")) {
            if (in == null) {
                throw new IllegalStateException("jvm-flags.txt is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code $JAVA_HOME/bin/java} of the running JVM. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** java [COMMON] [extraFlags] -cp [this class path] mainClass args... */
    public static List<String> javaCommand(List<String> extraFlags, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(COMMON);
        command.addAll(extraFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return command;
    }
}
