package org.ipclab.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** The transports on the class path, found through {@link ServiceLoader} (META-INF/services). */
public final class Transports {

    private Transports() {
    }

    /** Every transport on the class path, in the order their descriptors give (then by id). */
    public static List<EchoTransport> all() {
        List<EchoTransport> found = new ArrayList<>();
        ServiceLoader.load(EchoTransport.class).forEach(found::add);
        found.sort(Comparator.comparingInt((EchoTransport t) -> t.descriptor().order())
                .thenComparing(EchoTransport::id));
        return found;
    }

    public static Optional<EchoTransport> find(String id) {
        return all().stream().filter(t -> t.id().equals(id)).findFirst();
    }

    /** The transport with this id, or an exception naming the ones that exist. */
    public static EchoTransport byId(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException(
                "unknown transport '" + id + "': choose one of " + String.join(", ", ids())));
    }

    public static List<String> ids() {
        return all().stream().map(EchoTransport::id).toList();
    }
}
