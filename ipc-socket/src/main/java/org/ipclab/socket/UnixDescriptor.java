package org.ipclab.socket;

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

/** How {@code unix} presents itself to the command line, the comparison and the report. */
final class UnixDescriptor {

    /** The socket calls of TCP, with a file path for an address and no TCP/IP stack underneath. */
    private static final RoundTrip ROUND_TRIP = new RoundTrip(
            List.of(new Participant("C", "client"), new Participant("K", "kernel (AF_UNIX)"),
                    new Participant("S", "echo server")),
            List.of(call("S", "K", "socket(AF_UNIX, SOCK_STREAM)"),
                    call("S", "K", "bind(path) creates the socket file"),
                    call("S", "K", "listen(backlog)"),
                    call("S", "K", "accept() blocks"),
                    call("C", "K", "socket(AF_UNIX, SOCK_STREAM)"),
                    call("C", "K", "connect(path) checks write permission on the file"),
                    answer("K", "S", "accept() returns a new connected socket"),
                    loop("every message of n bytes",
                            call("C", "K", "send(n bytes) copied straight to the peer's queue, no TCP/IP"),
                            answer("K", "S", "recv() returns the bytes"),
                            call("S", "K", "send(the same bytes)"),
                            answer("K", "C", "recv() until all n bytes are back")),
                    call("C", "K", "close()"),
                    answer("K", "S", "recv() returns 0 (end of stream)"),
                    call("S", "K", "close() and unlink(path)")));

    static final TransportDescriptor INSTANCE = new TransportDescriptor("unix",
            "Unix domain stream socket (AF_UNIX), reachable by a file path on this host",
            Kind.BYTE_STREAM, Reach.SAME_HOST, 20, "#E69F00", "a Unix socket's", "unix")
            .withName("Unix socket", "socket")
            .withRoundTrip(ROUND_TRIP)
            .withSetup(SetupVariant.of("Unix socket connect + first echo"));

    private UnixDescriptor() {
    }
}
