package org.ipclab.sysv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.ipclab.core.cli.BadInput;
import org.ipclab.core.cli.CliValues;
import org.junit.jupiter.api.Test;

/** The command line's checks: a bad --name is one line of bad input (exit code 2), a good one is the endpoint. */
class SysvMqCliTest {

    private static CliValues name(String value) {
        return new CliValues() {
            @Override
            public String text(String option) {
                return option.equals("--name") ? value : null;
            }

            @Override
            public Optional<Integer> optionalInteger(String option) {
                return Optional.empty();
            }

            @Override
            public Path path(String option) {
                return null;
            }

            @Override
            public boolean flag(String option) {
                return false;
            }
        };
    }

    @Test
    void invalidOrTooLongNamesAreBadInputForServerAndClient() {
        PrintStream out = new PrintStream(PrintStream.nullOutputStream());
        for (String bad : new String[] {"a b", "x".repeat(65), "", "é"}) {
            BadInput server = assertThrows(BadInput.class, () -> new SysvMqCli().server().start(name(bad)));
            BadInput client = assertThrows(BadInput.class,
                    () -> new SysvMqCli().client().start(name(bad), Duration.ofSeconds(1), out));
            assertTrue(server.getMessage().contains("--name") && client.getMessage().contains("1 to 64"), server.getMessage());
        }
    }

    @Test
    void aGoodNameIsTheEndpointAndTheHintNamesIt() {
        assertEquals("lab-1", new SysvMqCli().server().start(name("lab-1")).endpoint());
        var start = new SysvMqCli().client().start(name("lab-1"), Duration.ofSeconds(1), System.out);
        assertEquals("lab-1", start.endpoint());
        assertTrue(start.startHint().endsWith("server sysv-mq --name lab-1"), start.startHint());
    }
}
