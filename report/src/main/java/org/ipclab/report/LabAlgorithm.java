package org.ipclab.report;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The algorithm of the lab's echo server and client, once: each step is the sentence the record numbers and the
 * piece of the flowchart that draws it, side by side, so the list and the picture cannot say different things.
 * The flowcharts are PlantUML activity diagrams ({@code :action;}, {@code repeat}, {@code while}).
 */
final class LabAlgorithm {

    /**
     * One step: {@code text} is its Markdown sentence, {@code calls} the socket calls it makes (each named in the
     * sentence, in any case, and in the drawing as written), {@code flow} its PlantUML activity lines.
     */
    record Step(String text, List<String> calls, String flow) {
    }

    /** The server; it serves one client after another until it is stopped, so its flowchart has no end. */
    static final List<Step> SERVER = List.of(
            new Step("Create a TCP socket (`socket(AF_INET, SOCK_STREAM)`).", List.of("socket"),
                    ":socket(AF_INET, SOCK_STREAM);"),
            new Step("Bind it to 127.0.0.1 and the port (65432, or the first argument) with `bind`.", List.of("bind"),
                    ":bind(127.0.0.1, port);"),
            new Step("Mark it listening with `listen`: the kernel now completes handshakes and queues them.",
                    List.of("listen"), ":listen(backlog)\\nthe kernel queues finished handshakes;"),
            new Step("Take the next connection with `accept`, which returns a new socket for this client; print "
                    + "`Connected by <address>`.", List.of("accept"),
                    "repeat\n:accept(): a new socket for this client\\nprint \"Connected by <address>\";"),
            new Step("Loop: `recv` up to a buffer of bytes; if it returns end of stream (0 bytes), leave the loop; "
                    + "else `send` every byte back.", List.of("recv", "send"),
                    "while (recv(buffer) returned?) is (n > 0 bytes)\n:send(the n bytes back);\n"
                            + "endwhile (0 bytes: end of stream)"),
            new Step("Close the connection's socket and go back to step 4 for the next client.", List.of("close"),
                    ":close(the connection's socket);\nrepeat while (next client) is (back to accept)"));

    /** The client: one message, its echo, done. */
    static final List<Step> CLIENT = List.of(
            new Step("Create a TCP socket.", List.of("socket"), ":socket(AF_INET, SOCK_STREAM);"),
            new Step("`connect` it to 127.0.0.1 and the port; the kernel picks the client's own (ephemeral) port.",
                    List.of("connect"), ":connect(127.0.0.1, port)\\nthe kernel picks an ephemeral port;"),
            new Step("`sendall` the message `Hello, world`: keep sending until every byte is written.",
                    List.of("sendall"), ":sendall(\"Hello, world\");"),
            new Step("`recv` the echo until as many bytes came back as were sent.", List.of("recv"),
                    "repeat\n:recv(buffer);\nrepeat while (fewer bytes back than sent?) is (yes) not (no)"),
            new Step("Print `Received <the echo>`.", List.of("print"), ":print \"Received <the echo>\";"),
            new Step("Close the socket.", List.of("close"), ":close();\nstop"));

    private LabAlgorithm() {
    }

    /** The numbered steps' sentences, in order. */
    static List<String> sentences(List<Step> steps) {
        return steps.stream().map(Step::text).toList();
    }

    /** The PlantUML source of the flowchart of {@code steps}. */
    static String flowchart(String title, List<Step> steps) {
        return "@startuml\ntitle " + title + "\nstart\n"
                + steps.stream().map(Step::flow).collect(Collectors.joining("\n")) + "\n@enduml\n";
    }
}
