package org.ipclab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The checker finds figures as the report writes them, knows the run's values, and catches a wrong one. */
@Timeout(30)
class NumbersInProseTest {

    @Test
    void findsFiguresWithTheirUnits() {
        assertEquals(List.of("4.79 µs", "0.0671 ms", "3 s", "4500 MiB/s", "64 KiB", "60 B", "1234567 B"),
                NumbersInProse.figures("took 4.79 µs, 0.0671 ms and 3 s; 4500 MiB/s in 64 KiB writes, read as 60 B "
                        + "and 1\u2009234\u2009567 B; not 2.57× nor 8 clients nor backlog B nor 40 %"));
        assertEquals(List.of("12 µs"), NumbersInProse.figures("12 us"), "the JSON's unit is written as µs");
        assertEquals(List.of(), NumbersInProse.figures("ipclab-props-4135cf6b-a, /proc/20715/fd/0, B+1"));
    }

    @Test
    void knowsTheExamplesValuesAsTheReportFormatsThem() throws IOException {
        NumbersInProse example = NumbersInProse.of(ProseAnswersTest.EXAMPLE);
        for (String figure : List.of("4.79 µs", "12.3 µs", "0.411 µs", "0.0819 ms", "35.5 ms", "4500 MiB/s",
                "64 KiB", "64 B", "3 s", "131 s", "60 B", "296 µs")) {
            assertTrue(example.knows(figure), figure);
        }
    }

    @Test
    void catchesAWrongNumber() throws IOException {
        NumbersInProse example = NumbersInProse.of(ProseAnswersTest.EXAMPLE);
        String right = "On the same CPU the fastest 64 B round trip was `fifo` (4.79 µs).";
        assertEquals(List.of(), example.unknown(right));
        assertEquals(List.of("4.8 µs"), example.unknown(right.replace("4.79 µs", "4.8 µs")),
                "a rounding the report does not do");
        assertEquals(List.of("4.79 ms"), example.unknown(right.replace("4.79 µs", "4.79 ms")), "a wrong unit");
        assertFalse(example.unknown("streaming reached 9999 MiB/s").isEmpty(), "an invented figure");
    }
}
