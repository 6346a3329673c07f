package org.ipclab.comparison.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.ipclab.core.JvmFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code ipc-lab broker kafka}: a broker Kafka's own clients can use, gone with its data after SIGTERM. */
@Timeout(120)
class BrokerCommandTest {

    @Test
    void aPortInUseIsOneLineAndExitCode2() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli.Result r = Cli.run("broker", "kafka", "--port", String.valueOf(taken.getLocalPort()));
            assertEquals(2, r.exitCode(), r.toString());
            assertEquals(1, r.err().lines().count(), r.toString());
            assertTrue(r.err().contains("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use"), r.toString());
        }
        Cli.Result nodes = Cli.run("broker", "kafka", "--nodes", "0");
        assertEquals(2, nodes.exitCode(), nodes.toString());
    }

    @Test
    void kafkasOwnAdminClientUsesTheBrokerAndSigtermRemovesItAndItsData() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        List<String> command = JvmFlags.javaCommand(List.of(), org.ipclab.comparison.IpcLabMain.class.getName(),
                List.of("broker", "kafka", "--port", String.valueOf(port)));
        Process broker = new ProcessBuilder(command).redirectError(Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
            String bootstrap = null;
            Path data = null;
            List<String> nodePids = new ArrayList<>();
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    data = Path.of(line.substring(6).split(" ")[0]);
                } else if (line.trim().startsWith("node ")) {
                    nodePids.add(line.replaceAll(".*pid ([0-9]+),.*", "$1"));
                } else if (line.startsWith("bootstrap: ")) {
                    bootstrap = line.substring("bootstrap: ".length());
                    break;
                }
            }
            assertEquals("127.0.0.1:" + port, bootstrap);
            assertNotNull(data);
            assertTrue(Files.isDirectory(data.resolve("node-1/data")), data.toString());

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic("made-by-a-plain-kafka-client", 1, (short) 1))).all()
                        .get(30, TimeUnit.SECONDS);
                assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("made-by-a-plain-kafka-client"));
            }

            broker.destroy();   // SIGTERM, as Ctrl-C would be SIGINT: both run the shutdown hook
            assertTrue(broker.waitFor(60, TimeUnit.SECONDS), "the broker command stops on SIGTERM");
            assertFalse(Files.exists(data), "its data directory is deleted: " + data);
            for (String pid : nodePids) {
                assertFalse(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false),
                        "broker node pid " + pid + " is gone");
            }
        } finally {
            broker.destroyForcibly();
            broker.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
