package org.ipclab.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.ipclab.core.experiments.Boundaries;
import org.ipclab.core.experiments.Cell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What TCP and Unix stream sockets must show on any Linux: one body, both families. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SocketExperimentsTest {

    @TempDir
    Path dir;

    static Stream<SocketExperiments> sockets() {
        return Stream.of(new TcpExperiments(), new UnixExperiments());
    }

    @ParameterizedTest
    @MethodSource("sockets")
    void oneConnectionCarriesBytesBothWays(SocketExperiments sockets) throws Exception {
        assertTrue(sockets.direction(dir).value().startsWith("duplex"));
    }

    @ParameterizedTest
    @MethodSource("sockets")
    void streamReadsReturnTheBytesWrittenAndNeverMore(SocketExperiments sockets) throws Exception {
        Boundaries seen = sockets.boundaries(dir);
        assertEquals(seen.written(), seen.read(), seen.toString());
        int before = 0;
        for (int n : seen.reads()) {
            assertTrue(n > 0 && before + n <= seen.written(), "a read returned more than was written: " + seen);
            before += n;
        }
    }

    @ParameterizedTest
    @MethodSource("sockets")
    void aWriterWithNoReaderIsPushedBackAfterABoundedAmount(SocketExperiments sockets) throws Exception {
        SocketExperiments.Fill fill = sockets.fill(dir);
        assertTrue(fill.pushedBack(), fill.toString());
        assertTrue(fill.acceptedBytes() > 0 && fill.acceptedBytes() < SocketExperiments.FILL_LIMIT_BYTES, fill.toString());
    }

    @ParameterizedTest
    @MethodSource("sockets")
    void everyClientOfOneListenerGetsItsOwnStream(SocketExperiments sockets) throws Exception {
        SocketExperiments.ManyClients seen = sockets.manyClientsProbe(dir);
        assertEquals(seen.clients(), seen.separateStreams(), seen.toString());
        assertEquals(seen.clients(), seen.intactEchoes(), seen.toString());
    }

    /** The server is a child JVM found through the registry (PropertyChildMain tcp|unix hold), then SIGKILLed. */
    @ParameterizedTest
    @MethodSource("sockets")
    void unreadBytesAreLostWhenTheServerIsKilled(SocketExperiments sockets) throws Exception {
        Cell cell = sockets.survivesCrash(dir);
        assertTrue(cell.observed(), cell.evidence());
        assertTrue(cell.value().startsWith("no:"), cell.value());
    }

    @Test
    void tcpToAPortNobodyListensOnIsRefused() throws Exception {
        TcpExperiments.Refusal refusal = new TcpExperiments().refusal();
        assertTrue(refusal.refused(), refusal.toString());
    }

    @Test
    void unixToAMissingOrStalePathFailsWithDifferentErrnos() throws Exception {
        UnixExperiments.NoPeer seen = new UnixExperiments().noPeer(dir);
        assertTrue(seen.missingFile().startsWith("ENOENT"), seen.toString());
        assertTrue(seen.staleFile().startsWith("ECONNREFUSED"), seen.toString());
    }

    @Test
    void aUnixSocketIsAFileWithOwnerOnlyMode() throws Exception {
        Cell cell = new UnixExperiments().whoCanConnect(dir);
        assertTrue(cell.value().contains("srw-------"), cell.value());
    }
}
