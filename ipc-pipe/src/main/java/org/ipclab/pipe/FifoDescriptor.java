package org.ipclab.pipe;

import static org.ipclab.core.TransportDescriptor.Step.answer;
import static org.ipclab.core.TransportDescriptor.Step.call;
import static org.ipclab.core.TransportDescriptor.Step.loop;

import java.util.List;

import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.TransportDescriptor.Kind;
import org.ipclab.core.TransportDescriptor.Participant;
import org.ipclab.core.TransportDescriptor.Reach;
import org.ipclab.core.TransportDescriptor.RoundTrip;
import org.ipclab.core.TransportDescriptor.SetupVariant;

/** How {@code fifo} presents itself to the command line, the comparison and the report. */
final class FifoDescriptor {

    /** Pipes with names: open() of each end blocks until the other end is opened too. */
    private static final RoundTrip ROUND_TRIP = new RoundTrip(
            List.of(new Participant("C", "client"), new Participant("K", "kernel (FIFO buffers)"),
                    new Participant("S", "echo server")),
            List.of(call("S", "K", "mkfifo(request path), mkfifo(reply path)"),
                    call("S", "K", "open(request, O_RDONLY) blocks until a writer opens"),
                    call("C", "K", "open(request, O_WRONLY)"),
                    call("C", "K", "open(reply, O_RDONLY) blocks until the server opens it for writing"),
                    call("S", "K", "open(reply, O_WRONLY)"),
                    loop("every message of n bytes",
                            call("C", "K", "write(request, n bytes)"),
                            answer("K", "S", "read(request) returns the bytes"),
                            call("S", "K", "write(reply, the same bytes)"),
                            answer("K", "C", "read(reply) until all n bytes are back")),
                    call("C", "K", "close(request)"),
                    answer("K", "S", "read() returns 0 (every writer has closed)"),
                    call("S", "K", "close() and unlink() both FIFOs")));

    static final TransportDescriptor INSTANCE = new TransportDescriptor("fifo",
            "named pipes (mkfifo): a request FIFO and a response FIFO in a directory, one client at a time",
            Kind.BYTE_STREAM, Reach.SAME_HOST, 40, "#CC79A7", "a FIFO's", "fifo")
            .withName("FIFO", "pipe")
            .withRoundTrip(ROUND_TRIP)
            .withSetup(SetupVariant.of("open the FIFO pair + first echo"));

    private FifoDescriptor() {
    }
}
