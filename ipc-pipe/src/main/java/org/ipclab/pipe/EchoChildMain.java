package org.ipclab.pipe;

import java.io.PrintStream;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.LastError;
import com.kenai.jffi.Library;
import com.kenai.jffi.MemoryIO;
import com.kenai.jffi.Type;

/**
 * ipc-lab's echo child for the anonymous-pipe transport: copies stdin to stdout until end of file, like
 * {@code cat}, and prints nothing else on stdout. Its stdin and stdout are the two pipes of its parent.
 *
 * <p>Copying goes through one native buffer with read(2) and write(2) on descriptors 0 and 1, called directly
 * as a C child calls them: no copy into the Java heap, and none of the locking and interruption bookkeeping
 * that {@code FileChannel} does around each call (a few hundred nanoseconds per round trip, on a path that is
 * little more than two system calls and two context switches). The calls go through jffi, the small JNI
 * library under jnr-ffi, rather than through jnr-ffi itself ({@link Posix.LibC}): jnr-ffi generates its glue
 * code with ASM when it loads, which in this C1-only child JVM costs about 0.2 s of start-up on every pipe
 * client, against a few tens of milliseconds for jffi alone. (Watch it: {@code time java -cp ipc-lab.jar
 * org.ipclab.pipe.EchoChildMain </dev/null}.)
 *
 * <p>Stdout carries the echo and nothing else: {@code System.out} is pointed at stderr before anything can
 * print, and the JVM's own warnings are sent to stderr by {@link ChildCommand#JVM_CHILD_FLAGS}.
 *
 * <p>Run by hand: {@code echo hello | java -cp ... org.ipclab.pipe.EchoChildMain}.
 */
public final class EchoChildMain {

    static final int BUFFER_BYTES = 64 * 1024;

    /** What a process killed by SIGPIPE reports (128 + 13); we exit with it when the reader has gone. */
    static final int EXIT_BROKEN_PIPE = 141;

    private static final int STDIN = 0;
    private static final int STDOUT = 1;

    private EchoChildMain() {
    }

    public static void main(String[] args) {
        PrintStream err = System.err;
        System.setOut(err);   // a stray println must not land in the echo
        Library libc = Library.getCachedInstance("libc.so.6", Library.LAZY | Library.LOCAL);
        if (libc == null) {
            err.println("echo child: cannot load libc.so.6 (" + Library.getLastError() + ")");
            System.exit(1);
        }
        // ssize_t read(int fd, void *buffer, size_t count), and write with the same types; errno kept after each
        CallContext readOrWrite = CallContext.getCallContext(Type.SLONG, new Type[] {Type.SINT, Type.POINTER, Type.ULONG},
                CallingConvention.DEFAULT, true);
        long read = libc.getSymbolAddress("read");
        long write = libc.getSymbolAddress("write");
        Invoker invoker = Invoker.getInstance();
        long buffer = MemoryIO.getInstance().allocateMemory(BUFFER_BYTES, false);   // lives as long as the process
        while (true) {
            /* read(2) on the pipe from our parent: blocks until bytes arrive (up to 64 KiB, what the pipe holds);
             * returns 0 at end of file, when the parent has closed its write end (or died: the kernel closes it
             * then). Watch it: `strace -e trace=read,write -p <child pid>`: one read and one write per echo. */
            long n = invoker.invokeN3(readOrWrite, read, STDIN, buffer, BUFFER_BYTES);
            if (n == 0) {
                return;
            }
            if (n < 0) {
                exitUnlessInterrupted("read", err);
                continue;
            }
            long written = 0;
            while (written < n) {
                /* write(2) on the pipe to our parent: blocks while it is full (64 KiB that the parent has not
                 * read yet). If the parent has closed its read end, the kernel sends SIGPIPE; the JVM ignores it
                 * and the write fails with EPIPE ("Broken pipe") instead. */
                long w = invoker.invokeN3(readOrWrite, write, STDOUT, buffer + written, n - written);
                if (w > 0) {
                    written += w;
                } else {
                    exitUnlessInterrupted("write", err);
                }
            }
        }
    }

    /** Returns on EINTR (the caller tries again); exits 141 when the reader has gone (EPIPE), 1 otherwise. */
    private static void exitUnlessInterrupted(String call, PrintStream err) {
        int errno = LastError.getInstance().get();
        if (errno == Posix.EINTR) {
            return;
        }
        if (errno == Posix.EPIPE) {
            // the client stopped reading and went away: nobody is left to tell
            System.exit(EXIT_BROKEN_PIPE);
        }
        err.println("echo child: " + call + " failed: " + Posix.describe(errno));
        System.exit(1);
    }
}
