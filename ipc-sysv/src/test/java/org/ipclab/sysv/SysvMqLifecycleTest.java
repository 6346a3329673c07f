package org.ipclab.sysv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.ClientSettings;
import org.ipclab.core.EchoClient;
import org.ipclab.core.NoPeerException;
import org.ipclab.core.ServerSettings;
import org.ipclab.core.experiments.ChildJvm;
import org.ipclab.core.experiments.ChildSide;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A server's queue from start to removal: made 0600, removed on close, reclaimed after SIGKILL, names checked. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SysvMqLifecycleTest {

    private final SysvMqTransport sysv = new SysvMqTransport();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final ServerSettings settings = ServerSettings.defaults().withLog(log::add);

    @BeforeEach
    void available() {
        assumeTrue(sysv.unavailableReason().isEmpty(), () -> "needs System V IPC: " + sysv.unavailableReason().orElse(""));
    }

    @AfterAll
    static void noQueueIsLeftBehind() throws IOException {
        assertEquals(List.of(), SysvMqTestSupport.leftoverScratchQueues());
    }

    private static byte[] roundTrip(EchoClient client, byte[] sent) throws IOException {
        byte[] back = new byte[sent.length];
        client.roundTrip(sent, back, sent.length);
        return back;
    }

    @Test
    void theQueueIsMode0600WithTheNamesKeyAndIsRemovedOnClose() throws Exception {
        String name = sysv.scratchEndpoint(null);
        try (SysvMqEchoServer server = SysvMqEchoServer.open(name, settings)) {
            SysvNative.Status status = SysvNative.status(server.msqid()).orElseThrow();
            assertEquals(0600, status.mode());
            assertEquals(SysvMqProtocol.key(name), status.key());
            assertTrue(SysvMqTestSupport.queueExists(name));
            assertTrue(server.describe().contains("msgmax " + SysvNative.Limits.read().msgmax()), server.describe());
        }
        assertFalse(SysvMqTestSupport.queueExists(name), "IPC_RMID on close");
    }

    @Test
    void aQueueLeftByASigkilledServerIsReclaimedByTheNextServer() throws Exception {
        String name = sysv.scratchEndpoint(null);
        int stale;
        try (ChildJvm child = ChildJvm.start(sysv.id(), SysvMqExperiments.SERVE, name)) {
            stale = Integer.parseInt(child.awaitLine(ChildSide.READY, ChildJvm.START_TIMEOUT));
            assertEquals(137, child.kill(Duration.ofSeconds(5)));
        }
        assertTrue(SysvMqTestSupport.queueExists(name), "SIGKILL runs no shutdown hook: the queue stays");
        try (SysvMqEchoServer server = SysvMqEchoServer.open(name, settings);
             EchoClient client = sysv.connect(name, ClientSettings.defaults())) {
            assertTrue(log.stream().anyMatch(l -> l.startsWith("Removed stale queue " + stale)), log.toString());
            assertTrue(server.msqid() != stale || SysvNative.status(stale).isPresent());
            byte[] sent = {1, 2, 3};
            assertArrayEquals(sent, roundTrip(client, sent));
        }
        assertFalse(SysvMqTestSupport.queueExists(name));
    }

    @Test
    void aSecondServerOfTheSameNameIsRefusedWhileTheFirstServes() throws Exception {
        String name = sysv.scratchEndpoint(null);
        try (SysvMqEchoServer first = SysvMqEchoServer.open(name, settings)) {
            // the first served a client, so its queue's last sender and receiver are alive: the second asks HELLO
            try (EchoClient client = sysv.connect(name, ClientSettings.defaults())) {
                assertArrayEquals(new byte[] {9}, roundTrip(client, new byte[] {9}));
            }
            IOException refused = assertThrows(IOException.class, () -> SysvMqEchoServer.open(name, settings));
            assertTrue(refused.getMessage().contains("already serves"), refused.getMessage());
            try (EchoClient client = sysv.connect(name, ClientSettings.defaults())) {
                assertArrayEquals(new byte[] {7}, roundTrip(client, new byte[] {7}), "the first still serves");
            }
        }
    }

    @Test
    void aClientWhoseServerIsKilledFailsWithinItsTimeout() throws Exception {
        String name = sysv.scratchEndpoint(null);
        try (ChildJvm child = ChildJvm.start(sysv.id(), SysvMqExperiments.SERVE, name)) {
            child.awaitLine(ChildSide.READY, ChildJvm.START_TIMEOUT);
            try (EchoClient client = sysv.connect(name, ClientSettings.defaults().withTimeout(Duration.ofSeconds(3)))) {
                assertArrayEquals(new byte[] {5}, roundTrip(client, new byte[] {5}));
                child.kill(Duration.ofSeconds(5));
                long start = System.nanoTime();
                IOException e = assertThrows(IOException.class, () -> roundTrip(client, new byte[] {6}));
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(ms < 3000, "failed after " + ms + " ms");
                assertTrue(e.getMessage().contains("has exited"), e.getMessage());
            }
        } finally {
            SysvMqEchoServer.open(name, settings).close();   // reclaims and removes the dead server's queue
        }
        assertFalse(SysvMqTestSupport.queueExists(name));
    }

    @Test
    void aClientWithNoServerFailsAtOnceNamingTheKey() {
        String name = sysv.scratchEndpoint(null);
        NoPeerException e = assertThrows(NoPeerException.class, () -> sysv.connect(name, ClientSettings.defaults()));
        assertTrue(e.getMessage().contains(SysvMqProtocol.hex(SysvMqProtocol.key(name))), e.getMessage());
    }

    @Test
    void aClientOfAQueueNobodyServesFailsWithinItsTimeout() throws Exception {
        String name = sysv.scratchEndpoint(null);
        int msqid = SysvNative.lib().msgget(SysvMqProtocol.key(name), SysvNative.IPC_CREAT | 0600);   // as a killed server leaves it
        assertTrue(msqid >= 0);
        try {
            long start = System.nanoTime();
            NoPeerException e = assertThrows(NoPeerException.class,
                    () -> sysv.connect(name, ClientSettings.defaults().withTimeout(Duration.ofMillis(500))));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(e.getMessage().contains("nobody serves it"), e.getMessage());
            assertTrue(ms >= 450 && ms < 1500, "gave up after " + ms + " ms");
        } finally {
            SysvNative.remove(msqid);
        }
    }

    @Test
    void invalidAndTooLongNamesAreRefusedWithTheRule() {
        for (String bad : List.of("", "has space", "slash/name", "x".repeat(65))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SysvMqEchoServer.open(bad, settings), bad);
            assertTrue(e.getMessage().contains("1 to 64"), e.getMessage());
        }
        assertEquals(SysvMqProtocol.key("x".repeat(64)), SysvMqProtocol.key("x".repeat(64)));
    }

    @Test
    void keysAreIpcLabsPrefixAndDifferByName() {
        int a = SysvMqProtocol.key("echo");
        int b = SysvMqProtocol.key("echo2");
        assertEquals(SysvMqProtocol.KEY_PREFIX, a & 0xFF000000);
        assertEquals(SysvMqProtocol.KEY_PREFIX, b & 0xFF000000);
        assertTrue(a != b);
    }

    @Test
    void anEchoLargerThanMsgmaxGoesAsSeveralMessagesAndComesBackWhole() throws Exception {
        String name = sysv.scratchEndpoint(null);
        int msgmax = SysvNative.Limits.read().msgmax();
        try (SysvMqEchoServer server = SysvMqEchoServer.open(name, settings);
             EchoClient client = sysv.connect(name, ClientSettings.defaults())) {
            byte[] sent = new byte[3 * msgmax + 17];
            new java.util.Random(3).nextBytes(sent);
            assertArrayEquals(sent, roundTrip(client, sent));
        }
    }
}
