package org.ipclab.comparison.backlog;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;

import org.ipclab.report.backlog.JavaBacklog;
import org.ipclab.socket.Backlog;

/**
 * What Java does to a backlog before the kernel sees it, read back from the kernel: each listener is opened
 * on 127.0.0.1 with an ephemeral port, {@code ss -ltn} reads its Send-Q, and it is closed again.
 */
final class JavaBacklogs {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private JavaBacklogs() {
    }

    static List<JavaBacklog> measure() throws IOException {
        List<JavaBacklog> rows = new ArrayList<>();
        try (ServerSocket plain = new ServerSocket()) {
            // bind(address) without a backlog is what new ServerSocket(port) does: the backlog is 50
            plain.bind(new InetSocketAddress(LOOPBACK, 0));
            rows.add(row("new ServerSocket(port)  [no backlog named]", null, plain.getLocalPort()));
        }
        try (ServerSocket zero = new ServerSocket(0, 0, LOOPBACK)) {
            rows.add(row("new ServerSocket(port, 0, address)", 0, zero.getLocalPort()));
        }
        int somaxconn = Backlog.somaxconn().orElse(4096);
        int above = somaxconn + 1;
        try (ServerSocket big = new ServerSocket(0, above, LOOPBACK)) {
            rows.add(row("new ServerSocket(port, " + above + ", address)  [net.core.somaxconn + 1]", above,
                    big.getLocalPort()));
        }
        if (NativeListen.unavailableReason() == null) {
            try (ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
                channel.bind(new InetSocketAddress(LOOPBACK, 0), 1);
                NativeListen.relisten(channel, 0);
                int port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
                rows.add(new JavaBacklog("listen(fd, 0) through libc  [no Java in between]", 0, 0,
                        Ss.listen(port).map(Ss.ListenQueues::sendQ).orElse(null)));
            }
        }
        return rows;
    }

    private static JavaBacklog row(String call, Integer requested, int port) {
        int passed = requested == null ? Backlog.JAVA_DEFAULT : Backlog.passedByJava(requested);
        return new JavaBacklog(call, requested, passed, Ss.listen(port).map(Ss.ListenQueues::sendQ).orElse(null));
    }
}
