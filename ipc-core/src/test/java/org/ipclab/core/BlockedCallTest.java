package org.ipclab.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A call is "stuck" only once the same call was seen inside at periods + 1 checks in a row. */
class BlockedCallTest {

    @Test
    void noCallIsNeverStuck() {
        BlockedCall call = new BlockedCall();
        for (int i = 0; i < 10; i++) {
            assertFalse(call.stuckFor(2), "check " + i);
        }
        assertFalse(call.inside());
    }

    @Test
    void theSameCallSeenAtPeriodsPlusOneChecksIsStuckUntilItLeaves() {
        BlockedCall call = new BlockedCall();
        call.enter();
        assertTrue(call.inside());
        assertFalse(call.stuckFor(2), "seen once: it may have just started");
        assertFalse(call.stuckFor(2), "seen twice: at least one period");
        assertTrue(call.stuckFor(2), "seen three times: at least two periods");
        assertTrue(call.stuckFor(2), "still the same call");
        call.leave();
        assertFalse(call.inside());
        assertFalse(call.stuckFor(2), "it ended");
    }

    @Test
    void aNewCallBetweenTwoChecksStartsTheCountAgain() {
        BlockedCall call = new BlockedCall();
        call.enter();
        assertFalse(call.stuckFor(1));
        call.leave();
        call.enter();   // a quick call ended and another began between two checks
        assertFalse(call.stuckFor(1), "a new call, seen once");
        assertTrue(call.stuckFor(1), "the new call, seen twice");
    }
}
