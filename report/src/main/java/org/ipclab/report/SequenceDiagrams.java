package org.ipclab.report;

import java.util.Map;
import java.util.Optional;

/**
 * The algorithm of each transport as a Mermaid sequence diagram (GitHub draws ```mermaid blocks): the system
 * calls a client and its echo peer make, in order, and what the kernel does between them. These describe how
 * the mechanisms work, not this machine, so they are the one part of the report written by hand.
 */
final class SequenceDiagrams {

    private SequenceDiagrams() {
    }

    private static final Map<String, String> DIAGRAMS = Map.of(
            "tcp", """
                    sequenceDiagram
                        participant C as client
                        participant K as kernel (TCP/IP on loopback)
                        participant S as echo server
                        S->>K: socket(AF_INET, SOCK_STREAM)
                        S->>K: bind(127.0.0.1, port)
                        S->>K: listen(backlog)
                        S->>K: accept() blocks
                        C->>K: socket(AF_INET, SOCK_STREAM)
                        C->>K: connect(127.0.0.1, port)
                        Note over C,S: the kernel completes the handshake (SYN, SYN-ACK, ACK) before accept() is called
                        K-->>S: accept() returns a new connected socket
                        loop every message of n bytes
                            C->>K: send(n bytes)
                            K-->>S: recv() returns the bytes (maybe in pieces)
                            S->>K: send(the same bytes)
                            K-->>C: recv() until all n bytes are back
                        end
                        C->>K: close() sends FIN
                        K-->>S: recv() returns 0 (end of stream)
                        S->>K: close()
                    """,
            "unix", """
                    sequenceDiagram
                        participant C as client
                        participant K as kernel (AF_UNIX)
                        participant S as echo server
                        S->>K: socket(AF_UNIX, SOCK_STREAM)
                        S->>K: bind(path) creates the socket file
                        S->>K: listen(backlog)
                        S->>K: accept() blocks
                        C->>K: socket(AF_UNIX, SOCK_STREAM)
                        C->>K: connect(path) checks write permission on the file
                        K-->>S: accept() returns a new connected socket
                        loop every message of n bytes
                            C->>K: send(n bytes) copied straight to the peer's queue, no TCP/IP
                            K-->>S: recv() returns the bytes
                            S->>K: send(the same bytes)
                            K-->>C: recv() until all n bytes are back
                        end
                        C->>K: close()
                        K-->>S: recv() returns 0 (end of stream)
                        S->>K: close() and unlink(path)
                    """,
            "pipe", """
                    sequenceDiagram
                        participant P as parent (client)
                        participant K as kernel (pipe buffers)
                        participant E as child (echo)
                        P->>K: pipe() twice - one pipe per direction
                        P->>K: fork() (posix_spawn/vfork in the JDK)
                        K-->>E: child starts with copies of the pipe ends
                        E->>K: dup2() pipe ends onto stdin and stdout, then exec(echo program)
                        loop every message of n bytes
                            P->>K: write(request pipe, n bytes)
                            K-->>E: read(stdin) returns the bytes
                            E->>K: write(stdout, the same bytes)
                            K-->>P: read(reply pipe) until all n bytes are back
                        end
                        P->>K: close(request pipe)
                        K-->>E: read(stdin) returns 0 (end of file), the child exits
                        P->>K: waitpid(child) collects its exit status
                    """,
            "fifo", """
                    sequenceDiagram
                        participant C as client
                        participant K as kernel (FIFO buffers)
                        participant S as echo server
                        S->>K: mkfifo(request path), mkfifo(reply path)
                        S->>K: open(request, O_RDONLY) blocks until a writer opens
                        C->>K: open(request, O_WRONLY)
                        C->>K: open(reply, O_RDONLY) blocks until the server opens it for writing
                        S->>K: open(reply, O_WRONLY)
                        loop every message of n bytes
                            C->>K: write(request, n bytes)
                            K-->>S: read(request) returns the bytes
                            S->>K: write(reply, the same bytes)
                            K-->>C: read(reply) until all n bytes are back
                        end
                        C->>K: close(request)
                        K-->>S: read() returns 0 (every writer has closed)
                        S->>K: close() and unlink() both FIFOs
                    """,
            "chronicle", """
                    sequenceDiagram
                        participant C as client
                        participant F as queue files (mmap, page cache)
                        participant S as echo server
                        C->>F: open request and reply queues - mmap() of .cq4 files
                        S->>F: open the same queues
                        loop every message of n bytes
                            C->>F: append(n bytes) to the request queue - a store into shared memory
                            S->>F: tailer polls (spins) until the new entry appears, reads it
                            S->>F: append(the same bytes) to the reply queue
                            C->>F: tailer polls (spins) until the reply appears, reads it
                        end
                        Note over C,S: no system call per message and no wake-up - the waiting side keeps polling
                        C->>F: close() - the files stay on disk (messages persist)
                    """,
            "posix-mq", """
                    sequenceDiagram
                        participant C as client
                        participant K as kernel (POSIX message queues)
                        participant S as echo server
                        S->>K: mq_open(/request and /reply, O_CREAT, mq_maxmsg, mq_msgsize)
                        C->>K: mq_open(/request and /reply)
                        loop every message (a payload over mq_msgsize goes as several messages)
                            C->>K: mq_send(request, message)
                            K-->>S: mq_receive(request) returns one whole message
                            S->>K: mq_send(reply, the same message)
                            K-->>C: mq_receive(reply) until all bytes are back
                        end
                        C->>K: mq_close()
                        S->>K: mq_close() and mq_unlink() - queues outlive processes until unlinked
                    """);

    /** The Mermaid source for {@code transport}, if the report knows its algorithm. */
    static Optional<String> of(String transport) {
        return Optional.ofNullable(DIAGRAMS.get(transport));
    }
}
