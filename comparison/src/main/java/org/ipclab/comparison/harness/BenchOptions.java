package org.ipclab.comparison.harness;

import java.util.Map;

import org.ipclab.core.TransportIds;

/**
 * Transport settings used for measurements, the same for every size and placement. Chronicle Queue waits
 * for messages with a busy-spinning pauser here (the lowest latency, at the price of a whole core per
 * waiting process: the CPU-time table shows that price); the command line defaults to a sleeping one.
 */
public final class BenchOptions {

    private BenchOptions() {
    }

    public static Map<String, String> forTransport(String transportId) {
        if (TransportIds.CHRONICLE.equals(transportId)) {
            return Map.of("pauser", "busy");
        }
        return Map.of();
    }
}
