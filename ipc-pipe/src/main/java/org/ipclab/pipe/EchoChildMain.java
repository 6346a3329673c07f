package org.ipclab.pipe;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * ipc-lab's echo child for the anonymous-pipe transport: copies stdin to stdout until end of file, like
 * {@code cat}, and prints nothing else on stdout. Its stdin and stdout are the two pipes of its parent.
 *
 * <p>Copying goes through one direct buffer and {@link FileChannel}: read(2) into it, write(2) from it, no
 * copy into the Java heap. Stdout carries the echo and nothing else: {@code System.out} is pointed at stderr
 * before anything can print, and the JVM's own warnings are sent to stderr by
 * {@link ChildCommand#JVM_CHILD_FLAGS}.
 *
 * <p>Run by hand: {@code echo hello | java -cp ... org.ipclab.pipe.EchoChildMain}.
 */
public final class EchoChildMain {

    static final int BUFFER_BYTES = 64 * 1024;

    /** What a process killed by SIGPIPE reports (128 + 13); we exit with it when the reader has gone. */
    static final int EXIT_BROKEN_PIPE = 141;

    private EchoChildMain() {
    }

    public static void main(String[] args) {
        PrintStream err = System.err;
        System.setOut(err);   // a stray println must not land in the echo
        try (FileChannel in = new FileInputStream(FileDescriptor.in).getChannel();
             FileChannel out = new FileOutputStream(FileDescriptor.out).getChannel()) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
            /* read(2) on the pipe from our parent: blocks until bytes arrive; returns -1 at end of file,
             * when the parent has closed its write end (or died: the kernel closes it then). */
            while (in.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    /* write(2) on the pipe to our parent: blocks while it is full (64 KiB that the parent has
                     * not read yet). If the parent has closed its read end, the kernel sends SIGPIPE; the JVM
                     * ignores it and the write fails with EPIPE ("Broken pipe") instead. */
                    out.write(buffer);
                }
                buffer.clear();
            }
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("Broken pipe")) {
                // the client stopped reading and went away: nobody is left to tell
                System.exit(EXIT_BROKEN_PIPE);
            }
            err.println("echo child: " + e.getMessage());
            System.exit(1);
        }
    }
}
