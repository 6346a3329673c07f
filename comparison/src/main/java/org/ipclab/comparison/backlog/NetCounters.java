package org.ipclab.comparison.backlog;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ipclab.core.ProcFiles;

/**
 * The kernel's TCP counters that tell what happened to connections beyond the backlog, read from
 * /proc/net/netstat (TcpExt) and /proc/net/snmp (Tcp). They count the whole network namespace. Watch them
 * live with {@code nstat -az TcpExtListenOverflows TcpExtListenDrops}.
 */
final class NetCounters {

    /** The counters worth a look, as "Section.Name". */
    static final List<String> NAMES = List.of(
            "TcpExt.ListenOverflows",        // a SYN or final ACK found the accept queue full
            "TcpExt.ListenDrops",            // every SYN/ACK a listener dropped, overflows included
            "TcpExt.TCPReqQFullDoCookies",   // the SYN queue was full: answered with a syncookie
            "TcpExt.TCPReqQFullDrop",        // the SYN queue was full and syncookies were off: SYN dropped
            "TcpExt.SyncookiesSent",
            "TcpExt.SyncookiesRecv",
            "TcpExt.SyncookiesFailed",
            "TcpExt.TCPSynRetrans",          // SYN and SYN-ACK retransmissions
            "TcpExt.EmbryonicRsts",
            "Tcp.ActiveOpens",               // connect() calls that sent a SYN
            "Tcp.PassiveOpens",              // handshakes a listener started (SYN answered)
            "Tcp.AttemptFails",
            "Tcp.OutRsts");

    private static final Path NETSTAT = Path.of("/proc/net/netstat");
    private static final Path SNMP = Path.of("/proc/net/snmp");

    private NetCounters() {
    }

    /** The counters in {@link #NAMES} that this kernel has; empty if /proc/net is unreadable. */
    static Map<String, Long> read() {
        Map<String, Long> all = new LinkedHashMap<>();
        for (Path file : List.of(NETSTAT, SNMP)) {
            try {
                all.putAll(parse(ProcFiles.read(file)));
            } catch (IOException ignored) {
                // no such file here (not Linux, or /proc not mounted): the report shows no counters
            }
        }
        Map<String, Long> wanted = new LinkedHashMap<>();
        for (String name : NAMES) {
            Long value = all.get(name);
            if (value != null) {
                wanted.put(name, value);
            }
        }
        return wanted;
    }

    /** Pairs of lines: "TcpExt: Name1 Name2 ..." then "TcpExt: 1 2 ...". */
    static Map<String, Long> parse(String text) {
        Map<String, Long> values = new LinkedHashMap<>();
        String[] lines = text.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            String[] names = lines[i].trim().split("\\s+");
            String[] numbers = lines[i + 1].trim().split("\\s+");
            if (names.length < 2 || names.length != numbers.length || !names[0].equals(numbers[0])
                    || !names[0].endsWith(":") || names[1].matches("-?\\d+")) {
                continue;
            }
            String section = names[0].substring(0, names[0].length() - 1);
            for (int k = 1; k < names.length; k++) {
                try {
                    values.put(section + "." + names[k], Long.parseLong(numbers[k]));
                } catch (NumberFormatException ignored) {
                    // not a number: not a counter we can subtract
                }
            }
            i++;
        }
        return values;
    }

    /** after − before, for the names both have. */
    static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new LinkedHashMap<>();
        after.forEach((name, value) -> {
            Long start = before.get(name);
            if (start != null) {
                delta.put(name, value - start);
            }
        });
        return delta;
    }
}
