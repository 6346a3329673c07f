package org.ipclab.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.TransportDescriptor.Reach;
import org.ipclab.core.TransportDescriptor.SetupVariant;
import org.ipclab.report.model.Results.SetupResult;

/**
 * What each transport of the run declared about itself ({@link org.ipclab.report.model.Results#descriptors()}), and
 * the questions the report asks of it: where it stands, what to call it, which one is "the socket" of the lab's
 * first question. A transport without a descriptor (a results.json written before descriptors existed) gets a
 * neutral answer to each question, never an exception.
 */
final class Descriptors {

    private final Map<String, TransportDescriptor> byId = new LinkedHashMap<>();

    Descriptors(List<TransportDescriptor> descriptors) {
        for (TransportDescriptor d : Measurements.list(descriptors)) {
            if (d != null) {
                byId.putIfAbsent(d.id(), d);
            }
        }
    }

    Optional<TransportDescriptor> of(String transport) {
        return Optional.ofNullable(byId.get(transport));
    }

    /** {@code ids} in the descriptors' order (ties by id); those without a descriptor after them, as given. */
    List<String> sorted(Collection<String> ids) {
        List<String> known = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String id : ids) {
            (byId.containsKey(id) ? known : unknown).add(id);
        }
        known.sort(Comparator.comparingInt((String id) -> byId.get(id).order()).thenComparing(id -> id));
        known.addAll(unknown);
        return known;
    }

    /** "a pipe's", for "… costs 2.4× a pipe's"; the id in code with "'s" when the run did not say. */
    String possessive(String transport) {
        return of(transport).map(TransportDescriptor::possessive).orElse(Text.id(transport) + "'s");
    }

    /** "TCP", as in "a 64 B TCP round trip"; the id in code when the run did not say. */
    String name(String transport) {
        return of(transport).map(TransportDescriptor::name).orElse(Text.id(transport));
    }

    /** The colour the transport declared, "#RRGGBB", or null. */
    String colour(String transport) {
        return of(transport).map(TransportDescriptor::colour).orElse(null);
    }

    /**
     * Why a round trip of {@code sizeBytes} is not possible over the transport ("not possible: larger than one
     * datagram"), or empty when it is, or the run did not say.
     */
    Optional<String> notPossible(String transport, int sizeBytes) {
        return of(transport).filter(d -> !d.carries(sizeBytes))
                .map(d -> "not possible: " + (d.limits().tooLarge().isEmpty() ? "too large" : d.limits().tooLarge()));
    }

    /** Why the streaming measurement does not apply to the transport, or empty when it does (or the run did not say). */
    Optional<String> noStreaming(String transport) {
        return of(transport).filter(d -> !d.limits().streams()).map(d -> d.limits().noStreaming());
    }

    /** True when the transport's benchmark settings make a waiting side spin instead of sleeping. */
    boolean busySpinsWhenMeasured(String transport) {
        return of(transport).map(d -> d.bench().busySpins()).orElse(false);
    }

    /** True when the transport declared itself a byte stream, or did not say (then nothing is held against it). */
    boolean byteStreamOrUnknown(String transport) {
        return of(transport).map(d -> d.kind() == TransportDescriptor.Kind.BYTE_STREAM).orElse(true);
    }

    /** Of {@code transports}, those reachable from any host (sockets with an address), in order. */
    List<String> anyHost(Collection<String> transports) {
        return transports.stream().filter(this::reachesOtherHosts).toList();
    }

    /**
     * The socket of the lab's first question ("how is socket programming different from pipes and message
     * queues?"): the first of {@code transports} that any host can reach.
     */
    Optional<String> labSocket(Collection<String> transports) {
        return anyHost(transports).stream().findFirst();
    }

    /** True when both transports declared the same, non-empty API family (tcp and unix: "socket"). */
    boolean sameFamily(String a, String b) {
        String family = family(a);
        return !family.isEmpty() && family.equals(family(b));
    }

    String family(String transport) {
        return of(transport).map(TransportDescriptor::family).orElse("");
    }

    boolean reachesOtherHosts(String transport) {
        return of(transport).map(d -> d.reach() == Reach.ANY_HOST).orElse(false);
    }

    /**
     * The set-up variant a row timed. A row written before rows named their variant is matched by its label,
     * which the harness took from the same variant.
     */
    Optional<SetupVariant> variant(SetupResult row) {
        return of(row.transport()).flatMap(d -> row.variant() != null ? d.setupVariant(row.variant())
                : d.setup().stream().filter(v -> v.label().equals(row.what())).findFirst());
    }

    /**
     * True when the timed set-up started a JVM, so it is not like for like with opening a channel. A row no
     * descriptor describes (a run that recorded none, and no catalog at hand) is judged by its label.
     */
    boolean startsJvm(SetupResult row) {
        return variant(row).map(SetupVariant::startsJvm)
                .orElseGet(() -> row.what() != null && row.what().contains("JVM"));
    }

    /**
     * The transport a native-floor row belongs to: its own name when that is a transport of the run, else the
     * transport whose C mode it is, else the name as it is.
     */
    String transportOfNative(String name) {
        if (name == null || byId.containsKey(name)) {
            return name;
        }
        return byId.values().stream().filter(d -> d.nativeMode().equals(name)).map(TransportDescriptor::id)
                .findFirst().orElse(name);
    }
}
