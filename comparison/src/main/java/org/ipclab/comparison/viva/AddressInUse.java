package org.ipclab.comparison.viva;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Optional;

import org.ipclab.report.model.VivaAnswer;

/**
 * A server restarted at once after serving a client: its old connection is still in TIME_WAIT, and bind(2) to
 * the same port fails with EADDRINUSE unless SO_REUSEADDR is set. The side that closes first keeps TIME_WAIT for
 * 60 s (TCP_TIMEWAIT_LEN, fixed in the kernel) so that stray segments of the old connection cannot be taken for
 * a new one. Linux lets a bind share a port with a TIME_WAIT socket only when BOTH sockets set SO_REUSEADDR (the
 * old one passes its setting on to its connections), so both pairings are measured. Watch: {@code ss -tan state
 * time-wait}, or state 06 in /proc/net/tcp.
 *
 * <p>The TIME_WAIT entries this leaves behind are kernel state only (no descriptor, no process, no file): the
 * kernel drops them after 60 s.
 */
final class AddressInUse implements VivaExperiment {

    static final String BOUND = "bound";
    static final long TIME_WAIT_APPEARS_MS = 2_000;

    @Override
    public String id() {
        return "eaddrinuse";
    }

    @Override
    public String question() {
        return "Why can a server restarted at once fail with \"Address already in use\", and what does SO_REUSEADDR change?";
    }

    @Override
    public VivaAnswer run(Path dir) throws Exception {
        Measured m = new Measured();
        boolean javaDefault;
        try (ServerSocket plain = new ServerSocket()) {
            javaDefault = plain.getReuseAddress(); // what java.net.ServerSocket sets before bind
        }
        m.put("javaServerSocketReuseDefault", javaDefault);
        TimeWait off = leaveTimeWait(false);
        String offOff = m.put("restartWithout", rebind(off.port(), false));
        String offOn = m.put("restartWithOnlyNewSet", rebind(off.port(), true));
        TimeWait on = leaveTimeWait(true);
        String onOn = m.put("restartWithBothSet", rebind(on.port(), true));
        String row = m.put("timeWaitRow", ProcNet.brief(on.row()));
        String left = m.put("timeWaitSecondsLeft", String.format(java.util.Locale.ROOT, "%.1f", on.secondsLeft()));
        m.put("portWithout", off.port());
        m.put("portWith", on.port());
        return m.answer(this, "The old server's side of its last connection closed first, so it waits in TIME_WAIT "
                + "(here /proc/net/tcp " + row + ", state 06, with " + left + " s of its 60 s left) and still holds the "
                + "port. Restarted without SO_REUSEADDR, bind() " + says(offOff) + "; with SO_REUSEADDR on the new "
                + "socket only it " + says(offOn) + (offOn.equals(BOUND) ? "" : ", because Linux asks both sockets")
                + "; with it set on both, the restart " + says(onOn) + ". java.net.ServerSocket sets SO_REUSEADDR by "
                + "default here (" + javaDefault + "); the lab's Python server sets nothing, so restarting it within a "
                + "minute of serving a client is the first case.");
    }

    /** "succeeded", or "failed with EADDRINUSE (Address already in use)". */
    static String says(String outcome) {
        return outcome.equals(BOUND) ? "succeeded" : "failed with " + outcome;
    }

    record TimeWait(int port, ProcNet.Row row, double secondsLeft) {
    }

    /**
     * A server on a fresh port serves one client and closes the connection first (as a server that exits does),
     * then stops listening; returns the port and the TIME_WAIT row the kernel keeps for it.
     */
    static TimeWait leaveTimeWait(boolean reuse) throws IOException, InterruptedException {
        int port;
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, reuse);
            listener.bind(new InetSocketAddress(Loopback.ADDRESS, 0));
            port = Loopback.port(listener);
            try (SocketChannel client = Loopback.connect(listener)) {
                listener.accept().close(); // close(2) first: FIN from the server, whose side will end in TIME_WAIT
                if (client.read(ByteBuffer.allocate(1)) != -1) {
                    throw new IOException("the client read data, not the server's FIN");
                }
            } // the client's close answers with its FIN; the server's side goes FIN_WAIT2 → TIME_WAIT
        }
        long deadline = System.nanoTime() + TIME_WAIT_APPEARS_MS * 1_000_000;
        while (true) {
            Optional<ProcNet.Row> row = ProcNet.find(r -> r.localPort() == port && r.state().equals(ProcNet.TIME_WAIT));
            if (row.isPresent()) {
                return new TimeWait(port, row.get(), secondsLeft(row.get().timer()));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("no TIME_WAIT row for port " + port + " appeared in " + ProcNet.TCP);
            }
            Thread.sleep(5);
        }
    }

    /** "03:0000176A": timer 3 (TIME_WAIT), 0x176A ticks of 1/100 s left. */
    static double secondsLeft(String timer) {
        String[] f = timer.split(":");
        return Long.parseLong(f[1], 16) / 100.0;
    }

    /** socket(2) + setsockopt(SO_REUSEADDR) + bind(2) to the port again: "bound", or the errno. */
    static String rebind(int port, boolean reuse) throws IOException {
        try (ServerSocketChannel again = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            again.setOption(StandardSocketOptions.SO_REUSEADDR, reuse);
            again.bind(new InetSocketAddress(Loopback.ADDRESS, port));
            return BOUND;
        } catch (java.net.BindException e) {
            return Errnos.describe(e);
        }
    }
}
