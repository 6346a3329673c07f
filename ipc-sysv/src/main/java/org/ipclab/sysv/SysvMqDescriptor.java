package org.ipclab.sysv;

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

/** How {@code sysv-mq} presents itself to the command line, the comparison and the report. */
final class SysvMqDescriptor {

    private static final SysvNative.Limits LIMITS = SysvNative.Limits.read();

    /** Whole typed messages in one kernel queue per server; replies picked out by type. */
    private static final RoundTrip ROUND_TRIP = new RoundTrip(
            List.of(new Participant("C", "client"), new Participant("K", "kernel (System V message queue)"),
                    new Participant("S", "echo server")),
            List.of(call("S", "K", "msgget(key from the name, IPC_CREAT | IPC_EXCL | 0600)"),
                    note("S", "S", "msgrcv(type 1) sleeps"),
                    call("C", "K", "msgget(key, 0); msgsnd(type 1, HELLO: my reply type R)"),
                    loop("every message (a payload over msgmax " + LIMITS.msgmax() + " B minus 8 goes as several)",
                            call("C", "K", "msgsnd(type 1, R | payload)"),
                            answer("K", "S", "msgrcv(type 1) returns one whole request"),
                            call("S", "K", "msgsnd(type R, the same payload)"),
                            answer("K", "C", "msgrcv(type R): only this client's replies")),
                    call("C", "K", "msgsnd(type 1, R | nothing): END"),
                    call("S", "K", "msgctl(IPC_RMID) on exit - a queue outlives every process until removed")));

    static final TransportDescriptor INSTANCE = new TransportDescriptor("sysv-mq",
            "System V message queue (msgget): one queue per server, replies picked out by message type; kernel limits msgmax "
                    + LIMITS.msgmax() + " B, msgmnb " + LIMITS.msgmnb() + " B, msgmni " + LIMITS.msgmni(),
            Kind.MESSAGE, Reach.SAME_HOST, 65, "#882255", "a System V message queue's", "sysv-mq")
            .withName("System V message queue", "sysv-ipc")
            .withRoundTrip(ROUND_TRIP)
            .withSetup(SetupVariant.of("msgget + HELLO + first echo"));

    private SysvMqDescriptor() {
    }
}
