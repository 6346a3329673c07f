package org.ipclab.udp;

import static org.ipclab.core.TransportDescriptor.Step.answer;
import static org.ipclab.core.TransportDescriptor.Step.call;
import static org.ipclab.core.TransportDescriptor.Step.loop;
import static org.ipclab.core.TransportDescriptor.Step.note;

import java.util.List;

import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.TransportDescriptor.Kind;
import org.ipclab.core.TransportDescriptor.Limits;
import org.ipclab.core.TransportDescriptor.Participant;
import org.ipclab.core.TransportDescriptor.Reach;
import org.ipclab.core.TransportDescriptor.RoundTrip;
import org.ipclab.core.TransportDescriptor.SetupVariant;

/** How {@code udp} presents itself to the command line, the comparison and the report. */
final class UdpDescriptor {

    /** socket and bind on one side, socket and connect (which sends nothing) on the other; no handshake, no accept. */
    private static final RoundTrip ROUND_TRIP = new RoundTrip(
            List.of(new Participant("C", "client"), new Participant("K", "kernel (UDP/IP on loopback)"),
                    new Participant("S", "echo server")),
            List.of(call("S", "K", "socket(AF_INET, SOCK_DGRAM)"),
                    call("S", "K", "bind(127.0.0.1, port)"),
                    call("S", "K", "recvfrom() blocks"),
                    call("C", "K", "socket(AF_INET, SOCK_DGRAM)"),
                    call("C", "K", "connect(127.0.0.1, port): only records the peer, no packet"),
                    loop("every message of n bytes (n at most 65,507)",
                            call("C", "K", "send(one datagram of n bytes)"),
                            answer("K", "S", "recvfrom() returns the whole datagram and the client's address"),
                            call("S", "K", "sendto(the same bytes, that address)"),
                            answer("K", "C", "recv() returns the echo, whole (none in a third of the timeout: send again)")),
                    note("C", "S", "close() sends nothing: the server never knew there was a connection"),
                    call("C", "K", "close()")));

    static final Limits LIMITS = new Limits(UdpEndpoints.MAX_PAYLOAD_BYTES, "larger than one datagram",
            "UDP has no flow control: a writer that streams without waiting for echoes overruns the receiver's"
                    + " socket buffer and the kernel drops datagrams (counted in /proc/net/snmp Udp: RcvbufErrors),"
                    + " so an echoed stream would have holes; only round trips are measured");

    static final TransportDescriptor INSTANCE = new TransportDescriptor("udp",
            "UDP datagram socket (AF_INET), reachable by address and port; one message is one datagram of at most "
                    + "65,507 B, no connection, no retransmission (the client resends)",
            Kind.DATAGRAM, Reach.ANY_HOST, 15, "#44AA99", "a UDP socket's", "udp")
            .withName("UDP", "socket")
            .withRoundTrip(ROUND_TRIP)
            .withSetup(SetupVariant.of("UDP socket + connect + first echo"))
            .withLimits(LIMITS);

    private UdpDescriptor() {
    }
}
