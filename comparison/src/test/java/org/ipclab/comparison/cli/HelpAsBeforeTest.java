package org.ipclab.comparison.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated {@code server X} and {@code client X} commands print what the hand-written ones printed: the files
 * under {@code help/} are their output (stdout and stderr together, then "rc=N"), captured from the last build
 * that had a command class per transport. The lists of transports may gain lines (a transport on the test class
 * path), never lose or change one.
 */
@Timeout(60)
class HelpAsBeforeTest {

    static Stream<String> perTransport() {
        return Stream.of("server", "client").flatMap(side -> Stream.of("tcp", "unix", "pipe", "fifo", "chronicle", "posix-mq")
                .flatMap(id -> Stream.of(side + "-" + id + ".help", side + "-" + id + ".bogus")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("perTransport")
    void eachTransportsHelpAndErrorsAreAsBefore(String file) throws IOException {
        assertEquals(golden(file), run(file));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lists")
    void theListsOfTransportsKeepEveryEntry(String file) throws IOException {
        Map<String, String> before = entries(golden(file));
        Map<String, String> now = entries(run(file));
        before.forEach((name, text) -> assertEquals(text, now.get(name), "the entry '" + name + "' of " + file));
    }

    /**
     * The help as entries: the text before "Commands:", then one entry per command with its description joined
     * into one line (a longer transport id widens the name column, which re-wraps every description).
     */
    private static Map<String, String> entries(String help) {
        Map<String, String> entries = new LinkedHashMap<>();
        String current = "(header)";
        for (String line : help.lines().toList()) {
            if (line.startsWith("  ") && !line.startsWith("   ") && !line.trim().startsWith("-")
                    && entries.containsKey("Commands:")) {
                String[] nameAndText = line.trim().split("\\s+", 2);
                current = nameAndText[0];
                line = nameAndText.length > 1 ? nameAndText[1] : "";
            } else if (line.equals("Commands:")) {
                current = "Commands:";
            } else if (!line.startsWith(" ") && entries.containsKey("Commands:")) {
                current = "(after the commands)";
            }
            entries.merge(current, line.trim(), (a, b) -> (a + " " + b).trim());
        }
        return entries;
    }

    static Stream<String> lists() {
        return Stream.of("server.help", "client.help");
    }

    /** The command line a file name stands for: "server-posix-mq.bogus" is {@code server posix-mq --bogus}. */
    private static String run(String file) {
        String side = file.substring(0, file.indexOf('-') < 0 ? file.indexOf('.') : file.indexOf('-'));
        String rest = file.substring(side.length());
        String[] args;
        if (rest.startsWith(".")) {
            args = new String[] {side, "--" + rest.substring(1)};
        } else {
            String id = rest.substring(1, rest.lastIndexOf('.'));
            args = new String[] {side, id, "--" + rest.substring(rest.lastIndexOf('.') + 1)};
        }
        Cli.Result result = Cli.run(args);
        return result.out() + result.err() + "rc=" + result.exitCode() + "\n";
    }

    private static String golden(String file) throws IOException {
        try (InputStream in = HelpAsBeforeTest.class.getResourceAsStream("help/" + file)) {
            if (in == null) {
                throw new IOException("no golden file help/" + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
