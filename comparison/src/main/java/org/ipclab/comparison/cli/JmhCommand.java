package org.ipclab.comparison.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ipc-lab jmh [JMH options]}: JMH's own command line over ipc-lab's benchmarks, for people who want
 * JMH's output as it is. {@link IpcLabCommand#execute} hands the arguments to {@code org.openjdk.jmh.Main}
 * untouched; this class only gives the command its place in {@code --help}.
 */
@Command(name = "jmh", description = {"Run ipc-lab's JMH benchmarks with JMH's own options, e.g.",
    "./ipc-lab jmh RoundTripBenchmark -p transport=tcp,unix -p sizeBytes=64 -p placement=SAME_CPU -f 1 -wi 2 -i 3",
    "(./ipc-lab jmh -h lists JMH's options; ./ipc-lab jmh -l lists the benchmarks)."})
public final class JmhCommand implements Runnable {

    @Parameters(arity = "0..*", description = "Arguments for JMH.")
    java.util.List<String> arguments;

    @Override
    public void run() {
        throw new IllegalStateException("jmh arguments are handed to JMH before picocli parses them");
    }

    static int runJmh(String[] args) {
        try {
            org.openjdk.jmh.Main.main(args);
            return ExitCodes.OK;
        } catch (Exception e) {
            System.err.println("ipc-lab jmh: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
