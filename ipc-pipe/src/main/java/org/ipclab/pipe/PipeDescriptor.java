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

/** How {@code pipe} presents itself to the command line, the comparison and the report. */
final class PipeDescriptor {

    /** Two pipes made before fork(): the child inherits the ends and exec()s the echo program. */
    private static final RoundTrip ROUND_TRIP = new RoundTrip(
            List.of(new Participant("P", "parent (client)"), new Participant("K", "kernel (pipe buffers)"),
                    new Participant("E", "child (echo)")),
            List.of(call("P", "K", "pipe() twice - one pipe per direction"),
                    call("P", "K", "fork() (posix_spawn/vfork in the JDK)"),
                    answer("K", "E", "child starts with copies of the pipe ends"),
                    call("E", "K", "dup2() pipe ends onto stdin and stdout, then exec(echo program)"),
                    loop("every message of n bytes",
                            call("P", "K", "write(request pipe, n bytes)"),
                            answer("K", "E", "read(stdin) returns the bytes"),
                            call("E", "K", "write(stdout, the same bytes)"),
                            answer("K", "P", "read(reply pipe) until all n bytes are back")),
                    call("P", "K", "close(request pipe)"),
                    answer("K", "E", "read(stdin) returns 0 (end of file), the child exits"),
                    call("P", "K", "waitpid(child) collects its exit status")));

    /**
     * The client forks its own echo peer, so a set-up is a process start. ipc-lab's own child is a JVM;
     * {@code cat} is the same pipe work without starting a JVM, to compare like with like.
     */
    static final TransportDescriptor INSTANCE = new TransportDescriptor("pipe",
            "anonymous pipes to a child process's stdin and stdout (pipe2 + fork/exec), parent and child only",
            Kind.BYTE_STREAM, Reach.RELATED_PROCESSES, 30, "#009E73", "a pipe's", "pipe")
            .withName("pipe", "pipe")
            .withRoundTrip(ROUND_TRIP)
            .withSetup(new SetupVariant("", "spawn a JVM echo child + first echo", "", true),
                    new SetupVariant("cat", "spawn `cat` + first echo", "cat", false));

    private PipeDescriptor() {
    }
}
