package org.ipclab.comparison.backlog;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.ipclab.comparison.cli.DurationConverter;
import org.ipclab.comparison.cli.ExitCodes;
import org.ipclab.comparison.cli.UserError;
import org.ipclab.report.backlog.Arrival;
import org.ipclab.report.backlog.BacklogJson;
import org.ipclab.report.backlog.BacklogReport;
import org.ipclab.report.backlog.BacklogSection;
import org.ipclab.report.backlog.BacklogSettings;
import org.ipclab.report.backlog.BacklogText;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code ipc-lab backlog}: what happens when more clients connect than the listen() backlog, measured here. */
@Command(name = "backlog", mixinStandardHelpOptions = true,
        description = {
            "The lab's second question, answered on this machine: what happens if more clients connect than the "
                    + "backlog given to listen()?",
            "A server on 127.0.0.1 listens with backlog B and does not accept; N clients connect; the kernel's "
                    + "view is read while they wait (ss, /proc/net/tcp, nstat counters); then the server accepts. "
                    + "As root, contrasting sysctls also run in private network namespaces (the host's are never "
                    + "changed)."})
public final class BacklogCommand implements Callable<Integer> {

    /** Largest backlog (and so client count) the command accepts. */
    static final int MAX_BACKLOG = 1000;

    @Spec
    CommandSpec spec;

    @Option(names = "--backlog", paramLabel = "B",
            description = "Run one backlog instead of the sweep.")
    Integer backlog;

    @Option(names = "--sweep", paramLabel = "LIST", defaultValue = "0,1,2,4,8,16",
            description = "Backlogs to try, comma-separated (default: ${DEFAULT-VALUE}).")
    String sweep;

    @Option(names = "--clients", paramLabel = "N",
            description = "Clients per trial (default: backlog + " + BacklogSettings.DEFAULT_EXTRA_CLIENTS + ").")
    Integer clients;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "3s",
            description = "Each client's bound on connect(); then it gives up (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = "--accept-after", paramLabel = "SECONDS", defaultValue = "1.5",
            description = "When the server starts accepting, e.g. 1.5, 4s, 500ms, or 'never' (default: ${DEFAULT-VALUE} s).")
    String acceptAfter;

    @Option(names = "--arrival", paramLabel = "HOW", defaultValue = "both",
            description = "How clients arrive: one-by-one, all-at-once or both (default: ${DEFAULT-VALUE}).")
    String arrival;

    @Option(names = "--netns", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "As root, also run contrasting sysctls in private network namespaces (default: on; "
                    + "--no-netns skips them).")
    boolean netns;

    @Option(names = "--json", description = "Print the results as JSON (schema in docs/backlog.md) instead of tables.")
    boolean json;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Also write the report section (backlog.md) and its chart (backlog.svg) into DIR.")
    Path out;

    @Override
    public Integer call() throws IOException {
        BacklogSettings settings = settings();
        PrintWriter err = spec.commandLine().getErr();
        BacklogReport report = BacklogExperiment.runSweep(settings, line -> {
            err.println(line);
            err.flush();
        });
        PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            stdout.println(BacklogJson.write(report));
        } else {
            stdout.print(BacklogText.render(report));
        }
        stdout.flush();
        if (out != null) {
            Files.createDirectories(out);
            Path markdown = out.resolve("backlog.md");
            Files.writeString(markdown, BacklogSection.markdown(report, out), StandardCharsets.UTF_8);
            err.println("wrote " + markdown + " and " + out.resolve(BacklogSection.CHART_FILE));
        }
        return ExitCodes.OK;
    }

    /** The options checked and turned into settings; bad input becomes a {@link UserError}. */
    BacklogSettings settings() {
        List<Integer> backlogs = backlog != null ? List.of(checkBacklog(backlog, "--backlog")) : parseSweep(sweep);
        if (clients != null && (clients < 1 || clients > BacklogSettings.MAX_CLIENTS)) {
            throw new UserError("--clients must be 1-" + BacklogSettings.MAX_CLIENTS + ", not " + clients);
        }
        if (connectTimeout.isZero() || connectTimeout.toMillis() < 1) {
            throw new UserError("--connect-timeout must be at least 1ms");
        }
        if (connectTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new UserError("--connect-timeout must be at most 5m; the run waits for it in every trial");
        }
        Long acceptAfterMs = parseAcceptAfter(acceptAfter);
        List<Arrival> arrivals = switch (arrival.toLowerCase(Locale.ROOT)) {
            case "one-by-one" -> List.of(Arrival.ONE_BY_ONE);
            case "all-at-once" -> List.of(Arrival.ALL_AT_ONCE);
            case "both" -> List.of(Arrival.ONE_BY_ONE, Arrival.ALL_AT_ONCE);
            default -> throw new UserError("--arrival must be one-by-one, all-at-once or both, not '" + arrival + "'");
        };
        return BacklogSettings.defaults()
                .withBacklogs(backlogs)
                .withClients(clients)
                .withConnectTimeoutMs(connectTimeout.toMillis())
                .withAcceptAfterMs(acceptAfterMs)
                .withArrivals(arrivals)
                .withNamespaceVariants(netns, BacklogSettings.DEFAULT_VARIANT_BACKLOGS);
    }

    static List<Integer> parseSweep(String text) {
        List<Integer> values = new ArrayList<>();
        for (String part : text.split(",")) {
            String trimmed = part.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            try {
                values.add(checkBacklog(Integer.parseInt(trimmed), "--sweep"));
            } catch (NumberFormatException e) {
                throw new UserError("--sweep takes backlogs separated by commas, e.g. 0,1,2,4; '" + trimmed
                        + "' is not a number");
            }
        }
        if (values.isEmpty()) {
            throw new UserError("--sweep needs at least one backlog, e.g. --sweep 0,1,2,4");
        }
        return values;
    }

    private static int checkBacklog(int value, String option) {
        if (value < 0 || value > MAX_BACKLOG) {
            throw new UserError(option + " takes backlogs from 0 to " + MAX_BACKLOG + ", not " + value);
        }
        return value;
    }

    static Long parseAcceptAfter(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("never") || t.equals("off")) {
            return null;
        }
        try {
            Duration d = new DurationConverter().convert(t);
            if (d.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new UserError("--accept-after must be at most 5m, or 'never'");
            }
            return d.toMillis();
        } catch (TypeConversionException e) {
            throw new UserError("--accept-after takes seconds (1.5), a duration (500ms, 4s) or 'never'; '" + text
                    + "' is neither");
        }
    }
}
