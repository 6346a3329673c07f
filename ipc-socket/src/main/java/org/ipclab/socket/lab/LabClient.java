package org.ipclab.socket.lab;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/*
 * The lab's echo client (Socket Programming-I) in plain java.net: it connects to 127.0.0.1, sends
 * "Hello, world" and prints "Received " and the echo that comes back.
 * Run it from this one file (JDK 11+):  java LabClient.java [port]              (default port 65432)
 *  or compile it:  javac -d . LabClient.java && java org.ipclab.socket.lab.LabClient [port]
 * Start LabServer first, or connect fails at once with "Connection refused" (the kernel answered RST).
 */
public class LabClient {
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 65432;
        // socket(2) + connect(2): no bind needed; the kernel picks a free ephemeral port for this end
        // (from net.ipv4.ip_local_port_range) and does the three-way handshake (SYN, SYN-ACK, ACK).
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000); // every recv below waits at most 5 s, then throws SocketTimeoutException
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            byte[] message = "Hello, world".getBytes(StandardCharsets.UTF_8);
            // send(2): copies the 12 bytes into the kernel's send buffer; TCP carries them as a byte stream.
            out.write(message);
            // recv(2), as often as needed: one recv may return fewer bytes than were sent (a stream has no
            // message boundaries), so read until all 12 came back; -1 here would mean the server closed first.
            byte[] data = in.readNBytes(message.length);
            System.out.println("Received " + new String(data, StandardCharsets.UTF_8));
        } // close(2): the kernel sends FIN; the server's recv returns end of stream and it closes too.
    }
}
