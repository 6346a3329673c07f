package org.ipclab.comparison.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Properties;

import org.ipclab.comparison.across.AcrossCommand;
import org.ipclab.comparison.backlog.BacklogCommand;
import org.ipclab.core.NoPeerException;
import org.ipclab.core.cli.BadInput;
import org.ipclab.core.cli.TransportCli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/** The top of the command tree; {@link #execute} runs a command line and returns its exit code. */
@Command(name = "ipc-lab",
        mixinStandardHelpOptions = true,
        versionProvider = IpcLabCommand.Version.class,
        description = {
            "Compare IPC mechanisms on one echo contract: every byte a client sends comes back, in order, unchanged.",
            "",
            "Try it in two terminals:  ./ipc-lab server tcp   and   ./ipc-lab client tcp --message \"Hello, world\""},
        subcommands = {ServerCommand.class, ClientCommand.class, CompareCommand.class, ReportCommand.class,
            JmhCommand.class, BacklogCommand.class, LabCommand.class, AcrossCommand.class,
            org.ipclab.comparison.across.AgentCommand.class, org.ipclab.comparison.broker.BrokerCommand.class,
            org.ipclab.comparison.broker.FailoverCommand.class})
public final class IpcLabCommand implements Runnable {

    /** What the user types to run us, for messages ("start one with ./ipc-lab server tcp"). */
    public static final String LAUNCHER = TransportCli.LAUNCHER;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "choose a command: server, client, compare, backlog");
    }

    /** Runs one command line; never calls System.exit, never prints a stack trace for bad input. */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("jmh")) {
            return JmhCommand.runJmh(java.util.Arrays.copyOfRange(args, 1, args.length));
        }
        CommandLine commandLine = new CommandLine(new IpcLabCommand());
        // before the converters are registered: picocli gives them only to the subcommands it already has
        TransportCommands.addTo(commandLine.getSubcommands().get("server"), commandLine.getSubcommands().get("client"));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.registerConverter(Duration.class, new DurationConverter());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler((ex, arguments) -> {
            err.println("ipc-lab: " + describe(ex));
            return ExitCodes.BAD_INPUT;
        });
        commandLine.setExecutionExceptionHandler((ex, cl, parseResult) -> {
            if (ex instanceof UserError || ex instanceof BadInput || ex instanceof NoPeerException) {
                err.println("ipc-lab: " + ex.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            if (ex instanceof IOException || ex instanceof UncheckedIOException) {
                err.println("ipc-lab: " + ex.getMessage());
                return ExitCodes.FAILED;
            }
            err.println("ipc-lab: internal error, please report it: " + ex);
            ex.printStackTrace(err);
            return ExitCodes.FAILED;
        });
        return commandLine.execute(args);
    }

    private static String describe(ParameterException ex) {
        String path = ex.getCommandLine().getCommandSpec().qualifiedName(" ").replace("ipc-lab", LAUNCHER);
        if (ex instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()
                && ex.getCommandLine().getSubcommands().size() > 0
                && !unmatched.getUnmatched().get(0).startsWith("-")) {
            String word = unmatched.getUnmatched().get(0);
            String what = ex.getCommandLine().getCommandSpec().name().equals("ipc-lab") ? "command" : "transport";
            return "unknown " + what + " '" + word + "': choose one of "
                    + String.join(", ", ex.getCommandLine().getSubcommands().keySet())
                    + " (see " + path + " --help)";
        }
        String message = ex.getMessage();
        if (message != null && message.startsWith("Invalid value for option")) {
            // picocli: "Invalid value for option '--port': '99999' is not an int" -> keep it, it is one line
            message = message.replace("\n", " ");
        }
        return message + " (see " + path + " --help)";
    }

    /** The version from the build (ipc-lab.properties, filled in by Maven). */
    public static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ipc-lab " + version(), "Java " + System.getProperty("java.version")
                    + " (" + System.getProperty("java.vm.name") + ")"};
        }

        public static String version() {
            Properties properties = new Properties();
            try (InputStream in = IpcLabCommand.class.getResourceAsStream("/org/ipclab/comparison/ipc-lab.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException ignored) {
                // no version file: report "unknown" rather than fail --version
            }
            return properties.getProperty("version", "unknown");
        }
    }
}
