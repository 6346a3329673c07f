package org.ipclab.comparison.nativefloor;

import java.util.List;
import java.util.Optional;

import org.ipclab.core.EchoTransport;
import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.Transports;

/**
 * Which transports have a C floor, asked of the registry: a transport has one when its descriptor names a
 * {@link TransportDescriptor#nativeMode() native mode}, and that mode is the argument the C program takes (and
 * prints back as the first field of each result line).
 */
final class NativeModes {

    private NativeModes() {
    }

    /** The ids of the transports with a C floor, in the registry's order. */
    static List<String> transportIds() {
        return Transports.all().stream().map(EchoTransport::descriptor).filter(TransportDescriptor::hasNativeFloor)
                .map(TransportDescriptor::id).toList();
    }

    /** The C program's mode for a transport id, or empty when the transport has no floor (or is not registered). */
    static Optional<String> modeOf(String transportId) {
        return Transports.find(transportId).map(EchoTransport::descriptor).filter(TransportDescriptor::hasNativeFloor)
                .map(TransportDescriptor::nativeMode);
    }

    /** The transport id whose descriptor names this mode, or empty when none does. */
    static Optional<String> transportOf(String mode) {
        return Transports.all().stream().map(EchoTransport::descriptor)
                .filter(d -> d.hasNativeFloor() && d.nativeMode().equals(mode)).map(TransportDescriptor::id).findFirst();
    }
}
