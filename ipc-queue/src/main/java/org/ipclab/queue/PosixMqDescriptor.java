package org.ipclab.queue;

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

/** How {@code posix-mq} presents itself to the command line, the comparison and the report. */
final class PosixMqDescriptor {

    /** Whole messages through named kernel queues; the queues outlive the processes until unlinked. */
    private static final RoundTrip ROUND_TRIP = new RoundTrip(
            List.of(new Participant("C", "client"), new Participant("K", "kernel (POSIX message queues)"),
                    new Participant("S", "echo server")),
            List.of(call("S", "K", "mq_open(/request and /reply, O_CREAT, mq_maxmsg, mq_msgsize)"),
                    call("C", "K", "mq_open(/request and /reply)"),
                    loop("every message (a payload over mq_msgsize goes as several messages)",
                            call("C", "K", "mq_send(request, message)"),
                            answer("K", "S", "mq_receive(request) returns one whole message"),
                            call("S", "K", "mq_send(reply, the same message)"),
                            answer("K", "C", "mq_receive(reply) until all bytes are back")),
                    call("C", "K", "mq_close()"),
                    call("S", "K", "mq_close() and mq_unlink() - queues outlive processes until unlinked")));

    static final TransportDescriptor INSTANCE = new TransportDescriptor("posix-mq",
            "POSIX message queues (mq_open): one request queue per server, one response queue per client",
            Kind.MESSAGE, Reach.SAME_HOST, 60, "#000000", "a POSIX message queue's", "posix-mq")
            .withName("POSIX message queue", "message queue")
            .withRoundTrip(ROUND_TRIP)
            .withSetup(SetupVariant.of("mq_open the queues + first echo"));

    private PosixMqDescriptor() {
    }
}
