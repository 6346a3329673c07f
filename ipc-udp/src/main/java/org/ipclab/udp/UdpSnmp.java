package org.ipclab.udp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The kernel's UDP counters of this network namespace, from the two "Udp:" lines of /proc/net/snmp (names, then
 * values): InDatagrams, NoPorts, InErrors, OutDatagrams, RcvbufErrors, SndbufErrors... `nstat -az UdpRcvbufErrors`
 * and `netstat -su` show the same. They count every UDP socket of the namespace, so a delta is ours only on a quiet
 * machine.
 */
final class UdpSnmp {

    private static final Path SNMP = Path.of("/proc/net/snmp");

    private UdpSnmp() {
    }

    /** The counter {@code name} ("RcvbufErrors"), or empty when /proc/net/snmp is not readable here. */
    static Optional<Long> counter(String name) {
        try {
            List<String> udp = Files.readAllLines(SNMP).stream().filter(l -> l.startsWith("Udp:")).toList();
            if (udp.size() < 2) {
                return Optional.empty();
            }
            String[] names = udp.get(0).trim().split("\\s+");
            String[] values = udp.get(1).trim().split("\\s+");
            for (int i = 1; i < names.length && i < values.length; i++) {
                if (names[i].equals(name)) {
                    return Optional.of(Long.parseLong(values[i]));
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException ignored) {
            // no /proc (another OS, a sandbox): the experiment reports what it counted itself
            return Optional.empty();
        }
    }
}
