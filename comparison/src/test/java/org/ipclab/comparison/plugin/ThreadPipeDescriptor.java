package org.ipclab.comparison.plugin;

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

/** How {@code thread-pipe} presents itself to the command line, the comparison and the report. */
final class ThreadPipeDescriptor {

    private static final RoundTrip ROUND_TRIP = new RoundTrip(
            List.of(new Participant("C", "client thread"), new Participant("K", "kernel (pipe buffers)"),
                    new Participant("E", "echo thread")),
            List.of(call("C", "K", "pipe2() twice (Pipe.open()) - one pipe per direction, in this process"),
                    loop("every message of n bytes",
                            call("C", "K", "write(request pipe, n bytes)"),
                            answer("K", "E", "epoll_wait returns, read() returns the bytes"),
                            call("E", "K", "write(reply pipe, the same bytes)"),
                            answer("K", "C", "read(reply pipe) until all n bytes are back")),
                    call("C", "K", "close(request pipe)"),
                    answer("K", "E", "read() returns -1 (end of stream): the echo thread ends")));

    static final TransportDescriptor INSTANCE = new TransportDescriptor("thread-pipe",
            "two java.nio Pipes between two threads of one JVM (a test-only transport)",
            Kind.BYTE_STREAM, Reach.RELATED_PROCESSES, 90, "#56B4E9", "an in-JVM pipe's", "")
            .withName("in-JVM pipe", "nio-pipe")
            .withRoundTrip(ROUND_TRIP)
            .withSetup(SetupVariant.of("open two pipes + start a thread + first echo"));

    private ThreadPipeDescriptor() {
    }
}
