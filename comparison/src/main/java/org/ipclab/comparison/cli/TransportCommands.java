package org.ipclab.comparison.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.ipclab.core.EchoTransport;
import org.ipclab.core.Transports;
import org.ipclab.core.cli.CliOption;
import org.ipclab.core.cli.CliValues;
import org.ipclab.core.cli.ClientCli;
import org.ipclab.core.cli.ServerCli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UnmatchedArgsBinding;

/**
 * {@code ipc-lab server ID} and {@code ipc-lab client ID} for every registered transport, built from the options
 * the transport declares ({@link org.ipclab.core.cli.TransportCli}) and the ones all servers or all clients share
 * ({@link ServerOptions}, {@link PayloadOptions}): there is no command class per transport.
 */
final class TransportCommands {

    private TransportCommands() {
    }

    /** Adds one {@code server} and one {@code client} subcommand per transport, in the registry's order. */
    static void addTo(CommandLine server, CommandLine client) {
        for (EchoTransport transport : Transports.all()) {
            server.addSubcommand(transport.id(), new CommandLine(serverSpec(transport)));
            client.addSubcommand(transport.id(), new CommandLine(clientSpec(transport)));
        }
    }

    private static CommandSpec serverSpec(EchoTransport transport) {
        ServerCli cli = transport.cli().server();
        Action action = new Action();
        CommandSpec spec = commandSpec(transport, action, cli.description().toArray(String[]::new));
        cli.options().forEach(option -> spec.addOption(optionSpec(option)));
        ServerOptions connections = cli.holdsConnections() ? new ServerOptions() : null;
        if (connections != null) {
            spec.addMixin("connections", CommandSpec.forAnnotatedObject(connections));
        }
        if (cli.ignoresArguments()) {
            spec.addUnmatchedArgsBinding(UnmatchedArgsBinding.forStringArrayConsumer(new Ignored()));
        }
        action.body = () -> ServerRunner.run(transport, values(spec), connections);
        return spec;
    }

    private static CommandSpec clientSpec(EchoTransport transport) {
        ClientCli cli = transport.cli().client();
        Action action = new Action();
        CommandSpec spec = commandSpec(transport, action, cli.description().toArray(String[]::new));
        cli.options().forEach(option -> spec.addOption(optionSpec(option)));
        PayloadOptions payload = new PayloadOptions();
        spec.addMixin("payload", CommandSpec.forAnnotatedObject(payload));
        action.body = () -> ClientRunner.run(transport, values(spec), payload);
        return spec;
    }

    private static CommandSpec commandSpec(EchoTransport transport, Action action, String[] description) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(action);
        spec.name(transport.id());
        spec.mixinStandardHelpOptions(true);
        spec.versionProvider(new IpcLabCommand.Version());
        spec.usageMessage().description(description);
        return spec;
    }

    /** The picocli option for one declared option: its type decides how the value is read and checked. */
    static OptionSpec optionSpec(CliOption option) {
        OptionSpec.Builder builder = OptionSpec.builder(option.name())
                .description(option.description())
                .required(option.required());
        switch (option.type()) {
            case TEXT -> builder.type(String.class);
            case INTEGER -> builder.type(option.defaultValue() == null ? Integer.class : int.class);
            case PATH -> builder.type(Path.class);
            case FLAG -> builder.type(boolean.class).arity("0");
        }
        if (option.type() != CliOption.Type.FLAG && option.paramLabel() != null) {
            builder.paramLabel(option.paramLabel());
        }
        if (option.defaultValue() != null) {
            builder.defaultValue(option.defaultValue());
        }
        return builder.build();
    }

    /** The parsed values of a command's own options, by name. */
    private static CliValues values(CommandSpec spec) {
        return new CliValues() {
            @Override
            public String text(String name) {
                return spec.findOption(name).getValue();
            }

            @Override
            public Optional<Integer> optionalInteger(String name) {
                return Optional.ofNullable(spec.findOption(name).getValue());
            }

            @Override
            public Path path(String name) {
                return spec.findOption(name).getValue();
            }

            @Override
            public boolean flag(String name) {
                Boolean given = spec.findOption(name).getValue();
                return given != null && given;
            }
        };
    }

    /** What a generated command runs; set once its spec is built, as the spec is its input. */
    private static final class Action implements Callable<Integer> {
        private Callable<Integer> body;

        @Override
        public Integer call() throws Exception {
            return body.call();
        }
    }

    /** Takes unmatched arguments and drops them, for a command that says the same whatever was typed. */
    private static final class Ignored implements ISetter {
        @Override
        public <T> T set(T value) {
            return null;
        }
    }
}
