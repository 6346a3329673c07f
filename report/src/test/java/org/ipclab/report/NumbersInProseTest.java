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
        for (String figure : List.of(Text.us(fastestSameCpu64()), "64 KiB", "64 B", "3 s", "131 s", "60 B")) {
            assertTrue(example.knows(figure), figure);
        }
    }

    @Test
    void catchesAWrongNumber() throws IOException {
        NumbersInProse example = NumbersInProse.of(ProseAnswersTest.EXAMPLE);
        double p50 = fastestSameCpu64();
        String figure = Text.us(p50);
        String right = "On the same CPU the fastest 64 B round trip took " + figure + ".";
        assertEquals(List.of(), example.unknown(right));
        // a rounding the report does not do: four significant digits where it writes three
        String off = String.format(java.util.Locale.ROOT, "%.4g µs", p50 * 1.0007);
        assertEquals(List.of(off), example.unknown(right.replace(figure, off)), "a figure the run did not measure");
        String wrongUnit = figure.replace(" µs", " s");   // (its ms form may be another measured figure)
        assertEquals(List.of(wrongUnit), example.unknown(right.replace(figure, wrongUnit)), "a wrong unit");
        assertFalse(example.unknown("streaming reached 9999 MiB/s").isEmpty(), "an invented figure");
    }

    /** The example run's fastest 64 B same-CPU median, in µs. */
    private static double fastestSameCpu64() throws IOException {
        Measurements m = new Measurements(ReportWriter.read(ProseAnswersTest.EXAMPLE));
        return m.ranking(org.ipclab.report.model.Results.Placement.SAME_CPU, 64).get(0).p50Us();
    }
}
