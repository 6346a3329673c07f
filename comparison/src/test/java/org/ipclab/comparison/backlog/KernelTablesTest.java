package org.ipclab.comparison.backlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The parsers of /proc/net/tcp, /proc/net/netstat and ss, on text captured from Linux 6.18. */
@Timeout(10)
class KernelTablesTest {

    @Test
    void procNetTcpRows() {
        String text = """
                  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
                   0: 0100007F:9C41 00000000:0000 0A 00000000:00000003 00:00000000 00000000     0        0 4242 1 0
                   1: 0100007F:A0F2 0100007F:9C41 02 00000000:00000000 01:00000064 00000001     0        0 4243 2 0
                   2: 0100007F:A0F0 0100007F:9C41 01 00000010:00000000 01:00000014 00000000     0        0 4244 1 0
                   3: 0100007F:9C41 0100007F:A0EE 01 00000000:00000010 00:00000000 00000000     0        0 4245 1 0
                this line is not a row
                """;
        List<TcpTable.Row> rows = TcpTable.parse(text);
        assertEquals(4, rows.size());
        assertEquals(new TcpTable.Row(0x9C41, 0, "LISTEN", 0, 3, 0), rows.get(0));
        assertEquals(new TcpTable.Row(0xA0F2, 0x9C41, "SYN_SENT", 0, 0, 1), rows.get(1));
        assertEquals(16, rows.get(2).txQueue());
        assertEquals(16, rows.get(3).rxQueue());
    }

    @Test
    void netstatPairsOfLines() {
        String text = """
                TcpExt: SyncookiesSent SyncookiesRecv ListenOverflows ListenDrops
                TcpExt: 1 2 30 31
                IpExt: InNoRoutes InOctets
                IpExt: 0 123456789012
                """;
        Map<String, Long> values = NetCounters.parse(text);
        assertEquals(30L, values.get("TcpExt.ListenOverflows"));
        assertEquals(123456789012L, values.get("IpExt.InOctets"));
        assertEquals(Map.of("TcpExt.ListenOverflows", 5L), NetCounters.delta(Map.of("TcpExt.ListenOverflows", 30L),
                Map.of("TcpExt.ListenOverflows", 35L)));
    }

    @Test
    void liveCountersIncludeTheListenOverflows() {
        assertTrue(NetCounters.read().containsKey("TcpExt.ListenOverflows"), NetCounters.read().toString());
    }

    @Test
    void ssListenLine() {
        String out = """
                State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess
                LISTEN 3      2          127.0.0.1:40385      0.0.0.0:*
                """;
        assertEquals(new Ss.ListenQueues(3, 2), Ss.parse(out, 40385).orElseThrow());
        assertTrue(Ss.parse(out, 40386).isEmpty());
    }
}
