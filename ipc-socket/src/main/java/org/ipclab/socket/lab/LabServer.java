package org.ipclab.socket.lab;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/*
 * The lab's echo server (Socket Programming-I) in plain java.net: it prints "Connected by <address>" and sends
 * back every byte a client sends until that client closes, then waits for the next one. Stop it with Ctrl-C.
 * Run it from this one file (JDK 11+):  java LabServer.java [port]              (default port 65432)
 *  or compile it:  javac -d . LabServer.java && java org.ipclab.socket.lab.LabServer [port]
 * Then, in a second terminal:  java LabClient.java [port]
 * Watch it: ss -tan 'sport = :65432' shows [::ffff:127.0.0.1]: Java opens an IPv6 socket that takes IPv4 too.
 * Not handled, on purpose: a port that is not a number, a port in use, more than one client at a time.
 */
public class LabServer {
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 65432;
        // socket(2), bind(2) to 127.0.0.1:port, listen(2): from now on the kernel completes clients' handshakes
        // itself and queues them (up to the backlog, 50) until accept takes them. EADDRINUSE if the port is taken.
        try (ServerSocket server = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
            while (true) {
                // accept(2): sleeps until a connection is queued, then returns a NEW socket for it alone;
                // `server` keeps listening. The client's address is the ephemeral port its connect chose.
                try (Socket conn = server.accept()) {
                    System.out.println("Connected by " + conn.getInetAddress().getHostAddress() + ":" + conn.getPort());
                    InputStream in = conn.getInputStream();
                    OutputStream out = conn.getOutputStream();
                    byte[] data = new byte[1024];
                    int n;
                    // recv(2): sleeps until bytes arrive and returns what is there (1 to 1024 bytes, maybe fewer
                    // than the client sent at once); -1 (recv's 0) means the client closed: end of stream.
                    while ((n = in.read(data)) != -1) {
                        // send(2) until all n bytes are in the kernel's send buffer (Python's sendall).
                        out.write(data, 0, n);
                    }
                } // close(2): the kernel sends FIN; the server goes back to accept.
            }
        }
    }
}
