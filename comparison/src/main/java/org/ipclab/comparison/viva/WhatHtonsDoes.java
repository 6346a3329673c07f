package org.ipclab.comparison.viva;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;

import org.ipclab.report.model.VivaAnswer;

/**
 * htons(3), "host to network short": the port's two bytes put in network byte order, most significant first
 * (big-endian, RFC 1700), whatever order the CPU keeps them in. Java's ByteBuffer is big-endian by default, so
 * it writes what htons makes; ByteOrder.nativeOrder() shows what the CPU holds. /proc/net/tcp prints the port
 * converted back (ntohs) but the IPv4 address as the raw 32-bit word read in host order: on a little-endian CPU
 * 127.0.0.1 shows as 0100007F, the network bytes 7F 00 00 01 reversed.
 */
final class WhatHtonsDoes implements VivaExperiment {

    static final int LAB_PORT = 65432;

    @Override
    public String id() {
        return "htons";
    }

    @Override
    public String question() {
        return "What does htons() do, and why is it needed?";
    }

    @Override
    public VivaAnswer run(Path dir) throws Exception {
        Measured m = new Measured();
        int port = LAB_PORT;
        String hex = m.put("portHex", String.format(Locale.ROOT, "0x%04X", port));
        String wire = m.put("networkOrderBytes", bytes(port, ByteOrder.BIG_ENDIAN));
        ByteOrder cpu = ByteOrder.nativeOrder();
        String order = m.put("cpuByteOrder", cpu.toString());
        String host = m.put("hostOrderBytes", bytes(port, cpu));
        String misread = m.put("portIfNotConverted", Short.toUnsignedInt(Short.reverseBytes((short) port)));
        String proc;
        String bound;
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            try {
                listener.bind(new InetSocketAddress(Loopback.ADDRESS, LAB_PORT));
                bound = "port " + LAB_PORT;
            } catch (IOException inUse) {
                listener.bind(new InetSocketAddress(Loopback.ADDRESS, 0)); // 65432 is taken (a lab server running?)
                bound = "port " + Loopback.port(listener) + " (" + LAB_PORT + " was in use: " + Errnos.describe(inUse) + ")";
            }
            int actual = Loopback.port(listener);
            ProcNet.Row row = ProcNet.find(r -> r.localPort() == actual && r.state().equals(ProcNet.LISTEN))
                    .orElseThrow(() -> new IOException("no LISTEN row for port " + actual + " in " + ProcNet.TCP));
            proc = m.put("procNetTcpLocal", row.localAddress());
            m.put("listenedOn", bound);
        }
        boolean little = cpu == ByteOrder.LITTLE_ENDIAN;
        return m.answer(this, "It turns a 16-bit number such as a port from the CPU's byte order into network byte "
                + "order, most significant byte first, because every machine on the network must read the header the "
                + "same way. Port " + port + " is " + hex + ": on the wire its bytes are " + wire + "; this CPU is "
                + order + " and holds it in memory as " + host + (little
                ? ", so without htons the peer would read port " + misread + "." : ", the same order, so htons changes nothing here.")
                + " The kernel's table agrees: /proc/net/tcp listed the listener on " + bound + " as " + proc
                + (little && proc.startsWith("0100007F:") ? ", the address 127.0.0.1 shown as 0100007F because its "
                + "network-order bytes 7F 00 00 01 are printed as one little-endian number (htonl is the 32-bit htons)."
                : "."));
    }

    /** The port's two bytes in the given order, as hex: "FF 98". */
    static String bytes(int port, ByteOrder order) {
        byte[] two = ByteBuffer.allocate(2).order(order).putShort((short) port).array();
        return HexFormat.ofDelimiter(" ").withUpperCase().formatHex(two);
    }
}
