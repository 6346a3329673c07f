package org.ipclab.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The wrong way deadlocks once the pipes are full; the right way does not. Detected with a timeout, never hung. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipeDeadlockTest {

    private static final int MESSAGE = 1024 * 1024;

    @ParameterizedTest(name = "child: {0}")
    @ValueSource(strings = {"cat", "java"})
    void writingEverythingBeforeReadingDeadlocksOnceThePipesAreFull(String child) throws Exception {
        PipeDeadlockMain.Outcome wrong = PipeDeadlockMain.writeAllThenRead(ChildCommand.parse(child), MESSAGE, Duration.ofMillis(700));
        assertTrue(wrong.deadlocked(), "nothing should move once both pipes are full: " + wrong);
        // both pipes were full (the stdin pipe to the child, its stdout pipe back), less one piece of slack;
        // the child's own buffer holds some more
        assertTrue(wrong.written() >= 2L * PipeEchoClient.PIPE_CAPACITY - PipeDeadlockMain.PIECE, "wrote " + wrong.written());
        assertTrue(wrong.written() < MESSAGE, "wrote " + wrong.written());
        assertTrue(wrong.childWchan().contains("pipe"), "the child sleeps in a pipe write: " + wrong.childWchan());
    }

    @Test
    void aMessageThatFitsInTheStdinPipeCannotDeadlock() throws Exception {
        PipeDeadlockMain.Outcome small = PipeDeadlockMain.writeAllThenRead(ChildCommand.parse("cat"),
                PipeEchoClient.PIPE_CAPACITY, Duration.ofSeconds(2));
        assertFalse(small.deadlocked(), small.toString());
        assertEquals(PipeEchoClient.PIPE_CAPACITY, small.written());
    }

    @Test
    void writingWhileReadingEchoesEverything() throws Exception {
        assertTrue(PipeDeadlockMain.writeWhileReading(ChildCommand.parse("cat"), 10 * MESSAGE) > 0);
    }
}
