package org.ipclab.comparison.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.ipclab.report.model.LabRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The lab run: the listed server and client in processes of their own, their lines kept, nothing left running. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LabRunnerTest {

    @Test
    void theServerAndClientPrintWhatTheLabsProgramsPrintAndTheServerIsStopped() throws Exception {
        List<String> progress = new ArrayList<>();
        LabRun run = LabRunner.run(progress::add);
        assertTrue(run.ok(), run.toString());
        assertNull(run.failure());
        assertEquals(List.of(LabRunner.EXPECTED_CLIENT_LINE), run.clientLines(), run.toString());
        assertEquals(1, run.serverLines().size(), run.toString());
        assertTrue(run.serverLines().get(0).matches("Connected by 127\\.0\\.0\\.1:\\d+"), run.toString());
        assertEquals(0, run.clientExitCode());
        assertEquals(143, run.serverExitCode(), "stopped with SIGTERM: " + run);
        assertFalse(Listening.now(run.port()), "the server's port still listens after the run");
        assertEquals(List.of("java", "-cp"), run.serverCommand().subList(0, 2));
        assertEquals(List.of("org.ipclab.socket.lab.LabServer", Integer.toString(run.port())),
                run.serverCommand().subList(3, 5));
        assertEquals("org.ipclab.socket.lab.LabClient", run.clientCommand().get(3));
        assertNotNull(run.serverStart());
        assertTrue(run.total().value() >= run.client().value(), run.toString());
        assertEquals(2, progress.size(), progress.toString());
    }

    @Test
    void theRunSurvivesAJsonRoundTrip() throws Exception {
        LabRun run = LabRunner.run(line -> { });
        ObjectMapper json = new ObjectMapper();
        assertEquals(run, json.readValue(json.writeValueAsString(run), LabRun.class));
    }

    @Test
    void theCommandIsShownAsAReaderTypesIt() {
        List<String> shown = LabRunner.shortForm(List.of("/usr/lib/jvm/java-17/bin/java", "-cp",
                "/home/me/ipc-lab/comparison/target/ipc-lab.jar", "org.ipclab.socket.lab.LabServer", "41234"));
        assertEquals(List.of("java", "-cp", "ipc-lab.jar", "org.ipclab.socket.lab.LabServer", "41234"), shown);
    }
}
