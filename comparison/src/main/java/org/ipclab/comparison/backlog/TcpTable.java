package org.ipclab.comparison.backlog;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.ipclab.core.ProcFiles;

/**
 * The kernel's table of IPv4 TCP sockets, /proc/net/tcp: one row per socket, including the half-open
 * connections a listener holds (shown as SYN_RECV). It shows the network namespace of the process that
 * reads it. {@code ss -tan} prints the same table; see proc(5) and tcp(7).
 */
final class TcpTable {

    static final Path PROC_NET_TCP = Path.of("/proc/net/tcp");

    /** One row: addresses, state, queues and the retransmission count. */
    record Row(int localPort, int remotePort, String state, int txQueue, int rxQueue, int retransmits) {
    }

    private TcpTable() {
    }

    static List<Row> read() throws IOException {
        return parse(ProcFiles.read(PROC_NET_TCP));
    }

    /**
     * Parses lines like
     * {@code 0: 0100007F:9C41 00000000:0000 0A 00000000:00000003 00:00000000 00000000 0 0 12345 ...}:
     * local and remote address:port in hex, state in hex, tx_queue:rx_queue, timer, retrnsmt. For a LISTEN
     * row rx_queue is the accept queue's length; for a connection it is unread bytes, and tx_queue is sent
     * bytes not yet acknowledged.
     */
    static List<Row> parse(String text) {
        List<Row> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 7 || !f[0].endsWith(":") || f[0].equals("sl")) {
                continue;
            }
            try {
                int localPort = port(f[1]);
                int remotePort = port(f[2]);
                String state = stateName(Integer.parseInt(f[3], 16));
                String[] queues = f[4].split(":");
                int tx = (int) Long.parseLong(queues[0], 16);
                int rx = (int) Long.parseLong(queues[1], 16);
                int retransmits = (int) Long.parseLong(f[6], 16);
                rows.add(new Row(localPort, remotePort, state, tx, rx, retransmits));
            } catch (RuntimeException ignored) {
                // a line we do not understand (a future kernel's format): skip it, the rest still counts
            }
        }
        return rows;
    }

    private static int port(String addressAndPort) {
        return Integer.parseInt(addressAndPort.substring(addressAndPort.indexOf(':') + 1), 16);
    }

    /** The kernel's TCP state numbers (include/net/tcp_states.h). */
    static String stateName(int state) {
        return switch (state) {
            case 0x01 -> "ESTABLISHED";
            case 0x02 -> "SYN_SENT";
            case 0x03 -> "SYN_RECV";
            case 0x04 -> "FIN_WAIT1";
            case 0x05 -> "FIN_WAIT2";
            case 0x06 -> "TIME_WAIT";
            case 0x07 -> "CLOSE";
            case 0x08 -> "CLOSE_WAIT";
            case 0x09 -> "LAST_ACK";
            case 0x0A -> "LISTEN";
            case 0x0B -> "CLOSING";
            case 0x0C -> "NEW_SYN_RECV";
            default -> "STATE_" + state;
        };
    }
}
