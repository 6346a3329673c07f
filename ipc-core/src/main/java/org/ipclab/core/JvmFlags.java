package org.ipclab.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM flags every ipc-lab JVM runs with (the launcher, surefire, child JVMs, JMH forks), and the
 * command line for a child JVM on this JVM's class path.
 *
 * <p>Chronicle Queue maps files with JDK internals: without these opens it fails, or worse, silently opens
 * the queue read-only. The analytics/announcer switches keep Chronicle from printing to stdout, which in
 * a pipe echo child would corrupt the echo. The same list is in the parent pom's {@code ipclab.jvm.flags}.
 */
public final class JvmFlags {

    public static final List<String> COMMON = List.of(
            "-XX:+IgnoreUnrecognizedVMOptions",
            "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-exports", "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED",
            "-Dchronicle.analytics.disable=true",
            "-Dchronicle.announcer.disable=true");

    private JvmFlags() {
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
