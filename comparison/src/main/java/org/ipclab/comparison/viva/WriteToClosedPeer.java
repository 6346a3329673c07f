package org.ipclab.comparison.viva;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import org.ipclab.report.model.VivaAnswer;

/**
 * Writing to a connection the peer has closed. The first write still succeeds: the kernel only queues the bytes,
 * and the peer's kernel answers them with RST because nothing there reads any more. After the RST, write(2) fails
 * with EPIPE and, in C, first raises SIGPIPE, whose default action ends the process. The JVM handles SIGPIPE
 * itself and ignores it, so Java sees only the IOException "Broken pipe". See signal(7), send(2) (MSG_NOSIGNAL),
 * and SigIgn/SigCgt in /proc/PID/status.
 */
final class WriteToClosedPeer implements VivaExperiment {

    static final int SIGPIPE = 13;
    static final int WRITE_BYTES = 1024;
    static final int MAX_WRITES = 1_000;

    @Override
    public String id() {
        return "epipe";
    }

    @Override
    public String question() {
        return "What happens when a program writes to a socket whose peer has closed it?";
    }

    @Override
    public VivaAnswer run(Path dir) throws Exception {
        Measured m = new Measured();
        int succeeded = 0;
        String failure = null;
        try (Loopback.Connection c = Loopback.Connection.open()) {
            c.server().close(); // the peer closes: FIN to the client
            if (c.client().read(ByteBuffer.allocate(1)) != -1) {
                throw new IOException("the client read data instead of the peer's FIN");
            }
            for (int i = 0; i < MAX_WRITES && failure == null; i++) {
                try {
                    c.client().write(ByteBuffer.allocate(WRITE_BYTES));
                    succeeded++;
                    Thread.sleep(1); // time for the peer's RST to come back
                } catch (IOException e) {
                    failure = Errnos.describe(e);
                }
            }
        }
        if (failure == null) {
            throw new IOException(MAX_WRITES + " writes to a closed peer all succeeded; no EPIPE was seen");
        }
        String writes = m.put("writesThatSucceeded", succeeded);
        String error = m.put("writeFailedWith", failure);
        String caught = ProcSelf.status("SigCgt").orElse("0");
        String ignored = ProcSelf.status("SigIgn").orElse("0");
        m.put("SigCgt", caught);
        m.put("SigIgn", ignored);
        String disposition = m.put("sigpipe", ProcSelf.hasSignal(ignored, SIGPIPE) ? "ignored (SIG_IGN)"
                : ProcSelf.hasSignal(caught, SIGPIPE) ? "caught by the JVM's handler, which ignores it" : "default (terminate)");
        return m.answer(this, "The write fails once the peer's kernel has answered with a reset, and in C the process "
                + "first gets SIGPIPE, which kills it unless the program ignores the signal or sends with MSG_NOSIGNAL. "
                + "Here, after the server closed its socket, the client's " + (succeeded == 1 ? "first write" : "first "
                + writes + " writes") + " of " + WRITE_BYTES + " bytes succeeded (the kernel only queued the bytes), "
                + "then write failed with " + error + ". This JVM's "
                + "SIGPIPE disposition, from /proc/self/status (SigCgt " + caught + "): " + disposition
                + "; so a Java program sees only the IOException and goes on.");
    }
}
