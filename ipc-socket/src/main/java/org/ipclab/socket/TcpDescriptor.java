package org.ipclab.socket;

import static org.ipclab.core.TransportDescriptor.Step.answer;
import static org.ipclab.core.TransportDescriptor.Step.call;
import static org.ipclab.core.TransportDescriptor.Step.loop;
import static org.ipclab.core.TransportDescriptor.Step.note;

import java.util.List;

import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.TransportDescriptor.Kind;
import org.ipclab.core.TransportDescriptor.Participant;
import org.ipclab.core.TransportDescriptor.Reach;
import org.ipclab.core.TransportDescriptor.RoundTrip;
import org.ipclab.core.TransportDescriptor.SetupVariant;

/** How {@code tcp} presents itself to the command line, the comparison and the report. */
final class TcpDescriptor {

    /** socket, bind, listen, accept on one side, socket and connect on the other; the kernel does the handshake. */
    private static final RoundTrip ROUND_TRIP = new RoundTrip(
            List.of(new Participant("C", "client"), new Participant("K", "kernel (TCP/IP on loopback)"),
                    new Participant("S", "echo server")),
            List.of(call("S", "K", "socket(AF_INET, SOCK_STREAM)"),
                    call("S", "K", "bind(127.0.0.1, port)"),
                    call("S", "K", "listen(backlog)"),
                    call("S", "K", "accept() blocks"),
                    call("C", "K", "socket(AF_INET, SOCK_STREAM)"),
                    call("C", "K", "connect(127.0.0.1, port)"),
                    note("C", "S", "the kernel completes the handshake (SYN, SYN-ACK, ACK) before accept() is called"),
                    answer("K", "S", "accept() returns a new connected socket"),
                    loop("every message of n bytes",
                            call("C", "K", "send(n bytes)"),
                            answer("K", "S", "recv() returns the bytes (maybe in pieces)"),
                            call("S", "K", "send(the same bytes)"),
                            answer("K", "C", "recv() until all n bytes are back")),
                    call("C", "K", "close() sends FIN"),
                    answer("K", "S", "recv() returns 0 (end of stream)"),
                    call("S", "K", "close()")));

    static final TransportDescriptor INSTANCE = new TransportDescriptor("tcp",
            "TCP stream socket (AF_INET), reachable by address and port",
            Kind.BYTE_STREAM, Reach.ANY_HOST, 10, "#0072B2", "a TCP socket's", "tcp")
            .withName("TCP", "socket")
            .withRoundTrip(ROUND_TRIP)
            .withSetup(SetupVariant.of("TCP connect + first echo"));

    private TcpDescriptor() {
    }
}
