package org.ipclab.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.ipclab.core.EchoPeer;
import org.ipclab.core.ServerSettings;
import org.ipclab.core.testkit.EchoContractTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every server model keeps the echo contract: the same kit as {@link TcpEchoContractTest}, once per model. */
class TcpServerModelsContractTest {

    static EchoPeer peer(ServerModel model, Path dir) throws IOException {
        TcpTransport tcp = new TcpTransport();
        return EchoPeer.inProcess(tcp, tcp.scratchEndpoint(dir),
                ServerSettings.defaults().withOptions(Map.of(ServerModel.OPTION, model.id())));
    }

    @Nested
    class Iterative extends EchoContractTest {
        @Override
        protected EchoPeer startPeer(Path tempDir) throws Exception {
            return peer(ServerModel.ITERATIVE, tempDir); // the kit's 8 concurrent clients are served one after another
        }
    }

    @Nested
    class Pool extends EchoContractTest {
        @Override
        protected EchoPeer startPeer(Path tempDir) throws Exception {
            return peer(ServerModel.POOL, tempDir);
        }

        @Override
        protected int concurrentClients() {
            return 3 * ServerModel.poolThreads(); // more clients than threads: the rest wait for a free thread
        }
    }

    @Nested
    class Nio extends EchoContractTest {
        @Override
        protected EchoPeer startPeer(Path tempDir) throws Exception {
            return peer(ServerModel.NIO, tempDir);
        }
    }

    @Nested
    class Hybrid extends EchoContractTest {
        @Override
        protected EchoPeer startPeer(Path tempDir) throws Exception {
            return peer(ServerModel.HYBRID, tempDir);
        }

        @Override
        protected int concurrentClients() {
            return ServerModel.hybridThreads() + 16; // the last 16 at once are the selector's
        }
    }

    @Nested
    class Virtual extends EchoContractTest {
        @Override
        protected EchoPeer startPeer(Path tempDir) throws Exception {
            assumeTrue(ServerModel.VIRTUAL.unavailableReason().isEmpty(),
                    "the virtual model's contract: " + ServerModel.VIRTUAL.unavailableReason().orElse(""));
            return peer(ServerModel.VIRTUAL, tempDir);
        }
    }

    @Test
    void anUnknownModelNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerModel.parse("forking"));
        assertEquals("unknown server model 'forking': choose one of iterative, threads, pool, nio, virtual, hybrid", e.getMessage());
    }

    @Test
    void onJava17TheVirtualModelSaysWhatItNeeds() {
        if (Runtime.version().feature() >= 21) {
            assertTrue(ServerModel.VIRTUAL.unavailableReason().isEmpty(), "Java 21+ has virtual threads");
        } else {
            assertTrue(ServerModel.VIRTUAL.unavailableReason().orElseThrow().contains("Java 21 or newer"));
        }
    }
}
