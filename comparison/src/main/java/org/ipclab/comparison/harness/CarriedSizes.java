package org.ipclab.comparison.harness;

import java.util.ArrayList;
import java.util.List;

import org.ipclab.core.EchoTransport;
import org.ipclab.core.TransportDescriptor;
import org.ipclab.report.Numbers;

/** What a transport's descriptor says it can carry: the sizes of a run it can echo in one message. */
final class CarriedSizes {

    private CarriedSizes() {
    }

    /**
     * The sizes one round trip of this transport can carry; each other one is noted once as not possible, with the
     * descriptor's reason ("udp 1 MiB round trip: not possible: larger than one datagram (at most 65507 B ...)").
     */
    static List<Integer> of(EchoTransport transport, List<Integer> sizes, List<String> notes) {
        TransportDescriptor.Limits limits = transport.descriptor().limits();
        List<Integer> carried = new ArrayList<>();
        for (int size : sizes) {
            if (transport.descriptor().carries(size)) {
                carried.add(size);
            } else {
                notes.add(transport.id() + " " + Numbers.size(size) + " round trip: not possible: " + limits.tooLarge()
                        + " (at most " + limits.maxMessageBytes() + " B in one message).");
            }
        }
        return carried;
    }
}
