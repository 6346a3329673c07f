package org.ipclab.report.backlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The explanation follows the numbers, whatever they are. */
@Timeout(10)
class BacklogFindingsTest {

    @Test
    void backlogPlusOneIsReportedAsTheRuleAndTheExpectationHolds() {
        BacklogFindings f = new BacklogFindings(Fixtures.sweep(1));
        assertEquals("B+1", f.queueRule());
        assertTrue(f.shortAnswer().contains("gets B+1 connections"), f.shortAnswer());
        assertTrue(f.shortAnswer().contains("not refused"), f.shortAnswer());
        assertEquals(Boolean.TRUE, check(f, "backlog + 1").heldHere());
        assertEquals(Boolean.FALSE, check(f, "refused").heldHere());
    }

    @Test
    void aDifferentMeasuredRuleWinsOverTheExpectation() {
        BacklogFindings f = new BacklogFindings(Fixtures.sweep(0));
        assertEquals("B", f.queueRule());
        assertEquals(Boolean.FALSE, check(f, "backlog + 1").heldHere());
        assertTrue(String.join(" ", f.observations()).contains("the measurement wins"));
    }

    @Test
    void disagreeingTrialsGiveNoRule() {
        BacklogReport r = Fixtures.report(List.of(
                Fixtures.trial(2, Arrival.ONE_BY_ONE, 7, 3, 0),
                Fixtures.trial(4, Arrival.ONE_BY_ONE, 9, 4, 0)), List.of());
        assertNull(new BacklogFindings(r).queueRule());
        assertTrue(new BacklogFindings(r).shortAnswer().contains("did not follow one rule"));
    }

    @Test
    void refusedClientsAreReportedAsRefused() {
        BacklogReport r = Fixtures.report(List.of(Fixtures.trial(2, Arrival.ONE_BY_ONE, 7, 3, 2)), List.of());
        BacklogFindings f = new BacklogFindings(r);
        assertEquals(Boolean.TRUE, check(f, "refused").heldHere());
        assertFalse(f.shortAnswer().contains("not refused"), f.shortAnswer());
    }

    @Test
    void retransmissionsAreMeasuredFromEachClientsStart() {
        // the fixture's waiting clients start at i ms and retransmit at 1000 + i ms
        assertEquals(List.of(1.0), BacklogFindings.retransmitDelaysS(Fixtures.sweep(1).trials()));
    }

    @Test
    void aVariantIsComparedWithTheControl() {
        BacklogTrial control = Fixtures.trial(2, Arrival.ALL_AT_ONCE, 7, 3, 0);
        BacklogTrial refused = Fixtures.trial(2, Arrival.ALL_AT_ONCE, 7, 3, 1);
        List<NamespaceVariant> variants = List.of(
                new NamespaceVariant("namespace defaults", "ipclab-00000000", java.util.Map.of(), "control",
                        Fixtures.kernel(), List.of(control), null, null, 1000),
                new NamespaceVariant("x=1", "ipclab-00000001", java.util.Map.of("net.ipv4.x", "1"), "test",
                        Fixtures.kernel(), List.of(refused), null, null, 1000));
        List<String> contrasts = new BacklogFindings(Fixtures.report(List.of(control), variants)).contrasts();
        assertEquals(2, contrasts.size(), contrasts.toString());
        assertTrue(contrasts.get(1).contains("6 served instead of 7"), contrasts.get(1));
    }

    private static BacklogFindings.Check check(BacklogFindings f, String fragment) {
        return f.expectations().stream().filter(c -> c.expectation().contains(fragment)).findFirst().orElseThrow();
    }
}
