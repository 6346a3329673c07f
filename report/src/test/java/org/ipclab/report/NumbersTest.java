package org.ipclab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;

import org.ipclab.report.model.Quantity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class NumbersTest {

    @ParameterizedTest
    @CsvSource({"4.4213, 4.42", "56.94, 56.9", "0.7634, 0.763", "0.00123, 0.00123", "539.4, 539", "4691.5, 4692",
            "1.0, 1", "99.96, 100", "0, 0", "12.5, 12.5", "-3.14159, -3.14"})
    void threeSignificantDigitsThenWholeNumbers(double value, String expected) {
        assertEquals(expected, Numbers.format(value));
    }

    @ParameterizedTest
    @CsvSource({"0, 0 B", "64, 64 B", "1000, 1000 B", "4096, 4 KiB", "65536, 64 KiB", "1048576, 1 MiB",
            "10485760, 10 MiB", "1536, 1536 B"})
    void sizes(long bytes, String expected) {
        assertEquals(expected, Numbers.size(bytes));
    }

    @Test
    void timeUnitsConvertToMicroseconds() {
        assertEquals(4.42, Numbers.micros(Quantity.of(4420, "ns")), 1e-9);
        assertEquals(4.42, Numbers.micros(Quantity.of(4.42, "us/op")), 1e-9);
        assertEquals(4.42, Numbers.micros(Quantity.of(4.42, "µs")), 1e-9);
        assertEquals(4420, Numbers.micros(Quantity.of(4.42, "ms")), 1e-9);
        assertEquals(420, Numbers.millis(Quantity.of(0.42, "s")), 1e-9);
        assertEquals(1, Numbers.mibPerSecond(Quantity.of(1024, "KiB/s")), 1e-9);
    }

    @Test
    void anUnknownUnitFailsInsteadOfPrintingAWrongNumber() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Numbers.micros(Quantity.of(1, "furlongs")));
        assertEquals("unit 'furlongs' is not a time unit the report knows (ns, us, ms, s, optionally per op)",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Numbers.mibPerSecond(Quantity.of(1, "us")));
    }

    @Test
    void ratiosAndPercents() {
        assertEquals("2.38×", Numbers.ratio(4.4213 / 1.86));
        assertEquals("97 %", Numbers.percent(0.9712));
        assertEquals("1\u2009234\u2009567", Numbers.count(1_234_567));
        assertEquals("3 min 20 s", Numbers.seconds(200.2));
    }
}
